/*
 * fhir_match_fuzz.c — libFuzzer target for src/core/fhir_match.c.
 *
 * The first byte picks an instrument (the nine built-ins in catalogue order,
 * or a custom one with linkIds and overlapping labels); the rest is used as
 * a linkId and as a Questionnaire canonical, without a terminating NUL (so
 * ASan catches any read past the end).  Invariants, each an abort when
 * broken:
 *
 *  - al_fhir_match_item_n returns 0 (no rule) or an item in 1..nitems (out of
 *    scope: 0 or the same item), and
 *    the rule it names really holds: the linkId equals that item's linkId;
 *    or it ends in that number after '-' or '_' (or is that number); or it
 *    ends in that item's label after '-' or '_' (or is it), ignoring case.
 *  - The same answer on a NUL-terminated copy via al_fhir_match_item.
 *  - al_fhir_canonical_code gives a valid instrument code (al_normalize_code
 *    accepts it unchanged), built from the text before the first '|'.
 *
 * Build (test/fuzz/run.sh does this):
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Isrc/core \
 *         test/fuzz/fhir_match_fuzz.c <every .c file in src/core>
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "al_status.h"
#include "fhir_match.h"
#include "instrument.h"

static const char *const fzm_link_ids[] = {"q-alpha", "Q-Beta", NULL, "x9", "7"};
static const char *const fzm_labels[] = {"mood", "low-mood", "sleep", NULL, ""};
static const AlInstrument fzm = {
	.code = "fzm", .name = "fuzz form", .citation = "none", .evidence = "R",
	.builtin_id = AL_CUSTOM, .nitems = 5, .decimals = 0,
	.min_u = 0, .max_u = 3, .step_u = 1,
	.goal_scale = -1, .task_scale = -1, .bond_scale = -1,
	.min_answered_num = 3, .min_answered_den = 4, .score = AL_SCORE_TOTAL,
	.item_labels = fzm_labels, .link_ids = fzm_link_ids,
};

static void
broken(const char *what, const uint8_t *data, size_t size)
{
	fprintf(stderr, "fhir_match_fuzz: invariant broken: %s (input %zu bytes)\n", what, size);
	(void) data;
	abort();
}

static char
lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char) (c - 'A' + 'a') : c;
}

static bool
ends_with_sep_word(const char *s, size_t len, const char *word, bool fold)
{
	size_t		wl = strlen(word);

	if (wl == 0 || wl > len)
		return false;
	if (wl < len && s[len - wl - 1] != '-' && s[len - wl - 1] != '_')
		return false;
	for (size_t i = 0; i < wl; i++)
	{
		char		a = s[len - wl + i],
					b = word[i];

		if (fold ? lower(a) != lower(b) : a != b)
			return false;
	}
	return true;
}

static bool
ends_with_number(const char *s, size_t len, int item)
{
	size_t		start = len;
	long		v = 0;

	while (start > 0 && s[start - 1] >= '0' && s[start - 1] <= '9')
		start--;
	if (start == len || (start > 0 && s[start - 1] != '-' && s[start - 1] != '_'))
		return false;
	for (size_t i = start; i < len; i++)
	{
		v = v * 10 + (s[i] - '0');
		if (v > 1000)
			return false;
	}
	return v == item;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const AlInstrument *inst;
	const char *s;
	size_t		len;
	AlFhirRule	rule;
	int			item;
	char	   *copy;
	char		code[AL_MAX_CODE_LEN + 1];
	char		norm[AL_MAX_CODE_LEN + 1];

	if (size < 1)
		return 0;
	inst = al_builtin_by_id(1 + data[0] % (AL_NUM_BUILTINS + 1));
	if (inst == NULL)
		inst = &fzm;
	s = (const char *) data + 1;
	len = size - 1;

	/* an exact-size heap copy: reading past len is an ASan report */
	copy = malloc(len > 0 ? len : 1);
	if (copy == NULL)
		return 0;
	memcpy(copy, s, len);

	item = al_fhir_match_item_n(inst, copy, len, true, &rule);
	/* out of scope, only evidence naming the instrument counts: the same item or none */
	{
		int			out = al_fhir_match_item_n(inst, copy, len, false, NULL);

		if (out != 0 && out != item)
			broken("out-of-scope match differs from in-scope", data, size);
		(void) al_fhir_group_kind(inst, copy, len);
	}
	if (item < 0 || item > inst->nitems)
		broken("item out of range", data, size);
	if ((item == 0) != (rule == AL_FHIR_NO_MATCH))
		broken("rule and item disagree", data, size);
	switch (rule)
	{
		case AL_FHIR_NO_MATCH:
			break;
		case AL_FHIR_BY_LINK_ID:
			if (inst->link_ids == NULL || inst->link_ids[item - 1] == NULL ||
				strlen(inst->link_ids[item - 1]) != len ||
				memcmp(inst->link_ids[item - 1], copy, len) != 0)
				broken("link_ids match is not equal", data, size);
			break;
		case AL_FHIR_BY_NUMBER:
			if (!ends_with_number(copy, len, item))
				broken("number match does not end in the number", data, size);
			break;
		case AL_FHIR_BY_LABEL:
			if (inst->item_labels == NULL || inst->item_labels[item - 1] == NULL ||
				!ends_with_sep_word(copy, len, inst->item_labels[item - 1], true))
				broken("label match does not end in the label", data, size);
			break;
		default:
			broken("unknown rule", data, size);
	}

	/* the NUL-terminated entry agrees, when the input holds no NUL */
	if (memchr(copy, '\0', len) == NULL)
	{
		char	   *z = malloc(len + 1);

		if (z != NULL)
		{
			memcpy(z, copy, len);
			z[len] = '\0';
			if (al_fhir_match_item(inst, z) != item)
				broken("NUL-terminated match differs", data, size);
			free(z);
		}
	}

	/* canonical -> code */
	{
		size_t		base = al_fhir_canonical_base_len(copy, len);

		if (base > len || (base < len && copy[base] != '|') || memchr(copy, '|', base) != NULL)
			broken("canonical base length", data, size);
		if (al_fhir_canonical_code(copy, len, code))
		{
			size_t		cl = strlen(code);
			AlError		err;

			if (cl == 0 || cl > AL_MAX_CODE_LEN || cl > base)
				broken("canonical code length", data, size);
			if (al_normalize_code(code, cl, norm, &err) != AL_OK || strcmp(norm, code) != 0)
				broken("canonical code is not a normal code", data, size);
			/* it is the last segment of the base, '-' read as '_', case folded */
			if (base - cl > 0 && copy[base - cl - 1] != '/')
				broken("canonical code is not the last segment", data, size);
			for (size_t i = 0; i < cl; i++)
			{
				char		c = lower(copy[base - cl + i]);

				if ((c == '-' ? '_' : c) != code[i])
					broken("canonical code differs from the segment", data, size);
			}
		}
	}
	free(copy);
	return 0;
}
