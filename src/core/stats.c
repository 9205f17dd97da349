/*
 * stats.c — exact, mergeable reporting statistics (summary, alpha, norms):
 * 128-bit sums, the state's layout, accumulation, merging, checks, and the
 * floating-point finishers.  The text form is in stats_text.c.  See stats.h.
 */
#include "stats.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "score.h"
/* ------------------------------------------------------------ 128 bits */

__int128
al_wide_get(AlWide w)
{
	return (__int128) (((unsigned __int128) (uint64_t) w.hi << 64) | w.lo);
}

AlWide
al_wide_set(__int128 v)
{
	AlWide		w;

	w.lo = (uint64_t) v;
	w.hi = (int64_t) (v >> 64);
	return w;
}

int
al_i128_format(__int128 v, char *buf)
{
	char		tmp[48];
	int			n = 0,
				len = 0;
	unsigned __int128 u = v < 0 ? (unsigned __int128) 0 - (unsigned __int128) v : (unsigned __int128) v;

	do
	{
		tmp[n++] = (char) ('0' + (int) (u % 10));
		u /= 10;
	} while (u != 0);
	if (v < 0)
		buf[len++] = '-';
	while (n > 0)
		buf[len++] = tmp[--n];
	buf[len] = '\0';
	return len;
}

static bool
wide_add(AlWide *w, __int128 v)
{
	__int128	r;

	if (__builtin_add_overflow(al_wide_get(*w), v, &r))
		return false;
	*w = al_wide_set(r);
	return true;
}

static AlStatus
overflow(AlError *err)
{
	al_fail(err, AL_ERR_LIMIT, "reporting sums exceed 128 bits");
	al_detail(err, "Sums of keyed item values and of their squares are kept exactly.");
	return AL_ERR_LIMIT;
}

/* ------------------------------------------------------------ layout */

static int
min_scored(const AlInstrument *inst)
{
	return al_min_answered_items(inst, inst->nitems);
}

static size_t
size_of(int mode, int nitems, int amin, int k)
{
	size_t		n = sizeof(AlStats);

	if (mode & AL_STATS_SUMMARY)
		n += (size_t) (nitems - amin + 1) * sizeof(AlStatsClass);
	if (mode & AL_STATS_ALPHA)
		n += (size_t) k * sizeof(AlStatsItem);
	return n;
}

size_t
al_stats_size_for(int mode, const AlInstrument *inst, int scale)
{
	if (mode == 0 || inst == NULL)
		return sizeof(AlStats);
	return size_of(mode, inst->nitems, min_scored(inst),
				   scale < 0 ? inst->nitems : inst->scales[scale].nitems);
}

size_t
al_stats_size(const AlStats *s)
{
	if (s->mode == 0)
		return sizeof(AlStats);
	return size_of(s->mode, s->nitems, s->amin, s->k);
}

int
al_stats_nclasses(const AlStats *s)
{
	return (s->mode & AL_STATS_SUMMARY) ? s->nitems - s->amin + 1 : 0;
}

AlStatsClass *
al_stats_classes(AlStats *s)
{
	return (AlStatsClass *) ((char *) s + sizeof(AlStats));
}

const AlStatsClass *
al_stats_classes_c(const AlStats *s)
{
	return (const AlStatsClass *) ((const char *) s + sizeof(AlStats));
}

AlStatsItem *
al_stats_items(AlStats *s)
{
	return (AlStatsItem *) ((char *) s + sizeof(AlStats) +
							(size_t) al_stats_nclasses(s) * sizeof(AlStatsClass));
}

const AlStatsItem *
al_stats_items_c(const AlStats *s)
{
	return (const AlStatsItem *) ((const char *) s + sizeof(AlStats) +
								  (size_t) al_stats_nclasses(s) * sizeof(AlStatsClass));
}

void
al_stats_init_empty(AlStats *s)
{
	memset(s, 0, sizeof(AlStats));
	s->version = AL_STATS_VERSION;
	s->scale = AL_WHOLE;
}

AlStatus
al_stats_init(AlStats *s, int mode, const AlInstrument *inst, int scale, AlError *err)
{
	int			k = scale < 0 ? inst->nitems : inst->scales[scale].nitems;

	if (inst->is_psq)
	{
		al_fail(err, AL_ERR_PARAM, "psq responses have no score to summarise");
		al_hint(err, "The PSQ is a rupture report, not a scale: count reports with "
				"count(*) FILTER (WHERE alliance.at_risk(r)), or summarise a score (SRS, WAI-SR, ...).");
		return AL_ERR_PARAM;
	}
	if ((mode & AL_STATS_ALPHA) && k < 2)
	{
		if (scale >= 0)
			al_fail(err, AL_ERR_PARAM,
					"alpha needs a scale of at least 2 items; %s subscale \"%s\" has %d",
					inst->code, inst->scales[scale].name, k);
		else
			al_fail(err, AL_ERR_PARAM, "alpha needs a scale of at least 2 items; %s has %d",
					inst->code, k);
		al_detail(err, "Cronbach's alpha is k/(k-1) x (1 - sum of item variances / total variance).");
		return AL_ERR_PARAM;
	}
	memset(s, 0, size_of(mode, inst->nitems, min_scored(inst), k));
	s->version = AL_STATS_VERSION;
	s->mode = (uint8_t) mode;
	s->nitems = (uint8_t) inst->nitems;
	s->decimals = (uint8_t) inst->decimals;
	s->score_mean = inst->score == AL_SCORE_MEAN;
	s->has_cutoff = inst->has_cutoff;
	s->amin = (uint8_t) min_scored(inst);
	s->k = (mode & AL_STATS_ALPHA) ? (uint8_t) k : 0;
	s->scale = (int16_t) ((mode & AL_STATS_ALPHA) ? scale : AL_WHOLE);
	s->maxscale = 0;
	snprintf(s->code, sizeof(s->code), "%s", inst->code);
	return AL_OK;
}

bool
al_stats_fits(const AlStats *s, const AlInstrument *inst)
{
	int			k;

	if (strcmp(s->code, inst->code) != 0 || s->nitems != inst->nitems ||
		s->decimals != inst->decimals || s->score_mean != (inst->score == AL_SCORE_MEAN) ||
		s->has_cutoff != inst->has_cutoff || s->amin != min_scored(inst))
		return false;
	if (!(s->mode & AL_STATS_ALPHA))
		return true;
	if (s->scale >= inst->nscales)
		return false;
	k = s->scale < 0 ? inst->nitems : inst->scales[s->scale].nitems;
	return s->k == k;
}

AlStatus
al_stats_check_instrument(const AlStats *s, const AlResponse *r, const char *what, AlError *err)
{
	if (strcmp(s->code, r->code) != 0)
	{
		al_fail(err, AL_ERR_PARAM, "cannot mix instruments in one %s: %s and %s", what, s->code, r->code);
		al_hint(err, "Group by alliance.instrument(r), or filter to one instrument.");
		return AL_ERR_PARAM;
	}
	if (!al_stats_fits(s, r->inst))
		return al_stats_misfit(s, err);
	return AL_OK;
}

AlStatus
al_stats_misfit(const AlStats *s, AlError *err)
{
	al_fail(err, AL_ERR_PARAM, "this alliance.stats_state of %s was built under another definition of %s",
			s->code, s->code);
	al_detail(err, "Its item count, missing-item rule, score, cut-off or subscale differ from the definition here.");
	al_hint(err, "Recompute the aggregate from the responses.");
	return AL_ERR_PARAM;
}

/* ------------------------------------------------------------ accumulate */

int
al_stats_scale_item(const AlStats *s, const AlInstrument *inst, int i)
{
	return s->scale < 0 ? i + 1 : inst->scales[s->scale].items[i];
}

AlStatus
al_stats_add(AlStats *s, const AlResponse *r, AlError *err)
{
	const AlInstrument *inst = r->inst;

	if (s->mode & AL_STATS_SUMMARY)
	{
		AlRational	score;

		if (!al_score(r, true, &score))
		{
			if (__builtin_add_overflow(s->unscored, 1, &s->unscored))
				return overflow(err);
		}
		else
		{
			int			a = 0;
			int64_t		S = 0,
						u;
			int			sc;
			AlStatsClass *c;
			AlRiskParams p;
			bool		risk;

			for (int i = 1; i <= inst->nitems; i++)
				if (r->present[i - 1])
				{
					a++;
					S += al_keyed_units(r, i);
				}
			if (a < s->amin || a > s->nitems)
				return al_fail(err, AL_ERR_CORRUPT, "scored response with %d answered items", a);
			c = &al_stats_classes(s)[s->nitems - a];
			if (__builtin_add_overflow(c->count, 1, &c->count) ||
				!wide_add(&c->sum, S) || !wide_add(&c->sumsq, (__int128) S * S))
				return overflow(err);
			/* total = S N / a reaches the maximum exactly when S N = max a */
			if ((__int128) S * s->nitems == (__int128) al_scale_max_u(inst, AL_WHOLE) * a)
				s->ceiling++;
			if (s->has_cutoff)
			{
				al_risk_defaults(&p);
				if (al_at_risk(r, &p, &risk) && risk)
					s->at_risk++;
			}
			if (s->maxscale != AL_STATS_SCALE_NONE)
			{
				if (!al_rat_exact_decimal(score, &u, &sc))
					s->maxscale = AL_STATS_SCALE_NONE;
				else if (sc > s->maxscale)
					s->maxscale = (uint8_t) sc;
			}
		}
	}
	if (s->mode & AL_STATS_ALPHA)
	{
		AlStatsItem *it = al_stats_items(s);
		__int128	t = 0;

		for (int i = 0; i < s->k; i++)
			if (!r->present[al_stats_scale_item(s, inst, i) - 1])
				return AL_OK;	/* alpha uses complete responses only */
		for (int i = 0; i < s->k; i++)
		{
			int64_t		x = al_keyed_units(r, al_stats_scale_item(s, inst, i));

			if (!wide_add(&it[i].sum, x) || !wide_add(&it[i].sumsq, (__int128) x * x))
				return overflow(err);
			t += x;
		}
		if (__builtin_add_overflow(s->alpha_n, 1, &s->alpha_n) ||
			!wide_add(&s->tsum, t) || !wide_add(&s->tsumsq, t * t))
			return overflow(err);
	}
	return AL_OK;
}

/* ------------------------------------------------------------ merge */

AlStatus
al_stats_merge(AlStats *dst, const AlStats *src, const char *what, AlError *err)
{
	if (src->mode == 0)
		return AL_OK;
	if (strcmp(dst->code, src->code) != 0)
	{
		al_fail(err, AL_ERR_PARAM, "cannot mix instruments in one %s: %s and %s",
				what, dst->code, src->code);
		al_hint(err, "Group by alliance.instrument(r), or filter to one instrument.");
		return AL_ERR_PARAM;
	}
	if (dst->mode != src->mode || dst->scale != src->scale)
	{
		al_fail(err, AL_ERR_PARAM, "cannot merge %s states of different kinds or subscales", what);
		return AL_ERR_PARAM;
	}
	if (dst->nitems != src->nitems || dst->decimals != src->decimals ||
		dst->amin != src->amin || dst->k != src->k || dst->score_mean != src->score_mean ||
		dst->has_cutoff != src->has_cutoff)
		return al_fail(err, AL_ERR_CORRUPT, "%s states of %s disagree on the instrument's definition",
					   what, dst->code);
	if (dst->mode & AL_STATS_SUMMARY)
	{
		AlStatsClass *d = al_stats_classes(dst);
		const AlStatsClass *c = al_stats_classes_c(src);

		if (__builtin_add_overflow(dst->unscored, src->unscored, &dst->unscored) ||
			__builtin_add_overflow(dst->at_risk, src->at_risk, &dst->at_risk) ||
			__builtin_add_overflow(dst->ceiling, src->ceiling, &dst->ceiling))
			return overflow(err);
		for (int i = 0; i < al_stats_nclasses(dst); i++)
			if (__builtin_add_overflow(d[i].count, c[i].count, &d[i].count) ||
				!wide_add(&d[i].sum, al_wide_get(c[i].sum)) ||
				!wide_add(&d[i].sumsq, al_wide_get(c[i].sumsq)))
				return overflow(err);
		if (src->maxscale > dst->maxscale)
			dst->maxscale = src->maxscale;	/* AL_STATS_SCALE_NONE is the largest */
	}
	if (dst->mode & AL_STATS_ALPHA)
	{
		AlStatsItem *d = al_stats_items(dst);
		const AlStatsItem *c = al_stats_items_c(src);

		if (__builtin_add_overflow(dst->alpha_n, src->alpha_n, &dst->alpha_n) ||
			!wide_add(&dst->tsum, al_wide_get(src->tsum)) ||
			!wide_add(&dst->tsumsq, al_wide_get(src->tsumsq)))
			return overflow(err);
		for (int i = 0; i < dst->k; i++)
			if (!wide_add(&d[i].sum, al_wide_get(c[i].sum)) ||
				!wide_add(&d[i].sumsq, al_wide_get(c[i].sumsq)))
				return overflow(err);
	}
	return AL_OK;
}

/* ------------------------------------------------------------ checks */

static AlStatus
corrupt(AlError *err, const char *what)
{
	al_fail(err, AL_ERR_CORRUPT, "invalid alliance.stats_state value");
	al_detail(err, "%s", what);
	return AL_ERR_CORRUPT;
}

AlStatus
al_stats_validate(const AlStats *s, size_t len, AlError *err)
{
	if (len < sizeof(AlStats))
		return corrupt(err, "too short");
	if (s->version != AL_STATS_VERSION)
		return corrupt(err, "unknown format version");
	for (size_t i = 0; i < sizeof(s->reserved); i++)
		if (s->reserved[i] != 0)
			return corrupt(err, "reserved bytes are not zero");
	if (s->mode > (AL_STATS_SUMMARY | AL_STATS_ALPHA))
		return corrupt(err, "unknown mode");
	if (s->mode == 0)
		return len == sizeof(AlStats) ? AL_OK : corrupt(err, "wrong length");
	if (s->nitems < 1 || s->amin < 1 || s->amin > s->nitems ||
		memchr(s->code, '\0', sizeof(s->code)) == NULL || s->code[0] == '\0')
		return corrupt(err, "bad header");
	if ((s->mode & AL_STATS_ALPHA) ? (s->k < 2 || s->k > s->nitems || s->scale < -1)
		: (s->k != 0 || s->scale != AL_WHOLE))
		return corrupt(err, "bad alpha header");
	if (s->maxscale > 18 && s->maxscale != AL_STATS_SCALE_NONE)
		return corrupt(err, "bad scale");
	if (len != al_stats_size(s))
		return corrupt(err, "wrong length");
	if (s->unscored < 0 || s->at_risk < 0 || s->ceiling < 0 || s->alpha_n < 0)
		return corrupt(err, "negative count");
	return AL_OK;
}

/* ------------------------------------------------------------ finishing (double) */

void
al_stats_summary(const AlStats *s, AlSummaryResult *out)
{
	const AlStatsClass *c = al_stats_classes_c(s);
	long double sum = 0,
				sumsq = 0,
				unit;
	int64_t		n = 0;

	memset(out, 0, sizeof(*out));
	out->n_unscored = s->unscored;
	if (!(s->mode & AL_STATS_SUMMARY))
		return;
	unit = powl(10.0L, s->decimals);
	for (int i = 0; i < al_stats_nclasses(s); i++)
	{
		int			a = s->nitems - i;
		long double f = (long double) (s->score_mean ? 1 : s->nitems) / a / unit;

		n += c[i].count;
		sum += (long double) al_wide_get(c[i].sum) * f;
		sumsq += (long double) al_wide_get(c[i].sumsq) * f * f;
	}
	out->n = n;
	if (n == 0)
		return;
	out->has_mean = true;
	out->mean = (double) (sum / n);
	out->has_ceiling = true;
	out->ceiling_share = (double) s->ceiling / (double) n;
	if (s->has_cutoff)
	{
		out->has_at_risk = true;
		out->at_risk_share = (double) s->at_risk / (double) n;
	}
	if (n >= 2)
	{
		long double v = (sumsq - sum * sum / n) / (n - 1);

		out->has_sd = true;
		out->sd = v > 0 ? (double) sqrtl(v) : 0.0;
	}
}

/* n * sumsq - sum^2 exactly when it fits, else in long double */
static long double
scaled_var(int64_t n, AlWide sum, AlWide sumsq)
{
	__int128	a,
				b,
				r;
	__int128	s = al_wide_get(sum);

	if (!__builtin_mul_overflow((__int128) n, al_wide_get(sumsq), &a) &&
		!__builtin_mul_overflow(s, s, &b) && !__builtin_sub_overflow(a, b, &r))
		return (long double) r;
	return (long double) n * (long double) al_wide_get(sumsq) - (long double) s * (long double) s;
}

bool
al_stats_alpha(const AlStats *s, double *alpha)
{
	const AlStatsItem *it;
	long double vi = 0,
				vt;

	if (!(s->mode & AL_STATS_ALPHA) || s->alpha_n < 2)
		return false;
	it = al_stats_items_c(s);
	for (int i = 0; i < s->k; i++)
		vi += scaled_var(s->alpha_n, it[i].sum, it[i].sumsq);
	vt = scaled_var(s->alpha_n, s->tsum, s->tsumsq);
	if (vt <= 0)
		return false;
	*alpha = (double) ((long double) s->k / (s->k - 1) * (1 - vi / vt));
	return true;
}
