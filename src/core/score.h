/*
 * score.h — the scoring rules of doc/instruments.md.
 *
 * Every function takes a bound response (r->inst != NULL).  "Not scorable"
 * (too many missing items, PSQ has no total, no cut-off) is a false return
 * from the function, which the skin turns into SQL NULL.
 *
 * Missing items: a scale is scored when answered / items >= the instrument's
 * min_answered (75% by default, 100% for visual-analogue forms); the sum is
 * then prorated as sum(answered keyed items) * items / answered.  With
 * prorate == false any missing item makes the scale NULL.
 */
#ifndef AL_SCORE_H
#define AL_SCORE_H

#include "rational.h"
#include "response.h"

#define AL_WHOLE -1				/* the "scale" index meaning every item */

/* keyed value of an item: lo + hi - x for reversed items (inline: per item, per row) */
static inline int64_t
al_keyed_units(const AlResponse *r, int item)
{
	const AlInstrument *inst = r->inst;
	int64_t		x = r->units[item - 1];

	if (al_item_reversed(inst, item))
		return al_item_min(inst, item) + al_item_max(inst, item) - x;
	return x;
}

/* raw (unprorated) answered count of a scale */
int			al_scale_answered(const AlResponse *r, int scale);
int			al_scale_nitems(const AlInstrument *inst, int scale);

/* keyed sum of a scale (AL_WHOLE = total); prorated when allowed */
/*
 * The total of a scale every item of which is answered, in units of
 * 10^-decimals (the value al_scale_total gives then, without a fraction);
 * false when an item is missing (proration is al_scale_total's), for the PSQ
 * and for an empty scale.
 */
bool		al_scale_total_units(const AlResponse *r, int scale, int64_t *units);
bool		al_scale_total(const AlResponse *r, int scale, bool prorate, AlRational *out);
/* total / number of items in the scale */
bool		al_scale_mean(const AlResponse *r, int scale, bool prorate, AlRational *out);
/* percent of maximum possible: 100 * (total - min) / (max - min) */
bool		al_scale_pomp(const AlResponse *r, int scale, bool prorate, AlRational *out);

/*
 * A number in the units of the instrument's named score (a cut-off, a
 * norm's SD) on the POMP scale: a score as a point, a difference as a
 * distance.  The instrument must have a positive score range (not the PSQ).
 */
double		al_score_to_pomp(const AlInstrument *inst, double score);
double		al_score_difference_to_pomp(const AlInstrument *inst, double difference);

/* A PSQ's first item: did the rater report a rupture?  false when it is missing (or not a PSQ). */
bool		al_psq_reported(const AlResponse *r, bool *reported);

/* the instrument's named score: total or mean */
bool		al_score(const AlResponse *r, bool prorate, AlRational *out);

typedef enum AlBordin
{
	AL_BORDIN_GOAL,
	AL_BORDIN_TASK,
	AL_BORDIN_BOND
} AlBordin;

/* POMP of the scale mapped to a Bordin dimension; false when not measured */
bool		al_bordin(const AlResponse *r, AlBordin dim, bool prorate, AlRational *out);

typedef struct AlRiskParams
{
	bool		has_cutoff;		/* else the instrument's */
	AlRational	cutoff;
	bool		inclusive;		/* score == cutoff is at risk */
	AlRational	resolution_cutoff;	/* PSQ: resolution below this is unresolved */
	bool		prorate;
} AlRiskParams;

void		al_risk_defaults(AlRiskParams *p);
/* *at_risk set and true returned, or false (NULL) */
bool		al_at_risk(const AlResponse *r, const AlRiskParams *p, bool *at_risk);

/*
 * Items whose keyed value is below item_cutoff (the instrument's default
 * when has_cutoff is false).  Writes 1-based item numbers into items[],
 * returns the count, or -1 when there is no threshold (NULL).
 */
int			al_flagged_items(const AlResponse *r, bool has_cutoff, AlRational item_cutoff,
							 int *items);

typedef struct AlRcParams
{
	bool		has_sd;
	double		sd;
	bool		has_reliability;
	double		reliability;
	bool		has_points;
	AlRational	points;
	/* the instrument's active norms (a clinic's calibration), in place of its definition's */
	bool		has_norms;
	double		norm_sd;
	double		norm_reliability;
} AlRcParams;

typedef enum AlDirection
{
	AL_UNCHANGED = 0,
	AL_IMPROVED = 1,
	AL_DETERIORATED = -1
} AlDirection;

typedef struct AlReliableChange
{
	AlRational	delta;			/* after - before, of the instrument's score */
	bool		has_rci;
	double		rci;
	double		s_diff;			/* 0 under the points rule */
	bool		reliable;
	AlDirection direction;
	int			clinically_significant; /* -1 = NULL (no cut-off), 0, 1 */
} AlReliableChange;

/*
 * Jacobson & Truax (1991), with the precedence of instruments.md:
 * sd and reliability given -> J&T; else points (given, or the instrument's
 * rc_points) -> |delta| >= points; else the instrument's norms -> J&T; else
 * AL_ERR_PARAM naming what is missing.  Returns AL_OK with *scored false when
 * either score is NULL.
 */
AlStatus	al_reliable_change(const AlResponse *before, const AlResponse *after,
							   const AlRcParams *p, AlReliableChange *out, bool *scored,
							   AlError *err);

/* 1.96: the two-tailed 5% criterion of Jacobson & Truax */
#define AL_RCI_Z 1.96

/*
 * The reliable-change rule, once for every entry point (reliable_change,
 * the rci and sudden rupture methods, the alert): sd > 0 and
 * 0 <= reliability < 1 (al_rc_check, AL_ERR_PARAM naming the parameter),
 * S_diff = sd * sqrt(2) * sqrt(1 - reliability), and a change is reliable
 * when |delta| >= AL_RCI_Z * S_diff (al_rc_threshold).
 */
AlStatus	al_rc_check(bool has_sd, double sd, bool has_reliability, double reliability, AlError *err);
double		al_rc_sdiff(double sd, double reliability);
double		al_rc_threshold(double sd, double reliability);
/* tolerance for comparing a drop with a threshold computed in floating point */
#define AL_TIE_EPS 1e-9

#endif
