/*
 * test_stats.c — unit tests of the reporting statistics core
 * (src/core/stats.c): exact sums by hand on tiny data, summary and alpha
 * values worked by hand, merge == sequential, the text form's round trip,
 * and the errors (mixed instruments, PSQ, a one-item scale, junk text).
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

#include "score.h"
#include "stats.h"

/* 8-byte aligned buffers, as palloc gives */
typedef union StatsBuf
{
	AlStats		s;
	uint64_t	align[AL_STATS_MAX_SIZE / 8 + 1];
} StatsBuf;

static AlResponse
resp(const char *text)
{
	AlResponse	r;
	AlError		err;

	if (al_response_parse(text, NULL, NULL, false, &r, &err) != AL_OK)
		fail_msg("cannot parse %s: %s", text, err.message);
	return r;
}

static void
init(StatsBuf *b, int mode, const char *code, int scale)
{
	AlError		err;

	assert_int_equal(al_stats_init(&b->s, mode, al_builtin_by_code(code), scale, &err), AL_OK);
}

static void
add(StatsBuf *b, const char *text)
{
	AlResponse	r = resp(text);
	AlError		err;

	assert_int_equal(al_stats_check_instrument(&b->s, &r, "summary", &err), AL_OK);
	assert_int_equal(al_stats_add(&b->s, &r, &err), AL_OK);
}

static void
format(const AlStats *s, char *buf, size_t len)
{
	const AlInstrument *inst = s->mode ? al_builtin_by_code(s->code) : NULL;

	assert_true(al_stats_format(s, inst, buf, len) >= 0);
}

/* WAI-SR totals 48, 60, 36: class a12 = 3 / 144 / 7200; mean 48, sd 12. */
static void
test_summary_by_hand(void **state __attribute__((unused)))
{
	StatsBuf	b;
	AlSummaryResult res;
	const AlStatsClass *c;
	char		text[1024];

	init(&b, AL_STATS_SUMMARY, "wai_sr", AL_WHOLE);
	assert_int_equal(b.s.amin, 9);	/* 75% of 12 */
	assert_int_equal(al_stats_nclasses(&b.s), 4);
	add(&b, "wai_sr(4,4,4,4,4,4,4,4,4,4,4,4)");
	add(&b, "wai_sr(5,5,5,5,5,5,5,5,5,5,5,5)");
	add(&b, "wai_sr(3,3,3,3,3,3,3,3,3,3,3,3)");
	add(&b, "wai_sr(3,3,3,3,3,3,3,3,null,null,null,null)");	/* 8 of 12: unscored */
	c = al_stats_classes_c(&b.s);
	assert_int_equal(c[0].count, 3);
	assert_true(al_wide_get(c[0].sum) == 144);
	assert_true(al_wide_get(c[0].sumsq) == 7200);
	assert_int_equal(b.s.unscored, 1);
	assert_int_equal(b.s.ceiling, 1);
	assert_int_equal(b.s.at_risk, 0);
	assert_int_equal(b.s.maxscale, 0);
	al_stats_summary(&b.s, &res);
	assert_int_equal(res.n, 3);
	assert_int_equal(res.n_unscored, 1);
	assert_true(res.has_mean && res.has_sd && res.has_ceiling && !res.has_at_risk);
	assert_true(fabs(res.mean - 48.0) < 1e-12);
	assert_true(fabs(res.sd - 12.0) < 1e-12);
	assert_true(fabs(res.ceiling_share - 1.0 / 3) < 1e-15);
	format(&b.s, text, sizeof(text));
	assert_string_equal(text, "wai_sr{unscored=1,at_risk=0,ceiling=1,scale=0,a12=3/144/7200}");
}

/* A prorated score: S = 45 of 11 answered -> 540/11, class a11; scale "none". */
static void
test_summary_prorated(void **state __attribute__((unused)))
{
	StatsBuf	b;
	AlSummaryResult res;
	const AlStatsClass *c;
	char		text[1024];

	init(&b, AL_STATS_SUMMARY, "wai_sr", AL_WHOLE);
	add(&b, "wai_sr(5,3,5,4,5,4,null,3,5,4,4,3)");
	add(&b, "wai_sr(4,3,5,4,5,4,4,3,5,4,4,3)");	/* 48 */
	c = al_stats_classes_c(&b.s);
	assert_int_equal(c[1].count, 1);
	assert_true(al_wide_get(c[1].sum) == 45);
	assert_true(al_wide_get(c[1].sumsq) == 2025);
	assert_int_equal(b.s.maxscale, AL_STATS_SCALE_NONE);
	al_stats_summary(&b.s, &res);
	/* mean (540/11 + 48) / 2 = 534/11; sd = |540/11 - 48| / sqrt 2 = (12/11) / sqrt 2 */
	assert_true(fabs(res.mean - 534.0 / 11) < 1e-12);
	assert_true(fabs(res.sd - 12.0 / 11 / sqrt(2.0)) < 1e-12);
	format(&b.s, text, sizeof(text));
	assert_string_equal(text, "wai_sr{unscored=0,at_risk=0,ceiling=0,scale=none,a12=1/48/2304,a11=1/45/2025}");
}

/* SRS: decimals 1, a cut-off (total < 36), items in tenths. */
static void
test_summary_srs(void **state __attribute__((unused)))
{
	StatsBuf	b;
	AlSummaryResult res;
	char		text[1024];

	init(&b, AL_STATS_SUMMARY, "srs", AL_WHOLE);
	assert_int_equal(al_stats_nclasses(&b.s), 1);	/* no missing item allowed */
	add(&b, "srs(9.1,8.4,7.9,8.8)");	/* 34.2, at risk */
	add(&b, "srs(9,9,9,9)");	/* 36.0, not (the boundary) */
	add(&b, "srs(10,10,10,10)");	/* 40.0, ceiling */
	add(&b, "srs(10,10,10,null)");	/* unscored */
	al_stats_summary(&b.s, &res);
	assert_int_equal(res.n, 3);
	assert_int_equal(res.n_unscored, 1);
	assert_true(res.has_at_risk);
	assert_true(fabs(res.at_risk_share - 1.0 / 3) < 1e-15);
	assert_true(fabs(res.ceiling_share - 1.0 / 3) < 1e-15);
	assert_true(fabs(res.mean - (34.2 + 36 + 40) / 3) < 1e-12);
	format(&b.s, text, sizeof(text));
	/* 342^2 + 360^2 + 400^2 = 116964 + 129600 + 160000 */
	assert_string_equal(text, "srs{unscored=1,at_risk=1,ceiling=1,scale=1,a4=3/1102/406564}");
}

/*
 * alpha on arm5 "partnership" (items 2 and 3, 3 reversed: 8 - x).  Keyed
 * pairs (1,2), (2,1), (3,3): item variances 1 and 1, totals 3, 3, 6 with
 * variance 3: alpha = 2 (1 - 2/3) = 2/3.
 */
static void
test_alpha_by_hand(void **state __attribute__((unused)))
{
	StatsBuf	b;
	double		alpha;
	char		text[1024];
	const AlStatsItem *it;

	init(&b, AL_STATS_ALPHA, "arm5", al_scale_index(al_builtin_by_code("arm5"), "partnership"));
	assert_int_equal(b.s.k, 2);
	add(&b, "arm5(4,1,6,4,4)");
	assert_false(al_stats_alpha(&b.s, &alpha));	/* one response: NULL */
	add(&b, "arm5(4,2,7,4,4)");
	add(&b, "arm5(4,3,5,4,4)");
	add(&b, "arm5(4,3,null,4,4)");	/* incomplete: skipped */
	assert_int_equal(b.s.alpha_n, 3);
	it = al_stats_items_c(&b.s);
	assert_true(al_wide_get(it[0].sum) == 6 && al_wide_get(it[0].sumsq) == 14);
	assert_true(al_wide_get(it[1].sum) == 6 && al_wide_get(it[1].sumsq) == 14);
	assert_true(al_wide_get(b.s.tsum) == 12 && al_wide_get(b.s.tsumsq) == 54);
	assert_true(al_stats_alpha(&b.s, &alpha));
	assert_true(fabs(alpha - 2.0 / 3) < 1e-15);
	format(&b.s, text, sizeof(text));
	assert_string_equal(text, "arm5:partnership{n=3,t=12/54,i2=6/14,i3=6/14}");
}

/* Identical items: alpha 1.  Constant totals: NULL. */
static void
test_alpha_edges(void **state __attribute__((unused)))
{
	StatsBuf	b;
	double		alpha;

	init(&b, AL_STATS_ALPHA, "wai_sr", al_scale_index(al_builtin_by_code("wai_sr"), "task"));
	add(&b, "wai_sr(1,1,3,3,3,3,3,3,3,1,3,1)");
	add(&b, "wai_sr(5,5,3,3,3,3,3,3,3,5,3,5)");
	add(&b, "wai_sr(2,2,3,3,3,3,3,3,3,2,3,2)");
	assert_true(al_stats_alpha(&b.s, &alpha));
	assert_true(fabs(alpha - 1.0) < 1e-15);

	init(&b, AL_STATS_ALPHA, "wai_sr", AL_WHOLE);
	add(&b, "wai_sr(3,3,3,3,3,3,3,3,3,3,3,3)");
	add(&b, "wai_sr(3,3,3,3,3,3,3,3,3,3,3,3)");
	assert_false(al_stats_alpha(&b.s, &alpha));	/* zero total variance */
}

/* A deterministic pseudo-random WAI-SR response, some items missing. */
static void
random_waisr(unsigned *seed, char *buf, size_t len)
{
	size_t		n = (size_t) snprintf(buf, len, "wai_sr(");

	for (int i = 0; i < 12; i++)
	{
		*seed = *seed * 1103515245u + 12345u;
		if ((*seed >> 16) % 17 == 0)
			n += (size_t) snprintf(buf + n, len - n, "%snull", i ? "," : "");
		else
			n += (size_t) snprintf(buf + n, len - n, "%s%u", i ? "," : "", 1 + (*seed >> 16) % 5);
	}
	snprintf(buf + n, len - n, ")");
}

/* merge(A, B) == sequential(A ++ B), byte for byte; for summary, alpha and both. */
static void
test_merge_equals_sequential(void **state __attribute__((unused)))
{
	static const int modes[] = {AL_STATS_SUMMARY, AL_STATS_ALPHA, AL_STATS_SUMMARY | AL_STATS_ALPHA};

	for (size_t m = 0; m < 3; m++)
	{
		StatsBuf	all,
					left,
					right,
					empty;
		unsigned	seed = 42;
		char		text[128];
		AlError		err;

		init(&all, modes[m], "wai_sr", AL_WHOLE);
		init(&left, modes[m], "wai_sr", AL_WHOLE);
		init(&right, modes[m], "wai_sr", AL_WHOLE);
		for (int i = 0; i < 500; i++)
		{
			random_waisr(&seed, text, sizeof(text));
			add(&all, text);
			add(i % 3 == 0 ? &left : &right, text);
		}
		assert_int_equal(al_stats_merge(&left.s, &right.s, "summary", &err), AL_OK);
		assert_memory_equal(&left.s, &all.s, al_stats_size(&all.s));
		/* an empty state changes nothing */
		al_stats_init_empty(&empty.s);
		assert_int_equal(al_stats_merge(&left.s, &empty.s, "summary", &err), AL_OK);
		assert_memory_equal(&left.s, &all.s, al_stats_size(&all.s));
	}
}

/* format -> parse -> the same bytes, and format again -> the same text. */
static void
test_text_round_trip(void **state __attribute__((unused)))
{
	static const struct
	{
		int			mode;
		const char *code;
		const char *scale;
	}			cases[] = {
		{AL_STATS_SUMMARY, "wai_sr", NULL},
		{AL_STATS_ALPHA, "wai_sr", NULL},
		{AL_STATS_ALPHA, "wai_sr", "bond"},
		{AL_STATS_SUMMARY | AL_STATS_ALPHA, "wai_sr", NULL},
	};

	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++)
	{
		StatsBuf	b,
					p;
		unsigned	seed = 7 + (unsigned) k;
		char		resp_text[128],
					t1[4096],
					t2[4096];
		AlError		err;
		int			scale = cases[k].scale ?
			al_scale_index(al_builtin_by_code(cases[k].code), cases[k].scale) : AL_WHOLE;

		init(&b, cases[k].mode, cases[k].code, scale);
		for (int i = 0; i < 50; i++)
		{
			random_waisr(&seed, resp_text, sizeof(resp_text));
			add(&b, resp_text);
		}
		format(&b.s, t1, sizeof(t1));
		assert_int_equal(al_stats_parse(t1, NULL, NULL, &p.s, &err), AL_OK);
		assert_int_equal(al_stats_size(&p.s), al_stats_size(&b.s));
		assert_memory_equal(&p.s, &b.s, al_stats_size(&b.s));
		assert_int_equal(al_stats_validate(&p.s, al_stats_size(&p.s), &err), AL_OK);
		format(&p.s, t2, sizeof(t2));
		assert_string_equal(t1, t2);
		assert_true(strlen(t1) < al_stats_format_bound(&b.s));
	}
}

static void
test_text_empty_and_junk(void **state __attribute__((unused)))
{
	StatsBuf	b;
	AlError		err;
	char		text[64];
	static const char *const bad[] = {
		"", "{", "{} x", "wai_sr", "wai_sr{}", "nosuch{unscored=0,at_risk=0,ceiling=0,scale=0}",
		"wai_sr{unscored=0,at_risk=0,ceiling=0,scale=0,a8=1/30/900}",	/* 8 < amin 9 */
		"wai_sr{unscored=0,at_risk=0,ceiling=0,scale=0,a11=1/30/900,a12=1/30/900}",	/* order */
		"wai_sr{unscored=0,at_risk=1,ceiling=0,scale=0,a12=1/30/900}",	/* no cut-off */
		"wai_sr{unscored=0,at_risk=0,ceiling=2,scale=0,a12=1/30/900}",	/* more than n */
		"wai_sr{unscored=01,at_risk=0,ceiling=0,scale=0}",
		"wai_sr{unscored=0,at_risk=0,ceiling=0,scale=19}",
		"wai_sr:task{unscored=0,at_risk=0,ceiling=0,scale=0}",
		"wai_sr:nosuch{n=0,t=0/0,i1=0/0,i2=0/0,i10=0/0,i12=0/0}",
		"wai_sr:task{n=0,t=0/0,i1=0/0,i2=0/0,i10=0/0}",
		"wai_sr:task{n=0,t=0/0,i1=0/0,i2=0/0,i12=0/0,i10=0/0}",
		"wai_sr:task{n=0,t=1/1,i1=0/0,i2=0/0,i10=0/0,i12=0/0}",
		"srs:relationship{n=0,t=0/0,i1=0/0}",	/* a one-item scale */
		"psq{unscored=0,at_risk=0,ceiling=0,scale=0}",
	};

	assert_int_equal(al_stats_parse(" {} ", NULL, NULL, &b.s, &err), AL_OK);
	assert_int_equal(b.s.mode, 0);
	assert_int_equal(al_stats_validate(&b.s, sizeof(AlStats), &err), AL_OK);
	format(&b.s, text, sizeof(text));
	assert_string_equal(text, "{}");
	assert_int_equal(al_stats_parse("WAI_SR:task{n=0,t=0/0,i1=0/0,i2=0/0,i10=0/0,i12=0/0}",
									NULL, NULL, &b.s, &err), AL_OK);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (al_stats_parse(bad[i], NULL, NULL, &b.s, &err) == AL_OK)
			fail_msg("accepted %s", bad[i]);
}

static void
test_errors(void **state __attribute__((unused)))
{
	StatsBuf	a,
				b;
	AlResponse	r = resp("srs(9,9,9,9)");
	AlError		err;

	init(&a, AL_STATS_SUMMARY, "wai_sr", AL_WHOLE);
	assert_int_equal(al_stats_check_instrument(&a.s, &r, "summary", &err), AL_ERR_PARAM);
	assert_string_equal(err.message, "cannot mix instruments in one summary: wai_sr and srs");
	init(&b, AL_STATS_SUMMARY, "srs", AL_WHOLE);
	assert_int_equal(al_stats_merge(&a.s, &b.s, "summary", &err), AL_ERR_PARAM);
	assert_int_equal(al_stats_init(&a.s, AL_STATS_SUMMARY, al_builtin_by_code("psq"), AL_WHOLE, &err),
					 AL_ERR_PARAM);
	assert_true(err.hint[0] != '\0');
	assert_int_equal(al_stats_init(&a.s, AL_STATS_ALPHA, al_builtin_by_code("srs"), 0, &err),
					 AL_ERR_PARAM);
	assert_string_equal(err.message,
						"alpha needs a scale of at least 2 items; srs subscale \"relationship\" has 1");
	/* a summary state does not merge with an alpha state */
	init(&a, AL_STATS_SUMMARY, "wai_sr", AL_WHOLE);
	init(&b, AL_STATS_ALPHA, "wai_sr", AL_WHOLE);
	assert_int_equal(al_stats_merge(&a.s, &b.s, "summary", &err), AL_ERR_PARAM);
}

static void
test_validate(void **state __attribute__((unused)))
{
	StatsBuf	b;
	AlError		err;

	init(&b, AL_STATS_SUMMARY, "wai_sr", AL_WHOLE);
	assert_int_equal(al_stats_validate(&b.s, al_stats_size(&b.s), &err), AL_OK);
	assert_int_equal(al_stats_validate(&b.s, al_stats_size(&b.s) - 1, &err), AL_ERR_CORRUPT);
	b.s.reserved[0] = 1;
	assert_int_equal(al_stats_validate(&b.s, al_stats_size(&b.s), &err), AL_ERR_CORRUPT);
	b.s.reserved[0] = 0;
	b.s.version = 2;
	assert_int_equal(al_stats_validate(&b.s, al_stats_size(&b.s), &err), AL_ERR_CORRUPT);
}

static void
test_i128(void **state __attribute__((unused)))
{
	char		buf[48];
	__int128	big = ((__int128) INT64_MAX) * 1000003;

	al_i128_format(0, buf);
	assert_string_equal(buf, "0");
	al_i128_format(-45, buf);
	assert_string_equal(buf, "-45");
	al_i128_format(big, buf);
	assert_string_equal(buf, "9223399706970886371327421");
	assert_true(al_wide_get(al_wide_set(-big)) == -big);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_summary_by_hand),
		cmocka_unit_test(test_summary_prorated),
		cmocka_unit_test(test_summary_srs),
		cmocka_unit_test(test_alpha_by_hand),
		cmocka_unit_test(test_alpha_edges),
		cmocka_unit_test(test_merge_equals_sequential),
		cmocka_unit_test(test_text_round_trip),
		cmocka_unit_test(test_text_empty_and_junk),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_validate),
		cmocka_unit_test(test_i128),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
