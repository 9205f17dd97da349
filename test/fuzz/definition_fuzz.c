/*
 * definition_fuzz.c — libFuzzer target for custom instrument definitions:
 * al_instrument_validate, the one check every define_instrument() and every
 * direct write to alliance.custom_instruments goes through (the skin only
 * decodes its SQL arguments and jsonb into an AlInstrument).
 *
 * The input's first bytes become the numeric fields of a definition (items,
 * decimals, range, step, reversed items, scales, Bordin mapping, cut-off,
 * missing-item rule, score kind, norms); the rest is response text.  A
 * definition that validates must be usable: its fingerprint is stable, the
 * text is parsed against it, and any value that parses must print, re-parse
 * equal, encode, decode equal, and score (total, mean, POMP, every scale,
 * Bordin, at-risk, reliable change against itself) without a sanitizer
 * report.  A definition that does not validate must say why (a message).
 *
 * Build (test/fuzz/run.sh does this):
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Isrc/core \
 *         test/fuzz/definition_fuzz.c <every .c file in src/core>
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "al_status.h"
#include "instrument.h"
#include "response.h"
#include "score.h"

typedef struct Reader
{
	const uint8_t *p;
	size_t		n;
} Reader;

static uint8_t
u8(Reader *r)
{
	uint8_t		v = 0;

	if (r->n > 0)
	{
		v = *r->p++;
		r->n--;
	}
	return v;
}

static int64_t
i64(Reader *r, int bytes)
{
	uint64_t	v = 0;

	for (int i = 0; i < bytes; i++)
		v = (v << 8) | u8(r);
	return (int64_t) v - (bytes >= 8 ? 0 : (int64_t) 1 << (8 * bytes - 1));
}

static const AlInstrument *fz_def;

static const AlInstrument *
resolve(const char *code, void *arg)
{
	(void) arg;
	return fz_def != NULL && strcmp(code, "fzd") == 0 ? fz_def : NULL;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	Reader		rd = {data, size};
	AlInstrument def;
	uint8_t		reversed[AL_MAX_ITEMS];
	uint8_t		scale_items[4][AL_MAX_ITEMS];
	AlScale		scales[4];
	static const char *const scale_names[4] = {"a", "b", "c", "d"};
	AlError		err;
	char	   *text;
	AlResponse	r,
				back;
	char		buf[AL_MAX_TEXT_LEN + 1];

	memset(&def, 0, sizeof def);
	def.code = "fzd";
	def.name = "fuzz definition";
	def.citation = "none";
	def.builtin_id = AL_CUSTOM;
	def.nitems = u8(&rd);
	def.decimals = u8(&rd) % 8;
	def.min_u = i64(&rd, 3);
	def.max_u = def.min_u + i64(&rd, 3);
	def.step_u = i64(&rd, 2);
	def.nreversed = u8(&rd) % 8;
	for (int i = 0; i < def.nreversed; i++)
		reversed[i] = u8(&rd);
	def.reversed = reversed;
	def.nscales = u8(&rd) % 5;
	for (int s = 0; s < def.nscales; s++)
	{
		scales[s].name = scale_names[s];
		scales[s].nitems = u8(&rd) % 12;
		for (int i = 0; i < scales[s].nitems; i++)
			scale_items[s][i] = u8(&rd);
		scales[s].items = scale_items[s];
	}
	def.scales = scales;
	def.goal_scale = (int) (u8(&rd) % 6) - 1;
	def.task_scale = (int) (u8(&rd) % 6) - 1;
	def.bond_scale = (int) (u8(&rd) % 6) - 1;
	def.has_cutoff = u8(&rd) & 1;
	def.cutoff_u = i64(&rd, 3);
	def.cutoff_scale = u8(&rd) % 6;
	def.min_answered_num = u8(&rd);
	def.min_answered_den = u8(&rd);
	def.score = (u8(&rd) & 1) ? AL_SCORE_MEAN : AL_SCORE_TOTAL;
	def.has_norm_sd = u8(&rd) & 1;
	def.norm_sd = (double) i64(&rd, 2) / 16.0;
	def.has_norm_reliability = u8(&rd) & 1;
	def.norm_reliability = (double) u8(&rd) / 200.0;
	def.has_rc_points = u8(&rd) & 1;
	def.rc_points_u = i64(&rd, 2);
	def.rc_points_scale = u8(&rd) % 6;

	if (al_instrument_validate(&def, &err) != AL_OK)
	{
		if (err.message[0] == '\0')
			abort();			/* a refusal must say why */
		return 0;
	}
	if (al_instrument_fingerprint(&def) != al_instrument_fingerprint(&def))
		abort();
	fz_def = &def;

	text = malloc(rd.n + 1);
	memcpy(text, rd.p, rd.n);
	text[rd.n] = '\0';
	if (al_response_parse(text, resolve, NULL, false, &r, &err) == AL_OK && r.inst == &def)
	{
		uint8_t		enc[AL_MAX_ENCODED];
		size_t		len;
		AlRational	q;
		bool		at;
		AlRiskParams rp;

		if (al_response_format(&r, buf, sizeof buf) < 0)
			abort();
		if (al_response_parse(buf, resolve, NULL, false, &back, &err) != AL_OK || al_response_compare(&r, &back) != 0)
			abort();			/* canonical text does not read back equal */
		len = al_response_encode(&r, enc);
		if (al_response_decode(enc, len, &back, &err) != AL_OK)
			abort();
		if (al_response_bind(&back, &def, &err) != AL_OK || al_response_compare(&r, &back) != 0)
			abort();			/* stored form does not read back equal */
		(void) al_score(&r, true, &q);
		(void) al_score(&r, false, &q);
		(void) al_scale_pomp(&r, -1, true, &q);
		for (int s = 0; s < def.nscales; s++)
		{
			(void) al_scale_total(&r, s, true, &q);
			(void) al_scale_mean(&r, s, true, &q);
		}
		(void) al_bordin(&r, AL_BORDIN_GOAL, true, &q);
		(void) al_bordin(&r, AL_BORDIN_BOND, true, &q);
		al_risk_defaults(&rp);
		(void) al_at_risk(&r, &rp, &at);
	}
	fz_def = NULL;
	free(text);
	return 0;
}
