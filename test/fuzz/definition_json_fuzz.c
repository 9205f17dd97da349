/*
 * definition_json_fuzz.c — libFuzzer target for src/core/definition_json.c:
 * the scales, bordin and norms a custom instrument definition gives as
 * jsonb, read as the server reads them when define_instrument() runs and
 * whenever the catalogue is loaded.
 *
 * The first byte is the item count (1 to 16); the rest is a JSON document,
 * parsed by libjansson (test/support/jansson_tree.h), whose members
 * "scales", "bordin" and "norms" (each optional) are read in that order into
 * a definition of items 0-4, which is then validated.  Invariants, each an
 * abort when broken:
 *
 *  - every reader returns AL_OK or AL_ERR_PARAM with the definition's own
 *    message ("invalid definition of instrument "fzj": ...");
 *  - scales read are at most AL_MAX_SCALES, their items within 1..255;
 *    bordin's indexes name scales that exist (or -1);
 *  - a definition that validates is usable: its scales hold items within
 *    its item count, its fingerprint is stable, and a response answered
 *    at the maximum scores every scale and Bordin dimension to the maximum
 *    POMP of 100.
 *
 * Build (test/fuzz/run.sh does this):
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Isrc/core -Itest/support \
 *         test/fuzz/definition_json_fuzz.c <every .c file in src/core> -ljansson
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "al_status.h"
#include "definition_json.h"
#include "instrument.h"
#include "jansson_tree.h"
#include "rational.h"
#include "response.h"
#include "score.h"

#define PREFIX "invalid definition of instrument \"fzj\": "

static void
broken(const char *what, const char *detail)
{
	fprintf(stderr, "definition_json_fuzz: invariant broken: %s (%s)\n", what, detail);
	abort();
}

static bool
read_ok(AlStatus st, const AlError *err)
{
	if (st == AL_OK)
		return true;
	if (st != AL_ERR_PARAM || strncmp(err->message, PREFIX, strlen(PREFIX)) != 0)
		broken("an error that is not the definition's own", err->message);
	return false;
}

static void
check_usable(const AlInstrument *inst)
{
	static AlResponse r;
	AlError		err;
	AlRational	pomp;

	for (int s = 0; s < inst->nscales; s++)
		for (int i = 0; i < inst->scales[s].nitems; i++)
			if (inst->scales[s].items[i] < 1 || inst->scales[s].items[i] > inst->nitems)
				broken("a valid definition's scale holds an item it does not have", inst->scales[s].name);
	if (al_instrument_fingerprint(inst) != al_instrument_fingerprint(inst))
		broken("fingerprint is not stable", inst->code);
	al_response_init(&r, inst);
	for (int i = 1; i <= inst->nitems; i++)
	{
		AlDecimal	top = {al_item_max(inst, i), inst->decimals};

		if (al_response_set_item(&r, i, &top, &err) != AL_OK)
			broken("the maximum answer is refused", err.message);
	}
	for (int s = 0; s < inst->nscales; s++)
		if (inst->scales[s].nitems > 0 && al_scale_pomp(&r, s, false, &pomp) &&
			al_rat_cmp(pomp, al_rat(100, 1, 0)) != 0)
			broken("a scale answered at the maximum is not POMP 100", inst->scales[s].name);
	for (int d = AL_BORDIN_GOAL; d <= AL_BORDIN_BOND; d++)
		(void) al_bordin(&r, (AlBordin) d, false, &pomp);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static AlScaleSpec spec[AL_MAX_SCALES];
	static AlScale scales[AL_MAX_SCALES];
	static char names[AL_MAX_SCALES][256];
	JanssonTreeCtx ctx;
	AlJsonOps	ops = jansson_tree(&ctx);
	AlInstrument inst;
	json_error_t jerr;
	json_t	   *root,
			   *v;
	AlError		err;
	int			ns = 0;
	bool		ok = true;

	if (size < 1)
		return 0;
	root = json_loadb((const char *) data + 1, size - 1, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
	if (root == NULL)
		return 0;
	memset(&inst, 0, sizeof(inst));
	inst.code = "fzj";
	inst.name = "fuzz definition";
	inst.citation = "none";
	inst.evidence = "R";
	inst.builtin_id = AL_CUSTOM;
	inst.nitems = 1 + data[0] % 16;
	inst.min_u = 0;
	inst.max_u = 4;
	inst.step_u = 1;
	inst.min_answered_num = 3;
	inst.min_answered_den = 4;
	inst.score = AL_SCORE_TOTAL;
	inst.goal_scale = inst.task_scale = inst.bond_scale = -1;

	if (ok && (v = json_object_get(root, "scales")) != NULL &&
		(ok = read_ok(al_definition_scales(&ops, v, inst.code, spec, &ns, &err), &err)))
	{
		if (ns < 0 || ns > AL_MAX_SCALES)
			broken("scale count out of range", "");
		for (int s = 0; s < ns; s++)
		{
			for (int i = 0; i < spec[s].nitems; i++)
				if (spec[s].items[i] < 1)
					broken("item number 0 read", "");
			/* the skin copies the name as text: up to its first NUL */
			snprintf(names[s], sizeof(names[s]), "%.*s", (int) (spec[s].name_len < 255 ? spec[s].name_len : 255), spec[s].name);
			scales[s].name = names[s];
			scales[s].nitems = spec[s].nitems;
			scales[s].items = spec[s].items;
		}
		inst.scales = scales;
		inst.nscales = ns;
	}
	if (ok && (v = json_object_get(root, "bordin")) != NULL &&
		(ok = read_ok(al_definition_bordin(&ops, v, &inst, &err), &err)))
	{
		if (inst.goal_scale < -1 || inst.goal_scale >= inst.nscales ||
			inst.task_scale < -1 || inst.task_scale >= inst.nscales ||
			inst.bond_scale < -1 || inst.bond_scale >= inst.nscales)
			broken("bordin names a scale that was not read", "");
	}
	if (ok && (v = json_object_get(root, "norms")) != NULL)
		ok = read_ok(al_definition_norms(&ops, v, &inst, &err), &err);
	if (ok)
	{
		AlStatus	st = al_instrument_validate(&inst, &err);

		if (st == AL_OK)
			check_usable(&inst);
		else if (err.message[0] == '\0')
			broken("an invalid definition without a message", "");
	}
	json_decref(root);
	return 0;
}
