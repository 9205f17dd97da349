/*
 * fhir_match.h — the pure rules for reading a FHIR QuestionnaireResponse:
 * which instrument item a linkId names, and which instrument code a
 * Questionnaire canonical names.  The walk over the document that uses them
 * is fhir_read.c.  Nothing here allocates.
 *
 * Item matching, per answer item, first rule that matches wins
 * (doc/fhir.md, "Reading a QuestionnaireResponse"):
 *
 *   1. link_ids: the instrument's own linkIds (custom instruments), exact
 *      and case-sensitive, as FHIR linkIds are.
 *   2. number:   the linkId is the item number ("7"), or ends with "-7" or
 *      "_7" ("waisr-7", "waisr_7").  Leading zeros are allowed ("q-07").
 *      Numbers outside 1..nitems match nothing.  One exception: a LOINC-style
 *      code ("44250-9", "/44249-1/44250-9": three or more digits, a hyphen
 *      and one check digit) is not read as item 9, since LOINC-coded
 *      questions of other forms often share a QuestionnaireResponse.
 *   3. label:    the linkId equals an item label or ends with "-label" or
 *      "_label" ("srs-relationship", "relationship", "srs_relationship"),
 *      ASCII case-insensitively.  When several labels fit, the longest wins.
 */
#ifndef AL_FHIR_MATCH_H
#define AL_FHIR_MATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "instrument.h"

/* Which rule matched (for messages and tests). */
typedef enum AlFhirRule
{
	AL_FHIR_NO_MATCH = 0,
	AL_FHIR_BY_LINK_ID,
	AL_FHIR_BY_NUMBER,
	AL_FHIR_BY_LABEL
} AlFhirRule;

/*
 * The 1-based item number link_id (len bytes, need not be NUL-terminated)
 * names in inst, or 0 when it names none.  *rule (may be NULL) says which
 * rule matched.
 */
int			al_fhir_match_item_n(const AlInstrument *inst, const char *link_id, size_t len,
								 AlFhirRule *rule);

/* The same for a NUL-terminated linkId. */
int			al_fhir_match_item(const AlInstrument *inst, const char *link_id);

/*
 * The length of a canonical URL without its "|version" suffix (the first
 * '|' and everything after it).
 */
size_t		al_fhir_canonical_base_len(const char *canonical, size_t len);

/*
 * The instrument code a canonical's last path segment spells: the version
 * is stripped, then the text after the last '/' is taken, '-' read as '_'
 * and upper case as lower case ("…/Questionnaire/WAI-SR|1.0" -> "wai_sr").
 * Writes the code into out (AL_MAX_CODE_LEN + 1 bytes) and returns true, or
 * returns false when the segment cannot be a code (empty, too long, other
 * characters: "…/Questionnaire/123").  Whether the code is known is the
 * caller's question.
 */
bool		al_fhir_canonical_code(const char *canonical, size_t len, char *out);

/*
 * The built-in instrument a questionnaire canonical names, or NULL: its
 * canonical (AL_FHIR_QUESTIONNAIRE_BASE + id, with or without "|version"), or
 * any canonical whose last path segment spells a built-in code
 * ("https://example.org/fhir/Questionnaire/srs|3.0").  Matched before any
 * custom fhir_url, so no definition can take a built-in's responses.
 */
const AlInstrument *al_fhir_builtin_canonical(const char *canonical, size_t len);

#endif
