/*
 * reporting_svg.c — alliance.svg(trajectory [, width, height, method, ...]):
 * a self-contained SVG chart of a trajectory, ruptures and repairs marked
 * (the chart: src/core/svg.h).  The rupture parameters are those of
 * alliance.ruptures(), read by the same code (altraj_read_params), so a
 * chart marks exactly the ruptures that ruptures() lists; the cut-off line
 * is the cutoff argument, else the instrument's published cut-off.
 */
#include "alpg.h"

#include "utils/builtins.h"
#include "utils/memutils.h"

#include "instrument.h"
#include "series.h"
#include "svg.h"
#include "trajectory.h"

PG_FUNCTION_INFO_V1(reporting_svg);

static int
size_arg(FunctionCallInfo fcinfo, int n, const char *name, int dflt)
{
	int			v;

	if (PG_NARGS() <= n || PG_ARGISNULL(n))
		return dflt;
	v = PG_GETARG_INT32(n);
	if (v < AL_SVG_MIN_SIZE || v > AL_SVG_MAX_SIZE)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be between %d and %d pixels, not %d",
						name, AL_SVG_MIN_SIZE, AL_SVG_MAX_SIZE, v)));
	return v;
}

Datum
reporting_svg(PG_FUNCTION_ARGS)
{
	Trajectory *t;
	const AlInstrument *inst;
	AlSeriesParams p;
	AlSvgOptions o;
	AlRupture  *r;
	size_t		nr,
				len;
	text	   *out;
	AlError		err;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	t = altraj_getarg(fcinfo, 0);	/* the one check of a stored trajectory */
	al_svg_options_init(&o);
	o.width = size_arg(fcinfo, 1, "width", o.width);
	o.height = size_arg(fcinfo, 2, "height", o.height);
	inst = altraj_instrument(t->code);
	altraj_read_params(fcinfo, 3, 11, inst, false, &p);
	r = palloc(Max(t->npoints, 1) * sizeof(AlRupture));
	ALPG_CHECK(al_series_ruptures(t->points, t->npoints, &p, r, &nr, &err), &err);

	o.kind = (AlKeyKind) t->kind;
	o.code = t->code;
	o.method = al_method_name(p.method);
	o.has_cutoff = p.has_cutoff;
	o.cutoff = p.cutoff;
	o.decimals = inst ? inst->decimals : 0;
	o.repair_window = p.repair_window;
	if (inst != NULL && !inst->is_psq)
	{
		/* every chart of one instrument on one scale, its whole range, titled */
		o.has_range = true;
		al_instrument_score_range(inst, &o.range_lo, &o.range_hi);
		o.y_title = psprintf("%s %s", inst->code, inst->score == AL_SCORE_MEAN ? "mean" : "total");
	}

	/* measure, then render straight into the result */
	len = al_svg(t->points, t->npoints, r, nr, &o, NULL, 0);
	if (len > MaxAllocSize - VARHDRSZ - 1)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("SVG chart of %d sessions with %zu ruptures is too large", t->npoints, nr)));
	out = palloc(VARHDRSZ + len + 1);
	if (al_svg(t->points, t->npoints, r, nr, &o, VARDATA(out), len + 1) != len)
		elog(ERROR, "SVG chart changed size between measuring and rendering");
	SET_VARSIZE(out, VARHDRSZ + len);
	pfree(r);
	PG_RETURN_TEXT_P(out);
}
