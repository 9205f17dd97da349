/*
 * trajectory.h — the alliance.trajectory datum and what the skin's
 * trajectory files share.
 *
 * A trajectory is a client's series: one score per session key, sorted by
 * key, plus the key kind and, for a trajectory built from responses, the
 * instrument code (its cut-off and norms become the accessors' defaults).
 * The series analysis itself is src/core/series.c.
 */
#ifndef ALPG_TRAJECTORY_H
#define ALPG_TRAJECTORY_H

#include "pg_compat.h"
#include "fmgr.h"

#include "series.h"

#define ALPG_TRAJ_VERSION 1
#define ALPG_TRAJ_CODE_LEN (AL_SERIES_MAX_CODE + 1)

/*
 * On-disk layout (ALIGNMENT = double).  Points are strictly increasing by
 * key; every constructor (aggregate, input, receive) guarantees it.
 */
typedef struct Trajectory
{
	int32		vl_len_;		/* varlena header (do not touch directly!) */
	uint8		version;		/* ALPG_TRAJ_VERSION: format version */
	uint8		kind;			/* AlKeyKind */
	uint16		reserved;		/* reserved for future use, always zero */
	int32		npoints;
	char		code[ALPG_TRAJ_CODE_LEN]; /* instrument code, NUL-padded; "" = numeric */
	AlPoint		points[FLEXIBLE_ARRAY_MEMBER];
} Trajectory;

#define TRAJ_HDRSZ			offsetof(Trajectory, points)
#define TRAJ_SIZE(n)		(TRAJ_HDRSZ + (Size) (n) * sizeof(AlPoint))
/*
 * At most ten million sessions: the text form (up to 74 bytes a point, see
 * al_traj_format_bound) must fit in one allocation, or a stored trajectory
 * could not be printed, dumped or returned through postgres_fdw.
 */
#define TRAJ_MAX_POINTS		((int32) 10000000)

#define DatumGetTrajectoryP(x)	((Trajectory *) PG_DETOAST_DATUM(x))
#define PG_GETARG_TRAJECTORY_P(n) DatumGetTrajectoryP(PG_GETARG_DATUM(n))

/* The datum (trajectory_io.c): allocate n points, check a detoasted header, fetch and check an argument. */
Trajectory *altraj_alloc(AlKeyKind kind, const char *code, int32 n);
void		altraj_check(const Trajectory *t);
Trajectory *altraj_getarg(FunctionCallInfo fcinfo, int n);

/*
 * A row's session key and score, for the aggregate and the alert alike
 * (trajectory_io.c): keys of every integer, date and time type, finite;
 * scores from numeric, double precision or a response (false: a response
 * with too many missing items has no score; *inst is its instrument, NULL
 * for numbers).
 */
struct AlInstrument;
int64		alpg_traj_key(Oid type, Datum d);
bool		alpg_traj_score(Oid type, Datum d, double *score, const struct AlInstrument **inst);

/*
 * Read the optional rule parameters of ruptures()/status()/rupture_alert(),
 * which come in this order from argument first on:
 *   method, k, reference_sd, sd, reliability, points, cutoff,
 *   c1, pct, repair_window, eps
 * nparams says how many of them the function has (7 for the alert, 11 for
 * the accessors).  An instrument (or NULL) supplies the defaults of
 * sd, reliability and cutoff.  Parameters are checked (22023) on return.
 */
struct AlInstrument;
void		altraj_read_raw_params(FunctionCallInfo fcinfo, int first, int nparams, AlSeriesParams *p);
void		altraj_apply_instrument_defaults(AlSeriesParams *p, const struct AlInstrument *inst);
void		altraj_read_params(FunctionCallInfo fcinfo, int first, int nparams,
							   const struct AlInstrument *inst, bool prospective,
							   AlSeriesParams *p);

/*
 * The trajectory aggregates' state (trajectory_agg.c), shared with the dyad
 * aggregate: the rows seen (key, score) in the aggregate memory context,
 * with a flag saying whether the keys arrived strictly increasing.
 * Duplicates are resolved only when finishing, over a sorted copy.
 */
typedef struct TrajState
{
	AlKeyKind	kind;
	AlDupPolicy policy;
	bool		sorted;			/* keys strictly increasing so far */
	char		code[ALPG_TRAJ_CODE_LEN];
	int32		n;
	int32		cap;
	AlPoint    *points;
} TrajState;

struct StringInfoData;
TrajState  *alpg_trajstate_new(MemoryContext ctx, AlKeyKind kind, AlDupPolicy policy,
							   const char *code, int32 cap);
void		alpg_trajstate_add(TrajState *st, int64 key, double score);
/* 22023 when kind, instrument code or duplicate policy differ */
void		alpg_trajstate_check_same(const TrajState *st, AlKeyKind kind, const char *code,
									  AlDupPolicy policy);
TrajState  *alpg_trajstate_merge(MemoryContext ctx, TrajState *a, const TrajState *b);
void		alpg_trajstate_send(struct StringInfoData *buf, const TrajState *st);
TrajState  *alpg_trajstate_recv(struct StringInfoData *buf, MemoryContext ctx);
Trajectory *alpg_trajstate_finish(const TrajState *st, const char *code);

/* The aggregate memory context; a can't-happen error outside an aggregate. */
MemoryContext alpg_agg_context(FunctionCallInfo fcinfo, const char *fn);

/*
 * One rater's value on the scale two raters are compared on (dyad_agg.c):
 * POMP for a scored response, the report (1/0) for a PSQ, a number as it
 * is; *code the instrument ("" for a number); false when not rated.
 */
bool		alpg_rating_value(Oid type, Datum d, double *value, const char **code);

/* The session key kind of a key type (integer, date, timestamp types); 42804 otherwise. */
AlKeyKind	alpg_traj_key_kind(Oid keytype);

/* A key as ruptures() shows it: at_session for integer keys, at_time otherwise. */
void		altraj_key_columns(AlKeyKind kind, int64 key, Datum *session, bool *session_null,
							   Datum *time, bool *time_null);

/* The instrument of a trajectory's code, or NULL (numeric, or not defined here). */
const struct AlInstrument *altraj_instrument(const char *code);

#endif
