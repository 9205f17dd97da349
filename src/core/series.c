/*
 * series.c — ruptures, repairs and trends over a client's series: the
 * statistics, the rupture rules and their parameters, status and the
 * prospective alert.  Keys and the text form: series_keys.c, series_text.c.
 * The rules are documented in doc/trajectory.md and doc/instruments.md.
 */
#include "series.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "instrument.h"
#include "score.h"

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
bool
al_drop_ge(double prev, double cur, double threshold)
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
	p->method = AL_METHOD_LEVEL;
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
	if (p->method < AL_METHOD_STILES || p->method > AL_METHOD_LAST)
		return al_fail(err, AL_ERR_PARAM, "unknown value for parameter \"method\"");
	if (p->has_k && !(p->k >= 0))
		return param_error(err, "k", "must not be negative", p->k);
	if (p->has_reference_sd && !(p->reference_sd >= 0))
		return param_error(err, "reference_sd", "must not be negative", p->reference_sd);
	/* the reliable-change figures (rci, sudden's default c1): reliable_change's own rule */
	if (al_rc_check(p->has_sd, p->sd, p->has_reliability, p->reliability, err) != AL_OK)
		return AL_ERR_PARAM;
	if (p->has_points && !(p->points >= 0))
		return param_error(err, "points", "must not be negative", p->points);
	if (p->has_c1 && !(p->c1 >= 0))
		return param_error(err, "c1", "must not be negative", p->c1);
	if (p->has_pct && !(p->pct >= 0 && p->pct <= 1))
		return param_error(err, "pct", "must be between 0 and 1", p->pct);
	if (!prospective && p->repair_window < 1)
		return param_error(err, "repair_window", "must be at least 1", (double) p->repair_window);
	if (!prospective && p->has_eps && !(p->eps >= 0))
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
		case AL_METHOD_LEVEL:
			if (p->has_points)
				break;
			if (!p->has_sd || !p->has_reliability)
			{
				al_fail(err, AL_ERR_PARAM, "method \"level\" needs the error SD of a score: parameters \"sd\" and \"reliability\"");
				al_detail(err, "The default rule flags a session at least k error SDs below the mean of the 3 sessions before it; "
						  "the error SD is sd * sqrt(1 - reliability), from the instrument's norms.  These scores carry no instrument with norms.");
				al_hint(err, "Build the trajectory from responses of an instrument with norms (or calibrate it), pass sd => and reliability => "
						"(a session-to-session test-retest reliability), points => for a drop in score points, or choose another method.");
				return AL_ERR_PARAM;
			}
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
al_series_error_sd(const AlSeriesParams *p, double *e)
{
	if (!p->has_sd || !p->has_reliability)
		return false;
	*e = p->sd * sqrt(1.0 - p->reliability);
	return true;
}

double
al_series_eps(const AlSeriesParams *p)
{
	double		e;

	if (p->has_eps)
		return p->eps;
	if (p->method == AL_METHOD_LEVEL && al_series_error_sd(p, &e))
		return e;
	return 0;
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
	if (p->has_rc_points && (!(p->has_sd && p->has_reliability) || p->sd_from_norms))
		return p->rc_points;
	return al_rc_threshold(p->sd, p->reliability);
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
		case AL_METHOD_LEVEL:
			return al_level_threshold(p);
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
	return al_drop_ge(prev, cur, threshold);
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

	if (!(d > 0) || !al_drop_ge(p[a].score, p[a + 1].score, c1))
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
void
al_find_repair(const AlPoint *p, size_t n, size_t t, double prev, const AlSeriesParams *params,
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
		if (al_tie_ge(p[t + q].score, prev - al_series_eps(params)))
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
	if (params->method == AL_METHOD_LEVEL)
	{
		*nout = al_level_ruptures(p, n, params, out);
		return AL_OK;
	}
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
		al_find_repair(p, n, t, p[t - 1].score, params, &out[nr]);
		nr++;
	}
	*nout = nr;
	return AL_OK;
}

/* status's trend rule: the slope's change over the series against s_ref */
static AlTrajStatus
series_trend(AlKeyKind kind, const AlPoint *p, size_t n, const AlSeriesParams *params)
{
	double		slope,
				e,
				sref = al_series_sref(params, p, n);

	/* the default rule never judges by an SD below the error SD */
	if (params->method == AL_METHOD_LEVEL && al_series_error_sd(params, &e) && e > sref)
		sref = e;
	if (sref > 0 && al_series_slope(kind, p, n, &slope))
	{
		double		change = slope * al_key_span(kind, p[0].key, p[n - 1].key);

		if (al_tie_ge(change, sref))
			return AL_STATUS_IMPROVING;
		if (al_tie_ge(-change, sref))
			return AL_STATUS_DECLINING;
	}
	return AL_STATUS_STABLE;
}

AlStatus
al_series_status(AlKeyKind kind, const AlPoint *p, size_t n, const AlSeriesParams *params,
				 AlRupture *scratch, AlTrajStatus *out, AlError *err)
{
	size_t		nr;
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
	*out = series_trend(kind, p, n, params);
	return AL_OK;
}

const char *
al_current_state_name(AlCurrentState s)
{
	static const char *const names[] = {"open_rupture", "repaired_recently", "below_cutoff",
	"declining", "improving", "stable"};

	return s <= AL_CURRENT_STABLE ? names[s] : "?";
}

AlStatus
al_series_current(AlKeyKind kind, const AlPoint *p, size_t n, const AlSeriesParams *params,
				  AlRupture *scratch, AlCurrent *out, AlError *err)
{
	size_t		nr;
	AlStatus	st;
	size_t		since = n - 1;	/* 0-based */

	st = al_series_ruptures(p, n, params, scratch, &nr, err);
	if (st != AL_OK)
		return st;
	out->below_cutoff = -1;
	if (params->has_cutoff)
		out->below_cutoff = p[n - 1].score < params->cutoff;
	if (nr > 0 && scratch[nr - 1].state != AL_REPAIRED)
	{
		out->state = AL_CURRENT_OPEN_RUPTURE;
		since = (size_t) scratch[nr - 1].seq - 1;
	}
	else if (nr > 0 && n - (size_t) scratch[nr - 1].repaired_seq < (size_t) params->repair_window)
	{
		out->state = AL_CURRENT_REPAIRED_RECENTLY;
		since = (size_t) scratch[nr - 1].repaired_seq - 1;
	}
	else if (out->below_cutoff == 1)
	{
		out->state = AL_CURRENT_BELOW_CUTOFF;
		while (since > 0 && p[since - 1].score < params->cutoff)
			since--;
	}
	else
	{
		AlTrajStatus trend = series_trend(kind, p, n, params);

		out->state = trend == AL_STATUS_DECLINING ? AL_CURRENT_DECLINING :
			trend == AL_STATUS_IMPROVING ? AL_CURRENT_IMPROVING : AL_CURRENT_STABLE;
		since = 0;				/* a trend describes the whole series */
	}
	out->since_seq = (int) since + 1;
	out->since_key = p[since].key;
	out->sessions = (int) (n - since);
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
al_alert_decide(const AlSeriesParams *p, const AlRunning *history, const AlLevelTrack *level,
				double prev, double cur)
{
	double		sref = 0;

	if (p->method == AL_METHOD_LEVEL)
	{
		AlLevelStep s;

		al_level_step(level, p, cur, &s);
		return s.decision;
	}
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
