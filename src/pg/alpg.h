/*
 * alpg.h — shared helpers of the PostgreSQL skin.
 *
 * The skin converts, calls the pure core (src/core), and reports.  Every
 * user-caused error goes through alpg_report(), which maps the core's AlStatus
 * to a precise SQLSTATE (see al_status.h).
 */
#ifndef ALPG_H
#define ALPG_H

#include "pg_compat.h"
#include "fmgr.h"
#include "utils/numeric.h"

#include "al_status.h"
#include "rational.h"
#include "response.h"

/* ereport(ERROR) from a filled AlError; never returns. */
pg_noreturn void alpg_report(const AlError *err);

/* If status != AL_OK, report err.  Keeps call sites to one line. */
#define ALPG_CHECK(call, errp) \
	do { if ((call) != AL_OK) alpg_report(errp); } while (0)

/*
 * Numbers crossing the boundary.  The core counts item values in exact
 * 10^-scale units; the skin turns PostgreSQL numerics into such decimals and
 * exact rationals back into numerics.
 */
/* numeric -> exact decimal; AL_ERR_RANGE for NaN, infinities and too many digits */
AlStatus	alpg_numeric_to_decimal(Numeric num, AlDecimal *out, AlError *err);
/* units / 10^scale as an exact numeric */
Numeric		alpg_decimal_to_numeric(int64 units, int scale);
/* a fraction as a numeric: the exact decimal where one exists, else numeric division */
Numeric		alpg_rational_to_numeric(AlRational r);
/* a numeric parameter as an exact fraction, with a 22023 error naming it */
AlRational	alpg_numeric_param_rational(Numeric num, const char *param);
/* a numeric from a double (for derived, inherently inexact quantities such as an RCI) */
Numeric		alpg_double_to_numeric(double d);
/* a numeric parameter as a double, with a 22023 error naming it if not finite */
double		alpg_numeric_param(Numeric num, const char *param);

#endif
