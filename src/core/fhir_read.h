/*
 * fhir_read.h — reading a FHIR R4 QuestionnaireResponse into a response:
 * the one walk every door uses (from_fhir, from_fhir_row), over any parsed
 * JSON document (json_tree.h), so it is unit-tested and fuzzed without a
 * server.  The rules (doc/fhir.md, "Reading a QuestionnaireResponse"):
 *
 *   - the resource is an object with resourceType "QuestionnaireResponse"
 *     and status "completed" or "amended";
 *   - items are walked depth first (item, item[i].item, answer[k].item), at
 *     most AL_FHIR_MAX_DEPTH levels deep; a group (nested items and no
 *     answer) is walked, never matched itself;
 *   - an answered item's linkId is matched by fhir_match.h, in the scope its
 *     groups give it (a group naming the instrument, a neutral group, or
 *     another's); its answer is read, first found wins, from an itemWeight
 *     (else ordinalValue) extension on valueCoding, the same on the answer,
 *     valueInteger, valueDecimal, the weight of the coded answer in a
 *     contained Questionnaire's answerOption, or (0/1 items only)
 *     valueBoolean; a coded answer whose weight cannot be known is an error
 *     (a code is not a value: answer codes are often positions from 0);
 *   - an item answered twice is an error; so is a document in which no item
 *     matches; the response then passes al_response_check.
 *
 * Every malformed structure is an AL_ERR_PARAM naming its JSON path
 * ("item[3].answer[0]").  Nothing here allocates.
 */
#ifndef AL_FHIR_READ_H
#define AL_FHIR_READ_H

#include <stdbool.h>
#include <stddef.h>

#include "al_status.h"
#include "json_tree.h"
#include "response.h"

/* Item levels (item[].item, answer[].item) below the resource's own item array. */
#define AL_FHIR_MAX_DEPTH	100
/* A path at most AL_FHIR_MAX_DEPTH levels deep always fits. */
#define AL_FHIR_PATH_MAX	8192
/* How much of a path and of a linkId an error message shows. */
#define AL_FHIR_SHOWN_PATH	120
#define AL_FHIR_SHOWN_LINK	64

/* A string member: bytes in the caller's document, not NUL-terminated. */
typedef struct AlJsonStr
{
	const char *p;				/* NULL when absent (or, for references, null) */
	size_t		len;
} AlJsonStr;

/* What the resource says about itself. */
typedef struct AlFhirDoc
{
	AlJsonStr	questionnaire;	/* the canonical */
	AlJsonStr	status;
	AlJsonStr	authored;
	AlJsonStr	subject;		/* subject.reference */
	AlJsonStr	subject_system;	/* else subject.identifier.system ... */
	AlJsonStr	subject_value;	/* ... and .value (then always present) */
	AlJsonStr	encounter;		/* encounter.reference */
	AlJsonStr	encounter_system;
	AlJsonStr	encounter_value;
} AlFhirDoc;

typedef struct AlFhirRead
{
	AlResponse	r;				/* the response read */
	int			matched;		/* answer items whose linkId named an instrument item */
	bool		walked;			/* every item was walked without error */
	/* where each item's answer came from, for "answered twice" */
	char		first_path[AL_MAX_ITEMS][AL_FHIR_SHOWN_PATH + 1];
	char		first_link[AL_MAX_ITEMS][AL_FHIR_SHOWN_LINK + 1];
	/* the JSON path being read, extended and cut back as the walk goes */
	char		path[AL_FHIR_PATH_MAX];
	size_t		path_len;
	int			depth;
	/* the first contained Questionnaire (answer weights), or NULL */
	AlJsonRef	questionnaire;
} AlFhirRead;

/*
 * Check the resource (an object, a QuestionnaireResponse, completed or
 * amended) and read its header members into doc.
 */
AlStatus	al_fhir_read_doc(const AlJsonOps *ops, AlJsonRef root, AlFhirDoc *doc, AlError *err);

/*
 * Read the answers of root (a resource al_fhir_read_doc accepted) as a
 * response of inst into fr->r, and check it as a whole.  top_in_scope: the
 * response is inst's own (its questionnaire names inst, or names nothing
 * the caller knows), so its top-level items may use bare numbers and labels.
 */
AlStatus	al_fhir_read_items(const AlJsonOps *ops, AlJsonRef root, const AlInstrument *inst,
							   bool top_in_scope, AlFhirRead *fr, AlError *err);

#endif
