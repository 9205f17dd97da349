/*
 * test_definition_json.c — unit tests for src/core/definition_json.c, the
 * JSON parameters of a custom instrument (scales, bordin, norms), over
 * documents parsed by libjansson (test/support/jansson_tree.h): what each
 * shape reads into, and every error a user can make, word for word as
 * define_instrument() reports it (sql/custom.sql has the same through the
 * server).
 *
 * Build and run:
 *   gcc -std=gnu99 -Wall -Wextra -Werror -Isrc/core -Itest/support test/unit/test_definition_json.c \
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

#include "definition_json.h"
#include "instrument.h"
#include "jansson_tree.h"

enum Which
{
	SCALES, BORDIN, NORMS
};

static AlScaleSpec spec[AL_MAX_SCALES];
static AlScale scales[AL_MAX_SCALES];
static char names[AL_MAX_SCALES][64];
static AlInstrument inst;
static AlError err;
static int nscales;

static void
reset(void)
{
	memset(&inst, 0, sizeof(inst));
	inst.code = "form";
	inst.goal_scale = inst.task_scale = inst.bond_scale = -1;
	memset(&err, 0, sizeof(err));
}

static AlStatus
decode(enum Which which, const char *json)
{
	JanssonTreeCtx ctx;
	AlJsonOps	ops = jansson_tree(&ctx);
	json_error_t jerr;
	json_t	   *root = json_loads(json, JSON_DECODE_ANY, &jerr);
	AlStatus	st;

	if (root == NULL)
		fail_msg("test document does not parse: %s", json);
	if (which == SCALES)
	{
		st = al_definition_scales(&ops, root, inst.code, spec, &nscales, &err);
		/* keep the names as the skin does (they live in the document) */
		for (int s = 0; st == AL_OK && s < nscales; s++)
		{
			snprintf(names[s], sizeof(names[s]), "%.*s", (int) spec[s].name_len, spec[s].name);
			scales[s].name = names[s];
			scales[s].nitems = spec[s].nitems;
			scales[s].items = spec[s].items;
		}
		inst.scales = scales;
		inst.nscales = st == AL_OK ? nscales : 0;
	}
	else if (which == BORDIN)
		st = al_definition_bordin(&ops, root, &inst, &err);
	else
		st = al_definition_norms(&ops, root, &inst, &err);
	json_decref(root);
	return st;
}

static void
expect_error(enum Which which, const char *json, const char *message)
{
	AlStatus	st = decode(which, json);

	if (st != AL_ERR_PARAM || strcmp(err.message, message) != 0)
		fail_msg("%s: expected \"%s\", got %d \"%s\"", json, message, st, err.message);
}

static void
test_scales_and_bordin(void **state)
{
	(void) state;
	reset();
	assert_int_equal(decode(SCALES, "{\"goal\": [1, 4], \"bond\": [2, 3, 5], \"empty\": []}"), AL_OK);
	assert_int_equal(nscales, 3);
	assert_string_equal(scales[0].name, "goal");
	assert_int_equal(scales[0].nitems, 2);
	assert_int_equal(scales[0].items[1], 4);
	assert_string_equal(scales[1].name, "bond");
	assert_int_equal(scales[1].items[2], 5);
	assert_int_equal(scales[2].nitems, 0);
	assert_int_equal(decode(BORDIN, "{\"goal\": \"goal\", \"bond\": \"bond\"}"), AL_OK);
	assert_int_equal(inst.goal_scale, 0);
	assert_int_equal(inst.bond_scale, 1);
	assert_int_equal(inst.task_scale, -1);

	expect_error(SCALES, "[1]", "invalid definition of instrument \"form\": scales must be an object of scale name -> item numbers");
	expect_error(SCALES, "{\"a\": 1}", "invalid definition of instrument \"form\": scales: each scale is an array of item numbers");
	expect_error(SCALES, "{\"a\": [[1]]}", "invalid definition of instrument \"form\": scales: each scale is an array of item numbers");
	expect_error(SCALES, "{\"a\": [\"1\"]}", "invalid definition of instrument \"form\": scales must be a number");
	expect_error(SCALES, "{\"a\": [1.5]}", "invalid definition of instrument \"form\": scales: item numbers are whole numbers from 1 to the item count");
	expect_error(SCALES, "{\"a\": [0]}", "invalid definition of instrument \"form\": scales: item numbers are whole numbers from 1 to the item count");
	expect_error(SCALES, "{\"a\": [256]}", "invalid definition of instrument \"form\": scales: item numbers are whole numbers from 1 to the item count");
	expect_error(SCALES, "{\"a\": [1e20]}", "invalid definition of instrument \"form\": scales must be a finite number with at most 18 digits");

	reset();
	assert_int_equal(decode(SCALES, "{\"bond\": [1]}"), AL_OK);
	expect_error(BORDIN, "\"bond\"", "invalid definition of instrument \"form\": bordin must be an object of dimension -> scale name");
	expect_error(BORDIN, "{\"bond\": 1}", "invalid definition of instrument \"form\": bordin: \"bond\" must name a scale");
	expect_error(BORDIN, "{\"bond\": \"goal\"}", "invalid definition of instrument \"form\": bordin maps bond to \"goal\", which is not one of its scales");
	expect_error(BORDIN, "{\"trust\": \"bond\"}", "invalid definition of instrument \"form\": bordin: \"trust\" is not a Bordin dimension (goal, task, bond)");
}

static void
test_too_many_scales(void **state)
{
	char		json[2048];
	size_t		n = 0;

	(void) state;
	reset();
	n += (size_t) snprintf(json + n, sizeof(json) - n, "{");
	for (int s = 0; s <= AL_MAX_SCALES; s++)
		n += (size_t) snprintf(json + n, sizeof(json) - n, "%s\"s%d\": [1]", s ? ", " : "", s);
	snprintf(json + n, sizeof(json) - n, "}");
	expect_error(SCALES, json, "invalid definition of instrument \"form\": scales: too many scales");
}

static void
test_norms(void **state)
{
	(void) state;
	reset();
	assert_int_equal(decode(NORMS, "{\"sd\": 4.5, \"reliability\": 0.64, \"rc_points\": 5}"), AL_OK);
	assert_true(inst.has_norm_sd);
	assert_true(inst.norm_sd == 4.5);
	assert_true(inst.has_norm_reliability);
	assert_true(inst.norm_reliability == 0.64);
	assert_true(inst.has_rc_points);
	assert_int_equal(inst.rc_points_u, 5);
	assert_int_equal(inst.rc_points_scale, 0);
	expect_error(NORMS, "[]", "invalid definition of instrument \"form\": norms must be an object with keys sd, reliability, rc_points");
	expect_error(NORMS, "{\"sd\": \"4\"}", "invalid definition of instrument \"form\": norms.sd must be a number");
	expect_error(NORMS, "{\"sd\": 4, \"alpha\": 0.9}", "invalid definition of instrument \"form\": norms: unknown key \"alpha\" (sd, reliability, rc_points)");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scales_and_bordin),
		cmocka_unit_test(test_too_many_scales),
		cmocka_unit_test(test_norms),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
