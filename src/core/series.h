/*
 * series.h — a client's series of scores: ruptures, repairs and trends.
 *
 * A series is a set of points (int64 key, double score).  The key is a
 * session number, or a date or timestamp in PostgreSQL's own representation
 * (days, or microseconds, since 2000-01-01), so the skin converts nothing.
 * Every rule counts POSITIONS in the series sorted by key, never key values:
 * a gap in session numbers or dates is ignored.  The rules are those of
 * doc/trajectory.md and doc/instruments.md, "Ruptures".
 *
 * Like the rest of the core this file does not allocate: callers pass the
 * buffers (the size each function needs is documented beside it).
 *
 * The text form of a trajectory (the wire format of the SQL type, and what
 * postgres_fdw ships back as text) is defined here too, so that the parser
 * can be fuzzed without a server:
 *
 *     kind[:code]{key=score,key=score,...}
 *
 *   kind   int | date | timestamp | timestamptz
 *   code   the instrument code of a response trajectory (lower case), if any
 *   key    int: a signed integer; date: YYYY-MM-DD; timestamp:
 *          YYYY-MM-DDTHH:MM:SS[.ffffff]; timestamptz: the same in UTC with a
 *          trailing Z.  Years outside 0000..9999 are written with a sign and
 *          at least five digits (ISO 8601 expanded, astronomical numbering:
 *          year 0 is 1 BC).
 *   score  a finite double, printed with the fewest of 15, 16 or 17
 *          significant digits that read back to the same double.
 *
 * Keys are strictly increasing in the text form (sorted, no duplicates), so
 * the form is canonical: equal trajectories print equal text.
 */
#ifndef AL_SERIES_H
#define AL_SERIES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "al_status.h"

/* Kind of session key.  Part of the on-disk format: never renumber. */
typedef enum AlKeyKind
{
	AL_KEY_INT = 1,				/* session number */
	AL_KEY_DATE = 2,			/* days since 2000-01-01 */
	AL_KEY_TIMESTAMP = 3,		/* microseconds since 2000-01-01 00:00, read as UTC */
	AL_KEY_TIMESTAMPTZ = 4		/* microseconds since 2000-01-01 00:00 UTC */
} AlKeyKind;

typedef struct AlPoint
{
	int64_t		key;
	double		score;
} AlPoint;

/* What to do with two scores for one key. */
typedef enum AlDupPolicy
{
	AL_DUP_ERROR = 0,
	AL_DUP_MEAN = 1,
	AL_DUP_MIN = 2,
	AL_DUP_MAX = 3
} AlDupPolicy;

typedef enum AlMethod
{
	AL_METHOD_STILES = 0,
	AL_METHOD_STRAUSS,
	AL_METHOD_RCI,
	AL_METHOD_SUDDEN,
	AL_METHOD_DROP,
	AL_METHOD_CUTOFF,
	AL_METHOD_LEVEL				/* the default: a drop below the client's recent level */
} AlMethod;

#define AL_METHOD_LAST AL_METHOD_LEVEL

/*
 * The default rule (method level), doc/trajectory.md "The default rule": a
 * session is a rupture when it lies at least AL_LEVEL_K error SDs below the
 * mean of the AL_LEVEL_WINDOW sessions before it; it needs that many earlier
 * sessions.  The error SD of a score is sd * sqrt(1 - reliability), the
 * instrument's (or the clinic's calibrated) norms.  k 3 keeps false alarms
 * at or below 5 % of clients over 20 sessions on the benchmark of
 * bench/signal (the table in doc/trajectory.md).
 */
#define AL_LEVEL_WINDOW 3
#define AL_LEVEL_K 3.0

typedef enum AlRepairState
{
	AL_REPAIRED = 0,
	AL_UNREPAIRED,
	AL_OPEN
} AlRepairState;

typedef enum AlTrajStatus
{
	AL_STATUS_OPEN_RUPTURE = 0,
	AL_STATUS_REPAIRED,
	AL_STATUS_IMPROVING,
	AL_STATUS_DECLINING,
	AL_STATUS_STABLE
} AlTrajStatus;

#define AL_SERIES_MAX_POINTS	100000000	/* 1.6 GB of points: past any real series */
#define AL_SERIES_MAX_CODE		31
#define AL_TIE_TOLERANCE		1e-9

/*
 * Parameters of the rupture rules, as the caller gives them.  has_* says
 * whether a value was given; al_series_params_init() sets the defaults of
 * the contract (method level, pct 0.25, repair_window 3; eps: one error SD
 * for level, 0 for the other methods, al_series_eps).
 */
typedef struct AlSeriesParams
{
	AlMethod	method;
	bool		has_k;
	double		k;
	bool		has_reference_sd;
	double		reference_sd;
	bool		has_sd;
	double		sd;
	bool		has_reliability;
	double		reliability;
	bool		has_points;
	double		points;
	bool		has_cutoff;
	double		cutoff;
	bool		has_c1;
	double		c1;
	/* an instrument's reliable-change points (ORS: 5), used by rci and as
	 * sudden's c1 when sd and reliability are not both given */
	bool		has_rc_points;
	double		rc_points;
	/* sd or reliability came from the instrument's norms, not the caller: for
	 * rci and sudden the points rule then comes first, as in reliable_change */
	bool		sd_from_norms;
	bool		has_pct;		/* false: criterion 2 disabled */
	double		pct;
	int			repair_window;
	bool		has_eps;
	double		eps;
} AlSeriesParams;

/* One detected rupture.  seq and repaired_seq are 1-based positions. */
typedef struct AlRupture
{
	int			seq;
	int64_t		key;
	double		previous_score;	/* what the drop is from: the previous score; for
								 * level, the mean of the sessions before */
	double		score;
	double		drop;
	double		threshold;		/* the drop threshold; the cut-off for method cutoff */
	int			repaired_seq;	/* 0 when not repaired */
	int64_t		repaired_key;
	AlRepairState state;
} AlRupture;

/* ---- names ---- */
const char *al_key_kind_name(AlKeyKind kind);
AlStatus	al_key_kind_parse(const char *s, size_t len, AlKeyKind *out, AlError *err);
AlStatus	al_dup_policy_parse(const char *s, AlDupPolicy *out, AlError *err);
const char *al_dup_policy_name(AlDupPolicy p);
AlStatus	al_method_parse(const char *s, AlMethod *out, AlError *err);
const char *al_method_name(AlMethod m);
const char *al_repair_state_name(AlRepairState s);
const char *al_traj_status_name(AlTrajStatus s);

/* ---- keys ---- */
/* Is key a valid value of its kind (PostgreSQL's finite range)? */
bool		al_key_valid(AlKeyKind kind, int64_t key);
/* Writes the key's text (see above) into buf; returns its length (< 40). */
int			al_key_format(AlKeyKind kind, int64_t key, char *buf, size_t cap);
AlStatus	al_key_parse(AlKeyKind kind, const char *s, size_t len, int64_t *out, AlError *err);
/* The key as an abscissa: session number, or days for date and time keys. */
double		al_key_to_x(AlKeyKind kind, int64_t key);
/* (b - a) in abscissa units, computed without losing the low digits. */
double		al_key_span(AlKeyKind kind, int64_t a, int64_t b);

/* ---- scores ---- */
/* The fewest of 15/16/17 significant digits that read back exactly; returns length (< 32). */
int			al_score_format(double v, char *buf, size_t cap);

/* ---- points ---- */
/* Sort by (key, score). */
void		al_points_sort(AlPoint *p, size_t n);
/* Are keys strictly increasing? */
bool		al_points_strictly_sorted(const AlPoint *p, size_t n);

/*
 * Collapse equal keys of sorted points in place under policy; *nout is the
 * new count.  The mean is summed over the sorted scores, so it does not
 * depend on the order in which rows arrived.  AL_DUP_ERROR fails with
 * AL_ERR_PARAM naming the key.
 */
AlStatus	al_points_collapse(AlPoint *p, size_t n, AlKeyKind kind, AlDupPolicy policy,
							   size_t *nout, AlError *err);

/* Check a whole trajectory as read from outside (text, binary). */
AlStatus	al_traj_validate(AlKeyKind kind, const char *code, const AlPoint *p, size_t n,
							 AlError *err);

/*
 * The scores of a trajectory of inst (its code) must be scores inst can
 * give: between its lowest and highest possible total (or mean, for a
 * mean-scored instrument).  AL_ERR_RANGE naming the session otherwise.  The
 * one rule for text input, binary input and anything else that builds a
 * trajectory from outside.
 */
struct AlInstrument;
AlStatus	al_traj_check_instrument(AlKeyKind kind, const struct AlInstrument *inst,
									 const AlPoint *p, size_t n, AlError *err);

/* ---- text form ---- */
/* Bytes al_traj_format needs for n points, NUL included (an upper bound). */
size_t		al_traj_format_bound(size_t n);
/* Writes the text form; returns its length. buf must hold al_traj_format_bound(n). */
size_t		al_traj_format(AlKeyKind kind, const char *code, const AlPoint *p, size_t n,
						   char *buf);
/* An upper bound on the number of points in a text form (to size the buffer). */
size_t		al_traj_count_bound(const char *s, size_t len);

/*
 * Parses a text form of len bytes.  code must hold AL_SERIES_MAX_CODE + 1
 * bytes (set to "" when there is none); pts must hold
 * al_traj_count_bound(s, len) points.  Validates fully (al_traj_validate).
 */
AlStatus	al_traj_parse(const char *s, size_t len, AlKeyKind *kind, char *code,
						  AlPoint *pts, size_t cap, size_t *n, AlError *err);

/* ---- binary form (send/recv: drivers, COPY BINARY) ----
 * version byte (1), kind byte, code length byte, code bytes, int32 point
 * count, then per point an int64 key and a float8 score, all big-endian.
 */
#define AL_TRAJ_BINARY_VERSION 1
/* Bytes of the binary form of n points with a code of cl bytes. */
size_t		al_traj_binary_size(size_t cl, size_t n);
/* Writes the binary form into buf (al_traj_binary_size bytes). */
void		al_traj_binary_encode(AlKeyKind kind, const char *code, const AlPoint *p, size_t n,
								  uint8_t *buf);

/*
 * Reads the header of a binary form of len bytes: kind, code (AL_SERIES_MAX_CODE
 * + 1 bytes), point count, checking that exactly that many points follow and
 * that n <= max_points.  AL_ERR_SYNTAX with the reason otherwise.  Then
 * al_traj_binary_points reads the points (validate them with al_traj_validate).
 */
AlStatus	al_traj_binary_header(const uint8_t *buf, size_t len, size_t max_points,
								  AlKeyKind *kind, char *code, size_t *n, AlError *err);
void		al_traj_binary_points(const uint8_t *buf, size_t len, AlPoint *p, size_t n);

/* ---- statistics ---- */

/*
 * The largest score magnitude the analysis takes (ruptures, status, slope,
 * the alert, charts).  Trajectories store any finite double, but squared
 * differences of scores beyond ~1e154 overflow a double, and an overflowed
 * SD silently hides every rupture.  1e150 leaves room for sums over the
 * 10 million points a trajectory may hold.  Beyond it: AL_ERR_RANGE (22003).
 */
#define AL_SERIES_MAX_ABS 1e150
AlStatus	al_series_check_score(double score, AlError *err);
AlStatus	al_series_check_scores(const AlPoint *p, size_t n, AlError *err);

double		al_series_mean(const AlPoint *p, size_t n);
/* Sample SD (n - 1), two passes; 0 when n < 2. */
double		al_series_sd(const AlPoint *p, size_t n);
/*
 * OLS slope of score on al_key_to_x, as regr_slope; false when undefined
 * (n < 2).  Scores must pass al_series_check_scores.
 */
bool		al_series_slope(AlKeyKind kind, const AlPoint *p, size_t n, double *slope);

/* a >= b, allowing for rounding: ties at a threshold are ruptures. */
bool		al_tie_ge(double a, double b);

/* ---- rupture rules ---- */
void		al_series_params_init(AlSeriesParams *p);

/*
 * Checks parameters (22023-style AL_ERR_PARAM naming the parameter): values
 * out of range, and values the method needs but lacks.  prospective: the
 * alert, which judges a row from earlier rows only (no sudden loss there).
 */
AlStatus	al_series_params_check(const AlSeriesParams *p, bool prospective, AlError *err);

/* The reference SD of a series: max(within SD, reference_sd). */
double		al_series_sref(const AlSeriesParams *p, const AlPoint *pts, size_t n);

/*
 * The drop threshold of SD-, RCI- and points-based methods given s_ref
 * (for cutoff: the cut-off; for sudden: c1).  Parameters must be checked.
 */
double		al_series_threshold(const AlSeriesParams *p, double sref);

/*
 * The error SD of one score, sd * sqrt(1 - reliability) (the standard error
 * of measurement of Jacobson & Truax 1991 with a session-to-session
 * reliability): false when sd or reliability is missing.
 */
bool		al_series_error_sd(const AlSeriesParams *p, double *e);

/* The repair tolerance: eps when given, else one error SD for level, else 0. */
double		al_series_eps(const AlSeriesParams *p);

/* Does the method use the series' SD (stiles, strauss)? */
bool		al_method_uses_sd(AlMethod m);

/*
 * One step of a non-sudden rule: is (prev -> cur) a rupture with threshold?
 * Every method needs a positive drop.
 */
bool		al_step_is_rupture(AlMethod m, double threshold, double prev, double cur);

/*
 * Retrospective ruptures of a sorted series (strictly increasing keys).
 * out must hold n entries (at most n - 1 are written).  Parameters are
 * checked here.
 */
AlStatus	al_series_ruptures(const AlPoint *p, size_t n, const AlSeriesParams *params,
							   AlRupture *out, size_t *nout, AlError *err);

/* Status of a sorted series; scratch must hold n ruptures. */
AlStatus	al_series_status(AlKeyKind kind, const AlPoint *p, size_t n,
							 const AlSeriesParams *params, AlRupture *scratch,
							 AlTrajStatus *out, AlError *err);

/*
 * Where a client stands at the latest session, apart from the history that
 * status and ruptures describe (doc/trajectory.md, "current"):
 *   open_rupture       the latest rupture is unrepaired or open: since its
 *                      session, for `sessions` sessions (it included);
 *   repaired_recently  the latest rupture was repaired within the last
 *                      repair_window sessions: since the repairing session;
 *   below_cutoff       the latest score is below the cut-off: since the
 *                      first session of that run below it;
 *   declining, improving, stable: status's trend rule over the series.
 * Ruptures are al_series_ruptures' (the same parameters), so current()
 * always agrees with ruptures() on the same data.
 */
typedef enum AlCurrentState
{
	AL_CURRENT_OPEN_RUPTURE = 0,
	AL_CURRENT_REPAIRED_RECENTLY,
	AL_CURRENT_BELOW_CUTOFF,
	AL_CURRENT_DECLINING,
	AL_CURRENT_IMPROVING,
	AL_CURRENT_STABLE
} AlCurrentState;

typedef struct AlCurrent
{
	AlCurrentState state;
	int			since_seq;		/* 1-based position the state began at */
	int64_t		since_key;
	int			sessions;		/* sessions in the state, the latest included */
	int			below_cutoff;	/* the latest score below the cut-off: 1, 0, or -1 (no cut-off) */
} AlCurrent;

const char *al_current_state_name(AlCurrentState s);

/* The current state of a sorted series of n >= 1 points; scratch must hold n ruptures. */
AlStatus	al_series_current(AlKeyKind kind, const AlPoint *p, size_t n,
							  const AlSeriesParams *params, AlRupture *scratch,
							  AlCurrent *out, AlError *err);

/* Critical t of the sudden-loss criterion 3 by df = n_pre + n_post - 2 (2..4); 0 otherwise. */
double		al_sudden_tcrit(int df);

/*
 * The level rule, one session at a time (level.c): the one definition used
 * by ruptures() (and so status, current and the reports) and by the
 * prospective alert.  Two criteria:
 *   - a session at least k error SDs below the level (the mean of the
 *     AL_LEVEL_WINDOW sessions before it);
 *   - a sustained drop: a session and the next both at least
 *     AL_LEVEL_SUSTAINED_SHARE of that threshold below the first one's level
 *     (the rupture is the first session's; the second confirms it).
 * A candidate drop is not a new rupture while an earlier rupture whose
 * session is within the window has not come back to its level - eps: the
 * sessions of one drop are one rupture.
 */
/*
 * 0.85 (2.55 error SDs at k 3): the most sensitive share at which false
 * alarms after calibration stay at about 5 % on the benchmark (bench/signal;
 * 2/3 and 0.75 gave 6-7 %); it finds 51-71 % of drops of 3 error SDs held
 * over two sessions, against 44-51 % without the criterion.
 */
#define AL_LEVEL_SUSTAINED_SHARE 0.85

typedef struct AlLevelTrack
{
	int64_t		n;				/* scores added */
	double		last[AL_LEVEL_WINDOW];	/* the latest scores, last[(n - 1) % W] newest */
	bool		open;			/* the latest rupture has not come back yet */
	int64_t		open_pos;		/* its 0-based position */
	double		open_level;		/* its level */
	bool		pending;		/* the latest score may begin a sustained drop */
	double		pending_level;	/* its level */
} AlLevelTrack;

/* What the next score tells. */
typedef struct AlLevelStep
{
	int			decision;		/* 1 a rupture is known now, 0 none, -1 nothing to judge yet */
	bool		at_previous;	/* the rupture is the previous session's (a sustained drop) */
	double		level;			/* the rupture session's level */
	double		score;			/* the rupture session's score */
	double		threshold;		/* the threshold it passed (or this session's, when none) */
	bool		may_sustain;	/* this score may begin a sustained drop */
} AlLevelStep;

void		al_level_init(AlLevelTrack *t);

/* The single-session threshold (points, or k times the error SD), and the sustained one. */
double		al_level_threshold(const AlSeriesParams *p);
double		al_level_sustained_threshold(const AlSeriesParams *p);

/* Judges score x, the next one (position t->n), from the earlier ones only. */
void		al_level_step(const AlLevelTrack *t, const AlSeriesParams *p, double x, AlLevelStep *s);

/* Adds x after al_level_step. */
void		al_level_add(AlLevelTrack *t, const AlSeriesParams *p, double x, const AlLevelStep *s);

/* The level rule over a sorted series; out must hold n entries.  Parameters checked by the caller. */
size_t		al_level_ruptures(const AlPoint *p, size_t n, const AlSeriesParams *params,
							  AlRupture *out);

/* prev - cur >= threshold, ties (and the rounding of large scores) included */
bool		al_drop_ge(double prev, double cur, double threshold);

/* The repair of a rupture at 0-based t from level prev (repair_window, eps). */
void		al_find_repair(const AlPoint *p, size_t n, size_t t, double prev,
						   const AlSeriesParams *params, AlRupture *r);

/*
 * Running mean and SD for the prospective alert (Welford's update; its
 * rounding is far inside AL_TIE_TOLERANCE for any series of alliance scores).
 */
typedef struct AlRunning
{
	int64_t		n;
	double		mean;
	double		m2;
} AlRunning;

void		al_running_init(AlRunning *r);
void		al_running_add(AlRunning *r, double x);
double		al_running_sd(const AlRunning *r);	/* n - 1; 0 when n < 2 */

/*
 * The prospective decision for the current row from the rows strictly before
 * it: history holds their count and SD, prev the last of them, level the
 * level rule's track of them.  Returns 1 (rupture), 0 (no rupture) or -1
 * (not enough history: no earlier row, an SD method with fewer than 3
 * earlier rows and no reference SD, or level with fewer than 3).  For level,
 * 1 also when this row confirms a sustained drop that began at the row
 * before (ruptures() reports that rupture at the row before).
 */
int			al_alert_decide(const AlSeriesParams *p, const AlRunning *history,
							const AlLevelTrack *level, double prev, double cur);

#endif
