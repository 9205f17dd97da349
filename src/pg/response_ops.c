/*
 * response_ops.c — equality, a total order and hashing for
 * alliance.response, so GROUP BY, DISTINCT, ORDER BY, unique indexes and
 * hash joins work.  The order is the core's: instrument code, then items in
 * order, a missing item after any answer.  A custom value's fingerprint is
 * ignored, as DESIGN.md asks.
 */
#include "response_pg.h"

#include "common/hashfn.h"

PG_FUNCTION_INFO_V1(response_cmp);
PG_FUNCTION_INFO_V1(response_eq);
PG_FUNCTION_INFO_V1(response_ne);
PG_FUNCTION_INFO_V1(response_lt);
PG_FUNCTION_INFO_V1(response_le);
PG_FUNCTION_INFO_V1(response_gt);
PG_FUNCTION_INFO_V1(response_ge);
PG_FUNCTION_INFO_V1(response_hash);
PG_FUNCTION_INFO_V1(response_hash_extended);

static int
compare_args(FunctionCallInfo fcinfo)
{
	AlResponse	a,
				b;

	alpg_response_decode(PG_GETARG_DATUM(0), &a);
	alpg_response_decode(PG_GETARG_DATUM(1), &b);
	return al_response_compare(&a, &b);
}

Datum
response_cmp(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(compare_args(fcinfo));
}

Datum
response_eq(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(compare_args(fcinfo) == 0);
}

Datum
response_ne(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(compare_args(fcinfo) != 0);
}

Datum
response_lt(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(compare_args(fcinfo) < 0);
}

Datum
response_le(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(compare_args(fcinfo) <= 0);
}

Datum
response_gt(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(compare_args(fcinfo) > 0);
}

Datum
response_ge(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(compare_args(fcinfo) >= 0);
}

Datum
response_hash(PG_FUNCTION_ARGS)
{
	AlResponse	r;

	alpg_response_decode(PG_GETARG_DATUM(0), &r);
	PG_RETURN_INT32((int32) (uint32) al_response_hash(&r, 0));
}

Datum
response_hash_extended(PG_FUNCTION_ARGS)
{
	AlResponse	r;
	uint64		seed = (uint64) PG_GETARG_INT64(1);

	alpg_response_decode(PG_GETARG_DATUM(0), &r);
	/* seed 0 must give the same low 32 bits as response_hash */
	PG_RETURN_INT64((int64) al_response_hash(&r, seed));
}
