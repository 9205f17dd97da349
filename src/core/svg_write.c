/*
 * svg_write.c — the writer behind the SVG chart: a bounded buffer, XML
 * escaping, numbers without locale (coordinates, scores, ticks) and session
 * keys as dates or numbers.  The chart itself is svg.c.
 */
#include "svg_internal.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------ the writer */


void
put_n(W *w, const char *s, size_t n)
{
	if (w->len < w->cap)
	{
		size_t		room = w->cap - w->len;

		memcpy(w->buf + w->len, s, n < room ? n : room);
	}
	w->len += n;
}

void
put(W *w, const char *s)
{
	put_n(w, s, strlen(s));
}

void
put_int(W *w, long long v)
{
	char		b[32];
	int			l = snprintf(b, sizeof(b), "%lld", v);	/* no grouping: locale-free */

	put_n(w, b, (size_t) l);
}

/* XML text or attribute value */
void
put_esc(W *w, const char *s)
{
	for (; *s; s++)
	{
		switch (*s)
		{
			case '&':
				put(w, "&amp;");
				break;
			case '<':
				put(w, "&lt;");
				break;
			case '>':
				put(w, "&gt;");
				break;
			case '"':
				put(w, "&quot;");
				break;
			case '\'':
				put(w, "&#39;");
				break;
			default:
				if ((unsigned char) *s < 0x20 || (unsigned char) *s >= 0x7f)
				{
					/* codes are ASCII; anything else is shown as its byte value */
					put(w, "&#");
					put_int(w, (unsigned char) *s < 0x20 ? 0xfffd : (unsigned char) *s);
					put(w, ";");
				}
				else
					put_n(w, s, 1);
		}
	}
}

/* ------------------------------------------------------------ numbers */

/*
 * c / 10^d in decimal, |c| < 2^63, trailing zeros dropped when trim; written
 * with integer arithmetic only, so no locale is involved.
 */
static int
fmt_scaled(char *b, size_t cap, long long c, int d, bool trim)
{
	unsigned long long u = c < 0 ? 0ULL - (unsigned long long) c : (unsigned long long) c;
	unsigned long long p = 1;
	unsigned long long ip,
				fp;
	int			len;

	for (int i = 0; i < d; i++)
		p *= 10;
	ip = u / p;
	fp = u % p;
	if (trim)
		while (d > 0 && fp % 10 == 0)
			fp /= 10, p /= 10, d--;
	len = snprintf(b, cap, "%s%llu", (c < 0 && u != 0) ? "-" : "", ip);
	if (d > 0)
		len += snprintf(b + len, cap - len, ".%0*llu", d, fp);
	return len;
}

/* Scientific form m.mmme+x for magnitudes past fixed-point printing. */
static int
fmt_sci(char *b, size_t cap, double v)
{
	int			e = (int) floor(log10(fabs(v)));
	double		m = v / pow(10.0, e);
	long long	c = llround(m * 1000.0);
	int			len;

	if (c >= 10000 || c <= -10000)
		c = llround(m * 100.0), e++;
	len = fmt_scaled(b, cap, c, 3, true);
	return len + snprintf(b + len, cap - len, "e%d", e);
}

double
pow10i(int d)
{
	double		p = 1;

	for (int i = 0; i < d; i++)
		p *= 10;
	return p;
}

/* A score: the fewest decimals in [mindec, 6] that show it to 1e-9. */
int
fmt_score(char *b, size_t cap, double v, int mindec)
{
	int			d;

	if (mindec < 0)
		mindec = 0;
	if (mindec > 6)
		mindec = 6;
	if (!(fabs(v) < 1e12))
		return fmt_sci(b, cap, v);
	for (d = mindec; d < 6; d++)
	{
		double		s = pow10i(d);

		if (fabs(nearbyint(v * s) / s - v) <= 1e-9 * fmax(1.0, fabs(v)))
			break;
	}
	return fmt_scaled(b, cap, llround(v * pow10i(d)), d, false);
}

/* A tick label with exactly d decimals. */
int
fmt_tick(char *b, size_t cap, double v, int d)
{
	if (!(fabs(v) < 1e12))
		return fmt_sci(b, cap, v);
	return fmt_scaled(b, cap, llround(v * pow10i(d)), d, false);
}

/* A coordinate: rounded to 0.01, trailing zeros dropped. */
void
put_coord(W *w, double v)
{
	char		b[40];

	if (!(v > -1e7))
		v = -1e7;
	if (!(v < 1e7))
		v = 1e7;
	put_n(w, b, (size_t) fmt_scaled(b, sizeof(b), llround(v * 100.0), 2, true));
}

void
put_score(W *w, double v, int mindec)
{
	char		b[48];

	put_n(w, b, (size_t) fmt_score(b, sizeof(b), v, mindec));
}

/* attribute name="coordinate" with a leading space */
void
put_attr(W *w, const char *name, double v)
{
	put(w, " ");
	put(w, name);
	put(w, "=\"");
	put_coord(w, v);
	put(w, "\"");
}

/* A key as text: session number or ISO 8601 (UTC); date_only cuts the time. */
void
put_key(W *w, AlKeyKind kind, int64_t key, bool date_only)
{
	char		b[48];
	int			l = al_key_format(kind, key, b, sizeof(b));

	if (l < 0)
		l = 0;
	if (l >= (int) sizeof(b))
		l = sizeof(b) - 1;
	if (date_only && kind != AL_KEY_INT)
	{
		char	   *t = memchr(b, 'T', (size_t) l);

		if (t)
			l = (int) (t - b);
	}
	put_n(w, b, (size_t) l);
}

int
key_len(AlKeyKind kind, int64_t key)
{
	char		b[48];
	int			l = al_key_format(kind, key, b, sizeof(b));
	char	   *t = (kind != AL_KEY_INT && l > 0) ? memchr(b, 'T', (size_t) l) : NULL;

	return t ? (int) (t - b) : l;
}

/* "session 4" or "2024-03-01" (the full UTC instant for time keys) */
void
put_where(W *w, AlKeyKind kind, int64_t key)
{
	if (kind == AL_KEY_INT)
		put(w, "session ");
	put_key(w, kind, key, false);
}

