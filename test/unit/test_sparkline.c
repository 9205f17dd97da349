/*
 * test_sparkline.c — unit tests of src/core/sparkline.c: the worked series
 * of doc/instruments.md as exact text, marks for each repair state,
 * constant, single and empty series.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "sparkline.h"

static size_t
mk(AlPoint *p, const double *x, size_t n)
{
	for (size_t i = 0; i < n; i++)
	{
		p[i].key = (int64_t) (i + 1);
		p[i].score = x[i];
	}
	return n;
}

/* the sparkline of x under params (ruptures found by the series core) */
static void
spark(const double *x, size_t n, const AlSeriesParams *prm, char *buf)
{
	AlPoint		p[32];
	AlRupture	r[32];
	size_t		nr;
	AlError		err;

	mk(p, x, n);
	assert_int_equal(al_series_ruptures(p, n, prm, r, &nr, &err), AL_OK);
	assert_true(al_sparkline(p, n, r, nr, buf) < al_sparkline_bound(n));
}

static const double waisr[] = {44, 45, 46, 38, 46, 47, 47, 41, 42, 43};

static void
test_worked_waisr(void **state __attribute__((unused)))
{
	AlSeriesParams prm;
	char		buf[256];

	al_series_params_init(&prm);
	prm.method = AL_METHOD_STILES;
	spark(waisr, 10, &prm, buf);
	/* levels 5 5 6 0 6 7 7 2 3 4; rupture at 4 repaired at 5, at 8 open */
	assert_string_equal(buf, "▆▆▇▁*▇██▃?▄▅");
	prm.method = AL_METHOD_STRAUSS;
	spark(waisr, 10, &prm, buf);
	assert_string_equal(buf, "▆▆▇▁*▇██▃?▄▅");
	al_series_params_init(&prm);
	prm.method = AL_METHOD_STILES;	/* 0.1.0's default, which these cases test */
	prm.has_reference_sd = true;
	prm.reference_sd = 6.0;
	spark(waisr, 10, &prm, buf);
	assert_string_equal(buf, "▆▆▇▁▇██▃▄▅");
}

static void
test_worked_srs_sudden(void **state __attribute__((unused)))
{
	static const double srs[] = {38, 39, 38, 27, 28, 27, 29};
	AlSeriesParams prm;
	char		buf[256];

	al_series_params_init(&prm);
	prm.method = AL_METHOD_SUDDEN;
	prm.has_c1 = true;
	prm.c1 = 4.32;
	spark(srs, 7, &prm, buf);
	/* levels 6 7 6 0 1 0 1; the loss at 4 never climbs back to 38: unrepaired */
	assert_string_equal(buf, "▇█▇▁!▂▁▂");
}

static void
test_small_series(void **state __attribute__((unused)))
{
	static const double flat[] = {40, 40, 40};
	static const double one[] = {12};
	static const double ramp[] = {0, 1, 2, 3, 4, 5, 6, 7};
	AlSeriesParams prm;
	char		buf[256];

	al_series_params_init(&prm);
	prm.method = AL_METHOD_STILES;	/* 0.1.0's default, which these cases test */
	spark(flat, 3, &prm, buf);
	assert_string_equal(buf, "▄▄▄");
	spark(one, 1, &prm, buf);
	assert_string_equal(buf, "▄");
	spark(one, 0, &prm, buf);
	assert_string_equal(buf, "");
	spark(ramp, 8, &prm, buf);
	assert_string_equal(buf, "▁▂▃▄▅▆▇█");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_worked_waisr),
		cmocka_unit_test(test_worked_srs_sudden),
		cmocka_unit_test(test_small_series),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
