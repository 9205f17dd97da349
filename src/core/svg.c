/* svg.c — a trajectory as a self-contained SVG chart; see svg.h. */
#include "svg.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* layout, in pixels (svg.h) */
#define ML			56			/* left margin: y labels */
#define MR			16
#define MT			40			/* heading and legend */
#define MB			40			/* x labels and axis title */
#define YPAD		8			/* inside the plot, above and below the y range */
#define DOT_MIN_GAP 6.0			/* dots only when sessions are this far apart */
#define CHAR_W		6.5			/* estimated width of a character at 11 px */

#define RED			"#d62728"
#define DARK_RED	"#7f0000"
#define GREEN		"#2ca02c"
#define DARK_GREEN	"#1a661a"
#define LINE		"#1f4e79"
#define GREY		"#555555"
#define LIGHT		"#e6e6e6"

/* ------------------------------------------------------------ the writer */

typedef struct W
{
	char	   *buf;
	size_t		cap;
	size_t		len;
} W;

static void
put_n(W *w, const char *s, size_t n)
{
	if (w->len < w->cap)
	{
		size_t		room = w->cap - w->len;

		memcpy(w->buf + w->len, s, n < room ? n : room);
	}
	w->len += n;
}

static void
put(W *w, const char *s)
{
	put_n(w, s, strlen(s));
}

static void
put_int(W *w, long long v)
{
	char		b[32];
	int			l = snprintf(b, sizeof(b), "%lld", v);	/* no grouping: locale-free */

	put_n(w, b, (size_t) l);
}

/* XML text or attribute value */
static void
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

static double
pow10i(int d)
{
	double		p = 1;

	for (int i = 0; i < d; i++)
		p *= 10;
	return p;
}

/* A score: the fewest decimals in [mindec, 6] that show it to 1e-9. */
static int
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
static int
fmt_tick(char *b, size_t cap, double v, int d)
{
	if (!(fabs(v) < 1e12))
		return fmt_sci(b, cap, v);
	return fmt_scaled(b, cap, llround(v * pow10i(d)), d, false);
}

/* A coordinate: rounded to 0.01, trailing zeros dropped. */
static void
put_coord(W *w, double v)
{
	char		b[40];

	if (!(v > -1e7))
		v = -1e7;
	if (!(v < 1e7))
		v = 1e7;
	put_n(w, b, (size_t) fmt_scaled(b, sizeof(b), llround(v * 100.0), 2, true));
}

static void
put_score(W *w, double v, int mindec)
{
	char		b[48];

	put_n(w, b, (size_t) fmt_score(b, sizeof(b), v, mindec));
}

/* attribute name="coordinate" with a leading space */
static void
put_attr(W *w, const char *name, double v)
{
	put(w, " ");
	put(w, name);
	put(w, "=\"");
	put_coord(w, v);
	put(w, "\"");
}

/* A key as text: session number or ISO 8601 (UTC); date_only cuts the time. */
static void
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

static int
key_len(AlKeyKind kind, int64_t key)
{
	char		b[48];
	int			l = al_key_format(kind, key, b, sizeof(b));
	char	   *t = (kind != AL_KEY_INT && l > 0) ? memchr(b, 'T', (size_t) l) : NULL;

	return t ? (int) (t - b) : l;
}

/* "session 4" or "2024-03-01" (the full UTC instant for time keys) */
static void
put_where(W *w, AlKeyKind kind, int64_t key)
{
	if (kind == AL_KEY_INT)
		put(w, "session ");
	put_key(w, kind, key, false);
}

/* ------------------------------------------------------------ the y scale */

typedef struct YScale
{
	double		lo,
				hi;				/* the domain */
	double		step;			/* 0: no nice ticks (ticks at lo and hi) */
	double		first;			/* index of the first tick: lo = first * step */
	int			nticks;
	int			decimals;
	double		top,
				bottom;			/* pixels */
} YScale;

static double
yof(const YScale *s, double v)
{
	/* halves: finite for any two finite doubles */
	double		den = s->hi * 0.5 - s->lo * 0.5;
	double		f = den > 0 ? (v * 0.5 - s->lo * 0.5) / den : 0.5;

	return s->bottom - f * (s->bottom - s->top);
}

static void
yscale_init(YScale *s, double lo, double hi, double top, double bottom)
{
	double		range,
				raw,
				e,
				mag,
				f,
				step,
				a,
				b;

	s->top = top;
	s->bottom = bottom;
	if (!(hi > lo))
	{
		double		pad = fabs(lo) >= 20 ? fabs(lo) * 0.05 : 1.0;

		hi = lo + pad;
		lo = lo - pad;
		if (!isfinite(hi))
			hi = DBL_MAX;
		if (!isfinite(lo))
			lo = -DBL_MAX;
	}
	s->lo = lo;
	s->hi = hi;
	s->step = 0;
	s->first = 0;
	s->nticks = 2;
	s->decimals = 0;

	range = hi - lo;
	if (!isfinite(range) || !(range > 0))
		return;
	raw = range / 5.0;
	e = floor(log10(raw));
	mag = pow(10.0, e);
	if (!(mag > 0) || !isfinite(mag))
		return;
	f = raw / mag;
	step = (f <= 1.0 ? 1.0 : f <= 2.0 ? 2.0 : f <= 5.0 ? 5.0 : 10.0) * mag;
	a = floor(lo / step);
	b = ceil(hi / step);
	if (!isfinite(a) || !isfinite(b) || !(b - a >= 1) || b - a > 20 ||
		!isfinite(a * step) || !isfinite(b * step) || a * step > lo || b * step < hi)
		return;
	s->step = step;
	s->first = a;
	s->nticks = (int) (b - a) + 1;
	s->lo = a * step;
	s->hi = b * step;
	/* decimals of the step: 0.5 -> 1, 0.02 -> 2, 5 -> 0 */
	s->decimals = e < 0 ? (int) -e : 0;
	if (f > 5.0 && s->decimals > 0)
		s->decimals--;			/* the step rounded up to 10 * mag */
	if (s->decimals > 6)
		s->decimals = 6;
}

static double
tick_value(const YScale *s, int i)
{
	if (s->step == 0)
		return i == 0 ? s->lo : s->hi;
	return (s->first + i) * s->step;
}

/* ------------------------------------------------------------ the chart */

void
al_svg_options_init(AlSvgOptions *o)
{
	memset(o, 0, sizeof(*o));
	o->width = 640;
	o->height = 240;
	o->kind = AL_KEY_INT;
	o->repair_window = 3;
}

static const char *
state_class(AlRepairState s)
{
	return s == AL_REPAIRED ? "rupture repaired" : s == AL_OPEN ? "rupture open" : "rupture unrepaired";
}

/* the marker shapes, shared by the chart and the legend */
static void
put_rupture_shape(W *w, AlRepairState state, double x, double y)
{
	if (state == AL_REPAIRED)
	{
		put(w, "<circle");
		put_attr(w, "cx", x);
		put_attr(w, "cy", y);
		put(w, " r=\"5\" fill=\"#ffffff\" stroke=\"" RED "\" stroke-width=\"2.5\"/>");
		return;
	}
	put(w, "<circle");
	put_attr(w, "cx", x);
	put_attr(w, "cy", y);
	put(w, " r=\"5.5\" fill=\"" RED "\" stroke=\"" DARK_RED "\" stroke-width=\"1.5\"/>");
	if (state == AL_OPEN)
	{
		put(w, "<circle");
		put_attr(w, "cx", x);
		put_attr(w, "cy", y);
		put(w, " r=\"9\" fill=\"none\" stroke=\"" RED "\" stroke-width=\"1.5\" stroke-dasharray=\"3 2\"/>");
	}
}

static void
put_repair_shape(W *w, double x, double y)
{
	put(w, "<circle");
	put_attr(w, "cx", x);
	put_attr(w, "cy", y);
	put(w, " r=\"5\" fill=\"" GREEN "\" stroke=\"" DARK_GREEN "\" stroke-width=\"1.5\"/>");
}

static void
put_plural(W *w, size_t k, const char *one, const char *many)
{
	put_int(w, (long long) k);
	put(w, " ");
	put(w, k == 1 ? one : many);
}

/* The accessible name: what the chart shows, in one sentence. */
static void
put_title_text(W *w, const AlPoint *p, size_t n, const size_t *count, size_t nr,
			   const AlSvgOptions *o, double lo, double hi)
{
	bool		code = o->code && o->code[0];

	put(w, "Alliance chart of ");
	if (code)
		put_esc(w, o->code);
	else
		put(w, "a numeric series");
	put(w, ": ");
	put_plural(w, n, "session", "sessions");
	if (n > 0)
	{
		put(w, n == 1 ? " (" : " (");
		put_where(w, o->kind, p[0].key);
		if (n > 1)
		{
			put(w, " to ");
			put_key(w, o->kind, p[n - 1].key, false);
		}
		put(w, "), scores ");
		put_score(w, lo, o->decimals);
		if (hi != lo)
		{
			put(w, " to ");
			put_score(w, hi, o->decimals);
		}
	}
	if (o->has_cutoff)
	{
		put(w, ", cut-off ");
		put_score(w, o->cutoff, o->decimals);
	}
	put(w, "; ");
	if (nr == 0)
		put(w, "no ruptures");
	else
		put_plural(w, nr, "rupture", "ruptures");
	if (o->method && o->method[0])
	{
		put(w, " (");
		put_esc(w, o->method);
		put(w, ")");
	}
	if (nr > 0)
	{
		put(w, ": ");
		put_int(w, (long long) count[AL_REPAIRED]);
		put(w, " repaired, ");
		put_int(w, (long long) count[AL_UNREPAIRED]);
		put(w, " unrepaired, ");
		put_int(w, (long long) count[AL_OPEN]);
		put(w, " open");
	}
}

static void
put_text_open(W *w, double x, double y, const char *cls, const char *anchor)
{
	put(w, "<text class=\"");
	put(w, cls);
	put(w, "\"");
	put_attr(w, "x", x);
	put_attr(w, "y", y);
	if (anchor)
	{
		put(w, " text-anchor=\"");
		put(w, anchor);
		put(w, "\"");
	}
	put(w, ">");
}

static void
put_legend(W *w, const size_t *count, bool repairs, bool cutoff, double y)
{
	static const char *const label[] = {"repaired rupture", "unrepaired rupture", "open rupture"};
	double		x = ML;

	put(w, "<g class=\"legend\">");
	for (int s = AL_REPAIRED; s <= AL_OPEN; s++)
	{
		if (count[s] == 0)
			continue;
		put_rupture_shape(w, (AlRepairState) s, x + 6, y - 4);
		put_text_open(w, x + 18, y, "legend", NULL);
		put(w, label[s]);
		put(w, "</text>");
		x += 18 + CHAR_W * strlen(label[s]) + 14;
	}
	if (repairs)
	{
		put_repair_shape(w, x + 6, y - 4);
		put_text_open(w, x + 18, y, "legend", NULL);
		put(w, "repair</text>");
		x += 18 + CHAR_W * 6 + 14;
	}
	if (cutoff)
	{
		put(w, "<line");
		put_attr(w, "x1", x);
		put_attr(w, "y1", y - 4);
		put_attr(w, "x2", x + 14);
		put_attr(w, "y2", y - 4);
		put(w, " stroke=\"" GREY "\" stroke-width=\"1.5\" stroke-dasharray=\"5 3\"/>");
		put_text_open(w, x + 18, y, "legend", NULL);
		put(w, "cut-off</text>");
	}
	put(w, "</g>\n");
}

size_t
al_svg(const AlPoint *p, size_t n, const AlRupture *r, size_t nr,
	   const AlSvgOptions *opts, char *buf, size_t cap)
{
	AlSvgOptions o = *opts;
	W			w = {buf, cap, 0};
	W		   *wp = &w;
	double		x0,
				x1,
				y0,
				y1,
				pw,
				step,
				lo = 0,
				hi = 0;
	YScale		ys;
	size_t		count[3] = {0, 0, 0};
	size_t		nrepairs = 0;
	bool		code = o.code && o.code[0];

	if (o.width < AL_SVG_MIN_SIZE)
		o.width = AL_SVG_MIN_SIZE;
	if (o.width > AL_SVG_MAX_SIZE)
		o.width = AL_SVG_MAX_SIZE;
	if (o.height < AL_SVG_MIN_SIZE)
		o.height = AL_SVG_MIN_SIZE;
	if (o.height > AL_SVG_MAX_SIZE)
		o.height = AL_SVG_MAX_SIZE;
	if (o.has_cutoff && !isfinite(o.cutoff))
		o.has_cutoff = false;
	x0 = ML;
	x1 = o.width - MR;
	y0 = MT;
	y1 = o.height - MB;
	pw = x1 - x0;
	step = n > 0 ? pw / (double) n : pw;

	for (size_t i = 0; i < n; i++)
	{
		if (i == 0 || p[i].score < lo)
			lo = p[i].score;
		if (i == 0 || p[i].score > hi)
			hi = p[i].score;
	}
	for (size_t k = 0; k < nr; k++)
	{
		int			s = r[k].state;

		count[s >= AL_REPAIRED && s <= AL_OPEN ? s : AL_UNREPAIRED]++;
		if (r[k].state == AL_REPAIRED && r[k].repaired_seq >= 1 && (size_t) r[k].repaired_seq <= n)
			nrepairs++;
	}
	{
		double		dlo = lo,
					dhi = hi;

		if (n == 0)
			dlo = dhi = o.has_cutoff ? o.cutoff : 0;
		if (o.has_cutoff)
		{
			dlo = fmin(dlo, o.cutoff);
			dhi = fmax(dhi, o.cutoff);
		}
		yscale_init(&ys, dlo, dhi, y0 + YPAD, y1 - YPAD);
	}

#define X(i) (x0 + ((double) (i) + 0.5) * step)
#define Y(v) yof(&ys, (v))

	/* ---- the frame */
	put(wp, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"alliance-chart\" width=\"");
	put_int(wp, o.width);
	put(wp, "\" height=\"");
	put_int(wp, o.height);
	put(wp, "\" viewBox=\"0 0 ");
	put_int(wp, o.width);
	put(wp, " ");
	put_int(wp, o.height);
	put(wp, "\" role=\"img\" aria-label=\"");
	put_title_text(wp, p, n, count, nr, &o, lo, hi);
	put(wp, "\" font-family=\"sans-serif\" font-size=\"11\">\n<title>");
	put_title_text(wp, p, n, count, nr, &o, lo, hi);
	put(wp, "</title>\n");
	put(wp, "<rect class=\"background\" x=\"0\" y=\"0\" width=\"");
	put_int(wp, o.width);
	put(wp, "\" height=\"");
	put_int(wp, o.height);
	put(wp, "\" fill=\"#ffffff\"/>\n");

	/* ---- heading and legend */
	put_text_open(wp, x0, 16, "heading", NULL);
	put(wp, "<tspan font-weight=\"bold\">");
	if (code)
		put_esc(wp, o.code);
	else
		put(wp, "score");
	put(wp, "</tspan> ");
	put_plural(wp, n, "session", "sessions");
	put(wp, ", ");
	if (nr == 0)
		put(wp, "no ruptures");
	else
		put_plural(wp, nr, "rupture", "ruptures");
	if (o.method && o.method[0])
	{
		put(wp, " (");
		put_esc(wp, o.method);
		put(wp, ")");
	}
	put(wp, "</text>\n");
	if (nr > 0 || o.has_cutoff)
		put_legend(wp, count, nrepairs > 0, o.has_cutoff, 32);

	/* ---- y grid, ticks and labels */
	put(wp, "<g class=\"grid\" stroke=\"" LIGHT "\" stroke-width=\"1\">");
	for (int i = 0; i < ys.nticks; i++)
	{
		double		y = Y(tick_value(&ys, i));

		put(wp, "<line");
		put_attr(wp, "x1", x0);
		put_attr(wp, "y1", y);
		put_attr(wp, "x2", x1);
		put_attr(wp, "y2", y);
		put(wp, "/>");
	}
	put(wp, "</g>\n<g class=\"tick\" fill=\"" GREY "\" text-anchor=\"end\">");
	for (int i = 0; i < ys.nticks; i++)
	{
		double		v = tick_value(&ys, i);
		char		b[48];
		int			l;

		put(wp, "<text");
		put_attr(wp, "x", x0 - 6);
		put_attr(wp, "y", Y(v) + 4);
		put(wp, ">");
		l = ys.step > 0 ? fmt_tick(b, sizeof(b), v, ys.decimals) : fmt_score(b, sizeof(b), v, o.decimals);
		put_n(wp, b, (size_t) l);
		put(wp, "</text>");
	}
	put(wp, "</g>\n");

	/* ---- axes */
	put(wp, "<path class=\"axis\" fill=\"none\" stroke=\"" GREY "\" stroke-width=\"1\" d=\"M");
	put_coord(wp, x0);
	put(wp, " ");
	put_coord(wp, y0);
	put(wp, "V");
	put_coord(wp, y1);
	put(wp, "H");
	put_coord(wp, x1);
	put(wp, "\"/>\n");

	/* ---- x labels, thinned so they do not overlap */
	if (n > 0)
	{
		int			chars = key_len(o.kind, p[0].key);
		int			c2 = key_len(o.kind, p[n - 1].key);
		double		lw = CHAR_W * (c2 > chars ? c2 : chars) + 8;
		size_t		every = (size_t) ceil(lw / step);

		if (every < 1)
			every = 1;
		put(wp, "<g class=\"tick\" fill=\"" GREY "\" text-anchor=\"middle\">");
		for (size_t i = 0; i < n; i += every)
		{
			put(wp, "<line");
			put_attr(wp, "x1", X(i));
			put_attr(wp, "y1", y1);
			put_attr(wp, "x2", X(i));
			put_attr(wp, "y2", y1 + 4);
			put(wp, " stroke=\"" GREY "\"/><text");
			put_attr(wp, "x", X(i));
			put_attr(wp, "y", y1 + 16);
			put(wp, ">");
			put_key(wp, o.kind, p[i].key, true);
			put(wp, "</text>");
		}
		put(wp, "</g>\n");
	}
	put_text_open(wp, (x0 + x1) / 2, o.height - 6, "axis-title", "middle");
	put(wp, o.kind == AL_KEY_INT ? "session" : o.kind == AL_KEY_TIMESTAMPTZ ? "date (UTC)" : "date");
	put(wp, "</text>\n");

	/* ---- cut-off */
	if (o.has_cutoff)
	{
		double		y = Y(o.cutoff);

		put(wp, "<line class=\"cutoff\"");
		put_attr(wp, "x1", x0);
		put_attr(wp, "y1", y);
		put_attr(wp, "x2", x1);
		put_attr(wp, "y2", y);
		put(wp, " stroke=\"" GREY "\" stroke-width=\"1.5\" stroke-dasharray=\"5 3\"><title>cut-off ");
		put_score(wp, o.cutoff, o.decimals);
		put(wp, "</title></line>\n");
	}

	/* ---- the series */
	if (n == 0)
	{
		put_text_open(wp, (x0 + x1) / 2, (y0 + y1) / 2, "empty", "middle");
		put(wp, "no sessions</text>\n");
	}
	else
	{
		put(wp, "<polyline class=\"series\" fill=\"none\" stroke=\"" LINE "\" stroke-width=\"2\" stroke-linejoin=\"round\" points=\"");
		if (n <= (size_t) (4 * pw))
		{
			for (size_t i = 0; i < n; i++)
			{
				if (i > 0)
					put(wp, " ");
				put_coord(wp, X(i));
				put(wp, ",");
				put_coord(wp, Y(p[i].score));
			}
		}
		else
		{
			/* per pixel column: first, lowest, highest and last session */
			bool		first = true;
			size_t		i = 0;

			while (i < n)
			{
				long		col = (long) floor(X(i));
				size_t		j = i,
							imin = i,
							imax = i,
							pick[4];
				int			np = 0;

				while (j + 1 < n && (long) floor(X(j + 1)) == col)
				{
					j++;
					if (p[j].score < p[imin].score)
						imin = j;
					if (p[j].score > p[imax].score)
						imax = j;
				}
				pick[0] = i;
				pick[1] = imin < imax ? imin : imax;
				pick[2] = imin < imax ? imax : imin;
				pick[3] = j;
				for (int a = 0; a < 4; a++)
				{
					if (np > 0 && pick[a] == pick[np - 1])
						continue;
					pick[np++] = pick[a];
				}
				for (int a = 0; a < np; a++)
				{
					if (!first)
						put(wp, " ");
					first = false;
					put_coord(wp, X(pick[a]));
					put(wp, ",");
					put_coord(wp, Y(p[pick[a]].score));
				}
				i = j + 1;
			}
		}
		put(wp, "\"/>\n");
		if (step >= DOT_MIN_GAP)
		{
			put(wp, "<g class=\"points\" fill=\"" LINE "\">");
			for (size_t i = 0; i < n; i++)
			{
				put(wp, "<circle class=\"point\"");
				put_attr(wp, "cx", X(i));
				put_attr(wp, "cy", Y(p[i].score));
				put(wp, " r=\"2.5\"><title>");
				put_where(wp, o.kind, p[i].key);
				put(wp, ": ");
				put_score(wp, p[i].score, o.decimals);
				put(wp, "</title></circle>");
			}
			put(wp, "</g>\n");
		}
	}

	/* ---- ruptures and repairs */
	for (size_t k = 0; k < nr; k++)
	{
		const AlRupture *ru = &r[k];
		AlRepairState st = ru->state;
		size_t		i;

		if (ru->seq < 1 || (size_t) ru->seq > n)
			continue;			/* not from this series */
		if (st != AL_REPAIRED && st != AL_OPEN)
			st = AL_UNREPAIRED;
		i = (size_t) ru->seq - 1;
		if (st == AL_REPAIRED && ru->repaired_seq >= 1 && (size_t) ru->repaired_seq <= n)
		{
			size_t		j = (size_t) ru->repaired_seq - 1;

			put(wp, "<line class=\"repair-link\"");
			put_attr(wp, "x1", X(i));
			put_attr(wp, "y1", Y(p[i].score));
			put_attr(wp, "x2", X(j));
			put_attr(wp, "y2", Y(p[j].score));
			put(wp, " stroke=\"" GREEN "\" stroke-width=\"1.5\" stroke-dasharray=\"2 2\"/>\n");
		}
		put(wp, "<g class=\"");
		put(wp, state_class(st));
		put(wp, "\"><title>rupture at ");
		put_where(wp, o.kind, ru->key);
		put(wp, ": ");
		put_score(wp, ru->previous_score, o.decimals);
		put(wp, " &#8594; ");
		put_score(wp, ru->score, o.decimals);
		put(wp, " (drop ");
		put_score(wp, ru->drop, o.decimals);
		put(wp, "), ");
		if (st == AL_REPAIRED)
		{
			put(wp, "repaired at ");
			put_key(wp, o.kind, ru->repaired_key, false);
		}
		else if (st == AL_OPEN)
		{
			put(wp, "open: the series ends within the ");
			put_int(wp, o.repair_window);
			put(wp, "-session repair window");
		}
		else
		{
			put(wp, "not repaired within ");
			put_plural(wp, (size_t) (o.repair_window > 0 ? o.repair_window : 0), "session", "sessions");
		}
		put(wp, "</title>");
		put_rupture_shape(wp, st, X(i), Y(p[i].score));
		put(wp, "</g>\n");
		if (st == AL_REPAIRED && ru->repaired_seq >= 1 && (size_t) ru->repaired_seq <= n)
		{
			size_t		j = (size_t) ru->repaired_seq - 1;

			put(wp, "<g class=\"repair\"><title>repair at ");
			put_where(wp, o.kind, p[j].key);
			put(wp, ": ");
			put_score(wp, p[j].score, o.decimals);
			put(wp, " (rupture at ");
			put_key(wp, o.kind, ru->key, false);
			put(wp, " repaired)</title>");
			put_repair_shape(wp, X(j), Y(p[j].score));
			put(wp, "</g>\n");
		}
	}
#undef X
#undef Y

	put(wp, "</svg>\n");
	if (cap > 0)
		buf[w.len < cap ? w.len : cap - 1] = '\0';
	return w.len;
}
