/*
 * alpg.c — the module's magic block, error reporting, and numbers crossing
 * between PostgreSQL numerics and the core's exact decimals and fractions.
 */
#include "alpg.h"

#include <math.h>

#include "common/shortest_dec.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"

PG_MODULE_MAGIC;

void
alpg_report(const AlError *err)
{
	int			code;

	switch (err->status)
	{
		case AL_ERR_SYNTAX:
			code = ERRCODE_INVALID_TEXT_REPRESENTATION;
			break;
		case AL_ERR_RANGE:
			code = ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE;
			break;
		case AL_ERR_PARAM:
			code = ERRCODE_INVALID_PARAMETER_VALUE;
			break;
		case AL_ERR_LIMIT:
			code = ERRCODE_PROGRAM_LIMIT_EXCEEDED;
			break;
		case AL_ERR_CORRUPT:
			code = ERRCODE_DATA_CORRUPTED;
			break;
		default:
			elog(ERROR, "alliance: unexpected core status %d: %s", (int) err->status, err->message);
	}
	ereport(ERROR,
			(errcode(code),
			 errmsg("%s", err->message),
			 err->detail[0] ? errdetail("%s", err->detail) : 0,
			 err->hint[0] ? errhint("%s", err->hint) : 0));
	pg_unreachable();
}

AlStatus
alpg_numeric_to_decimal(Numeric num, AlDecimal *out, AlError *err)
{
	char	   *s = DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(num)));
	AlStatus	st = al_parse_decimal(s, strlen(s), out, err);

	pfree(s);
	return st;
}

Numeric
alpg_decimal_to_numeric(int64 units, int scale)
{
	/* exact, and with display scale = scale (34.2, 36.0), without a text round trip */
	return int64_div_fast_to_numeric(units, scale);
}

Numeric
alpg_rational_to_numeric(AlRational r)
{
	int64		units;
	int			scale;

	if (al_rat_exact_decimal(r, &units, &scale))
		return alpg_decimal_to_numeric(units, scale);
	return DatumGetNumeric(DirectFunctionCall2(numeric_div,
											   NumericGetDatum(int64_to_numeric(r.num)),
											   NumericGetDatum(int64_to_numeric(r.den))));
}

Numeric
alpg_double_to_numeric(double d)
{
	/*
	 * The shortest decimal that reads back as the same double (as float8out
	 * prints by default), not float8_numeric's 15 digits: 1e15 + 1 stays
	 * 1000000000000001, and 37.1 stays 37.1.
	 */
	char		buf[DOUBLE_SHORTEST_DECIMAL_LEN];

	if (!isfinite(d))
		return DatumGetNumeric(DirectFunctionCall1(float8_numeric, Float8GetDatum(d)));
	double_to_shortest_decimal_buf(d, buf);
	return DatumGetNumeric(DirectFunctionCall3(numeric_in, CStringGetDatum(buf),
											   ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1)));
}

double
alpg_numeric_param(Numeric num, const char *param)
{
	double		d;

	if (numeric_is_nan(num) || numeric_is_inf(num))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a finite number", param)));
	d = DatumGetFloat8(DirectFunctionCall1(numeric_float8, NumericGetDatum(num)));
	if (!isfinite(d))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s is out of range", param)));
	return d;
}

AlRational
alpg_numeric_param_rational(Numeric num, const char *param)
{
	AlDecimal	dec;
	AlError		err;

	if (numeric_is_nan(num) || numeric_is_inf(num))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a finite number", param)));
	if (alpg_numeric_to_decimal(num, &dec, &err) != AL_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s has too many digits", param),
				 errdetail("At most 18 significant digits are kept.")));
	return al_rat(dec.units, al_pow10(dec.scale), dec.scale);
}
