/*
 * test_series.c — unit tests of the series core (src/core/series.c):
 * the worked series of doc/instruments.md, every method, the sudden-loss
 * criteria and t_crit, repair states, status, slope, the alert rule, and
 * the text form of a trajectory.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "instrument.h"
#include "score.h"
#include "series.h"

#define NPTS(a) (sizeof(a) / sizeof((a)[0]))

/* Points with keys 1..n (or the given keys) from scores. */
static size_t
mk(AlPoint *p, const double *x, size_t n, const int64_t *keys)
{
	for (size_t i = 0; i < n; i++)
	{
		p[i].key = keys ? keys[i] : (int64_t) (i + 1);
		p[i].score = x[i];
	}
	return n;
}

static const double waisr[] = {44, 45, 46, 38, 46, 47, 47, 41, 42, 43};

static void
test_worked_strauss(void **state)
{
	AlPoint		p[10];
	AlRupture	r[10];
	AlSeriesParams prm;
	AlError		err;
	size_t		nr;

	(void) state;
	mk(p, waisr, 10, NULL);
	assert_true(fabs(al_series_sd(p, 10) - 2.923) < 0.0005);
	al_series_params_init(&prm);
	prm.method = AL_METHOD_STRAUSS;
	assert_int_equal(al_series_ruptures(p, 10, &prm, r, &nr, &err), AL_OK);
	assert_int_equal(nr, 2);
	assert_int_equal(r[0].seq, 4);
	assert_int_equal(r[0].key, 4);
	assert_true(r[0].drop == 8);
	assert_true(r[0].previous_score == 46 && r[0].score == 38);
	assert_true(fabs(r[0].threshold - 2.923) < 0.0005);
	assert_int_equal(r[0].state, AL_REPAIRED);
	assert_int_equal(r[0].repaired_seq, 5);
	assert_int_equal(r[0].repaired_key, 5);
	assert_int_equal(r[1].seq, 8);
	assert_true(r[1].drop == 6);
	assert_int_equal(r[1].state, AL_OPEN);
	assert_int_equal(r[1].repaired_seq, 0);
}

static void
test_worked_stiles(void **state)
{
	AlPoint		p[10];
	AlRupture	r[10];
	AlSeriesParams prm;
	AlTrajStatus st;
	AlError		err;
	size_t		nr;

	(void) state;
	mk(p, waisr, 10, NULL);
	al_series_params_init(&prm);
	prm.method = AL_METHOD_STILES;	/* 0.1.0's default, which these cases test */
	assert_int_equal(al_series_ruptures(p, 10, &prm, r, &nr, &err), AL_OK);
	assert_int_equal(nr, 2);
	assert_true(fabs(r[0].threshold - 5.846) < 0.0005);
	assert_int_equal(r[0].seq, 4);
	assert_int_equal(r[0].state, AL_REPAIRED);
	assert_int_equal(r[1].seq, 8);
	assert_int_equal(r[1].state, AL_OPEN);
	assert_int_equal(al_series_status(AL_KEY_INT, p, 10, &prm, r, &st, &err), AL_OK);
	assert_int_equal(st, AL_STATUS_OPEN_RUPTURE);

	prm.has_reference_sd = true;
	prm.reference_sd = 6.0;
	assert_int_equal(al_series_ruptures(p, 10, &prm, r, &nr, &err), AL_OK);
	assert_int_equal(nr, 0);
}

static void
test_worked_sudden(void **state)
{
	static const double srs[] = {38, 39, 38, 27, 28, 27, 29};
	AlPoint		p[7];
	AlRupture	r[7];
	AlSeriesParams prm;
	AlError		err;
	size_t		nr;

	(void) state;
	mk(p, srs, 7, NULL);
	al_series_params_init(&prm);
	prm.method = AL_METHOD_SUDDEN;
	prm.has_c1 = true;
	prm.c1 = 4.32;
	assert_int_equal(al_series_ruptures(p, 7, &prm, r, &nr, &err), AL_OK);
	assert_int_equal(nr, 1);
	assert_int_equal(r[0].seq, 4);
	assert_int_equal(r[0].key, 4);
	assert_true(r[0].drop == 11);
	assert_true(r[0].threshold == 4.32);
	assert_int_equal(r[0].state, AL_UNREPAIRED);

	/* criterion 2: 11 >= 0.25 * 38; with pct 0.3 (11.4) it fails */
	prm.pct = 0.3;
	assert_int_equal(al_series_ruptures(p, 7, &prm, r, &nr, &err), AL_OK);
	assert_int_equal(nr, 0);
	prm.has_pct = false;		/* NULL pct disables criterion 2 */
	assert_int_equal(al_series_ruptures(p, 7, &prm, r, &nr, &err), AL_OK);
	assert_int_equal(nr, 1);
	/* criterion 1 */
	prm.c1 = 11.5;
	assert_int_equal(al_series_ruptures(p, 7, &prm, r, &nr, &err), AL_OK);
	assert_int_equal(nr, 0);
	/* c1 defaults to the RCI value: sd 4, r 0.7 -> 1.96*4*sqrt(2)*sqrt(.3) = 6.07 */
	prm.has_c1 = false;
	prm.has_sd = prm.has_reliability = true;
	prm.sd = 4;
	prm.reliability = 0.7;
	assert_int_equal(al_series_ruptures(p, 7, &prm, r, &nr, &err), AL_OK);
	assert_int_equal(nr, 1);
	assert_true(fabs(r[0].threshold - 1.96 * 4 * sqrt(2) * sqrt(0.3)) < 1e-12);
}

static void
test_sudden_tcrit(void **state)
{
	/* ratios (M_pre - M_post) / s_pooled chosen between the table's values */
	static const double s33_loss[] = {20, 20, 21, 18.2, 19.2, 18.7};	/* 3.02: > 2.776 */
	static const double s32_no[] = {20, 20, 21, 18, 19};	/* 2.94: < 3.182, > 2.776 */
	static const double s32_loss[] = {20, 20, 21, 17.5, 18.5};	/* 3.74: > 3.182 */
	static const double s22_no[] = {20, 21, 17.5, 18.5};	/* 3.54: < 4.303, > 3.182 */
	static const double s22_loss[] = {20, 21, 15, 16};	/* 7.07 */
	static const double s12[] = {30, 10, 11};	/* one value before: never */
	AlPoint		p[8];
	AlRupture	r[8];
	AlSeriesParams prm;
	AlError		err;
	size_t		nr;

	(void) state;
	assert_true(al_sudden_tcrit(4) == 2.776);
	assert_true(al_sudden_tcrit(3) == 3.182);
	assert_true(al_sudden_tcrit(2) == 4.303);
	assert_true(al_sudden_tcrit(1) == 0);

	al_series_params_init(&prm);
	prm.method = AL_METHOD_SUDDEN;
	prm.has_c1 = true;
	prm.c1 = 1;
	prm.has_pct = false;

	mk(p, s33_loss, 6, NULL);
	assert_int_equal(al_series_ruptures(p, 6, &prm, r, &nr, &err), AL_OK);
	assert_int_equal(nr, 1);
	assert_int_equal(r[0].seq, 4);
	assert_true(fabs(r[0].drop - 2.8) < 1e-12);

	mk(p, s32_no, 5, NULL);
	assert_int_equal(al_series_ruptures(p, 5, &prm, r, &nr, &err), AL_OK);
	assert_int_equal(nr, 0);
	mk(p, s32_loss, 5, NULL);
	assert_int_equal(al_series_ruptures(p, 5, &prm, r, &nr, &err), AL_OK);
	assert_int_equal(nr, 1);
	assert_int_equal(r[0].seq, 4);
	assert_int_equal(r[0].state, AL_OPEN);

	mk(p, s22_no, 4, NULL);
	assert_int_equal(al_series_ruptures(p, 4, &prm, r, &nr, &err), AL_OK);
	assert_int_equal(nr, 0);
	mk(p, s22_loss, 4, NULL);
	assert_int_equal(al_series_ruptures(p, 4, &prm, r, &nr, &err), AL_OK);
	assert_int_equal(nr, 1);
	assert_int_equal(r[0].seq, 3);

	mk(p, s12, 3, NULL);
	assert_int_equal(al_series_ruptures(p, 3, &prm, r, &nr, &err), AL_OK);
	assert_int_equal(nr, 0);
}

static void
test_other_methods(void **state)
{
	static const double x[] = {30, 29, 33, 25, 26, 34, 36, 35};
	AlPoint		p[8];
	AlRupture	r[8];
	AlSeriesParams prm;
	AlError		err;
	size_t		nr;

	(void) state;
	mk(p, x, 8, NULL);
	al_series_params_init(&prm);
	prm.method = AL_METHOD_STILES;	/* 0.1.0's default, which these cases test */

	/* drop, any decrease: 30->29, 33->25, 36->35 */
	prm.method = AL_METHOD_DROP;
	assert_int_equal(al_series_ruptures(p, 8, &prm, r, &nr, &err), AL_OK);
	assert_int_equal(nr, 3);
	assert_int_equal(r[0].seq, 2);
	assert_int_equal(r[0].state, AL_REPAIRED);
	assert_int_equal(r[0].repaired_seq, 3);
	assert_int_equal(r[1].seq, 4);
	assert_int_equal(r[1].state, AL_REPAIRED);	/* 34 >= 33 at seq 6, r = 2 */
	assert_int_equal(r[1].repaired_seq, 6);
	assert_int_equal(r[2].seq, 8);
	assert_int_equal(r[2].state, AL_OPEN);
	/* drop with points 8: exactly 8 is a tie, a rupture */
	prm.has_points = true;
	prm.points = 8;
	assert_int_equal(al_series_ruptures(p, 8, &prm, r, &nr, &err), AL_OK);
	assert_int_equal(nr, 1);
	assert_int_equal(r[0].seq, 4);
	assert_true(r[0].threshold == 8);

	/* cutoff 28: below at 25 after 33 */
	al_series_params_init(&prm);
	prm.method = AL_METHOD_CUTOFF;
	prm.has_cutoff = true;
	prm.cutoff = 28;
	assert_int_equal(al_series_ruptures(p, 8, &prm, r, &nr, &err), AL_OK);
	assert_int_equal(nr, 1);
	assert_int_equal(r[0].seq, 4);
	assert_true(r[0].threshold == 28);
	/* x_t equal to the cut-off is not below it */
	prm.cutoff = 25;
	assert_int_equal(al_series_ruptures(p, 8, &prm, r, &nr, &err), AL_OK);
	assert_int_equal(nr, 0);

	/* rci: sd 5, r 0.8: 1.96*5*sqrt(2)*sqrt(.2) = 6.198 -> only the drop of 8 */
	al_series_params_init(&prm);
	prm.method = AL_METHOD_RCI;
	prm.has_sd = prm.has_reliability = true;
	prm.sd = 5;
	prm.reliability = 0.8;
	assert_int_equal(al_series_ruptures(p, 8, &prm, r, &nr, &err), AL_OK);
	assert_int_equal(nr, 1);
	assert_int_equal(r[0].seq, 4);
	assert_true(fabs(r[0].threshold - 6.1981) < 0.0001);

	/* repair window 1 and eps: 25 -> 26 is not 33; with eps 7 it is */
	al_series_params_init(&prm);
	prm.method = AL_METHOD_DROP;
	prm.has_points = true;
	prm.points = 8;
	prm.repair_window = 1;
	assert_int_equal(al_series_ruptures(p, 8, &prm, r, &nr, &err), AL_OK);
	assert_int_equal(r[0].state, AL_UNREPAIRED);
	prm.has_eps = true, prm.eps = 7;
	assert_int_equal(al_series_ruptures(p, 8, &prm, r, &nr, &err), AL_OK);
	assert_int_equal(r[0].state, AL_REPAIRED);
	assert_int_equal(r[0].repaired_seq, 5);
}

static void
test_edges(void **state)
{
	static const double flat[] = {40, 40, 40, 40};
	static const double two[] = {40, 30};
	static const double tie[] = {0.5, 1, 0};	/* sd 0.5, drop 1 = 2 sd */
	static const double tie2[] = {40.1, 40.6, 39.6};	/* the same in decimals */
	static const int64_t gaps[] = {3, 17, 18, 250};
	static const double gx[] = {44, 45, 30, 44};
	AlPoint		p[8];
	AlRupture	r[8];
	AlSeriesParams prm;
	AlTrajStatus st;
	AlError		err;
	size_t		nr;

	(void) state;
	al_series_params_init(&prm);
	prm.method = AL_METHOD_STILES;	/* 0.1.0's default, which these cases test */
	/* empty and one session */
	assert_int_equal(al_series_ruptures(p, 0, &prm, r, &nr, &err), AL_OK);
	assert_int_equal(nr, 0);
	mk(p, flat, 1, NULL);
	assert_int_equal(al_series_ruptures(p, 1, &prm, r, &nr, &err), AL_OK);
	assert_int_equal(nr, 0);
	assert_int_equal(al_series_status(AL_KEY_INT, p, 1, &prm, r, &st, &err), AL_OK);
	assert_int_equal(st, AL_STATUS_STABLE);
	/* flat: a zero drop is no rupture, even with threshold 0 */
	mk(p, flat, 4, NULL);
	for (int m = AL_METHOD_STILES; m <= AL_METHOD_DROP; m++)
	{
		if (m == AL_METHOD_RCI)
			continue;			/* its threshold is never 0: below */
		prm.method = (AlMethod) m;
		prm.has_k = prm.has_points = prm.has_c1 = true;
		prm.k = prm.points = prm.c1 = 0;
		assert_int_equal(al_series_ruptures(p, 4, &prm, r, &nr, &err), AL_OK);
		assert_int_equal(nr, 0);
	}
	/* rci takes reliable_change's figures, with its rule: sd > 0, reliability below 1 */
	prm.method = AL_METHOD_RCI;
	prm.has_sd = prm.has_reliability = true;
	prm.sd = 0;
	prm.reliability = 0.8;
	assert_int_equal(al_series_ruptures(p, 4, &prm, r, &nr, &err), AL_ERR_PARAM);
	assert_string_equal(err.message, "sd must be greater than 0");
	prm.sd = 5;
	prm.reliability = 1;
	assert_int_equal(al_series_ruptures(p, 4, &prm, r, &nr, &err), AL_ERR_PARAM);
	assert_string_equal(err.message, "reliability must be at least 0 and below 1");
	assert_true(fabs(al_series_threshold(&(AlSeriesParams) {.method = AL_METHOD_RCI, .sd = 5, .reliability = 0.8}, 0)
					 - al_rc_threshold(5, 0.8)) < 1e-12);
	/* two sessions: sd = 10/sqrt 2 = 7.07; stiles 14.1 > 10, strauss 7.07 <= 10 */
	al_series_params_init(&prm);
	prm.method = AL_METHOD_STILES;	/* 0.1.0's default, which these cases test */
	mk(p, two, 2, NULL);
	assert_int_equal(al_series_ruptures(p, 2, &prm, r, &nr, &err), AL_OK);
	assert_int_equal(nr, 0);
	prm.method = AL_METHOD_STRAUSS;
	assert_int_equal(al_series_ruptures(p, 2, &prm, r, &nr, &err), AL_OK);
	assert_int_equal(nr, 1);
	assert_int_equal(r[0].state, AL_OPEN);
	/* ties at the threshold are ruptures */
	al_series_params_init(&prm);
	prm.method = AL_METHOD_STILES;	/* 0.1.0's default, which these cases test */
	mk(p, tie, 3, NULL);
	assert_int_equal(al_series_ruptures(p, 3, &prm, r, &nr, &err), AL_OK);
	assert_int_equal(nr, 1);
	assert_int_equal(r[0].seq, 3);
	mk(p, tie2, 3, NULL);
	assert_int_equal(al_series_ruptures(p, 3, &prm, r, &nr, &err), AL_OK);
	assert_int_equal(nr, 1);
	/* gaps: positions count, not keys */
	mk(p, gx, 4, gaps);
	prm.method = AL_METHOD_DROP;
	prm.repair_window = 1;
	assert_int_equal(al_series_ruptures(p, 4, &prm, r, &nr, &err), AL_OK);
	assert_int_equal(nr, 1);
	assert_int_equal(r[0].seq, 3);
	assert_int_equal(r[0].key, 18);
	assert_int_equal(r[0].state, AL_UNREPAIRED);	/* 44 < 45 */
	prm.repair_window = 3;
	prm.has_eps = true, prm.eps = 1;
	assert_int_equal(al_series_ruptures(p, 4, &prm, r, &nr, &err), AL_OK);
	assert_int_equal(r[0].state, AL_REPAIRED);
	assert_int_equal(r[0].repaired_seq, 4);
	assert_int_equal(r[0].repaired_key, 250);
}

static void
test_params(void **state)
{
	AlSeriesParams prm;
	AlError		err;
	AlMethod	m;
	AlDupPolicy dp;

	(void) state;
	assert_int_equal(al_method_parse("sudden", &m, &err), AL_OK);
	assert_int_equal(m, AL_METHOD_SUDDEN);
	assert_int_equal(al_method_parse("Stiles", &m, &err), AL_ERR_PARAM);
	assert_non_null(strstr(err.message, "\"method\""));
	assert_int_equal(al_dup_policy_parse("max", &dp, &err), AL_OK);
	assert_int_equal(dp, AL_DUP_MAX);
	assert_int_equal(al_dup_policy_parse("sum", &dp, &err), AL_ERR_PARAM);
	assert_non_null(strstr(err.message, "on_duplicate"));

	al_series_params_init(&prm);
	prm.method = AL_METHOD_STILES;	/* 0.1.0's default, which these cases test */
	assert_int_equal(al_series_params_check(&prm, false, &err), AL_OK);
	prm.has_k = true;
	prm.k = -1;
	assert_int_equal(al_series_params_check(&prm, false, &err), AL_ERR_PARAM);
	assert_non_null(strstr(err.message, "\"k\""));

	al_series_params_init(&prm);
	prm.method = AL_METHOD_RCI;
	assert_int_equal(al_series_params_check(&prm, false, &err), AL_ERR_PARAM);
	assert_non_null(strstr(err.message, "\"sd\""));
	prm.has_sd = true;
	prm.sd = 5;
	assert_int_equal(al_series_params_check(&prm, false, &err), AL_ERR_PARAM);
	assert_non_null(strstr(err.message, "\"reliability\""));
	prm.has_reliability = true;
	prm.reliability = 1.2;
	assert_int_equal(al_series_params_check(&prm, false, &err), AL_ERR_PARAM);
	assert_string_equal(err.message, "reliability must be at least 0 and below 1");
	prm.reliability = 0.9;
	assert_int_equal(al_series_params_check(&prm, false, &err), AL_OK);

	al_series_params_init(&prm);
	prm.method = AL_METHOD_CUTOFF;
	assert_int_equal(al_series_params_check(&prm, false, &err), AL_ERR_PARAM);
	assert_non_null(strstr(err.message, "\"cutoff\""));

	al_series_params_init(&prm);
	prm.method = AL_METHOD_SUDDEN;
	assert_int_equal(al_series_params_check(&prm, false, &err), AL_ERR_PARAM);
	prm.has_c1 = true;
	prm.c1 = 3;
	assert_int_equal(al_series_params_check(&prm, false, &err), AL_OK);
	assert_int_equal(al_series_params_check(&prm, true, &err), AL_ERR_PARAM);
	assert_non_null(strstr(err.message, "rupture_alert"));

	al_series_params_init(&prm);
	prm.method = AL_METHOD_STILES;	/* 0.1.0's default, which these cases test */
	prm.repair_window = 0;
	assert_int_equal(al_series_params_check(&prm, false, &err), AL_ERR_PARAM);
	assert_non_null(strstr(err.message, "repair_window"));
}

static void
test_status_states(void **state)
{
	static const double repaired[] = {40, 41, 40, 30, 41, 40, 41, 40};
	static const double unrep_then_rep[] = {40, 41, 30, 31, 30, 31, 41, 30, 41};
	static const double improving[] = {30, 31, 33, 34, 36, 37};
	static const double declining[] = {37, 36.5, 35.5, 35, 34, 33.5};
	static const double stable[] = {40, 41, 40, 41, 40, 41};
	AlPoint		p[12];
	AlRupture	r[12];
	AlSeriesParams prm;
	AlTrajStatus st;
	AlError		err;

	(void) state;
	al_series_params_init(&prm);
	prm.method = AL_METHOD_STILES;	/* 0.1.0's default, which these cases test */
	mk(p, waisr, 10, NULL);
	assert_int_equal(al_series_status(AL_KEY_INT, p, 10, &prm, r, &st, &err), AL_OK);
	assert_int_equal(st, AL_STATUS_OPEN_RUPTURE);
	mk(p, repaired, 8, NULL);
	assert_int_equal(al_series_status(AL_KEY_INT, p, 8, &prm, r, &st, &err), AL_OK);
	assert_int_equal(st, AL_STATUS_REPAIRED);
	/* drop method: ruptures at 3 (unrepaired), 5, 8 (repaired at 9): repaired */
	prm.method = AL_METHOD_DROP;
	prm.has_points = true;
	prm.points = 5;
	mk(p, unrep_then_rep, 9, NULL);
	assert_int_equal(al_series_status(AL_KEY_INT, p, 9, &prm, r, &st, &err), AL_OK);
	assert_int_equal(st, AL_STATUS_REPAIRED);
	/* and an unrepaired latest rupture is open_rupture */
	prm.repair_window = 3;
	mk(p, unrep_then_rep, 8, NULL);
	assert_int_equal(al_series_status(AL_KEY_INT, p, 8, &prm, r, &st, &err), AL_OK);
	assert_int_equal(st, AL_STATUS_OPEN_RUPTURE);

	al_series_params_init(&prm);
	prm.method = AL_METHOD_STILES;	/* 0.1.0's default, which these cases test */
	mk(p, improving, 6, NULL);
	assert_int_equal(al_series_status(AL_KEY_INT, p, 6, &prm, r, &st, &err), AL_OK);
	assert_int_equal(st, AL_STATUS_IMPROVING);
	mk(p, declining, 6, NULL);
	assert_int_equal(al_series_status(AL_KEY_INT, p, 6, &prm, r, &st, &err), AL_OK);
	assert_int_equal(st, AL_STATUS_DECLINING);
	mk(p, stable, 6, NULL);
	assert_int_equal(al_series_status(AL_KEY_INT, p, 6, &prm, r, &st, &err), AL_OK);
	assert_int_equal(st, AL_STATUS_STABLE);
	/* a large reference SD makes the decline stable */
	prm.has_reference_sd = true;
	prm.reference_sd = 10;
	mk(p, declining, 6, NULL);
	assert_int_equal(al_series_status(AL_KEY_INT, p, 6, &prm, r, &st, &err), AL_OK);
	assert_int_equal(st, AL_STATUS_STABLE);
}

static void
test_slope(void **state)
{
	static const double y[] = {1, 3, 2, 5};
	static const int64_t k[] = {1, 2, 4, 8};
	AlPoint		p[4];
	double		s;

	(void) state;
	mk(p, y, 4, k);
	/* x mean 3.75, Sxx = 7.5625+3.0625+0.0625+18.0625 = 28.75; Sxy = 8.25 + 1.75 - .25*... */
	assert_true(al_series_slope(AL_KEY_INT, p, 4, &s));
	assert_true(fabs(s - 0.4782608695652174) < 1e-12);
	assert_false(al_series_slope(AL_KEY_INT, p, 1, &s));
	/* per day for timestamps: keys a day apart */
	for (int i = 0; i < 4; i++)
		p[i].key = k[i] * INT64_C(86400000000) + 12345;
	assert_true(al_series_slope(AL_KEY_TIMESTAMPTZ, p, 4, &s));
	assert_true(fabs(s - 0.4782608695652174) < 1e-12);
}

static void
test_alert(void **state)
{
	AlSeriesParams prm;
	AlRunning	h;
	AlLevelTrack lv;

	(void) state;
	al_level_init(&lv);
	al_series_params_init(&prm);
	prm.method = AL_METHOD_STILES;	/* 0.1.0's default, which these cases test */
	al_running_init(&h);
	assert_int_equal(al_alert_decide(&prm, &h, &lv, 0, 0), -1);
	al_running_add(&h, 44);
	al_running_add(&h, 45);
	assert_int_equal(al_alert_decide(&prm, &h, &lv, 45, 20), -1);	/* 2 prior rows */
	prm.has_reference_sd = true;
	prm.reference_sd = 3;
	assert_int_equal(al_alert_decide(&prm, &h, &lv, 45, 39), 1);	/* 6 >= 2*3: tie */
	assert_int_equal(al_alert_decide(&prm, &h, &lv, 45, 40), 0);
	prm.has_reference_sd = false;
	al_running_add(&h, 46);
	/* sd of 44,45,46 = 1: threshold 2 */
	assert_true(fabs(al_running_sd(&h) - 1) < 1e-15);
	assert_int_equal(al_alert_decide(&prm, &h, &lv, 46, 44), 1);
	assert_int_equal(al_alert_decide(&prm, &h, &lv, 46, 44.5), 0);
	/* a tie with decimal scores: SD of 39.6, 40.1, 40.6 is 0.5, the drop 40.6 -> 39.6 is 1 */
	al_running_init(&h);
	al_running_add(&h, 39.6);
	al_running_add(&h, 40.1);
	al_running_add(&h, 40.6);
	assert_int_equal(al_alert_decide(&prm, &h, &lv, 40.6, 39.6), 1);
	assert_int_equal(al_alert_decide(&prm, &h, &lv, 40.6, 39.61), 0);
	/* drop needs one prior row only */
	prm.method = AL_METHOD_DROP;
	al_running_init(&h);
	al_running_add(&h, 10);
	assert_int_equal(al_alert_decide(&prm, &h, &lv, 10, 9), 1);
	assert_int_equal(al_alert_decide(&prm, &h, &lv, 10, 10), 0);
}

static void
check_round_trip(const char *text)
{
	AlPoint		p[16];
	AlKeyKind	kind;
	char		code[AL_SERIES_MAX_CODE + 1];
	char		out[2048];
	size_t		n;
	AlError		err;

	if (al_traj_parse(text, strlen(text), &kind, code, p, 16, &n, &err) != AL_OK)
		fail_msg("parse failed for %s: %s", text, err.message);
	al_traj_format(kind, code, p, n, out);
	assert_string_equal(out, text);
}

static void
test_text(void **state)
{
	AlPoint		p[16];
	AlKeyKind	kind;
	char		code[AL_SERIES_MAX_CODE + 1];
	char		out[2048];
	char		kb[48];
	size_t		n;
	AlError		err;
	int64_t		key;
	const char *bad[] = {
		"", "int", "int{", "int{1}", "int{1=}", "int{=4}", "int{1=4,}", "int{2=4,1=5}",
		"int{1=4,1=5}", "int{1=nan}", "int{1=inf}", "int{1=0x10}", "int{1=1e999}",
		"int{1=4}x", "float{1=4}", "date{2024-02-30=1}", "date{24-01-01=1}",
		"timestamptz{2024-01-01T10:00:00=1}", "timestamp{2024-01-01T10:00:00Z=1}",
		"timestamptz{2024-01-01T24:00:00Z=1}", "int:{1=2}", "int:9x{1=2}",
		"int{99999999999999999999=1}", "date{+5874898-01-01=1}", "int{1=4 5}",
		"timestamptz{2024-01-01T10:00:00.1234567Z=1}", NULL
	};

	(void) state;
	check_round_trip("int{}");
	check_round_trip("int{1=44,2=45,3=46,4=38}");
	check_round_trip("int:wai_sr{-5=44,9223372036854775807=12}");
	check_round_trip("int{1=34.2,2=0.1,3=1e+20,4=-2.5,5=0.30000000000000004,6=4.94065645841247e-324}");
	check_round_trip("date{2024-01-05=38,2024-02-29=39}");
	check_round_trip("date{-04713-11-24=1,0000-01-01=2,+5874897-12-31=3}");
	check_round_trip("timestamp{2024-01-05T10:00:00=38,2024-01-05T10:00:00.5=39}");
	check_round_trip("timestamptz{-04713-11-24T00:00:00Z=1,1999-12-31T23:59:59.999999Z=2,+294276-12-31T23:59:59.999999Z=3}");

	/* lenient whitespace and upper-case code on input, canonical on output */
	assert_int_equal(al_traj_parse(" int:SRS { 2 = 3.50 , 1=4 } ", 28, &kind, code, p, 16, &n, &err),
					 AL_ERR_SYNTAX);	/* 2 before 1 */
	assert_int_equal(al_traj_parse(" int:SRS { 1 = 3.50 , 2=4 } ", 28, &kind, code, p, 16, &n, &err), AL_OK);
	al_traj_format(kind, code, p, n, out);
	assert_string_equal(out, "int:srs{1=3.5,2=4}");

	for (int i = 0; bad[i]; i++)
	{
		AlStatus	st = al_traj_parse(bad[i], strlen(bad[i]), &kind, code, p, 16, &n, &err);

		if (st == AL_OK)
			fail_msg("accepted bad input %s", bad[i]);
	}
	/* dates: 2000-01-01 is 0, PostgreSQL's epoch */
	assert_int_equal(al_key_parse(AL_KEY_DATE, "2000-01-01", 10, &key, &err), AL_OK);
	assert_int_equal(key, 0);
	assert_int_equal(al_key_parse(AL_KEY_DATE, "-04713-11-24", 12, &key, &err), AL_OK);
	assert_int_equal(key, -2451545);
	al_key_format(AL_KEY_TIMESTAMPTZ, -1, kb, sizeof(kb));
	assert_string_equal(kb, "1999-12-31T23:59:59.999999Z");
	al_key_format(AL_KEY_DATE, 8770, kb, sizeof(kb));
	assert_string_equal(kb, "2024-01-05");
}

/* Every key of every kind prints and reads back to itself (xorshift, fixed seed). */
static void
test_key_round_trip(void **state)
{
	uint64_t	x = UINT64_C(0x9E3779B97F4A7C15);
	static const int64_t edges[] = {
		INT64_C(-2451545), INT64_C(2145031948), 0, -1, 1,
		INT64_C(-211813488000000000), INT64_C(9223371331199999999)
	};

	(void) state;
	for (int i = 0; i < 200000; i++)
	{
		AlKeyKind	kind = (AlKeyKind) (AL_KEY_INT + i % 4);
		int64_t		key,
					back;
		char		buf[48];
		int			len;
		AlError		err;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		key = (int64_t) x;
		if (i < 28)
			key = edges[i % 7];
		if (!al_key_valid(kind, key))
		{
			if (kind == AL_KEY_DATE)
				key = INT64_C(-2451545) + (int64_t) (x % UINT64_C(2147483493));
			else
				key = (int64_t) ((uint64_t) INT64_C(-211813488000000000) + x % UINT64_C(9435184819199999999));
		}
		if (!al_key_valid(kind, key))
			continue;
		len = al_key_format(kind, key, buf, sizeof(buf));
		assert_true(len > 0 && len < 40);
		if (al_key_parse(kind, buf, (size_t) len, &back, &err) != AL_OK)
			fail_msg("kind %d key %lld printed as %s does not parse: %s", kind, (long long) key, buf, err.message);
		assert_int_equal(back, key);
	}
}

static void
test_collapse(void **state)
{
	AlPoint		p[8];
	AlError		err;
	size_t		n;
	static const double x[] = {5, 1, 3, 2, 9};
	static const int64_t k[] = {2, 1, 2, 1, 3};

	(void) state;
	mk(p, x, 5, k);
	al_points_sort(p, 5);
	assert_int_equal(al_points_collapse(p, 5, AL_KEY_INT, AL_DUP_ERROR, &n, &err), AL_ERR_PARAM);
	assert_non_null(strstr(err.message, "duplicate session key 1"));
	assert_int_equal(al_points_collapse(p, 5, AL_KEY_INT, AL_DUP_MIN, &n, &err), AL_OK);
	assert_int_equal(n, 3);
	assert_true(p[0].score == 1 && p[1].score == 3 && p[2].score == 9);
	mk(p, x, 5, k);
	al_points_sort(p, 5);
	assert_int_equal(al_points_collapse(p, 5, AL_KEY_INT, AL_DUP_MAX, &n, &err), AL_OK);
	assert_true(p[0].score == 2 && p[1].score == 5 && p[2].score == 9);
	mk(p, x, 5, k);
	al_points_sort(p, 5);
	assert_int_equal(al_points_collapse(p, 5, AL_KEY_INT, AL_DUP_MEAN, &n, &err), AL_OK);
	assert_true(p[0].score == 1.5 && p[1].score == 4 && p[2].score == 9);
}

static void
test_large(void **state)
{
	enum
	{
		N = 100000
	};
	AlPoint    *p = malloc(sizeof(AlPoint) * N);
	AlRupture  *r = malloc(sizeof(AlRupture) * N);
	AlSeriesParams prm;
	AlError		err;
	size_t		nr;

	(void) state;
	for (int i = 0; i < N; i++)
	{
		p[i].key = N - i;		/* reversed: the sort must run */
		p[i].score = (i % 10 == 0) ? 30 : 44 + (i % 3);
	}
	al_points_sort(p, N);
	assert_true(al_points_strictly_sorted(p, N));
	al_series_params_init(&prm);
	prm.method = AL_METHOD_STILES;	/* 0.1.0's default, which these cases test */
	assert_int_equal(al_series_ruptures(p, N, &prm, r, &nr, &err), AL_OK);
	assert_true(nr > 9000);
	free(p);
	free(r);
}

/*
 * Scores beyond +-1e150 are refused (AL_ERR_RANGE, 22003): with 1e155 the
 * squared differences overflowed and the worked series came back with no
 * rupture.  Within the limit a scaled series has the unscaled one's ruptures.
 */
static void
test_extreme_magnitudes(void **state)
{
	static const double worked[] = {44, 45, 46, 38, 46, 47, 47, 41, 42, 43};
	AlPoint		p[10],
				q[10];
	AlRupture	r[10],
				rq[10];
	AlSeriesParams prm;
	AlError		err;
	size_t		nr,
				nq;
	AlTrajStatus st;

	(void) state;
	al_series_params_init(&prm);
	prm.method = AL_METHOD_STILES;	/* 0.1.0's default, which these cases test */
	for (int i = 0; i < 10; i++)
	{
		p[i].key = q[i].key = i + 1;
		p[i].score = worked[i];
		q[i].score = worked[i] * 1e155;
	}
	assert_int_equal(al_series_ruptures(q, 10, &prm, rq, &nq, &err), AL_ERR_RANGE);
	assert_non_null(strstr(err.message, "too large to analyse"));
	assert_int_equal(al_series_status(AL_KEY_INT, q, 10, &prm, rq, &st, &err), AL_ERR_RANGE);
	assert_int_equal(al_series_check_score(-1e151, &err), AL_ERR_RANGE);
	assert_int_equal(al_series_check_score(1e150, &err), AL_OK);

	assert_int_equal(al_series_ruptures(p, 10, &prm, r, &nr, &err), AL_OK);
	for (int i = 0; i < 10; i++)
		q[i].score = worked[i] * 1e140;
	assert_int_equal(al_series_ruptures(q, 10, &prm, rq, &nq, &err), AL_OK);
	assert_int_equal(nq, nr);
	assert_true(nr > 0);
	for (size_t i = 0; i < nr; i++)
	{
		assert_int_equal(rq[i].seq, r[i].seq);
		assert_int_equal(rq[i].state, r[i].state);
	}
}

/* A trajectory of an instrument holds only scores the instrument can give. */
static void
test_instrument_range(void **state)
{
	const AlInstrument *srs = al_builtin_by_code("srs"),
			   *wai_sr = al_builtin_by_code("wai_sr");
	AlPoint		p[3] = {{1, 36}, {2, 40}, {3, 0}};
	AlError		err;

	(void) state;
	assert_int_equal(al_traj_check_instrument(AL_KEY_INT, srs, p, 3, &err), AL_OK);
	p[1].score = 40.1;
	assert_int_equal(al_traj_check_instrument(AL_KEY_INT, srs, p, 3, &err), AL_ERR_RANGE);
	assert_string_equal(err.message, "session 2 has score 40.1, which srs cannot give");
	p[1].score = 540.0 / 11;	/* a prorated WAI-SR total, 49.0909... */
	p[0].score = 12;
	p[2].score = 60;
	assert_int_equal(al_traj_check_instrument(AL_KEY_INT, wai_sr, p, 3, &err), AL_OK);
	p[2].score = 11.99;
	assert_int_equal(al_traj_check_instrument(AL_KEY_INT, wai_sr, p, 3, &err), AL_ERR_RANGE);
}

/* current(): the worked series with the drop rule (points 5), by hand. */
static void
test_current(void **state)
{
	static const double worked[] = {44, 45, 46, 38, 46, 47, 47, 41, 42, 43};
	AlPoint		p[10];
	AlRupture	r[10];
	AlSeriesParams prm;
	AlCurrent	cur;
	AlError		err;

	(void) state;
	for (int i = 0; i < 10; i++)
	{
		p[i].key = i + 1;
		p[i].score = worked[i];
	}
	al_series_params_init(&prm);
	prm.method = AL_METHOD_DROP;
	prm.has_points = true;
	prm.points = 5;
	assert_int_equal(al_series_current(AL_KEY_INT, p, 10, &prm, r, &cur, &err), AL_OK);
	assert_int_equal(cur.state, AL_CURRENT_OPEN_RUPTURE);	/* 8: 41, 42, 43 < 47 */
	assert_int_equal(cur.since_seq, 8);
	assert_int_equal(cur.sessions, 3);
	assert_int_equal(cur.below_cutoff, -1);
	assert_int_equal(al_series_current(AL_KEY_INT, p, 7, &prm, r, &cur, &err), AL_OK);
	assert_int_equal(cur.state, AL_CURRENT_REPAIRED_RECENTLY);	/* 4 repaired at 5 */
	assert_int_equal(cur.since_seq, 5);
	assert_int_equal(cur.sessions, 3);
	prm.has_cutoff = true;
	prm.cutoff = 46.5;
	assert_int_equal(al_series_current(AL_KEY_INT, p, 6, &prm, r, &cur, &err), AL_OK);
	assert_int_equal(cur.state, AL_CURRENT_REPAIRED_RECENTLY);	/* a recent repair first */
	assert_int_equal(cur.below_cutoff, 0);
	/* 44 45 46 38 46 46 45 45, cut-off 45.5: the rupture at 4 was repaired at 5, three
	 * sessions before the end (not recent); the last run below 45.5 is 7 and 8 */
	prm.cutoff = 45.5;
	p[5].score = 46;
	p[6].score = 45;
	p[7].score = 45;
	assert_int_equal(al_series_current(AL_KEY_INT, p, 8, &prm, r, &cur, &err), AL_OK);
	assert_int_equal(cur.state, AL_CURRENT_BELOW_CUTOFF);
	assert_int_equal(cur.since_seq, 7);
	assert_int_equal(cur.sessions, 2);
	assert_int_equal(cur.below_cutoff, 1);
	assert_string_equal(al_current_state_name(cur.state), "below_cutoff");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_worked_strauss),
		cmocka_unit_test(test_worked_stiles),
		cmocka_unit_test(test_worked_sudden),
		cmocka_unit_test(test_sudden_tcrit),
		cmocka_unit_test(test_other_methods),
		cmocka_unit_test(test_edges),
		cmocka_unit_test(test_params),
		cmocka_unit_test(test_status_states),
		cmocka_unit_test(test_slope),
		cmocka_unit_test(test_alert),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_key_round_trip),
		cmocka_unit_test(test_collapse),
		cmocka_unit_test(test_large),
		cmocka_unit_test(test_extreme_magnitudes),
		cmocka_unit_test(test_instrument_range),
		cmocka_unit_test(test_current),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
