/*
 * dyad.h — two views of one alliance: the client's and the therapist's
 * ratings of the same sessions, compared on one scale (POMP for responses).
 *
 * Rules (doc/dyad.md):
 *   gap = client − therapist, on POMP (or on the one scale both numbers use);
 *   a session rated by one side only is counted, never paired;
 *   agreement over pairs: n, Pearson r, mean difference (client − therapist),
 *   sample SDs (n − 1) and d = mean difference / sqrt((SD_c² + SD_t²) / 2);
 *   unseen: over the sessions both sides rated, a session where the client's
 *   series has a rupture by a rule and the therapist's series, judged by the
 *   same rule and parameters, has none.
 *
 * The pair sums are PostgreSQL's own for corr() and regr_*() (Youngs &
 * Cramer's update and its merge), so agreement's r equals corr() over the
 * same pairs to the last digits and does not depend on how rows were split
 * between parallel workers beyond rounding.
 */
#ifndef AL_DYAD_H
#define AL_DYAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "al_status.h"
#include "series.h"

/* Sums over pairs (x = client, y = therapist), plus the unpaired count. */
typedef struct AlPairSums
{
	double		n;
	double		sx;
	double		sxx;			/* sum of squared deviations from the mean of x */
	double		sy;
	double		syy;
	double		sxy;			/* sum of products of deviations */
	double		unpaired;		/* rated by one side only */
} AlPairSums;

#define AL_PAIR_SUMS_LEN 7		/* doubles in AlPairSums, in this order */

typedef struct AlAgreement
{
	int64_t		pairs;
	int64_t		unpaired;
	bool		has_means;		/* pairs >= 1 */
	double		mean_client;
	double		mean_therapist;
	double		mean_difference;	/* client − therapist */
	bool		has_sd;			/* pairs >= 2 */
	double		sd_client;
	double		sd_therapist;
	bool		has_r;			/* pairs >= 2 and neither SD is 0 */
	double		r;
	bool		has_d;			/* pairs >= 2 and not both SDs 0 */
	double		d;
} AlAgreement;

void		al_pair_sums_init(AlPairSums *s);
/* Add one pair; AL_ERR_RANGE (22003) when a number is not finite or too large. */
AlStatus	al_pair_sums_add(AlPairSums *s, double x, double y, AlError *err);
void		al_pair_sums_add_unpaired(AlPairSums *s);
/* a += b (the merge of two partial states) */
void		al_pair_sums_combine(AlPairSums *a, const AlPairSums *b);
void		al_agreement(const AlPairSums *s, AlAgreement *out);

/*
 * The sessions both sides rated, from two sorted series (strictly
 * increasing keys): for each, the key, the client's and the therapist's
 * score.  client_out / therapist_out have room for min(nc, nt) points;
 * both get the pair's key.  Returns the number of pairs.
 */
size_t		al_dyad_pairs(const AlPoint *c, size_t nc, const AlPoint *t, size_t nt,
						  AlPoint *client_out, AlPoint *therapist_out);

/* The gap series (key, client − therapist) of n pairs. */
void		al_dyad_gaps(const AlPoint *client, const AlPoint *therapist, size_t n, AlPoint *gaps);

/* A rupture of the client's series the therapist's did not show. */
typedef struct AlUnseen
{
	int64_t		key;
	double		client_drop;
	bool		has_therapist_drop;	/* false at the first paired session */
	double		therapist_drop;	/* the therapist's previous paired rating − this one */
} AlUnseen;

/*
 * Unseen ruptures over n paired sessions (al_dyad_pairs): both series are
 * judged over the sessions both sides rated, so at every session each side
 * has the same history; a rupture of the client's series (al_series_ruptures,
 * params) where the therapist's, judged by the same params, has none at that
 * session.  scratch has room for 2n ruptures; out for n.  Parameters are
 * checked here.
 */
AlStatus	al_dyad_unseen(const AlPoint *client, const AlPoint *therapist, size_t n,
						   const AlSeriesParams *params, AlRupture *scratch,
						   AlUnseen *out, size_t *nout, AlError *err);

#endif
