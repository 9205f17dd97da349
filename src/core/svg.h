/*
 * svg.h — a trajectory as a self-contained SVG chart.
 *
 * The chart: the series as a polyline over session positions (one vertex and,
 * when there is room, one dot per session), the cut-off as a dashed
 * horizontal line when known, each rupture marked at its session and each
 * repair at the session that repaired it, axis labels, a heading and a
 * legend.  Ruptures come from al_series_ruptures, so a chart marks exactly
 * the ruptures that alliance.ruptures() lists.
 *
 * What is stable, so that tests and pages can rely on it:
 *
 *   <svg ... role="img" aria-label="TITLE">   then <title>TITLE</title>
 *   class="series"              the polyline
 *   class="point"               a dot per session (only when >= 6 px apart)
 *   class="cutoff"              the cut-off line
 *   class="rupture repaired"    a hollow red circle
 *   class="rupture unrepaired"  a filled red circle
 *   class="rupture open"        a filled red circle in a dashed red ring
 *   class="repair"              a filled green circle at the repairing session
 *   class="repair-link"         a dotted green line from a rupture to its repair
 *   class="axis", "grid", "tick", "legend", "heading"
 *
 * Every marker carries a <title> tooltip, e.g. "rupture at session 4:
 * 46 &#8594; 38 (drop 8), repaired at 5".  There are no id attributes (many
 * charts can be inlined in one HTML page), no scripts, no style sheets (only
 * presentation attributes: an inline <style> would leak into a host page),
 * no external references and no timestamps.  The output is ASCII (the arrow
 * is a character reference), so no server encoding can change it.
 *
 * Geometry, for the given width W and height H (pixels):
 *   plot area  x from 56 to W - 16, y from 40 to H - 40;
 *   session i (0-based, of n) at x = 56 + (i + 0.5) * (W - 72) / n;
 *   scores map linearly onto y from H - 48 (bottom of the y range) up to 48
 *   (top), the y range being the scores and the cut-off widened to "nice"
 *   ticks (steps of 1, 2 or 5 times a power of ten, about five of them); a
 *   constant series is widened by 5 % of its value (at least 1) each way.
 * Sessions are placed by position, not by key: the series rules count
 * positions, so a gap in session numbers or dates takes no room (as in the
 * sparkline).  Keys label the x axis (session numbers, or ISO 8601 dates in
 * UTC for date and time keys), thinned so that labels do not overlap.
 *
 * Numbers are printed by this file, not by printf's %f/%g, so they are the
 * same in every locale: coordinates rounded to 0.01 with trailing zeros
 * dropped, scores with the fewest decimals (at least opts->decimals, at most
 * 6) that show them to 1e-9, tick labels with the decimals of the tick step.
 *
 * Size: bounded in the number of sessions, linear in the number of ruptures.
 * The polyline keeps every session while there are at most 4 per pixel
 * column of the plot; past that (a long series in a small chart) each pixel
 * column keeps its first, lowest, highest and last session, which draws the
 * same picture.  Dots and x labels are bounded by the width.  Markers are
 * one per rupture and repair (at most n - 1 ruptures).
 */
#ifndef AL_SVG_H
#define AL_SVG_H

#include <stdbool.h>
#include <stddef.h>

#include "series.h"

#define AL_SVG_MIN_SIZE		120
#define AL_SVG_MAX_SIZE		4000

typedef struct AlSvgOptions
{
	int			width;			/* AL_SVG_MIN_SIZE..AL_SVG_MAX_SIZE (clamped) */
	int			height;
	AlKeyKind	kind;			/* how keys are labelled */
	const char *code;			/* instrument code, or NULL / "" for a numeric series */
	const char *method;			/* rupture method's name for the heading, or NULL */
	bool		has_cutoff;		/* draw the cut-off line */
	double		cutoff;
	int			decimals;		/* scores show at least this many decimals (SRS: 1) */
	int			repair_window;	/* for the tooltips of unrepaired and open ruptures */
	/* an instrument's charts share one y scale: its whole score range */
	bool		has_range;
	double		range_lo;
	double		range_hi;
	const char *y_title;		/* the y-axis title (plain text), or NULL for none */
} AlSvgOptions;

/* Defaults: 640 x 240, int keys, no code, no cut-off, 0 decimals, window 3. */
void		al_svg_options_init(AlSvgOptions *o);

/*
 * Renders the chart of sorted points p[0..n) (finite scores, strictly
 * increasing keys) with ruptures r[0..nr) (increasing seq, from
 * al_series_ruptures) into buf, writing at most cap bytes, NUL included
 * (snprintf-like: a NULL buf with cap 0 only measures).  Returns the length
 * of the whole chart, NUL excluded; the output is complete when the result is
 * below cap.  The same input always gives the same bytes.
 */
size_t		al_svg(const AlPoint *p, size_t n, const AlRupture *r, size_t nr,
				   const AlSvgOptions *opts, char *buf, size_t cap);

#endif
