/*
 * series_text.c — scores and points of a trajectory (formatting, sorting,
 * duplicate rules, validation, the instrument's range) and the text form,
 * which is also the wire format postgres_fdw ships: lossless, sorted,
 * deterministic.  See doc/trajectory.md.
 */
#include "series.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "instrument.h"

/* ----------------------------------------------------------------- scores */

int
al_score_format(double v, char *buf, size_t cap)
{
	int			len = 0;

	if (v == 0)
		v = 0;					/* -0 prints as 0: they compare equal */
	for (int prec = 15; prec <= 17; prec++)
	{
		len = snprintf(buf, cap, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	return len;
}

/* Strict decimal syntax: [+-]digits[.digits][e[+-]digits] (or .digits); no nan/inf/hex. */
static bool
score_syntax_ok(const char *s, size_t len)
{
	size_t		i = 0;
	int			nd = 0;

	if (i < len && (s[i] == '+' || s[i] == '-'))
		i++;
	while (i < len && s[i] >= '0' && s[i] <= '9')
		i++, nd++;
	if (i < len && s[i] == '.')
	{
		i++;
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++, nd++;
	}
	if (nd == 0)
		return false;
	if (i < len && (s[i] == 'e' || s[i] == 'E'))
	{
		int			ne = 0;

		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			i++;
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++, ne++;
		if (ne == 0)
			return false;
	}
	return i == len;
}

static AlStatus
parse_score(const char *s, size_t len, double *out, AlError *err)
{
	char		tmp[512];
	double		v;

	if (len == 0 || len >= sizeof(tmp) || !score_syntax_ok(s, len))
	{
		al_fail(err, AL_ERR_SYNTAX, "invalid score \"%.*s\"", (int) (len > 40 ? 40 : len), s);
		al_detail(err, "A score is a finite decimal number.");
		return AL_ERR_SYNTAX;
	}
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	errno = 0;
	v = strtod(tmp, NULL);
	if (!isfinite(v))
	{
		al_fail(err, AL_ERR_RANGE, "score \"%.*s\" is out of range for type double precision",
				(int) (len > 40 ? 40 : len), s);
		return AL_ERR_RANGE;
	}
	*out = v;
	return AL_OK;
}

/* ----------------------------------------------------------------- points */

static int
point_cmp(const void *a, const void *b)
{
	const AlPoint *pa = a,
			   *pb = b;

	if (pa->key != pb->key)
		return pa->key < pb->key ? -1 : 1;
	if (pa->score != pb->score)
		return pa->score < pb->score ? -1 : 1;
	return 0;
}

void
al_points_sort(AlPoint *p, size_t n)
{
	if (n > 1 && !al_points_strictly_sorted(p, n))
		qsort(p, n, sizeof(AlPoint), point_cmp);
}

bool
al_points_strictly_sorted(const AlPoint *p, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (p[i - 1].key >= p[i].key)
			return false;
	return true;
}

AlStatus
al_points_collapse(AlPoint *p, size_t n, AlKeyKind kind, AlDupPolicy policy,
				   size_t *nout, AlError *err)
{
	size_t		w = 0,
				i = 0;

	while (i < n)
	{
		size_t		j = i + 1;

		while (j < n && p[j].key == p[i].key)
			j++;
		if (j - i > 1)
		{
			double		v;

			if (policy == AL_DUP_ERROR)
			{
				char		kb[48];

				al_key_format(kind, p[i].key, kb, sizeof(kb));
				al_fail(err, AL_ERR_PARAM, "duplicate session key %s in trajectory", kb);
				al_detail(err, "%zu scores were given for session %s.", j - i, kb);
				al_hint(err, "Pass 'mean', 'min' or 'max' as the last argument, on_duplicate, of trajectory(session, score, on_duplicate) or rollup(t, on_duplicate).");
				return AL_ERR_PARAM;
			}
			/* sorted by score within a key: min first, max last */
			if (policy == AL_DUP_MIN)
				v = p[i].score;
			else if (policy == AL_DUP_MAX)
				v = p[j - 1].score;
			else if (p[i].score == p[j - 1].score)
				v = p[i].score;	/* all equal: the mean is that score, exactly */
			else
			{
				/* mean as min + mean of the offsets: small terms, no overflow */
				double		base = p[i].score,
							sum = 0;

				for (size_t q = i; q < j; q++)
					sum += p[q].score - base;
				v = base + sum / (double) (j - i);
				if (!isfinite(v))
				{
					/* offsets overflowed (scores near DBL_MAX): mean of fractions */
					v = 0;
					for (size_t q = i; q < j; q++)
						v += p[q].score / (double) (j - i);
				}
			}
			p[w].key = p[i].key;
			p[w].score = v;
		}
		else
			p[w] = p[i];
		w++;
		i = j;
	}
	*nout = w;
	return AL_OK;
}

AlStatus
al_traj_check_instrument(AlKeyKind kind, const AlInstrument *inst, const AlPoint *p, size_t n,
						 AlError *err)
{
	double		lo,
				hi,
				slack;

	al_instrument_score_range(inst, &lo, &hi);
	/* prorated and mean scores are rounded fractions: allow their last bits */
	slack = 1e-9 * (fabs(lo) > fabs(hi) ? fabs(lo) : fabs(hi));
	for (size_t i = 0; i < n; i++)
	{
		if (p[i].score >= lo - slack && p[i].score <= hi + slack)
			continue;
		{
			char		kb[48],
						sb[32],
						lb[32],
						hb[32];

			al_key_format(kind, p[i].key, kb, sizeof kb);
			al_score_format(p[i].score, sb, sizeof sb);
			al_score_format(lo, lb, sizeof lb);
			al_score_format(hi, hb, sizeof hb);
			al_fail(err, AL_ERR_RANGE, "session %s has score %s, which %s cannot give", kb, sb, inst->code);
			al_detail(err, "%s %s scores run from %s to %s.", inst->code,
					  inst->score == AL_SCORE_MEAN ? "mean" : "total", lb, hb);
			return AL_ERR_RANGE;
		}
	}
	return AL_OK;
}

AlStatus
al_traj_validate(AlKeyKind kind, const char *code, const AlPoint *p, size_t n, AlError *err)
{
	if (kind < AL_KEY_INT || kind > AL_KEY_TIMESTAMPTZ)
		return al_fail(err, AL_ERR_SYNTAX, "invalid session key kind %d in trajectory", (int) kind);
	if (code != NULL && code[0] != '\0')
	{
		char		norm[AL_MAX_CODE_LEN + 1];
		size_t		cl = strnlen(code, AL_SERIES_MAX_CODE + 1);

		if (cl > AL_SERIES_MAX_CODE)
			return al_fail(err, AL_ERR_SYNTAX, "instrument code in trajectory is too long");
		if (al_normalize_code(code, cl, norm, err) != AL_OK)
			return err ? err->status : AL_ERR_SYNTAX;
		if (strcmp(norm, code) != 0)
			return al_fail(err, AL_ERR_SYNTAX, "instrument code \"%s\" in trajectory is not in lower case", code);
	}
	if (n > AL_SERIES_MAX_POINTS)
		return al_fail(err, AL_ERR_LIMIT, "trajectory has too many points (%zu; at most %d)",
					   n, AL_SERIES_MAX_POINTS);
	for (size_t i = 0; i < n; i++)
	{
		char		kb[48];

		if (!al_key_valid(kind, p[i].key))
		{
			al_fail(err, AL_ERR_RANGE, "session key out of range for kind %s in trajectory",
					al_key_kind_name(kind));
			return AL_ERR_RANGE;
		}
		if (!isfinite(p[i].score))
			return al_fail(err, AL_ERR_RANGE, "score in trajectory is not finite");
		if (i > 0 && p[i - 1].key >= p[i].key)
		{
			al_key_format(kind, p[i].key, kb, sizeof(kb));
			al_fail(err, AL_ERR_SYNTAX, "session keys in trajectory are not strictly increasing at %s", kb);
			al_detail(err, "A trajectory holds one score per session, in session order.");
			return AL_ERR_SYNTAX;
		}
	}
	return AL_OK;
}

/* -------------------------------------------------------------- text form */

size_t
al_traj_format_bound(size_t n)
{
	/* key < 40, '=', score < 32, ',' per point; kind, ':', code, braces, NUL */
	return n * 74 + 64;
}

size_t
al_traj_format(AlKeyKind kind, const char *code, const AlPoint *p, size_t n, char *buf)
{
	size_t		len;

	len = (size_t) sprintf(buf, "%s", al_key_kind_name(kind));
	if (code != NULL && code[0] != '\0')
		len += (size_t) sprintf(buf + len, ":%s", code);
	buf[len++] = '{';
	for (size_t i = 0; i < n; i++)
	{
		if (i > 0)
			buf[len++] = ',';
		len += (size_t) al_key_format(kind, p[i].key, buf + len, 48);
		buf[len++] = '=';
		len += (size_t) al_score_format(p[i].score, buf + len, 40);
	}
	buf[len++] = '}';
	buf[len] = '\0';
	return len;
}

size_t
al_traj_count_bound(const char *s, size_t len)
{
	size_t		c = 1;

	for (size_t i = 0; i < len; i++)
		if (s[i] == ',')
			c++;
	return c;
}

static bool
is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static size_t
skip_ws(const char *s, size_t len, size_t i)
{
	while (i < len && is_ws(s[i]))
		i++;
	return i;
}

static AlStatus
syntax(AlError *err, const char *s, size_t len, const char *detail)
{
	al_fail(err, AL_ERR_SYNTAX, "invalid input syntax for type trajectory: \"%.*s%s\"",
			(int) (len > 60 ? 60 : len), s, len > 60 ? "..." : "");
	al_detail(err, "%s", detail);
	return AL_ERR_SYNTAX;
}

AlStatus
al_traj_parse(const char *s, size_t len, AlKeyKind *kind, char *code,
			  AlPoint *pts, size_t cap, size_t *n, AlError *err)
{
	size_t		i,
				start,
				np = 0;
	AlStatus	st;

	code[0] = '\0';
	i = skip_ws(s, len, 0);
	start = i;
	while (i < len && ((s[i] >= 'a' && s[i] <= 'z')))
		i++;
	if (i == start)
		return syntax(err, s, len, "A trajectory starts with its key kind: int, date, timestamp or timestamptz.");
	if (al_key_kind_parse(s + start, i - start, kind, err) != AL_OK)
		return AL_ERR_SYNTAX;
	if (i < len && s[i] == ':')
	{
		i++;
		start = i;
		while (i < len && s[i] != '{' && !is_ws(s[i]))
			i++;
		if (i - start == 0 || i - start > AL_SERIES_MAX_CODE)
			return syntax(err, s, len, "The instrument code after \":\" is missing or too long.");
		if (al_normalize_code(s + start, i - start, code, err) != AL_OK)
			return err ? err->status : AL_ERR_SYNTAX;
	}
	i = skip_ws(s, len, i);
	if (i >= len || s[i] != '{')
		return syntax(err, s, len, "Expected \"{\" after the key kind.");
	i = skip_ws(s, len, i + 1);
	if (i < len && s[i] == '}')
		i++;
	else
	{
		for (;;)
		{
			size_t		ks,
						ke;

			ks = i;
			while (i < len && s[i] != '=' && s[i] != ',' && s[i] != '}' && !is_ws(s[i]))
				i++;
			ke = i;
			i = skip_ws(s, len, i);
			if (i >= len || s[i] != '=')
				return syntax(err, s, len, "Each point is key=score.");
			if (np >= cap)
				return syntax(err, s, len, "Too many points.");
			st = al_key_parse(*kind, s + ks, ke - ks, &pts[np].key, err);
			if (st != AL_OK)
				return st;
			i = skip_ws(s, len, i + 1);
			ks = i;
			while (i < len && s[i] != ',' && s[i] != '}' && !is_ws(s[i]))
				i++;
			st = parse_score(s + ks, i - ks, &pts[np].score, err);
			if (st != AL_OK)
				return st;
			np++;
			i = skip_ws(s, len, i);
			if (i < len && s[i] == ',')
			{
				i = skip_ws(s, len, i + 1);
				continue;
			}
			if (i < len && s[i] == '}')
			{
				i++;
				break;
			}
			return syntax(err, s, len, "Expected \",\" or \"}\" after a score.");
		}
	}
	i = skip_ws(s, len, i);
	if (i != len)
		return syntax(err, s, len, "Junk after closing \"}\".");
	*n = np;
	return al_traj_validate(*kind, code, pts, np, err);
}

/* -------------------------------------------------------------- binary form */

static void
put_be(uint8_t *b, uint64_t v, int bytes)
{
	for (int i = bytes - 1; i >= 0; i--, v >>= 8)
		b[i] = (uint8_t) v;
}

static uint64_t
get_be(const uint8_t *b, int bytes)
{
	uint64_t	v = 0;

	for (int i = 0; i < bytes; i++)
		v = (v << 8) | b[i];
	return v;
}

size_t
al_traj_binary_size(size_t cl, size_t n)
{
	return 3 + cl + 4 + n * 16;
}

void
al_traj_binary_encode(AlKeyKind kind, const char *code, const AlPoint *p, size_t n, uint8_t *buf)
{
	size_t		cl = code ? strlen(code) : 0;
	uint8_t    *b = buf;

	*b++ = AL_TRAJ_BINARY_VERSION;
	*b++ = (uint8_t) kind;
	*b++ = (uint8_t) cl;
	memcpy(b, code, cl);
	b += cl;
	put_be(b, (uint64_t) n, 4);
	b += 4;
	for (size_t i = 0; i < n; i++)
	{
		uint64_t	bits;

		memcpy(&bits, &p[i].score, sizeof bits);
		put_be(b, (uint64_t) p[i].key, 8);
		put_be(b + 8, bits, 8);
		b += 16;
	}
}

AlStatus
al_traj_binary_header(const uint8_t *buf, size_t len, size_t max_points, AlKeyKind *kind,
					  char *code, size_t *n, AlError *err)
{
	size_t		cl;
	uint64_t	count;

	if (len < 3)
		return al_fail(err, AL_ERR_SYNTAX, "The value is shorter than its header.");
	if (buf[0] != AL_TRAJ_BINARY_VERSION)
		return al_fail(err, AL_ERR_SYNTAX, "Unknown format version.");
	if (buf[1] < AL_KEY_INT || buf[1] > AL_KEY_TIMESTAMPTZ)
		return al_fail(err, AL_ERR_SYNTAX, "Unknown session key kind.");
	*kind = (AlKeyKind) buf[1];
	cl = buf[2];
	if (cl > AL_SERIES_MAX_CODE)
		return al_fail(err, AL_ERR_SYNTAX, "Instrument code too long.");
	if (len < 3 + cl + 4)
		return al_fail(err, AL_ERR_SYNTAX, "The value is shorter than its header.");
	if (memchr(buf + 3, '\0', cl) != NULL)
		return al_fail(err, AL_ERR_SYNTAX, "NUL byte in the instrument code.");
	memcpy(code, buf + 3, cl);
	code[cl] = '\0';
	count = get_be(buf + 3 + cl, 4);
	if (count > max_points || (len - (3 + cl + 4)) / 16 != count || (len - (3 + cl + 4)) % 16 != 0)
		return al_fail(err, AL_ERR_SYNTAX, "The point count does not match the data.");
	*n = (size_t) count;
	return AL_OK;
}

void
al_traj_binary_points(const uint8_t *buf, size_t len, AlPoint *p, size_t n)
{
	const uint8_t *b = buf + 3 + buf[2] + 4;

	(void) len;
	for (size_t i = 0; i < n; i++, b += 16)
	{
		uint64_t	bits = get_be(b + 8, 8);

		p[i].key = (int64_t) get_be(b, 8);
		memcpy(&p[i].score, &bits, sizeof bits);
	}
}
