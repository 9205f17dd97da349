/* sparkline.c — a trajectory as one line of block glyphs; see sparkline.h. */
#include "sparkline.h"

#include <math.h>
#include <string.h>

/* U+2581..U+2588 in UTF-8: E2 96 81..88 */
#define GLYPH_BYTES 3

size_t
al_sparkline_bound(size_t n)
{
	return n * (GLYPH_BYTES + 1) + 1;
}

static int
level(double x, double lo, double hi)
{
	double		v;

	if (!(hi > lo))
		return 3;				/* constant series: half height */
	/* in halves, so that a range wider than DBL_MAX (-1e308 .. 1e308) stays finite */
	v = floor((x * 0.5 - lo * 0.5) / (hi * 0.5 - lo * 0.5) * 7.0 + 0.5);
	if (!(v >= 0))
		return 0;				/* also NaN, which cannot come from finite scores */
	return v > 7 ? 7 : (int) v;
}

size_t
al_sparkline(const AlPoint *p, size_t n, const AlRupture *r, size_t nr, char *buf)
{
	double		lo = 0,
				hi = 0;
	size_t		len = 0,
				k = 0;

	for (size_t i = 0; i < n; i++)
	{
		if (i == 0 || p[i].score < lo)
			lo = p[i].score;
		if (i == 0 || p[i].score > hi)
			hi = p[i].score;
	}
	for (size_t i = 0; i < n; i++)
	{
		buf[len++] = (char) 0xE2;
		buf[len++] = (char) 0x96;
		buf[len++] = (char) (0x81 + level(p[i].score, lo, hi));
		while (k < nr && r[k].seq < (int) (i + 1))
			k++;
		if (k < nr && r[k].seq == (int) (i + 1))
			buf[len++] = r[k].state == AL_REPAIRED ? '*' : r[k].state == AL_OPEN ? '?' : '!';
	}
	buf[len] = '\0';
	return len;
}
