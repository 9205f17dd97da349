/*
 * test_score.c — unit tests for src/core/score.c and rational.c: the scoring
 * rules and worked examples of doc/instruments.md, with exact values.
 *
 * Build and run:
 *   gcc -std=gnu99 -Wall -Wextra -Werror -Isrc/core test/unit/test_score.c \
 *       <every .c file in src/core> -lcmocka -lm -o /tmp/t && /tmp/t
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "al_status.h"
#include "instrument.h"
#include "rational.h"
#include "response.h"
#include "score.h"

#define NELEM(a) ((int) (sizeof(a) / sizeof((a)[0])))

/* ---------------------------------------------------------------------------
 * Custom instruments for the rules that built-ins do not exercise.
 * ------------------------------------------------------------------------- */

/* "mood": 3 items 0.0..5.0 step 0.5, item 2 reversed. */
static const uint8_t mood_all[] = {1, 2, 3};
static const uint8_t mood_rev[] = {2};
static const AlScale mood_scales[] = {{"all", 3, mood_all}};
static const AlInstrument mood = {
	.code = "mood", .name = "test", .citation = "none", .evidence = "R",
	.builtin_id = AL_CUSTOM, .nitems = 3, .decimals = 1,
	.min_u = 0, .max_u = 50, .step_u = 5,
	.nreversed = 1, .reversed = mood_rev,
	.nscales = 1, .scales = mood_scales,
	.goal_scale = -1, .task_scale = -1, .bond_scale = 0,
	.min_answered_num = 3, .min_answered_den = 4,
	.score = AL_SCORE_TOTAL,
};

/* "calm": 4 items 1..5, its score is the mean, at risk below a mean of 3. */
static const AlInstrument calm = {
	.code = "calm", .name = "test", .citation = "none", .evidence = "R",
	.builtin_id = AL_CUSTOM, .nitems = 4, .decimals = 0,
	.min_u = 1, .max_u = 5, .step_u = 1,
	.goal_scale = -1, .task_scale = -1, .bond_scale = -1,
	.has_cutoff = true, .cutoff_u = 3,
	.min_answered_num = 3, .min_answered_den = 4,
	.score = AL_SCORE_MEAN,
};

/* "calm2": calm with a cut-off of 2.75 on the mean (finer than its items) */
static const AlInstrument calm2 = {
	.code = "calm2", .name = "test", .citation = "none", .evidence = "R",
	.builtin_id = AL_CUSTOM, .nitems = 4, .decimals = 0,
	.min_u = 1, .max_u = 5, .step_u = 1,
	.goal_scale = -1, .task_scale = -1, .bond_scale = -1,
	.has_cutoff = true, .cutoff_u = 275, .cutoff_scale = 2,
	.min_answered_num = 3, .min_answered_den = 4,
	.score = AL_SCORE_MEAN,
};

/* "ten": 10 items 0..10, norms sd 5 and reliability 0.75, cut-off 50. */
static const AlInstrument ten = {
	.code = "ten", .name = "test", .citation = "none", .evidence = "R",
	.builtin_id = AL_CUSTOM, .nitems = 10, .decimals = 0,
	.min_u = 0, .max_u = 10, .step_u = 1,
	.goal_scale = -1, .task_scale = -1, .bond_scale = -1,
	.has_cutoff = true, .cutoff_u = 50,
	.min_answered_num = 3, .min_answered_den = 4,
	.score = AL_SCORE_TOTAL,
	.has_norm_sd = true, .norm_sd = 5.0,
	.has_norm_reliability = true, .norm_reliability = 0.75,
};

static const AlInstrument *
resolver(const char *code, void *arg)
{
	(void) arg;
	if (strcmp(code, "mood") == 0)
		return &mood;
	if (strcmp(code, "calm") == 0)
		return &calm;
	if (strcmp(code, "calm2") == 0)
		return &calm2;
	if (strcmp(code, "ten") == 0)
		return &ten;
	return NULL;
}

/* ---- helpers ---- */

/* A bound response from valid text (static storage: one per slot). */
static AlResponse *
R(const char *text)
{
	static AlResponse slots[8];
	static int	next;
	AlResponse *r = &slots[next++ % NELEM(slots)];
	AlError		err;

	if (al_response_parse(text, resolver, NULL, false, r, &err) != AL_OK)
		fail_msg("parse of \"%s\" failed: %s", text, err.message);
	return r;
}

static int
scale_of(const AlResponse *r, const char *name)
{
	int			s = al_scale_index(r->inst, name);

	if (s < 0)
		fail_msg("%s has no scale \"%s\"", r->code, name);
	return s;
}

/* the exact reduced fraction n/d */
#define assert_rat(rat, n, d) do { \
		AlRational _r = (rat); \
		if (_r.num != (int64_t) (n) || _r.den != (int64_t) (d)) \
			fail_msg("got %lld/%lld, want %lld/%lld", (long long) _r.num, \
					 (long long) _r.den, (long long) (n), (long long) (d)); \
	} while (0)

#define assert_double_near(a, b, eps) do { \
		double _a = (a), _b = (b); \
		if (!(fabs(_a - _b) <= (eps))) \
			fail_msg("got %.12f, want %.12f", _a, _b); \
	} while (0)

static AlRational
total(const AlResponse *r, bool prorate)
{
	AlRational	out;

	if (!al_scale_total(r, AL_WHOLE, prorate, &out))
		fail_msg("total of %s is NULL", r->code);
	return out;
}

static AlRational
sub(const AlResponse *r, const char *name)
{
	AlRational	out;

	if (!al_scale_total(r, scale_of(r, name), true, &out))
		fail_msg("%s of %s is NULL", name, r->code);
	return out;
}

static AlRational
mean(const AlResponse *r)
{
	AlRational	out;

	if (!al_scale_mean(r, AL_WHOLE, true, &out))
		fail_msg("mean of %s is NULL", r->code);
	return out;
}

static AlRational
pomp(const AlResponse *r)
{
	AlRational	out;

	if (!al_scale_pomp(r, AL_WHOLE, true, &out))
		fail_msg("pomp of %s is NULL", r->code);
	return out;
}

static AlRational
bordin(const AlResponse *r, AlBordin dim)
{
	AlRational	out;

	if (!al_bordin(r, dim, true, &out))
		fail_msg("bordin %d of %s is NULL", (int) dim, r->code);
	return out;
}

static AlRational
score(const AlResponse *r)
{
	AlRational	out;

	if (!al_score(r, true, &out))
		fail_msg("score of %s is NULL", r->code);
	return out;
}

/* at_risk: 1 true, 0 false, -1 NULL */
static int
risk(const AlResponse *r, const AlRiskParams *p)
{
	AlRiskParams def;
	bool		at;

	if (p == NULL)
	{
		al_risk_defaults(&def);
		p = &def;
	}
	if (!al_at_risk(r, p, &at))
		return -1;
	return at ? 1 : 0;
}

static int
risk_cut(const AlResponse *r, AlRational cutoff, bool inclusive)
{
	AlRiskParams p;

	al_risk_defaults(&p);
	p.has_cutoff = true;
	p.cutoff = cutoff;
	p.inclusive = inclusive;
	return risk(r, &p);
}

static void
assert_decimal(AlRational a, int64_t want_units, int want_scale)
{
	int64_t		units;
	int			sc;

	assert_true(al_rat_exact_decimal(a, &units, &sc));
	assert_int_equal(units, want_units);
	assert_int_equal(sc, want_scale);
}

static AlStatus
rc(const char *before, const char *after, const AlRcParams *p, AlReliableChange *out,
   bool *scored, AlError *err)
{
	AlRcParams	none;
	AlResponse	b = *R(before);
	AlResponse	a = *R(after);

	if (p == NULL)
	{
		memset(&none, 0, sizeof(none));
		p = &none;
	}
	memset(err, 0, sizeof(*err));
	return al_reliable_change(&b, &a, p, out, scored, err);
}

/* rc() on a copy of the instrument without norms, to reach the "needs" errors */
static AlStatus
rc_without_norms(const char *before, const char *after, const AlRcParams *p,
				 AlReliableChange *out, bool *scored, AlError *err)
{
	static AlInstrument bare;
	AlRcParams	none;
	AlResponse	b = *R(before);
	AlResponse	a = *R(after);

	bare = *b.inst;
	bare.has_norm_sd = bare.has_norm_reliability = false;
	b.inst = a.inst = &bare;
	if (p == NULL)
	{
		memset(&none, 0, sizeof(none));
		p = &none;
	}
	memset(err, 0, sizeof(*err));
	return al_reliable_change(&b, &a, p, out, scored, err);
}

static AlRcParams
sd_rel(double sd, double reliability)
{
	AlRcParams	p;

	memset(&p, 0, sizeof(p));
	p.has_sd = true;
	p.sd = sd;
	p.has_reliability = true;
	p.reliability = reliability;
	return p;
}

/* ===========================================================================
 * Worked examples of instruments.md
 * ========================================================================= */

/* wai_sr(4,3,5,4,5,4,4,3,5,4,4,3): task 14, goal 15, bond 19, total 48, mean 4.00 */
static void
test_waisr_worked(void **state)
{
	AlResponse *r = R("wai_sr(4,3,5,4,5,4,4,3,5,4,4,3)");

	(void) state;
	assert_rat(sub(r, "task"), 14, 1);
	assert_rat(sub(r, "goal"), 15, 1);
	assert_rat(sub(r, "bond"), 19, 1);
	assert_rat(total(r, true), 48, 1);
	assert_rat(total(r, false), 48, 1);
	assert_rat(mean(r), 4, 1);
	assert_rat(score(r), 48, 1);
	assert_rat(pomp(r), 75, 1);	/* 100 * (48 - 12) / 48 */
	/* Bordin dimensions: POMP of the subscale, 4..20 */
	assert_rat(bordin(r, AL_BORDIN_TASK), 125, 2);	/* 100 * 10 / 16 = 62.5 */
	assert_rat(bordin(r, AL_BORDIN_GOAL), 275, 4);	/* 100 * 11 / 16 = 68.75 */
	assert_rat(bordin(r, AL_BORDIN_BOND), 375, 4);	/* 100 * 15 / 16 = 93.75 */
	/* subscale means */
	{
		AlRational	m;

		assert_true(al_scale_mean(r, scale_of(r, "bond"), true, &m));
		assert_rat(m, 19, 4);
	}
	/* WAI-SR has no cut-off: at_risk is NULL, unless one is passed */
	assert_int_equal(risk(r, NULL), -1);
	assert_int_equal(risk_cut(r, al_rat(50, 1, 0), false), 1);
	assert_int_equal(risk_cut(r, al_rat(48, 1, 0), false), 0);
	assert_int_equal(risk_cut(r, al_rat(48, 1, 0), true), 1);
}

/* all 1 -> total 12, POMP 0; all 5 -> total 60, POMP 100 */
static void
test_waisr_pomp_extremes(void **state)
{
	AlResponse *lo = R("wai_sr(1,1,1,1,1,1,1,1,1,1,1,1)");
	AlResponse *hi = R("wai_sr(5,5,5,5,5,5,5,5,5,5,5,5)");

	(void) state;
	assert_rat(total(lo, true), 12, 1);
	assert_rat(pomp(lo), 0, 1);
	assert_rat(mean(lo), 1, 1);
	assert_rat(total(hi, true), 60, 1);
	assert_rat(pomp(hi), 100, 1);
	assert_rat(mean(hi), 5, 1);
	assert_rat(bordin(hi, AL_BORDIN_GOAL), 100, 1);
	assert_rat(bordin(hi, AL_BORDIN_TASK), 100, 1);
	assert_rat(bordin(hi, AL_BORDIN_BOND), 100, 1);
	assert_rat(bordin(lo, AL_BORDIN_BOND), 0, 1);
}

/* wai_sr(5,3,5,4,5,4,null,3,5,4,4,3): bond (5+5+5)/3*4 = 20, total 45/11*12 = 540/11 */
static void
test_waisr_prorated(void **state)
{
	AlResponse *r = R("wai_sr(5,3,5,4,5,4,null,3,5,4,4,3)");
	AlRational	out;
	int64_t		units;
	int			sc;

	(void) state;
	assert_rat(total(r, true), 540, 11);
	assert_false(al_rat_exact_decimal(total(r, true), &units, &sc));	/* 49.0909... */
	assert_double_near(al_rat_to_double(total(r, true)), 49.090909090909, 1e-9);
	assert_rat(sub(r, "bond"), 20, 1);
	assert_rat(sub(r, "task"), 15, 1);	/* 5+3+4+3 */
	assert_rat(sub(r, "goal"), 15, 1);	/* 4+4+3+4 */
	assert_rat(mean(r), 45, 11);
	assert_rat(score(r), 540, 11);
	assert_rat(pomp(r), 850, 11);	/* 100 * (540/11 - 12) / 48 */
	assert_rat(bordin(r, AL_BORDIN_BOND), 100, 1);	/* (20 - 4) / 16 */

	/* strict mode: total(r, prorate => false) is NULL, so are bond and the mean */
	assert_false(al_scale_total(r, AL_WHOLE, false, &out));
	assert_false(al_scale_total(r, scale_of(r, "bond"), false, &out));
	assert_false(al_scale_mean(r, AL_WHOLE, false, &out));
	assert_false(al_scale_pomp(r, AL_WHOLE, false, &out));
	assert_false(al_score(r, false, &out));
	assert_false(al_bordin(r, AL_BORDIN_BOND, false, &out));
	/* complete subscales are still scored in strict mode */
	assert_true(al_scale_total(r, scale_of(r, "task"), false, &out));
	assert_rat(out, 15, 1);
	assert_true(al_bordin(r, AL_BORDIN_TASK, false, &out));
	assert_rat(out, 275, 4);
	assert_int_equal(al_scale_answered(r, AL_WHOLE), 11);
	assert_int_equal(al_scale_answered(r, scale_of(r, "bond")), 3);
	assert_int_equal(al_scale_nitems(r->inst, scale_of(r, "bond")), 4);
	assert_int_equal(al_scale_nitems(r->inst, AL_WHOLE), 12);
}

/* at least 75% of a scale's items: 9 of 12, 3 of 4, 4 of 5, 15 of 19 */
static void
test_missing_threshold(void **state)
{
	AlResponse *r;
	AlRational	out;

	(void) state;
	/* 9 of 12 answered (one missing in each subscale): scored, 36 * 12 / 9 */
	r = R("wai_sr(null,4,null,null,4,4,4,4,4,4,4,4)");
	assert_rat(total(r, true), 48, 1);
	assert_rat(sub(r, "task"), 16, 1);
	/* 8 of 12: NULL */
	r = R("wai_sr(null,null,null,null,4,4,4,4,4,4,4,4)");
	assert_false(al_scale_total(r, AL_WHOLE, true, &out));
	assert_false(al_scale_mean(r, AL_WHOLE, true, &out));
	assert_false(al_scale_total(r, scale_of(r, "task"), true, &out));	/* 2 of 4 */
	assert_rat(sub(r, "bond"), 16, 1);	/* 3 of 4: (4+4+4)/3*4 */
	/* nothing answered */
	r = R("wai_sr(null,null,null,null,null,null,null,null,null,null,null,null)");
	assert_false(al_scale_total(r, AL_WHOLE, true, &out));
	assert_false(al_scale_total(r, scale_of(r, "bond"), true, &out));
	/* ARM-5: 4 of 5 is enough (80%), 3 of 5 is not */
	r = R("arm5(6,6,2,7,null)");
	assert_rat(total(r, true), 125, 4);	/* (6+6+6+7)/4*5 */
	assert_rat(mean(r), 25, 4);
	r = R("arm5(6,6,null,7,null)");
	assert_false(al_scale_total(r, AL_WHOLE, true, &out));
	/* HAq-II: 15 of 19 is enough, 14 is not */
	r = R("haq2(6,5,6,1,5,6,5,2,6,5,1,6,5,6,5,null,null,null,null)");
	assert_rat(total(r, true), 1577, 15);	/* keyed sum 83 over 15, times 19 */
	r = R("haq2(6,5,6,1,5,6,5,2,6,5,1,6,5,6,null,null,null,null,null)");
	assert_false(al_scale_total(r, AL_WHOLE, true, &out));
	/* reversed items are keyed before prorating: wai_s item 4 (reversed) 2 -> 6 */
	r = R("wai_s(6,5,7,2,6,6,7,6,6,5,5,null)");
	assert_rat(total(r, true), 756, 11);	/* keyed 63 over 11, times 12 */
	assert_rat(sub(r, "goal"), 20, 1);
	assert_rat(sub(r, "task"), 68, 3);	/* (6+5+6)/3*4 */
}

/* SRS and ORS (visual analogue) allow no missing item, prorating or not */
static void
test_vas_no_missing(void **state)
{
	AlResponse *r;
	AlRational	out;

	(void) state;
	r = R("srs(9,null,9,9)");
	assert_false(al_scale_total(r, AL_WHOLE, true, &out));
	assert_false(al_scale_total(r, AL_WHOLE, false, &out));
	assert_false(al_scale_mean(r, AL_WHOLE, true, &out));
	assert_false(al_score(r, true, &out));
	assert_int_equal(risk(r, NULL), -1);
	assert_false(al_bordin(r, AL_BORDIN_GOAL, true, &out));	/* item 2 */
	assert_true(al_bordin(r, AL_BORDIN_BOND, true, &out));	/* item 1 answered */
	assert_rat(out, 90, 1);
	r = R("ors(4.0,5.5,6.0,null)");
	assert_false(al_scale_total(r, AL_WHOLE, true, &out));
	assert_int_equal(risk(r, NULL), -1);
}

/* srs(9.1,8.4,7.9,8.8): total 34.2, at risk; items 2, 3, 4 below 9.
 * srs(9,9,9,9): total 36.0, not at risk. */
static void
test_srs_worked(void **state)
{
	AlResponse *r = R("srs(9.1,8.4,7.9,8.8)");
	AlResponse *n = R("srs(9,9,9,9)");
	int			items[4];

	(void) state;
	assert_rat(total(r, true), 171, 5);
	assert_decimal(total(r, true), 342, 1);	/* 34.2 */
	assert_rat(mean(r), 171, 20);	/* 8.55 */
	assert_decimal(mean(r), 855, 2);
	assert_rat(pomp(r), 171, 2);	/* 85.5 */
	assert_int_equal(risk(r, NULL), 1);
	assert_int_equal(al_flagged_items(r, false, al_rat(0, 1, 0), items), 3);
	assert_int_equal(items[0], 2);
	assert_int_equal(items[1], 3);
	assert_int_equal(items[2], 4);

	assert_rat(total(n, true), 36, 1);
	assert_decimal(total(n, true), 360, 1);	/* shown 36.0, as its items */
	assert_int_equal(risk(n, NULL), 0);
	assert_int_equal(al_flagged_items(n, false, al_rat(0, 1, 0), items), 0);

	/* SRS subscales are single items */
	assert_rat(sub(r, "relationship"), 91, 10);
	assert_rat(sub(r, "goals"), 42, 5);
	assert_rat(sub(r, "approach"), 79, 10);
	assert_rat(sub(r, "overall"), 44, 5);
	/* Bordin: items 2/3/1 (goal/task/bond) as POMP of 0..10 */
	assert_rat(bordin(r, AL_BORDIN_GOAL), 84, 1);
	assert_rat(bordin(r, AL_BORDIN_TASK), 79, 1);
	assert_rat(bordin(r, AL_BORDIN_BOND), 91, 1);
}

static void
test_srs_at_risk_params(void **state)
{
	AlResponse *r = R("srs(9.1,8.4,7.9,8.8)");
	AlResponse *n = R("srs(9,9,9,9)");
	AlResponse *below = R("srs(9,9,9,8.9)");

	(void) state;
	/* boundary: 36.0 is not at risk with "<", at risk with "<=" */
	assert_int_equal(risk(n, NULL), 0);
	{
		AlRiskParams p;

		al_risk_defaults(&p);
		assert_false(p.has_cutoff);
		assert_false(p.inclusive);
		assert_true(p.prorate);
		assert_rat(p.resolution_cutoff, 4, 1);
		p.inclusive = true;
		assert_int_equal(risk(n, &p), 1);	/* the instrument's cut-off, inclusive */
		assert_int_equal(risk(below, &p), 1);
		assert_int_equal(risk(R("srs(9,9,9,9.1)"), &p), 0);
	}
	assert_int_equal(risk(below, NULL), 1);	/* 35.9 */
	/* a custom cut-off */
	assert_int_equal(risk_cut(r, al_rat(171, 5, 1), false), 0);	/* 34.2 < 34.2: no */
	assert_int_equal(risk_cut(r, al_rat(171, 5, 1), true), 1);
	assert_int_equal(risk_cut(r, al_rat(343, 10, 1), false), 1);
	assert_int_equal(risk_cut(r, al_rat(30, 1, 0), false), 0);
	assert_int_equal(risk_cut(n, al_rat(40, 1, 0), false), 1);
}

static void
test_flagged_items(void **state)
{
	AlResponse *r = R("srs(9.1,8.4,7.9,8.8)");
	int			items[AL_MAX_ITEMS];

	(void) state;
	/* item cut-off is a parameter; "below" is strict */
	assert_int_equal(al_flagged_items(r, true, al_rat(85, 10, 1), items), 2);
	assert_int_equal(items[0], 2);
	assert_int_equal(items[1], 3);
	assert_int_equal(al_flagged_items(r, true, al_rat(79, 10, 1), items), 0);
	assert_int_equal(al_flagged_items(r, true, al_rat(8, 1, 0), items), 1);
	assert_int_equal(items[0], 3);
	assert_int_equal(al_flagged_items(r, true, al_rat(10, 1, 0), items), 4);
	/* missing items are not flagged */
	r = R("srs(8,null,9,null)");
	assert_int_equal(al_flagged_items(r, false, al_rat(0, 1, 0), items), 1);
	assert_int_equal(items[0], 1);
	/* no default item threshold outside SRS: NULL (-1) */
	assert_int_equal(al_flagged_items(R("wai_sr(4,3,5,4,5,4,4,3,5,4,4,3)"), false,
									  al_rat(0, 1, 0), items), -1);
	assert_int_equal(al_flagged_items(R("ors(4,5,6,4)"), false, al_rat(0, 1, 0), items), -1);
	/* with an explicit threshold any instrument works */
	assert_int_equal(al_flagged_items(R("wai_sr(4,3,5,4,5,4,4,3,5,4,4,3)"), true,
									  al_rat(4, 1, 0), items), 3);
	assert_int_equal(items[0], 2);
	assert_int_equal(items[1], 8);
	assert_int_equal(items[2], 12);
	/* keyed values: arm5 item 3 (reversed) answered 2 is 6, not flagged below 6 */
	assert_int_equal(al_flagged_items(R("arm5(6,6,2,7,5)"), true, al_rat(6, 1, 0), items), 1);
	assert_int_equal(items[0], 5);
}

/* ors(4.0,5.5,6.0,4.5) -> 20.0; ors(6.5,7.0,7.5,6.0) -> 27.0 */
static void
test_ors(void **state)
{
	AlResponse *a = R("ors(4.0,5.5,6.0,4.5)");
	AlResponse *b = R("ors(6.5,7.0,7.5,6.0)");
	AlRational	out;

	(void) state;
	assert_rat(total(a, true), 20, 1);
	assert_decimal(total(a, true), 200, 1);
	assert_rat(total(b, true), 27, 1);
	assert_int_equal(risk(a, NULL), 1);	/* adult cut-off 25 */
	assert_int_equal(risk(b, NULL), 0);
	assert_int_equal(risk_cut(b, al_rat(28, 1, 0), false), 1);	/* adolescents */
	/* ORS measures outcome, not alliance: no Bordin dimension */
	assert_false(al_bordin(a, AL_BORDIN_GOAL, true, &out));
	assert_false(al_bordin(a, AL_BORDIN_TASK, true, &out));
	assert_false(al_bordin(a, AL_BORDIN_BOND, true, &out));
	assert_rat(sub(a, "interpersonal"), 11, 2);
}

/* ===========================================================================
 * Reliable change
 * ========================================================================= */

/* reliable_change('ors(4.0,5.5,6.0,4.5)', 'ors(6.5,7.0,7.5,6.0)') = (7.0, NULL, t, improved, t) */
static void
test_rc_ors_example(void **state)
{
	AlReliableChange out;
	AlError		err;
	bool		scored;

	(void) state;
	assert_int_equal(rc("ors(4.0,5.5,6.0,4.5)", "ors(6.5,7.0,7.5,6.0)", NULL, &out, &scored, &err), AL_OK);
	assert_true(scored);
	assert_rat(out.delta, 7, 1);
	assert_decimal(out.delta, 70, 1);	/* 7.0 */
	assert_false(out.has_rci);			/* rci NULL under the points rule */
	assert_true(out.reliable);
	assert_int_equal(out.direction, AL_IMPROVED);
	assert_int_equal(out.clinically_significant, 1);

	/* the other way: a reliable deterioration crossing into the clinical range */
	assert_int_equal(rc("ors(6.5,7.0,7.5,6.0)", "ors(4.0,5.5,6.0,4.5)", NULL, &out, &scored, &err), AL_OK);
	assert_rat(out.delta, -7, 1);
	assert_true(out.reliable);
	assert_int_equal(out.direction, AL_DETERIORATED);
	assert_int_equal(out.clinically_significant, 1);
}

static void
test_rc_ors_points(void **state)
{
	AlReliableChange out;
	AlError		err;
	bool		scored;
	AlRcParams	p;

	(void) state;
	/* exactly 5 points is reliable (>=), but 16 -> 21 stays below 25 */
	assert_int_equal(rc("ors(4,4,4,4)", "ors(5,5,5,6)", NULL, &out, &scored, &err), AL_OK);
	assert_rat(out.delta, 5, 1);
	assert_true(out.reliable);
	assert_int_equal(out.direction, AL_IMPROVED);
	assert_int_equal(out.clinically_significant, 0);
	/* 4.9 points is not */
	assert_int_equal(rc("ors(4,4,4,4)", "ors(5,5,5,5.9)", NULL, &out, &scored, &err), AL_OK);
	assert_rat(out.delta, 49, 10);
	assert_false(out.reliable);
	assert_int_equal(out.direction, AL_UNCHANGED);
	assert_int_equal(out.clinically_significant, 0);
	/* crossing the cut-off without a reliable change is not clinically significant */
	assert_int_equal(rc("ors(6,6,6,6.9)", "ors(6,6,6,7.1)", NULL, &out, &scored, &err), AL_OK);
	assert_rat(out.delta, 1, 5);
	assert_false(out.reliable);
	assert_int_equal(out.clinically_significant, 0);
	/* no change */
	assert_int_equal(rc("ors(4,4,4,4)", "ors(4,4,4,4)", NULL, &out, &scored, &err), AL_OK);
	assert_rat(out.delta, 0, 1);
	assert_false(out.reliable);
	assert_int_equal(out.direction, AL_UNCHANGED);

	/* points as a parameter (NHS children's services: 6.6) */
	memset(&p, 0, sizeof(p));
	p.has_points = true;
	p.points = al_rat(66, 10, 1);
	assert_int_equal(rc("ors(4.0,5.5,6.0,4.5)", "ors(6.5,7.0,7.5,6.0)", &p, &out, &scored, &err), AL_OK);
	assert_true(out.reliable);
	p.points = al_rat(71, 10, 1);
	assert_int_equal(rc("ors(4.0,5.5,6.0,4.5)", "ors(6.5,7.0,7.5,6.0)", &p, &out, &scored, &err), AL_OK);
	assert_false(out.reliable);
	assert_int_equal(out.clinically_significant, 0);

	/* sd and reliability given win over the points rule: Jacobson & Truax */
	p = sd_rel(5.0, 0.8);	/* S_diff = 5 * sqrt(2) * sqrt(0.2) = sqrt(10) */
	assert_int_equal(rc("ors(4.0,5.5,6.0,4.5)", "ors(6.5,7.0,7.5,6.0)", &p, &out, &scored, &err), AL_OK);
	assert_true(out.has_rci);
	assert_double_near(out.s_diff, sqrt(10.0), 1e-12);
	assert_double_near(out.rci, 7.0 / sqrt(10.0), 1e-12);
	assert_true(out.reliable);	/* 7 >= 1.96 * 3.1623 = 6.198 */
	assert_int_equal(out.clinically_significant, 1);
}

/* reliable_change(wai_sr(4 x 12), wai_sr(4 x 8, 3 x 4), sd => 8, reliability => 0.9)
 *   = (-4, -1.1180..., f, unchanged, NULL); with 2 x 4 after: (-8, -2.2360..., t, deteriorated, NULL) */
static void
test_rc_waisr_examples(void **state)
{
	AlReliableChange out;
	AlError		err;
	bool		scored;
	AlRcParams	p = sd_rel(8, 0.9);

	(void) state;
	assert_int_equal(rc("wai_sr(4,4,4,4,4,4,4,4,4,4,4,4)", "wai_sr(4,4,4,4,4,4,4,4,3,3,3,3)",
						&p, &out, &scored, &err), AL_OK);
	assert_true(scored);
	assert_rat(out.delta, -4, 1);
	assert_true(out.has_rci);
	assert_double_near(out.s_diff, 3.5777087640, 1e-9);
	assert_double_near(out.rci, -1.1180339887, 1e-9);
	assert_false(out.reliable);	/* needs |delta| >= 7.0123 */
	assert_int_equal(out.direction, AL_UNCHANGED);
	assert_int_equal(out.clinically_significant, -1);	/* WAI-SR has no cut-off */

	assert_int_equal(rc("wai_sr(4,4,4,4,4,4,4,4,4,4,4,4)", "wai_sr(4,4,4,4,4,4,4,4,2,2,2,2)",
						&p, &out, &scored, &err), AL_OK);
	assert_rat(out.delta, -8, 1);
	assert_double_near(out.rci, -2.2360679775, 1e-9);
	assert_true(out.reliable);
	assert_int_equal(out.direction, AL_DETERIORATED);
	assert_int_equal(out.clinically_significant, -1);

	/* and upwards */
	assert_int_equal(rc("wai_sr(4,4,4,4,4,4,4,4,2,2,2,2)", "wai_sr(4,4,4,4,4,4,4,4,4,4,4,4)",
						&p, &out, &scored, &err), AL_OK);
	assert_rat(out.delta, 8, 1);
	assert_double_near(out.rci, 2.2360679775, 1e-9);
	assert_int_equal(out.direction, AL_IMPROVED);

	/* prorated scores: 540/11 -> 48 */
	assert_int_equal(rc("wai_sr(5,3,5,4,5,4,null,3,5,4,4,3)", "wai_sr(4,3,5,4,5,4,4,3,5,4,4,3)",
						&p, &out, &scored, &err), AL_OK);
	assert_rat(out.delta, -12, 11);
}

/* a drop exactly at 1.96 * S_diff is reliable (ties count) */
static void
test_rc_tie(void **state)
{
	AlReliableChange out;
	AlError		err;
	bool		scored;
	AlRcParams	p = sd_rel(4.0 / 1.96, 0.5);	/* S_diff = sd, so 1.96 * S_diff = 4 */

	(void) state;
	assert_int_equal(rc("wai_sr(4,4,4,4,4,4,4,4,4,4,4,4)", "wai_sr(4,4,4,4,4,4,4,4,3,3,3,3)",
						&p, &out, &scored, &err), AL_OK);
	assert_true(out.reliable);
	assert_int_equal(out.direction, AL_DETERIORATED);
	assert_double_near(out.rci, -1.96, 1e-9);
	assert_int_equal(rc("wai_sr(4,4,4,4,4,4,4,4,4,4,4,4)", "wai_sr(4,4,4,4,4,4,4,4,3,3,3,4)",
						&p, &out, &scored, &err), AL_OK);
	assert_false(out.reliable);
}

static void
test_rc_errors(void **state)
{
	AlReliableChange out;
	AlError		err;
	bool		scored;
	AlRcParams	p;

	(void) state;
	/* WAI-SR's built-in norms (sd 8, reliability .90): -4 is rci -1.118, not reliable */
	assert_int_equal(rc("wai_sr(4,4,4,4,4,4,4,4,4,4,4,4)", "wai_sr(4,4,4,4,4,4,4,4,3,3,3,3)",
						NULL, &out, &scored, &err), AL_OK);
	assert_true(out.has_rci && fabs(out.rci + 1.118033988749895) < 1e-12 && !out.reliable);
	/* without norms and without a points rule, sd and reliability are required */
	assert_int_equal(rc_without_norms("wai_sr(4,4,4,4,4,4,4,4,4,4,4,4)", "wai_sr(4,4,4,4,4,4,4,4,3,3,3,3)",
						NULL, &out, &scored, &err), AL_ERR_PARAM);
	assert_int_equal(err.status, AL_ERR_PARAM);
	assert_string_equal(err.message, "reliable_change for wai_sr needs sd and reliability");
	memset(&p, 0, sizeof(p));
	p.has_sd = true;
	p.sd = 8;
	assert_int_equal(rc_without_norms("wai_sr(4,4,4,4,4,4,4,4,4,4,4,4)", "wai_sr(4,4,4,4,4,4,4,4,3,3,3,3)",
						&p, &out, &scored, &err), AL_ERR_PARAM);
	assert_string_equal(err.message, "reliable_change for wai_sr needs reliability");
	memset(&p, 0, sizeof(p));
	p.has_reliability = true;
	p.reliability = 0.9;
	assert_int_equal(rc_without_norms("wai_sr(4,4,4,4,4,4,4,4,4,4,4,4)", "wai_sr(4,4,4,4,4,4,4,4,3,3,3,3)",
						&p, &out, &scored, &err), AL_ERR_PARAM);
	assert_string_equal(err.message, "reliable_change for wai_sr needs sd");

	/* two instruments */
	assert_int_equal(rc("srs(9,9,9,9)", "ors(9,9,9,9)", NULL, &out, &scored, &err), AL_ERR_PARAM);
	assert_string_equal(err.message, "reliable_change needs two values of one instrument; got srs and ors");
	assert_int_equal(rc("wai_s(4,4,4,4,4,4,4,4,4,4,4,4)", "wai_sr(4,4,4,4,4,4,4,4,4,4,4,4)",
						NULL, &out, &scored, &err), AL_ERR_PARAM);
	/* PSQ has no score */
	assert_int_equal(rc("psq(1,4,2)", "psq(1,4,5)", NULL, &out, &scored, &err), AL_ERR_PARAM);
	/* bad parameters */
	p = sd_rel(0, 0.9);
	assert_int_equal(rc("ors(4,4,4,4)", "ors(5,5,5,5)", &p, &out, &scored, &err), AL_ERR_PARAM);
	p = sd_rel(-1, 0.9);
	assert_int_equal(rc("ors(4,4,4,4)", "ors(5,5,5,5)", &p, &out, &scored, &err), AL_ERR_PARAM);
	p = sd_rel(8, 1.0);
	assert_int_equal(rc("ors(4,4,4,4)", "ors(5,5,5,5)", &p, &out, &scored, &err), AL_ERR_PARAM);
	p = sd_rel(8, -0.1);
	assert_int_equal(rc("ors(4,4,4,4)", "ors(5,5,5,5)", &p, &out, &scored, &err), AL_ERR_PARAM);
	p = sd_rel(NAN, 0.9);
	assert_int_equal(rc("ors(4,4,4,4)", "ors(5,5,5,5)", &p, &out, &scored, &err), AL_ERR_PARAM);
	p = sd_rel(8, NAN);
	assert_int_equal(rc("ors(4,4,4,4)", "ors(5,5,5,5)", &p, &out, &scored, &err), AL_ERR_PARAM);
	memset(&p, 0, sizeof(p));
	p.has_points = true;
	p.points = al_rat(0, 1, 0);
	assert_int_equal(rc("ors(4,4,4,4)", "ors(5,5,5,5)", &p, &out, &scored, &err), AL_ERR_PARAM);
	p.points = al_rat(-5, 1, 0);
	assert_int_equal(rc("ors(4,4,4,4)", "ors(5,5,5,5)", &p, &out, &scored, &err), AL_ERR_PARAM);

	/* a NULL score on either side: no error, no result */
	p = sd_rel(8, 0.9);
	assert_int_equal(rc("wai_sr(null,null,null,null,4,4,4,4,4,4,4,4)", "wai_sr(4,4,4,4,4,4,4,4,4,4,4,4)",
						&p, &out, &scored, &err), AL_OK);
	assert_false(scored);
	assert_int_equal(rc("ors(4,4,4,4)", "ors(5,5,5,null)", NULL, &out, &scored, &err), AL_OK);
	assert_false(scored);
}

/* the instrument's own norms (a custom definition) when nothing is passed */
static void
test_rc_norms(void **state)
{
	AlReliableChange out;
	AlError		err;
	bool		scored;
	double		s_diff = 5.0 * sqrt(2.0) * sqrt(0.25);	/* 3.5355; 1.96 x = 6.93 */

	(void) state;
	assert_int_equal(rc("ten(5,5,5,5,5,4,4,4,4,4)", "ten(5,5,5,5,5,5,5,5,5,6)", NULL, &out, &scored, &err), AL_OK);
	assert_true(scored);
	assert_rat(out.delta, 6, 1);
	assert_double_near(out.s_diff, s_diff, 1e-12);
	assert_double_near(out.rci, 6.0 / s_diff, 1e-12);
	assert_false(out.reliable);
	assert_int_equal(out.clinically_significant, 0);
	/* 45 -> 52: reliable, and crosses the definition's cut-off 50 */
	assert_int_equal(rc("ten(5,5,5,5,5,4,4,4,4,4)", "ten(5,5,5,5,5,5,5,5,5,7)", NULL, &out, &scored, &err), AL_OK);
	assert_rat(out.delta, 7, 1);
	assert_true(out.reliable);
	assert_int_equal(out.direction, AL_IMPROVED);
	assert_int_equal(out.clinically_significant, 1);
	/* 51 -> 58: reliable, not crossing */
	assert_int_equal(rc("ten(5,5,5,5,5,5,5,5,5,6)", "ten(6,6,6,6,6,6,6,6,5,5)", NULL, &out, &scored, &err), AL_OK);
	assert_true(out.reliable);
	assert_int_equal(out.clinically_significant, 0);
}

/* ===========================================================================
 * PSQ
 * ========================================================================= */

static void
test_psq(void **state)
{
	AlRational	out;
	AlRiskParams p;

	(void) state;
	/* psq(0,null,null): complete, at_risk false, total NULL */
	assert_int_equal(risk(R("psq(0,null,null)"), NULL), 0);
	assert_false(al_scale_total(R("psq(0,null,null)"), AL_WHOLE, true, &out));
	/* psq(1,4,2): at risk.  psq(1,3,5): resolved.  psq(1,null,null): NULL */
	assert_int_equal(risk(R("psq(1,4,2)"), NULL), 1);
	assert_int_equal(risk(R("psq(1,3,5)"), NULL), 0);
	assert_int_equal(risk(R("psq(1,null,null)"), NULL), -1);
	assert_int_equal(risk(R("psq(1,5,null)"), NULL), -1);
	assert_int_equal(risk(R("psq(1,null,3)"), NULL), 1);	/* intensity may be missing */
	/* resolution < 4 by default: 4 is resolved, 3 is not */
	assert_int_equal(risk(R("psq(1,4,4)"), NULL), 0);
	assert_int_equal(risk(R("psq(1,4,3)"), NULL), 1);
	/* the threshold is a parameter */
	al_risk_defaults(&p);
	p.resolution_cutoff = al_rat(3, 1, 0);
	assert_int_equal(risk(R("psq(1,4,3)"), &p), 0);
	assert_int_equal(risk(R("psq(1,4,2)"), &p), 1);
	p.resolution_cutoff = al_rat(6, 1, 0);
	assert_int_equal(risk(R("psq(1,4,5)"), &p), 1);
	assert_int_equal(risk(R("psq(0,null,null)"), &p), 0);

	/* total, mean, pomp, goal, task, bond are NULL */
	{
		AlResponse *r = R("psq(1,4,2)");

		assert_false(al_scale_total(r, AL_WHOLE, true, &out));
		assert_false(al_scale_total(r, AL_WHOLE, false, &out));
		assert_false(al_scale_mean(r, AL_WHOLE, true, &out));
		assert_false(al_scale_pomp(r, AL_WHOLE, true, &out));
		assert_false(al_score(r, true, &out));
		assert_false(al_bordin(r, AL_BORDIN_GOAL, true, &out));
		assert_false(al_bordin(r, AL_BORDIN_TASK, true, &out));
		assert_false(al_bordin(r, AL_BORDIN_BOND, true, &out));
	}
}

/* ===========================================================================
 * The other instruments
 * ========================================================================= */

/* haq2(6,5,6,1,5,6,5,2,6,5,1,6,5,6,5,2,4,6,1): total 104, mean 5.474 (3 dp) */
static void
test_haq2(void **state)
{
	AlResponse *r = R("haq2(6,5,6,1,5,6,5,2,6,5,1,6,5,6,5,2,4,6,1)");
	AlRational	out;
	int64_t		units;
	int			sc;

	(void) state;
	assert_rat(total(r, true), 104, 1);
	assert_rat(mean(r), 104, 19);
	assert_false(al_rat_exact_decimal(mean(r), &units, &sc));
	assert_double_near(al_rat_to_double(mean(r)), 5.474, 0.0005);
	assert_rat(pomp(r), 1700, 19);	/* 100 * (104 - 19) / (114 - 19) */
	assert_rat(score(r), 104, 1);
	/* no Bordin dimension, no cut-off, no subscale */
	assert_false(al_bordin(r, AL_BORDIN_GOAL, true, &out));
	assert_false(al_bordin(r, AL_BORDIN_TASK, true, &out));
	assert_false(al_bordin(r, AL_BORDIN_BOND, true, &out));
	assert_int_equal(risk(r, NULL), -1);
	assert_int_equal(al_scale_index(r->inst, "bond"), -1);
	/* all 6 on the positive items and 1 on the reversed: the maximum */
	assert_rat(total(R("haq2(6,6,6,1,6,6,6,1,6,6,1,6,6,6,6,1,6,6,1)"), true), 114, 1);
	assert_rat(pomp(R("haq2(6,6,6,1,6,6,6,1,6,6,1,6,6,6,6,1,6,6,1)")), 100, 1);
}

/* arm5(6,6,2,7,5): mean 6.0; arm5(4,3,5,4,4): mean 3.6 */
static void
test_arm5(void **state)
{
	AlResponse *a = R("arm5(6,6,2,7,5)");
	AlResponse *b = R("arm5(4,3,5,4,4)");
	AlRational	out;

	(void) state;
	assert_rat(total(a, true), 30, 1);
	assert_rat(mean(a), 6, 1);
	assert_rat(total(b, true), 18, 1);
	assert_rat(mean(b), 18, 5);
	assert_decimal(mean(b), 36, 1);	/* 3.6 */
	/* "score is the mean" in the papers, but every built-in's named score is the total */
	assert_int_equal(a->inst->score, AL_SCORE_TOTAL);
	assert_rat(score(a), 30, 1);
	/* subscales */
	assert_rat(sub(a, "bond"), 6, 1);
	assert_rat(sub(a, "partnership"), 12, 1);	/* 6 + (8 - 2) */
	assert_rat(sub(a, "confidence"), 12, 1);
	assert_rat(sub(b, "partnership"), 6, 1);	/* 3 + (8 - 5) */
	/* Bordin: bond only (item 1, POMP of 1..7) */
	assert_rat(bordin(a, AL_BORDIN_BOND), 250, 3);
	assert_rat(bordin(b, AL_BORDIN_BOND), 50, 1);
	assert_false(al_bordin(a, AL_BORDIN_GOAL, true, &out));
	assert_false(al_bordin(a, AL_BORDIN_TASK, true, &out));
}

/* tasc_r(4,1,4,3,2,4,1,1,3,4,2,4): total 44 */
static void
test_tasc_r(void **state)
{
	AlResponse *r = R("tasc_r(4,1,4,3,2,4,1,1,3,4,2,4)");
	AlRational	out;

	(void) state;
	assert_rat(total(r, true), 44, 1);
	assert_rat(mean(r), 11, 3);
	assert_rat(pomp(r), 800, 9);	/* 100 * (44 - 12) / 36 */
	assert_false(al_bordin(r, AL_BORDIN_BOND, true, &out));
	assert_int_equal(risk(r, NULL), -1);
	/* unkeyed sum would be 33 */
	assert_rat(total(R("tasc_r(1,4,1,1,4,1,4,4,1,1,4,1)"), true), 12, 1);
}

/* wai_s(6,5,7,2,6,6,7,6,6,5,5,6): task 23, goal 20, bond 26, total 69 */
static void
test_wai_s(void **state)
{
	AlResponse *r = R("wai_s(6,5,7,2,6,6,7,6,6,5,5,6)");

	(void) state;
	assert_rat(sub(r, "task"), 23, 1);	/* the alternative key gives 20 */
	assert_rat(sub(r, "goal"), 20, 1);	/* the alternative key gives 23 */
	assert_rat(sub(r, "bond"), 26, 1);
	assert_rat(total(r, true), 69, 1);
	assert_rat(mean(r), 23, 4);
	assert_rat(bordin(r, AL_BORDIN_TASK), 475, 6);	/* 100 * 19 / 24 */
	assert_rat(bordin(r, AL_BORDIN_GOAL), 200, 3);	/* 100 * 16 / 24 */
	assert_rat(bordin(r, AL_BORDIN_BOND), 275, 3);	/* 100 * 22 / 24 */
}

/* wai all 4: 48/48/48/144; 7 on positive, 1 on reversed: 252; the given vector: 72/75/70/217 */
static void
test_wai(void **state)
{
	AlResponse *r;

	(void) state;
	r = R("wai(4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4)");
	assert_rat(sub(r, "task"), 48, 1);
	assert_rat(sub(r, "bond"), 48, 1);
	assert_rat(sub(r, "goal"), 48, 1);
	assert_rat(total(r, true), 144, 1);
	assert_rat(bordin(r, AL_BORDIN_TASK), 50, 1);
	assert_rat(bordin(r, AL_BORDIN_BOND), 50, 1);
	assert_rat(bordin(r, AL_BORDIN_GOAL), 50, 1);

	/* reversed: 1, 3, 7, 9, 10, 11, 12, 15, 20, 27, 29, 31, 33, 34 */
	r = R("wai(1,7,1,7,7,7,1,7,1,1,1,1,7,7,1,7,7,7,7,1,7,7,7,7,7,7,1,7,1,7,1,7,1,1,7,7)");
	assert_rat(total(r, true), 252, 1);
	assert_rat(sub(r, "task"), 84, 1);
	assert_rat(sub(r, "bond"), 84, 1);
	assert_rat(sub(r, "goal"), 84, 1);
	assert_rat(pomp(r), 100, 1);

	r = R("wai(2,6,3,6,6,6,2,6,3,2,2,2,6,7,2,6,7,6,7,2,6,6,6,6,6,7,2,6,2,6,2,6,2,3,6,6)");
	assert_rat(sub(r, "task"), 72, 1);
	assert_rat(sub(r, "bond"), 75, 1);
	assert_rat(sub(r, "goal"), 70, 1);
	assert_rat(total(r, true), 217, 1);
}

/*
 * A vector with item 28 != item 29 (a released dataset once reversed 28
 * instead of 29).  All 4 but item 28 = 7 and item 29 = 2: item 28 counts 7,
 * item 29 counts 8 - 2 = 6.  Bond (1,5,8,17,19,20,21,23,26,28,29,36) =
 * 10 x 4 + 7 + 6 = 53, total = 34 x 4 + 13 = 149.  The wrong key gives
 * 1 + 2: bond 43, total 139.
 */
static void
test_wai_item_28_29(void **state)
{
	AlResponse *r = R("wai(4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,7,2,4,4,4,4,4,4,4)");

	(void) state;
	assert_int_equal(al_keyed_units(r, 28), 7);
	assert_int_equal(al_keyed_units(r, 29), 6);
	assert_rat(sub(r, "bond"), 53, 1);
	assert_rat(sub(r, "task"), 48, 1);
	assert_rat(sub(r, "goal"), 48, 1);
	assert_rat(total(r, true), 149, 1);
}

/* the reversed items and subscales of every built-in, as instruments.md lists them */
static void
test_keys_match_contract(void **state)
{
	static const struct
	{
		const char *code;
		int			nitems;
		int			lo,
					hi;
		uint8_t		reversed[16];	/* 0-terminated */
	}			keys[] = {
		{"wai_sr", 12, 1, 5, {0}},
		{"wai", 36, 1, 7, {1, 3, 7, 9, 10, 11, 12, 15, 20, 27, 29, 31, 33, 34, 0}},
		{"wai_s", 12, 1, 7, {4, 10, 0}},
		{"srs", 4, 0, 100, {0}},
		{"ors", 4, 0, 100, {0}},
		{"haq2", 19, 1, 6, {4, 8, 11, 16, 19, 0}},
		{"arm5", 5, 1, 7, {3, 0}},
		{"tasc_r", 12, 1, 4, {2, 5, 7, 8, 11, 0}},
		{"psq", 3, 0, 5, {0}},
	};
	static const struct
	{
		const char *code;
		const char *scale;
		uint8_t		items[13];		/* 0-terminated */
	}			scales[] = {
		{"wai_sr", "task", {1, 2, 10, 12, 0}},
		{"wai_sr", "goal", {4, 6, 8, 11, 0}},
		{"wai_sr", "bond", {3, 5, 7, 9, 0}},
		{"wai", "task", {2, 4, 7, 11, 13, 15, 16, 18, 24, 31, 33, 35, 0}},
		{"wai", "bond", {1, 5, 8, 17, 19, 20, 21, 23, 26, 28, 29, 36, 0}},
		{"wai", "goal", {3, 6, 9, 10, 12, 14, 22, 25, 27, 30, 32, 34, 0}},
		{"wai_s", "task", {1, 2, 8, 12, 0}},
		{"wai_s", "goal", {4, 6, 10, 11, 0}},
		{"wai_s", "bond", {3, 5, 7, 9, 0}},
		{"arm5", "bond", {1, 0}},
		{"arm5", "partnership", {2, 3, 0}},
		{"arm5", "confidence", {4, 5, 0}},
		{"srs", "relationship", {1, 0}},
		{"srs", "goals", {2, 0}},
		{"srs", "approach", {3, 0}},
		{"srs", "overall", {4, 0}},
		{"ors", "individual", {1, 0}},
		{"ors", "interpersonal", {2, 0}},
		{"ors", "social", {3, 0}},
		{"ors", "overall", {4, 0}},
	};

	(void) state;
	for (int k = 0; k < NELEM(keys); k++)
	{
		const AlInstrument *inst = al_builtin_by_code(keys[k].code);
		int			nrev = 0;

		assert_non_null(inst);
		assert_int_equal(inst->nitems, keys[k].nitems);
		assert_int_equal(inst->score, AL_SCORE_TOTAL);
		assert_int_equal(al_scale_min_u(inst, AL_WHOLE) / (inst->is_psq ? 1 : inst->nitems),
						 inst->is_psq ? 2 : keys[k].lo);
		if (!inst->is_psq)
			assert_int_equal(al_scale_max_u(inst, AL_WHOLE), (int64_t) keys[k].hi * inst->nitems);
		for (int i = 1; i <= inst->nitems; i++)
		{
			bool		want = false;

			for (int j = 0; keys[k].reversed[j]; j++)
				want = want || keys[k].reversed[j] == i;
			if (al_item_reversed(inst, i) != want)
				fail_msg("%s item %d reversed: got %d", keys[k].code, i, !want);
			nrev += want;
		}
		assert_int_equal(inst->nreversed, nrev);
	}
	for (int s = 0; s < NELEM(scales); s++)
	{
		const AlInstrument *inst = al_builtin_by_code(scales[s].code);
		int			idx = al_scale_index(inst, scales[s].scale);
		int			n = 0;

		assert_true(idx >= 0);
		while (scales[s].items[n])
			n++;
		assert_int_equal(inst->scales[idx].nitems, n);
		for (int i = 0; i < n; i++)
			assert_int_equal(inst->scales[idx].items[i], scales[s].items[i]);
	}
	/* scales exist only where the contract lists them */
	assert_int_equal(al_builtin_by_code("haq2")->nscales, 0);
	assert_int_equal(al_builtin_by_code("tasc_r")->nscales, 0);
	assert_int_equal(al_builtin_by_code("psq")->nscales, 0);
	/* cut-offs: SRS 36, ORS 25, no other */
	for (int id = 1; id <= AL_NUM_BUILTINS; id++)
	{
		const AlInstrument *inst = al_builtin_by_id(id);

		assert_int_equal(inst->has_cutoff, id == AL_SRS || id == AL_ORS);
	}
	assert_int_equal(al_builtin_by_code("srs")->cutoff_u, 360);
	assert_int_equal(al_builtin_by_code("ors")->cutoff_u, 250);
	assert_int_equal(al_builtin_by_code("srs")->item_cutoff_u, 90);
	assert_int_equal(al_builtin_by_code("ors")->rc_points_u, 50);
	assert_double_near(al_instrument_cutoff(al_builtin_by_code("srs")), 36.0, 0);
	assert_double_near(al_instrument_cutoff(al_builtin_by_code("ors")), 25.0, 0);
	assert_double_near(al_instrument_rc_points(al_builtin_by_code("ors")), 5.0, 0);
	/* every built-in, and the test definitions, pass definition validation */
	for (int id = 1; id <= AL_NUM_BUILTINS; id++)
	{
		AlError		err;

		if (al_instrument_validate(al_builtin_by_id(id), &err) != AL_OK)
			fail_msg("built-in %s fails validation: %s", al_builtin_by_id(id)->code, err.message);
	}
	{
		const AlInstrument *mine[] = {&mood, &calm, &calm2, &ten};
		AlError		err;

		for (int i = 0; i < NELEM(mine); i++)
			if (al_instrument_validate(mine[i], &err) != AL_OK)
				fail_msg("%s fails validation: %s", mine[i]->code, err.message);
	}
}

static void
test_reverse_keying(void **state)
{
	AlResponse *r;

	(void) state;
	/* lo + hi - x */
	r = R("wai(2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2)");
	assert_int_equal(al_keyed_units(r, 1), 6);
	assert_int_equal(al_keyed_units(r, 2), 2);
	assert_int_equal(al_keyed_units(r, 34), 6);
	assert_int_equal(al_keyed_units(r, 35), 2);
	r = R("haq2(1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1)");
	assert_int_equal(al_keyed_units(r, 4), 6);
	assert_int_equal(al_keyed_units(r, 19), 6);
	assert_int_equal(al_keyed_units(r, 18), 1);
	assert_rat(total(r, true), 14 + 30, 1);
	r = R("tasc_r(1,1,1,1,1,1,1,1,1,1,1,1)");
	assert_int_equal(al_keyed_units(r, 2), 4);
	assert_int_equal(al_keyed_units(r, 1), 1);
	assert_rat(total(r, true), 7 + 20, 1);
	r = R("arm5(1,1,1,1,1)");
	assert_int_equal(al_keyed_units(r, 3), 7);
	r = R("wai_s(1,1,1,1,1,1,1,1,1,1,1,1)");
	assert_int_equal(al_keyed_units(r, 4), 7);
	assert_int_equal(al_keyed_units(r, 10), 7);
	assert_int_equal(al_keyed_units(r, 8), 1);
	assert_rat(total(r, true), 24, 1);
	/* decimals and a non-zero minimum: mood item 2 (0.0..5.0) answered 1.0 is 4.0 */
	r = R("mood(1.5,1.0,5.0)");
	assert_int_equal(al_keyed_units(r, 2), 40);
	assert_rat(total(r, true), 21, 2);
	assert_decimal(total(r, true), 105, 1);	/* 10.5 */
	assert_rat(bordin(r, AL_BORDIN_BOND), 70, 1);	/* 100 * 10.5 / 15 */
}

/* A custom instrument whose score is the mean, with its own cut-off. */
static void
test_custom_mean_score(void **state)
{
	AlResponse *r = R("calm(2,3,3,3)");

	(void) state;
	assert_rat(total(r, true), 11, 1);
	assert_rat(score(r), 11, 4);	/* the mean */
	assert_int_equal(risk(r, NULL), 1);	/* 2.75 < 3 */
	assert_int_equal(risk(R("calm(3,3,3,3)"), NULL), 0);
	assert_int_equal(risk_cut(r, al_rat(11, 4, 0), false), 0);
	assert_int_equal(risk_cut(r, al_rat(11, 4, 0), true), 1);
	/* prorated mean of 3 answered: total 8 * 4 / 3, mean 8/3 */
	assert_rat(score(R("calm(2,3,3,null)")), 8, 3);
	/* a cut-off with its own decimals: 2.75 is not below 2.75, 2.5 is */
	assert_int_equal(risk(R("calm2(2,3,3,3)"), NULL), 0);
	assert_int_equal(risk(R("calm2(2,2,3,3)"), NULL), 1);
	assert_double_near(al_instrument_cutoff(&calm2), 2.75, 1e-12);
}

/* ===========================================================================
 * rational.c
 * ========================================================================= */

static void
test_rational(void **state)
{
	AlRational	a,
				out;
	int64_t		units;
	int			sc;

	(void) state;
	/* al_rat_exact_decimal */
	assert_true(al_rat_exact_decimal(al_rat(342, 10, 1), &units, &sc));
	assert_int_equal(units, 342);
	assert_int_equal(sc, 1);
	assert_true(al_rat_exact_decimal(al_rat(171, 20, 0), &units, &sc));
	assert_int_equal(units, 855);
	assert_int_equal(sc, 2);
	assert_false(al_rat_exact_decimal(al_rat(540, 11, 0), &units, &sc));
	assert_false(al_rat_exact_decimal(al_rat(1, 3, 0), &units, &sc));
	assert_true(al_rat_exact_decimal(al_rat(36, 1, 1), &units, &sc));	/* 36.0 */
	assert_int_equal(units, 360);
	assert_int_equal(sc, 1);
	assert_true(al_rat_exact_decimal(al_rat(48, 1, 0), &units, &sc));
	assert_int_equal(units, 48);
	assert_int_equal(sc, 0);
	assert_true(al_rat_exact_decimal(al_rat(-7, 2, 0), &units, &sc));
	assert_int_equal(units, -35);
	assert_int_equal(sc, 1);
	assert_true(al_rat_exact_decimal(al_rat(1, 16, 0), &units, &sc));	/* 0.0625 */
	assert_int_equal(units, 625);
	assert_int_equal(sc, 4);
	assert_true(al_rat_exact_decimal(al_rat(3, 40, 3), &units, &sc));	/* 0.075 */
	assert_int_equal(units, 75);
	assert_int_equal(sc, 3);
	assert_false(al_rat_exact_decimal(al_rat(1, INT64_C(1) << 62, 0), &units, &sc));	/* 62 digits */

	/* construction reduces and normalises the sign */
	a = al_rat(342, 10, 1);
	assert_rat(a, 171, 5);
	assert_int_equal(a.min_scale, 1);
	assert_rat(al_rat(-6, -4, 0), 3, 2);
	assert_rat(al_rat(6, -4, 0), -3, 2);
	assert_rat(al_rat(0, 7, 0), 0, 1);

	/* arithmetic is exact and keeps the larger min_scale */
	assert_true(al_rat_add(al_rat(1, 3, 0), al_rat(1, 6, 1), &out));
	assert_rat(out, 1, 2);
	assert_int_equal(out.min_scale, 1);
	assert_true(al_rat_sub(al_rat(1, 3, 0), al_rat(1, 2, 0), &out));
	assert_rat(out, -1, 6);
	assert_true(al_rat_mul(al_rat(45, 11, 0), al_rat(12, 1, 0), &out));
	assert_rat(out, 540, 11);
	assert_true(al_rat_div(al_rat(540, 11, 0), al_rat(12, 1, 0), &out));
	assert_rat(out, 45, 11);
	assert_true(al_rat_div(al_rat(1, 2, 0), al_rat(-1, 4, 0), &out));
	assert_rat(out, -2, 1);
	assert_false(al_rat_div(al_rat(1, 2, 0), al_rat(0, 1, 0), &out));
	/* overflow is reported, never wrapped */
	assert_false(al_rat_add(al_rat(INT64_MAX, 1, 0), al_rat(1, 1, 0), &out));
	assert_false(al_rat_mul(al_rat(INT64_MAX, 1, 0), al_rat(2, 1, 0), &out));
	assert_true(al_rat_mul(al_rat(INT64_MAX, 3, 0), al_rat(3, 1, 0), &out));	/* reduces back */
	assert_rat(out, INT64_MAX, 1);

	assert_int_equal(al_rat_cmp(al_rat(171, 5, 0), al_rat(36, 1, 0)), -1);
	assert_int_equal(al_rat_cmp(al_rat(360, 10, 1), al_rat(36, 1, 0)), 0);
	assert_int_equal(al_rat_cmp(al_rat(-1, 3, 0), al_rat(-1, 2, 0)), 1);
	assert_double_near(al_rat_to_double(al_rat(540, 11, 0)), 49.09090909090909, 1e-12);
}

/*
 * The missing-item rule as instruments.md states it: a scale of n items
 * scores with all n answered, or with answered > 0 and
 * answered / n >= min_answered; al_enough_answered is the one definition.
 */
static void
test_missing_item_rule(void **state)
{
	static const char *const codes[] = {"wai_sr", "wai", "wai_s", "srs", "ors", "haq2", "arm5", "tasc_r"};

	(void) state;
	for (size_t c = 0; c < sizeof codes / sizeof codes[0]; c++)
	{
		const AlInstrument *inst = al_builtin_by_code(codes[c]);

		for (int n = 1; n <= inst->nitems; n++)
			for (int a = 0; a <= n; a++)
			{
				bool		stated = a == n ||
					(a > 0 && (int64_t) a * inst->min_answered_den >= (int64_t) n * inst->min_answered_num);

				assert_int_equal(al_enough_answered(inst, a, n), stated);
			}
	}
	/* 12 items at 75%: 9 needed; 4 at 75%: 3; 3 at 75%: 3 (2.25 rounds up) */
	assert_int_equal(al_min_answered_items(al_builtin_by_code("wai_sr"), 12), 9);
	assert_int_equal(al_min_answered_items(al_builtin_by_code("wai_sr"), 4), 3);
	assert_int_equal(al_min_answered_items(al_builtin_by_code("wai_sr"), 3), 3);
}

/*
 * al_scale_total_units (the fast path of total() and subscale()) gives, for
 * every complete scale, the units of exactly the decimal al_scale_total
 * gives, and nothing where an item is missing, for the PSQ or a unknown
 * scale: every built-in, every subscale, random answers.
 */
static void
test_total_units_agrees(void **state)
{
	uint64_t	seed = 42;

	(void) state;
	for (int id = 1; id <= AL_NUM_BUILTINS; id++)
	{
		const AlInstrument *inst = al_builtin_by_id(id);

		for (int trial = 0; trial < 2000; trial++)
		{
			AlResponse	r;
			AlError		err;

			al_response_init(&r, inst);
			for (int i = 1; i <= inst->nitems; i++)
			{
				int64_t		steps = (al_item_max(inst, i) - al_item_min(inst, i)) / inst->step_u;
				AlDecimal	d;

				seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
				if ((seed >> 60) == 0 && trial % 2)
					continue;	/* missing now and then */
				d.units = al_item_min(inst, i) + (int64_t) ((seed >> 33) % (uint64_t) (steps + 1)) * inst->step_u;
				d.scale = inst->decimals;
				assert_int_equal(al_response_set_item(&r, i, &d, &err), AL_OK);
			}
			for (int sc = AL_WHOLE; sc < inst->nscales; sc++)
			{
				int64_t		units = -1,
							want;
				int			want_scale;
				AlRational	v;
				bool		complete = al_scale_answered(&r, sc) == al_scale_nitems(inst, sc);
				bool		fast = al_scale_total_units(&r, sc, &units);

				if (inst->is_psq || !complete)
				{
					assert_false(fast);
					continue;
				}
				assert_true(fast);
				assert_true(al_scale_total(&r, sc, false, &v));
				assert_true(al_rat_exact_decimal(v, &want, &want_scale));
				assert_int_equal(want_scale, inst->decimals);
				assert_int_equal(units, want);
			}
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_waisr_worked),
		cmocka_unit_test(test_waisr_pomp_extremes),
		cmocka_unit_test(test_waisr_prorated),
		cmocka_unit_test(test_missing_threshold),
		cmocka_unit_test(test_vas_no_missing),
		cmocka_unit_test(test_srs_worked),
		cmocka_unit_test(test_srs_at_risk_params),
		cmocka_unit_test(test_flagged_items),
		cmocka_unit_test(test_ors),
		cmocka_unit_test(test_rc_ors_example),
		cmocka_unit_test(test_rc_ors_points),
		cmocka_unit_test(test_rc_waisr_examples),
		cmocka_unit_test(test_rc_tie),
		cmocka_unit_test(test_rc_errors),
		cmocka_unit_test(test_rc_norms),
		cmocka_unit_test(test_psq),
		cmocka_unit_test(test_haq2),
		cmocka_unit_test(test_arm5),
		cmocka_unit_test(test_tasc_r),
		cmocka_unit_test(test_wai_s),
		cmocka_unit_test(test_wai),
		cmocka_unit_test(test_wai_item_28_29),
		cmocka_unit_test(test_keys_match_contract),
		cmocka_unit_test(test_reverse_keying),
		cmocka_unit_test(test_custom_mean_score),
		cmocka_unit_test(test_rational),
		cmocka_unit_test(test_missing_item_rule),
		cmocka_unit_test(test_total_units_agrees),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
