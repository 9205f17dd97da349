/*
 * series_keys.c — the names of the series vocabulary (key kinds, duplicate
 * policies, methods, repair states, statuses) and session keys: validity,
 * ISO 8601 text, abscissae.  Keys follow PostgreSQL's own ranges and
 * encodings, so a key reads and prints the same in the core and the server.
 * See doc/trajectory.md.
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
static const char *const method_names[] = {"stiles", "strauss", "rci", "sudden", "drop", "cutoff",
"level"};
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
	for (int i = 0; i <= AL_METHOD_LAST; i++)
	{
		if (strcmp(s, method_names[i]) == 0)
		{
			*out = (AlMethod) i;
			return AL_OK;
		}
	}
	al_fail(err, AL_ERR_PARAM, "unknown value for parameter \"method\": \"%.60s\"", s);
	al_hint(err, "method is one of 'level' (the default), 'stiles', 'strauss', 'rci', 'sudden', 'drop', 'cutoff'.");
	return AL_ERR_PARAM;
}

const char *
al_method_name(AlMethod m)
{
	return (m >= AL_METHOD_STILES && m <= AL_METHOD_LAST) ? method_names[m] : "?";
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

