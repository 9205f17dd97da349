/*
 * response_fuzz.c — libFuzzer target for the response text and stored forms.
 *
 * Each input is used twice:
 *
 *  1. As text (a NUL-terminated copy) for al_response_parse, with built-ins
 *     plus one custom instrument ("fzc") bound, and again with unknown codes
 *     allowed unbound.  On success: format, re-parse (must succeed and compare
 *     equal, with equal hashes and the same text), encode, decode (must
 *     succeed and compare equal), re-encode (same bytes); an unbound "fzc"
 *     value binds exactly when the bound parse of its text succeeds; scoring
 *     a bound value must not crash.
 *
 *  2. As stored bytes for al_response_decode: must not crash; on success the
 *     re-encoding gives identical bytes (the stored form is canonical), a
 *     custom-format value never names a built-in code, and a built-in
 *     value's text parses back to an equal value.
 *
 * A broken invariant aborts, which libFuzzer reports as a crash.
 *
 * Build (test/fuzz/run.sh does this):
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Isrc/core \
 *         test/fuzz/response_fuzz.c <every .c file in src/core>
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

/* A custom instrument: 4 items 0.00 .. 1.00 in steps of 0.25, item 3 reversed. */
static const uint8_t fzc_all[] = {1, 2, 3, 4};
static const uint8_t fzc_pair[] = {1, 3};
static const uint8_t fzc_rev[] = {3};
static const AlScale fzc_scales[] = {{"all", 4, fzc_all}, {"pair", 2, fzc_pair}};
static const AlInstrument fzc = {
	.code = "fzc", .name = "fuzz form", .citation = "none", .evidence = "R",
	.builtin_id = AL_CUSTOM, .nitems = 4, .decimals = 2,
	.min_u = 0, .max_u = 100, .step_u = 25,
	.nreversed = 1, .reversed = fzc_rev,
	.nscales = 2, .scales = fzc_scales,
	.goal_scale = 1, .task_scale = -1, .bond_scale = 0,
	.has_cutoff = true, .cutoff_u = 200,
	.min_answered_num = 3, .min_answered_den = 4,
	.score = AL_SCORE_MEAN,
};

static const AlInstrument *
fzc_resolver(const char *code, void *arg)
{
	(void) arg;
	return strcmp(code, "fzc") == 0 ? &fzc : NULL;
}

#define TEXT_BUF (AL_MAX_TEXT_LEN + 1)

static void
die(const char *what, const char *detail)
{
	fprintf(stderr, "response_fuzz: invariant broken: %s\n  %s\n", what, detail ? detail : "");
	abort();
}

/* Scoring must not crash or trip a sanitizer on any bound value. */
static void
exercise_scoring(const AlResponse *r)
{
	AlRational	out;
	AlRiskParams rp;
	bool		at;
	int			items[AL_MAX_ITEMS];

	if (r->inst == NULL)
		return;
	for (int s = AL_WHOLE; s < r->inst->nscales; s++)
	{
		(void) al_scale_total(r, s, true, &out);
		(void) al_scale_total(r, s, false, &out);
		(void) al_scale_mean(r, s, true, &out);
		(void) al_scale_pomp(r, s, true, &out);
	}
	(void) al_score(r, true, &out);
	(void) al_bordin(r, AL_BORDIN_GOAL, true, &out);
	(void) al_bordin(r, AL_BORDIN_TASK, true, &out);
	(void) al_bordin(r, AL_BORDIN_BOND, true, &out);
	al_risk_defaults(&rp);
	(void) al_at_risk(r, &rp, &at);
	(void) al_flagged_items(r, false, al_rat(0, 1, 0), items);
	{
		AlRcParams	p;
		AlReliableChange rc;
		bool		scored;
		AlError		err;

		memset(&p, 0, sizeof(p));
		p.has_sd = true;
		p.sd = 5;
		p.has_reliability = true;
		p.reliability = 0.8;
		(void) al_reliable_change(r, r, &p, &rc, &scored, &err);
	}
}

/* encode -> decode -> compare -> re-encode */
static void
check_stored_roundtrip(const AlResponse *r, const char *text)
{
	static uint8_t buf[AL_MAX_ENCODED],
				again[AL_MAX_ENCODED];
	static AlResponse d;
	AlError		err;
	size_t		n = al_response_encode(r, buf),
				m;

	if (n < 2 || n > AL_MAX_ENCODED)
		die("encoded length out of bounds", text);
	if (al_response_decode(buf, n, &d, &err) != AL_OK)
		die("decode of an encoded value failed", err.message);
	if (al_response_compare(r, &d) != 0 || al_response_compare(&d, r) != 0)
		die("decoded value differs", text);
	if (al_response_hash(r, 0) != al_response_hash(&d, 0))
		die("decoded value hashes differently", text);
	m = al_response_encode(&d, again);
	if (m != n || memcmp(buf, again, n) != 0)
		die("re-encoding a decoded value changed its bytes", text);
	/* a bound custom value comes back unbound and binds to its own definition */
	if (r->inst == &fzc)
	{
		if (d.inst != NULL || d.fingerprint != r->fingerprint)
			die("custom value did not come back unbound with its fingerprint", text);
		if (al_response_bind(&d, &fzc, &err) != AL_OK)
			die("bind of a decoded value to its own definition failed", err.message);
		if (al_response_compare(r, &d) != 0)
			die("bound value differs", text);
	}
}

static void
check_parsed(const AlResponse *r, AlResolver resolver, bool allow_unbound)
{
	static char text[TEXT_BUF],
				text2[TEXT_BUF];
	static AlResponse again;
	AlError		err;
	int			len = al_response_format(r, text, sizeof(text));

	if (len <= 0 || (size_t) len != strlen(text))
		die("format failed", r->code);
	if (al_response_parse(text, resolver, NULL, allow_unbound, &again, &err) != AL_OK)
	{
		fprintf(stderr, "text: %s\n", text);
		die("canonical text does not parse", err.message);
	}
	if (al_response_compare(r, &again) != 0 || al_response_compare(&again, r) != 0)
		die("re-parsed value differs", text);
	if (al_response_hash(r, 42) != al_response_hash(&again, 42))
		die("re-parsed value hashes differently", text);
	if (al_response_format(&again, text2, sizeof(text2)) != len || strcmp(text, text2) != 0)
		die("canonical text is not stable", text);
	if (again.inst != r->inst || again.decimals != r->decimals)
		die("re-parse changed the binding or decimals", text);

	check_stored_roundtrip(r, text);
	exercise_scoring(r);

	/* an unbound "fzc" value binds exactly when its text parses bound */
	if (r->inst == NULL && strcmp(r->code, "fzc") == 0)
	{
		static AlResponse bound,
					bound_parse;
		AlError		err2;
		AlStatus	st_bind,
					st_parse;

		bound = *r;
		st_bind = al_response_bind(&bound, &fzc, &err);
		st_parse = al_response_parse(text, fzc_resolver, NULL, false, &bound_parse, &err2);
		if ((st_bind == AL_OK) != (st_parse == AL_OK))
		{
			fprintf(stderr, "text: %s\nbind: %s\nparse: %s\n", text,
					st_bind == AL_OK ? "ok" : err.message,
					st_parse == AL_OK ? "ok" : err2.message);
			die("bind and bound parse disagree", text);
		}
		if (st_bind == AL_OK)
		{
			if (al_response_compare(&bound, &bound_parse) != 0 ||
				al_response_compare(&bound, r) != 0)
				die("bound value differs from the bound parse", text);
			if (al_response_hash(&bound, 1) != al_response_hash(r, 1))
				die("binding changed the hash", text);
			check_stored_roundtrip(&bound, text);
			exercise_scoring(&bound);
		}
	}
}

static void
fuzz_text(const char *text)
{
	static AlResponse r;
	static const struct
	{
		AlResolver	resolver;
		bool		allow_unbound;
	}			modes[] = {
		{fzc_resolver, false},
		{NULL, true},
	};

	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
	{
		AlError		err;

		memset(&err, 0, sizeof(err));
		if (al_response_parse(text, modes[i].resolver, NULL, modes[i].allow_unbound, &r, &err) == AL_OK)
			check_parsed(&r, modes[i].resolver, modes[i].allow_unbound);
		else if (err.status == AL_OK || err.message[0] == '\0')
			die("failed parse without an error message", text);
	}
}

static void
fuzz_bytes(const uint8_t *data, size_t size)
{
	static AlResponse d,
				again;
	static uint8_t buf[AL_MAX_ENCODED];
	static char text[TEXT_BUF];
	AlError		err;
	size_t		n;

	memset(&err, 0, sizeof(err));
	if (al_response_decode(data, size, &d, &err) != AL_OK)
	{
		if (err.status != AL_ERR_CORRUPT)
			die("decode failed with a status other than AL_ERR_CORRUPT", err.message);
		return;
	}
	if (size > AL_MAX_ENCODED)
		die("decode accepted more bytes than any value needs", NULL);
	if (d.inst == NULL && al_builtin_by_code(d.code) != NULL)
		die("decode accepted a custom-format value naming a built-in code", d.code);
	n = al_response_encode(&d, buf);
	if (n != size || memcmp(buf, data, size) != 0)
		die("decoded bytes do not re-encode identically", d.code);
	if (al_response_format(&d, text, sizeof(text)) <= 0)
		die("format of a decoded value failed", d.code);
	if (d.inst != NULL)
	{
		/* a built-in value read from disk prints as valid input */
		if (al_response_parse(text, NULL, NULL, false, &again, &err) != AL_OK)
			die("text of a decoded built-in value does not parse", err.message);
		if (al_response_compare(&d, &again) != 0)
			die("text of a decoded built-in value parses to another value", text);
		exercise_scoring(&d);
	}
	else if (strcmp(d.code, "fzc") == 0 && al_response_bind(&d, &fzc, &err) == AL_OK)
		exercise_scoring(&d);
}

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *text = malloc(size + 1);

	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	fuzz_text(text);
	free(text);
	fuzz_bytes(data, size);
	return 0;
}
