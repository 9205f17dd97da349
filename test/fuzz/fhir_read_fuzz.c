/*
 * fhir_read_fuzz.c — libFuzzer target for the QuestionnaireResponse walk
 * (src/core/fhir_read.c), the code from_fhir and from_fhir_row run on every
 * document a client sends.
 *
 * The first byte picks the instrument (the nine built-ins in catalogue
 * order); the rest is a JSON document, parsed by libjansson and handed to
 * the walk through the same callbacks the server implements over jsonb
 * (test/support/jansson_tree.h).  Invariants, each an abort when broken:
 *
 *  - both steps return AL_OK or an error with a message, of the statuses a
 *    user can cause (22023, 22003, 22P02, 54000), never another;
 *  - a header that reads has status "completed" or "amended";
 *  - the walk comes back up: depth 0, path back to "item" (or empty);
 *  - a response that reads is one every other door accepts: its canonical
 *    text parses back equal, it encodes and decodes equal, and it passes
 *    al_response_check again; at least one item matched.
 *
 * Build (test/fuzz/run.sh does this):
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Isrc/core -Itest/support \
 *         test/fuzz/fhir_read_fuzz.c <every .c file in src/core> -ljansson
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "al_status.h"
#include "fhir_read.h"
#include "instrument.h"
#include "jansson_tree.h"
#include "response.h"

static void
broken(const char *what, const char *detail)
{
	fprintf(stderr, "fhir_read_fuzz: invariant broken: %s (%s)\n", what, detail);
	abort();
}

static void
check_error(AlStatus st, const AlError *err)
{
	if (st != AL_ERR_PARAM && st != AL_ERR_RANGE && st != AL_ERR_SYNTAX && st != AL_ERR_LIMIT)
		broken("unexpected status", err->message);
	if (err->status != st || err->message[0] == '\0')
		broken("error without its message", err->message);
}

static void
check_read(const AlFhirRead *fr)
{
	static char text[AL_MAX_TEXT_LEN];
	static AlResponse again,
				decoded;
	static uint8_t buf[AL_MAX_ENCODED];
	AlError		err;
	int			len;
	size_t		n;

	if (fr->matched <= 0)
		broken("a response read with no item matched", fr->r.code);
	if (al_response_check(&fr->r, &err) != AL_OK)
		broken("the response read fails its own check", err.message);
	len = al_response_format(&fr->r, text, sizeof(text));
	if (len <= 0)
		broken("format failed", fr->r.code);
	if (al_response_parse(text, NULL, NULL, false, &again, &err) != AL_OK)
		broken("canonical text does not parse", err.message);
	if (al_response_compare(&fr->r, &again) != 0)
		broken("re-parsed value differs", text);
	n = al_response_encode(&fr->r, buf);
	if (al_response_decode(buf, n, &decoded, &err) != AL_OK)
		broken("decode of an encoded value failed", err.message);
	if (al_response_compare(&fr->r, &decoded) != 0)
		broken("decoded value differs", text);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static AlFhirRead fr;
	JanssonTreeCtx ctx;
	AlJsonOps	ops = jansson_tree(&ctx);
	const AlInstrument *inst;
	json_error_t jerr;
	json_t	   *root;
	AlFhirDoc	doc;
	AlError		err;
	AlStatus	st;

	if (size < 1)
		return 0;
	inst = al_builtin_by_id(1 + data[0] % AL_NUM_BUILTINS);
	if (inst == NULL)
		broken("no built-in for an id", "");
	root = json_loadb((const char *) data + 1, size - 1, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
	if (root == NULL)
		return 0;

	st = al_fhir_read_doc(&ops, root, &doc, &err);
	if (st != AL_OK)
		check_error(st, &err);
	else if (!(doc.status.len == 9 && memcmp(doc.status.p, "completed", 9) == 0) &&
			 !(doc.status.len == 7 && memcmp(doc.status.p, "amended", 7) == 0))
		broken("a header read with another status", "");

	/* the items of any object, whatever its header says: more of the walk is reached */
	if (json_is_object(root))
	{
		st = al_fhir_read_items(&ops, root, inst, (size & 1) != 0, &fr, &err);
		if (fr.depth != 0 || (fr.path_len != 0 && fr.path_len != 4) || strlen(fr.path) != fr.path_len)
			broken("the walk did not come back up", fr.path);
		if (st != AL_OK)
			check_error(st, &err);
		else
			check_read(&fr);
	}
	json_decref(root);
	return 0;
}
