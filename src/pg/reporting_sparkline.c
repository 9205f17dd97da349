/*
 * reporting_sparkline.c — alliance.sparkline(trajectory [, method, ...]):
 * one line of block glyphs per trajectory, ruptures marked (the glyphs and
 * marks: src/core/sparkline.h).  The rupture parameters are those of
 * alliance.ruptures(), read by the same code (altraj_read_params), so a
 * sparkline marks exactly the ruptures that ruptures() lists.
 */
#include "alpg.h"

#include "mb/pg_wchar.h"
#include "utils/builtins.h"

#include "series.h"
#include "sparkline.h"
#include "trajectory.h"

PG_FUNCTION_INFO_V1(reporting_sparkline);

Datum
reporting_sparkline(PG_FUNCTION_ARGS)
{
	Trajectory *t;
	AlSeriesParams p;
	AlRupture  *r;
	size_t		nr,
				len;
	char	   *buf,
			   *out;
	AlError		err;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	t = altraj_getarg(fcinfo, 0);	/* the one check of a stored trajectory */
	altraj_read_params(fcinfo, 1, 11, altraj_instrument(t->code), false, &p);
	r = palloc(Max(t->npoints, 1) * sizeof(AlRupture));
	ALPG_CHECK(al_series_ruptures(t->points, t->npoints, &p, r, &nr, &err), &err);
	buf = palloc(al_sparkline_bound(t->npoints));
	len = al_sparkline(t->points, t->npoints, r, nr, buf);
	/* the glyphs are UTF-8; other server encodings get them converted (or an error) */
	out = pg_any_to_server(buf, (int) len, PG_UTF8);
	PG_RETURN_TEXT_P(cstring_to_text(out));
}
