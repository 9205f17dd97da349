/*
 * test_fhir_match.c — unit tests for src/core/fhir_match.c: which item a
 * FHIR linkId names (link_ids, then number, then label) and which code a
 * Questionnaire canonical names.
 *
 * Build and run:
 *   gcc -std=gnu99 -Wall -Wextra -Werror -Isrc/core test/unit/test_fhir_match.c \
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

#include "fhir_datetime.h"
#include "fhir_match.h"
#include "instrument.h"

/*
 * A custom instrument with its own linkIds and labels, one label a suffix of
 * another ("mood" and "low-mood") and a NULL linkId slot.
 */
static const char *const chk_link_ids[] = {"q-alpha", "Q-Beta", NULL, "x9"};
static const char *const chk_labels[] = {"mood", "low-mood", "sleep", NULL};
static const AlInstrument chk = {
	.code = "chk", .name = "test checklist", .citation = "none", .evidence = "R",
	.builtin_id = AL_CUSTOM, .nitems = 4, .decimals = 0,
	.min_u = 0, .max_u = 3, .step_u = 1,
	.goal_scale = -1, .task_scale = -1, .bond_scale = -1,
	.min_answered_num = 3, .min_answered_den = 4, .score = AL_SCORE_TOTAL,
	.item_labels = chk_labels, .link_ids = chk_link_ids,
};

static void
expect(const AlInstrument *inst, const char *link_id, int item, AlFhirRule rule)
{
	AlFhirRule	got_rule = (AlFhirRule) 99;
	int			got = al_fhir_match_item_n(inst, link_id, strlen(link_id), true, &got_rule);

	if (got != item || got_rule != rule)
		fail_msg("linkId \"%s\" on %s: got item %d by rule %d, expected item %d by rule %d",
				 link_id, inst->code, got, (int) got_rule, item, (int) rule);
	assert_int_equal(al_fhir_match_item(inst, link_id), item);
}

/* out of the instrument's scope: only linkIds that name the instrument match */
static void
expect_out(const AlInstrument *inst, const char *link_id, int item)
{
	int			got = al_fhir_match_item_n(inst, link_id, strlen(link_id), false, NULL);

	if (got != item)
		fail_msg("linkId \"%s\" on %s out of scope: got item %d, expected %d", link_id, inst->code, got, item);
}

static void
test_numbers(void **state)
{
	const AlInstrument *waisr = al_builtin_by_code("wai_sr");

	(void) state;
	expect(waisr, "7", 7, AL_FHIR_BY_NUMBER);
	expect(waisr, "waisr-7", 7, AL_FHIR_BY_NUMBER);
	expect(waisr, "waisr_7", 7, AL_FHIR_BY_NUMBER);
	expect(waisr, "WAI-SR-12", 12, AL_FHIR_BY_NUMBER);
	expect(waisr, "q-07", 7, AL_FHIR_BY_NUMBER);
	expect(waisr, "item_7", 7, AL_FHIR_BY_NUMBER);
	expect(waisr, "Question-7", 7, AL_FHIR_BY_NUMBER);
	expect(waisr, "-1", 1, AL_FHIR_BY_NUMBER);
	expect(waisr, "wai_sr-7", 7, AL_FHIR_BY_NUMBER);
	expect(waisr, "wai-sr_7", 7, AL_FHIR_BY_NUMBER);
	/* a prefix that names something else is never this instrument's item */
	expect(waisr, "phq9-7", 0, AL_FHIR_NO_MATCH);
	expect(waisr, "comment-7", 0, AL_FHIR_NO_MATCH);
	expect(waisr, "visit_7", 0, AL_FHIR_NO_MATCH);
	expect(waisr, "srs-3", 0, AL_FHIR_NO_MATCH);
	expect(waisr, "1", 1, AL_FHIR_BY_NUMBER);
	expect(waisr, "12", 12, AL_FHIR_BY_NUMBER);
	/* out of range, zero, no separator, no digits */
	expect(waisr, "13", 0, AL_FHIR_NO_MATCH);
	expect(waisr, "waisr-13", 0, AL_FHIR_NO_MATCH);
	expect(waisr, "0", 0, AL_FHIR_NO_MATCH);
	expect(waisr, "waisr-0", 0, AL_FHIR_NO_MATCH);
	expect(waisr, "waisr7", 0, AL_FHIR_NO_MATCH);
	expect(waisr, "waisr.7", 0, AL_FHIR_NO_MATCH);
	expect(waisr, "waisr-", 0, AL_FHIR_NO_MATCH);
	expect(waisr, "waisr-7a", 0, AL_FHIR_NO_MATCH);
	expect(waisr, "1.7", 0, AL_FHIR_NO_MATCH);
	expect(waisr, "99999999999999999999999999999999999999_1", 0, AL_FHIR_NO_MATCH);
	expect(waisr, "waisr-99999999999999999999999999999999999999", 0, AL_FHIR_NO_MATCH);
	expect(waisr, "waisr-0000000000000000000000000000000000000012", 12, AL_FHIR_BY_NUMBER);
	expect(waisr, "", 0, AL_FHIR_NO_MATCH);
	/* group ids such as g1 never read as items (the skin never matches groups either) */
	expect(waisr, "g1", 0, AL_FHIR_NO_MATCH);
}

static void
test_loinc_guard(void **state)
{
	const AlInstrument *waisr = al_builtin_by_code("wai_sr");

	(void) state;
	expect(waisr, "44250-9", 0, AL_FHIR_NO_MATCH);
	expect(waisr, "/44249-1/44250-9", 0, AL_FHIR_NO_MATCH);
	expect(waisr, "/44250-9", 0, AL_FHIR_NO_MATCH);
	expect(waisr, "8302-2", 0, AL_FHIR_NO_MATCH);
	/* not LOINC-shaped, but a number before the item number names no instrument either */
	expect(waisr, "12-3", 0, AL_FHIR_NO_MATCH);
	expect(waisr, "123_4", 0, AL_FHIR_NO_MATCH);
	expect(waisr, "123-10", 0, AL_FHIR_NO_MATCH);
	expect(waisr, "q123-4", 0, AL_FHIR_NO_MATCH);
}

static void
test_labels(void **state)
{
	const AlInstrument *srs = al_builtin_by_code("srs");
	const AlInstrument *ors = al_builtin_by_code("ors");
	const AlInstrument *psq = al_builtin_by_code("psq");
	const AlInstrument *waisr = al_builtin_by_code("wai_sr");

	(void) state;
	expect(srs, "srs-relationship", 1, AL_FHIR_BY_LABEL);
	expect(srs, "relationship", 1, AL_FHIR_BY_LABEL);
	expect(srs, "srs_relationship", 1, AL_FHIR_BY_LABEL);
	expect(srs, "SRS-Goals", 2, AL_FHIR_BY_LABEL);
	expect(srs, "srs-approach", 3, AL_FHIR_BY_LABEL);
	expect(srs, "srs-overall", 4, AL_FHIR_BY_LABEL);
	expect(srs, "srsoverall", 0, AL_FHIR_NO_MATCH);
	expect(srs, "overall-srs", 0, AL_FHIR_NO_MATCH);
	expect(srs, "srs-goal", 0, AL_FHIR_NO_MATCH);
	expect(srs, "srs-3", 3, AL_FHIR_BY_NUMBER);
	expect(ors, "ors-interpersonal", 2, AL_FHIR_BY_LABEL);
	expect(ors, "srs-relationship", 0, AL_FHIR_NO_MATCH);
	expect(psq, "psq-present", 1, AL_FHIR_BY_LABEL);
	expect(psq, "rupture_resolution", 0, AL_FHIR_NO_MATCH);	/* "rupture" names no instrument */
	expect(psq, "resolution", 3, AL_FHIR_BY_LABEL);
	/* a PCOMS response: each "overall" is its own instrument's */
	expect(srs, "ors-overall", 0, AL_FHIR_NO_MATCH);
	expect(ors, "ors-overall", 4, AL_FHIR_BY_LABEL);
	expect(srs, "q-overall", 4, AL_FHIR_BY_LABEL);
	expect(psq, "psq-4", 0, AL_FHIR_NO_MATCH);
	/* instruments without labels match numbers only */
	expect(waisr, "waisr-bond", 0, AL_FHIR_NO_MATCH);
}

static void
test_custom_link_ids_first(void **state)
{
	(void) state;
	expect(&chk, "q-alpha", 1, AL_FHIR_BY_LINK_ID);
	expect(&chk, "Q-Beta", 2, AL_FHIR_BY_LINK_ID);
	expect(&chk, "q-beta", 0, AL_FHIR_NO_MATCH);	/* linkIds are case-sensitive */
	/* "x9" is item 4's linkId: the link_ids rule wins over a number rule */
	expect(&chk, "x9", 4, AL_FHIR_BY_LINK_ID);
	/* then numbers, then labels */
	expect(&chk, "chk-3", 3, AL_FHIR_BY_NUMBER);
	expect(&chk, "3", 3, AL_FHIR_BY_NUMBER);
	expect(&chk, "chk-mood", 1, AL_FHIR_BY_LABEL);
	/* longest label wins: "chk-low-mood" ends with "-mood" and with "-low-mood" */
	expect(&chk, "chk-low-mood", 2, AL_FHIR_BY_LABEL);
	expect(&chk, "low-mood", 2, AL_FHIR_BY_LABEL);
	expect(&chk, "chk_low_mood", 0, AL_FHIR_NO_MATCH);	/* "low_mood" is not the label "low-mood", "chk_low" no prefix */
	expect(&chk, "x-low-mood", 0, AL_FHIR_NO_MATCH);	/* "x" names no instrument */
	expect(&chk, "SLEEP", 3, AL_FHIR_BY_LABEL);
	expect(&chk, "nothing", 0, AL_FHIR_NO_MATCH);
}

static void
test_not_nul_terminated(void **state)
{
	const AlInstrument *waisr = al_builtin_by_code("wai_sr");
	const char	buf[] = {'w', '-', '1', '1'};

	(void) state;
	assert_int_equal(al_fhir_match_item_n(waisr, buf + 2, 1, true, NULL), 1);
	assert_int_equal(al_fhir_match_item_n(waisr, buf + 2, 2, true, NULL), 11);
	assert_int_equal(al_fhir_match_item_n(waisr, buf, 4, true, NULL), 0);	/* "w" names nothing */
	assert_int_equal(al_fhir_match_item_n(waisr, buf, 0, true, NULL), 0);
	assert_int_equal(al_fhir_match_item_n(NULL, buf, 4, true, NULL), 0);
	assert_int_equal(al_fhir_match_item(waisr, NULL), 0);
}

static void
expect_code(const char *canonical, const char *code)
{
	char		out[AL_MAX_CODE_LEN + 1];
	bool		ok = al_fhir_canonical_code(canonical, strlen(canonical), out);

	if (code == NULL)
	{
		if (ok)
			fail_msg("canonical \"%s\" gave code \"%s\", expected none", canonical, out);
	}
	else
	{
		if (!ok)
			fail_msg("canonical \"%s\" gave no code, expected \"%s\"", canonical, code);
		assert_string_equal(out, code);
	}
}

static void
test_canonical(void **state)
{
	(void) state;
	expect_code("https://example.org/fhir/Questionnaire/wai-sr|1.0.0", "wai_sr");
	expect_code("https://example.org/fhir/Questionnaire/WAI-SR", "wai_sr");
	expect_code("https://example.org/fhir/Questionnaire/wai_sr|2", "wai_sr");
	expect_code("https://example.org/fhir/Questionnaire/srs|3.0", "srs");
	expect_code("Questionnaire/haq2", "haq2");
	expect_code("tasc-r", "tasc_r");
	expect_code("https://example.org/fhir/Questionnaire/123", NULL);
	expect_code("https://example.org/fhir/Questionnaire/", NULL);
	expect_code("https://example.org/fhir/Questionnaire/|1.0", NULL);
	expect_code("", NULL);
	expect_code("|1.0", NULL);
	expect_code("https://example.org/fhir/Questionnaire/wai sr", NULL);
	expect_code("https://example.org/fhir/Questionnaire/abcdefghijklmnopqrstuvwxyz0123456789", NULL);
	expect_code("https://example.org/fhir/Questionnaire/abcdefghijklmnopqrstuvwxyz01234", "abcdefghijklmnopqrstuvwxyz01234");
	/* the version part may contain slashes: it is stripped first */
	expect_code("https://example.org/Questionnaire/ors|v/2", "ors");

	assert_int_equal(al_fhir_canonical_base_len("a/b|1|2", 7), 3);
	assert_int_equal(al_fhir_canonical_base_len("a/b", 3), 3);
}

/* Built-in canonicals: their own, versioned, or any URL whose last segment spells a built-in code. */
static void
test_builtin_canonical(void **state)
{
	const char *own = AL_FHIR_QUESTIONNAIRE_BASE "wai-sr";
	const char *cases[][2] = {
		{AL_FHIR_QUESTIONNAIRE_BASE "wai-sr", "wai_sr"},
		{AL_FHIR_QUESTIONNAIRE_BASE "srs|3.0", "srs"},
		{"https://example.org/fhir/Questionnaire/SRS|3.0", "srs"},
		{"Questionnaire/tasc_r", "tasc_r"},
	};

	(void) state;
	assert_string_equal(al_builtin_by_code("wai_sr")->fhir_url, own);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
	{
		const AlInstrument *b = al_fhir_builtin_canonical(cases[i][0], strlen(cases[i][0]));

		assert_non_null(b);
		assert_string_equal(b->code, cases[i][1]);
	}
	assert_null(al_fhir_builtin_canonical("https://clinic.example/fhir/Questionnaire/5521", 46));
	assert_null(al_fhir_builtin_canonical("https://clinic.example/Questionnaire/srs-clinic", 47));
}

/* The FHIR dateTime grammar behind authored. */
static void
test_datetime(void **state)
{
	AlFhirDateTime d;
	static const char *const bad[] = {
		"2023-02-29", "2024-13", "2024-1", "24", "0000", "2025-03-04T15:50:00", "2025-03-04T24:00:00Z",
		"2025-03-04T15:50:00+14:30", "2025-03-04T15:50:00.Z", "2025-03-04T15:50:00.1234567890Z",
		"2025-03-04 15:50:00Z", "2025-03-04T15:50Z", "2025-03-04T15:50:00Zjunk",
	};

	(void) state;
	assert_true(al_fhir_datetime_parse("2024-02-29", 10, &d));
	assert_int_equal(d.day, 29);
	assert_false(d.has_time);
	assert_true(al_fhir_datetime_parse("2024", 4, &d));
	assert_int_equal(d.month, 1);
	assert_true(al_fhir_datetime_parse("2025-03-04T15:50:00.25+02:00", 28, &d));
	assert_true(d.has_time);
	assert_int_equal(d.usec, 250000);
	assert_int_equal(d.utc_offset, 7200);
	assert_true(al_fhir_datetime_parse("2016-12-31T23:59:60-14:00", 25, &d));
	assert_int_equal(d.second, 60);
	assert_int_equal(d.utc_offset, -50400);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_false(al_fhir_datetime_parse(bad[i], strlen(bad[i]), &d));
}

/* out of scope only evidence that names the instrument counts; what a group says */
static void
test_scope(void **state __attribute__((unused)))
{
	const AlInstrument *waisr = al_builtin_by_code("wai_sr");
	const AlInstrument *srs = al_builtin_by_code("srs");

	expect_out(waisr, "7", 0);
	expect_out(waisr, "q-07", 0);
	expect_out(waisr, "waisr-7", 7);
	expect_out(waisr, "WAI-SR_7", 7);
	expect_out(srs, "relationship", 0);
	expect_out(srs, "srs-relationship", 1);
	expect_out(&chk, "q-alpha", 1);	/* the instrument's own linkIds are evidence */
	assert_true(al_fhir_names_instrument(waisr, "wai_sr", 6));
	assert_true(al_fhir_names_instrument(waisr, "WAI-SR", 6));
	assert_true(al_fhir_names_instrument(waisr, "waisr", 5));
	assert_false(al_fhir_names_instrument(waisr, "wai", 3));
	assert_false(al_fhir_names_instrument(waisr, "", 0));
	assert_int_equal(al_fhir_group_kind(waisr, "wai-sr", 6), AL_FHIR_GROUP_THIS);
	assert_int_equal(al_fhir_group_kind(waisr, "g1", 2), AL_FHIR_GROUP_NEUTRAL);
	assert_int_equal(al_fhir_group_kind(waisr, "group-2", 7), AL_FHIR_GROUP_NEUTRAL);
	assert_int_equal(al_fhir_group_kind(waisr, "Section_3", 9), AL_FHIR_GROUP_NEUTRAL);
	assert_int_equal(al_fhir_group_kind(waisr, "page1", 5), AL_FHIR_GROUP_NEUTRAL);
	assert_int_equal(al_fhir_group_kind(waisr, "2", 1), AL_FHIR_GROUP_NEUTRAL);
	assert_int_equal(al_fhir_group_kind(waisr, "phq9", 4), AL_FHIR_GROUP_OTHER);
	assert_int_equal(al_fhir_group_kind(waisr, "intake", 6), AL_FHIR_GROUP_OTHER);
	assert_int_equal(al_fhir_group_kind(waisr, "srs", 3), AL_FHIR_GROUP_OTHER);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_scope),
		cmocka_unit_test(test_loinc_guard),
		cmocka_unit_test(test_labels),
		cmocka_unit_test(test_custom_link_ids_first),
		cmocka_unit_test(test_not_nul_terminated),
		cmocka_unit_test(test_canonical),
		cmocka_unit_test(test_builtin_canonical),
		cmocka_unit_test(test_datetime),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
