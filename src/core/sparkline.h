/*
 * sparkline.h — a trajectory as one line of text, for psql.
 *
 * One block glyph per session, in session order, from U+2581 LOWER ONE
 * EIGHTH BLOCK to U+2588 FULL BLOCK:
 *
 *     level = floor((x - min) / (max - min) * 7 + 0.5)      (0..7)
 *
 * scaled to the series' own minimum and maximum (a sparkline shows shape;
 * a constant series is all U+2584, half height).  The glyph of a session
 * where a rupture was found is followed by one ASCII mark:
 *
 *     *   the rupture was repaired
 *     !   unrepaired (no repair within the repair window)
 *     ?   open (the series ends before the window has passed)
 *
 * so the worked WAI-SR series 44 45 46 38 46 47 47 41 42 43 (stiles) is
 * "▆▆▇▁*▇██▃?▄▅".  Output is UTF-8.
 */
#ifndef AL_SPARKLINE_H
#define AL_SPARKLINE_H

#include <stddef.h>

#include "series.h"

/* Bytes al_sparkline needs for n points, NUL included. */
size_t		al_sparkline_bound(size_t n);

/*
 * Writes the sparkline of sorted points p[0..n) with ruptures r[0..nr)
 * (from al_series_ruptures: increasing seq) into buf; returns its length.
 */
size_t		al_sparkline(const AlPoint *p, size_t n, const AlRupture *r, size_t nr, char *buf);

#endif
