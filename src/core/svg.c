/*
 * svg.c — a trajectory as a self-contained SVG chart; see svg.h.  The chart
 * is drawn part by part (frame, heading, y axis, x axis, cut-off, series,
 * ruptures) from one Chart of layout and scale; the writer is svg_write.c.
 */
#include "svg.h"
#include "svg_internal.h"

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

/*
 * One chart's layout and scale: everything the parts below share.  The plot
 * spans x0..x1 and y0..y1 pixels; session i sits at the middle of its step.
 */
typedef struct Chart
{
	AlSvgOptions o;				/* the options, sizes clamped */
	double		x0,
				x1,
				y0,
				y1,
				pw,				/* plot width */
				step;			/* pixels per session */
	double		lo,
				hi;				/* the series' range */
	YScale		ys;
	size_t		count[3];		/* ruptures by repair state */
	size_t		nrepairs;		/* repaired ruptures with their repair on the chart */
	bool		code;			/* the series names an instrument */
} Chart;

static double
xat(const Chart *c, size_t i)
{
	return c->x0 + ((double) i + 0.5) * c->step;
}

static double
yat(const Chart *c, double v)
{
	return yof(&c->ys, v);
}

static void
chart_layout(Chart *c, const AlPoint *p, size_t n, const AlRupture *r, size_t nr,
			 const AlSvgOptions *opts)
{
	memset(c, 0, sizeof(*c));
	c->o = *opts;
	if (c->o.width < AL_SVG_MIN_SIZE)
		c->o.width = AL_SVG_MIN_SIZE;
	if (c->o.width > AL_SVG_MAX_SIZE)
		c->o.width = AL_SVG_MAX_SIZE;
	if (c->o.height < AL_SVG_MIN_SIZE)
		c->o.height = AL_SVG_MIN_SIZE;
	if (c->o.height > AL_SVG_MAX_SIZE)
		c->o.height = AL_SVG_MAX_SIZE;
	if (c->o.has_cutoff && !isfinite(c->o.cutoff))
		c->o.has_cutoff = false;
	c->code = c->o.code && c->o.code[0];
	c->x0 = ML;
	c->x1 = c->o.width - MR;
	c->y0 = MT;
	c->y1 = c->o.height - MB;
	c->pw = c->x1 - c->x0;
	c->step = n > 0 ? c->pw / (double) n : c->pw;

	for (size_t i = 0; i < n; i++)
	{
		if (i == 0 || p[i].score < c->lo)
			c->lo = p[i].score;
		if (i == 0 || p[i].score > c->hi)
			c->hi = p[i].score;
	}
	for (size_t k = 0; k < nr; k++)
	{
		int			s = r[k].state;

		c->count[s >= AL_REPAIRED && s <= AL_OPEN ? s : AL_UNREPAIRED]++;
		if (r[k].state == AL_REPAIRED && r[k].repaired_seq >= 1 && (size_t) r[k].repaired_seq <= n)
			c->nrepairs++;
	}
	{
		double		dlo = c->lo,
					dhi = c->hi;

		if (n == 0)
			dlo = dhi = c->o.has_cutoff ? c->o.cutoff : 0;
		if (c->o.has_cutoff)
		{
			dlo = fmin(dlo, c->o.cutoff);
			dhi = fmax(dhi, c->o.cutoff);
		}
		if (c->o.has_range && isfinite(c->o.range_lo) && isfinite(c->o.range_hi))
		{
			dlo = fmin(dlo, c->o.range_lo);
			dhi = fmax(dhi, c->o.range_hi);
		}
		yscale_init(&c->ys, dlo, dhi, c->y0 + YPAD, c->y1 - YPAD);
	}
}

/* the svg element, its accessible title and the background */
static void
put_frame(W *wp, const Chart *c, const AlPoint *p, size_t n, size_t nr)
{
	put(wp, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"alliance-chart\" width=\"");
	put_int(wp, c->o.width);
	put(wp, "\" height=\"");
	put_int(wp, c->o.height);
	put(wp, "\" viewBox=\"0 0 ");
	put_int(wp, c->o.width);
	put(wp, " ");
	put_int(wp, c->o.height);
	put(wp, "\" role=\"img\" aria-label=\"");
	put_title_text(wp, p, n, c->count, nr, &c->o, c->lo, c->hi);
	put(wp, "\" font-family=\"sans-serif\" font-size=\"11\">\n<title>");
	put_title_text(wp, p, n, c->count, nr, &c->o, c->lo, c->hi);
	put(wp, "</title>\n");
	put(wp, "<rect class=\"background\" x=\"0\" y=\"0\" width=\"");
	put_int(wp, c->o.width);
	put(wp, "\" height=\"");
	put_int(wp, c->o.height);
	put(wp, "\" fill=\"#ffffff\"/>\n");

}

/* the heading (instrument, sessions, ruptures, method) and the legend */
static void
put_heading(W *wp, const Chart *c, size_t n, size_t nr)
{
	put_text_open(wp, c->x0, 16, "heading", NULL);
	put(wp, "<tspan font-weight=\"bold\">");
	if (c->code)
		put_esc(wp, c->o.code);
	else
		put(wp, "score");
	put(wp, "</tspan> ");
	put_plural(wp, n, "session", "sessions");
	put(wp, ", ");
	if (nr == 0)
		put(wp, "no ruptures");
	else
		put_plural(wp, nr, "rupture", "ruptures");
	if (c->o.method && c->o.method[0])
	{
		put(wp, " (");
		put_esc(wp, c->o.method);
		put(wp, ")");
	}
	put(wp, "</text>\n");
	if (nr > 0 || c->o.has_cutoff)
		put_legend(wp, c->count, c->nrepairs > 0, c->o.has_cutoff, 32);

}

/* the horizontal grid and the score ticks */
static void
put_y_axis(W *wp, const Chart *c)
{
	put(wp, "<g class=\"grid\" stroke=\"" LIGHT "\" stroke-width=\"1\">");
	for (int i = 0; i < c->ys.nticks; i++)
	{
		double		y = yat(c, tick_value(&c->ys, i));

		put(wp, "<line");
		put_attr(wp, "x1", c->x0);
		put_attr(wp, "y1", y);
		put_attr(wp, "x2", c->x1);
		put_attr(wp, "y2", y);
		put(wp, "/>");
	}
	put(wp, "</g>\n<g class=\"tick\" fill=\"" GREY "\" text-anchor=\"end\">");
	for (int i = 0; i < c->ys.nticks; i++)
	{
		double		v = tick_value(&c->ys, i);
		char		b[48];
		int			l;

		put(wp, "<text");
		put_attr(wp, "x", c->x0 - 6);
		put_attr(wp, "y", yat(c, v) + 4);
		put(wp, ">");
		l = c->ys.step > 0 ? fmt_tick(b, sizeof(b), v, c->ys.decimals) : fmt_score(b, sizeof(b), v, c->o.decimals);
		put_n(wp, b, (size_t) l);
		put(wp, "</text>");
	}
	put(wp, "</g>\n");
	if (c->o.y_title && c->o.y_title[0])
	{
		double		ymid = (c->y0 + c->y1) / 2;

		put(wp, "<text class=\"axis-title\" text-anchor=\"middle\"");
		put_attr(wp, "x", 12);
		put_attr(wp, "y", ymid);
		put(wp, " transform=\"rotate(-90 12 ");
		put_coord(wp, ymid);
		put(wp, ")\">");
		put_esc(wp, c->o.y_title);
		put(wp, "</text>\n");
	}
}

/* the axis lines */
static void
put_axes(W *wp, const Chart *c)
{
	put(wp, "<path class=\"axis\" fill=\"none\" stroke=\"" GREY "\" stroke-width=\"1\" d=\"M");
	put_coord(wp, c->x0);
	put(wp, " ");
	put_coord(wp, c->y0);
	put(wp, "V");
	put_coord(wp, c->y1);
	put(wp, "H");
	put_coord(wp, c->x1);
	put(wp, "\"/>\n");

}

/* session labels, thinned so they do not overlap, and the axis title */
static void
put_x_axis(W *wp, const Chart *c, const AlPoint *p, size_t n)
{
	if (n > 0)
	{
		int			chars = key_len(c->o.kind, p[0].key);
		int			c2 = key_len(c->o.kind, p[n - 1].key);
		double		lw = CHAR_W * (c2 > chars ? c2 : chars) + 8;
		size_t		every = (size_t) ceil(lw / c->step);

		if (every < 1)
			every = 1;
		put(wp, "<g class=\"tick\" fill=\"" GREY "\" text-anchor=\"middle\">");
		for (size_t i = 0; i < n; i += every)
		{
			put(wp, "<line");
			put_attr(wp, "x1", xat(c, i));
			put_attr(wp, "y1", c->y1);
			put_attr(wp, "x2", xat(c, i));
			put_attr(wp, "y2", c->y1 + 4);
			put(wp, " stroke=\"" GREY "\"/><text");
			put_attr(wp, "x", xat(c, i));
			put_attr(wp, "y", c->y1 + 16);
			put(wp, ">");
			put_key(wp, c->o.kind, p[i].key, true);
			put(wp, "</text>");
		}
		put(wp, "</g>\n");
	}
	put_text_open(wp, (c->x0 + c->x1) / 2, c->o.height - 6, "axis-title", "middle");
	put(wp, c->o.kind == AL_KEY_INT ? "session" : c->o.kind == AL_KEY_TIMESTAMPTZ ? "date (UTC)" : "date");
	put(wp, "</text>\n");

}

/* the cut-off line */
static void
put_cutoff(W *wp, const Chart *c)
{
	if (c->o.has_cutoff)
	{
		double		y = yat(c, c->o.cutoff);

		put(wp, "<line class=\"cutoff\"");
		put_attr(wp, "x1", c->x0);
		put_attr(wp, "y1", y);
		put_attr(wp, "x2", c->x1);
		put_attr(wp, "y2", y);
		put(wp, " stroke=\"" GREY "\" stroke-width=\"1.5\" stroke-dasharray=\"5 3\"><title>cut-off ");
		put_score(wp, c->o.cutoff, c->o.decimals);
		put(wp, "</title></line>\n");
	}

}

/* the series: every session, or per pixel column its first, lowest, highest and last; dots when they fit */
static void
put_series(W *wp, const Chart *c, const AlPoint *p, size_t n)
{
	if (n == 0)
	{
		put_text_open(wp, (c->x0 + c->x1) / 2, (c->y0 + c->y1) / 2, "empty", "middle");
		put(wp, "no sessions</text>\n");
	}
	else
	{
		put(wp, "<polyline class=\"series\" fill=\"none\" stroke=\"" LINE "\" stroke-width=\"2\" stroke-linejoin=\"round\" points=\"");
		if (n <= (size_t) (4 * c->pw))
		{
			for (size_t i = 0; i < n; i++)
			{
				if (i > 0)
					put(wp, " ");
				put_coord(wp, xat(c, i));
				put(wp, ",");
				put_coord(wp, yat(c, p[i].score));
			}
		}
		else
		{
			/* per pixel column: first, lowest, highest and last session */
			bool		first = true;
			size_t		i = 0;

			while (i < n)
			{
				long		col = (long) floor(xat(c, i));
				size_t		j = i,
							imin = i,
							imax = i,
							pick[4];
				int			np = 0;

				while (j + 1 < n && (long) floor(xat(c, j + 1)) == col)
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
					put_coord(wp, xat(c, pick[a]));
					put(wp, ",");
					put_coord(wp, yat(c, p[pick[a]].score));
				}
				i = j + 1;
			}
		}
		put(wp, "\"/>\n");
		if (c->step >= DOT_MIN_GAP)
		{
			put(wp, "<g class=\"points\" fill=\"" LINE "\">");
			for (size_t i = 0; i < n; i++)
			{
				put(wp, "<circle class=\"point\"");
				put_attr(wp, "cx", xat(c, i));
				put_attr(wp, "cy", yat(c, p[i].score));
				put(wp, " r=\"2.5\"><title>");
				put_where(wp, c->o.kind, p[i].key);
				put(wp, ": ");
				put_score(wp, p[i].score, c->o.decimals);
				put(wp, "</title></circle>");
			}
			put(wp, "</g>\n");
		}
	}

}

/* each rupture by repair state, with its repair and a link between them */
static void
put_ruptures(W *wp, const Chart *c, const AlPoint *p, size_t n, const AlRupture *r, size_t nr)
{
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
			put_attr(wp, "x1", xat(c, i));
			put_attr(wp, "y1", yat(c, p[i].score));
			put_attr(wp, "x2", xat(c, j));
			put_attr(wp, "y2", yat(c, p[j].score));
			put(wp, " stroke=\"" GREEN "\" stroke-width=\"1.5\" stroke-dasharray=\"2 2\"/>\n");
		}
		put(wp, "<g class=\"");
		put(wp, state_class(st));
		put(wp, "\"><title>rupture at ");
		put_where(wp, c->o.kind, ru->key);
		put(wp, ": ");
		put_score(wp, ru->previous_score, c->o.decimals);
		put(wp, " &#8594; ");
		put_score(wp, ru->score, c->o.decimals);
		put(wp, " (drop ");
		put_score(wp, ru->drop, c->o.decimals);
		put(wp, "), ");
		if (st == AL_REPAIRED)
		{
			put(wp, "repaired at ");
			put_key(wp, c->o.kind, ru->repaired_key, false);
		}
		else if (st == AL_OPEN)
		{
			put(wp, "open: the series ends within the ");
			put_int(wp, c->o.repair_window);
			put(wp, "-session repair window");
		}
		else
		{
			put(wp, "not repaired within ");
			put_plural(wp, (size_t) (c->o.repair_window > 0 ? c->o.repair_window : 0), "session", "sessions");
		}
		put(wp, "</title>");
		put_rupture_shape(wp, st, xat(c, i), yat(c, p[i].score));
		put(wp, "</g>\n");
		if (st == AL_REPAIRED && ru->repaired_seq >= 1 && (size_t) ru->repaired_seq <= n)
		{
			size_t		j = (size_t) ru->repaired_seq - 1;

			put(wp, "<g class=\"repair\"><title>repair at ");
			put_where(wp, c->o.kind, p[j].key);
			put(wp, ": ");
			put_score(wp, p[j].score, c->o.decimals);
			put(wp, " (rupture at ");
			put_key(wp, c->o.kind, ru->key, false);
			put(wp, " repaired)</title>");
			put_repair_shape(wp, xat(c, j), yat(c, p[j].score));
			put(wp, "</g>\n");
		}
	}
}

size_t
al_svg(const AlPoint *p, size_t n, const AlRupture *r, size_t nr,
	   const AlSvgOptions *opts, char *buf, size_t cap)
{
	W			w = {buf, cap, 0};
	Chart		chart;

	chart_layout(&chart, p, n, r, nr, opts);
	put_frame(&w, &chart, p, n, nr);
	put_heading(&w, &chart, n, nr);
	put_y_axis(&w, &chart);
	put_axes(&w, &chart);
	put_x_axis(&w, &chart, p, n);
	put_cutoff(&w, &chart);
	put_series(&w, &chart, p, n);
	put_ruptures(&w, &chart, p, n, r, nr);
	put(&w, "</svg>\n");
	if (cap > 0)
		buf[w.len < cap ? w.len : cap - 1] = '\0';
	return w.len;
}
