/*
 * fhir_read.c — the QuestionnaireResponse walk (fhir_read.h; the rules in
 * doc/fhir.md, "Reading a QuestionnaireResponse").
 */
#include "fhir_read.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "fhir_match.h"

#define URL_ITEM_WEIGHT		"http://hl7.org/fhir/StructureDefinition/itemWeight"
#define URL_ORDINAL_VALUE	"http://hl7.org/fhir/StructureDefinition/ordinalValue"

const char *
al_json_kind_name(AlJsonKind kind)
{
	switch (kind)
	{
		case AL_JSON_NULL:
			return "null";
		case AL_JSON_BOOL:
			return "a boolean";
		case AL_JSON_NUMBER:
			return "a number";
		case AL_JSON_STRING:
			return "a string";
		case AL_JSON_ARRAY:
			return "an array";
		case AL_JSON_OBJECT:
			return "an object";
	}
	return "a JSON value";
}

static AlJsonKind
kind_of(const AlJsonOps *ops, AlJsonRef v)
{
	return ops->kind(ops->ctx, v);
}

static const char *
kind_name(const AlJsonOps *ops, AlJsonRef v)
{
	return al_json_kind_name(kind_of(ops, v));
}

static AlJsonRef
member(const AlJsonOps *ops, AlJsonRef obj, const char *key)
{
	return ops->member(ops->ctx, obj, key);
}

static void
release(const AlJsonOps *ops, AlJsonRef v)
{
	if (ops->release != NULL && v != NULL)
		ops->release(ops->ctx, v);
}

static bool
string_eq(const AlJsonOps *ops, AlJsonRef v, const char *s)
{
	size_t		len;
	const char *p;

	if (v == NULL || kind_of(ops, v) != AL_JSON_STRING)
		return false;
	p = ops->string(ops->ctx, v, &len);
	return len == strlen(s) && memcmp(p, s, len) == 0;
}

/*
 * text (len bytes) as a NUL-terminated string of at most max bytes: the end
 * kept, the start shown as "..." when it is longer (the end of a JSON path
 * says where).  out holds max + 1 bytes.
 */
static const char *
shown_tail(const char *text, size_t len, char *out, size_t max)
{
	if (len <= max)
	{
		memcpy(out, text, len);
		out[len] = '\0';
	}
	else
	{
		memcpy(out, "...", 3);
		memcpy(out + 3, text + len - (max - 3), max - 3);
		out[max] = '\0';
	}
	return out;
}

/* the same, keeping the start (a linkId, a value: the start says what) */
static const char *
shown_head(const char *text, size_t len, char *out, size_t max)
{
	if (len <= max)
	{
		memcpy(out, text, len);
		out[len] = '\0';
	}
	else
	{
		memcpy(out, text, max - 3);
		memcpy(out + max - 3, "...", 4);
	}
	return out;
}

/* "malformed QuestionnaireResponse: <path> <what>" */
static AlStatus malformed(AlError *err, const char *path, size_t len, const char *fmt,...)
			__attribute__((format(printf, 4, 5)));

static AlStatus
malformed(AlError *err, const char *path, size_t len, const char *fmt,...)
{
	char		what[AL_MSG_LEN];
	char		shown[AL_FHIR_SHOWN_PATH + 1];
	va_list		ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return al_fail(err, AL_ERR_PARAM, "malformed QuestionnaireResponse: %s %s",
				   shown_tail(path, len, shown, AL_FHIR_SHOWN_PATH), what);
}

/* ------------------------------------------------------------------------
 * the resource's own members
 * ------------------------------------------------------------------------ */

/* a string member (absent: out->p NULL); anything but a string is malformed */
static AlStatus
get_string(const AlJsonOps *ops, AlJsonRef obj, const char *key, const char *path,
		   AlJsonStr *out, AlError *err)
{
	AlJsonRef	v = member(ops, obj, key);

	out->p = NULL;
	out->len = 0;
	if (v == NULL)
		return AL_OK;
	if (kind_of(ops, v) != AL_JSON_STRING)
		return malformed(err, path, strlen(path), "is %s, not a string", kind_name(ops, v));
	out->p = ops->string(ops->ctx, v, &out->len);
	return AL_OK;
}

/*
 * A Reference member (subject, encounter): its "reference", else its
 * identifier's system and value (FHIR's system|value).  Absent or null:
 * none.  A Reference with neither (a display only) would pool different
 * clients under NULL, so it is an error.
 */
static AlStatus
get_reference(const AlJsonOps *ops, AlJsonRef obj, const char *key, AlJsonStr *out,
			  AlJsonStr *id_system, AlJsonStr *id_value, AlError *err)
{
	AlJsonRef	v = member(ops, obj, key);
	AlJsonRef	id;
	char		path[64];
	AlStatus	st;

	out->p = id_system->p = id_value->p = NULL;
	out->len = id_system->len = id_value->len = 0;
	if (v == NULL || kind_of(ops, v) == AL_JSON_NULL)
		return AL_OK;
	if (kind_of(ops, v) != AL_JSON_OBJECT)
		return malformed(err, key, strlen(key), "is %s, not a Reference object", kind_name(ops, v));
	snprintf(path, sizeof(path), "%s.reference", key);
	if ((st = get_string(ops, v, "reference", path, out, err)) != AL_OK)
		return st;
	if (out->p != NULL)
	{
		if (out->len == 0)
			return malformed(err, path, strlen(path), "is empty");
		return AL_OK;
	}
	id = member(ops, v, "identifier");
	snprintf(path, sizeof(path), "%s.identifier", key);
	if (id != NULL && kind_of(ops, id) != AL_JSON_OBJECT)
		return malformed(err, path, strlen(path), "is %s, not an Identifier object", kind_name(ops, id));
	if (id != NULL)
	{
		snprintf(path, sizeof(path), "%s.identifier.value", key);
		if ((st = get_string(ops, id, "value", path, id_value, err)) != AL_OK)
			return st;
		snprintf(path, sizeof(path), "%s.identifier.system", key);
		if ((st = get_string(ops, id, "system", path, id_system, err)) != AL_OK)
			return st;
	}
	if (id_value->p == NULL || id_value->len == 0)
	{
		al_fail(err, AL_ERR_PARAM, "QuestionnaireResponse %s has neither a reference nor an identifier value", key);
		al_detail(err, "Without one, responses of different clients would share one NULL %s.", key);
		al_hint(err, "Send %s.reference (\"Patient/123\") or %s.identifier with a system and a value.", key, key);
		return AL_ERR_PARAM;
	}
	return AL_OK;
}

static bool
str_is(const AlJsonStr *s, const char *want)
{
	return s->p != NULL && s->len == strlen(want) && memcmp(s->p, want, s->len) == 0;
}

AlStatus
al_fhir_read_doc(const AlJsonOps *ops, AlJsonRef root, AlFhirDoc *doc, AlError *err)
{
	AlJsonRef	rt;
	char		shown[65];
	AlStatus	st;

	memset(doc, 0, sizeof(*doc));
	if (root == NULL || kind_of(ops, root) != AL_JSON_OBJECT)
		return al_fail(err, AL_ERR_PARAM, "malformed QuestionnaireResponse: the resource is not a JSON object");
	rt = member(ops, root, "resourceType");
	if (rt == NULL)
		return malformed(err, "resourceType", 12, "is missing");
	if (!string_eq(ops, rt, "QuestionnaireResponse"))
	{
		if (kind_of(ops, rt) == AL_JSON_STRING)
		{
			size_t		len;
			const char *p = ops->string(ops->ctx, rt, &len);

			return al_fail(err, AL_ERR_PARAM, "resourceType is \"%s\", not \"QuestionnaireResponse\"",
						   shown_head(p, len, shown, 64));
		}
		return al_fail(err, AL_ERR_PARAM, "resourceType is %s, not \"QuestionnaireResponse\"",
					   kind_name(ops, rt));
	}
	if ((st = get_string(ops, root, "questionnaire", "questionnaire", &doc->questionnaire, err)) != AL_OK ||
		(st = get_string(ops, root, "status", "status", &doc->status, err)) != AL_OK ||
		(st = get_string(ops, root, "authored", "authored", &doc->authored, err)) != AL_OK ||
		(st = get_reference(ops, root, "subject", &doc->subject, &doc->subject_system,
							&doc->subject_value, err)) != AL_OK ||
		(st = get_reference(ops, root, "encounter", &doc->encounter, &doc->encounter_system,
							&doc->encounter_value, err)) != AL_OK)
		return st;
	if (doc->status.p == NULL)
	{
		al_fail(err, AL_ERR_PARAM, "QuestionnaireResponse has no status");
		al_hint(err, "Only completed or amended responses are scored.");
		return AL_ERR_PARAM;
	}
	if (!str_is(&doc->status, "completed") && !str_is(&doc->status, "amended"))
	{
		al_fail(err, AL_ERR_PARAM, "QuestionnaireResponse status is \"%s\"",
				shown_head(doc->status.p, doc->status.len, shown, 64));
		al_hint(err, "Only completed or amended responses are scored.");
		return AL_ERR_PARAM;
	}
	return AL_OK;
}

/* ------------------------------------------------------------------------
 * the items
 * ------------------------------------------------------------------------ */

/* fr->path += the formatted text; a path within AL_FHIR_MAX_DEPTH levels always fits */
static void path_append(AlFhirRead *fr, const char *fmt,...) __attribute__((format(printf, 2, 3)));

static void
path_append(AlFhirRead *fr, const char *fmt,...)
{
	va_list		ap;
	size_t		room = sizeof(fr->path) - fr->path_len;
	int			n;

	va_start(ap, fmt);
	n = vsnprintf(fr->path + fr->path_len, room, fmt, ap);
	va_end(ap);
	fr->path_len += (n < 0 || (size_t) n >= room) ? room - 1 : (size_t) n;
}

static void
path_cut(AlFhirRead *fr, size_t len)
{
	fr->path_len = len;
	fr->path[len] = '\0';
}

/* "<fr->path><suffix> is <kind>, not <expected>" */
static AlStatus
malformed_at(AlFhirRead *fr, AlError *err, const char *suffix, const char *kind, const char *expected)
{
	size_t		len = fr->path_len;
	AlStatus	st;

	path_append(fr, "%s", suffix);
	st = malformed(err, fr->path, fr->path_len, "is %s, not %s", kind, expected);
	path_cut(fr, len);
	return st;
}

/* An answer's value: decimal text from the document, or a value already decided. */
typedef struct Answer
{
	bool		found;
	const char *text;			/* NULL: dec holds the value */
	size_t		len;
	AlDecimal	dec;
} Answer;

static void
answer_number(const AlJsonOps *ops, AlJsonRef v, Answer *a)
{
	a->found = true;
	a->text = ops->number(ops->ctx, v, &a->len);
}

/* the first itemWeight (else ordinalValue) extension's number on the coding at fr->path */
static AlStatus
coding_weight(AlFhirRead *fr, const AlJsonOps *ops, AlJsonRef coding, Answer *a, AlError *err)
{
	AlJsonRef	ext = member(ops, coding, "extension");
	AlJsonRef	ordinal = NULL;
	AlStatus	st = AL_OK;
	size_t		n;

	if (ext == NULL)
		return AL_OK;
	if (kind_of(ops, ext) != AL_JSON_ARRAY)
		return malformed_at(fr, err, ".extension", kind_name(ops, ext), "an array");
	n = ops->length(ops->ctx, ext);
	for (size_t j = 0; j < n && st == AL_OK && !a->found; j++)
	{
		AlJsonRef	e = ops->element(ops->ctx, ext, j);
		AlJsonRef	url,
					val;
		const char *vkey = "valueDecimal";
		bool		weight;
		size_t		len = fr->path_len;

		path_append(fr, ".extension[%zu]", j);
		if (kind_of(ops, e) != AL_JSON_OBJECT)
			st = malformed(err, fr->path, fr->path_len, "is %s, not an object", kind_name(ops, e));
		else if ((url = member(ops, e, "url")) == NULL || kind_of(ops, url) != AL_JSON_STRING)
			st = malformed(err, fr->path, fr->path_len, "has no string url");
		else if ((weight = string_eq(ops, url, URL_ITEM_WEIGHT)) || string_eq(ops, url, URL_ORDINAL_VALUE))
		{
			val = member(ops, e, vkey);
			if (val == NULL)
				val = member(ops, e, vkey = "valueInteger");
			if (val == NULL)
				st = malformed(err, fr->path, fr->path_len, "(%s) has no valueDecimal",
							   weight ? "itemWeight" : "ordinalValue");
			else if (kind_of(ops, val) != AL_JSON_NUMBER)
			{
				path_append(fr, ".%s", vkey);
				st = malformed(err, fr->path, fr->path_len, "is %s, not a number", kind_name(ops, val));
			}
			else if (weight)
				answer_number(ops, val, a);
			else if (ordinal == NULL)
				ordinal = val;
		}
		path_cut(fr, len);
		release(ops, e);
	}
	if (st == AL_OK && !a->found && ordinal != NULL)
		answer_number(ops, ordinal, a);
	return st;
}

/* a number member (valueInteger, valueDecimal) of the answer at fr->path, if any */
static AlStatus
get_number(AlFhirRead *fr, const AlJsonOps *ops, AlJsonRef ans, const char *key, Answer *a, AlError *err)
{
	AlJsonRef	v = member(ops, ans, key);
	char		suffix[32];

	if (v == NULL)
		return AL_OK;
	if (kind_of(ops, v) != AL_JSON_NUMBER)
	{
		snprintf(suffix, sizeof(suffix), ".%s", key);
		return malformed_at(fr, err, suffix, kind_name(ops, v), "a number");
	}
	answer_number(ops, v, a);
	return AL_OK;
}

/* item := the answer found, as every other door sets an item */
static AlStatus
set_answer(AlFhirRead *fr, int item, const Answer *a, const char *link, AlError *err)
{
	AlDecimal	dec = a->dec;
	char		shown_path[AL_FHIR_SHOWN_PATH + 1];
	AlStatus	st;

	if (a->text != NULL && al_parse_decimal(a->text, a->len, &dec, err) != AL_OK)
	{
		char		shown[65];

		st = al_response_item_error(&fr->r, item, shown_head(a->text, a->len, shown, 64), err);
	}
	else if ((st = al_response_set_item(&fr->r, item, &dec, err)) == AL_OK)
		return AL_OK;
	if (err != NULL && err->detail[0] == '\0')
		al_detail(err, "At %s (linkId \"%s\").",
				  shown_tail(fr->path, fr->path_len, shown_path, AL_FHIR_SHOWN_PATH), link);
	return st;
}

/* an itemWeight (else ordinalValue) number in obj.extension, for the contained Questionnaire */
static bool
extension_weight(const AlJsonOps *ops, AlJsonRef obj, Answer *a)
{
	AlJsonRef	ext = member(ops, obj, "extension");
	AlJsonRef	ordinal = NULL;
	size_t		n;

	if (ext == NULL || kind_of(ops, ext) != AL_JSON_ARRAY)
		return false;
	n = ops->length(ops->ctx, ext);
	for (size_t j = 0; j < n && !a->found; j++)
	{
		AlJsonRef	e = ops->element(ops->ctx, ext, j);
		AlJsonRef	url = kind_of(ops, e) == AL_JSON_OBJECT ? member(ops, e, "url") : NULL;
		bool		weight = string_eq(ops, url, URL_ITEM_WEIGHT);

		if (weight || string_eq(ops, url, URL_ORDINAL_VALUE))
		{
			AlJsonRef	val = member(ops, e, "valueDecimal");

			if (val == NULL)
				val = member(ops, e, "valueInteger");
			if (val != NULL && kind_of(ops, val) == AL_JSON_NUMBER)
			{
				if (weight)
					answer_number(ops, val, a);
				else if (ordinal == NULL)
					ordinal = val;
			}
		}
		release(ops, e);
	}
	if (!a->found && ordinal != NULL)
		answer_number(ops, ordinal, a);
	return a->found;
}

static bool
json_str_eq(const AlJsonOps *ops, AlJsonRef v, const AlJsonStr *s)
{
	size_t		len;
	const char *p;

	if (v == NULL || kind_of(ops, v) != AL_JSON_STRING)
		return false;
	p = ops->string(ops->ctx, v, &len);
	return len == s->len && memcmp(p, s->p, len) == 0;
}

/* the Questionnaire item (in items, depth first) whose linkId is link */
static AlJsonRef
questionnaire_item(const AlJsonOps *ops, AlJsonRef items, const AlJsonStr *link, int depth)
{
	size_t		n;

	if (items == NULL || kind_of(ops, items) != AL_JSON_ARRAY || depth > AL_FHIR_MAX_DEPTH)
		return NULL;
	n = ops->length(ops->ctx, items);
	for (size_t i = 0; i < n; i++)
	{
		AlJsonRef	it = ops->element(ops->ctx, items, i);
		AlJsonRef	found = NULL;

		if (kind_of(ops, it) == AL_JSON_OBJECT)
		{
			if (json_str_eq(ops, member(ops, it, "linkId"), link))
				return it;
			found = questionnaire_item(ops, member(ops, it, "item"), link, depth + 1);
		}
		if (found != NULL)
			return found;
		release(ops, it);
	}
	return NULL;
}

/*
 * The weight the contained Questionnaire gives the coded answer (code, and
 * system when both sides have one) of item link: an itemWeight or
 * ordinalValue on the matching answerOption's valueCoding, else on the
 * answerOption.
 */
static bool
contained_weight(AlFhirRead *fr, const AlJsonOps *ops, const AlJsonStr *link, const AlJsonStr *code,
				 const AlJsonStr *system, Answer *a)
{
	AlJsonRef	item,
				options;
	size_t		n;

	if (fr->questionnaire == NULL ||
		(item = questionnaire_item(ops, member(ops, fr->questionnaire, "item"), link, 0)) == NULL)
		return false;
	options = member(ops, item, "answerOption");
	if (options == NULL || kind_of(ops, options) != AL_JSON_ARRAY)
		return false;
	n = ops->length(ops->ctx, options);
	for (size_t i = 0; i < n && !a->found; i++)
	{
		AlJsonRef	opt = ops->element(ops->ctx, options, i);
		AlJsonRef	vc = kind_of(ops, opt) == AL_JSON_OBJECT ? member(ops, opt, "valueCoding") : NULL;

		if (vc != NULL && kind_of(ops, vc) == AL_JSON_OBJECT && json_str_eq(ops, member(ops, vc, "code"), code))
		{
			AlJsonRef	osys = member(ops, vc, "system");

			if (system->p == NULL || osys == NULL || json_str_eq(ops, osys, system))
			{
				if (!extension_weight(ops, vc, a))
					extension_weight(ops, opt, a);
			}
		}
		release(ops, opt);
	}
	return a->found;
}

/*
 * The answer object at fr->path of item (linkId link): itemWeight /
 * ordinalValue on valueCoding, then valueInteger / valueDecimal, then a
 * numeric valueCoding.code, then (0/1 items only) valueBoolean.
 */
static AlStatus
read_answer(AlFhirRead *fr, const AlJsonOps *ops, int item, AlJsonRef ans, const char *link,
			const AlJsonStr *link_id, AlError *err)
{
	AlJsonRef	coding = member(ops, ans, "valueCoding");
	AlJsonRef	b;
	Answer		a = {0};
	char		shown_path[AL_FHIR_SHOWN_PATH + 1];
	size_t		len = fr->path_len;
	AlStatus	st = AL_OK;

	if (fr->first_path[item - 1][0] != '\0')
	{
		al_fail(err, AL_ERR_PARAM, "%s item %d is answered twice: at %s and at %s",
				fr->r.code, item, fr->first_path[item - 1],
				shown_tail(fr->path, fr->path_len, shown_path, AL_FHIR_SHOWN_PATH));
		al_detail(err, "linkIds \"%s\" and \"%s\".", fr->first_link[item - 1], link);
		al_hint(err, "A response holds one answer per item; split repeated groups into separate QuestionnaireResponses.");
		return AL_ERR_PARAM;
	}
	if (coding != NULL && kind_of(ops, coding) != AL_JSON_OBJECT)
		return malformed_at(fr, err, ".valueCoding", kind_name(ops, coding), "a Coding object");
	if (coding != NULL)
	{
		path_append(fr, ".valueCoding");
		st = coding_weight(fr, ops, coding, &a, err);
		path_cut(fr, len);
	}
	/* an itemWeight may sit on the answer itself */
	if (st == AL_OK && !a.found)
		st = coding_weight(fr, ops, ans, &a, err);
	if (st == AL_OK && !a.found)
		st = get_number(fr, ops, ans, "valueInteger", &a, err);
	if (st == AL_OK && !a.found)
		st = get_number(fr, ops, ans, "valueDecimal", &a, err);
	if (st == AL_OK && !a.found && coding != NULL)
	{
		AlJsonStr	code,
					system;

		path_append(fr, ".valueCoding.code");
		st = get_string(ops, coding, "code", fr->path, &code, err);
		path_cut(fr, len);
		if (st == AL_OK)
		{
			path_append(fr, ".valueCoding.system");
			st = get_string(ops, coding, "system", fr->path, &system, err);
			path_cut(fr, len);
		}
		if (st == AL_OK && code.p != NULL && !contained_weight(fr, ops, link_id, &code, &system, &a))
		{
			char		shown[65];

			/* a code is not a value: answer codes are often positions counted from 0 */
			al_fail(err, AL_ERR_PARAM, "%s item %d is answered with code \"%s\" at %s, and nothing gives its weight",
					fr->r.code, item, shown_head(code.p, code.len, shown, 64),
					shown_tail(fr->path, fr->path_len, shown_path, AL_FHIR_SHOWN_PATH));
			al_detail(err, "linkId \"%s\".  A code names an answer; it is not its value (codes are often positions counted from 0).", link);
			al_hint(err, "Give the answer's value as an itemWeight extension on the valueCoding or the answer, as valueInteger, or in a contained Questionnaire's answerOption.");
			return AL_ERR_PARAM;
		}
	}
	if (st == AL_OK && !a.found && (b = member(ops, ans, "valueBoolean")) != NULL &&
		al_item_min(fr->r.inst, item) == 0 &&
		al_item_max(fr->r.inst, item) == al_pow10(fr->r.inst->decimals))
	{
		if (kind_of(ops, b) != AL_JSON_BOOL)
			return malformed_at(fr, err, ".valueBoolean", kind_name(ops, b), "a boolean");
		a.found = true;
		a.dec.units = ops->boolean(ops->ctx, b) ? 1 : 0;
		a.dec.scale = 0;
	}
	if (st != AL_OK)
		return st;
	if (!a.found)
	{
		al_fail(err, AL_ERR_PARAM, "%s item %d has no numeric answer at %s", fr->r.code, item,
				shown_tail(fr->path, fr->path_len, shown_path, AL_FHIR_SHOWN_PATH));
		al_detail(err, "linkId \"%s\".", link);
		al_hint(err, "An answer is read from an itemWeight or ordinalValue extension on valueCoding or on the answer, valueInteger, valueDecimal, or the weight a contained Questionnaire gives its code.");
		return AL_ERR_PARAM;
	}
	if ((st = set_answer(fr, item, &a, link, err)) != AL_OK)
		return st;
	shown_tail(fr->path, fr->path_len, fr->first_path[item - 1], AL_FHIR_SHOWN_PATH);
	snprintf(fr->first_link[item - 1], sizeof(fr->first_link[item - 1]), "%s", link);
	return AL_OK;
}

static AlStatus walk_items(AlFhirRead *fr, const AlJsonOps *ops, AlJsonRef items, bool in_scope,
						   AlError *err);

/* the item object at fr->path; in_scope: the scope its groups give it (fhir_match.h) */
static AlStatus
walk_item(AlFhirRead *fr, const AlJsonOps *ops, AlJsonRef iv, bool in_scope, AlError *err)
{
	AlJsonRef	lv,
				answer,
				children;
	const char *link_id;
	size_t		link_len,
				nanswers;
	char		link[AL_FHIR_SHOWN_LINK + 1];
	int			item = 0;
	size_t		len = fr->path_len;
	AlStatus	st = AL_OK;

	if (kind_of(ops, iv) != AL_JSON_OBJECT)
		return malformed(err, fr->path, fr->path_len, "is %s, not an object", kind_name(ops, iv));
	lv = member(ops, iv, "linkId");
	if (lv == NULL)
		return malformed(err, fr->path, fr->path_len, "has no linkId");
	if (kind_of(ops, lv) != AL_JSON_STRING)
		return malformed_at(fr, err, ".linkId", kind_name(ops, lv), "a string");
	link_id = ops->string(ops->ctx, lv, &link_len);
	shown_head(link_id, link_len, link, AL_FHIR_SHOWN_LINK);

	answer = member(ops, iv, "answer");
	children = member(ops, iv, "item");
	if (answer != NULL && kind_of(ops, answer) != AL_JSON_ARRAY)
		return malformed_at(fr, err, ".answer", kind_name(ops, answer), "an array");
	if (children != NULL && kind_of(ops, children) != AL_JSON_ARRAY)
		return malformed_at(fr, err, ".item", kind_name(ops, children), "an array");
	nanswers = answer != NULL ? ops->length(ops->ctx, answer) : 0;

	/* a group (nested items, no answer) is walked, never matched itself */
	if (children == NULL || nanswers > 0)
	{
		item = al_fhir_match_item_n(fr->r.inst, link_id, link_len, in_scope, NULL);
		if (item > 0)
			fr->matched++;
	}
	else
	{
		AlFhirGroup g = al_fhir_group_kind(fr->r.inst, link_id, link_len);

		if (g != AL_FHIR_GROUP_NEUTRAL)
			in_scope = g == AL_FHIR_GROUP_THIS;
	}
	for (size_t k = 0; k < nanswers && st == AL_OK; k++)
	{
		AlJsonRef	av = ops->element(ops->ctx, answer, k);
		AlJsonRef	sub;

		path_append(fr, ".answer[%zu]", k);
		if (kind_of(ops, av) != AL_JSON_OBJECT)
			st = malformed(err, fr->path, fr->path_len, "is %s, not an object", kind_name(ops, av));
		else if (item > 0)
		{
			AlJsonStr	lid = {link_id, link_len};

			st = read_answer(fr, ops, item, av, link, &lid, err);
		}
		/* questions nested under an answer (answer.item) */
		if (st == AL_OK && (sub = member(ops, av, "item")) != NULL)
		{
			path_append(fr, ".item");
			st = walk_items(fr, ops, sub, in_scope, err);
		}
		path_cut(fr, len);
		release(ops, av);
	}
	if (st == AL_OK && children != NULL)
	{
		path_append(fr, ".item");
		st = walk_items(fr, ops, children, in_scope, err);
		path_cut(fr, len);
	}
	return st;
}

/* items: the value of an "item" member at fr->path ("item", "item[2].item") */
static AlStatus
walk_items(AlFhirRead *fr, const AlJsonOps *ops, AlJsonRef items, bool in_scope, AlError *err)
{
	size_t		n,
				len = fr->path_len;
	AlStatus	st = AL_OK;

	if (kind_of(ops, items) != AL_JSON_ARRAY)
		return malformed(err, fr->path, fr->path_len, "is %s, not an array", kind_name(ops, items));
	if (fr->depth >= AL_FHIR_MAX_DEPTH)
	{
		char		shown[AL_FHIR_SHOWN_PATH + 1];

		al_fail(err, AL_ERR_LIMIT, "QuestionnaireResponse items nest more than %d levels deep",
				AL_FHIR_MAX_DEPTH);
		al_detail(err, "At %s.", shown_tail(fr->path, fr->path_len, shown, AL_FHIR_SHOWN_PATH));
		return AL_ERR_LIMIT;
	}
	fr->depth++;
	n = ops->length(ops->ctx, items);
	for (size_t i = 0; i < n && st == AL_OK; i++)
	{
		AlJsonRef	iv = ops->element(ops->ctx, items, i);

		path_append(fr, "[%zu]", i);
		st = walk_item(fr, ops, iv, in_scope, err);
		path_cut(fr, len);
		release(ops, iv);
	}
	fr->depth--;
	return st;
}

AlStatus
al_fhir_read_items(const AlJsonOps *ops, AlJsonRef root, const AlInstrument *inst,
				   bool top_in_scope, AlFhirRead *fr, AlError *err)
{
	AlJsonRef	items,
				contained;
	AlStatus	st;

	memset(fr, 0, sizeof(*fr));
	al_response_init(&fr->r, inst);
	/* the first contained Questionnaire: where answer weights may be given */
	contained = member(ops, root, "contained");
	if (contained != NULL && kind_of(ops, contained) == AL_JSON_ARRAY)
	{
		size_t		n = ops->length(ops->ctx, contained);

		for (size_t i = 0; i < n && fr->questionnaire == NULL; i++)
		{
			AlJsonRef	c = ops->element(ops->ctx, contained, i);

			if (kind_of(ops, c) == AL_JSON_OBJECT && string_eq(ops, member(ops, c, "resourceType"), "Questionnaire"))
				fr->questionnaire = c;
			else
				release(ops, c);
		}
	}
	items = member(ops, root, "item");
	if (items != NULL)
	{
		path_append(fr, "item");
		if ((st = walk_items(fr, ops, items, top_in_scope, err)) != AL_OK)
			return st;
	}
	fr->walked = true;
	if (fr->matched == 0)
	{
		al_fail(err, AL_ERR_PARAM, "no item of this QuestionnaireResponse matches an item of %s", inst->code);
		al_hint(err, "linkIds are matched by the instrument's link_ids, then an item number or label after a prefix naming the instrument (\"waisr-7\", \"srs-relationship\"), or bare (\"7\") at the top level of the instrument's own response or in a group named for it.");
		return AL_ERR_PARAM;
	}
	return al_response_check(&fr->r, err);
}
