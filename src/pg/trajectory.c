/*
 * trajectory.c — alliance.trajectory: the type's I/O, the combinable
 * aggregates trajectory(session, score [, on_duplicate]) and
 * rollup(trajectory [, on_duplicate]), and the accessors sessions,
 * first_score, last_score, slope, status and ruptures.
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

#include "al_pg.h"
#include "instrument.h"
#include "response_pg.h"

PG_FUNCTION_INFO_V1(trajectory_in);
PG_FUNCTION_INFO_V1(trajectory_out);
PG_FUNCTION_INFO_V1(trajectory_recv);
PG_FUNCTION_INFO_V1(trajectory_send);
PG_FUNCTION_INFO_V1(trajectory_trans);
PG_FUNCTION_INFO_V1(trajectory_rollup_trans);
PG_FUNCTION_INFO_V1(trajectory_combine);
PG_FUNCTION_INFO_V1(trajectory_serial);
PG_FUNCTION_INFO_V1(trajectory_deserial);
PG_FUNCTION_INFO_V1(trajectory_final);
PG_FUNCTION_INFO_V1(trajectory_sessions);
PG_FUNCTION_INFO_V1(trajectory_first_score);
PG_FUNCTION_INFO_V1(trajectory_last_score);
PG_FUNCTION_INFO_V1(trajectory_slope);
PG_FUNCTION_INFO_V1(trajectory_status);
PG_FUNCTION_INFO_V1(trajectory_ruptures);

#define STATE_SERIAL_VERSION 1

/* ------------------------------------------------------------ the datum */

static Trajectory *
traj_alloc(AlKeyKind kind, const char *code, int32 n)
{
	Trajectory *t;

	if (n < 0 || n > TRAJ_MAX_POINTS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("trajectory has too many sessions (%d; at most %d)", n, TRAJ_MAX_POINTS)));
	t = palloc0(TRAJ_SIZE(n));
	SET_VARSIZE(t, TRAJ_SIZE(n));
	t->version = AL_TRAJ_VERSION;
	t->kind = (uint8) kind;
	t->npoints = n;
	if (code)
		strlcpy(t->code, code, AL_TRAJ_CODE_LEN);
	return t;
}

/* Checks a detoasted datum's header (a damaged or foreign value). */
static void
traj_check(const Trajectory *t)
{
	if (t->version != AL_TRAJ_VERSION || t->reserved != 0 ||
		t->kind < AL_KEY_INT || t->kind > AL_KEY_TIMESTAMPTZ ||
		t->npoints < 0 || VARSIZE(t) != TRAJ_SIZE(t->npoints))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("invalid alliance.trajectory value"),
				 errdetail("Format version %d, kind %d, %d points in %u bytes.",
						   t->version, t->kind, t->npoints, (unsigned) VARSIZE(t))));
}

static Trajectory *
getarg_traj(FunctionCallInfo fcinfo, int n)
{
	Trajectory *t = PG_GETARG_TRAJECTORY_P(n);

	traj_check(t);
	return t;
}

/*
 * A trajectory read from outside names its instrument: the instrument must
 * exist, and every score must be one it can give (al_traj_check_instrument).
 * pg_restore (check_function_bodies off) may load trajectories of custom
 * instruments before their definitions: those are taken as they are.
 */
static void
check_traj_instrument(const Trajectory *t)
{
	const AlInstrument *inst;
	AlError		err;

	if (t->code[0] == '\0')
		return;
	inst = alpg_resolve(t->code);
	if (inst == NULL)
	{
		if (!check_function_bodies)
			return;
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown instrument \"%s\" in trajectory", t->code),
				 errhint("SELECT code FROM alliance.instruments lists the instruments this database knows.")));
	}
	if (inst->is_psq)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a trajectory cannot be of psq"),
				 errdetail("The PSQ reports ruptures; it has no score to follow over sessions.")));
	AL_CHECK(al_traj_check_instrument(t->kind, inst, t->points, t->npoints, &err), &err);
}

Datum
trajectory_in(PG_FUNCTION_ARGS)
{
	char	   *s = PG_GETARG_CSTRING(0);
	size_t		len = strlen(s);
	size_t		cap = al_traj_count_bound(s, len);
	size_t		n;
	AlPoint    *pts;
	AlKeyKind	kind;
	char		code[AL_TRAJ_CODE_LEN];
	AlError		err;
	Trajectory *t;

	if (cap > (size_t) TRAJ_MAX_POINTS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("trajectory text has too many points")));
	pts = palloc(cap * sizeof(AlPoint));
	AL_CHECK(al_traj_parse(s, len, &kind, code, pts, cap, &n, &err), &err);
	t = traj_alloc(kind, code, (int32) n);
	memcpy(t->points, pts, n * sizeof(AlPoint));
	pfree(pts);
	check_traj_instrument(t);
	PG_RETURN_POINTER(t);
}

Datum
trajectory_out(PG_FUNCTION_ARGS)
{
	Trajectory *t = getarg_traj(fcinfo, 0);
	char	   *buf = palloc(al_traj_format_bound(t->npoints));

	al_traj_format(t->kind, t->code, t->points, t->npoints, buf);
	PG_RETURN_CSTRING(buf);
}

/*
 * Binary form: version byte, kind byte, code length byte, code bytes,
 * int32 count, then count x (int64 key, float8 score).  Receive checks
 * everything text input checks.
 */
Datum
trajectory_send(PG_FUNCTION_ARGS)
{
	Trajectory *t = getarg_traj(fcinfo, 0);
	StringInfoData buf;
	int			cl = (int) strlen(t->code);

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, AL_TRAJ_VERSION);
	pq_sendbyte(&buf, t->kind);
	pq_sendbyte(&buf, cl);
	pq_sendbytes(&buf, t->code, cl);
	pq_sendint32(&buf, t->npoints);
	for (int32 i = 0; i < t->npoints; i++)
	{
		pq_sendint64(&buf, t->points[i].key);
		pq_sendfloat8(&buf, t->points[i].score);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

static void
recv_error(const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid external binary alliance.trajectory value"),
			 errdetail("%s", detail)));
}

Datum
trajectory_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			version,
				kind,
				cl;
	int32		n;
	char		code[AL_TRAJ_CODE_LEN];
	Trajectory *t;
	AlError		err;

	version = pq_getmsgbyte(buf);
	if (version != AL_TRAJ_VERSION)
		recv_error("Unknown format version.");
	kind = pq_getmsgbyte(buf);
	if (kind < AL_KEY_INT || kind > AL_KEY_TIMESTAMPTZ)
		recv_error("Unknown session key kind.");
	cl = pq_getmsgbyte(buf);
	if (cl > AL_SERIES_MAX_CODE)
		recv_error("Instrument code too long.");
	memcpy(code, pq_getmsgbytes(buf, cl), cl);
	code[cl] = '\0';
	if (strlen(code) != (size_t) cl)
		recv_error("NUL byte in the instrument code.");
	n = pq_getmsgint(buf, 4);
	if (n < 0 || n > TRAJ_MAX_POINTS || (Size) (buf->len - buf->cursor) != (Size) n * 16)
		recv_error("The point count does not match the data.");
	t = traj_alloc((AlKeyKind) kind, code, n);
	for (int32 i = 0; i < n; i++)
	{
		t->points[i].key = pq_getmsgint64(buf);
		t->points[i].score = pq_getmsgfloat8(buf);
	}
	pq_getmsgend(buf);
	AL_CHECK(al_traj_validate((AlKeyKind) kind, code, t->points, n, &err), &err);
	check_traj_instrument(t);
	PG_RETURN_POINTER(t);
}

/* ------------------------------------------------------ aggregate state */

typedef struct TrajState
{
	AlKeyKind	kind;
	AlDupPolicy policy;
	bool		sorted;			/* keys strictly increasing so far */
	char		code[AL_TRAJ_CODE_LEN];
	int32		n;
	int32		cap;
	AlPoint    *points;
} TrajState;

/* The argument types of the transition call, found once per query. */
typedef struct TransTypes
{
	Oid			keytype;
	Oid			scoretype;
	AlKeyKind	kind;
} TransTypes;

static MemoryContext
agg_context(FunctionCallInfo fcinfo, const char *fn)
{
	MemoryContext ctx;

	if (!AggCheckCallContext(fcinfo, &ctx))
		elog(ERROR, "%s called in non-aggregate context", fn);
	return ctx;
}

static TrajState *
state_new(MemoryContext ctx, AlKeyKind kind, AlDupPolicy policy, const char *code, int32 cap)
{
	TrajState  *st = MemoryContextAllocZero(ctx, sizeof(TrajState));

	st->kind = kind;
	st->policy = policy;
	st->sorted = true;
	if (code)
		strlcpy(st->code, code, AL_TRAJ_CODE_LEN);
	st->cap = Max(cap, 8);
	st->points = MemoryContextAlloc(ctx, st->cap * sizeof(AlPoint));
	return st;
}

static void
state_reserve(TrajState *st, int64 more)
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

static void
state_add(TrajState *st, int64 key, double score)
{
	state_reserve(st, 1);
	if (st->n > 0 && st->points[st->n - 1].key >= key)
		st->sorted = false;
	st->points[st->n].key = key;
	st->points[st->n].score = score;
	st->n++;
}

static void
state_check_same(const TrajState *st, AlKeyKind kind, const char *code, AlDupPolicy policy)
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

		AL_CHECK(al_dup_policy_parse(s, &p, &err), &err);
		pfree(s);
	}
	return p;
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
		switch (tt->keytype)
		{
			case INT2OID:
			case INT4OID:
			case INT8OID:
				tt->kind = AL_KEY_INT;
				break;
			case DATEOID:
				tt->kind = AL_KEY_DATE;
				break;
			case TIMESTAMPOID:
				tt->kind = AL_KEY_TIMESTAMP;
				break;
			case TIMESTAMPTZOID:
				tt->kind = AL_KEY_TIMESTAMPTZ;
				break;
			default:
				elog(ERROR, "trajectory: unsupported session type %u", tt->keytype);
		}
		fcinfo->flinfo->fn_extra = tt;
	}
	return tt;
}

static int64
key_from_datum(const TransTypes *tt, Datum d)
{
	switch (tt->keytype)
	{
		case INT2OID:
			return DatumGetInt16(d);
		case INT4OID:
			return DatumGetInt32(d);
		case INT8OID:
			return DatumGetInt64(d);
		case DATEOID:
			{
				DateADT		v = DatumGetDateADT(d);

				if (DATE_NOT_FINITE(v))
					ereport(ERROR,
							(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							 errmsg("session key must be a finite date")));
				return v;
			}
		default:
			{
				Timestamp	v = DatumGetTimestamp(d);

				if (TIMESTAMP_NOT_FINITE(v))
					ereport(ERROR,
							(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							 errmsg("session key must be a finite timestamp")));
				return v;
			}
	}
}

/*
 * The score of a row as a double, or false to skip the row (a response
 * with too many missing items has no score).  *code receives the
 * instrument of a response ("" for numbers).
 */
static bool
score_from_datum(const TransTypes *tt, Datum d, double *score, char *code)
{
	code[0] = '\0';
	if (tt->scoretype == NUMERICOID)
	{
		Numeric		num = DatumGetNumeric(d);

		if (numeric_is_nan(num) || numeric_is_inf(num))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("score must be a finite number")));
		*score = DatumGetFloat8(DirectFunctionCall1(numeric_float8, d));
	}
	else if (tt->scoretype == FLOAT8OID)
		*score = DatumGetFloat8(d);
	else
	{
		AlRational	r;
		const AlInstrument *inst;

		if (!alpg_response_score(d, &r, &inst))
			return false;
		*score = al_rat_to_double(r);
		strlcpy(code, inst->code, AL_TRAJ_CODE_LEN);
	}
	if (!isfinite(*score))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("score must be a finite number")));
	return true;
}

/* trajectory(session, score [, on_duplicate]) transition; not STRICT. */
Datum
trajectory_trans(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = agg_context(fcinfo, "trajectory_trans");
	TrajState  *st = PG_ARGISNULL(0) ? NULL : (TrajState *) PG_GETARG_POINTER(0);
	TransTypes *tt = trans_types(fcinfo);
	AlDupPolicy policy = read_policy(fcinfo, 3);
	char		code[AL_TRAJ_CODE_LEN];
	double		score;
	int64		key;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
	{
		if (st == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(st);
	}
	key = key_from_datum(tt, PG_GETARG_DATUM(1));
	if (!score_from_datum(tt, PG_GETARG_DATUM(2), &score, code))
	{
		if (st == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(st);
	}
	if (st == NULL)
		st = state_new(ctx, tt->kind, policy, code, 16);
	else
		state_check_same(st, tt->kind, code, policy);
	state_add(st, key, score);
	PG_RETURN_POINTER(st);
}

/* rollup(trajectory [, on_duplicate]) transition; not STRICT. */
Datum
trajectory_rollup_trans(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = agg_context(fcinfo, "trajectory_rollup_trans");
	TrajState  *st = PG_ARGISNULL(0) ? NULL : (TrajState *) PG_GETARG_POINTER(0);
	AlDupPolicy policy = read_policy(fcinfo, 2);
	Trajectory *t;

	if (PG_ARGISNULL(1))
	{
		if (st == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(st);
	}
	t = getarg_traj(fcinfo, 1);
	if (st == NULL)
		st = state_new(ctx, t->kind, policy, t->code, t->npoints);
	else
		state_check_same(st, t->kind, t->code, policy);
	state_reserve(st, t->npoints);
	if (t->npoints > 0 && st->n > 0 && st->points[st->n - 1].key >= t->points[0].key)
		st->sorted = false;
	memcpy(st->points + st->n, t->points, t->npoints * sizeof(AlPoint));
	st->n += t->npoints;
	PG_RETURN_POINTER(st);
}

Datum
trajectory_combine(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = agg_context(fcinfo, "trajectory_combine");
	TrajState  *a = PG_ARGISNULL(0) ? NULL : (TrajState *) PG_GETARG_POINTER(0);
	TrajState  *b = PG_ARGISNULL(1) ? NULL : (TrajState *) PG_GETARG_POINTER(1);

	if (b == NULL)
	{
		if (a == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(a);
	}
	if (a == NULL)
	{
		/* copy b into the aggregate context: it may live elsewhere */
		a = state_new(ctx, b->kind, b->policy, b->code, b->n);
		memcpy(a->points, b->points, b->n * sizeof(AlPoint));
		a->n = b->n;
		a->sorted = b->sorted;
		PG_RETURN_POINTER(a);
	}
	state_check_same(a, b->kind, b->code, b->policy);
	state_reserve(a, b->n);
	if (b->n > 0 && a->n > 0 && a->points[a->n - 1].key >= b->points[0].key)
		a->sorted = false;
	a->sorted = a->sorted && b->sorted;
	memcpy(a->points + a->n, b->points, b->n * sizeof(AlPoint));
	a->n += b->n;
	PG_RETURN_POINTER(a);
}

/*
 * Serial form of the state (parallel workers; never stored): version, kind,
 * policy, sorted flag, code, count, points, in network byte order.
 */
Datum
trajectory_serial(PG_FUNCTION_ARGS)
{
	TrajState  *st = (TrajState *) PG_GETARG_POINTER(0);
	StringInfoData buf;
	int			cl = (int) strlen(st->code);

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, STATE_SERIAL_VERSION);
	pq_sendbyte(&buf, st->kind);
	pq_sendbyte(&buf, st->policy);
	pq_sendbyte(&buf, st->sorted ? 1 : 0);
	pq_sendbyte(&buf, cl);
	pq_sendbytes(&buf, st->code, cl);
	pq_sendint32(&buf, st->n);
	for (int32 i = 0; i < st->n; i++)
	{
		pq_sendint64(&buf, st->points[i].key);
		pq_sendfloat8(&buf, st->points[i].score);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
trajectory_deserial(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = agg_context(fcinfo, "trajectory_deserial");
	bytea	   *b = PG_GETARG_BYTEA_PP(0);
	StringInfoData buf;
	int			kind,
				policy,
				sorted,
				cl;
	int32		n;
	char		code[AL_TRAJ_CODE_LEN];
	TrajState  *st;
	AlError		err;

	buf.data = VARDATA_ANY(b);
	buf.len = VARSIZE_ANY_EXHDR(b);
	buf.maxlen = buf.len;
	buf.cursor = 0;
	if (pq_getmsgbyte(&buf) != STATE_SERIAL_VERSION)
		elog(ERROR, "trajectory_deserial: unknown state version");
	kind = pq_getmsgbyte(&buf);
	policy = pq_getmsgbyte(&buf);
	sorted = pq_getmsgbyte(&buf);
	cl = pq_getmsgbyte(&buf);
	if (kind < AL_KEY_INT || kind > AL_KEY_TIMESTAMPTZ || policy < AL_DUP_ERROR ||
		policy > AL_DUP_MAX || sorted > 1 || cl > AL_SERIES_MAX_CODE)
		elog(ERROR, "trajectory_deserial: invalid state header");
	memcpy(code, pq_getmsgbytes(&buf, cl), cl);
	code[cl] = '\0';
	n = pq_getmsgint(&buf, 4);
	if (n < 0 || n > TRAJ_MAX_POINTS || (Size) (buf.len - buf.cursor) != (Size) n * 16)
		elog(ERROR, "trajectory_deserial: point count does not match the data");
	if (al_traj_validate((AlKeyKind) kind, code, NULL, 0, &err) != AL_OK)
		al_report(&err);
	st = state_new(ctx, (AlKeyKind) kind, (AlDupPolicy) policy, code, n);
	for (int32 i = 0; i < n; i++)
	{
		st->points[i].key = pq_getmsgint64(&buf);
		st->points[i].score = pq_getmsgfloat8(&buf);
		if (!al_key_valid(kind, st->points[i].key) || !isfinite(st->points[i].score))
			elog(ERROR, "trajectory_deserial: invalid point");
	}
	st->n = n;
	st->sorted = sorted;
	PG_RETURN_POINTER(st);
}

/* Final function: READ_ONLY.  Sorts and collapses a copy of the points. */
Datum
trajectory_final(PG_FUNCTION_ARGS)
{
	TrajState  *st;
	Trajectory *t;
	size_t		n;
	AlError		err;

	agg_context(fcinfo, "trajectory_final");
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = (TrajState *) PG_GETARG_POINTER(0);
	if (st->n == 0)
		PG_RETURN_NULL();
	t = traj_alloc(st->kind, st->code, st->n);
	memcpy(t->points, st->points, st->n * sizeof(AlPoint));
	n = st->n;
	if (!st->sorted)
	{
		CHECK_FOR_INTERRUPTS();
		al_points_sort(t->points, n);
		AL_CHECK(al_points_collapse(t->points, n, st->kind, st->policy, &n, &err), &err);
		if (n != (size_t) st->n)
		{
			t->npoints = (int32) n;
			SET_VARSIZE(t, TRAJ_SIZE(n));
		}
	}
	PG_RETURN_POINTER(t);
}

/* ------------------------------------------------------------ accessors */

/*
 * A score as numeric, shown with at least the instrument's decimals (an SRS
 * total 38 is 38.0, as scoring shows it); never rounded: a value with more
 * digits (a prorated total) keeps them.
 */
static Numeric
score_numeric(double v, int min_scale)
{
	Numeric		num = al_double_to_numeric(v);

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
	PG_RETURN_INT32(getarg_traj(fcinfo, 0)->npoints);
}

Datum
trajectory_first_score(PG_FUNCTION_ARGS)
{
	Trajectory *t = getarg_traj(fcinfo, 0);

	if (t->npoints == 0)
		PG_RETURN_NULL();
	PG_RETURN_NUMERIC(score_numeric(t->points[0].score, traj_min_scale(t)));
}

Datum
trajectory_last_score(PG_FUNCTION_ARGS)
{
	Trajectory *t = getarg_traj(fcinfo, 0);

	if (t->npoints == 0)
		PG_RETURN_NULL();
	PG_RETURN_NUMERIC(score_numeric(t->points[t->npoints - 1].score, traj_min_scale(t)));
}

Datum
trajectory_slope(PG_FUNCTION_ARGS)
{
	Trajectory *t = getarg_traj(fcinfo, 0);
	double		s;
	AlError		err;

	AL_CHECK(al_series_check_scores(t->points, t->npoints, &err), &err);
	if (!al_series_slope(t->kind, t->points, t->npoints, &s))
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
altraj_read_params(FunctionCallInfo fcinfo, int first, int nparams,
				   const AlInstrument *inst, bool prospective, AlSeriesParams *p)
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

					AL_CHECK(al_method_parse(m, &p->method, &err), &err);
					pfree(m);
					break;
				}
			case 9:
				p->repair_window = PG_GETARG_INT32(a);
				break;
			default:
				{
					double		v = al_numeric_param(PG_GETARG_NUMERIC(a), param_names[i]);

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
							p->eps = v;
							break;
					}
				}
		}
	}
	/* a response trajectory's instrument supplies the defaults */
	if (inst != NULL)
	{
		if (!p->has_sd && inst->has_norm_sd)
			p->has_sd = true, p->sd = inst->norm_sd;
		if (!p->has_reliability && inst->has_norm_reliability)
			p->has_reliability = true, p->reliability = inst->norm_reliability;
		if (inst->has_rc_points)
			p->has_rc_points = true, p->rc_points = al_instrument_rc_points(inst);
		if (!p->has_cutoff && inst->has_cutoff)
			p->has_cutoff = true, p->cutoff = al_instrument_cutoff(inst);
	}
	AL_CHECK(al_series_params_check(p, prospective, &err), &err);
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
	t = getarg_traj(fcinfo, 0);
	traj_params(fcinfo, t, &p);
	scratch = palloc(Max(t->npoints, 1) * sizeof(AlRupture));
	AL_CHECK(al_series_status(t->kind, t->points, t->npoints, &p, scratch, &status, &err), &err);
	pfree(scratch);
	PG_RETURN_TEXT_P(cstring_to_text(al_traj_status_name(status)));
}

/* A key as at_session (int keys) or at_time (time keys, as UTC instants). */
static void
key_columns(AlKeyKind kind, int64 key, Datum *session, bool *session_null,
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
	t = getarg_traj(fcinfo, 0);
	traj_params(fcinfo, t, &p);
	r = palloc(Max(t->npoints, 1) * sizeof(AlRupture));
	AL_CHECK(al_series_ruptures(t->points, t->npoints, &p, r, &nr, &err), &err);
	min_scale = traj_min_scale(t);
	for (size_t i = 0; i < nr; i++)
	{
		Datum		values[11];
		bool		nulls[11];

		CHECK_FOR_INTERRUPTS();
		memset(nulls, 0, sizeof(nulls));
		values[0] = Int32GetDatum(r[i].seq);
		key_columns(t->kind, r[i].key, &values[1], &nulls[1], &values[2], &nulls[2]);
		values[3] = NumericGetDatum(score_numeric(r[i].previous_score, min_scale));
		values[4] = NumericGetDatum(score_numeric(r[i].score, min_scale));
		/* the difference of the shown scores: 9.1 - 8.4 is 0.7, not 0.699999999999999 */
		values[5] = DirectFunctionCall2(numeric_sub, values[3], values[4]);
		values[6] = NumericGetDatum(score_numeric(r[i].threshold, min_scale));
		if (r[i].repaired_seq > 0)
		{
			values[7] = Int32GetDatum(r[i].repaired_seq);
			key_columns(t->kind, r[i].repaired_key, &values[8], &nulls[8], &values[9], &nulls[9]);
		}
		else
			nulls[7] = nulls[8] = nulls[9] = true;
		values[10] = PointerGetDatum(cstring_to_text(al_repair_state_name(r[i].state)));
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	pfree(r);
	return (Datum) 0;
}
