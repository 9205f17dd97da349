/* score.c — scoring rules; see score.h and doc/instruments.md. */
#include "score.h"

#include <math.h>
#include <string.h>

int
al_scale_nitems(const AlInstrument *inst, int scale)
{
	return scale == AL_WHOLE ? inst->nitems : inst->scales[scale].nitems;
}

static int
scale_item(const AlInstrument *inst, int scale, int i)
{
	return scale == AL_WHOLE ? i + 1 : inst->scales[scale].items[i];
}

int
al_scale_answered(const AlResponse *r, int scale)
{
	int			n = al_scale_nitems(r->inst, scale),
				a = 0;

	for (int i = 0; i < n; i++)
		a += r->present[scale_item(r->inst, scale, i) - 1];
	return a;
}

/* the keyed sum and answered count of a scale */
static int
scale_sum(const AlResponse *r, int scale, int64_t *sum)
{
	const AlInstrument *inst = r->inst;
	int			n = al_scale_nitems(inst, scale);
	int			answered = 0;

	*sum = 0;
	/* at most 255 items of < 10^15: no overflow */
	if (scale == AL_WHOLE && inst->nreversed == 0)
	{
		/* the common case, once per stored row: no keying, no item lookup */
		for (int i = 0; i < n; i++)
			if (r->present[i])
			{
				answered++;
				*sum += r->units[i];
			}
	}
	else
		for (int i = 0; i < n; i++)
		{
			int			item = scale_item(inst, scale, i);

			if (!r->present[item - 1])
				continue;
			answered++;
			*sum += al_keyed_units(r, item);
		}
	return answered;
}

bool
al_scale_total_units(const AlResponse *r, int scale, int64_t *units)
{
	int			n = al_scale_nitems(r->inst, scale);

	if (r->inst->is_psq || n == 0)
		return false;
	return scale_sum(r, scale, units) == n;
}

bool
al_scale_total(const AlResponse *r, int scale, bool prorate, AlRational *out)
{
	const AlInstrument *inst = r->inst;
	int			n = al_scale_nitems(inst, scale);
	int			answered;
	int64_t		sum;
	int64_t		scale_den = al_pow10(inst->decimals);

	if (inst->is_psq || n == 0)
		return false;
	answered = scale_sum(r, scale, &sum);
	if (answered == n)
	{
		*out = al_rat(sum, scale_den, inst->decimals);
		return true;
	}
	if (!prorate || !al_enough_answered(inst, answered, n))
		return false;
	/* mean(answered keyed items) * n, as one fraction */
	*out = al_rat(sum * n, scale_den * answered, inst->decimals);
	return true;
}

bool
al_scale_mean(const AlResponse *r, int scale, bool prorate, AlRational *out)
{
	AlRational	total;

	if (!al_scale_total(r, scale, prorate, &total))
		return false;
	return al_rat_div(total, al_rat(al_scale_nitems(r->inst, scale), 1, 0), out);
}

bool
al_scale_pomp(const AlResponse *r, int scale, bool prorate, AlRational *out)
{
	AlRational	total,
				lo,
				span,
				above;
	int64_t		d = al_pow10(r->inst->decimals);

	if (!al_scale_total(r, scale, prorate, &total))
		return false;
	lo = al_rat(al_scale_min_u(r->inst, scale), d, 0);
	span = al_rat(al_scale_max_u(r->inst, scale) - al_scale_min_u(r->inst, scale), d, 0);
	total.min_scale = 0;
	if (!al_rat_sub(total, lo, &above) || !al_rat_div(above, span, &above))
		return false;
	return al_rat_mul(above, al_rat(100, 1, 0), out);
}

/*
 * The instrument's named score (total or mean) on the POMP scale, for
 * numbers that come with the instrument rather than from a response: its
 * norms' SD and its cut-off, when two forms are compared on POMP (dyad.h).
 * One POMP point is span / 100 score units.
 */
static void
score_range(const AlInstrument *inst, double *lo, double *span)
{
	double		d = (double) al_pow10(inst->decimals);
	double		per = inst->score == AL_SCORE_MEAN ? (double) al_scale_nitems(inst, AL_WHOLE) : 1.0;

	*lo = (double) al_scale_min_u(inst, AL_WHOLE) / d / per;
	*span = (double) (al_scale_max_u(inst, AL_WHOLE) - al_scale_min_u(inst, AL_WHOLE)) / d / per;
}

double
al_score_to_pomp(const AlInstrument *inst, double score)
{
	double		lo,
				span;

	score_range(inst, &lo, &span);
	return 100.0 * (score - lo) / span;
}

double
al_score_difference_to_pomp(const AlInstrument *inst, double difference)
{
	double		lo,
				span;

	score_range(inst, &lo, &span);
	return 100.0 * difference / span;
}

bool
al_score(const AlResponse *r, bool prorate, AlRational *out)
{
	if (r->inst->score == AL_SCORE_MEAN)
		return al_scale_mean(r, AL_WHOLE, prorate, out);
	return al_scale_total(r, AL_WHOLE, prorate, out);
}

bool
al_bordin(const AlResponse *r, AlBordin dim, bool prorate, AlRational *out)
{
	int			scale = dim == AL_BORDIN_GOAL ? r->inst->goal_scale :
		dim == AL_BORDIN_TASK ? r->inst->task_scale : r->inst->bond_scale;

	if (scale < 0)
		return false;
	return al_scale_pomp(r, scale, prorate, out);
}

void
al_risk_defaults(AlRiskParams *p)
{
	memset(p, 0, sizeof(*p));
	p->resolution_cutoff = al_rat(4, 1, 0);
	p->prorate = true;
}

/* A PSQ's first item: did the rater report a rupture?  false when it is missing. */
bool
al_psq_reported(const AlResponse *r, bool *reported)
{
	if (!r->inst->is_psq || !r->present[0])
		return false;
	*reported = r->units[0] != 0;
	return true;
}

bool
al_at_risk(const AlResponse *r, const AlRiskParams *p, bool *at_risk)
{
	const AlInstrument *inst = r->inst;
	AlRational	score,
				cutoff;
	int			c;

	if (inst->is_psq)
	{
		/* present AND resolution < threshold; NULL when present and resolution missing */
		if (!r->present[0])
			return false;
		if (r->units[0] == 0)
		{
			*at_risk = false;
			return true;
		}
		if (!r->present[2])
			return false;
		*at_risk = al_rat_cmp(al_rat(r->units[2], 1, 0), p->resolution_cutoff) < 0;
		return true;
	}
	if (p->has_cutoff)
		cutoff = p->cutoff;
	else if (inst->has_cutoff)
		cutoff = al_rat(inst->cutoff_u, al_pow10(inst->cutoff_scale), 0);
	else
		return false;
	if (!al_score(r, p->prorate, &score))
		return false;
	c = al_rat_cmp(score, cutoff);
	*at_risk = c < 0 || (p->inclusive && c == 0);
	return true;
}

int
al_flagged_items(const AlResponse *r, bool has_cutoff, AlRational item_cutoff, int *items)
{
	const AlInstrument *inst = r->inst;
	int			n = 0;

	if (!has_cutoff)
	{
		if (!inst->has_item_cutoff)
			return -1;
		item_cutoff = al_rat(inst->item_cutoff_u, al_pow10(inst->item_cutoff_scale), 0);
	}
	for (int i = 1; i <= inst->nitems; i++)
	{
		if (!r->present[i - 1])
			continue;
		if (al_rat_cmp(al_rat(al_keyed_units(r, i), al_pow10(inst->decimals), 0), item_cutoff) < 0)
			items[n++] = i;
	}
	return n;
}

static bool
crosses_cutoff(const AlResponse *before, const AlResponse *after, int *result)
{
	AlRiskParams p;
	bool		risk_before,
				risk_after;

	al_risk_defaults(&p);
	if (!before->inst->has_cutoff ||
		!al_at_risk(before, &p, &risk_before) || !al_at_risk(after, &p, &risk_after))
		return false;
	*result = risk_before != risk_after;
	return true;
}

AlStatus
al_rc_check(bool has_sd, double sd, bool has_reliability, double reliability, AlError *err)
{
	if (has_sd && !(sd > 0))
		return al_fail(err, AL_ERR_PARAM, "sd must be greater than 0");
	if (has_reliability && !(reliability >= 0 && reliability < 1))
		return al_fail(err, AL_ERR_PARAM, "reliability must be at least 0 and below 1");
	return AL_OK;
}

double
al_rc_sdiff(double sd, double reliability)
{
	return sd * sqrt(2.0) * sqrt(1.0 - reliability);
}

double
al_rc_threshold(double sd, double reliability)
{
	return AL_RCI_Z * al_rc_sdiff(sd, reliability);
}

AlStatus
al_reliable_change(const AlResponse *before, const AlResponse *after,
				   const AlRcParams *p, AlReliableChange *out, bool *scored, AlError *err)
{
	const AlInstrument *inst = before->inst;
	AlRational	sb,
				sa;
	double		sd,
				rel;
	bool		have_sd,
				have_rel;
	double		delta_d;
	int			crossed;

	memset(out, 0, sizeof(*out));
	*scored = false;
	if (strcmp(before->code, after->code) != 0)
	{
		al_fail(err, AL_ERR_PARAM, "reliable_change needs two values of one instrument; got %s and %s",
				before->code, after->code);
		return AL_ERR_PARAM;
	}
	if (inst->is_psq)
	{
		al_fail(err, AL_ERR_PARAM, "psq has no score, so it has no reliable change");
		al_hint(err, "Compare the alliance scores of the sessions instead.");
		return AL_ERR_PARAM;
	}
	if (al_rc_check(p->has_sd, p->sd, p->has_reliability, p->reliability, err) != AL_OK)
		return AL_ERR_PARAM;
	if (p->has_points && p->points.num <= 0)
		return al_fail(err, AL_ERR_PARAM, "points must be greater than 0");

	have_sd = p->has_sd || p->has_norms || inst->has_norm_sd;
	have_rel = p->has_reliability || p->has_norms || inst->has_norm_reliability;
	sd = p->has_sd ? p->sd : p->has_norms ? p->norm_sd : inst->norm_sd;
	rel = p->has_reliability ? p->reliability :
		p->has_norms ? p->norm_reliability : inst->norm_reliability;

	if (!al_score(before, true, &sb) || !al_score(after, true, &sa))
		return AL_OK;
	if (!al_rat_sub(sa, sb, &out->delta))
		return al_fail(err, AL_ERR_RANGE, "score difference is out of range");
	delta_d = al_rat_to_double(out->delta);

	if (p->has_sd && p->has_reliability)
		;						/* J&T with the caller's figures */
	else if (p->has_points || inst->has_rc_points)
	{
		AlRational	points = p->has_points ? p->points :
			al_rat(inst->rc_points_u, al_pow10(inst->rc_points_scale), 0);
		AlRational	absdelta = out->delta;

		if (absdelta.num < 0)
			absdelta.num = -absdelta.num;
		out->reliable = absdelta.num != 0 && al_rat_cmp(absdelta, points) >= 0;
		goto direction;
	}
	else if (!(have_sd && have_rel))
	{
		al_fail(err, AL_ERR_PARAM, "reliable_change for %s needs %s", inst->code,
				!have_sd && !have_rel ? "sd and reliability" : !have_sd ? "sd" : "reliability");
		al_detail(err, "%s has no reliable-change norms built in.", inst->code);
		al_hint(err, "Pass sd => and reliability => (the clinic's own: see alliance.norms), or points =>.");
		return AL_ERR_PARAM;
	}
	if (!(sd > 0) || !(rel >= 0 && rel < 1))
		return al_fail(err, AL_ERR_PARAM, "the norms of %s are unusable (sd %g, reliability %g)",
					   inst->code, sd, rel);
	out->s_diff = al_rc_sdiff(sd, rel);
	out->has_rci = true;
	out->rci = delta_d / out->s_diff;
	out->reliable = delta_d != 0 &&
		fabs(delta_d) >= al_rc_threshold(sd, rel) - AL_TIE_EPS;

direction:
	if (out->reliable)
		out->direction = out->delta.num > 0 ? AL_IMPROVED : AL_DETERIORATED;
	else
		out->direction = AL_UNCHANGED;
	if (!crosses_cutoff(before, after, &crossed))
		out->clinically_significant = -1;
	else
		out->clinically_significant = out->reliable && crossed;
	*scored = true;
	return AL_OK;
}
