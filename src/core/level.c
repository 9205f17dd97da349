/*
 * level.c — the default rupture rule (method level), one session at a time.
 *
 * The one definition used by ruptures() (and so status, current, the
 * sparkline, the chart and the reports) and by the prospective alert: both
 * feed the scores in order through al_level_step and al_level_add, so the
 * alert fires at exactly the session at which ruptures() can first tell
 * (the rupture's own session, or for a sustained drop the session after
 * it).  The rule and the measurements behind its constants:
 * doc/trajectory.md, "The default rule".
 */
#include "series.h"

#include <math.h>
#include <string.h>

void
al_level_init(AlLevelTrack *t)
{
	memset(t, 0, sizeof(*t));
}

/* 3 * 4 * sqrt(1 - 0.64) is 7.199999999999999 in binary: show 7.2 */
static double
tidy(double thr)
{
	return fabs(thr) < 1e6 ? nearbyint(thr * 1e9) / 1e9 : thr;
}

double
al_level_threshold(const AlSeriesParams *p)
{
	double		e = 0;

	if (p->has_points)
		return p->points;
	(void) al_series_error_sd(p, &e);
	return tidy((p->has_k ? p->k : AL_LEVEL_K) * e);
}

double
al_level_sustained_threshold(const AlSeriesParams *p)
{
	return tidy(al_level_threshold(p) * AL_LEVEL_SUSTAINED_SHARE);
}

void
al_level_step(const AlLevelTrack *t, const AlSeriesParams *p, double x, AlLevelStep *s)
{
	double		sum = 0,
				single = al_level_threshold(p),
				sustained = tidy(single * AL_LEVEL_SUSTAINED_SHARE);
	bool		continuing;

	memset(s, 0, sizeof(*s));
	s->decision = -1;
	/* a sustained drop: the previous session, low but not a rupture, and this one as low */
	if (t->pending && t->pending_level - x > 0 && al_drop_ge(t->pending_level, x, sustained))
	{
		s->decision = 1;
		s->at_previous = true;
		s->level = t->pending_level;
		s->threshold = sustained;
		s->score = t->last[(t->n - 1) % AL_LEVEL_WINDOW];
		return;
	}
	if (t->n < AL_LEVEL_WINDOW)
		return;
	for (int i = 0; i < AL_LEVEL_WINDOW; i++)
		sum += t->last[i];
	s->level = sum / AL_LEVEL_WINDOW;
	s->score = x;
	s->threshold = single;
	s->decision = 0;
	if (!(s->level - x > 0))
		return;
	/* the same drop continuing: an earlier rupture in the window, not yet back */
	continuing = t->open && t->n - t->open_pos <= AL_LEVEL_WINDOW;
	if (continuing)
		return;
	if (al_drop_ge(s->level, x, s->threshold))
		s->decision = 1;
	else if (al_drop_ge(s->level, x, sustained))
		s->may_sustain = true;
}

void
al_level_add(AlLevelTrack *t, const AlSeriesParams *p, double x, const AlLevelStep *s)
{
	if (s->decision == 1)
	{
		t->open = true;
		t->open_pos = s->at_previous ? t->n - 1 : t->n;
		t->open_level = s->level;
	}
	else if (t->open && al_tie_ge(x, t->open_level - al_series_eps(p)))
		t->open = false;
	t->pending = s->decision != 1 && s->may_sustain;
	t->pending_level = s->level;
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
		AlLevelStep s;

		al_level_step(&track, params, p[t].score, &s);
		if (s.decision == 1)
		{
			size_t		at = s.at_previous ? t - 1 : t;

			out[nr].seq = (int) (at + 1);
			out[nr].key = p[at].key;
			out[nr].previous_score = s.level;
			out[nr].score = s.score;
			out[nr].drop = s.level - s.score;
			out[nr].threshold = s.threshold;
			al_find_repair(p, n, at, s.level, params, &out[nr]);
			nr++;
		}
		al_level_add(&track, params, p[t].score, &s);
	}
	return nr;
}
