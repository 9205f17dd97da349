/*
 * trajectory.c — the accessors of alliance.trajectory: sessions,
 * first_score, last_score, slope, status and ruptures, and the reading of
 * the rupture rules' parameters they share with rupture_alert.  The type's
 * I/O is trajectory_io.c, the aggregates trajectory_agg.c.
 */
#include "trajectory.h"

#include <math.h>

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "common/int.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/fmgrprotos.h"
#include "utils/guc.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"

#include "alpg.h"
#include "instrument.h"
#include "response_pg.h"

PG_FUNCTION_INFO_V1(trajectory_sessions);
PG_FUNCTION_INFO_V1(trajectory_first_score);
PG_FUNCTION_INFO_V1(trajectory_last_score);
PG_FUNCTION_INFO_V1(trajectory_slope);
PG_FUNCTION_INFO_V1(trajectory_slope_numeric);
PG_FUNCTION_INFO_V1(trajectory_status);
PG_FUNCTION_INFO_V1(trajectory_ruptures);
PG_FUNCTION_INFO_V1(trajectory_current);

/* ------------------------------------------------------------ accessors */

/*
 * A score as numeric, shown with at least the instrument's decimals (an SRS
 * total 38 is 38.0, as scoring shows it); never rounded: a value with more
 * digits (a prorated total) keeps them.
 */
static Numeric
score_numeric(double v, int min_scale)
{
	Numeric		num = alpg_double_to_numeric(v);

	if (min_scale > 0 &&
		DatumGetInt32(DirectFunctionCall1(numeric_scale, NumericGetDatum(num))) < min_scale)
		num = DatumGetNumeric(DirectFunctionCall2(numeric_round, NumericGetDatum(num),
												  Int32GetDatum(min_scale)));
	return num;
}

/* The decimals scores of a trajectory are shown with: its instrument's, else none. */
static int
traj_min_scale(const Trajectory *t)
{
	const AlInstrument *inst = altraj_instrument(t->code);

	return inst ? inst->decimals : 0;
}

Datum
trajectory_sessions(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(altraj_getarg(fcinfo, 0)->npoints);
}

Datum
trajectory_first_score(PG_FUNCTION_ARGS)
{
	Trajectory *t = altraj_getarg(fcinfo, 0);

	if (t->npoints == 0)
		PG_RETURN_NULL();
	PG_RETURN_NUMERIC(score_numeric(t->points[0].score, traj_min_scale(t)));
}

Datum
trajectory_last_score(PG_FUNCTION_ARGS)
{
	Trajectory *t = altraj_getarg(fcinfo, 0);

	if (t->npoints == 0)
		PG_RETURN_NULL();
	PG_RETURN_NUMERIC(score_numeric(t->points[t->npoints - 1].score, traj_min_scale(t)));
}

/* The slope, or false when it is undefined (fewer than 2 sessions). */
static bool
traj_slope(FunctionCallInfo fcinfo, double *s)
{
	Trajectory *t = altraj_getarg(fcinfo, 0);
	AlError		err;

	ALPG_CHECK(al_series_check_scores(t->points, t->npoints, &err), &err);
	return al_series_slope(t->kind, t->points, t->npoints, s);
}

/* slope(t) returning numeric (0.2.0 on), the shortest decimal that reads back the double */
Datum
trajectory_slope_numeric(PG_FUNCTION_ARGS)
{
	double		s;

	if (!traj_slope(fcinfo, &s))
		PG_RETURN_NULL();
	PG_RETURN_NUMERIC(alpg_double_to_numeric(s));
}

/* slope(t) returning double precision: 0.1.0's install script names it */
Datum
trajectory_slope(PG_FUNCTION_ARGS)
{
	double		s;

	if (!traj_slope(fcinfo, &s))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(s);
}

const AlInstrument *
altraj_instrument(const char *code)
{
	if (code == NULL || code[0] == '\0')
		return NULL;
	return alpg_resolve(code);
}

static const char *const param_names[] = {
	"method", "k", "reference_sd", "sd", "reliability", "points", "cutoff",
	"c1", "pct", "repair_window", "eps"
};

void
altraj_read_raw_params(FunctionCallInfo fcinfo, int first, int nparams, AlSeriesParams *p)
{
	AlError		err;

	al_series_params_init(p);
	for (int i = 0; i < nparams && first + i < PG_NARGS(); i++)
	{
		int			a = first + i;

		if (PG_ARGISNULL(a))
		{
			if (i == 8)
				p->has_pct = false; /* NULL pct disables criterion 2 */
			continue;
		}
		switch (i)
		{
			case 0:
				{
					char	   *m = text_to_cstring(PG_GETARG_TEXT_PP(a));

					ALPG_CHECK(al_method_parse(m, &p->method, &err), &err);
					pfree(m);
					break;
				}
			case 9:
				p->repair_window = PG_GETARG_INT32(a);
				break;
			default:
				{
					double		v = alpg_numeric_param(PG_GETARG_NUMERIC(a), param_names[i]);

					switch (i)
					{
						case 1:
							p->has_k = true, p->k = v;
							break;
						case 2:
							p->has_reference_sd = true, p->reference_sd = v;
							break;
						case 3:
							p->has_sd = true, p->sd = v;
							break;
						case 4:
							p->has_reliability = true, p->reliability = v;
							break;
						case 5:
							p->has_points = true, p->points = v;
							break;
						case 6:
							p->has_cutoff = true, p->cutoff = v;
							break;
						case 7:
							p->has_c1 = true, p->c1 = v;
							break;
						case 8:
							p->has_pct = true, p->pct = v;
							break;
						case 10:
							p->has_eps = true, p->eps = v;
							break;
					}
				}
		}
	}
}

/* The defaults an instrument supplies: its active norms, reliable-change points and cut-off. */
void
altraj_apply_instrument_defaults(AlSeriesParams *p, const AlInstrument *inst)
{
	if (inst != NULL)
	{
		double		sd,
					reliability;

		/* a clinic's calibration (alliance.norms) before the definition's norms */
		bool		clinic = alpg_clinic_norms(inst, &sd, &reliability);

		if (!p->has_sd && (clinic || inst->has_norm_sd))
			p->has_sd = true, p->sd = clinic ? sd : inst->norm_sd, p->sd_from_norms = true;
		if (!p->has_reliability && (clinic || inst->has_norm_reliability))
			p->has_reliability = true, p->reliability = clinic ? reliability : inst->norm_reliability,
				p->sd_from_norms = true;
		if (inst->has_rc_points)
			p->has_rc_points = true, p->rc_points = al_instrument_rc_points(inst);
		if (!p->has_cutoff && inst->has_cutoff)
			p->has_cutoff = true, p->cutoff = al_instrument_cutoff(inst);
	}
}

void
altraj_read_params(FunctionCallInfo fcinfo, int first, int nparams,
				   const AlInstrument *inst, bool prospective, AlSeriesParams *p)
{
	AlError		err;

	altraj_read_raw_params(fcinfo, first, nparams, p);
	/* a response trajectory's instrument supplies the defaults: its active norms */
	altraj_apply_instrument_defaults(p, inst);
	ALPG_CHECK(al_series_params_check(p, prospective, &err), &err);
}

static void
traj_params(FunctionCallInfo fcinfo, const Trajectory *t, AlSeriesParams *p)
{
	altraj_read_params(fcinfo, 1, 11, altraj_instrument(t->code), false, p);
}

Datum
trajectory_status(PG_FUNCTION_ARGS)
{
	Trajectory *t;
	AlSeriesParams p;
	AlRupture  *scratch;
	AlTrajStatus status;
	AlError		err;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	t = altraj_getarg(fcinfo, 0);
	traj_params(fcinfo, t, &p);
	scratch = palloc(Max(t->npoints, 1) * sizeof(AlRupture));
	ALPG_CHECK(al_series_status(t->kind, t->points, t->npoints, &p, scratch, &status, &err), &err);
	pfree(scratch);
	PG_RETURN_TEXT_P(cstring_to_text(al_traj_status_name(status)));
}

/* A key as at_session (int keys) or at_time (time keys, as UTC instants). */
void
altraj_key_columns(AlKeyKind kind, int64 key, Datum *session, bool *session_null,
			Datum *time, bool *time_null)
{
	*session_null = *time_null = true;
	if (kind == AL_KEY_INT)
	{
		*session = Int64GetDatum(key);
		*session_null = false;
	}
	else
	{
		int64		ts = key;

		/* a date is its midnight UTC; far-future dates have no timestamptz */
		if (kind == AL_KEY_DATE &&
			(pg_mul_s64_overflow(key, USECS_PER_DAY, &ts) || !IS_VALID_TIMESTAMP(ts)))
			ereport(ERROR,
					(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
					 errmsg("date out of range for timestamp")));
		*time = TimestampTzGetDatum(ts);
		*time_null = false;
	}
}

Datum
trajectory_ruptures(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Trajectory *t;
	AlSeriesParams p;
	AlRupture  *r;
	size_t		nr;
	int			min_scale;
	AlError		err;

	InitMaterializedSRF(fcinfo, 0);
	if (PG_ARGISNULL(0))
		return (Datum) 0;
	t = altraj_getarg(fcinfo, 0);
	traj_params(fcinfo, t, &p);
	r = palloc(Max(t->npoints, 1) * sizeof(AlRupture));
	ALPG_CHECK(al_series_ruptures(t->points, t->npoints, &p, r, &nr, &err), &err);
	min_scale = traj_min_scale(t);
	for (size_t i = 0; i < nr; i++)
	{
		Datum		values[11];
		bool		nulls[11];

		CHECK_FOR_INTERRUPTS();
		memset(nulls, 0, sizeof(nulls));
		values[0] = Int32GetDatum(r[i].seq);
		altraj_key_columns(t->kind, r[i].key, &values[1], &nulls[1], &values[2], &nulls[2]);
		values[3] = NumericGetDatum(score_numeric(r[i].previous_score, min_scale));
		values[4] = NumericGetDatum(score_numeric(r[i].score, min_scale));
		/* the difference of the shown scores: 9.1 - 8.4 is 0.7, not 0.699999999999999 */
		values[5] = DirectFunctionCall2(numeric_sub, values[3], values[4]);
		values[6] = NumericGetDatum(score_numeric(r[i].threshold, min_scale));
		if (r[i].repaired_seq > 0)
		{
			values[7] = Int32GetDatum(r[i].repaired_seq);
			altraj_key_columns(t->kind, r[i].repaired_key, &values[8], &nulls[8], &values[9], &nulls[9]);
		}
		else
			nulls[7] = nulls[8] = nulls[9] = true;
		values[10] = PointerGetDatum(cstring_to_text(al_repair_state_name(r[i].state)));
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	pfree(r);
	return (Datum) 0;
}

/*
 * current(t, rupture parameters) -> alliance.current_state: where the client
 * stands at the latest session (al_series_current); NULL for no sessions.
 */
Datum
trajectory_current(PG_FUNCTION_ARGS)
{
	Trajectory *t;
	AlSeriesParams p;
	AlRupture  *scratch;
	AlCurrent	cur;
	AlError		err;
	TupleDesc	tupdesc;
	Datum		values[7];
	bool		nulls[7];

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	t = altraj_getarg(fcinfo, 0);
	if (t->npoints == 0)
		PG_RETURN_NULL();
	traj_params(fcinfo, t, &p);
	scratch = palloc(t->npoints * sizeof(AlRupture));
	ALPG_CHECK(al_series_current(t->kind, t->points, t->npoints, &p, scratch, &cur, &err), &err);
	pfree(scratch);
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "current must return a composite type");
	tupdesc = BlessTupleDesc(tupdesc);
	memset(nulls, 0, sizeof(nulls));
	values[0] = PointerGetDatum(cstring_to_text(al_current_state_name(cur.state)));
	values[1] = Int32GetDatum(cur.since_seq);
	altraj_key_columns(t->kind, cur.since_key, &values[2], &nulls[2], &values[3], &nulls[3]);
	values[4] = Int32GetDatum(cur.sessions);
	values[5] = NumericGetDatum(score_numeric(t->points[t->npoints - 1].score, traj_min_scale(t)));
	if (cur.below_cutoff < 0)
		nulls[6] = true;
	else
		values[6] = BoolGetDatum(cur.below_cutoff == 1);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}
