/*
 * test_response.c — unit tests for src/core/response.c (and the parts of
 * instrument.c it relies on): the text form, the compact stored form,
 * binding custom values, comparison and hashing.
 *
 * Build and run:
 *   gcc -std=gnu99 -Wall -Wextra -Werror -Isrc/core test/unit/test_response.c \
 *       <every .c file in src/core> -lcmocka -lm -o /tmp/t && /tmp/t
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "al_status.h"
#include "instrument.h"
#include "response.h"

#define NELEM(a) ((int) (sizeof(a) / sizeof((a)[0])))

/* ---------------------------------------------------------------------------
 * A hand-built custom instrument: "mood", three items 0.0 .. 5.0 in steps of
 * 0.5 (decimals 1, step_u 5), item 2 reversed, one scale.  "mood_b" is the
 * same definition with a different range, so a different fingerprint.
 * ------------------------------------------------------------------------- */
static const uint8_t mood_all[] = {1, 2, 3};
static const uint8_t mood_rev[] = {2};
static const AlScale mood_scales[] = {{"all", 3, mood_all}};

static const AlInstrument mood = {
	.code = "mood", .name = "test mood form", .citation = "none", .evidence = "R",
	.builtin_id = AL_CUSTOM, .nitems = 3, .decimals = 1,
	.min_u = 0, .max_u = 50, .step_u = 5,
	.nreversed = 1, .reversed = mood_rev,
	.nscales = 1, .scales = mood_scales,
	.goal_scale = -1, .task_scale = -1, .bond_scale = -1,
	.min_answered_num = 3, .min_answered_den = 4,
	.score = AL_SCORE_TOTAL,
};

static const AlInstrument mood_other = {
	.code = "mood", .name = "test mood form, other definition", .citation = "none",
	.evidence = "R", .builtin_id = AL_CUSTOM, .nitems = 3, .decimals = 1,
	.min_u = 0, .max_u = 100, .step_u = 5,
	.nreversed = 1, .reversed = mood_rev,
	.nscales = 1, .scales = mood_scales,
	.goal_scale = -1, .task_scale = -1, .bond_scale = -1,
	.min_answered_num = 3, .min_answered_den = 4,
	.score = AL_SCORE_TOTAL,
};

static const AlInstrument *
mood_resolver(const char *code, void *arg)
{
	(void) arg;
	return strcmp(code, "mood") == 0 ? &mood : NULL;
}

static const AlInstrument *
null_resolver(const char *code, void *arg)
{
	(void) code;
	(void) arg;
	return NULL;
}

/* ---- helpers ---- */

static AlResponse *
new_response(void)
{
	AlResponse *r = malloc(sizeof(AlResponse));

	assert_non_null(r);
	memset(r, 0x5a, sizeof(*r));	/* garbage: the parser must set every field it uses */
	return r;
}

/* Parse text (built-ins + mood) that must be valid; returns a malloc'd response. */
static AlResponse *
parse_ok_with(const char *text, AlResolver resolver, bool allow_unbound)
{
	AlResponse *r = new_response();
	AlError		err;
	AlStatus	st;

	memset(&err, 0, sizeof(err));
	st = al_response_parse(text, resolver, NULL, allow_unbound, r, &err);
	if (st != AL_OK)
		fail_msg("parse of \"%.80s\" failed (%d): %s", text, (int) st, err.message);
	return r;
}

static AlResponse *
parse_ok(const char *text)
{
	return parse_ok_with(text, mood_resolver, false);
}

/* The canonical text of r, in a static buffer. */
static const char *
fmt(const AlResponse *r)
{
	static char buf[8192];
	int			n = al_response_format(r, buf, sizeof(buf));

	assert_true(n > 0);
	assert_int_equal((size_t) n, strlen(buf));
	return buf;
}

/* Parse text that must fail with status; returns the error for message checks. */
static AlError
parse_fails(const char *text, AlStatus want)
{
	AlResponse *r = new_response();
	AlError		err;
	AlStatus	st;

	memset(&err, 0, sizeof(err));
	st = al_response_parse(text, mood_resolver, NULL, false, r, &err);
	free(r);
	if (st != want)
		fail_msg("parse of \"%.80s\": got status %d (%s), want %d", text, (int) st,
				 err.message, (int) want);
	assert_int_equal(err.status, want);
	assert_true(strlen(err.message) > 0);
	return err;
}

static void
expect_canonical(const char *text, const char *canonical)
{
	AlResponse *r = parse_ok(text);
	AlResponse *again;

	assert_string_equal(fmt(r), canonical);
	/* text -> parse -> format -> parse -> format is stable */
	again = parse_ok(canonical);
	assert_string_equal(fmt(again), canonical);
	assert_int_equal(al_response_compare(r, again), 0);
	assert_true(al_response_hash(r, 0) == al_response_hash(again, 0));
	free(r);
	free(again);
}

/* ===========================================================================
 * Parsing: valid input
 * ========================================================================= */

static void
test_parse_every_builtin(void **state)
{
	(void) state;
	expect_canonical("wai_sr(4,3,5,4,5,4,4,3,5,4,4,3)", "wai_sr(4,3,5,4,5,4,4,3,5,4,4,3)");
	expect_canonical("wai(2,6,3,6,6,6,2,6,3,2,2,2,6,7,2,6,7,6,7,2,6,6,6,6,6,7,2,6,2,6,2,6,2,3,6,6)",
					 "wai(2,6,3,6,6,6,2,6,3,2,2,2,6,7,2,6,7,6,7,2,6,6,6,6,6,7,2,6,2,6,2,6,2,3,6,6)");
	expect_canonical("wai_s(6,5,7,2,6,6,7,6,6,5,5,6)", "wai_s(6,5,7,2,6,6,7,6,6,5,5,6)");
	expect_canonical("srs(9.1,8.4,7.9,8.8)", "srs(9.1,8.4,7.9,8.8)");
	expect_canonical("ors(4.0,5.5,6.0,4.5)", "ors(4.0,5.5,6.0,4.5)");
	expect_canonical("haq2(6,5,6,1,5,6,5,2,6,5,1,6,5,6,5,2,4,6,1)",
					 "haq2(6,5,6,1,5,6,5,2,6,5,1,6,5,6,5,2,4,6,1)");
	expect_canonical("arm5(6,6,2,7,5)", "arm5(6,6,2,7,5)");
	expect_canonical("tasc_r(4,1,4,3,2,4,1,1,3,4,2,4)", "tasc_r(4,1,4,3,2,4,1,1,3,4,2,4)");
	expect_canonical("psq(0,null,null)", "psq(0,null,null)");
	expect_canonical("psq(1,4,2)", "psq(1,4,2)");
	expect_canonical("psq(1,null,null)", "psq(1,null,null)");
	expect_canonical("psq(1,5,null)", "psq(1,5,null)");
}

static void
test_parse_item_values(void **state)
{
	AlResponse *r = parse_ok("srs(9.1,8.4,7.9,10)");

	(void) state;
	assert_ptr_equal(r->inst, al_builtin_by_code("srs"));
	assert_string_equal(r->code, "srs");
	assert_int_equal(r->nitems, 4);
	assert_int_equal(r->decimals, 1);
	assert_int_equal(r->units[0], 91);
	assert_int_equal(r->units[1], 84);
	assert_int_equal(r->units[2], 79);
	assert_int_equal(r->units[3], 100);
	assert_int_equal(al_response_answered(r), 4);
	free(r);

	r = parse_ok("wai_sr(5,3,5,4,5,4,null,3,5,4,4,3)");
	assert_int_equal(r->nitems, 12);
	assert_int_equal(r->decimals, 0);
	assert_false(r->present[6]);
	assert_true(r->present[5]);
	assert_int_equal(r->units[0], 5);
	assert_int_equal(al_response_answered(r), 11);
	free(r);

	/* range ends are accepted */
	expect_canonical("srs(0,10,0.0,10.0)", "srs(0.0,10.0,0.0,10.0)");
	expect_canonical("wai_sr(1,1,1,1,1,1,5,5,5,5,5,5)", "wai_sr(1,1,1,1,1,1,5,5,5,5,5,5)");
	expect_canonical("haq2(1,1,1,1,1,1,1,1,1,1,6,6,6,6,6,6,6,6,6)",
					 "haq2(1,1,1,1,1,1,1,1,1,1,6,6,6,6,6,6,6,6,6)");
	expect_canonical("tasc_r(1,1,1,1,1,1,4,4,4,4,4,4)", "tasc_r(1,1,1,1,1,1,4,4,4,4,4,4)");
	expect_canonical("psq(1,1,5)", "psq(1,1,5)");
}

static void
test_parse_case_insensitive_code(void **state)
{
	(void) state;
	expect_canonical("SRS(9,9,9,9)", "srs(9.0,9.0,9.0,9.0)");
	expect_canonical("Wai_SR(4,3,5,4,5,4,4,3,5,4,4,3)", "wai_sr(4,3,5,4,5,4,4,3,5,4,4,3)");
	expect_canonical("TASC_R(4,1,4,3,2,4,1,1,3,4,2,4)", "tasc_r(4,1,4,3,2,4,1,1,3,4,2,4)");
	expect_canonical("MOOD(1.5,2,0)", "mood(1.5,2.0,0.0)");
}

static void
test_parse_number_spellings(void **state)
{
	(void) state;
	/* leading zeros, a sign, trailing zeros and points do not change the value */
	expect_canonical("wai_sr(+4,04,4.0,4.,4.000,0004,4,4,4,4,4,4)", "wai_sr(4,4,4,4,4,4,4,4,4,4,4,4)");
	expect_canonical("srs(.5,9.10,09.1,+0)", "srs(0.5,9.1,9.1,0.0)");
	expect_canonical("srs(-0,-0.0,0.00000000000000000000,10.000)", "srs(0.0,0.0,0.0,10.0)");
}

static void
test_parse_whitespace(void **state)
{
	(void) state;
	expect_canonical("  srs(9.1,8.4,7.9,8.8)  ", "srs(9.1,8.4,7.9,8.8)");
	expect_canonical("\t srs ( 9.1 ,\n8.4 ,\r7.9\t, 8.8 ) \n", "srs(9.1,8.4,7.9,8.8)");
	expect_canonical("psq( 0 , null ,NULL )", "psq(0,null,null)");
}

static void
test_parse_null_items(void **state)
{
	AlResponse *r;

	(void) state;
	expect_canonical("wai_sr(null,3,5,4,5,4,NULL,3,5,4,Null,3)",
					 "wai_sr(null,3,5,4,5,4,null,3,5,4,null,3)");
	/* every item may be null in the text form; scoring decides what that means */
	expect_canonical("srs(null,null,null,null)", "srs(null,null,null,null)");
	r = parse_ok("srs(null,null,null,null)");
	assert_int_equal(al_response_answered(r), 0);
	free(r);
}

static void
test_parse_stable_roundtrip(void **state)
{
	static const char *const texts[] = {
		"wai_sr(4,3,5,4,5,4,4,3,5,4,4,3)", "SRS( 9 , 8.40 , 07.9 , 10 )",
		"ors(0,0.1,9.9,10)", "wai_s(1,2,3,4,5,6,7,null,1,2,3,4)",
		"arm5(null,6,2,7,5)", "psq(1,null,3)", "haq2(1,2,3,4,5,6,1,2,3,4,5,6,1,2,3,4,5,6,null)",
		"mood(0.5,null,5.0)",
	};

	(void) state;
	for (int i = 0; i < NELEM(texts); i++)
	{
		AlResponse *a = parse_ok(texts[i]);
		char		once[512];
		AlResponse *b;

		snprintf(once, sizeof(once), "%s", fmt(a));
		b = parse_ok(once);
		assert_string_equal(fmt(b), once);
		assert_int_equal(al_response_compare(a, b), 0);
		free(a);
		free(b);
	}
}

static void
test_parse_unbound_custom(void **state)
{
	AlResponse *r;
	AlError		err;

	(void) state;
	/* a well-formed value of an unknown code is kept unbound (restore) */
	r = parse_ok_with("Redflags(1, 2.5 ,null,-3)", null_resolver, true);
	assert_null(r->inst);
	assert_string_equal(r->code, "redflags");
	assert_int_equal(r->fingerprint, 0);
	assert_int_equal(r->nitems, 4);
	assert_int_equal(r->decimals, 1);
	assert_int_equal(r->units[0], 10);
	assert_int_equal(r->units[1], 25);
	assert_false(r->present[2]);
	assert_int_equal(r->units[3], -30);
	assert_string_equal(fmt(r), "redflags(1.0,2.5,null,-3.0)");
	free(r);

	/* a NULL resolver means built-ins only */
	r = parse_ok_with("redflags(7)", NULL, true);
	assert_null(r->inst);
	assert_string_equal(fmt(r), "redflags(7)");
	free(r);

	/* built-ins are still validated when unbound values are allowed */
	r = new_response();
	assert_int_equal(al_response_parse("srs(11,9,9,9)", NULL, NULL, true, r, &err), AL_ERR_RANGE);
	assert_int_equal(al_response_parse("srs(9,9,9)", NULL, NULL, true, r, &err), AL_ERR_SYNTAX);
	/* an unbound value needs at least one item */
	assert_int_equal(al_response_parse("redflags()", NULL, NULL, true, r, &err), AL_ERR_SYNTAX);
	assert_int_equal(al_response_parse("redflags(1,,2)", NULL, NULL, true, r, &err), AL_ERR_SYNTAX);
	assert_int_equal(al_response_parse("redflags(1e3)", NULL, NULL, true, r, &err), AL_ERR_SYNTAX);
	/* without allow_unbound the code is unknown */
	assert_int_equal(al_response_parse("redflags(1)", null_resolver, NULL, false, r, &err), AL_ERR_PARAM);
	assert_string_equal(err.message, "unknown instrument \"redflags\"");
	free(r);
}

static void
test_parse_unbound_item_limit(void **state)
{
	char		buf[4096];
	size_t		n;
	AlResponse *r;
	AlError		err;

	(void) state;
	/* 255 items is the most a value holds */
	n = (size_t) snprintf(buf, sizeof(buf), "many(");
	for (int i = 0; i < AL_MAX_ITEMS; i++)
		n += (size_t) snprintf(buf + n, sizeof(buf) - n, "%s%d", i ? "," : "", i % 7);
	snprintf(buf + n, sizeof(buf) - n, ")");
	r = parse_ok_with(buf, NULL, true);
	assert_int_equal(r->nitems, AL_MAX_ITEMS);
	assert_int_equal(r->units[254], 254 % 7);
	free(r);
	/* 256 is a syntax error */
	snprintf(buf + n, sizeof(buf) - n, ",1)");
	r = new_response();
	assert_int_equal(al_response_parse(buf, NULL, NULL, true, r, &err), AL_ERR_SYNTAX);
	assert_string_equal(err.message, "wrong number of items for many: more than 255 given, 255 expected");
	free(r);
}

/* ===========================================================================
 * Parsing: bad input, exact status
 * ========================================================================= */

static void
test_bad_syntax(void **state)
{
	static const char *const bad[] = {
		"",
		"   \t\n ",
		"srs",
		"srs 9,9,9,9",
		"srs[9,9,9,9]",
		"(9,9,9,9)",
		"srs(9,9,9,9",
		"srs(9,9,9,9,",
		"srs(9,9,9)",				/* too few items */
		"srs(9,9,9,9,9)",			/* too many items */
		"wai_sr(1,2,3)",
		"wai_sr(1,2,3,4,5,1,2,3,4,5,1,2,3)",
		"srs()",
		"srs( )",
		"srs(9,,9,9)",
		"srs(9,9,9,)",
		"srs(,9,9,9)",
		"srs(9,9,9,9) x",			/* junk after ")" */
		"srs(9,9,9,9))",
		"srs(9,9,9,9);",
		"srs(9,9,9,9)(1)",
		"srs(abc,9,9,9)",
		"srs(9..1,9,9,9)",
		"srs(9.1.1,9,9,9)",
		"srs(1e1,9,9,9)",			/* no exponent */
		"srs(0x9,9,9,9)",
		"srs(9 1,9,9,9)",
		"srs(-,9,9,9)",
		"srs(+,9,9,9)",
		"srs(.,9,9,9)",
		"srs(--1,9,9,9)",
		"srs(nul,9,9,9)",
		"srs(nulll,9,9,9)",
		"srs(\"9\",9,9,9)",
		"srs((9),9,9,9)",
		"srs(\xd9\xa9,9,9,9)",		/* ARABIC-INDIC DIGIT NINE */
		"wai_sr(\xd9\xa4,3,5,4,5,4,4,3,5,4,4,3)",	/* ARABIC-INDIC DIGIT FOUR */
		"srs(\xef\xbc\x99,9,9,9)",	/* FULLWIDTH DIGIT NINE */
		"sr\xc5\x9b(9,9,9,9)",		/* non-ASCII letter in the code */
		"9srs(9,9,9,9)",			/* code starts with a digit */
		"_srs(9,9,9,9)",
		"aaaaaaaaaabbbbbbbbbbccccccccccdd(1)",	/* 32-character code */
		"psq(0,null)",
		"psq(0,null,null,null)",
	};

	(void) state;
	for (int i = 0; i < NELEM(bad); i++)
		parse_fails(bad[i], AL_ERR_SYNTAX);
}

static void
test_bad_range(void **state)
{
	static const char *const bad[] = {
		"wai_sr(4,3,5,4,5,4,6,3,5,4,4,3)",	/* above the range */
		"wai_sr(0,3,5,4,5,4,4,3,5,4,4,3)",	/* below */
		"wai_sr(-1,3,5,4,5,4,4,3,5,4,4,3)",
		"wai_sr(4.5,3,5,4,5,4,4,3,5,4,4,3)",	/* off-step on an integer scale */
		"wai_sr(4.01,3,5,4,5,4,4,3,5,4,4,3)",
		"wai(8,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4)",
		"wai_s(4,4,4,4,4,4,4,4,4,4,4,0)",
		"haq2(7,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1)",
		"arm5(4,4,4,4,0)",
		"tasc_r(5,1,1,1,1,1,1,1,1,1,1,1)",
		"srs(9.15,8.4,7.9,8.8)",	/* off-step on SRS */
		"srs(10.1,8.4,7.9,8.8)",
		"srs(-0.1,8.4,7.9,8.8)",
		"srs(100,8.4,7.9,8.8)",
		"ors(10.01,5,5,5)",
		"srs(NaN,9,9,9)",
		"srs(nan,9,9,9)",
		"srs(-NaN,9,9,9)",
		"srs(Infinity,9,9,9)",
		"srs(-Infinity,9,9,9)",
		"srs(inf,9,9,9)",
		"srs(+INF,9,9,9)",
		"wai_sr(1234567890123456789,3,5,4,5,4,4,3,5,4,4,3)",	/* 19 digits */
		"srs(99999999999999999999999999999,9,9,9)",
		"srs(0.0000000000000000001,9,9,9)",	/* a digit at the 19th decimal */
		"srs(1.0000000000000000001,9,9,9)",
		"psq(2,null,null)",
		"psq(1,6,1)",
		"psq(1,0,1)",				/* intensity starts at 1 */
		"psq(1,3,0)",
		"mood(5.5,1,1)",			/* custom: above 5.0 */
		"mood(1.2,1,1)",			/* custom: off its 0.5 step */
	};

	(void) state;
	for (int i = 0; i < NELEM(bad); i++)
		parse_fails(bad[i], AL_ERR_RANGE);
}

static void
test_bad_param(void **state)
{
	static const char *const bad[] = {
		"foo(1,2)",
		"wai_sr2(4,3,5,4,5,4,4,3,5,4,4,3)",
		"psq(null,1,1)",			/* item 1 required */
		"psq(null,null,null)",
		"psq(0,3,null)",			/* no rupture but intensity */
		"psq(0,null,3)",
		"psq(0,1,1)",
	};

	(void) state;
	for (int i = 0; i < NELEM(bad); i++)
		parse_fails(bad[i], AL_ERR_PARAM);
}

static void
test_bad_messages(void **state)
{
	AlError		e;

	(void) state;
	e = parse_fails("wai_sr(4,3,5,4,5,4,6,3,5,4,4,3)", AL_ERR_RANGE);
	assert_string_equal(e.message, "wai_sr item 7 is 6; answers run 1 to 5");
	e = parse_fails("wai_sr(4.5,3,5,4,5,4,4,3,5,4,4,3)", AL_ERR_RANGE);
	assert_string_equal(e.message, "wai_sr item 1 is 4.5; answers run 1 to 5");
	e = parse_fails("wai_sr(NaN,3,5,4,5,4,4,3,5,4,4,3)", AL_ERR_RANGE);
	assert_string_equal(e.message, "wai_sr item 1 is NaN; answers run 1 to 5");
	e = parse_fails("psq(2,null,null)", AL_ERR_RANGE);
	assert_string_equal(e.message, "psq item 1 is 2; answers run 0 to 1");
	e = parse_fails("psq(1,6,1)", AL_ERR_RANGE);
	assert_string_equal(e.message, "psq item 2 is 6; answers run 1 to 5");
	e = parse_fails("mood(1.2,1,1)", AL_ERR_RANGE);
	assert_string_equal(e.message, "mood item 1 is 1.2; answers run 0.0 to 5.0 in steps of 0.5");
	e = parse_fails("srs(9,9,9)", AL_ERR_SYNTAX);
	assert_string_equal(e.message, "wrong number of items for srs: 3 given, 4 expected");
	e = parse_fails("srs(9,9,9,9,9)", AL_ERR_SYNTAX);
	assert_string_equal(e.message, "wrong number of items for srs: more than 4 given, 4 expected");
	e = parse_fails("foo(1,2)", AL_ERR_PARAM);
	assert_string_equal(e.message, "unknown instrument \"foo\"");
	e = parse_fails("psq(null,1,1)", AL_ERR_PARAM);
	assert_string_equal(e.message, "psq item 1 (present) is required");
	e = parse_fails("psq(0,3,null)", AL_ERR_PARAM);
	assert_string_equal(e.message, "psq reports no rupture but gives intensity");
	e = parse_fails("psq(0,3,2)", AL_ERR_PARAM);
	assert_string_equal(e.message, "psq reports no rupture but gives intensity and resolution");
	e = parse_fails("", AL_ERR_SYNTAX);
	assert_string_equal(e.message, "invalid input syntax for type response: empty input");
	e = parse_fails("srs(9,9,9,9) x", AL_ERR_SYNTAX);
	assert_string_equal(e.message, "invalid input syntax for type response: junk after \")\"");
	e = parse_fails("srs(9,9,9,9", AL_ERR_SYNTAX);
	assert_string_equal(e.message, "invalid input syntax for type response: missing \")\"");
	e = parse_fails("srs(9,,9,9)", AL_ERR_SYNTAX);
	assert_string_equal(e.message, "invalid input syntax for type response: srs item 2 is empty");
	e = parse_fails("srs(\xd9\xa9,9,9,9)", AL_ERR_SYNTAX);
	assert_string_equal(e.message, "invalid input syntax for type response: srs item 1 is \"\xd9\xa9\"");
}

/*
 * SRS answers run 0.0 to 10.0 in steps of 0.1: a message about 9.15 must say
 * so (the step is named whenever the scale has decimals, even at step_u 1).
 */
static void
test_bad_message_srs_step(void **state)
{
	AlError		e;

	(void) state;
	e = parse_fails("srs(9.1,9.15,7.9,8.8)", AL_ERR_RANGE);
	assert_string_equal(e.message, "srs item 2 is 9.15; answers run 0.0 to 10.0 in steps of 0.1");
}

/*
 * An unbound value with a NaN: the message is built from err->message itself
 * (response.c passes err->message as a vsnprintf argument into err->message,
 * which is undefined behaviour).  The message must read as below.
 */
static void
test_bad_message_unbound_nan(void **state)
{
	AlResponse *r = new_response();
	AlError		err;

	(void) state;
	memset(&err, 0, sizeof(err));
	assert_int_equal(al_response_parse("foo(1,NaN)", NULL, NULL, true, r, &err), AL_ERR_RANGE);
	assert_string_equal(err.message, "foo item 2 is \"NaN\": NaN is not an answer");
	assert_int_equal(al_response_parse("foo(12345678901234567890)", NULL, NULL, true, r, &err),
					 AL_ERR_RANGE);
	assert_string_equal(err.message,
						"foo item 1 is \"12345678901234567890\": value has too many digits");
	free(r);
}

/* binary input of a not-yet-defined code is as strict as text: at most 18 significant digits */
static void
test_unbound_set_item_digit_limit(void **state)
{
	AlResponse *r = new_response();
	AlError		err;
	AlDecimal	ok = {INT64_C(999999999999999999), 0};
	AlDecimal	too_big = {INT64_MAX, 0};
	AlDecimal	too_small = {INT64_MIN, 0};

	(void) state;
	memset(&err, 0, sizeof(err));
	al_response_init(r, NULL);
	snprintf(r->code, sizeof(r->code), "zzz");
	r->nitems = 2;
	assert_int_equal(al_response_set_item(r, 1, &ok, &err), AL_OK);
	assert_int_equal(al_response_set_item(r, 1, &too_big, &err), AL_ERR_RANGE);
	assert_int_equal(al_response_set_item(r, 2, &too_small, &err), AL_ERR_RANGE);
	assert_string_equal(err.message, "zzz item 2 has too many digits");
	free(r);
}

/* A NULL err is allowed: the status alone comes back. */
static void
test_bad_without_err(void **state)
{
	AlResponse *r = new_response();

	(void) state;
	assert_int_equal(al_response_parse("srs(9,9,9)", NULL, NULL, false, r, NULL), AL_ERR_SYNTAX);
	assert_int_equal(al_response_parse("srs(11,9,9,9)", NULL, NULL, false, r, NULL), AL_ERR_RANGE);
	assert_int_equal(al_response_parse("srs(NaN,9,9,9)", NULL, NULL, false, r, NULL), AL_ERR_RANGE);
	assert_int_equal(al_response_parse("foo(NaN)", NULL, NULL, true, r, NULL), AL_ERR_RANGE);
	assert_int_equal(al_response_parse("psq(0,1,null)", NULL, NULL, false, r, NULL), AL_ERR_PARAM);
	free(r);
}

/* Wrong item counts are syntax errors however long the input is. */
static void
test_bad_long_inputs(void **state)
{
	size_t		big = 100 * 1024;
	char	   *buf = malloc(big + 64);
	size_t		n;
	AlError		e;

	(void) state;
	assert_non_null(buf);

	/* ~10 kB, under the text limit: too many items */
	n = (size_t) sprintf(buf, "wai_sr(");
	for (int i = 0; i < 5000; i++)
		n += (size_t) sprintf(buf + n, "1,");
	sprintf(buf + n, "1)");
	assert_true(strlen(buf) < AL_MAX_TEXT_LEN);
	e = parse_fails(buf, AL_ERR_SYNTAX);
	assert_string_equal(e.message, "wrong number of items for wai_sr: more than 12 given, 12 expected");

	/* ~10 kB of whitespace around a valid value is still valid */
	memset(buf, ' ', 5000);
	strcpy(buf + 5000, "srs(9,9,9,9)");
	memset(buf + 5000 + 12, '\n', 5000);
	buf[10012] = '\0';
	free(parse_ok(buf));

	/* 100 kB: too many items, and over the text limit */
	n = (size_t) sprintf(buf, "srs(");
	while (n < big - 8)
		n += (size_t) sprintf(buf + n, "9,");
	sprintf(buf + n, "9)");
	assert_true(strlen(buf) >= big - 8);
	e = parse_fails(buf, AL_ERR_SYNTAX);
	assert_non_null(strstr(e.message, "input is"));

	/* 100 kB: one enormous number token */
	n = (size_t) sprintf(buf, "srs(");
	memset(buf + n, '9', big);
	strcpy(buf + n + big, ",9,9,9)");
	parse_fails(buf, AL_ERR_SYNTAX);

	/* just under the limit, an enormous number is a range error, not a crash */
	n = (size_t) sprintf(buf, "srs(");
	memset(buf + n, '9', 16000);
	strcpy(buf + n + 16000, ",9,9,9)");
	parse_fails(buf, AL_ERR_RANGE);

	/* 100 kB of a junk tail */
	n = (size_t) sprintf(buf, "srs(9,9,9,9)");
	memset(buf + n, 'x', big);
	buf[n + big] = '\0';
	parse_fails(buf, AL_ERR_SYNTAX);
	free(buf);
}

/* ===========================================================================
 * Decimal tokens
 * ========================================================================= */

static void
test_parse_decimal(void **state)
{
	AlDecimal	d;
	AlError		err;

#define DEC_OK(s, u, sc) do { \
		assert_int_equal(al_parse_decimal((s), strlen(s), &d, &err), AL_OK); \
		assert_int_equal(d.units, (u)); \
		assert_int_equal(d.scale, (sc)); \
	} while (0)
#define DEC_FAIL(s, st) assert_int_equal(al_parse_decimal((s), strlen(s), &d, &err), (st))

	(void) state;
	DEC_OK("9.1", 91, 1);
	DEC_OK("9.10", 91, 1);
	DEC_OK("0009", 9, 0);
	DEC_OK("-3.25", -325, 2);
	DEC_OK("+0.05", 5, 2);
	DEC_OK(".5", 5, 1);
	DEC_OK("5.", 5, 0);
	DEC_OK("100", 100, 0);
	DEC_OK("10.01", 1001, 2);
	DEC_OK("123456789012345678", INT64_C(123456789012345678), 0);
	DEC_OK("0.000000000000000001", 1, 18);
	DEC_FAIL("1234567890123456789", AL_ERR_RANGE);
	DEC_FAIL("0.0000000000000000001", AL_ERR_RANGE);
	DEC_FAIL("nan", AL_ERR_RANGE);
	DEC_FAIL("Infinity", AL_ERR_RANGE);
	DEC_FAIL("-inf", AL_ERR_RANGE);
	DEC_FAIL("", AL_ERR_SYNTAX);
	DEC_FAIL("-", AL_ERR_SYNTAX);
	DEC_FAIL(".", AL_ERR_SYNTAX);
	DEC_FAIL("1e2", AL_ERR_SYNTAX);
	DEC_FAIL("1,5", AL_ERR_SYNTAX);
	DEC_FAIL(" 1", AL_ERR_SYNTAX);
	DEC_FAIL("infinit", AL_ERR_SYNTAX);
#undef DEC_OK
#undef DEC_FAIL
}

/* ===========================================================================
 * Encoding
 * ========================================================================= */

static void
roundtrip(const AlResponse *r)
{
	uint8_t		buf[AL_MAX_ENCODED];
	uint8_t		again[AL_MAX_ENCODED];
	size_t		n = al_response_encode(r, buf);
	AlResponse *d = new_response();
	AlError		err;

	assert_true(n >= 2 && n <= AL_MAX_ENCODED);
	if (al_response_decode(buf, n, d, &err) != AL_OK)
		fail_msg("decode of %s failed: %s", fmt(r), err.message);
	assert_int_equal(al_response_compare(r, d), 0);
	assert_true(al_response_hash(r, 7) == al_response_hash(d, 7));
	assert_string_equal(d->code, r->code);
	assert_int_equal(d->nitems, r->nitems);
	for (int i = 0; i < r->nitems; i++)
	{
		assert_int_equal(d->present[i], r->present[i]);
		if (r->present[i])
			assert_int_equal(d->units[i], r->units[i]);
	}
	if (r->inst != NULL && r->inst->builtin_id != AL_CUSTOM)
		assert_ptr_equal(d->inst, r->inst);
	else
	{
		assert_null(d->inst);	/* custom values come back unbound */
		assert_int_equal(d->fingerprint, r->fingerprint);
		assert_int_equal(d->decimals, r->decimals);
	}
	/* canonical: re-encoding gives the same bytes */
	assert_int_equal(al_response_encode(d, again), n);
	assert_memory_equal(buf, again, n);
	free(d);
}

static void
roundtrip_text(const char *text)
{
	AlResponse *r = parse_ok(text);

	roundtrip(r);
	free(r);
}

static void
test_encode_roundtrip_builtins(void **state)
{
	(void) state;
	for (int id = 1; id <= AL_NUM_BUILTINS; id++)
	{
		const AlInstrument *inst = al_builtin_by_id(id);
		AlResponse *r = new_response();
		AlError		err;

		assert_non_null(inst);
		assert_int_equal(inst->builtin_id, id);
		assert_ptr_equal(al_builtin_by_code(inst->code), inst);

		/* every item at its minimum, at its maximum, and a walk through the range */
		for (int pattern = 0; pattern < 3; pattern++)
		{
			al_response_init(r, inst);
			for (int i = 1; i <= inst->nitems; i++)
			{
				int64_t		lo = al_item_min(inst, i),
							hi = al_item_max(inst, i),
							steps = (hi - lo) / inst->step_u;
				AlDecimal	v;

				v.scale = inst->decimals;
				v.units = pattern == 0 ? lo : pattern == 1 ? hi :
					lo + ((i * 7) % (steps + 1)) * inst->step_u;
				if (inst->is_psq && i == 1)
					v.units = 1;	/* a rupture, so items 2 and 3 may be given */
				assert_int_equal(al_response_set_item(r, i, &v, &err), AL_OK);
			}
			assert_int_equal(al_response_check(r, &err), AL_OK);
			roundtrip(r);

			/* and with missing items: every other item from the second on */
			for (int i = 2; i <= inst->nitems; i += 2)
				r->present[i - 1] = false;
			assert_int_equal(al_response_check(r, &err), AL_OK);
			roundtrip(r);
		}
		free(r);
	}
	roundtrip_text("wai_sr(4,3,5,4,5,4,4,3,5,4,4,3)");
	roundtrip_text("wai_sr(null,null,null,null,null,null,null,null,null,null,null,null)");
	roundtrip_text("wai_sr(5,3,5,4,5,4,null,3,5,4,4,3)");
	roundtrip_text("srs(9.1,8.4,7.9,8.8)");
	roundtrip_text("srs(0,null,10,null)");
	roundtrip_text("ors(4.0,5.5,6.0,4.5)");
	roundtrip_text("psq(0,null,null)");
	roundtrip_text("psq(1,null,null)");
	roundtrip_text("psq(1,5,1)");
	roundtrip_text("haq2(6,5,6,1,5,6,5,2,6,5,1,6,5,6,5,2,4,6,null)");
	roundtrip_text("tasc_r(4,1,4,3,2,4,1,1,3,4,2,4)");
	roundtrip_text("arm5(null,6,2,7,5)");
	roundtrip_text("wai_s(6,5,7,2,6,6,7,6,6,5,5,6)");
}

static void
test_encode_size(void **state)
{
	uint8_t		buf[AL_MAX_ENCODED];
	AlResponse *r;

	(void) state;
	/* payload + 4-byte varlena header <= 16 bytes */
	r = parse_ok("wai_sr(4,3,5,4,5,4,4,3,5,4,4,3)");
	assert_int_equal(al_response_encode(r, buf), 7);	/* 2 + ceil(12 * 3 / 8) */
	assert_int_equal(buf[0], AL_FORMAT_VERSION << 4);
	assert_int_equal(buf[1], AL_WAI_SR);
	free(r);
	r = parse_ok("wai_sr(null,null,null,null,null,null,null,null,null,null,null,null)");
	assert_true(al_response_encode(r, buf) <= 12);
	free(r);
	r = parse_ok("srs(10,10,10,10)");
	assert_int_equal(al_response_encode(r, buf), 6);	/* 2 + ceil(4 * 7 / 8) */
	assert_int_equal(buf[1], AL_SRS);
	free(r);
	r = parse_ok("ors(10,10,10,10)");
	assert_true(al_response_encode(r, buf) <= 12);
	free(r);
	r = parse_ok("psq(1,5,5)");
	assert_int_equal(al_response_encode(r, buf), 4);	/* 2 + ceil(3 * 3 / 8) */
	free(r);
	r = parse_ok("wai(4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4)");
	assert_int_equal(al_response_encode(r, buf), 16);	/* 2 + ceil(36 * 3 / 8): codes 0..7 */
	free(r);
}

/* the documented bit layout, byte by byte */
static void
test_encode_layout(void **state)
{
	uint8_t		buf[AL_MAX_ENCODED];
	AlResponse *r;

	(void) state;
	/* psq(1,5,1): codes 2, 5, 1 at 3 bits: 2 | 5<<3 | 1<<6 = 0x6a, then 0 */
	r = parse_ok("psq(1,5,1)");
	assert_int_equal(al_response_encode(r, buf), 4);
	assert_int_equal(buf[0], 0x10);
	assert_int_equal(buf[1], AL_PSQ);
	assert_int_equal(buf[2], 0x6a);
	assert_int_equal(buf[3], 0x00);
	free(r);
	/* srs(0.0,10.0,null,0.1): codes 1, 101, 0, 2 at 7 bits */
	r = parse_ok("srs(0,10,null,0.1)");
	assert_int_equal(al_response_encode(r, buf), 6);
	assert_int_equal(buf[2], (uint8_t) (1 | (101 << 7)));
	assert_int_equal(buf[3], (uint8_t) (101 >> 1));
	assert_int_equal(buf[4], (uint8_t) (2 << 5));	/* item 4 starts at bit 21 */
	assert_int_equal(buf[5], 0x00);
	free(r);
}

static void
expect_corrupt(const uint8_t *buf, size_t len)
{
	AlResponse *d = new_response();
	AlError		err;

	memset(&err, 0, sizeof(err));
	assert_int_equal(al_response_decode(buf, len, d, &err), AL_ERR_CORRUPT);
	assert_int_equal(err.status, AL_ERR_CORRUPT);
	assert_non_null(strstr(err.message, "stored response is corrupted"));
	free(d);
}

static void
test_decode_corrupt_builtin(void **state)
{
	uint8_t		good[AL_MAX_ENCODED],
				b[AL_MAX_ENCODED + 1];
	AlResponse *r = parse_ok("wai_sr(4,3,5,4,5,4,4,3,5,4,4,3)");
	size_t		n = al_response_encode(r, good);
	AlResponse *d = new_response();
	AlError		err;

	(void) state;
	assert_int_equal(n, 7);
	assert_int_equal(al_response_decode(good, n, d, &err), AL_OK);

	expect_corrupt(good, 0);
	expect_corrupt(good, 1);
	/* wrong version */
	memcpy(b, good, n); b[0] = 0x20; expect_corrupt(b, n);
	memcpy(b, good, n); b[0] = 0x00; expect_corrupt(b, n);
	memcpy(b, good, n); b[0] = 0xf0; expect_corrupt(b, n);
	/* unknown flags */
	memcpy(b, good, n); b[0] = 0x12; expect_corrupt(b, n);
	memcpy(b, good, n); b[0] = 0x18; expect_corrupt(b, n);
	/* bad built-in id */
	memcpy(b, good, n); b[1] = 0; expect_corrupt(b, n);
	memcpy(b, good, n); b[1] = 10; expect_corrupt(b, n);
	memcpy(b, good, n); b[1] = 255; expect_corrupt(b, n);
	/* another built-in's id makes the length wrong (srs payload is 4 bytes) */
	memcpy(b, good, n); b[1] = AL_SRS; expect_corrupt(b, n);
	/* wrong length */
	expect_corrupt(good, n - 1);
	memcpy(b, good, n); b[n] = 0; expect_corrupt(b, n + 1);
	/* non-zero padding: 36 bits used of 40 */
	memcpy(b, good, n); b[6] |= 0x10; expect_corrupt(b, n);
	memcpy(b, good, n); b[6] |= 0x80; expect_corrupt(b, n);
	/* out-of-range code: item 1 code 6 (value 6) and 7 */
	memcpy(b, good, n); b[2] = (uint8_t) ((b[2] & ~7) | 6); expect_corrupt(b, n);
	memcpy(b, good, n); b[2] = (uint8_t) ((b[2] & ~7) | 7); expect_corrupt(b, n);
	free(r);

	/* SRS: codes above 101 */
	r = parse_ok("srs(9.1,8.4,7.9,8.8)");
	n = al_response_encode(r, good);
	memcpy(b, good, n); b[2] = (uint8_t) ((b[2] & 0x80) | 102); expect_corrupt(b, n);
	memcpy(b, good, n); b[2] = (uint8_t) ((b[2] & 0x80) | 127); expect_corrupt(b, n);
	memcpy(b, good, n); b[5] |= 0x80; expect_corrupt(b, n);	/* padding: 28 of 32 bits */
	free(r);

	/* PSQ: bytes that break its rules (no item 1; no rupture with intensity) */
	r = parse_ok("psq(1,5,1)");
	n = al_response_encode(r, good);
	memcpy(b, good, n); b[2] &= (uint8_t) ~7; expect_corrupt(b, n);	/* item 1 missing */
	memcpy(b, good, n); b[2] = (uint8_t) ((b[2] & ~7) | 1); expect_corrupt(b, n);	/* 0 + intensity */
	memcpy(b, good, n); b[2] = (uint8_t) ((b[2] & ~7) | 3); expect_corrupt(b, n);	/* present = 2 */
	memcpy(b, good, n); b[2] = (uint8_t) ((b[2] & ~0x38) | (6 << 3)); expect_corrupt(b, n);	/* intensity 6 */
	free(r);
	free(d);
}

/* ===========================================================================
 * Custom instruments: encoding, unbound values, binding
 * ========================================================================= */

static void
test_custom_fingerprint(void **state)
{
	(void) state;
	assert_true(al_instrument_fingerprint(&mood) == al_instrument_fingerprint(&mood));
	assert_true(al_instrument_fingerprint(&mood) != al_instrument_fingerprint(&mood_other));
	/* a name is not scoring-relevant; a code is */
	{
		AlInstrument renamed = mood;

		renamed.name = "another name";
		assert_true(al_instrument_fingerprint(&renamed) == al_instrument_fingerprint(&mood));
		renamed.code = "mood2";
		assert_true(al_instrument_fingerprint(&renamed) != al_instrument_fingerprint(&mood));
	}
	assert_int_equal(al_code_hash(""), 2166136261u);	/* FNV-1a offset basis */
	assert_int_equal(al_code_hash("a"), 0xe40c292cu);	/* FNV-1a 32 of "a" */
}

static void
test_custom_encode_bound(void **state)
{
	AlResponse *r = parse_ok("mood(1.5,null,5)");
	uint8_t		buf[AL_MAX_ENCODED];
	size_t		n;
	AlResponse *d = new_response();
	AlError		err;
	uint32_t	fp = (uint32_t) al_instrument_fingerprint(&mood);

	(void) state;
	assert_ptr_equal(r->inst, &mood);
	assert_int_equal(r->decimals, 1);
	assert_int_equal(r->fingerprint, fp);
	assert_string_equal(fmt(r), "mood(1.5,null,5.0)");
	roundtrip(r);

	n = al_response_encode(r, buf);
	/* header, code, count, decimals, 3 varints (15 -> 31, missing -> 0, 50 -> 101) */
	assert_int_equal(n, 11 + 4 + 2 + 3);
	assert_int_equal(buf[0], (AL_FORMAT_VERSION << 4) | AL_FMT_CUSTOM);
	assert_int_equal(buf[1], 0);
	assert_int_equal(buf[2] | buf[3] << 8 | buf[4] << 16 | (uint32_t) buf[5] << 24, al_code_hash("mood"));
	assert_int_equal(buf[6] | buf[7] << 8 | buf[8] << 16 | (uint32_t) buf[9] << 24, fp);
	assert_int_equal(buf[10], 4);
	assert_memory_equal(buf + 11, "mood", 4);
	assert_int_equal(buf[15], 3);
	assert_int_equal(buf[16], 1);
	assert_int_equal(buf[17], 31);
	assert_int_equal(buf[18], 0);
	assert_int_equal(buf[19], 101);

	/* decode gives an unbound value carrying the fingerprint; bind restores it */
	assert_int_equal(al_response_decode(buf, n, d, &err), AL_OK);
	assert_null(d->inst);
	assert_int_equal(d->fingerprint, fp);
	assert_int_equal(al_response_bind(d, &mood, &err), AL_OK);
	assert_ptr_equal(d->inst, &mood);
	assert_int_equal(al_response_compare(d, r), 0);
	assert_string_equal(fmt(d), "mood(1.5,null,5.0)");

	/* a different definition of the code: fingerprint mismatch */
	assert_int_equal(al_response_decode(buf, n, d, &err), AL_OK);
	memset(&err, 0, sizeof(err));
	assert_int_equal(al_response_bind(d, &mood_other, &err), AL_ERR_PARAM);
	assert_string_equal(err.message, "mood value was stored under a different definition of mood");
	assert_null(d->inst);		/* left as it was */
	free(r);
	free(d);
}

static void
test_custom_unbound_and_bind(void **state)
{
	AlResponse *u = parse_ok_with("mood(1, 2, null)", null_resolver, true);
	AlResponse *b = parse_ok("mood(1,2,null)");
	AlError		err;

	(void) state;
	assert_null(u->inst);
	assert_int_equal(u->fingerprint, 0);
	assert_int_equal(u->decimals, 0);
	assert_int_equal(u->units[0], 1);
	assert_int_equal(u->units[1], 2);
	assert_string_equal(fmt(u), "mood(1,2,null)");
	roundtrip(u);

	/* equal to the bound value despite the different decimals, and hashes alike */
	assert_int_equal(b->decimals, 1);
	assert_int_equal(b->units[0], 10);
	assert_string_equal(fmt(b), "mood(1.0,2.0,null)");
	assert_int_equal(al_response_compare(u, b), 0);
	assert_int_equal(al_response_compare(b, u), 0);
	assert_true(al_response_hash(u, 0) == al_response_hash(b, 0));
	assert_true(al_response_hash(u, 12345) == al_response_hash(b, 12345));

	/* an unbound value binds to any definition that accepts its items */
	assert_int_equal(al_response_bind(u, &mood, &err), AL_OK);
	assert_ptr_equal(u->inst, &mood);
	assert_int_equal(u->decimals, 1);
	assert_int_equal(u->units[0], 10);
	assert_int_equal(u->units[1], 20);
	assert_int_equal(u->fingerprint, (uint32_t) al_instrument_fingerprint(&mood));
	assert_string_equal(fmt(u), "mood(1.0,2.0,null)");
	/* binding twice is a no-op */
	assert_int_equal(al_response_bind(u, &mood, &err), AL_OK);
	assert_int_equal(al_response_compare(u, b), 0);
	free(u);

	/* finer unbound decimals (1.5 kept as 1500 at 3 decimals) bind too */
	{
		uint8_t		buf[AL_MAX_ENCODED];
		AlResponse *d = new_response();
		AlResponse *h = new_response();
		size_t		n;

		al_response_init(h, NULL);
		strcpy(h->code, "mood");
		h->nitems = 3;
		h->decimals = 3;
		h->present[0] = h->present[2] = true;
		h->units[0] = 1500;
		h->units[2] = 5000;
		assert_string_equal(fmt(h), "mood(1.500,null,5.000)");
		n = al_response_encode(h, buf);
		assert_int_equal(al_response_decode(buf, n, d, &err), AL_OK);
		assert_int_equal(d->fingerprint, 0);
		assert_int_equal(d->decimals, 3);
		assert_int_equal(al_response_compare(d, h), 0);
		assert_int_equal(al_response_bind(d, &mood_other, &err), AL_OK);
		assert_int_equal(d->decimals, 1);
		assert_string_equal(fmt(d), "mood(1.5,null,5.0)");
		assert_int_equal(al_response_compare(d, h), 0);
		assert_true(al_response_hash(d, 0) == al_response_hash(h, 0));
		free(d);
		free(h);
	}

	/* binding validates as input does */
	u = parse_ok_with("mood(1.25,1,1)", NULL, true);
	memset(&err, 0, sizeof(err));
	assert_int_equal(al_response_bind(u, &mood, &err), AL_ERR_RANGE);
	assert_string_equal(err.message, "mood item 1 is 1.25; answers run 0.0 to 5.0 in steps of 0.5");
	free(u);
	u = parse_ok_with("mood(1,1,6)", NULL, true);
	assert_int_equal(al_response_bind(u, &mood, &err), AL_ERR_RANGE);
	assert_string_equal(err.message, "mood item 3 is 6; answers run 0.0 to 5.0 in steps of 0.5");
	free(u);
	u = parse_ok_with("mood(1,1)", NULL, true);
	assert_int_equal(al_response_bind(u, &mood, &err), AL_ERR_PARAM);
	assert_string_equal(err.message, "mood value has 2 items; the definition has 3");
	free(u);
	free(b);
}

static void
test_decode_corrupt_custom(void **state)
{
	AlResponse *r = parse_ok("mood(1.5,null,5)");
	uint8_t		good[AL_MAX_ENCODED],
				b[AL_MAX_ENCODED + 8];
	size_t		n = al_response_encode(r, good);

	(void) state;
	assert_int_equal(n, 20);
	memcpy(b, good, n); b[0] = 0x21; expect_corrupt(b, n);	/* version 2 */
	memcpy(b, good, n); b[0] = 0x11; b[1] = 1; expect_corrupt(b, n);	/* custom with an id */
	memcpy(b, good, n); b[2] ^= 1; expect_corrupt(b, n);	/* code hash */
	memcpy(b, good, n); b[10] = 0; expect_corrupt(b, n);	/* code length 0 */
	memcpy(b, good, n); b[10] = 32; expect_corrupt(b, n);	/* longer than a code */
	memcpy(b, good, n); b[10] = 200; expect_corrupt(b, n);
	memcpy(b, good, n); b[11] = 'M'; expect_corrupt(b, n);	/* upper case is not canonical */
	memcpy(b, good, n); b[11] = '1'; expect_corrupt(b, n);	/* not a code */
	memcpy(b, good, n); b[15] = 0; expect_corrupt(b, n);	/* no items */
	memcpy(b, good, n); b[15] = 4; expect_corrupt(b, n);	/* more items than bytes */
	memcpy(b, good, n); b[15] = 2; expect_corrupt(b, n);	/* trailing bytes */
	memcpy(b, good, n); b[16] = 19; expect_corrupt(b, n);	/* decimals */
	memcpy(b, good, n); b[19] = 0x80; expect_corrupt(b, n);	/* truncated varint */
	memcpy(b, good, n); b[n] = 0; expect_corrupt(b, n + 1);	/* trailing byte */
	expect_corrupt(good, n - 1);
	expect_corrupt(good, 12);
	/* an eleven-byte varint is too long */
	{
		size_t		m = 0;

		memcpy(b, good, 15);
		m = 15;
		b[m++] = 1;
		b[m++] = 0;
		for (int i = 0; i < 10; i++)
			b[m++] = 0xff;
		b[m++] = 0x01;
		expect_corrupt(b, m);
	}
	free(r);
}

/*
 * The stored form is canonical: every value has exactly one encoding, so a
 * decoded value re-encodes to the bytes it came from.  An over-long varint
 * (0x80 0x00 for 0, or 0x9f 0x00 for 31) spells a value a second way and
 * must be rejected.  (Fails today: get_varint accepts padding bytes.)
 */
static void
test_decode_rejects_overlong_varint(void **state)
{
	AlResponse *r = parse_ok("mood(1.5,null,5)");
	uint8_t		good[AL_MAX_ENCODED],
				b[AL_MAX_ENCODED + 8];
	size_t		n = al_response_encode(r, good);

	(void) state;
	/* item 3 (101) written as 0xe5 0x00 */
	memcpy(b, good, n);
	b[19] = 101 | 0x80;
	b[20] = 0x00;
	expect_corrupt(b, n + 1);
	/* a ten-byte varint whose last byte carries bits beyond 64 */
	memcpy(b, good, 17);
	b[17] = 31;
	b[18] = 0;
	for (int i = 0; i < 9; i++)
		b[19 + i] = 0xff;
	b[28] = 0x7f;
	expect_corrupt(b, 29);
	free(r);
}

/*
 * A custom-format value (flag AL_FMT_CUSTOM) that names a built-in code is
 * bytes the encoder never writes (built-ins always resolve, so are never
 * unbound) and a second spelling of a built-in value: corrupt.  (Fails
 * today: the custom branch of al_response_decode accepts any valid code.)
 */
static void
test_decode_rejects_custom_builtin_code(void **state)
{
	AlResponse *h = new_response();
	AlResponse *d = new_response();
	uint8_t		buf[AL_MAX_ENCODED];
	size_t		n;
	AlError		err;

	(void) state;
	al_response_init(h, NULL);
	strcpy(h->code, "srs");
	h->nitems = 4;
	h->decimals = 1;
	for (int i = 0; i < 4; i++)
	{
		h->present[i] = true;
		h->units[i] = 90;
	}
	n = al_response_encode(h, buf);
	assert_int_equal(buf[0], (AL_FORMAT_VERSION << 4) | AL_FMT_CUSTOM);
	memset(&err, 0, sizeof(err));
	assert_int_equal(al_response_decode(buf, n, d, &err), AL_ERR_CORRUPT);
	free(h);
	free(d);
}

/* ===========================================================================
 * Comparison and hashing
 * ========================================================================= */

static void
test_compare_equal_spellings(void **state)
{
	AlResponse *a = parse_ok("srs(9,9,9,9)");
	AlResponse *b = parse_ok("srs(9.0,9.0,9.0,9.0)");
	AlResponse *c = parse_ok(" SRS( 9.00 ,+9, 09 ,9. ) ");

	(void) state;
	assert_int_equal(al_response_compare(a, b), 0);
	assert_int_equal(al_response_compare(b, c), 0);
	assert_true(al_response_hash(a, 0) == al_response_hash(b, 0));
	assert_true(al_response_hash(a, 0) == al_response_hash(c, 0));
	assert_true(al_response_hash(a, 99) == al_response_hash(c, 99));
	/* the seed matters, and so does any item */
	assert_true(al_response_hash(a, 0) != al_response_hash(a, 1));
	free(c);
	c = parse_ok("srs(9,9,9,8.9)");
	assert_true(al_response_hash(a, 0) != al_response_hash(c, 0));
	free(c);
	c = parse_ok("srs(9,9,9,null)");
	assert_true(al_response_hash(a, 0) != al_response_hash(c, 0));
	free(a);
	free(b);
	free(c);
}

static const char *const sorted_texts[] = {
	/* code first (strcmp order) ... */
	"arm5(1,1,1,1,1)",
	"mood(0.0,0.0,0.0)",
	"mood(0.0,0.0,null)",
	"mood(0.5,0.0,0.0)",
	"mood(null,0.0,0.0)",
	"mood(null,null,null)",
	"ors(10.0,10.0,10.0,10.0)",
	"psq(0,null,null)",
	"psq(1,1,5)",
	"psq(1,5,1)",
	"psq(1,5,null)",
	"psq(1,null,1)",
	"psq(1,null,null)",
	"srs(0.0,0.0,0.0,0.0)",
	"srs(8.9,10.0,10.0,10.0)",
	"srs(9.0,0.0,0.0,0.0)",
	"srs(9.0,9.0,9.0,9.0)",
	"srs(9.0,9.0,9.0,9.1)",
	"srs(9.0,9.0,9.0,null)",
	"srs(null,0.0,0.0,0.0)",
	"wai_s(1,1,1,1,1,1,1,1,1,1,1,1)",
	"wai_sr(1,5,5,5,5,5,5,5,5,5,5,5)",
	"wai_sr(2,1,1,1,1,1,1,1,1,1,1,1)",
	"wai_sr(5,5,5,5,5,5,5,5,5,5,5,5)",
	"wai_sr(null,1,1,1,1,1,1,1,1,1,1,1)",
};

static int
qsort_cmp(const void *a, const void *b)
{
	return al_response_compare(*(AlResponse *const *) a, *(AlResponse *const *) b);
}

static void
test_compare_total_order(void **state)
{
	int			n = NELEM(sorted_texts);
	AlResponse *rs[NELEM(sorted_texts)];
	AlResponse *shuffled[NELEM(sorted_texts)];

	(void) state;
	for (int i = 0; i < n; i++)
		rs[i] = parse_ok(sorted_texts[i]);
	/* every pair compares as its position says: antisymmetric and transitive */
	for (int i = 0; i < n; i++)
		for (int j = 0; j < n; j++)
		{
			int			c = al_response_compare(rs[i], rs[j]);
			int			want = i < j ? -1 : i > j ? 1 : 0;

			if (c != want)
				fail_msg("compare(%s, %s) = %d, want %d", sorted_texts[i], sorted_texts[j], c, want);
		}
	/* sorting a shuffled copy gives the list back */
	for (int i = 0; i < n; i++)
		shuffled[i] = rs[(i * 7 + 3) % n];	/* 7 is coprime with n */
	qsort(shuffled, (size_t) n, sizeof(shuffled[0]), qsort_cmp);
	for (int i = 0; i < n; i++)
		assert_string_equal(fmt(shuffled[i]), sorted_texts[i]);
	for (int i = 0; i < n; i++)
		free(rs[i]);
}

static void
test_compare_unbound(void **state)
{
	AlResponse *a = parse_ok_with("zz(1,2)", NULL, true);
	AlResponse *b = parse_ok_with("zz(1,2,0)", NULL, true);
	AlResponse *c = parse_ok_with("zz(1.0,2.00)", NULL, true);
	AlResponse *d = parse_ok_with("zz(1,-2)", NULL, true);
	AlResponse *e = parse_ok_with("zz(0.999,2)", NULL, true);

	(void) state;
	/* a shorter value with an equal prefix sorts first */
	assert_int_equal(al_response_compare(a, b), -1);
	assert_int_equal(al_response_compare(b, a), 1);
	/* different decimals, same value */
	assert_int_equal(al_response_compare(a, c), 0);
	assert_true(al_response_hash(a, 3) == al_response_hash(c, 3));
	/* negative values and finer decimals order numerically */
	assert_int_equal(al_response_compare(d, a), -1);
	assert_int_equal(al_response_compare(e, a), -1);
	assert_int_equal(al_response_compare(a, e), 1);
	free(a);
	free(b);
	free(c);
	free(d);
	free(e);
}

/* ===========================================================================
 * Catalogue helpers used by the response code
 * ========================================================================= */

static void
test_catalogue(void **state)
{
	char		out[AL_MAX_CODE_LEN + 1];
	AlError		err;
	static const char *const codes[] = {
		"wai_sr", "wai", "wai_s", "srs", "ors", "haq2", "arm5", "tasc_r", "psq"
	};

	(void) state;
	for (int i = 0; i < AL_NUM_BUILTINS; i++)
	{
		assert_string_equal(al_builtin_by_id(i + 1)->code, codes[i]);
		assert_ptr_equal(al_builtin_by_code(codes[i]), al_builtin_by_id(i + 1));
	}
	assert_null(al_builtin_by_id(0));
	assert_null(al_builtin_by_id(10));
	assert_null(al_builtin_by_code("SRS"));	/* exact, lower case */
	assert_null(al_builtin_by_code("foo"));
	assert_ptr_equal(al_resolve("mood", mood_resolver, NULL), &mood);
	assert_ptr_equal(al_resolve("srs", null_resolver, NULL), al_builtin_by_code("srs"));
	assert_null(al_resolve("mood", NULL, NULL));

	assert_int_equal(al_normalize_code("Wai_SR", 6, out, &err), AL_OK);
	assert_string_equal(out, "wai_sr");
	assert_int_equal(al_normalize_code("a234567890123456789012345678901", 31, out, &err), AL_OK);
	assert_int_equal(al_normalize_code("a2345678901234567890123456789012", 32, out, &err), AL_ERR_SYNTAX);
	assert_int_equal(al_normalize_code("", 0, out, &err), AL_ERR_SYNTAX);
	assert_int_equal(al_normalize_code("1a", 2, out, &err), AL_ERR_SYNTAX);
	assert_int_equal(al_normalize_code("a-b", 3, out, &err), AL_ERR_SYNTAX);

	/* per-item ranges (PSQ) */
	assert_int_equal(al_item_min(al_builtin_by_code("psq"), 1), 0);
	assert_int_equal(al_item_max(al_builtin_by_code("psq"), 1), 1);
	assert_int_equal(al_item_min(al_builtin_by_code("psq"), 3), 1);
	assert_int_equal(al_item_max(al_builtin_by_code("psq"), 3), 5);
	assert_int_equal(al_item_max(al_builtin_by_code("srs"), 2), 100);
	assert_int_equal(al_pow10(0), 1);
	assert_int_equal(al_pow10(18), INT64_C(1000000000000000000));
}

static void
test_format_small_buffer(void **state)
{
	AlResponse *r = parse_ok("srs(9.1,8.4,7.9,8.8)");
	char		buf[64];

	(void) state;
	/* "srs(9.1,8.4,7.9,8.8)" is 20 characters: 21 bytes needed */
	assert_int_equal(al_response_format(r, buf, 21), 20);
	assert_string_equal(buf, "srs(9.1,8.4,7.9,8.8)");
	for (size_t len = 1; len <= 20; len++)
		assert_int_equal(al_response_format(r, buf, len), -1);
	assert_int_equal(al_format_units(-305, 2, buf, sizeof(buf)), 5);
	assert_string_equal(buf, "-3.05");
	assert_int_equal(al_format_units(7, 0, buf, sizeof(buf)), 1);
	assert_string_equal(buf, "7");
	free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_every_builtin),
		cmocka_unit_test(test_parse_item_values),
		cmocka_unit_test(test_parse_case_insensitive_code),
		cmocka_unit_test(test_parse_number_spellings),
		cmocka_unit_test(test_parse_whitespace),
		cmocka_unit_test(test_parse_null_items),
		cmocka_unit_test(test_parse_stable_roundtrip),
		cmocka_unit_test(test_parse_unbound_custom),
		cmocka_unit_test(test_parse_unbound_item_limit),
		cmocka_unit_test(test_bad_syntax),
		cmocka_unit_test(test_bad_range),
		cmocka_unit_test(test_bad_param),
		cmocka_unit_test(test_bad_messages),
		cmocka_unit_test(test_bad_message_srs_step),
		cmocka_unit_test(test_bad_message_unbound_nan),
		cmocka_unit_test(test_unbound_set_item_digit_limit),
		cmocka_unit_test(test_bad_without_err),
		cmocka_unit_test(test_bad_long_inputs),
		cmocka_unit_test(test_parse_decimal),
		cmocka_unit_test(test_encode_roundtrip_builtins),
		cmocka_unit_test(test_encode_size),
		cmocka_unit_test(test_encode_layout),
		cmocka_unit_test(test_decode_corrupt_builtin),
		cmocka_unit_test(test_custom_fingerprint),
		cmocka_unit_test(test_custom_encode_bound),
		cmocka_unit_test(test_custom_unbound_and_bind),
		cmocka_unit_test(test_decode_corrupt_custom),
		cmocka_unit_test(test_decode_rejects_overlong_varint),
		cmocka_unit_test(test_decode_rejects_custom_builtin_code),
		cmocka_unit_test(test_compare_equal_spellings),
		cmocka_unit_test(test_compare_total_order),
		cmocka_unit_test(test_compare_unbound),
		cmocka_unit_test(test_catalogue),
		cmocka_unit_test(test_format_small_buffer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
