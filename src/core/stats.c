/* stats.c — exact, mergeable reporting statistics; see stats.h. */
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
	for (int a = 1; a < inst->nitems; a++)
		if ((int64_t) a * inst->min_answered_den >= (int64_t) inst->nitems * inst->min_answered_num)
			return a;
	return inst->nitems;
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

static int
scale_item(const AlStats *s, const AlInstrument *inst, int i)
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
			if (!r->present[scale_item(s, inst, i) - 1])
				return AL_OK;	/* alpha uses complete responses only */
		for (int i = 0; i < s->k; i++)
		{
			int64_t		x = al_keyed_units(r, scale_item(s, inst, i));

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

/* ------------------------------------------------------------ text form */

size_t
al_stats_format_bound(const AlStats *s)
{
	/* header fields, then per class "aNNN=" + 3 numbers, per item "iNNN=" + 2 */
	return 64 + AL_MAX_CODE_LEN + 256 + 4 * 24 + 2 * 42 +
		(size_t) al_stats_nclasses(s) * (6 + 21 + 2 * 42) +
		(size_t) s->k * (6 + 2 * 42);
}

int
al_stats_format(const AlStats *s, const AlInstrument *inst, char *buf, size_t buflen)
{
	size_t		len = 0;
	char		a[48],
				b[48];

#define OUT(...) \
	do { \
		int _n = snprintf(buf + len, len < buflen ? buflen - len : 0, __VA_ARGS__); \
		if (_n < 0) return -1; \
		len += (size_t) _n; \
	} while (0)

	if (s->mode == 0)
	{
		OUT("{}");
		return len < buflen ? (int) len : -1;
	}
	OUT("%s", s->code);
	if ((s->mode & AL_STATS_ALPHA) && s->scale >= 0)
		OUT(":%s", inst->scales[s->scale].name);
	OUT("{");
	if (s->mode & AL_STATS_SUMMARY)
	{
		const AlStatsClass *c = al_stats_classes_c(s);

		OUT("unscored=%lld,at_risk=%lld,ceiling=%lld,", (long long) s->unscored,
			(long long) s->at_risk, (long long) s->ceiling);
		if (s->maxscale == AL_STATS_SCALE_NONE)
			OUT("scale=none");
		else
			OUT("scale=%d", s->maxscale);
		for (int i = 0; i < al_stats_nclasses(s); i++)
		{
			if (c[i].count == 0)
				continue;
			al_i128_format(al_wide_get(c[i].sum), a);
			al_i128_format(al_wide_get(c[i].sumsq), b);
			OUT(",a%d=%lld/%s/%s", s->nitems - i, (long long) c[i].count, a, b);
		}
	}
	if (s->mode & AL_STATS_ALPHA)
	{
		const AlStatsItem *it = al_stats_items_c(s);

		al_i128_format(al_wide_get(s->tsum), a);
		al_i128_format(al_wide_get(s->tsumsq), b);
		OUT("%sn=%lld,t=%s/%s", (s->mode & AL_STATS_SUMMARY) ? "," : "",
			(long long) s->alpha_n, a, b);
		for (int i = 0; i < s->k; i++)
		{
			al_i128_format(al_wide_get(it[i].sum), a);
			al_i128_format(al_wide_get(it[i].sumsq), b);
			OUT(",i%d=%s/%s", scale_item(s, inst, i), a, b);
		}
	}
	OUT("}");
#undef OUT
	return len < buflen ? (int) len : -1;
}

typedef struct Cursor
{
	const char *p;
	const char *text;
	AlError    *err;
} Cursor;

static AlStatus
syntax(Cursor *c, const char *why)
{
	al_fail(c->err, AL_ERR_SYNTAX, "invalid input syntax for type stats_state: \"%.200s\"", c->text);
	al_detail(c->err, "%s", why);
	return AL_ERR_SYNTAX;
}

static bool
lit(Cursor *c, const char *s)
{
	size_t		n = strlen(s);

	if (strncmp(c->p, s, n) != 0)
		return false;
	c->p += n;
	return true;
}

/* a decimal integer of at most 127 bits plus sign */
static bool
num128(Cursor *c, __int128 *out)
{
	bool		neg = false;
	unsigned __int128 v = 0;
	const unsigned __int128 lim = ((unsigned __int128) 1 << 127);
	int			digits = 0;

	if (*c->p == '-')
	{
		neg = true;
		c->p++;
	}
	while (*c->p >= '0' && *c->p <= '9')
	{
		if (digits > 0 && v == 0)
			return false;		/* no leading zeros: one spelling per number */
		if (digits >= 39 || v > (lim - 1 - (unsigned) (*c->p - '0')) / 10)
			return false;		/* would reach 2^127: checked before multiplying, not after wrapping */
		v = v * 10 + (unsigned) (*c->p - '0');
		digits++;
		c->p++;
	}
	if (digits == 0 || (neg && v == 0))
		return false;
	*out = neg ? -(__int128) v : (__int128) v;
	return true;
}

static bool
num64(Cursor *c, int64_t *out)
{
	__int128	v;

	if (!num128(c, &v) || v < 0 || v > INT64_MAX)
		return false;
	*out = (int64_t) v;
	return true;
}

static bool
field64(Cursor *c, const char *name, int64_t *out)
{
	return lit(c, name) && lit(c, "=") && num64(c, out);
}

static bool
pair(Cursor *c, AlWide *sum, AlWide *sumsq)
{
	__int128	a,
				b;

	if (!num128(c, &a) || !lit(c, "/") || !num128(c, &b) || b < 0)
		return false;
	*sum = al_wide_set(a);
	*sumsq = al_wide_set(b);
	return true;
}

static AlStatus check_plausible(Cursor *c, const AlStats *s, const AlInstrument *inst);

/*
 * Could n values, each within [lo, hi], have this sum and sum of squares?
 * (Bounds on the sum; Cauchy-Schwarz: sum^2 <= n * sumsq; sumsq <= n * max(lo^2, hi^2).)
 * In long double with a relative slack: this only rejects states that no
 * sequence of responses could produce.
 */
static bool
plausible_moments(int64_t n, __int128 sum, __int128 sumsq, long double lo, long double hi)
{
	long double ln = (long double) n,
				ls = (long double) sum,
				lq = (long double) sumsq,
				slack = 1e-12L,
				big = fmaxl(lo * lo, hi * hi);

	if (n == 0)
		return sum == 0 && sumsq == 0;
	if (sumsq < 0 || ls < ln * lo - fabsl(ln * lo) * slack - 1 || ls > ln * hi + fabsl(ln * hi) * slack + 1)
		return false;
	if (ls * ls > ln * lq * (1 + slack) + 1)
		return false;
	return lq <= ln * big * (1 + slack) + 1;
}

AlStatus
al_stats_parse(const char *text, AlResolver resolver, void *arg, AlStats *out, AlError *err)
{
	Cursor		c = {text, text, err};
	const char *start,
			   *brace;
	char		code[AL_MAX_CODE_LEN + 1];
	char		sname[128];
	const AlInstrument *inst;
	int			scale = AL_WHOLE,
				mode = 0;
	int64_t		unscored = 0,
				at_risk = 0,
				ceiling = 0,
				maxscale = 0,
				scored = 0;
	AlStatus	st;

	while (*c.p == ' ')
		c.p++;
	if (lit(&c, "{}"))
	{
		while (*c.p == ' ')
			c.p++;
		if (*c.p != '\0')
			return syntax(&c, "Junk after the empty state.");
		al_stats_init_empty(out);
		return AL_OK;
	}
	start = c.p;
	brace = strchr(start, '{');
	if (brace == NULL)
		return syntax(&c, "Expected code{...} or {}.");
	{
		const char *colon = memchr(start, ':', (size_t) (brace - start));
		const char *cend = colon ? colon : brace;

		if ((st = al_normalize_code(start, (size_t) (cend - start), code, err)) != AL_OK)
			return st;
		inst = al_resolve(code, resolver, arg);
		if (inst == NULL)
			return al_fail(err, AL_ERR_PARAM, "unknown instrument \"%s\"", code);
		if (colon)
		{
			size_t		n = (size_t) (brace - colon - 1);

			if (n == 0 || n >= sizeof(sname))
				return syntax(&c, "Bad subscale name.");
			memcpy(sname, colon + 1, n);
			sname[n] = '\0';
			scale = al_scale_index(inst, sname);
			if (scale < 0)
				return syntax(&c, "Unknown subscale.");
		}
	}
	c.p = brace + 1;
	/* which parts are present decides the mode */
	if (strncmp(c.p, "unscored=", 9) == 0)
		mode |= AL_STATS_SUMMARY;
	if (strncmp(c.p, "n=", 2) == 0 || strstr(c.p, ",n=") != NULL)
		mode |= AL_STATS_ALPHA;
	if (mode == 0)
		return syntax(&c, "Expected summary fields (unscored=...) or alpha fields (n=...).");
	if (scale >= 0 && mode != AL_STATS_ALPHA)
		return syntax(&c, "A subscale is given only for alpha alone.");
	if ((st = al_stats_init(out, mode, inst, scale, err)) != AL_OK)
		return st;

	if (mode & AL_STATS_SUMMARY)
	{
		AlStatsClass *cl = al_stats_classes(out);
		int			last = out->nitems + 1;

		if (!field64(&c, "unscored", &unscored) || !lit(&c, ",") ||
			!field64(&c, "at_risk", &at_risk) || !lit(&c, ",") ||
			!field64(&c, "ceiling", &ceiling) || !lit(&c, ",") || !lit(&c, "scale="))
			return syntax(&c, "Expected unscored=U,at_risk=R,ceiling=C,scale=M.");
		if (lit(&c, "none"))
			maxscale = AL_STATS_SCALE_NONE;
		else if (!num64(&c, &maxscale) || maxscale > 18)
			return syntax(&c, "scale is 0 to 18 or none.");
		while (c.p[0] == ',' && c.p[1] == 'a')
		{
			int64_t		a;
			AlStatsClass *k;

			c.p += 2;
			if (!num64(&c, &a) || a < out->amin || a >= last || !lit(&c, "="))
				return syntax(&c, "Classes aA are answered counts the instrument scores, largest first, once each.");
			last = (int) a;
			k = &cl[out->nitems - a];
			if (!num64(&c, &k->count) || k->count < 1 || !lit(&c, "/") || !pair(&c, &k->sum, &k->sumsq))
				return syntax(&c, "A class is count/sum/sumsq with count >= 1.");
			if (__builtin_add_overflow(scored, k->count, &scored))
				return syntax(&c, "Counts overflow.");
		}
		if (at_risk > scored || ceiling > scored || (at_risk > 0 && !out->has_cutoff))
			return syntax(&c, "at_risk and ceiling count scored responses (at_risk only with a cut-off).");
		out->unscored = unscored;
		out->at_risk = at_risk;
		out->ceiling = ceiling;
		out->maxscale = (uint8_t) maxscale;
		if (mode & AL_STATS_ALPHA)
		{
			if (!lit(&c, ","))
				return syntax(&c, "Expected ,n=...");
		}
	}
	if (mode & AL_STATS_ALPHA)
	{
		AlStatsItem *it = al_stats_items(out);

		if (!field64(&c, "n", &out->alpha_n) || !lit(&c, ",t=") || !pair(&c, &out->tsum, &out->tsumsq))
			return syntax(&c, "Expected n=N,t=sum/sumsq.");
		for (int i = 0; i < out->k; i++)
		{
			int64_t		item;

			if (!lit(&c, ",i") || !num64(&c, &item) || item != scale_item(out, inst, i) ||
				!lit(&c, "=") || !pair(&c, &it[i].sum, &it[i].sumsq))
				return syntax(&c, "Expected iJ=sum/sumsq for each item of the scale, in order.");
			if (out->alpha_n == 0 && (al_wide_get(it[i].sum) != 0 || al_wide_get(it[i].sumsq) != 0))
				return syntax(&c, "Sums without responses.");
		}
		if (out->alpha_n == 0 && (al_wide_get(out->tsum) != 0 || al_wide_get(out->tsumsq) != 0))
			return syntax(&c, "Sums without responses.");
	}
	if (!lit(&c, "}"))
		return syntax(&c, "Expected }.");
	while (*c.p == ' ')
		c.p++;
	if (*c.p != '\0')
		return syntax(&c, "Junk after the closing brace.");
	return check_plausible(&c, out, inst);
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

/* Numbers that no sequence of responses of inst could produce are a syntax error, not a state. */
static AlStatus
check_plausible(Cursor *c, const AlStats *s, const AlInstrument *inst)
{
	long double lo = (long double) inst->min_u,
				hi = (long double) inst->max_u;

	if (s->mode & AL_STATS_SUMMARY)
	{
		const AlStatsClass *cl = al_stats_classes_c(s);

		for (int a = s->amin; a <= s->nitems; a++)
		{
			const AlStatsClass *k = &cl[s->nitems - a];

			if (k->count > 0 &&
				!plausible_moments(k->count, al_wide_get(k->sum), al_wide_get(k->sumsq), lo * a, hi * a))
				return syntax(c, "A class's sum and sum of squares are impossible for its count and the item range.");
		}
	}
	if (s->mode & AL_STATS_ALPHA)
	{
		const AlStatsItem *it = al_stats_items_c(s);
		__int128	total = 0;

		for (int i = 0; i < s->k; i++)
		{
			if (!plausible_moments(s->alpha_n, al_wide_get(it[i].sum), al_wide_get(it[i].sumsq), lo, hi))
				return syntax(c, "An item's sum and sum of squares are impossible for n and the item range.");
			total += al_wide_get(it[i].sum);
		}
		if (total != al_wide_get(s->tsum) ||
			!plausible_moments(s->alpha_n, al_wide_get(s->tsum), al_wide_get(s->tsumsq), lo * s->k, hi * s->k))
			return syntax(c, "The totals do not agree with the items.");
	}
	return AL_OK;
}
