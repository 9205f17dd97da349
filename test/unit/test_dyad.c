/*
 * test_dyad.c — unit tests of the two-rater core (src/core/dyad.c): the
 * worked examples of doc/dyad.md by hand, merge == sequential on random
 * pairs, pairing sessions rated by one side only, unseen ruptures, and the
 * POMP of an instrument's numbers.
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

#include "dyad.h"
#include "instrument.h"
#include "score.h"

#define CLOSE(a, b) assert_true(fabs((a) - (b)) < 1e-9)

static void
add(AlPairSums *s, double x, double y)
{
	AlError		err;

	assert_int_equal(al_pair_sums_add(s, x, y, &err), AL_OK);
}

/* agreement over (75, 60), (80, 70), (60, 55), (90, 70), (70, 65) and one client-only session */
static void
test_agreement_worked_example(void **state __attribute__((unused)))
{
	AlPairSums	s;
	AlAgreement a;

	al_pair_sums_init(&s);
	add(&s, 75, 60);
	add(&s, 80, 70);
	add(&s, 60, 55);
	add(&s, 90, 70);
	add(&s, 70, 65);
	al_pair_sums_add_unpaired(&s);
	al_agreement(&s, &a);
	assert_int_equal(a.pairs, 5);
	assert_int_equal(a.unpaired, 1);
	assert_true(a.has_r && a.has_sd && a.has_d);
	CLOSE(a.r, 250.0 / sqrt(500.0 * 170.0));
	CLOSE(a.mean_difference, 11.0);
	CLOSE(a.sd_client, sqrt(125.0));
	CLOSE(a.sd_therapist, sqrt(42.5));
	CLOSE(a.d, 11.0 / sqrt(83.75));
}

static void
test_agreement_edges(void **state __attribute__((unused)))
{
	AlPairSums	s;
	AlAgreement a;

	al_pair_sums_init(&s);
	al_agreement(&s, &a);
	assert_int_equal(a.pairs, 0);
	assert_false(a.has_means || a.has_sd || a.has_r || a.has_d);
	add(&s, 50, 40);
	al_agreement(&s, &a);
	assert_true(a.has_means);
	assert_false(a.has_sd || a.has_r || a.has_d);
	CLOSE(a.mean_difference, 10);
	/* the client does not vary: no r, but a d */
	add(&s, 50, 60);
	al_agreement(&s, &a);
	assert_false(a.has_r);
	assert_true(a.has_d);
	CLOSE(a.d, 0.0);
	/* neither varies: no d either */
	al_pair_sums_init(&s);
	add(&s, 50, 40);
	add(&s, 50, 40);
	al_agreement(&s, &a);
	assert_false(a.has_r || a.has_d);
	/* a number too large to analyse */
	{
		AlError		err;

		assert_int_equal(al_pair_sums_add(&s, 1e200, 1, &err), AL_ERR_RANGE);
	}
}

/* splitting the rows anywhere and merging gives what one pass gives */
static void
test_merge_equals_sequential(void **state __attribute__((unused)))
{
	double		x[200],
				y[200];

	srand(7);
	for (int i = 0; i < 200; i++)
	{
		x[i] = 40 + rand() % 600 / 10.0;
		y[i] = 0.5 * x[i] + rand() % 300 / 10.0;
	}
	for (int cut = 0; cut <= 200; cut += 37)
	{
		AlPairSums	all,
					a,
					b;
		AlAgreement one,
					two;

		al_pair_sums_init(&all);
		al_pair_sums_init(&a);
		al_pair_sums_init(&b);
		for (int i = 0; i < 200; i++)
		{
			add(&all, x[i], y[i]);
			add(i < cut ? &a : &b, x[i], y[i]);
		}
		al_pair_sums_add_unpaired(&b);
		al_pair_sums_add_unpaired(&all);
		al_pair_sums_combine(&a, &b);
		al_agreement(&all, &one);
		al_agreement(&a, &two);
		assert_int_equal(one.pairs, two.pairs);
		assert_int_equal(one.unpaired, two.unpaired);
		assert_true(fabs(one.r - two.r) < 1e-12);
		assert_true(fabs(one.sd_client - two.sd_client) < 1e-9);
		assert_true(fabs(one.mean_difference - two.mean_difference) < 1e-9);
	}
}

/* the dyad example: sessions 1-6, client 75 77 79 80 60 78, therapist 60 62 62 64 63 65 */
static const AlPoint client6[] = {{1, 75}, {2, 77}, {3, 79}, {4, 80}, {5, 60}, {6, 78}};
static const AlPoint therapist6[] = {{1, 60}, {2, 62}, {3, 62}, {4, 64}, {5, 63}, {6, 65}};

static void
test_dyad_worked_example(void **state __attribute__((unused)))
{
	AlPoint		c[6],
				t[6],
				gaps[6];
	AlPairSums	s;
	AlAgreement a;
	double		slope;
	const double expect[] = {15, 15, 17, 16, -3, 13};

	assert_int_equal(al_dyad_pairs(client6, 6, therapist6, 6, c, t), 6);
	al_dyad_gaps(c, t, 6, gaps);
	al_pair_sums_init(&s);
	for (int i = 0; i < 6; i++)
	{
		CLOSE(gaps[i].score, expect[i]);
		add(&s, c[i].score, t[i].score);
	}
	al_agreement(&s, &a);
	CLOSE(a.mean_difference, 73.0 / 6.0);
	assert_true(fabs(a.r - 0.071370) < 5e-7);
	assert_true(al_series_slope(AL_KEY_INT, gaps, 6, &slope));
	CLOSE(slope, -13.0 / 7.0);
}

/* sessions rated by one side only are never paired */
static void
test_pairs_by_session(void **state __attribute__((unused)))
{
	const AlPoint c[] = {{1, 70}, {2, 72}, {5, 60}, {9, 61}};
	const AlPoint t[] = {{2, 60}, {3, 61}, {5, 58}, {8, 50}};
	AlPoint		pc[4],
				pt[4];

	assert_int_equal(al_dyad_pairs(c, 4, t, 4, pc, pt), 2);
	assert_int_equal(pc[0].key, 2);
	assert_int_equal(pt[1].key, 5);
	CLOSE(pt[1].score, 58);
	assert_int_equal(al_dyad_pairs(c, 4, t, 0, pc, pt), 0);
}

/* unseen over the paired sessions */
static size_t
unseen(const AlPoint *c, size_t nc, const AlPoint *t, size_t nt, const AlSeriesParams *p, AlUnseen *out)
{
	AlPoint		pc[8],
				pt[8];
	AlRupture	scratch[16];
	size_t		n = al_dyad_pairs(c, nc, t, nt, pc, pt),
				found;
	AlError		err;

	assert_int_equal(al_dyad_unseen(pc, pt, n, p, scratch, out, &found, &err), AL_OK);
	return found;
}

static void
test_unseen(void **state __attribute__((unused)))
{
	AlSeriesParams p;
	AlUnseen	out[8];
	AlPoint		t2[6];

	al_series_params_init(&p);
	p.method = AL_METHOD_DROP;
	p.has_points = true;
	p.points = 10;
	assert_int_equal(unseen(client6, 6, therapist6, 6, &p, out), 1);
	assert_int_equal(out[0].key, 5);
	CLOSE(out[0].client_drop, 20);
	assert_true(out[0].has_therapist_drop);
	CLOSE(out[0].therapist_drop, 1);
	/* the therapist's own drop of 14 at session 5: seen */
	memcpy(t2, therapist6, sizeof t2);
	t2[4].score = 50;
	t2[5].score = 60;
	assert_int_equal(unseen(client6, 6, t2, 6, &p, out), 0);
	/* the therapist did not rate session 5: the paired series have no drop there */
	{
		const AlPoint t3[] = {{1, 60}, {2, 62}, {3, 62}, {4, 64}, {6, 65}};

		assert_int_equal(unseen(client6, 6, t3, 5, &p, out), 0);
	}
	/* the client's session 4 unrated: the client's drop is judged from session 3 (79 -> 60) */
	{
		const AlPoint c4[] = {{1, 75}, {2, 77}, {3, 79}, {5, 60}, {6, 78}};

		assert_int_equal(unseen(c4, 5, therapist6, 6, &p, out), 1);
		CLOSE(out[0].client_drop, 19);
		CLOSE(out[0].therapist_drop, -1);	/* 62 at session 3, 63 at 5 */
	}
	/* the first paired session has no history: nothing to judge */
	{
		const AlPoint t4[] = {{5, 63}, {6, 65}};

		assert_int_equal(unseen(client6, 6, t4, 2, &p, out), 0);
	}
	/* bad parameters are the rule's own errors */
	{
		AlRupture	scratch[12];
		size_t		n;
		AlError		err;

		p.points = -1;
		assert_int_equal(al_dyad_unseen(client6, therapist6, 6, &p, scratch, out, &n, &err), AL_ERR_PARAM);
	}
}

/* an instrument's numbers on POMP: the WAI-SR total 12..60, the SRS 0..40 */
static void
test_score_to_pomp(void **state __attribute__((unused)))
{
	const AlInstrument *wai = al_builtin_by_code("wai_sr");
	const AlInstrument *srs = al_builtin_by_code("srs");

	assert_non_null(wai);
	assert_non_null(srs);
	CLOSE(al_score_to_pomp(wai, 48), 75);
	CLOSE(al_score_difference_to_pomp(wai, 4.8), 10);
	CLOSE(al_score_to_pomp(srs, 36), 90);
	CLOSE(al_score_difference_to_pomp(srs, 2.4), 6);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_agreement_worked_example),
		cmocka_unit_test(test_agreement_edges),
		cmocka_unit_test(test_merge_equals_sequential),
		cmocka_unit_test(test_dyad_worked_example),
		cmocka_unit_test(test_pairs_by_session),
		cmocka_unit_test(test_unseen),
		cmocka_unit_test(test_score_to_pomp),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
