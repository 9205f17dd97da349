/*
 * dyad_agg.c — the combinable aggregate dyad(session, client, therapist):
 * the client's and the therapist's ratings of the same sessions, as the
 * composite alliance.dyad_trajectory (client trajectory, therapist
 * trajectory, client_instrument, therapist_instrument).
 *
 * Each side is kept as the trajectory aggregate keeps its rows (TrajState,
 * trajectory.h); a row adds to the side(s) that rated the session, so a
 * session rated by one side only is kept but never paired.  Responses are
 * compared on POMP (the two sides may use different instruments); a PSQ
 * contributes its rupture report (1 reported, 0 not), and pairs only with a
 * PSQ.  Numbers are taken as they are, on the one scale the caller chose.
 */
#include "trajectory.h"

#include <math.h>

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"

#include "alpg.h"
#include "instrument.h"
#include "response_pg.h"
#include "score.h"

PG_FUNCTION_INFO_V1(dyad_trans);
PG_FUNCTION_INFO_V1(dyad_combine);
PG_FUNCTION_INFO_V1(dyad_serial);
PG_FUNCTION_INFO_V1(dyad_deserial);
PG_FUNCTION_INFO_V1(dyad_final);

#define DYAD_SERIAL_VERSION 1

typedef struct DyadState
{
	TrajState  *side[2];		/* 0 client, 1 therapist; NULL until a rating */
} DyadState;

static const char *const side_names[2] = {"client", "therapist"};

/*
 * One rater's value on the scale two raters are compared on: POMP for a
 * scored response, the report (1/0) for a PSQ, the number itself otherwise;
 * *code the response's instrument ("" for a number).  false when the rater
 * did not rate the session (too many missing items).  Shared with
 * agreement (dyad.c).
 */
bool
alpg_rating_value(Oid type, Datum d, double *value, const char **code)
{
	*code = "";
	if (type == NUMERICOID || type == FLOAT8OID)
	{
		const AlInstrument *none;

		return alpg_traj_score(type, d, value, &none);
	}
	else
	{
		AlResponse	r;
		AlRational	pomp;
		bool		reported;

		alpg_response_bound(d, &r);
		*code = r.inst->code;
		if (r.inst->is_psq)
		{
			if (!al_psq_reported(&r, &reported))
				return false;
			*value = reported ? 1.0 : 0.0;
			return true;
		}
		if (!al_scale_pomp(&r, AL_WHOLE, true, &pomp))
			return false;
		*value = al_rat_to_double(pomp);
		return true;
	}
}

/* The argument types of the transition call, found once per query (as the trajectory aggregate does). */
typedef struct DyadTypes
{
	Oid			keytype;
	AlKeyKind	kind;
	Oid			side[2];
} DyadTypes;

static DyadTypes *
dyad_types(FunctionCallInfo fcinfo)
{
	DyadTypes  *dt = fcinfo->flinfo->fn_extra;

	if (dt == NULL)
	{
		dt = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, sizeof(DyadTypes));
		dt->keytype = get_fn_expr_argtype(fcinfo->flinfo, 1);
		dt->kind = alpg_traj_key_kind(dt->keytype);
		dt->side[0] = get_fn_expr_argtype(fcinfo->flinfo, 2);
		dt->side[1] = get_fn_expr_argtype(fcinfo->flinfo, 3);
		fcinfo->flinfo->fn_extra = dt;
	}
	return dt;
}

/* dyad(session, client, therapist) transition; not STRICT. */
Datum
dyad_trans(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = alpg_agg_context(fcinfo, "dyad_trans");
	DyadState  *st = PG_ARGISNULL(0) ? NULL : (DyadState *) PG_GETARG_POINTER(0);
	DyadTypes  *dt;
	AlKeyKind	kind;
	int64		key;

	if (PG_ARGISNULL(1))
	{
		if (st == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(st);
	}
	dt = dyad_types(fcinfo);
	kind = dt->kind;
	key = alpg_traj_key(dt->keytype, PG_GETARG_DATUM(1));
	for (int side = 0; side < 2; side++)
	{
		double		value;
		const char *code;

		if (PG_ARGISNULL(2 + side) ||
			!alpg_rating_value(dt->side[side], PG_GETARG_DATUM(2 + side),
							   &value, &code))
			continue;
		if (st == NULL)
			st = MemoryContextAllocZero(ctx, sizeof(DyadState));
		if (st->side[side] == NULL)
			st->side[side] = alpg_trajstate_new(ctx, kind, AL_DUP_ERROR, code, 16);
		else
			alpg_trajstate_check_same(st->side[side], kind, code, AL_DUP_ERROR);
		alpg_trajstate_add(st->side[side], key, value);
	}
	if (st == NULL)
		PG_RETURN_NULL();
	PG_RETURN_POINTER(st);
}

Datum
dyad_combine(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = alpg_agg_context(fcinfo, "dyad_combine");
	DyadState  *a = PG_ARGISNULL(0) ? NULL : (DyadState *) PG_GETARG_POINTER(0);
	DyadState  *b = PG_ARGISNULL(1) ? NULL : (DyadState *) PG_GETARG_POINTER(1);

	if (b == NULL)
	{
		if (a == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(a);
	}
	if (a == NULL)
		a = MemoryContextAllocZero(ctx, sizeof(DyadState));
	for (int side = 0; side < 2; side++)
		a->side[side] = alpg_trajstate_merge(ctx, a->side[side], b->side[side]);
	PG_RETURN_POINTER(a);
}

/* Serial form (parallel workers; never stored): version, then per side a presence byte and the state. */
Datum
dyad_serial(PG_FUNCTION_ARGS)
{
	DyadState  *st = (DyadState *) PG_GETARG_POINTER(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, DYAD_SERIAL_VERSION);
	for (int side = 0; side < 2; side++)
	{
		pq_sendbyte(&buf, st->side[side] != NULL);
		if (st->side[side] != NULL)
			alpg_trajstate_send(&buf, st->side[side]);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
dyad_deserial(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = alpg_agg_context(fcinfo, "dyad_deserial");
	bytea	   *b = PG_GETARG_BYTEA_PP(0);
	StringInfoData buf;
	DyadState  *st = MemoryContextAllocZero(ctx, sizeof(DyadState));

	buf.data = VARDATA_ANY(b);
	buf.len = VARSIZE_ANY_EXHDR(b);
	buf.maxlen = buf.len;
	buf.cursor = 0;
	if (pq_getmsgbyte(&buf) != DYAD_SERIAL_VERSION)
		elog(ERROR, "dyad_deserial: unknown state version");
	for (int side = 0; side < 2; side++)
	{
		int			present = pq_getmsgbyte(&buf);

		if (present > 1)
			elog(ERROR, "dyad_deserial: invalid state");
		if (present)
			st->side[side] = alpg_trajstate_recv(&buf, ctx);
	}
	if (buf.cursor != buf.len)
		elog(ERROR, "dyad_deserial: trailing data");
	PG_RETURN_POINTER(st);
}

/*
 * Final function: READ_ONLY.  Each side's series on the dyad's scale (a
 * numeric trajectory) and the instrument each side used (NULL for numbers).
 */
Datum
dyad_final(PG_FUNCTION_ARGS)
{
	DyadState  *st;
	TupleDesc	desc;
	Datum		values[4];
	bool		nulls[4] = {true, true, true, true};

	alpg_agg_context(fcinfo, "dyad_final");
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = (DyadState *) PG_GETARG_POINTER(0);
	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "dyad_final: return type must be a row type");
	if (st->side[0] && st->side[1] && st->side[0]->kind != st->side[1]->kind)
		elog(ERROR, "dyad_final: the two sides have different key kinds");
	if (st->side[0] && st->side[1] &&
		(strcmp(st->side[0]->code, "psq") == 0) != (strcmp(st->side[1]->code, "psq") == 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot pair a PSQ with a scored form: the %s used %s, the %s %s",
						side_names[0], st->side[0]->code, side_names[1],
						st->side[1]->code[0] ? st->side[1]->code : "numbers"),
				 errdetail("A PSQ reports whether a rupture happened; it has no score to compare with a POMP."),
				 errhint("Pair a client PSQ with a therapist PSQ, and scored forms with scored forms.")));
	for (int side = 0; side < 2; side++)
	{
		Trajectory *t = alpg_trajstate_finish(st->side[side], "");

		if (t != NULL)
		{
			values[side] = PointerGetDatum(t);
			nulls[side] = false;
			if (st->side[side]->code[0])
			{
				values[2 + side] = PointerGetDatum(cstring_to_text(st->side[side]->code));
				nulls[2 + side] = false;
			}
		}
	}
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(desc), values, nulls)));
}
