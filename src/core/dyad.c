/*
 * dyad.c — client and therapist side by side: pair sums and agreement,
 * pairing two series by session, the gap series, unseen ruptures.
 * The rules are in dyad.h.
 */
#include "dyad.h"

#include <math.h>
#include <string.h>

void
al_pair_sums_init(AlPairSums *s)
{
	memset(s, 0, sizeof *s);
}

/*
 * Youngs & Cramer's update, as PostgreSQL's float8_regr_accum does it: the
 * sums of squared deviations are kept directly, never as the difference of
 * two large sums.
 */
AlStatus
al_pair_sums_add(AlPairSums *s, double x, double y, AlError *err)
{
	double		n;

	if (al_series_check_score(x, err) != AL_OK || al_series_check_score(y, err) != AL_OK)
		return AL_ERR_RANGE;
	n = s->n + 1.0;
	s->sx += x;
	s->sy += y;
	if (s->n > 0)
	{
		double		dx = x * n - s->sx;
		double		dy = y * n - s->sy;
		double		scale = 1.0 / (n * s->n);

		s->sxx += dx * dx * scale;
		s->syy += dy * dy * scale;
		s->sxy += dx * dy * scale;
	}
	s->n = n;
	return AL_OK;
}

void
al_pair_sums_add_unpaired(AlPairSums *s)
{
	s->unpaired += 1.0;
}

/* The merge of float8_regr_combine: exact in n, order-independent up to rounding. */
void
al_pair_sums_combine(AlPairSums *a, const AlPairSums *b)
{
	double		n;

	a->unpaired += b->unpaired;
	if (b->n == 0)
		return;
	if (a->n == 0)
	{
		double		unpaired = a->unpaired;

		*a = *b;
		a->unpaired = unpaired;
		return;
	}
	n = a->n + b->n;
	{
		double		dx = a->sx / a->n - b->sx / b->n;
		double		dy = a->sy / a->n - b->sy / b->n;
		double		w = a->n * b->n / n;

		a->sxx += b->sxx + w * dx * dx;
		a->syy += b->syy + w * dy * dy;
		a->sxy += b->sxy + w * dx * dy;
	}
	a->sx += b->sx;
	a->sy += b->sy;
	a->n = n;
}

void
al_agreement(const AlPairSums *s, AlAgreement *out)
{
	memset(out, 0, sizeof *out);
	out->pairs = (int64_t) s->n;
	out->unpaired = (int64_t) s->unpaired;
	if (s->n < 1)
		return;
	out->has_means = true;
	out->mean_client = s->sx / s->n;
	out->mean_therapist = s->sy / s->n;
	out->mean_difference = (s->sx - s->sy) / s->n;
	if (s->n < 2)
		return;
	out->has_sd = true;
	out->sd_client = sqrt(s->sxx / (s->n - 1));
	out->sd_therapist = sqrt(s->syy / (s->n - 1));
	/* corr(): undefined when either side does not vary */
	if (s->sxx > 0 && s->syy > 0)
	{
		out->has_r = true;
		out->r = s->sxy / sqrt(s->sxx * s->syy);
	}
	if (s->sxx > 0 || s->syy > 0)
	{
		out->has_d = true;
		out->d = out->mean_difference /
			sqrt((out->sd_client * out->sd_client + out->sd_therapist * out->sd_therapist) / 2.0);
	}
}

size_t
al_dyad_pairs(const AlPoint *c, size_t nc, const AlPoint *t, size_t nt,
			  AlPoint *client_out, AlPoint *therapist_out)
{
	size_t		i = 0,
				j = 0,
				n = 0;

	while (i < nc && j < nt)
	{
		if (c[i].key < t[j].key)
			i++;
		else if (c[i].key > t[j].key)
			j++;
		else
		{
			client_out[n] = c[i++];
			therapist_out[n] = t[j++];
			n++;
		}
	}
	return n;
}

void
al_dyad_gaps(const AlPoint *client, const AlPoint *therapist, size_t n, AlPoint *gaps)
{
	for (size_t i = 0; i < n; i++)
	{
		gaps[i].key = client[i].key;
		gaps[i].score = client[i].score - therapist[i].score;
	}
}

AlStatus
al_dyad_unseen(const AlPoint *client, const AlPoint *therapist, size_t n,
			   const AlSeriesParams *params, AlRupture *scratch,
			   AlUnseen *out, size_t *nout, AlError *err)
{
	AlRupture  *cr = scratch,
			   *tr = scratch + n;
	size_t		ncr,
				ntr,
				found = 0,
				j = 0;
	AlStatus	st;

	*nout = 0;
	st = al_series_ruptures(client, n, params, cr, &ncr, err);
	if (st != AL_OK)
		return st;
	st = al_series_ruptures(therapist, n, params, tr, &ntr, err);
	if (st != AL_OK)
		return st;
	/* both lists are in session order */
	for (size_t i = 0; i < ncr; i++)
	{
		size_t		at = (size_t) cr[i].seq - 1;

		while (j < ntr && tr[j].seq < cr[i].seq)
			j++;
		if (j < ntr && tr[j].seq == cr[i].seq)
			continue;
		out[found].key = cr[i].key;
		out[found].client_drop = cr[i].drop;
		out[found].has_therapist_drop = at > 0;
		out[found].therapist_drop = at > 0 ? therapist[at - 1].score - therapist[at].score : 0.0;
		found++;
	}
	*nout = found;
	return AL_OK;
}
