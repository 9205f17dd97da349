/*
 * test_level.c — the default rupture rule (method level): worked examples
 * checked by hand, its parameters, and agreement of the prospective alert
 * with ruptures() on random series.
 *
 * SRS norms: sd 4, reliability .64, so the error SD is 4 * sqrt(.36) = 2.4,
 * the threshold 3 * 2.4 = 7.2 and the repair tolerance 2.4.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "series.h"

static AlSeriesParams
srs_params(void)
{
	AlSeriesParams p;

	al_series_params_init(&p);
	p.has_sd = true;
	p.sd = 4;
	p.has_reliability = true;
	p.reliability = 0.64;
	return p;
}

static size_t
run(const double *x, size_t n, const AlSeriesParams *p, AlRupture *r)
{
	AlPoint		pts[64];
	size_t		nr = 0;
	AlError		err;

	for (size_t i = 0; i < n; i++)
	{
		pts[i].key = (int64_t) i + 1;
		pts[i].score = x[i];
	}
	assert_int_equal(al_series_ruptures(pts, n, p, r, &nr, &err), AL_OK);
	return nr;
}

static void
test_defaults(void **state)
{
	AlSeriesParams p = srs_params();
	double		e;

	(void) state;
	assert_int_equal(p.method, AL_METHOD_LEVEL);
	assert_true(al_series_error_sd(&p, &e));
	assert_true(fabs(e - 2.4) < 1e-12);
	assert_true(al_series_threshold(&p, 0) == 7.2);	/* shown as 7.2, not 7.199999999999999 */
	assert_true(fabs(al_series_eps(&p) - 2.4) < 1e-12);
	p.has_eps = true;
	p.eps = 0;
	assert_true(al_series_eps(&p) == 0);
	/* other methods keep a tolerance of 0 */
	p = srs_params();
	p.method = AL_METHOD_STILES;
	assert_true(al_series_eps(&p) == 0);
	assert_string_equal(al_method_name(AL_METHOD_LEVEL), "level");
}

static void
test_worked_example(void **state)
{
	/* level of 36, 37, 36 is 36.333; 28 is 8.333 below (>= 7.2): a rupture;
	 * 29 continues it; 36 >= 36.333 - 2.4 repairs it at session 6 */
	const double x[] = {36, 37, 36, 28, 29, 36, 36};
	AlSeriesParams p = srs_params();
	AlRupture	r[8];

	(void) state;
	assert_int_equal(run(x, 7, &p, r), 1);
	assert_int_equal(r[0].seq, 4);
	assert_true(fabs(r[0].previous_score - 109.0 / 3) < 1e-12);
	assert_true(fabs(r[0].drop - (109.0 / 3 - 28)) < 1e-12);
	assert_true(r[0].threshold == 7.2);
	assert_int_equal(r[0].state, AL_REPAIRED);
	assert_int_equal(r[0].repaired_seq, 6);
	/* the strict repair (eps 0) needs 36.333: 36 is not enough */
	p.has_eps = true;
	p.eps = 0;
	assert_int_equal(run(x, 7, &p, r), 1);
	assert_int_equal(r[0].state, AL_UNREPAIRED);
}

static void
test_quiet_series(void **state)
{
	/* the ceiling client of 0.1.0's false alarm: 40, 40, 40, 39.8, 40 */
	const double ceiling[] = {40, 40, 40, 39.8, 40};
	/* fewer than 3 earlier sessions: never judged */
	const double early[] = {40, 20, 10};
	AlSeriesParams p = srs_params();
	AlRupture	r[8];
	AlTrajStatus st;
	AlPoint		pts[5];
	AlError		err;

	(void) state;
	assert_int_equal(run(ceiling, 5, &p, r), 0);
	assert_int_equal(run(early, 3, &p, r), 0);
	for (int i = 0; i < 5; i++)
		pts[i].key = i + 1, pts[i].score = ceiling[i];
	assert_int_equal(al_series_status(AL_KEY_INT, pts, 5, &p, r, &st, &err), AL_OK);
	assert_int_equal(st, AL_STATUS_STABLE);	/* the trend is judged against the error SD too */
}

static void
test_ties_and_sizes(void **state)
{
	/* level 40, 32.8 is exactly 7.2 below: a rupture (ties count); 32.9 is not */
	const double tie[] = {40, 40, 40, 32.8};
	const double under[] = {40, 40, 40, 32.9};
	AlSeriesParams p = srs_params();
	AlRupture	r[8];

	(void) state;
	assert_int_equal(run(tie, 4, &p, r), 1);
	assert_int_equal(r[0].state, AL_OPEN);
	assert_int_equal(run(under, 4, &p, r), 0);
	/* k and points change the threshold */
	p.has_k = true;
	p.k = 2;
	assert_int_equal(run(under, 4, &p, r), 1);
	p = srs_params();
	p.has_points = true;
	p.points = 8;
	assert_int_equal(run(tie, 4, &p, r), 0);
}

static void
test_one_drop_one_rupture(void **state)
{
	/* a lasting drop is one rupture, unrepaired, not one per session */
	const double lasting[] = {40, 40, 40, 30, 30, 30, 30};
	/* a decline that goes on: flagged again once the window holds only
	 * sessions after the first drop (40 -> 30; then 25 -> 10 below 20) */
	const double falling[] = {40, 40, 40, 30, 25, 20, 15, 10};
	/* two separate dips, each repaired, are two ruptures */
	const double dips[] = {40, 40, 40, 30, 40, 40, 40, 30, 40};
	AlSeriesParams p = srs_params();
	AlRupture	r[16];

	(void) state;
	assert_int_equal(run(lasting, 7, &p, r), 1);
	assert_int_equal(r[0].seq, 4);
	assert_int_equal(r[0].state, AL_UNREPAIRED);
	assert_int_equal(run(falling, 8, &p, r), 2);
	assert_int_equal(r[0].seq, 4);
	assert_int_equal(r[1].seq, 8);
	assert_true(fabs(r[1].previous_score - 20) < 1e-12);
	assert_int_equal(run(dips, 9, &p, r), 2);
	assert_int_equal(r[0].seq, 4);
	assert_int_equal(r[0].repaired_seq, 5);
	assert_int_equal(r[1].seq, 8);
	assert_int_equal(r[1].repaired_seq, 9);
}

static void
test_needs_error_sd(void **state)
{
	AlSeriesParams p;
	AlError		err;

	(void) state;
	al_series_params_init(&p);
	assert_int_equal(al_series_params_check(&p, false, &err), AL_ERR_PARAM);
	assert_non_null(strstr(err.message, "needs the error SD"));
	p.has_sd = true;
	p.sd = 4;
	assert_int_equal(al_series_params_check(&p, false, &err), AL_ERR_PARAM);
	p.has_reliability = true;
	p.reliability = 0.64;
	assert_int_equal(al_series_params_check(&p, false, &err), AL_OK);
	al_series_params_init(&p);
	p.has_points = true;
	p.points = 5;
	assert_int_equal(al_series_params_check(&p, true, &err), AL_OK);
	/* reliability 1 is refused as for reliable change */
	p = srs_params();
	p.reliability = 1;
	assert_int_equal(al_series_params_check(&p, false, &err), AL_ERR_PARAM);
}

/* a drop held over two sessions: 0.85 of the threshold (0.85 * 7.2 = 6.12) on both */
static void
test_sustained(void **state)
{
	const double held[] = {40, 40, 40, 33.6, 33.6, 40, 40};
	const double dip[] = {40, 40, 40, 33.6, 40};
	const double not_held[] = {40, 40, 40, 33.6, 34};	/* 34 > 40 - 6.12 */
	const double at_end[] = {40, 40, 40, 33.6};
	AlSeriesParams p = srs_params();
	AlRupture	r[8];

	(void) state;
	assert_true(al_level_sustained_threshold(&p) == 6.12);
	assert_int_equal(run(held, 7, &p, r), 1);
	assert_int_equal(r[0].seq, 4);		/* the rupture is the first low session */
	assert_true(r[0].threshold == 6.12);
	assert_true(fabs(r[0].drop - 6.4) < 1e-12);
	assert_int_equal(r[0].state, AL_REPAIRED);
	assert_int_equal(r[0].repaired_seq, 6);
	assert_int_equal(run(dip, 5, &p, r), 0);	/* one low session, under 7.2: not a rupture */
	assert_int_equal(run(not_held, 5, &p, r), 0);
	assert_int_equal(run(at_end, 4, &p, r), 0);	/* not confirmed yet */
}

/*
 * The alert, fed one score at a time, flags a session exactly when it makes
 * a rupture of ruptures() known: the rupture's own session, or for a
 * sustained drop the session after it — on 20 000 random series of 1 to 40
 * sessions with planted drops, lasting drops and recoveries.
 */
static void
test_alert_agrees(void **state)
{
	AlSeriesParams p = srs_params();
	unsigned	seed = 12345;
	long		flagged = 0,
				sustained = 0;

	(void) state;
	for (int c = 0; c < 20000; c++)
	{
		double		x[40];
		AlRupture	r[40];
		AlLevelTrack t;
		AlRunning	h;
		size_t		n = 1 + (size_t) (rand_r(&seed) % 40),
					nr,
					k = 0;
		double		level = 36 + (rand_r(&seed) % 5);

		for (size_t i = 0; i < n; i++)
		{
			int			u = rand_r(&seed) % 100;

			if (u < 6)
				level -= 4 + rand_r(&seed) % 12;	/* a lasting drop */
			else if (u < 9)
				level += 4 + rand_r(&seed) % 12;	/* a recovery */
			x[i] = level + (rand_r(&seed) % 61 - 30) / 10.0 - (u >= 9 && u < 14 ? 9 : 0);
		}
		nr = run(x, n, &p, r);
		al_level_init(&t);
		al_running_init(&h);
		for (size_t i = 0; i < n; i++)
		{
			AlLevelStep s;
			int			d = al_alert_decide(&p, &h, &t, 0, x[i]);

			al_level_step(&t, &p, x[i], &s);
			assert_int_equal(d, s.decision);
			if (d == 1)
			{
				/* the rupture it makes known is ruptures()'s next one */
				assert_true(k < nr);
				assert_int_equal(r[k].seq, s.at_previous ? (int) i : (int) i + 1);
				flagged++;
				sustained += s.at_previous;
				k++;
			}
			else if (i < AL_LEVEL_WINDOW)
				assert_int_equal(d, -1);
			al_level_add(&t, &p, x[i], &s);
			al_running_add(&h, x[i]);
		}
		assert_int_equal(k, nr);
	}
	assert_true(flagged > 1000);	/* the series do have ruptures */
	assert_true(sustained > 100);	/* of both kinds */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_worked_example),
		cmocka_unit_test(test_quiet_series),
		cmocka_unit_test(test_ties_and_sizes),
		cmocka_unit_test(test_one_drop_one_rupture),
		cmocka_unit_test(test_needs_error_sd),
		cmocka_unit_test(test_sustained),
		cmocka_unit_test(test_alert_agrees),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
