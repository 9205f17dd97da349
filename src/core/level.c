/*
 * level.c — the default rupture rule (method level), one session at a time.
 *
 * The one definition used by ruptures() (and so status, current, the
 * sparkline, the chart and the reports) and by the prospective alert: both
 * feed the scores in order through al_level_decide and al_level_add, so the
 * alert flags a session exactly when ruptures() reports one there.  The rule
 * and the measurements behind its constants: doc/trajectory.md, "The
 * default rule".
 */
#include "series.h"

#include <math.h>
#include <string.h>

void
al_level_init(AlLevelTrack *t)
{
	memset(t, 0, sizeof(*t));
}

double
al_level_threshold(const AlSeriesParams *p)
{
	double		e = 0,
				thr;

	if (p->has_points)
		return p->points;
	(void) al_series_error_sd(p, &e);
	thr = (p->has_k ? p->k : AL_LEVEL_K) * e;
	/* 3 * 4 * sqrt(1 - 0.64) is 7.199999999999999 in binary: show 7.2 */
	if (fabs(thr) < 1e6)
		thr = nearbyint(thr * 1e9) / 1e9;
	return thr;
}

int
al_level_decide(const AlLevelTrack *t, const AlSeriesParams *p, double x, double *level,
				double *threshold)
{
	double		sum = 0;

	if (t->n < AL_LEVEL_WINDOW)
		return -1;
	for (int i = 0; i < AL_LEVEL_WINDOW; i++)
		sum += t->last[i];
	*level = sum / AL_LEVEL_WINDOW;
	*threshold = al_level_threshold(p);
	if (!(*level - x > 0) || !al_drop_ge(*level, x, *threshold))
		return 0;
	/* the same drop continuing: an earlier rupture in the window, not yet back */
	if (t->open && t->n - t->open_pos <= AL_LEVEL_WINDOW)
		return 0;
	return 1;
}

void
al_level_add(AlLevelTrack *t, const AlSeriesParams *p, double x, bool rupture, double level)
{
	if (rupture)
	{
		t->open = true;
		t->open_pos = t->n;
		t->open_level = level;
	}
	else if (t->open && al_tie_ge(x, t->open_level - al_series_eps(p)))
		t->open = false;
	t->last[t->n % AL_LEVEL_WINDOW] = x;
	t->n++;
}

size_t
al_level_ruptures(const AlPoint *p, size_t n, const AlSeriesParams *params, AlRupture *out)
{
	AlLevelTrack track;
	size_t		nr = 0;

	al_level_init(&track);
	for (size_t t = 0; t < n; t++)
	{
		double		level = 0,
					thr = 0;
		bool		hit = al_level_decide(&track, params, p[t].score, &level, &thr) == 1;

		if (hit)
		{
			out[nr].seq = (int) (t + 1);
			out[nr].key = p[t].key;
			out[nr].previous_score = level;
			out[nr].score = p[t].score;
			out[nr].drop = level - p[t].score;
			out[nr].threshold = thr;
			al_find_repair(p, n, t, level, params, &out[nr]);
			nr++;
		}
		al_level_add(&track, params, p[t].score, hit, level);
	}
	return nr;
}
