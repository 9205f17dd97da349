/*
 * trajectory_io.c — the alliance.trajectory datum: allocation, header
 * checks, and its text and binary I/O, which validate exactly alike (keys,
 * scores, and the named instrument's range).  The text form is a wire format:
 * postgres_fdw returns pushed-down aggregates as text.
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

PG_FUNCTION_INFO_V1(trajectory_in);
PG_FUNCTION_INFO_V1(trajectory_out);
PG_FUNCTION_INFO_V1(trajectory_recv);
PG_FUNCTION_INFO_V1(trajectory_send);

/* ------------------------------------------------------------ the datum */

Trajectory *
altraj_alloc(AlKeyKind kind, const char *code, int32 n)
{
	Trajectory *t;

	if (n < 0 || n > TRAJ_MAX_POINTS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("trajectory has too many sessions (%d; at most %d)", n, TRAJ_MAX_POINTS)));
	t = palloc0(TRAJ_SIZE(n));
	SET_VARSIZE(t, TRAJ_SIZE(n));
	t->version = ALPG_TRAJ_VERSION;
	t->kind = (uint8) kind;
	t->npoints = n;
	if (code)
		strlcpy(t->code, code, ALPG_TRAJ_CODE_LEN);
	return t;
}

/* Checks a detoasted datum's header (a damaged or foreign value). */
void
altraj_check(const Trajectory *t)
{
	if (t->version != ALPG_TRAJ_VERSION || t->reserved != 0 ||
		t->kind < AL_KEY_INT || t->kind > AL_KEY_TIMESTAMPTZ ||
		t->npoints < 0 || VARSIZE(t) != TRAJ_SIZE(t->npoints))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("invalid alliance.trajectory value"),
				 errdetail("Format version %d, kind %d, %d points in %u bytes.",
						   t->version, t->kind, t->npoints, (unsigned) VARSIZE(t))));
}

Trajectory *
altraj_getarg(FunctionCallInfo fcinfo, int n)
{
	Trajectory *t = PG_GETARG_TRAJECTORY_P(n);

	altraj_check(t);
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
	ALPG_CHECK(al_traj_check_instrument(t->kind, inst, t->points, t->npoints, &err), &err);
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
	char		code[ALPG_TRAJ_CODE_LEN];
	AlError		err;
	Trajectory *t;

	if (cap > (size_t) TRAJ_MAX_POINTS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("trajectory text has too many points")));
	pts = palloc(cap * sizeof(AlPoint));
	ALPG_CHECK(al_traj_parse(s, len, &kind, code, pts, cap, &n, &err), &err);
	t = altraj_alloc(kind, code, (int32) n);
	memcpy(t->points, pts, n * sizeof(AlPoint));
	pfree(pts);
	check_traj_instrument(t);
	PG_RETURN_POINTER(t);
}

Datum
trajectory_out(PG_FUNCTION_ARGS)
{
	Trajectory *t = altraj_getarg(fcinfo, 0);
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
	Trajectory *t = altraj_getarg(fcinfo, 0);
	size_t		len = al_traj_binary_size(strlen(t->code), (size_t) t->npoints);
	bytea	   *out = palloc(VARHDRSZ + len);

	SET_VARSIZE(out, VARHDRSZ + len);
	al_traj_binary_encode((AlKeyKind) t->kind, t->code, t->points, (size_t) t->npoints,
						  (uint8_t *) VARDATA(out));
	PG_RETURN_BYTEA_P(out);
}

static void
recv_error(const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid external binary alliance.trajectory value"),
			 errdetail("%s", detail)));
}

/* The binary form is the core's (al_traj_binary_*): read, then validated as text input is. */
Datum
trajectory_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	const uint8_t *data = (const uint8_t *) buf->data + buf->cursor;
	size_t		len = (size_t) (buf->len - buf->cursor);
	AlKeyKind	kind;
	char		code[ALPG_TRAJ_CODE_LEN];
	size_t		n;
	Trajectory *t;
	AlError		err;

	if (al_traj_binary_header(data, len, (size_t) TRAJ_MAX_POINTS, &kind, code, &n, &err) != AL_OK)
		recv_error(err.message);
	t = altraj_alloc(kind, code, (int32) n);
	al_traj_binary_points(data, len, t->points, n);
	buf->cursor = buf->len;
	ALPG_CHECK(al_traj_validate(kind, code, t->points, n, &err), &err);
	check_traj_instrument(t);
	PG_RETURN_POINTER(t);
}

/* ------------------------------------------------ a row's session and score */

int64
alpg_traj_key(Oid type, Datum d)
{
	switch (type)
	{
		case INT2OID:
			return DatumGetInt16(d);
		case INT4OID:
			return DatumGetInt32(d);
		case INT8OID:
			return DatumGetInt64(d);
		case DATEOID:
			if (DATE_NOT_FINITE(DatumGetDateADT(d)))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("session key must be a finite date")));
			return DatumGetDateADT(d);
		case TIMESTAMPOID:
		case TIMESTAMPTZOID:
			if (TIMESTAMP_NOT_FINITE(DatumGetTimestamp(d)))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("session key must be a finite timestamp")));
			return DatumGetTimestamp(d);
		default:
			elog(ERROR, "alliance: unsupported session type %u", type);
	}
	return 0;
}

bool
alpg_traj_score(Oid type, Datum d, double *score, const AlInstrument **inst)
{
	*inst = NULL;
	if (type == NUMERICOID)
	{
		Numeric		num = DatumGetNumeric(d);

		if (numeric_is_nan(num) || numeric_is_inf(num))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("score must be a finite number")));
		*score = DatumGetFloat8(DirectFunctionCall1(numeric_float8, d));
	}
	else if (type == FLOAT8OID)
		*score = DatumGetFloat8(d);
	else
	{
		AlRational	r;

		if (!alpg_response_score(d, &r, inst))
			return false;
		*score = al_rat_to_double(r);
	}
	if (!isfinite(*score))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("score must be a finite number")));
	return true;
}
