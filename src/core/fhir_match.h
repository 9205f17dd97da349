/*
 * fhir_match.h — the pure rules for reading a FHIR QuestionnaireResponse:
 * which instrument item a linkId names, and which instrument code a
 * Questionnaire canonical names.  The walk over the document that uses them
 * is fhir_read.c.  Nothing here allocates.
 *
 * Item matching is decided per item, from evidence that belongs to the
 * instrument, never from a number at the end of an unrelated linkId
 * (doc/fhir.md, "Items: which answer is which item").  First rule that
 * matches wins:
 *
 *   1. link_ids: the instrument's own linkIds (custom instruments), exact
 *      and case-sensitive, as FHIR linkIds are.
 *   2. number:   "<prefix>-7" or "<prefix>_7" where the prefix names the
 *      instrument ("waisr-7", "WAI-SR_7", "srs-3"), anywhere in the
 *      document; a bare "7", or a generic "q-07" / "item_7" / "question-7",
 *      only where the item is in the instrument's scope (below).  Leading
 *      zeros are allowed; numbers outside 1..nitems match nothing; a
 *      LOINC-style code ("44250-9", "/44249-1/44250-9": three or more
 *      digits, a hyphen and one check digit) is never an item number.
 *   3. label:    "<prefix>-label" / "<prefix>_label" with a prefix naming the
 *      instrument ("srs-relationship", "SRS_Goals"), anywhere; a bare label
 *      ("relationship") or a generic prefix ("q-relationship") only in scope;
 *      ASCII case-insensitive; when several labels fit, the longest wins.
 *
 * A prefix names the instrument when, lower-cased and without '-', '_', '.'
 * and ' ', it equals the instrument's code so written ("wai_sr", "WAI-SR",
 * "waisr") or the last path segment of its canonical so written.
 *
 * Scope: the top level of the response is in scope when the response is the
 * instrument's own (the caller decides: its questionnaire canonical names
 * the instrument, or names none).  A group whose linkId names the
 * instrument puts its items in scope; a neutral group ("g1", "group-2",
 * "section_3", "page1", "2") keeps the scope it is in; any other group
 * ("phq9", "intake") puts its items out of scope.
  */
#ifndef AL_FHIR_MATCH_H
#define AL_FHIR_MATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "al_status.h"
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
 * names in inst, or 0 when it names none; in_scope: the item is in the
 * instrument's scope (bare numbers and labels count).  *rule (may be NULL)
 * says which rule matched.
 */
int			al_fhir_match_item_n(const AlInstrument *inst, const char *link_id, size_t len,
								 bool in_scope, AlFhirRule *rule);

/* The same for a NUL-terminated linkId, in scope. */
int			al_fhir_match_item(const AlInstrument *inst, const char *link_id);

/* What a group's linkId says about the items in it. */
typedef enum AlFhirGroup
{
	AL_FHIR_GROUP_OTHER = 0,	/* names something else: its items are out of scope */
	AL_FHIR_GROUP_NEUTRAL,		/* "g1", "section-2": keeps the scope */
	AL_FHIR_GROUP_THIS			/* names the instrument: its items are in scope */
} AlFhirGroup;

AlFhirGroup al_fhir_group_kind(const AlInstrument *inst, const char *link_id, size_t len);

/* Does s (len bytes) name inst, by the prefix rule above? */
bool		al_fhir_names_instrument(const AlInstrument *inst, const char *s, size_t len);

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

/*
 * What to_fhir writes must be valid FHIR (doc/fhir.md): a reference
 * (subject, derivedFrom) is a non-empty string without leading or trailing
 * white space; a code system is an absolute URI (a scheme, ':', then no
 * white space at all).  what names the parameter in the message.
 * AL_ERR_PARAM when not.
 */
AlStatus	al_fhir_check_reference(const char *what, const char *s, size_t len, AlError *err);
AlStatus	al_fhir_check_uri(const char *what, const char *s, size_t len, AlError *err);

#endif
