/*
 * stats_text.c — the text form of alliance.stats_state: printing, and a
 * parser that refuses every state no set of responses could produce (it is
 * a wire format: postgres_fdw and Citus ship partial states as text, and a
 * stored state may be typed in by hand).  See stats.h.
 */
#include "stats.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "score.h"
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
			OUT(",i%d=%s/%s", al_stats_scale_item(s, inst, i), a, b);
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

			if (!lit(&c, ",i") || !num64(&c, &item) || item != al_stats_scale_item(out, inst, i) ||
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
