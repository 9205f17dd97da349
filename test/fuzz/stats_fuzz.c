/*
 * stats_fuzz.c — libFuzzer target for the alliance.stats_state text form
 * (al_stats_parse), the state behind summary(), alpha() and norms().
 *
 * Each input, NUL-terminated, is parsed with the built-ins and one custom
 * instrument ("fzs").  On success the state must validate against its own
 * length, print within al_stats_format_bound, and the printed text must parse
 * back to a state that prints identically (the text is a wire format:
 * postgres_fdw and Citus ship partial states as text).  Merging the state
 * into a copy of itself must either succeed and still validate, or fail with
 * a status (never overflow silently), and the floating-point finishers must
 * not crash.
 *
 * Build (test/fuzz/run.sh does this):
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Isrc/core \
 *         test/fuzz/stats_fuzz.c <every .c file in src/core>
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "al_status.h"
#include "instrument.h"
#include "response.h"
#include "stats.h"

/* A custom instrument: 3 items 0.0 .. 10.0 in steps of 0.5, item 2 reversed, two scales. */
static const uint8_t fzs_a[] = {1, 2};
static const uint8_t fzs_b[] = {2, 3};
static const uint8_t fzs_rev[] = {2};
static const AlScale fzs_scales[] = {{"a", 2, fzs_a}, {"b", 2, fzs_b}};
static const AlInstrument fzs = {
	.code = "fzs", .name = "fuzz sliders", .citation = "none", .evidence = "R",
	.builtin_id = AL_CUSTOM, .nitems = 3, .decimals = 1,
	.min_u = 0, .max_u = 100, .step_u = 5,
	.nreversed = 1, .reversed = fzs_rev,
	.nscales = 2, .scales = fzs_scales,
	.goal_scale = -1, .task_scale = -1, .bond_scale = -1,
	.has_cutoff = true, .cutoff_u = 150, .cutoff_scale = 1,
	.min_answered_num = 3, .min_answered_den = 4,
	.score = AL_SCORE_TOTAL,
};

static const AlInstrument *
resolve(const char *code, void *arg)
{
	(void) arg;
	return strcmp(code, "fzs") == 0 ? &fzs : NULL;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *text;
	AlStats    *s,
			   *back,
			   *twice;
	AlError		err;
	size_t		bound;
	char	   *out,
			   *out2;

	if (size > 1 << 16)
		return 0;
	text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	s = malloc(AL_STATS_MAX_SIZE);
	back = malloc(AL_STATS_MAX_SIZE);
	twice = malloc(AL_STATS_MAX_SIZE);

	if (al_stats_parse(text, resolve, NULL, s, &err) == AL_OK)
	{
		const AlInstrument *inst = s->mode ? al_resolve(s->code, resolve, NULL) : NULL;
		AlSummaryResult sum;
		double		alpha;

		if (s->mode && inst == NULL)
			abort();			/* parsed a code it cannot resolve */
		if (al_stats_validate(s, al_stats_size(s), &err) != AL_OK)
			abort();			/* parse accepted what validate rejects */
		bound = al_stats_format_bound(s);
		out = malloc(bound);
		if (al_stats_format(s, inst, out, bound) < 0)
			abort();			/* printed past its own bound */
		if (al_stats_parse(out, resolve, NULL, back, &err) != AL_OK)
			abort();			/* its own text does not parse */
		out2 = malloc(al_stats_format_bound(back));
		if (al_stats_format(back, inst, out2, al_stats_format_bound(back)) < 0 || strcmp(out, out2) != 0)
			abort();			/* text -> state -> text is not the identity */
		if (al_stats_size(back) != al_stats_size(s) || memcmp(back, s, al_stats_size(s)) != 0)
			abort();			/* the same text gave another state */

		memcpy(twice, s, al_stats_size(s));
		if (al_stats_merge(twice, s, "state", &err) == AL_OK &&
			al_stats_validate(twice, al_stats_size(twice), &err) != AL_OK)
			abort();			/* a merge broke the invariants */
		if (s->mode)
		{
			al_stats_summary(s, &sum);
			(void) al_stats_alpha(s, &alpha);
		}
		free(out);
		free(out2);
	}
	free(twice);
	free(back);
	free(s);
	free(text);
	return 0;
}
