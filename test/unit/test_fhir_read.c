/*
 * test_fhir_read.c — unit tests for src/core/fhir_read.c, the
 * QuestionnaireResponse walk, over documents parsed by libjansson
 * (test/support/jansson_tree.h): the values read and the precedence of
 * answer forms, groups and answer.item, every kind of malformed structure
 * with its path, the header checks, the depth limit and its edge, long paths
 * shown by their end.  The same documents through the server are in
 * sql/fhir.sql.
 *
 * Build and run:
 *   gcc -std=gnu99 -Wall -Wextra -Werror -Isrc/core -Itest/support test/unit/test_fhir_read.c \
 *       <every .c file in src/core> -lcmocka -ljansson -lm -o /tmp/t && /tmp/t
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fhir_read.h"
#include "instrument.h"
#include "jansson_tree.h"
#include "response.h"

#define QR_HEAD "{\"resourceType\":\"QuestionnaireResponse\",\"status\":\"completed\","

static AlFhirRead fr;
static AlError err;

/* read json as a response of instrument code; the status of the first step that fails */
static AlStatus
read_doc(const char *json, const char *code)
{
	JanssonTreeCtx ctx;
	AlJsonOps	ops = jansson_tree(&ctx);
	json_error_t jerr;
	json_t	   *root = json_loads(json, JSON_DECODE_ANY, &jerr);
	AlFhirDoc	doc;
	AlStatus	st;

	if (root == NULL)
		fail_msg("test document does not parse: %s: %s", jerr.text, json);
	memset(&err, 0, sizeof(err));
	st = al_fhir_read_doc(&ops, root, &doc, &err);
	if (st == AL_OK)
		st = al_fhir_read_items(&ops, root, al_builtin_by_code(code), true, &fr, &err);
	json_decref(root);
	return st;
}

static void
expect_error(const char *json, const char *code, AlStatus status, const char *message)
{
	AlStatus	st = read_doc(json, code);

	if (st != status || strcmp(err.message, message) != 0)
		fail_msg("expected %d \"%s\", got %d \"%s\" for %s", status, message, st, err.message, json);
}

static void
test_values_and_precedence(void **state)
{
	(void) state;
	/* valueDecimal, valueInteger, an itemWeight on the answer (by label), and answer.item */
	assert_int_equal(read_doc(QR_HEAD "\"item\":["
							  "{\"linkId\":\"1\",\"answer\":[{\"valueDecimal\":9.5}]},"
							  "{\"linkId\":\"2\",\"answer\":[{\"valueInteger\":8,"
							  "  \"item\":[{\"linkId\":\"4\",\"answer\":[{\"valueDecimal\":9}]}]}]},"
							  "{\"linkId\":\"srs-approach\",\"answer\":[{\"valueCoding\":{\"code\":\"c3\"},"
							  "  \"extension\":[{\"url\":\"http://hl7.org/fhir/StructureDefinition/itemWeight\",\"valueDecimal\":7}]}]}]}",
							  "srs"), AL_OK);
	assert_string_equal(fr.r.code, "srs");
	assert_int_equal(fr.matched, 4);
	assert_int_equal(fr.r.units[0], 95);	/* SRS keeps one decimal */
	assert_int_equal(fr.r.units[1], 80);
	assert_int_equal(fr.r.units[2], 70);
	assert_int_equal(fr.r.units[3], 90);

	/* itemWeight beats ordinalValue beats valueInteger; a group is walked, not matched */
	assert_int_equal(read_doc(QR_HEAD "\"item\":[{\"linkId\":\"7\",\"item\":["
							  "{\"linkId\":\"waisr-1\",\"answer\":[{\"valueInteger\":1,\"valueCoding\":{\"code\":\"x\",\"extension\":["
							  "  {\"url\":\"http://hl7.org/fhir/StructureDefinition/ordinalValue\",\"valueDecimal\":3},"
							  "  {\"url\":\"http://hl7.org/fhir/StructureDefinition/itemWeight\",\"valueInteger\":4}]}}]},"
							  "{\"linkId\":\"waisr-2\",\"answer\":[{\"valueInteger\":2,\"valueCoding\":{\"code\":\"x\",\"extension\":["
							  "  {\"url\":\"http://hl7.org/fhir/StructureDefinition/ordinalValue\",\"valueDecimal\":3}]}}]},"
							  "{\"linkId\":\"waisr-3\",\"answer\":[{\"valueInteger\":2,\"valueCoding\":{\"code\":\"5\"}}]}]}]}",
							  "wai_sr"), AL_OK);
	assert_int_equal(fr.matched, 3);
	assert_false(fr.r.present[6]);	/* the group "7" is no answer to item 7 */
	assert_int_equal(fr.r.units[0], 4);
	assert_int_equal(fr.r.units[1], 3);
	assert_int_equal(fr.r.units[2], 2);		/* valueInteger before a numeric code */

	/* valueBoolean for a 0/1 item (PSQ item 1: was there a rupture?) */
	assert_int_equal(read_doc(QR_HEAD "\"item\":[{\"linkId\":\"1\",\"answer\":[{\"valueBoolean\":false}]}]}",
							  "psq"), AL_OK);
	assert_true(fr.r.present[0]);
	assert_int_equal(fr.r.units[0], 0);
}

#define ITEM_WEIGHT "http://hl7.org/fhir/StructureDefinition/itemWeight"

/* items are matched by evidence that belongs to the instrument */
static void
test_evidence(void **state __attribute__((unused)))
{
	/* an intake form with a PHQ-9 section and nothing of the WAI-SR: refused, not read */
	expect_error(QR_HEAD "\"item\":[{\"linkId\":\"phq9\",\"item\":["
				 "{\"linkId\":\"1\",\"answer\":[{\"valueInteger\":2}]},{\"linkId\":\"phq9-2\",\"answer\":[{\"valueInteger\":3}]}]}]}",
				 "wai_sr", AL_ERR_PARAM, "no item of this QuestionnaireResponse matches an item of wai_sr");
	/* an unrelated "comment-7" does not fill the missing item 7 */
	assert_int_equal(read_doc(QR_HEAD "\"item\":[{\"linkId\":\"waisr-1\",\"answer\":[{\"valueInteger\":4}]},"
							  "{\"linkId\":\"comment-7\",\"answer\":[{\"valueInteger\":5}]}]}", "wai_sr"), AL_OK);
	assert_int_equal(fr.matched, 1);
	assert_false(fr.r.present[6]);
	/* bare numbers: in a neutral group, yes; in a group named for the instrument, yes; in another's, no */
	assert_int_equal(read_doc(QR_HEAD "\"item\":[{\"linkId\":\"g1\",\"item\":[{\"linkId\":\"wai-sr\",\"item\":["
							  "{\"linkId\":\"2\",\"answer\":[{\"valueInteger\":4}]}]},"
							  "{\"linkId\":\"3\",\"answer\":[{\"valueInteger\":5}]},"
							  "{\"linkId\":\"gad7\",\"item\":[{\"linkId\":\"4\",\"answer\":[{\"valueInteger\":1}]}]}]}]}",
							  "wai_sr"), AL_OK);
	assert_int_equal(fr.matched, 2);
	assert_int_equal(fr.r.units[1], 4);
	assert_int_equal(fr.r.units[2], 5);
	assert_false(fr.r.present[3]);
	/* PCOMS: the SRS and the ORS in one response, each read by its own prefix */
	assert_int_equal(read_doc(QR_HEAD "\"item\":[{\"linkId\":\"srs-overall\",\"answer\":[{\"valueDecimal\":9}]},"
							  "{\"linkId\":\"ors-overall\",\"answer\":[{\"valueDecimal\":6}]},"
							  "{\"linkId\":\"ors-individual\",\"answer\":[{\"valueDecimal\":5}]}]}", "ors"), AL_OK);
	assert_int_equal(fr.matched, 2);
	assert_int_equal(fr.r.units[3], 60);
	/* a code is not a value: 0-based position codes need their weights */
	expect_error(QR_HEAD "\"item\":[{\"linkId\":\"waisr-1\",\"answer\":[{\"valueCoding\":{\"code\":\"3\"}}]}]}",
				 "wai_sr", AL_ERR_PARAM, "wai_sr item 1 is answered with code \"3\" at item[0].answer[0], and nothing gives its weight");
	/* ... which a contained Questionnaire gives (on the option's coding, or on the option) */
	assert_int_equal(read_doc(QR_HEAD "\"contained\":[{\"resourceType\":\"Questionnaire\",\"status\":\"active\",\"item\":["
							  "{\"linkId\":\"g\",\"type\":\"group\",\"item\":[{\"linkId\":\"waisr-1\",\"type\":\"coding\",\"answerOption\":["
							  "{\"valueCoding\":{\"code\":\"0\",\"extension\":[{\"url\":\"" ITEM_WEIGHT "\",\"valueDecimal\":1}]}},"
							  "{\"valueCoding\":{\"code\":\"3\"},\"extension\":[{\"url\":\"" ITEM_WEIGHT "\",\"valueDecimal\":4}]}]}]}]}],"
							  "\"item\":[{\"linkId\":\"waisr-1\",\"answer\":[{\"valueCoding\":{\"code\":\"3\"}}]}]}", "wai_sr"), AL_OK);
	assert_int_equal(fr.r.units[0], 4);
	/* a code the contained Questionnaire does not weigh is still an error */
	expect_error(QR_HEAD "\"contained\":[{\"resourceType\":\"Questionnaire\",\"item\":[{\"linkId\":\"waisr-1\",\"answerOption\":["
				 "{\"valueCoding\":{\"code\":\"0\"}}]}]}],"
				 "\"item\":[{\"linkId\":\"waisr-1\",\"answer\":[{\"valueCoding\":{\"code\":\"0\"}}]}]}",
				 "wai_sr", AL_ERR_PARAM, "wai_sr item 1 is answered with code \"0\" at item[0].answer[0], and nothing gives its weight");
}

/* a subject given only as an identifier is read as system|value; one with neither is an error */
static void
test_subject(void **state __attribute__((unused)))
{
	json_error_t jerr;
	json_t	   *root = json_loads("{\"resourceType\":\"QuestionnaireResponse\",\"status\":\"completed\","
								  "\"subject\":{\"identifier\":{\"system\":\"urn:oid:1.2.3\",\"value\":\"p-7\"}}}", 0, &jerr);
	JanssonTreeCtx ctx;
	AlJsonOps	ops = jansson_tree(&ctx);
	AlFhirDoc	doc;

	assert_int_equal(al_fhir_read_doc(&ops, root, &doc, &err), AL_OK);
	assert_null(doc.subject.p);
	assert_int_equal(doc.subject_value.len, 3);
	assert_memory_equal(doc.subject_system.p, "urn:oid:1.2.3", 13);
	json_decref(root);
	root = json_loads("{\"resourceType\":\"QuestionnaireResponse\",\"status\":\"completed\","
					  "\"subject\":{\"display\":\"Ann\"}}", 0, &jerr);
	assert_int_equal(al_fhir_read_doc(&ops, root, &doc, &err), AL_ERR_PARAM);
	assert_string_equal(err.message, "QuestionnaireResponse subject has neither a reference nor an identifier value");
	json_decref(root);
	root = json_loads("{\"resourceType\":\"QuestionnaireResponse\",\"status\":\"completed\","
					  "\"subject\":{\"reference\":\"\"}}", 0, &jerr);
	assert_int_equal(al_fhir_read_doc(&ops, root, &doc, &err), AL_ERR_PARAM);
	assert_string_equal(err.message, "malformed QuestionnaireResponse: subject.reference is empty");
	json_decref(root);
}

static void
test_errors_name_the_item(void **state)
{
	(void) state;
	expect_error(QR_HEAD "\"item\":[{\"linkId\":\"1\",\"answer\":[{\"valueDecimal\":9}]},"
				 "{\"linkId\":\"g\",\"item\":[{\"linkId\":\"srs-1\",\"answer\":[{\"valueDecimal\":8}]}]}]}",
				 "srs", AL_ERR_PARAM, "srs item 1 is answered twice: at item[0].answer[0] and at item[1].item[0].answer[0]");
	assert_string_equal(err.detail, "linkIds \"1\" and \"srs-1\".");
	expect_error(QR_HEAD "\"item\":[{\"linkId\":\"1\",\"answer\":[{\"valueString\":\"9\"}]}]}",
				 "srs", AL_ERR_PARAM, "srs item 1 has no numeric answer at item[0].answer[0]");
	assert_string_equal(err.detail, "linkId \"1\".");
	expect_error(QR_HEAD "\"item\":[{\"linkId\":\"1\",\"answer\":[{\"valueDecimal\":11}]}]}",
				 "srs", AL_ERR_RANGE, "srs item 1 is 11; answers run 0.0 to 10.0 in steps of 0.1");
	assert_string_equal(err.detail, "At item[0].answer[0] (linkId \"1\").");
	expect_error(QR_HEAD "\"item\":[{\"linkId\":\"x\",\"answer\":[{\"valueDecimal\":1}]}]}",
				 "srs", AL_ERR_PARAM, "no item of this QuestionnaireResponse matches an item of srs");
}

static void
test_malformed_paths(void **state)
{
	static const char *const cases[][2] = {
		{"[]", "malformed QuestionnaireResponse: the resource is not a JSON object"},
		{"{}", "malformed QuestionnaireResponse: resourceType is missing"},
		{"{\"resourceType\":\"Observation\"}", "resourceType is \"Observation\", not \"QuestionnaireResponse\""},
		{"{\"resourceType\":7}", "resourceType is a number, not \"QuestionnaireResponse\""},
		{"{\"resourceType\":\"QuestionnaireResponse\",\"status\":1}", "malformed QuestionnaireResponse: status is a number, not a string"},
		{"{\"resourceType\":\"QuestionnaireResponse\"}", "QuestionnaireResponse has no status"},
		{"{\"resourceType\":\"QuestionnaireResponse\",\"status\":\"in-progress\"}", "QuestionnaireResponse status is \"in-progress\""},
		{QR_HEAD "\"subject\":\"Patient/1\"}", "malformed QuestionnaireResponse: subject is a string, not a Reference object"},
		{QR_HEAD "\"subject\":{\"reference\":1}}", "malformed QuestionnaireResponse: subject.reference is a number, not a string"},
		{QR_HEAD "\"item\":{}}", "malformed QuestionnaireResponse: item is an object, not an array"},
		{QR_HEAD "\"item\":[1]}", "malformed QuestionnaireResponse: item[0] is a number, not an object"},
		{QR_HEAD "\"item\":[{}]}", "malformed QuestionnaireResponse: item[0] has no linkId"},
		{QR_HEAD "\"item\":[{\"linkId\":null}]}", "malformed QuestionnaireResponse: item[0].linkId is null, not a string"},
		{QR_HEAD "\"item\":[{\"linkId\":\"1\",\"answer\":{}}]}", "malformed QuestionnaireResponse: item[0].answer is an object, not an array"},
		{QR_HEAD "\"item\":[{\"linkId\":\"1\",\"answer\":[true]}]}", "malformed QuestionnaireResponse: item[0].answer[0] is a boolean, not an object"},
		{QR_HEAD "\"item\":[{\"linkId\":\"1\",\"answer\":[{\"valueInteger\":\"9\"}]}]}", "malformed QuestionnaireResponse: item[0].answer[0].valueInteger is a string, not a number"},
		{QR_HEAD "\"item\":[{\"linkId\":\"1\",\"answer\":[{\"valueCoding\":[]}]}]}", "malformed QuestionnaireResponse: item[0].answer[0].valueCoding is an array, not a Coding object"},
		{QR_HEAD "\"item\":[{\"linkId\":\"1\",\"answer\":[{\"valueCoding\":{\"code\":9}}]}]}", "malformed QuestionnaireResponse: item[0].answer[0].valueCoding.code is a number, not a string"},
		{QR_HEAD "\"item\":[{\"linkId\":\"1\",\"answer\":[{\"valueCoding\":{\"extension\":{}}}]}]}", "malformed QuestionnaireResponse: item[0].answer[0].valueCoding.extension is an object, not an array"},
		{QR_HEAD "\"item\":[{\"linkId\":\"1\",\"answer\":[{\"valueCoding\":{\"extension\":[{}]}}]}]}", "malformed QuestionnaireResponse: item[0].answer[0].valueCoding.extension[0] has no string url"},
		{QR_HEAD "\"item\":[{\"linkId\":\"1\",\"answer\":[{\"valueCoding\":{\"extension\":[{\"url\":\"http://hl7.org/fhir/StructureDefinition/itemWeight\",\"valueDecimal\":\"1\"}]}}]}]}",
		"malformed QuestionnaireResponse: item[0].answer[0].valueCoding.extension[0].valueDecimal is a string, not a number"},
		{QR_HEAD "\"item\":[{\"linkId\":\"1\",\"answer\":[{\"valueCoding\":{\"extension\":[{\"url\":\"http://hl7.org/fhir/StructureDefinition/ordinalValue\"}]}}]}]}",
		"malformed QuestionnaireResponse: item[0].answer[0].valueCoding.extension[0] (ordinalValue) has no valueDecimal"},
		{QR_HEAD "\"item\":[{\"linkId\":\"g\",\"answer\":[{\"item\":[{\"linkId\":\"2\",\"answer\":\"9\"}]}]}]}",
		"malformed QuestionnaireResponse: item[0].answer[0].item[0].answer is a string, not an array"},
	};

	(void) state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		AlStatus	st = read_doc(cases[i][0], "srs");

		if (st != AL_ERR_PARAM || strcmp(err.message, cases[i][1]) != 0)
			fail_msg("case %zu: expected \"%s\", got %d \"%s\"", i, cases[i][1], st, err.message);
	}
	/* a 0/1 item reads a boolean, and only a boolean */
	expect_error(QR_HEAD "\"item\":[{\"linkId\":\"1\",\"answer\":[{\"valueBoolean\":\"yes\"}]}]}", "psq",
				 AL_ERR_PARAM, "malformed QuestionnaireResponse: item[0].answer[0].valueBoolean is a string, not a boolean");
}

/* SRS items 1-4 answered 9, then the leaf of levels - 1 nested groups */
static char *
nested(int levels)
{
	size_t		cap = 400 + (size_t) levels * 40;
	char	   *s = malloc(cap);
	size_t		n;

	n = (size_t) snprintf(s, cap, QR_HEAD "\"item\":[{\"linkId\":\"1\",\"answer\":[{\"valueDecimal\":9}]},"
						  "{\"linkId\":\"2\",\"answer\":[{\"valueDecimal\":9}]},{\"linkId\":\"3\",\"answer\":[{\"valueDecimal\":9}]},"
						  "{\"linkId\":\"4\",\"answer\":[{\"valueDecimal\":9}]},");
	for (int i = 1; i < levels; i++)
		n += (size_t) snprintf(s + n, cap - n, "{\"linkId\":\"g\",\"item\":[");
	n += (size_t) snprintf(s + n, cap - n, "{\"linkId\":\"g\"}");
	for (int i = 1; i < levels; i++)
		n += (size_t) snprintf(s + n, cap - n, "]}");
	snprintf(s + n, cap - n, "]}");
	return s;
}

static void
test_depth_limit(void **state)
{
	char	   *ok = nested(AL_FHIR_MAX_DEPTH),
			   *deep = nested(AL_FHIR_MAX_DEPTH + 1);

	(void) state;
	assert_int_equal(read_doc(ok, "srs"), AL_OK);
	assert_int_equal(fr.depth, 0);
	expect_error(deep, "srs", AL_ERR_LIMIT, "QuestionnaireResponse items nest more than 100 levels deep");
	/* the detail shows the path by its end, at most AL_FHIR_SHOWN_PATH characters */
	assert_int_equal(strlen(err.detail), strlen("At .") + AL_FHIR_SHOWN_PATH);
	assert_memory_equal(err.detail, "At ...", 6);
	assert_string_equal(err.detail + strlen(err.detail) - 13, "item[0].item.");
	free(ok);
	free(deep);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_values_and_precedence),
		cmocka_unit_test(test_evidence),
		cmocka_unit_test(test_subject),
		cmocka_unit_test(test_errors_name_the_item),
		cmocka_unit_test(test_malformed_paths),
		cmocka_unit_test(test_depth_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
