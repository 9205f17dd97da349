/*
 * stats.h — mergeable, exact sufficient statistics for the clinic reporting
 * aggregates: summary(response), alpha(response [, subscale]), norms(response).
 *
 * Everything is an exact integer.  An item answer is an int64 count of
 * 10^-decimals units (instrument.h), so a keyed sum S and its square S^2
 * are exact, and so are sums of them over any number of responses (128-bit,
 * with an overflow check).  Merging two states is plain addition: the result
 * does not depend on how rows were split between parallel workers,
 * partitions or shards.
 *
 * Summary.  A scored response contributes its instrument score
 *     x = S * K / (a * 10^d)
 * where S is the keyed sum of its a answered items, d the decimals and
 * K = N (the score is the total, prorated as mean(answered) x N) or K = 1
 * (the score is the mean).  Responses are kept in classes by a (from the
 * smallest count the missing-item rule scores, amin, up to N), each class
 * holding count, sum S and sum S^2.  So the exact sum and sum of squares of
 * the scores are rational numbers with denominators dividing lcm(a) * 10^d;
 * the PostgreSQL skin finishes them with numeric arithmetic (one division,
 * like avg and stddev_samp), and al_stats_summary() here in floating point
 * for tests.
 *
 * Alpha (Cronbach 1951).  Over complete responses (every item of the scale
 * answered), after reverse keying: per item sum x_i and sum x_i^2, and for
 * the scale total t = sum_i x_i the sums of t and t^2.  With
 * V_i = n sum x_i^2 - (sum x_i)^2 and V_t = n sum t^2 - (sum t)^2 (n(n-1)
 * times the sample variances; the factor cancels),
 *     alpha = k / (k - 1) * (1 - sum_i V_i / V_t),
 * an exact rational.  No co-moment matrix is needed: sum_i var_i and
 * var(total) are all alpha uses.
 *
 * Stored form: AlStats (a fixed header) followed by the summary classes
 * (N - amin + 1 of them, complete responses first) when mode has
 * AL_STATS_SUMMARY, then k item sums when mode has AL_STATS_ALPHA.  The
 * 128-bit sums are stored as two 64-bit words so that 8-byte alignment
 * (palloc's) suffices.  The skin puts this after an 8-byte varlena header.
 *
 * Text form (the wire format for postgres_fdw and Citus; deterministic,
 * lossless, the instrument's definition supplies N, decimals, the scale):
 *     {}                                         no row seen yet
 *     code{unscored=U,at_risk=R,ceiling=C,scale=M,aA=count/sum/sumsq,...}
 *     code[:subscale]{n=N,t=sum/sumsq,iJ=sum/sumsq,...}
 * summary fields first, then alpha fields (norms has both); classes with a
 * count, largest a first; alpha items by item number in the scale's order.
 * scale=M is the largest number of decimals of a score (the display scale of
 * the exact sum, as avg() would carry it), or "none" once a score had no
 * finite decimal expansion (a prorated 540/11).
 */
#ifndef AL_STATS_H
#define AL_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "al_status.h"
#include "instrument.h"
#include "response.h"

#define AL_STATS_VERSION	1
#define AL_STATS_SUMMARY	0x01
#define AL_STATS_ALPHA		0x02
#define AL_STATS_SCALE_NONE 255 /* a score without a finite decimal expansion */

/* A signed 128-bit integer as two words: no 16-byte alignment needed. */
typedef struct AlWide
{
	uint64_t	lo;
	int64_t		hi;
} AlWide;

/* Scored responses with the same number of answered items. */
typedef struct AlStatsClass
{
	int64_t		count;
	AlWide		sum;			/* sum of S, the keyed sum of answered items */
	AlWide		sumsq;			/* sum of S^2 */
} AlStatsClass;

/* One item of the alpha scale, over complete responses. */
typedef struct AlStatsItem
{
	AlWide		sum;
	AlWide		sumsq;
} AlStatsItem;

typedef struct AlStats
{
	uint8_t		version;		/* AL_STATS_VERSION */
	uint8_t		mode;			/* 0 = empty (no row yet), else AL_STATS_* bits */
	uint8_t		nitems;			/* N: the instrument's items */
	uint8_t		decimals;		/* d */
	uint8_t		score_mean;		/* 1: the score is the mean (K = 1), else K = N */
	uint8_t		has_cutoff;		/* the instrument has an at-risk cut-off */
	uint8_t		amin;			/* smallest answered count that is scored */
	uint8_t		k;				/* items in the alpha scale; 0 without alpha */
	int16_t		scale;			/* alpha's scale index, or -1 (AL_WHOLE) */
	uint8_t		maxscale;		/* see "scale=M" above; AL_STATS_SCALE_NONE */
	uint8_t		reserved[5];	/* always zero */
	char		code[AL_MAX_CODE_LEN + 1];
	int64_t		unscored;		/* non-NULL responses without a score */
	int64_t		at_risk;		/* scored and at risk by the instrument's cut-off */
	int64_t		ceiling;		/* scored at the maximum possible score */
	int64_t		alpha_n;		/* complete responses in the alpha sums */
	AlWide		tsum;			/* alpha: sum of scale totals t */
	AlWide		tsumsq;			/* alpha: sum of t^2 */
	/* AlStatsClass classes[N - amin + 1] (summary), AlStatsItem items[k] (alpha) */
} AlStats;

/* Largest state: 255 classes and 255 items. */
#define AL_STATS_MAX_SIZE \
	(sizeof(AlStats) + AL_MAX_ITEMS * sizeof(AlStatsClass) + AL_MAX_ITEMS * sizeof(AlStatsItem))

/* Bytes of a state of mode for inst (scale: AL_WHOLE or a scale index); the empty state: mode 0. */
size_t		al_stats_size_for(int mode, const AlInstrument *inst, int scale);
/* Bytes a state's header says it has. */
size_t		al_stats_size(const AlStats *s);

/* The empty state (no row yet): sizeof(AlStats) bytes. */
void		al_stats_init_empty(AlStats *s);

/*
 * A state for inst in buf (al_stats_size_for bytes, zeroed by this call).
 * AL_ERR_PARAM: PSQ (not a scale; with a hint), a scale of fewer than two
 * items for alpha.
 */
AlStatus	al_stats_init(AlStats *s, int mode, const AlInstrument *inst, int scale, AlError *err);

/* The summary classes and alpha items of a state. */
AlStatsClass *al_stats_classes(AlStats *s);
AlStatsItem *al_stats_items(AlStats *s);
const AlStatsClass *al_stats_classes_c(const AlStats *s);
const AlStatsItem *al_stats_items_c(const AlStats *s);
int			al_stats_nclasses(const AlStats *s);

/*
 * Whether a response may be added to an initialised state: the same
 * instrument (AL_ERR_PARAM naming both codes otherwise).  what names the
 * aggregate in the message ("summary").
 */
/* Does a state have the shape a state of inst would have (items, rule, score, cut-off, scale)? */
bool		al_stats_fits(const AlStats *s, const AlInstrument *inst);
/* The 22023 error for a state that does not fit its instrument's definition here. */
AlStatus	al_stats_misfit(const AlStats *s, AlError *err);

AlStatus	al_stats_check_instrument(const AlStats *s, const AlResponse *r, const char *what,
									  AlError *err);

/* The instrument item (1-based) of the state's i-th alpha item (0-based). */
int			al_stats_scale_item(const AlStats *s, const AlInstrument *inst, int i);

/* Add a bound response of the state's instrument.  AL_ERR_LIMIT on 128-bit overflow. */
AlStatus	al_stats_add(AlStats *s, const AlResponse *r, AlError *err);

/*
 * dst += src, both initialised with the same mode, instrument and scale
 * (AL_ERR_PARAM naming both otherwise).  Empty states are the caller's: an
 * empty src changes nothing, an empty dst becomes a copy of src.
 */
AlStatus	al_stats_merge(AlStats *dst, const AlStats *src, const char *what, AlError *err);

/*
 * Checks a stored state's header against its byte length and its own
 * invariants (AL_ERR_CORRUPT).
 */
AlStatus	al_stats_validate(const AlStats *s, size_t len, AlError *err);

/* Text form.  inst: the state's instrument (NULL for the empty state). */
int			al_stats_format(const AlStats *s, const AlInstrument *inst, char *buf, size_t buflen);
/* An upper bound of the text length of a state, NUL included. */
size_t		al_stats_format_bound(const AlStats *s);

/*
 * Parse the text form into out (AL_STATS_MAX_SIZE bytes).  Codes are
 * resolved like response input (built-ins, then the resolver).  Syntax and
 * inconsistent numbers are AL_ERR_SYNTAX.
 */
AlStatus	al_stats_parse(const char *text, AlResolver resolver, void *arg, AlStats *out,
						   AlError *err);

/* ---- finishing, in floating point (tests, diagnostics); the skin's are exact ---- */

typedef struct AlSummaryResult
{
	int64_t		n;				/* scored */
	int64_t		n_unscored;
	bool		has_mean;		/* n >= 1 */
	double		mean;
	bool		has_sd;			/* n >= 2 */
	double		sd;
	bool		has_at_risk;	/* n >= 1 and a cut-off */
	double		at_risk_share;
	bool		has_ceiling;	/* n >= 1 */
	double		ceiling_share;
} AlSummaryResult;

void		al_stats_summary(const AlStats *s, AlSummaryResult *out);

/* false (NULL) with fewer than two complete responses or zero total variance */
bool		al_stats_alpha(const AlStats *s, double *alpha);

/* ---- 128-bit helpers ---- */
__int128	al_wide_get(AlWide w);
AlWide		al_wide_set(__int128 v);
/* decimal text of v into buf (at least 41 bytes); returns the length */
int			al_i128_format(__int128 v, char *buf);

#endif
