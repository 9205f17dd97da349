/*
 * test_svg.c — unit tests of src/core/svg.c: the worked series of
 * doc/instruments.md with markers at coordinates computed by hand,
 * measuring vs rendering, determinism, truncation, time keys, the cut-off,
 * and edge cases (no, one, two sessions, a flat series, extreme scores, a
 * 100 000-session series).
 *
 * Geometry at the default 640 x 240 (svg.h): the plot spans x 56..624, so 10
 * sessions are 56.8 px apart, session i (1-based) at 56 + (i - 0.5) * 56.8.
 * Scores 38..47 widen to nice ticks 38..48 (step 2), mapped onto y 192
 * (bottom, 240 - 40 - 8) .. 48 (top, 40 + 8): 14.4 px per point, so
 * y(v) = 192 - (v - 38) * 14.4.
 */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "svg.h"

static const double waisr[] = {44, 45, 46, 38, 46, 47, 47, 41, 42, 43};

static size_t
count(const char *s, const char *needle)
{
	size_t		c = 0;

	for (const char *q = strstr(s, needle); q; q = strstr(q + 1, needle))
		c++;
	return c;
}

/* Renders x[0..n) (keys 1..n unless keys given) under prm and o; caller frees. */
static char *
render(const double *x, const int64_t *keys, size_t n, const AlSeriesParams *prm,
	   const AlSvgOptions *o)
{
	AlPoint    *p = calloc(n ? n : 1, sizeof(AlPoint));
	AlRupture  *r = calloc(n ? n : 1, sizeof(AlRupture));
	size_t		nr,
				len,
				len2;
	AlError		err;
	char	   *buf;

	for (size_t i = 0; i < n; i++)
	{
		p[i].key = keys ? keys[i] : (int64_t) (i + 1);
		p[i].score = x[i];
	}
	assert_int_equal(al_series_ruptures(p, n, prm, r, &nr, &err), AL_OK);
	len = al_svg(p, n, r, nr, o, NULL, 0);
	buf = malloc(len + 1);
	len2 = al_svg(p, n, r, nr, o, buf, len + 1);
	assert_int_equal(len, len2);
	assert_int_equal(strlen(buf), len);
	free(p);
	free(r);
	return buf;
}

static char *
render_default(const double *x, size_t n)
{
	AlSeriesParams prm;
	AlSvgOptions o;

	al_series_params_init(&prm);
	prm.method = AL_METHOD_STILES;	/* 0.1.0's default, which these cases test */
	al_svg_options_init(&o);
	o.method = "stiles";
	return render(x, NULL, n, &prm, &o);
}

static void
test_worked_markers(void **state __attribute__((unused)))
{
	char	   *s = render_default(waisr, 10);

	/* session 4 (x 254.8) at 38 (y 192): the repaired rupture */
	assert_non_null(strstr(s, "<g class=\"rupture repaired\"><title>rupture at session 4: 46 &#8594; 38 "
						   "(drop 8), repaired at 5</title><circle cx=\"254.8\" cy=\"192\" r=\"5\""));
	/* session 5 (x 311.6) at 46 (y 76.8): the repair */
	assert_non_null(strstr(s, "<g class=\"repair\"><title>repair at session 5: 46 (rupture at 4 repaired)"
						   "</title><circle cx=\"311.6\" cy=\"76.8\""));
	assert_non_null(strstr(s, "<line class=\"repair-link\" x1=\"254.8\" y1=\"192\" x2=\"311.6\" y2=\"76.8\""));
	/* session 8 (x 482) at 41 (y 148.8): open, the series ends two sessions later */
	assert_non_null(strstr(s, "<g class=\"rupture open\"><title>rupture at session 8: 47 &#8594; 41 (drop 6), "
						   "open: the series ends within the 3-session repair window</title>"
						   "<circle cx=\"482\" cy=\"148.8\""));
	assert_int_equal(count(s, "class=\"rupture repaired\""), 1);
	assert_int_equal(count(s, "class=\"rupture open\""), 1);
	assert_int_equal(count(s, "class=\"rupture unrepaired\""), 0);
	assert_int_equal(count(s, "class=\"repair\""), 1);
	assert_int_equal(count(s, "class=\"point\""), 10);
	assert_int_equal(count(s, "class=\"cutoff\""), 0);
	assert_non_null(strstr(s, "points=\"84.4,105.6 141.2,91.2 198,76.8 254.8,192 311.6,76.8 "
						   "368.4,62.4 425.2,62.4 482,148.8 538.8,134.4 595.6,120\""));
	/* y ticks 38..48 step 2 */
	assert_non_null(strstr(s, "<text x=\"50\" y=\"196\">38</text><text x=\"50\" y=\"167.2\">40</text>"));
	assert_non_null(strstr(s, "<text x=\"50\" y=\"52\">48</text></g>"));
	/* accessibility, self-containment */
	assert_true(strncmp(s, "<svg xmlns=\"http://www.w3.org/2000/svg\"", 39) == 0);
	assert_non_null(strstr(s, "role=\"img\" aria-label=\"Alliance chart of a numeric series: 10 sessions"));
	assert_non_null(strstr(s, "\n<title>Alliance chart of a numeric series: 10 sessions (session 1 to 10), "
						   "scores 38 to 47; 2 ruptures (stiles): 1 repaired, 0 unrepaired, 1 open</title>\n"));
	assert_null(strstr(s, "<script"));
	assert_null(strstr(s, "href"));
	assert_null(strstr(s, " id="));
	assert_null(strstr(s, "<style"));
	assert_string_equal(s + strlen(s) - 7, "</svg>\n");
	for (const char *q = s; *q; q++)
		assert_true((unsigned char) *q < 0x80);	/* ASCII */
	free(s);
}

static void
test_unrepaired(void **state __attribute__((unused)))
{
	AlSeriesParams prm;
	AlSvgOptions o;
	char	   *s;

	al_series_params_init(&prm);
	prm.method = AL_METHOD_STILES;	/* 0.1.0's default, which these cases test */
	prm.repair_window = 1;
	al_svg_options_init(&o);
	o.repair_window = 1;
	s = render(waisr, NULL, 10, &prm, &o);
	/* 9: 42 < 47, and the one-session window has passed */
	assert_non_null(strstr(s, "<g class=\"rupture unrepaired\"><title>rupture at session 8: 47 &#8594; 41 "
						   "(drop 6), not repaired within 1 session</title><circle cx=\"482\" cy=\"148.8\""));
	assert_int_equal(count(s, "class=\"rupture repaired\""), 1);
	assert_int_equal(count(s, "class=\"rupture open\""), 0);
	free(s);
	/* reference SD 6.0: no ruptures, no legend */
	al_series_params_init(&prm);
	prm.method = AL_METHOD_STILES;	/* 0.1.0's default, which these cases test */
	prm.has_reference_sd = true;
	prm.reference_sd = 6.0;
	al_svg_options_init(&o);
	s = render(waisr, NULL, 10, &prm, &o);
	assert_int_equal(count(s, "class=\"rupture "), 0);
	assert_int_equal(count(s, "class=\"repair"), 0);
	assert_null(strstr(s, "class=\"legend\""));
	assert_non_null(strstr(s, "no ruptures"));
	free(s);
}

static void
test_deterministic_and_truncated(void **state __attribute__((unused)))
{
	char	   *a = render_default(waisr, 10);
	char	   *b = render_default(waisr, 10);
	AlPoint		p[10];
	AlSvgOptions o;
	char		small[64];
	size_t		len;

	assert_string_equal(a, b);
	for (int i = 0; i < 10; i++)
		p[i].key = i + 1, p[i].score = waisr[i];
	al_svg_options_init(&o);
	o.method = "stiles";
	/* a short buffer: same length reported, NUL-terminated prefix */
	memset(small, 'x', sizeof(small));
	len = al_svg(p, 10, NULL, 0, &o, small, sizeof(small));
	assert_true(len > sizeof(small));
	assert_int_equal(strlen(small), sizeof(small) - 1);
	assert_true(strncmp(small, a, sizeof(small) - 1) == 0);
	/* a locale with a decimal comma changes nothing (when one is installed) */
	if (setlocale(LC_NUMERIC, "de_DE.UTF-8") || setlocale(LC_NUMERIC, "fr_FR.UTF-8"))
	{
		char	   *c = render_default(waisr, 10);

		assert_string_equal(a, c);
		free(c);
		setlocale(LC_NUMERIC, "C");
	}
	free(a);
	free(b);
}

static void
test_cutoff(void **state __attribute__((unused)))
{
	static const double srs[] = {38, 36.5, 34, 36, 34.2};
	AlSeriesParams prm;
	AlSvgOptions o;
	char	   *s;

	al_series_params_init(&prm);
	prm.method = AL_METHOD_STILES;	/* 0.1.0's default, which these cases test */
	al_svg_options_init(&o);
	o.code = "srs";
	o.has_cutoff = true;
	o.cutoff = 36;
	o.decimals = 1;
	s = render(srs, NULL, 5, &prm, &o);
	/* scores 34..38 and cut-off 36: ticks 34..38 step 1, 36 at 192 - 2/4 * 144 = 120 */
	assert_non_null(strstr(s, "<line class=\"cutoff\" x1=\"56\" y1=\"120\" x2=\"624\" y2=\"120\" stroke=\"#555555\" "
						   "stroke-width=\"1.5\" stroke-dasharray=\"5 3\"><title>cut-off 36.0</title></line>"));
	assert_non_null(strstr(s, "<title>session 2: 36.5</title>"));
	assert_non_null(strstr(s, "<title>session 1: 38.0</title>"));
	assert_non_null(strstr(s, "<tspan font-weight=\"bold\">srs</tspan>"));
	free(s);
	/* a cut-off below the scores widens the y range to include it */
	o.cutoff = 20;
	s = render(srs, NULL, 5, &prm, &o);
	assert_non_null(strstr(s, "<text x=\"50\" y=\"196\">20</text>"));	/* ticks by 5 */
	assert_non_null(strstr(s, "<line class=\"cutoff\" x1=\"56\" y1=\"192\""));
	free(s);
}

/* an instrument's charts share its whole range as the y scale, and the axis has a title */
static void
test_instrument_scale(void **state __attribute__((unused)))
{
	static const double srs[] = {38, 36.5, 34, 36, 34.2};
	AlSeriesParams prm;
	AlSvgOptions o;
	char	   *s;

	al_series_params_init(&prm);
	prm.method = AL_METHOD_DROP;
	al_svg_options_init(&o);
	o.code = "srs";
	o.decimals = 1;
	o.has_range = true;
	o.range_lo = 0;
	o.range_hi = 40;
	o.y_title = "srs total";
	s = render(srs, NULL, 5, &prm, &o);
	assert_non_null(strstr(s, ">0</text>"));
	assert_non_null(strstr(s, ">40</text>"));
	assert_non_null(strstr(s, "<text class=\"axis-title\" text-anchor=\"middle\" x=\"12\" y=\"120\" "
						   "transform=\"rotate(-90 12 120)\">srs total</text>"));
	free(s);
	/* without them: the series' own range, no y title */
	o.has_range = false;
	o.y_title = NULL;
	s = render(srs, NULL, 5, &prm, &o);
	assert_null(strstr(s, ">40</text>"));
	assert_int_equal(count(s, "class=\"axis-title\""), 1);	/* the x axis's */
	free(s);
}

static void
test_time_keys(void **state __attribute__((unused)))
{
	static const double x[] = {30, 20, 31};
	/* 2024-03-01 23:30 UTC and a week apart, in microseconds since 2000-01-01 */
	const int64_t day = INT64_C(86400000000);
	const int64_t t0 = (int64_t) 8826 * day + INT64_C(84600000000);
	int64_t		keys[3] = {t0, t0 + 7 * day, t0 + 14 * day};
	int64_t		dkeys[3] = {8826, 8833, 8840};
	AlSeriesParams prm;
	AlSvgOptions o;
	char	   *s;

	al_series_params_init(&prm);
	prm.method = AL_METHOD_DROP;
	al_svg_options_init(&o);
	o.kind = AL_KEY_TIMESTAMPTZ;
	s = render(x, keys, 3, &prm, &o);
	assert_non_null(strstr(s, ">2024-03-01</text>"));
	assert_non_null(strstr(s, ">2024-03-15</text>"));
	assert_non_null(strstr(s, "rupture at 2024-03-08T23:30:00Z: 30 &#8594; 20 (drop 10), repaired at 2024-03-15T23:30:00Z"));
	assert_non_null(strstr(s, ">date (UTC)</text>"));
	free(s);
	o.kind = AL_KEY_DATE;
	s = render(x, dkeys, 3, &prm, &o);
	assert_non_null(strstr(s, "rupture at 2024-03-08: 30 &#8594; 20 (drop 10), repaired at 2024-03-15</title>"));
	free(s);
}

static void
test_small_series(void **state __attribute__((unused)))
{
	static const double one[] = {12};
	static const double two[] = {10, 20};
	static const double flat[] = {40, 40, 40};
	static const double zero[] = {0, 0};
	char	   *s;

	/* no sessions: a frame that says so */
	s = render_default(NULL, 0);
	assert_non_null(strstr(s, ">no sessions</text>"));
	assert_null(strstr(s, "<polyline"));
	free(s);
	/* one session: centred, x 56 + 0.5 * 568 = 340; flat range 11..13, 12 at 120 */
	s = render_default(one, 1);
	assert_non_null(strstr(s, "points=\"340,120\""));
	assert_int_equal(count(s, "class=\"point\""), 1);
	free(s);
	/* two: 142 apart ... 10 at the bottom, 20 at the top */
	s = render_default(two, 2);
	assert_non_null(strstr(s, "points=\"198,192 482,48\""));
	free(s);
	/* flat: no division by zero, widened by 5 % (38..42), mid-height */
	s = render_default(flat, 3);
	assert_non_null(strstr(s, "points=\"150.67,120 340,120 529.33,120\""));
	assert_non_null(strstr(s, ">38</text>"));
	assert_non_null(strstr(s, ">42</text>"));
	free(s);
	s = render_default(zero, 2);
	assert_non_null(strstr(s, "points=\"198,120 482,120\""));
	assert_non_null(strstr(s, ">-1.0</text>"));
	free(s);
}

static void
test_extreme_scores(void **state __attribute__((unused)))
{
	static const double big[] = {1e150, -1e150, 9e149, -9e149};	/* the analysis' limit */
	static const double near[] = {1e15, 1e15 + 0.25, 1e15 - 0.5};
	static const double small[] = {1e-12, 3e-12};
	const double *cases[] = {big, near, small};
	size_t		sizes[] = {4, 3, 2};

	for (int c = 0; c < 3; c++)
	{
		char	   *s = render_default(cases[c], sizes[c]);

		assert_null(strstr(s, "nan"));
		assert_null(strstr(s, "inf"));
		assert_int_equal(count(s, "class=\"point\""), sizes[c]);
		free(s);
	}
	/* the chart itself still scales a range wider than DBL_MAX (no ruptures passed) */
	{
		AlPoint		p[4] = {{1, 1e300}, {2, -1e300}, {3, 1.7e308}, {4, -1.7e308}};
		AlSvgOptions o;
		size_t		len;
		char	   *s;

		al_svg_options_init(&o);
		len = al_svg(p, 4, NULL, 0, &o, NULL, 0);
		s = malloc(len + 1);
		assert_int_equal(al_svg(p, 4, NULL, 0, &o, s, len + 1), len);
		assert_null(strstr(s, "nan"));
		assert_null(strstr(s, "inf"));
		assert_int_equal(count(s, "class=\"point\""), 4);
		free(s);
	}
}

static void
test_sizes(void **state __attribute__((unused)))
{
	AlSeriesParams prm;
	AlSvgOptions o;
	char	   *s;

	al_series_params_init(&prm);
	prm.method = AL_METHOD_STILES;	/* 0.1.0's default, which these cases test */
	al_svg_options_init(&o);
	o.width = 10;				/* clamped to 120 */
	o.height = 100000;			/* clamped to 4000 */
	s = render(waisr, NULL, 10, &prm, &o);
	assert_non_null(strstr(s, "width=\"120\" height=\"4000\" viewBox=\"0 0 120 4000\""));
	/* 10 sessions in 48 px: under 6 px apart, no dots; labels thinned */
	assert_int_equal(count(s, "class=\"point\""), 0);
	assert_int_equal(count(s, "class=\"rupture "), 2);
	free(s);
}

static void
test_long_series(void **state __attribute__((unused)))
{
	enum
	{
	N = 100000};
	double	   *x = malloc(N * sizeof(double));
	AlSeriesParams prm;
	AlSvgOptions o;
	char	   *s,
			   *pts,
			   *end;
	size_t		commas = 0;

	for (int i = 0; i < N; i++)
		x[i] = 40 + (i % 1000) * 0.001 + ((i * 7919) % 13) * 0.0001;
	al_series_params_init(&prm);
	prm.method = AL_METHOD_STILES;	/* 0.1.0's default, which these cases test */
	al_svg_options_init(&o);
	s = render(x, NULL, N, &prm, &o);
	/* at most 4 vertices per pixel column, no dots, few x labels */
	pts = strstr(s, "points=\"");
	assert_non_null(pts);
	end = strchr(pts + 8, '"');
	for (char *q = pts; q < end; q++)
		commas += *q == ',';
	assert_true(commas <= 4 * 568);
	assert_true(commas >= 568);
	assert_int_equal(count(s, "class=\"point\""), 0);
	assert_true(count(s, "<text x=") < 100);
	assert_true(strlen(s) < 60000 + 400 * (size_t) count(s, "class=\"rupture "));
	free(s);
	free(x);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_worked_markers),
		cmocka_unit_test(test_unrepaired),
		cmocka_unit_test(test_deterministic_and_truncated),
		cmocka_unit_test(test_cutoff),
		cmocka_unit_test(test_instrument_scale),
		cmocka_unit_test(test_time_keys),
		cmocka_unit_test(test_small_series),
		cmocka_unit_test(test_extreme_scores),
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_long_series),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
