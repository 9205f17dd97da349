/*
 * trajectory_agg.c — the combinable aggregates trajectory(session, score
 * [, on_duplicate]) and rollup(trajectory [, on_duplicate]).
 *
 * The aggregate state is a plain list of the rows seen (key, score), in the
 * aggregate memory context, with a flag saying whether the keys arrived
 * strictly increasing.  Duplicates are resolved only in the final function,
 * over a sorted copy, so the result does not depend on how rows were split
 * between parallel workers or partitions, and the final function never
 * changes the state (FINALFUNC_MODIFY = READ_ONLY: OVER and shared states
 * work).
 */
#include "trajectory.h"

#include <math.h>

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

PG_FUNCTION_INFO_V1(trajectory_trans);
PG_FUNCTION_INFO_V1(trajectory_rollup_trans);
PG_FUNCTION_INFO_V1(trajectory_combine);
PG_FUNCTION_INFO_V1(trajectory_serial);
PG_FUNCTION_INFO_V1(trajectory_deserial);
PG_FUNCTION_INFO_V1(trajectory_final);

/* format version of the serialised state parallel workers exchange */
#define STATE_SERIAL_VERSION 1

/* ------------------------------------------------------ aggregate state */


/* The argument types of the transition call, found once per query. */
typedef struct TransTypes
{
	Oid			keytype;
	Oid			scoretype;
	AlKeyKind	kind;
} TransTypes;

MemoryContext
alpg_agg_context(FunctionCallInfo fcinfo, const char *fn)
{
	MemoryContext ctx;

	if (!AggCheckCallContext(fcinfo, &ctx))
		elog(ERROR, "%s called in non-aggregate context", fn);
	return ctx;
}

TrajState *
alpg_trajstate_new(MemoryContext ctx, AlKeyKind kind, AlDupPolicy policy, const char *code, int32 cap)
{
	TrajState  *st = MemoryContextAllocZero(ctx, sizeof(TrajState));

	st->kind = kind;
	st->policy = policy;
	st->sorted = true;
	if (code)
		strlcpy(st->code, code, ALPG_TRAJ_CODE_LEN);
	st->cap = Max(cap, 8);
	st->points = MemoryContextAlloc(ctx, st->cap * sizeof(AlPoint));
	return st;
}

static void
trajstate_reserve(TrajState *st, int64 more)
{
	int64		need = (int64) st->n + more;

	if (need > TRAJ_MAX_POINTS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("trajectory has too many sessions (at most %d)", TRAJ_MAX_POINTS)));
	if (need > st->cap)
	{
		int64		nc = Max(need, (int64) st->cap * 2);

		nc = Min(nc, (int64) TRAJ_MAX_POINTS);
		st->points = repalloc(st->points, nc * sizeof(AlPoint));
		st->cap = (int32) nc;
	}
}

void
alpg_trajstate_add(TrajState *st, int64 key, double score)
{
	trajstate_reserve(st, 1);
	if (st->n > 0 && st->points[st->n - 1].key >= key)
		st->sorted = false;
	st->points[st->n].key = key;
	st->points[st->n].score = score;
	st->n++;
}

void
alpg_trajstate_check_same(const TrajState *st, AlKeyKind kind, const char *code, AlDupPolicy policy)
{
	if (st->kind != kind)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot merge a trajectory keyed by %s with one keyed by %s",
						al_key_kind_name(st->kind), al_key_kind_name(kind))));
	if (strcmp(st->code, code) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot mix instruments in one trajectory: %s and %s",
						st->code[0] ? st->code : "numeric scores",
						code[0] ? code : "numeric scores"),
				 errhint("Build one trajectory per instrument.")));
	if (st->policy != policy)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("on_duplicate differs between rows: %s and %s",
						al_dup_policy_name(st->policy), al_dup_policy_name(policy))));
}

static AlDupPolicy
read_policy(FunctionCallInfo fcinfo, int argno)
{
	AlDupPolicy p = AL_DUP_ERROR;
	AlError		err;

	if (PG_NARGS() > argno && !PG_ARGISNULL(argno))
	{
		char	   *s = text_to_cstring(PG_GETARG_TEXT_PP(argno));

		ALPG_CHECK(al_dup_policy_parse(s, &p, &err), &err);
		pfree(s);
	}
	return p;
}

AlKeyKind
alpg_traj_key_kind(Oid keytype)
{
	switch (keytype)
	{
		case INT2OID:
		case INT4OID:
		case INT8OID:
			return AL_KEY_INT;
		case DATEOID:
			return AL_KEY_DATE;
		case TIMESTAMPOID:
			return AL_KEY_TIMESTAMP;
		case TIMESTAMPTZOID:
			return AL_KEY_TIMESTAMPTZ;
		default:
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("a session key is an integer, a date or a timestamp, not %s",
							format_type_be(keytype))));
	}
	return AL_KEY_INT;			/* not reached */
}

static TransTypes *
trans_types(FunctionCallInfo fcinfo)
{
	TransTypes *tt = fcinfo->flinfo->fn_extra;

	if (tt == NULL)
	{
		tt = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, sizeof(TransTypes));
		tt->keytype = get_fn_expr_argtype(fcinfo->flinfo, 1);
		tt->scoretype = get_fn_expr_argtype(fcinfo->flinfo, 2);
		tt->kind = alpg_traj_key_kind(tt->keytype);
		fcinfo->flinfo->fn_extra = tt;
	}
	return tt;
}

/* trajectory(session, score [, on_duplicate]) transition; not STRICT. */
Datum
trajectory_trans(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = alpg_agg_context(fcinfo, "trajectory_trans");
	TrajState  *st = PG_ARGISNULL(0) ? NULL : (TrajState *) PG_GETARG_POINTER(0);
	TransTypes *tt = trans_types(fcinfo);
	AlDupPolicy policy = read_policy(fcinfo, 3);
	const AlInstrument *inst;
	const char *code;
	double		score;
	int64		key;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
	{
		if (st == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(st);
	}
	key = alpg_traj_key(tt->keytype, PG_GETARG_DATUM(1));
	if (!alpg_traj_score(tt->scoretype, PG_GETARG_DATUM(2), &score, &inst))
	{
		if (st == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(st);
	}
	code = inst ? inst->code : "";
	if (st == NULL)
		st = alpg_trajstate_new(ctx, tt->kind, policy, code, 16);
	else
		alpg_trajstate_check_same(st, tt->kind, code, policy);
	alpg_trajstate_add(st, key, score);
	PG_RETURN_POINTER(st);
}

/* rollup(trajectory [, on_duplicate]) transition; not STRICT. */
Datum
trajectory_rollup_trans(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = alpg_agg_context(fcinfo, "trajectory_rollup_trans");
	TrajState  *st = PG_ARGISNULL(0) ? NULL : (TrajState *) PG_GETARG_POINTER(0);
	AlDupPolicy policy = read_policy(fcinfo, 2);
	Trajectory *t;

	if (PG_ARGISNULL(1))
	{
		if (st == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(st);
	}
	t = altraj_getarg(fcinfo, 1);
	if (st == NULL)
		st = alpg_trajstate_new(ctx, t->kind, policy, t->code, t->npoints);
	else
		alpg_trajstate_check_same(st, t->kind, t->code, policy);
	trajstate_reserve(st, t->npoints);
	if (t->npoints > 0 && st->n > 0 && st->points[st->n - 1].key >= t->points[0].key)
		st->sorted = false;
	memcpy(st->points + st->n, t->points, t->npoints * sizeof(AlPoint));
	st->n += t->npoints;
	PG_RETURN_POINTER(st);
}

/*
 * a + b: a when b is NULL or empty, a copy of b in ctx when a is NULL (b may
 * live elsewhere), else a with b's rows appended.
 */
TrajState *
alpg_trajstate_merge(MemoryContext ctx, TrajState *a, const TrajState *b)
{
	if (b == NULL)
		return a;
	if (a == NULL)
	{
		a = alpg_trajstate_new(ctx, b->kind, b->policy, b->code, b->n);
		memcpy(a->points, b->points, b->n * sizeof(AlPoint));
		a->n = b->n;
		a->sorted = b->sorted;
		return a;
	}
	alpg_trajstate_check_same(a, b->kind, b->code, b->policy);
	trajstate_reserve(a, b->n);
	if (b->n > 0 && a->n > 0 && a->points[a->n - 1].key >= b->points[0].key)
		a->sorted = false;
	a->sorted = a->sorted && b->sorted;
	memcpy(a->points + a->n, b->points, b->n * sizeof(AlPoint));
	a->n += b->n;
	return a;
}

Datum
trajectory_combine(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = alpg_agg_context(fcinfo, "trajectory_combine");
	TrajState  *a = PG_ARGISNULL(0) ? NULL : (TrajState *) PG_GETARG_POINTER(0);
	TrajState  *b = PG_ARGISNULL(1) ? NULL : (TrajState *) PG_GETARG_POINTER(1);

	a = alpg_trajstate_merge(ctx, a, b);
	if (a == NULL)
		PG_RETURN_NULL();
	PG_RETURN_POINTER(a);
}

/*
 * Serial form of a state (parallel workers; never stored): version, kind,
 * policy, sorted flag, code, count, points, in network byte order.
 */
void
alpg_trajstate_send(StringInfo buf, const TrajState *st)
{
	int			cl = (int) strlen(st->code);

	pq_sendbyte(buf, STATE_SERIAL_VERSION);
	pq_sendbyte(buf, st->kind);
	pq_sendbyte(buf, st->policy);
	pq_sendbyte(buf, st->sorted ? 1 : 0);
	pq_sendbyte(buf, cl);
	pq_sendbytes(buf, st->code, cl);
	pq_sendint32(buf, st->n);
	for (int32 i = 0; i < st->n; i++)
	{
		pq_sendint64(buf, st->points[i].key);
		pq_sendfloat8(buf, st->points[i].score);
	}
}

TrajState *
alpg_trajstate_recv(StringInfo buf, MemoryContext ctx)
{
	int			kind,
				policy,
				sorted,
				cl;
	int32		n;
	char		code[ALPG_TRAJ_CODE_LEN];
	TrajState  *st;
	AlError		err;

	if (pq_getmsgbyte(buf) != STATE_SERIAL_VERSION)
		elog(ERROR, "trajectory state: unknown version");
	kind = pq_getmsgbyte(buf);
	policy = pq_getmsgbyte(buf);
	sorted = pq_getmsgbyte(buf);
	cl = pq_getmsgbyte(buf);
	if (kind < AL_KEY_INT || kind > AL_KEY_TIMESTAMPTZ || policy < AL_DUP_ERROR ||
		policy > AL_DUP_MAX || sorted > 1 || cl > AL_SERIES_MAX_CODE)
		elog(ERROR, "trajectory state: invalid header");
	memcpy(code, pq_getmsgbytes(buf, cl), cl);
	code[cl] = '\0';
	n = pq_getmsgint(buf, 4);
	if (n < 0 || n > TRAJ_MAX_POINTS || (Size) (buf->len - buf->cursor) < (Size) n * 16)
		elog(ERROR, "trajectory state: point count does not match the data");
	if (al_traj_validate((AlKeyKind) kind, code, NULL, 0, &err) != AL_OK)
		alpg_report(&err);
	st = alpg_trajstate_new(ctx, (AlKeyKind) kind, (AlDupPolicy) policy, code, n);
	for (int32 i = 0; i < n; i++)
	{
		st->points[i].key = pq_getmsgint64(buf);
		st->points[i].score = pq_getmsgfloat8(buf);
		if (!al_key_valid(kind, st->points[i].key) || !isfinite(st->points[i].score))
			elog(ERROR, "trajectory state: invalid point");
	}
	st->n = n;
	st->sorted = sorted;
	return st;
}

Datum
trajectory_serial(PG_FUNCTION_ARGS)
{
	TrajState  *st = (TrajState *) PG_GETARG_POINTER(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	alpg_trajstate_send(&buf, st);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
trajectory_deserial(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = alpg_agg_context(fcinfo, "trajectory_deserial");
	bytea	   *b = PG_GETARG_BYTEA_PP(0);
	StringInfoData buf;
	TrajState  *st;

	buf.data = VARDATA_ANY(b);
	buf.len = VARSIZE_ANY_EXHDR(b);
	buf.maxlen = buf.len;
	buf.cursor = 0;
	st = alpg_trajstate_recv(&buf, ctx);
	if (buf.cursor != buf.len)
		elog(ERROR, "trajectory_deserial: trailing data");
	PG_RETURN_POINTER(st);
}

/*
 * The trajectory of a state, never changing the state: a sorted, collapsed
 * copy of its points, with the given instrument code; NULL when empty.
 */
Trajectory *
alpg_trajstate_finish(const TrajState *st, const char *code)
{
	Trajectory *t;
	size_t		n;
	AlError		err;

	if (st == NULL || st->n == 0)
		return NULL;
	t = altraj_alloc(st->kind, code, st->n);
	memcpy(t->points, st->points, st->n * sizeof(AlPoint));
	n = st->n;
	if (!st->sorted)
	{
		CHECK_FOR_INTERRUPTS();
		al_points_sort(t->points, n);
		ALPG_CHECK(al_points_collapse(t->points, n, st->kind, st->policy, &n, &err), &err);
		if (n != (size_t) st->n)
		{
			t->npoints = (int32) n;
			SET_VARSIZE(t, TRAJ_SIZE(n));
		}
	}
	return t;
}

/* Final function: READ_ONLY. */
Datum
trajectory_final(PG_FUNCTION_ARGS)
{
	TrajState  *st;
	Trajectory *t;

	alpg_agg_context(fcinfo, "trajectory_final");
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = (TrajState *) PG_GETARG_POINTER(0);
	t = alpg_trajstate_finish(st, st->code);
	if (t == NULL)
		PG_RETURN_NULL();
	PG_RETURN_POINTER(t);
}
