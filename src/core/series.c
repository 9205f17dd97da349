/*
 * series.c — ruptures, repairs and trends over a client's series; the text
 * form of a trajectory.  See series.h and shared/instruments.md,
 * "Series rules".
 */
#include "series.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "instrument.h"

/* PostgreSQL's finite ranges (datatype/timestamp.h), as facts of its format. */
#define PG_DATE_MIN			INT64_C(-2451545)	/* 4714-11-24 BC */
#define PG_DATE_END			INT64_C(2145031949) /* exclusive: 5874898-01-01 */
#define PG_TS_MIN			INT64_C(-211813488000000000)
#define PG_TS_END			INT64_C(9223371331200000000)	/* exclusive: 294277-01-01 */
#define USECS_PER_DAY		INT64_C(86400000000)
#define DAYS_1970_TO_2000	INT64_C(10957)

/* ------------------------------------------------------------------ names */

static const char *const key_kind_names[] = {NULL, "int", "date", "timestamp", "timestamptz"};
static const char *const dup_names[] = {"error", "mean", "min", "max"};
static const char *const method_names[] = {"stiles", "strauss", "rci", "sudden", "drop", "cutoff"};
static const char *const repair_names[] = {"repaired", "unrepaired", "open"};
static const char *const status_names[] = {"open_rupture", "repaired", "improving", "declining", "stable"};

const char *
al_key_kind_name(AlKeyKind kind)
{
	if (kind < AL_KEY_INT || kind > AL_KEY_TIMESTAMPTZ)
		return "?";
	return key_kind_names[kind];
}

AlStatus
al_key_kind_parse(const char *s, size_t len, AlKeyKind *out, AlError *err)
{
	for (int k = AL_KEY_INT; k <= AL_KEY_TIMESTAMPTZ; k++)
	{
		if (strlen(key_kind_names[k]) == len && memcmp(s, key_kind_names[k], len) == 0)
		{
			*out = (AlKeyKind) k;
			return AL_OK;
		}
	}
	al_fail(err, AL_ERR_SYNTAX, "unknown session key kind \"%.*s\"", (int) (len > 40 ? 40 : len), s);
	al_detail(err, "The kind is one of int, date, timestamp, timestamptz.");
	return AL_ERR_SYNTAX;
}

AlStatus
al_dup_policy_parse(const char *s, AlDupPolicy *out, AlError *err)
{
	for (int i = 0; i < 4; i++)
	{
		if (strcmp(s, dup_names[i]) == 0)
		{
			*out = (AlDupPolicy) i;
			return AL_OK;
		}
	}
	al_fail(err, AL_ERR_PARAM, "invalid value for parameter \"on_duplicate\": \"%.60s\"", s);
	al_hint(err, "on_duplicate is one of 'error', 'mean', 'min', 'max'.");
	return AL_ERR_PARAM;
}

const char *
al_dup_policy_name(AlDupPolicy p)
{
	return (p >= AL_DUP_ERROR && p <= AL_DUP_MAX) ? dup_names[p] : "?";
}

AlStatus
al_method_parse(const char *s, AlMethod *out, AlError *err)
{
	for (int i = 0; i <= AL_METHOD_CUTOFF; i++)
	{
		if (strcmp(s, method_names[i]) == 0)
		{
			*out = (AlMethod) i;
			return AL_OK;
		}
	}
	al_fail(err, AL_ERR_PARAM, "unknown value for parameter \"method\": \"%.60s\"", s);
	al_hint(err, "method is one of 'stiles', 'strauss', 'rci', 'sudden', 'drop', 'cutoff'.");
	return AL_ERR_PARAM;
}

const char *
al_method_name(AlMethod m)
{
	return (m >= AL_METHOD_STILES && m <= AL_METHOD_CUTOFF) ? method_names[m] : "?";
}

const char *
al_repair_state_name(AlRepairState s)
{
	return (s >= AL_REPAIRED && s <= AL_OPEN) ? repair_names[s] : "?";
}

const char *
al_traj_status_name(AlTrajStatus s)
{
	return (s >= AL_STATUS_OPEN_RUPTURE && s <= AL_STATUS_STABLE) ? status_names[s] : "?";
}

/* ------------------------------------------------------------------- keys */

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t		era,
				yoe,
				doy,
				doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t		era,
				doe,
				yoe,
				doy,
				mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int) (doy - (153 * mp + 2) / 5 + 1);
	*m = (int) (mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static int
days_in_month(int64_t y, int m)
{
	static const int dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dim[m - 1];
}

static int64_t
floor_div(int64_t a, int64_t b)
{
	int64_t		q = a / b;

	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

bool
al_key_valid(AlKeyKind kind, int64_t key)
{
	switch (kind)
	{
		case AL_KEY_INT:
			return true;
		case AL_KEY_DATE:
			return key >= PG_DATE_MIN && key < PG_DATE_END;
		case AL_KEY_TIMESTAMP:
		case AL_KEY_TIMESTAMPTZ:
			return key >= PG_TS_MIN && key < PG_TS_END;
	}
	return false;
}

static int
format_date(int64_t days2000, char *buf, size_t cap)
{
	int64_t		y;
	int			m,
				d;

	civil_from_days(days2000 + DAYS_1970_TO_2000, &y, &m, &d);
	if (y >= 0 && y <= 9999)
		return snprintf(buf, cap, "%04lld-%02d-%02d", (long long) y, m, d);
	return snprintf(buf, cap, "%c%05lld-%02d-%02d", y < 0 ? '-' : '+',
					(long long) (y < 0 ? -y : y), m, d);
}

int
al_key_format(AlKeyKind kind, int64_t key, char *buf, size_t cap)
{
	int64_t		days,
				usec;
	int			len,
				hh,
				mi,
				ss,
				frac;

	switch (kind)
	{
		case AL_KEY_INT:
			return snprintf(buf, cap, "%lld", (long long) key);
		case AL_KEY_DATE:
			return format_date(key, buf, cap);
		case AL_KEY_TIMESTAMP:
		case AL_KEY_TIMESTAMPTZ:
			days = floor_div(key, USECS_PER_DAY);
			usec = key - days * USECS_PER_DAY;
			len = format_date(days, buf, cap);
			hh = (int) (usec / INT64_C(3600000000));
			mi = (int) (usec / 60000000 % 60);
			ss = (int) (usec / 1000000 % 60);
			frac = (int) (usec % 1000000);
			len += snprintf(buf + len, cap - len, "T%02d:%02d:%02d", hh, mi, ss);
			if (frac != 0)
			{
				char		f[8];
				int			fl;

				snprintf(f, sizeof(f), "%06d", frac);
				for (fl = 6; f[fl - 1] == '0'; fl--)
					;
				len += snprintf(buf + len, cap - len, ".%.*s", fl, f);
			}
			if (kind == AL_KEY_TIMESTAMPTZ)
				len += snprintf(buf + len, cap - len, "Z");
			return len;
	}
	buf[0] = '\0';
	return 0;
}

/* Reads exactly n digits at s[*i]; false if not there. */
static bool
read_digits(const char *s, size_t len, size_t *i, int n, int *out)
{
	int			v = 0;

	for (int j = 0; j < n; j++)
	{
		if (*i >= len || s[*i] < '0' || s[*i] > '9')
			return false;
		v = v * 10 + (s[*i] - '0');
		(*i)++;
	}
	*out = v;
	return true;
}

static bool
parse_date_part(const char *s, size_t len, size_t *i, int64_t *days2000)
{
	int64_t		y = 0;
	int			ndig = 0,
				m,
				d;
	bool		neg = false,
				sign = false;

	if (*i < len && (s[*i] == '+' || s[*i] == '-'))
	{
		sign = true;
		neg = s[*i] == '-';
		(*i)++;
	}
	while (*i < len && s[*i] >= '0' && s[*i] <= '9')
	{
		if (ndig >= 9)
			return false;
		y = y * 10 + (s[*i] - '0');
		ndig++;
		(*i)++;
	}
	if (ndig < 4 || (!sign && ndig != 4))
		return false;
	if (neg)
		y = -y;
	if (*i >= len || s[*i] != '-')
		return false;
	(*i)++;
	if (!read_digits(s, len, i, 2, &m) || m < 1 || m > 12)
		return false;
	if (*i >= len || s[*i] != '-')
		return false;
	(*i)++;
	if (!read_digits(s, len, i, 2, &d) || d < 1 || d > days_in_month(y, m))
		return false;
	*days2000 = days_from_civil(y, m, d) - DAYS_1970_TO_2000;
	return true;
}

AlStatus
al_key_parse(AlKeyKind kind, const char *s, size_t len, int64_t *out, AlError *err)
{
	size_t		i = 0;
	int64_t		days,
				v;
	int			hh,
				mi,
				ss,
				frac = 0;

	switch (kind)
	{
		case AL_KEY_INT:
			{
				bool		neg = false;
				uint64_t	u = 0,
							lim;

				if (i < len && (s[i] == '+' || s[i] == '-'))
					neg = s[i++] == '-';
				if (i >= len)
					goto bad;
				lim = neg ? (uint64_t) INT64_MAX + 1 : (uint64_t) INT64_MAX;
				for (; i < len; i++)
				{
					if (s[i] < '0' || s[i] > '9')
						goto bad;
					if (u > (lim - (uint64_t) (s[i] - '0')) / 10)
					{
						al_fail(err, AL_ERR_RANGE, "session key \"%.*s\" is out of range for type bigint",
								(int) (len > 40 ? 40 : len), s);
						return AL_ERR_RANGE;
					}
					u = u * 10 + (uint64_t) (s[i] - '0');
				}
				*out = neg ? (int64_t) (0 - u) : (int64_t) u;
				return AL_OK;
			}
		case AL_KEY_DATE:
			if (!parse_date_part(s, len, &i, &days) || i != len)
				goto bad;
			v = days;
			break;
		case AL_KEY_TIMESTAMP:
		case AL_KEY_TIMESTAMPTZ:
			if (!parse_date_part(s, len, &i, &days))
				goto bad;
			if (i >= len || s[i] != 'T')
				goto bad;
			i++;
			if (!read_digits(s, len, &i, 2, &hh) || hh > 23)
				goto bad;
			if (i >= len || s[i++] != ':')
				goto bad;
			if (!read_digits(s, len, &i, 2, &mi) || mi > 59)
				goto bad;
			if (i >= len || s[i++] != ':')
				goto bad;
			if (!read_digits(s, len, &i, 2, &ss) || ss > 59)
				goto bad;
			if (i < len && s[i] == '.')
			{
				int			nf = 0;

				i++;
				while (i < len && s[i] >= '0' && s[i] <= '9')
				{
					if (nf >= 6)
						goto bad;
					frac = frac * 10 + (s[i] - '0');
					nf++;
					i++;
				}
				if (nf == 0)
					goto bad;
				for (; nf < 6; nf++)
					frac *= 10;
			}
			if (kind == AL_KEY_TIMESTAMPTZ)
			{
				if (i >= len || s[i] != 'Z')
					goto bad;
				i++;
			}
			if (i != len)
				goto bad;
			/* keep the multiplication in range before forming the key */
			if (days < floor_div(PG_TS_MIN, USECS_PER_DAY) || days > PG_TS_END / USECS_PER_DAY)
				goto range;
			v = days * USECS_PER_DAY + (int64_t) hh * INT64_C(3600000000) +
				(int64_t) mi * 60000000 + (int64_t) ss * 1000000 + frac;
			break;
		default:
			goto bad;
	}
	if (!al_key_valid(kind, v))
		goto range;
	*out = v;
	return AL_OK;

range:
	al_fail(err, AL_ERR_RANGE, "session key \"%.*s\" is out of range for type %s",
			(int) (len > 40 ? 40 : len), s, al_key_kind_name(kind));
	return AL_ERR_RANGE;
bad:
	al_fail(err, AL_ERR_SYNTAX, "invalid session key \"%.*s\" for kind %s",
			(int) (len > 40 ? 40 : len), s, al_key_kind_name(kind));
	al_detail(err, kind == AL_KEY_INT ? "An int key is a signed integer."
			  : kind == AL_KEY_DATE ? "A date key is YYYY-MM-DD."
			  : kind == AL_KEY_TIMESTAMP ? "A timestamp key is YYYY-MM-DDTHH:MM:SS[.ffffff]."
			  : "A timestamptz key is YYYY-MM-DDTHH:MM:SS[.ffffff]Z, in UTC.");
	return AL_ERR_SYNTAX;
}

double
al_key_to_x(AlKeyKind kind, int64_t key)
{
	if (kind == AL_KEY_TIMESTAMP || kind == AL_KEY_TIMESTAMPTZ)
		return (double) key / (double) USECS_PER_DAY;
	return (double) key;
}

double
al_key_span(AlKeyKind kind, int64_t a, int64_t b)
{
	int64_t		d;
	double		dd;

	if (__builtin_sub_overflow(b, a, &d))
		dd = (double) b - (double) a;
	else
		dd = (double) d;
	if (kind == AL_KEY_TIMESTAMP || kind == AL_KEY_TIMESTAMPTZ)
		return dd / (double) USECS_PER_DAY;
	return dd;
}

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
	double		unit = (double) al_pow10(inst->decimals);
	double		lo = (double) al_scale_min_u(inst, -1) / unit,
				hi = (double) al_scale_max_u(inst, -1) / unit,
				slack;

	if (inst->score == AL_SCORE_MEAN)
	{
		lo /= inst->nitems;
		hi /= inst->nitems;
	}
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

/* ------------------------------------------------------------- statistics */

double
al_series_mean(const AlPoint *p, size_t n)
{
	double		sum = 0;

	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		sum += p[i].score;
	return sum / (double) n;
}

AlStatus
al_series_check_score(double score, AlError *err)
{
	char		buf[32];

	if (score >= -AL_SERIES_MAX_ABS && score <= AL_SERIES_MAX_ABS)
		return AL_OK;
	al_score_format(score, buf, sizeof buf);
	al_fail(err, AL_ERR_RANGE, "score %s is too large to analyse", buf);
	al_detail(err, "Ruptures, trends, alerts and charts take scores between -1e150 and 1e150; "
			  "beyond that a double cannot hold the squared differences an SD needs.");
	al_hint(err, "Rescale the scores, for example to the instrument's own units.");
	return AL_ERR_RANGE;
}

AlStatus
al_series_check_scores(const AlPoint *p, size_t n, AlError *err)
{
	for (size_t i = 0; i < n; i++)
		if (al_series_check_score(p[i].score, err) != AL_OK)
			return AL_ERR_RANGE;
	return AL_OK;
}

double
al_series_sd(const AlPoint *p, size_t n)
{
	double		mean,
				ss = 0,
				comp = 0;

	if (n < 2)
		return 0;
	mean = al_series_mean(p, n);
	for (size_t i = 0; i < n; i++)
	{
		double		d = p[i].score - mean;

		ss += d * d;
		comp += d;
	}
	/* corrected two-pass (Chan, Golub & LeVeque): removes the mean's rounding */
	ss -= comp * comp / (double) n;
	if (ss < 0)
		ss = 0;
	return sqrt(ss / (double) (n - 1));
}

static double
values_mean(const double *x, size_t n)
{
	double		s = 0;

	for (size_t i = 0; i < n; i++)
		s += x[i];
	return s / (double) n;
}

static double
values_var(const double *x, size_t n, double mean)
{
	double		ss = 0;

	if (n < 2)
		return 0;
	for (size_t i = 0; i < n; i++)
		ss += (x[i] - mean) * (x[i] - mean);
	return ss / (double) (n - 1);
}

bool
al_series_slope(AlKeyKind kind, const AlPoint *p, size_t n, double *slope)
{
	double		mx = 0,
				my,
				sxx = 0,
				sxy = 0;

	if (n < 2)
		return false;
	for (size_t i = 0; i < n; i++)
		mx += al_key_span(kind, p[0].key, p[i].key);
	mx /= (double) n;
	my = al_series_mean(p, n);
	for (size_t i = 0; i < n; i++)
	{
		double		dx = al_key_span(kind, p[0].key, p[i].key) - mx;

		sxx += dx * dx;
		sxy += dx * (p[i].score - my);
	}
	if (sxx == 0)
		return false;
	*slope = sxy / sxx;
	return true;
}

bool
al_tie_ge(double a, double b)
{
	return a >= b - AL_TIE_TOLERANCE * fmax(1.0, fabs(b));
}

/*
 * drop = prev - cur >= threshold, ties included.  The difference of two
 * large scores carries their rounding error (a few ulps of the operands), so
 * the tolerance grows with the scores as well as with the threshold.
 */
static bool
drop_ge(double prev, double cur, double threshold)
{
	double		d = prev - cur;
	double		slack = AL_TIE_TOLERANCE * fmax(1.0, fabs(threshold)) +
		4 * DBL_EPSILON * fmax(fabs(prev), fabs(cur));

	return d >= threshold - slack;
}

/* ---------------------------------------------------------- rupture rules */

void
al_series_params_init(AlSeriesParams *p)
{
	memset(p, 0, sizeof(*p));
	p->method = AL_METHOD_STILES;
	p->has_pct = true;
	p->pct = 0.25;
	p->repair_window = 3;
	p->eps = 0;
}

static AlStatus
param_error(AlError *err, const char *param, const char *rule, double v)
{
	al_fail(err, AL_ERR_PARAM, "parameter \"%s\" %s (got %g)", param, rule, v);
	return AL_ERR_PARAM;
}

static AlStatus
missing(AlError *err, AlMethod m, const char *param, const char *hint)
{
	al_fail(err, AL_ERR_PARAM, "method \"%s\" needs parameter \"%s\"", al_method_name(m), param);
	if (hint)
		al_hint(err, "%s", hint);
	return AL_ERR_PARAM;
}

AlStatus
al_series_params_check(const AlSeriesParams *p, bool prospective, AlError *err)
{
	if (p->method < AL_METHOD_STILES || p->method > AL_METHOD_CUTOFF)
		return al_fail(err, AL_ERR_PARAM, "unknown value for parameter \"method\"");
	if (p->has_k && !(p->k >= 0))
		return param_error(err, "k", "must not be negative", p->k);
	if (p->has_reference_sd && !(p->reference_sd >= 0))
		return param_error(err, "reference_sd", "must not be negative", p->reference_sd);
	if (p->has_sd && !(p->sd >= 0))
		return param_error(err, "sd", "must not be negative", p->sd);
	if (p->has_reliability && !(p->reliability >= 0 && p->reliability <= 1))
		return param_error(err, "reliability", "must be between 0 and 1", p->reliability);
	if (p->has_points && !(p->points >= 0))
		return param_error(err, "points", "must not be negative", p->points);
	if (p->has_c1 && !(p->c1 >= 0))
		return param_error(err, "c1", "must not be negative", p->c1);
	if (p->has_pct && !(p->pct >= 0 && p->pct <= 1))
		return param_error(err, "pct", "must be between 0 and 1", p->pct);
	if (!prospective && p->repair_window < 1)
		return param_error(err, "repair_window", "must be at least 1", (double) p->repair_window);
	if (!prospective && !(p->eps >= 0))
		return param_error(err, "eps", "must not be negative", p->eps);
	if (p->has_cutoff && !isfinite(p->cutoff))
		return param_error(err, "cutoff", "must be finite", p->cutoff);

	switch (p->method)
	{
		case AL_METHOD_RCI:
			if (p->has_rc_points && !(p->has_sd && p->has_reliability))
				break;
			if (!p->has_sd)
				return missing(err, p->method, "sd",
							   "Pass sd => and reliability => (or use a response trajectory of an instrument with norms).");
			if (!p->has_reliability)
				return missing(err, p->method, "reliability",
							   "Pass sd => and reliability => (or use a response trajectory of an instrument with norms).");
			break;
		case AL_METHOD_CUTOFF:
			if (!p->has_cutoff)
				return missing(err, p->method, "cutoff",
							   "Pass cutoff => (a response trajectory of an instrument with a published cut-off has it by default).");
			break;
		case AL_METHOD_SUDDEN:
			if (prospective)
			{
				al_fail(err, AL_ERR_PARAM, "method \"sudden\" cannot be used by rupture_alert");
				al_detail(err, "A sudden loss is judged from the three sessions after it, which a prospective alert does not have.");
				al_hint(err, "Use alliance.ruptures(t, method => 'sudden') on the finished trajectory.");
				return AL_ERR_PARAM;
			}
			if (!p->has_c1 && (!p->has_sd || !p->has_reliability) && !p->has_rc_points)
				return missing(err, p->method, !p->has_sd ? "sd" : "reliability",
							   "c1 defaults to the RCI value 1.96 * sd * sqrt(2) * sqrt(1 - reliability): pass c1 =>, or sd => and reliability =>.");
			break;
		default:
			break;
	}
	return AL_OK;
}

bool
al_method_uses_sd(AlMethod m)
{
	return m == AL_METHOD_STILES || m == AL_METHOD_STRAUSS;
}

double
al_series_sref(const AlSeriesParams *p, const AlPoint *pts, size_t n)
{
	double		s = al_series_sd(pts, n);

	if (p->has_reference_sd && p->reference_sd > s)
		s = p->reference_sd;
	return s;
}

static double
rci_value(const AlSeriesParams *p)
{
	/* as reliable_change(): sd and reliability first, else the points rule */
	if (p->has_rc_points && !(p->has_sd && p->has_reliability))
		return p->rc_points;
	return 1.96 * p->sd * sqrt(2.0) * sqrt(1.0 - p->reliability);
}

double
al_series_threshold(const AlSeriesParams *p, double sref)
{
	switch (p->method)
	{
		case AL_METHOD_STILES:
			return (p->has_k ? p->k : 2.0) * sref;
		case AL_METHOD_STRAUSS:
			return (p->has_k ? p->k : 1.0) * sref;
		case AL_METHOD_RCI:
			return rci_value(p);
		case AL_METHOD_SUDDEN:
			return p->has_c1 ? p->c1 : rci_value(p);
		case AL_METHOD_DROP:
			return p->has_points ? p->points : 0.0;
		case AL_METHOD_CUTOFF:
			return p->cutoff;
	}
	return 0;
}

bool
al_step_is_rupture(AlMethod m, double threshold, double prev, double cur)
{
	double		d = prev - cur;

	if (!(d > 0))
		return false;
	if (m == AL_METHOD_CUTOFF)
		return cur < threshold && prev >= threshold;
	return drop_ge(prev, cur, threshold);
}

double
al_sudden_tcrit(int df)
{
	switch (df)
	{
		case 4:
			return 2.776;
		case 3:
			return 3.182;
		case 2:
			return 4.303;
		default:
			return 0;
	}
}

/* Tang & DeRubeis criteria for the interval between 0-based positions a and a + 1. */
static bool
is_sudden_loss(const AlPoint *p, size_t n, size_t a, double c1, bool has_pct, double pct)
{
	double		pre[3],
				post[3],
				mpre,
				mpost,
				pooled,
				d = p[a].score - p[a + 1].score;
	size_t		npre = 0,
				npost = 0;
	int			df;

	if (!(d > 0) || !drop_ge(p[a].score, p[a + 1].score, c1))
		return false;
	if (has_pct && !al_tie_ge(d, pct * p[a].score))
		return false;
	for (size_t i = (a >= 2 ? a - 2 : 0); i <= a; i++)
		pre[npre++] = p[i].score;
	for (size_t i = a + 1; i < n && i <= a + 3; i++)
		post[npost++] = p[i].score;
	if (npre < 2 || npost < 2)
		return false;
	df = (int) (npre + npost - 2);
	mpre = values_mean(pre, npre);
	mpost = values_mean(post, npost);
	pooled = sqrt(((double) (npre - 1) * values_var(pre, npre, mpre) +
				   (double) (npost - 1) * values_var(post, npost, mpost)) / (double) df);
	return mpre - mpost > al_sudden_tcrit(df) * pooled;
}

/* Repair of a rupture at 0-based t whose previous score is prev. */
static void
find_repair(const AlPoint *p, size_t n, size_t t, double prev, const AlSeriesParams *params,
			AlRupture *r)
{
	size_t		w = (size_t) params->repair_window;

	r->repaired_seq = 0;
	r->repaired_key = 0;
	for (size_t q = 1; q <= w; q++)
	{
		if (t + q >= n)
		{
			r->state = AL_OPEN;
			return;
		}
		if (al_tie_ge(p[t + q].score, prev - params->eps))
		{
			r->state = AL_REPAIRED;
			r->repaired_seq = (int) (t + q + 1);
			r->repaired_key = p[t + q].key;
			return;
		}
	}
	r->state = AL_UNREPAIRED;
}

AlStatus
al_series_ruptures(const AlPoint *p, size_t n, const AlSeriesParams *params,
				   AlRupture *out, size_t *nout, AlError *err)
{
	double		thr;
	size_t		nr = 0;
	AlStatus	st;

	*nout = 0;
	st = al_series_params_check(params, false, err);
	if (st != AL_OK)
		return st;
	st = al_series_check_scores(p, n, err);
	if (st != AL_OK)
		return st;
	if (n < 2)
		return AL_OK;
	thr = al_series_threshold(params, al_method_uses_sd(params->method)
							  ? al_series_sref(params, p, n) : 0.0);
	for (size_t t = 1; t < n; t++)
	{
		bool		hit;

		if (params->method == AL_METHOD_SUDDEN)
			hit = is_sudden_loss(p, n, t - 1, thr, params->has_pct, params->pct);
		else
			hit = al_step_is_rupture(params->method, thr, p[t - 1].score, p[t].score);
		if (!hit)
			continue;
		out[nr].seq = (int) (t + 1);
		out[nr].key = p[t].key;
		out[nr].previous_score = p[t - 1].score;
		out[nr].score = p[t].score;
		out[nr].drop = p[t - 1].score - p[t].score;
		out[nr].threshold = thr;
		find_repair(p, n, t, p[t - 1].score, params, &out[nr]);
		nr++;
	}
	*nout = nr;
	return AL_OK;
}

AlStatus
al_series_status(AlKeyKind kind, const AlPoint *p, size_t n, const AlSeriesParams *params,
				 AlRupture *scratch, AlTrajStatus *out, AlError *err)
{
	size_t		nr;
	double		slope,
				sref;
	AlStatus	st;

	st = al_series_ruptures(p, n, params, scratch, &nr, err);
	if (st != AL_OK)
		return st;
	if (nr > 0 && scratch[nr - 1].state != AL_REPAIRED)
	{
		*out = AL_STATUS_OPEN_RUPTURE;
		return AL_OK;
	}
	for (size_t i = 0; i < nr; i++)
		if (scratch[i].state == AL_REPAIRED)
		{
			*out = AL_STATUS_REPAIRED;
			return AL_OK;
		}
	*out = AL_STATUS_STABLE;
	sref = al_series_sref(params, p, n);
	if (sref > 0 && al_series_slope(kind, p, n, &slope))
	{
		double		change = slope * al_key_span(kind, p[0].key, p[n - 1].key);

		if (al_tie_ge(change, sref))
			*out = AL_STATUS_IMPROVING;
		else if (al_tie_ge(-change, sref))
			*out = AL_STATUS_DECLINING;
	}
	return AL_OK;
}

/* ------------------------------------------------------------------ alert */

void
al_running_init(AlRunning *r)
{
	r->n = 0;
	r->mean = 0;
	r->m2 = 0;
}

void
al_running_add(AlRunning *r, double x)
{
	double		delta;

	r->n++;
	delta = x - r->mean;
	r->mean += delta / (double) r->n;
	r->m2 += delta * (x - r->mean);
}

double
al_running_sd(const AlRunning *r)
{
	if (r->n < 2 || r->m2 <= 0)
		return 0;
	return sqrt(r->m2 / (double) (r->n - 1));
}

int
al_alert_decide(const AlSeriesParams *p, const AlRunning *history, double prev, double cur)
{
	double		sref = 0;

	if (history->n < 1)
		return -1;
	if (al_method_uses_sd(p->method))
	{
		if (history->n < 3 && !p->has_reference_sd)
			return -1;
		sref = al_running_sd(history);
		if (p->has_reference_sd && p->reference_sd > sref)
			sref = p->reference_sd;
	}
	return al_step_is_rupture(p->method, al_series_threshold(p, sref), prev, cur) ? 1 : 0;
}
