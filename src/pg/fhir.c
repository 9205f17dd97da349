/*
 * fhir.c — FHIR in (doc/fhir.md); FHIR out is fhir_observation.c.
 *
 *   from_fhir(questionnaire_response jsonb, instrument text)      -> response
 *   from_fhir_row(questionnaire_response jsonb, instrument text)  -> (response,
 *       subject, authored, encounter, questionnaire, status)
 *   to_fhir(r, subject, effective, derived_from, code_system)     -> jsonb Observation
 *
 * Reading walks the QuestionnaireResponse's items (groups recursively),
 * matches each answered item's linkId with the core's rules
 * (src/core/fhir_match.h), takes its value by the precedence of
 * doc/fhir.md, and sets it through al_response_set_item +
 * al_response_check like every other door.  Every malformed structure is a
 * 22023 error naming its JSON path ("item[3].answer[0]").
 *
 * All three functions are IMMUTABLE: nothing here reads the session's
 * TimeZone or DateStyle.  authored is parsed by hand as a FHIR dateTime, and
 * effectiveDateTime is printed in UTC with a "Z".
 */
#include "response_pg.h"

#include "access/htup_details.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/fmgrprotos.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/timestamp.h"

#include "fhir_datetime.h"
#include "fhir_match.h"
#include "fhir_pg.h"
#include "score.h"

PG_FUNCTION_INFO_V1(alliance_from_fhir);
PG_FUNCTION_INFO_V1(alliance_from_fhir_row);

#define URL_ITEM_WEIGHT		"http://hl7.org/fhir/StructureDefinition/itemWeight"
#define URL_ORDINAL_VALUE	"http://hl7.org/fhir/StructureDefinition/ordinalValue"
#define SYS_CATEGORY		"http://terminology.hl7.org/CodeSystem/observation-category"
#define SYS_ABSENT			"http://terminology.hl7.org/CodeSystem/data-absent-reason"
#define SYS_UCUM			"http://unitsofmeasure.org"
#define DEFAULT_CODE_SYSTEM	"urn:alliance:placeholder:code-system"

/* ------------------------------------------------------------------------
 * jsonb helpers
 * ------------------------------------------------------------------------ */

static const char *
json_type_name(const JsonbValue *v)
{
	switch (v->type)
	{
		case jbvNull:
			return "null";
		case jbvString:
			return "a string";
		case jbvNumeric:
			return "a number";
		case jbvBool:
			return "a boolean";
		case jbvBinary:
			return JsonContainerIsArray(v->val.binary.data) ? "an array" : "an object";
		case jbvArray:
			return "an array";
		case jbvObject:
			return "an object";
		default:
			return "a JSON value";
	}
}

static bool
is_object(const JsonbValue *v)
{
	return v != NULL && v->type == jbvBinary && JsonContainerIsObject(v->val.binary.data);
}

static bool
is_array(const JsonbValue *v)
{
	return v != NULL && v->type == jbvBinary && JsonContainerIsArray(v->val.binary.data);
}

/* obj.key, or NULL when absent; obj is an object container */
static JsonbValue *
get_key(JsonbContainer *obj, const char *key)
{
	JsonbValue	k;

	k.type = jbvString;
	k.val.string.val = (char *) key;
	k.val.string.len = strlen(key);
	return findJsonbValueFromContainer(obj, JB_FOBJECT, &k);
}

static char *
jstr(const JsonbValue *v)
{
	return pnstrdup(v->val.string.val, v->val.string.len);
}

static bool
jstr_eq(const JsonbValue *v, const char *s)
{
	return v->type == jbvString && v->val.string.len == (int) strlen(s) &&
		memcmp(v->val.string.val, s, v->val.string.len) == 0;
}

pg_noreturn static void malformed(const char *path, const char *fmt,...) pg_attribute_printf(2, 3);

static void
malformed(const char *path, const char *fmt,...)
{
	char		what[512];
	va_list		ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("malformed QuestionnaireResponse: %s %s", path, what)));
	pg_unreachable();
}

/* a string member, or NULL when absent; anything but a string is malformed */
static char *
get_string(JsonbContainer *obj, const char *key, const char *path)
{
	JsonbValue *v = get_key(obj, key);

	if (v == NULL)
		return NULL;
	if (v->type != jbvString)
		malformed(path, "is %s, not a string", json_type_name(v));
	return jstr(v);
}

/* the "reference" of a Reference member (subject, encounter), or NULL */
static char *
get_reference(JsonbContainer *obj, const char *key)
{
	JsonbValue *v = get_key(obj, key);

	if (v == NULL || v->type == jbvNull)
		return NULL;
	if (!is_object(v))
		malformed(key, "is %s, not a Reference object", json_type_name(v));
	return get_string(v->val.binary.data, "reference", psprintf("%s.reference", key));
}

/* ------------------------------------------------------------------------
 * reading a QuestionnaireResponse
 * ------------------------------------------------------------------------ */

typedef struct FhirRead
{
	AlResponse	r;
	char	   *first_path[AL_MAX_ITEMS];	/* where each item's answer came from */
	char	   *first_link[AL_MAX_ITEMS];
	int			matched;		/* items whose linkId named an instrument item */

	/*
	 * The JSON path of the item being read ("item[3].item[0]"), one buffer
	 * extended and cut back as the walk goes down and up: building a fresh
	 * string per level would cost memory quadratic in the nesting depth.
	 */
	StringInfoData path;
} FhirRead;

/* A numeric JSON value as an exact decimal for item; 22003 as the core words it. */
static void
set_numeric(FhirRead *fr, int item, Numeric num, const char *path, const char *link_id)
{
	AlDecimal	dec;
	AlError		err;

	if (alpg_numeric_to_decimal(num, &dec, &err) != AL_OK)
	{
		char	   *shown = DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(num)));

		al_response_item_error(&fr->r, item, shown, &err);
	}
	else if (al_response_set_item(&fr->r, item, &dec, &err) == AL_OK)
		return;
	if (err.detail[0] == '\0')
		al_detail(&err, "At %s (linkId \"%s\").", path, link_id);
	alpg_report(&err);
}

/* the first itemWeight (else ordinalValue) extension's number on a coding, or NULL */
static Numeric
coding_weight(JsonbContainer *coding, const char *cpath)
{
	JsonbValue *ext = get_key(coding, "extension");
	Numeric		ordinal = NULL;
	int			n;

	if (ext == NULL)
		return NULL;
	if (!is_array(ext))
		malformed(psprintf("%s.extension", cpath), "is %s, not an array", json_type_name(ext));
	n = JsonContainerSize(ext->val.binary.data);
	for (int j = 0; j < n; j++)
	{
		JsonbValue *e = getIthJsonbValueFromContainer(ext->val.binary.data, j);
		char	   *epath;
		JsonbValue *url,
				   *val;
		const char *vkey;
		bool		weight;

		CHECK_FOR_INTERRUPTS();
		epath = psprintf("%s.extension[%d]", cpath, j);

		if (!is_object(e))
			malformed(epath, "is %s, not an object", json_type_name(e));
		url = get_key(e->val.binary.data, "url");
		if (url == NULL || url->type != jbvString)
			malformed(epath, "has no string url");
		weight = jstr_eq(url, URL_ITEM_WEIGHT);
		if (!weight && !jstr_eq(url, URL_ORDINAL_VALUE))
			continue;
		vkey = "valueDecimal";
		val = get_key(e->val.binary.data, vkey);
		if (val == NULL)
			val = get_key(e->val.binary.data, vkey = "valueInteger");
		if (val == NULL)
			malformed(epath, "(%s) has no valueDecimal", weight ? "itemWeight" : "ordinalValue");
		if (val->type != jbvNumeric)
			malformed(psprintf("%s.%s", epath, vkey), "is %s, not a number", json_type_name(val));
		if (weight)
			return val->val.numeric;
		if (ordinal == NULL)
			ordinal = val->val.numeric;
	}
	return ordinal;
}

/* A numeric member (valueInteger, valueDecimal), or NULL when absent. */
static Numeric
get_number(JsonbContainer *obj, const char *key, const char *apath)
{
	JsonbValue *v = get_key(obj, key);

	if (v == NULL)
		return NULL;
	if (v->type != jbvNumeric)
		malformed(psprintf("%s.%s", apath, key), "is %s, not a number", json_type_name(v));
	return v->val.numeric;
}

/*
 * One answer of a matched item: itemWeight / ordinalValue on valueCoding,
 * then valueInteger / valueDecimal, then a numeric valueCoding.code, then
 * (0/1 items only) valueBoolean.
 */
static void
read_answer(FhirRead *fr, int item, JsonbContainer *ans, const char *apath, const char *link_id)
{
	JsonbValue *coding = get_key(ans, "valueCoding");
	char	   *cpath = psprintf("%s.valueCoding", apath);
	Numeric		num = NULL;
	JsonbValue *b;

	if (fr->first_path[item - 1] != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s item %d is answered twice: at %s and at %s",
						fr->r.code, item, fr->first_path[item - 1], apath),
				 errdetail("linkIds \"%s\" and \"%s\".", fr->first_link[item - 1], link_id),
				 errhint("A response holds one answer per item; split repeated groups into separate QuestionnaireResponses.")));

	if (coding != NULL && !is_object(coding))
		malformed(cpath, "is %s, not a Coding object", json_type_name(coding));
	if (coding != NULL)
		num = coding_weight(coding->val.binary.data, cpath);
	if (num == NULL)
		num = get_number(ans, "valueInteger", apath);
	if (num == NULL)
		num = get_number(ans, "valueDecimal", apath);
	if (num == NULL && coding != NULL)
	{
		char	   *code = get_string(coding->val.binary.data, "code", psprintf("%s.code", cpath));
		AlDecimal	dec;

		if (code != NULL && al_parse_decimal(code, strlen(code), &dec, NULL) == AL_OK)
			num = DatumGetNumeric(DirectFunctionCall3(numeric_in, CStringGetDatum(code),
													  ObjectIdGetDatum(InvalidOid),
													  Int32GetDatum(-1)));
	}
	if (num == NULL && (b = get_key(ans, "valueBoolean")) != NULL &&
		al_item_min(fr->r.inst, item) == 0 && al_item_max(fr->r.inst, item) == al_pow10(fr->r.inst->decimals))
	{
		if (b->type != jbvBool)
			malformed(psprintf("%s.valueBoolean", apath), "is %s, not a boolean", json_type_name(b));
		num = int64_to_numeric(b->val.boolean ? 1 : 0);
	}
	if (num == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s item %d has no numeric answer at %s", fr->r.code, item, apath),
				 errdetail("linkId \"%s\".", link_id),
				 errhint("An answer is read from an itemWeight or ordinalValue extension on valueCoding, valueInteger, valueDecimal, or a numeric valueCoding.code.")));
	set_numeric(fr, item, num, apath, link_id);
	fr->first_path[item - 1] = pstrdup(apath);
	fr->first_link[item - 1] = pstrdup(link_id);
}

static void walk_items(FhirRead *fr, JsonbValue *items);

/* cut fr->path back to len characters */
static void
path_truncate(FhirRead *fr, int len)
{
	fr->path.len = len;
	fr->path.data[len] = '\0';
}

/* the item object at fr->path */
static void
walk_item(FhirRead *fr, JsonbValue *iv)
{
	JsonbContainer *it;
	JsonbValue *lv,
			   *answer,
			   *children;
	char	   *link_id;
	int			nanswers;
	int			item = 0;
	int			len = fr->path.len;

	if (!is_object(iv))
		malformed(fr->path.data, "is %s, not an object", json_type_name(iv));
	it = iv->val.binary.data;
	lv = get_key(it, "linkId");
	if (lv == NULL)
		malformed(fr->path.data, "has no linkId");
	if (lv->type != jbvString)
		malformed(psprintf("%s.linkId", fr->path.data), "is %s, not a string", json_type_name(lv));
	link_id = jstr(lv);

	answer = get_key(it, "answer");
	children = get_key(it, "item");
	if (answer != NULL && !is_array(answer))
		malformed(psprintf("%s.answer", fr->path.data), "is %s, not an array", json_type_name(answer));
	if (children != NULL && !is_array(children))
		malformed(psprintf("%s.item", fr->path.data), "is %s, not an array", json_type_name(children));
	nanswers = answer ? JsonContainerSize(answer->val.binary.data) : 0;

	/* a group (nested items, no answer) is walked, never matched itself */
	if (children == NULL || nanswers > 0)
	{
		item = al_fhir_match_item_n(fr->r.inst, lv->val.string.val, lv->val.string.len, NULL);
		if (item > 0)
			fr->matched++;
	}
	for (int k = 0; k < nanswers; k++)
	{
		JsonbValue *av = getIthJsonbValueFromContainer(answer->val.binary.data, k);
		JsonbValue *sub;

		CHECK_FOR_INTERRUPTS();
		appendStringInfo(&fr->path, ".answer[%d]", k);
		if (!is_object(av))
			malformed(fr->path.data, "is %s, not an object", json_type_name(av));
		if (item > 0)
			read_answer(fr, item, av->val.binary.data, fr->path.data, link_id);
		/* questions nested under an answer (answer.item) */
		sub = get_key(av->val.binary.data, "item");
		if (sub != NULL)
		{
			appendStringInfoString(&fr->path, ".item");
			walk_items(fr, sub);
		}
		path_truncate(fr, len);
		pfree(av);
	}
	if (children != NULL)
	{
		appendStringInfoString(&fr->path, ".item");
		walk_items(fr, children);
		path_truncate(fr, len);
	}
}

/* items: the value of an "item" member at fr->path ("item", "item[2].item") */
static void
walk_items(FhirRead *fr, JsonbValue *items)
{
	int			n;
	int			len = fr->path.len;

	check_stack_depth();
	if (!is_array(items))
		malformed(fr->path.data, "is %s, not an array", json_type_name(items));
	n = JsonContainerSize(items->val.binary.data);
	for (int i = 0; i < n; i++)
	{
		JsonbValue *iv = getIthJsonbValueFromContainer(items->val.binary.data, i);

		CHECK_FOR_INTERRUPTS();
		appendStringInfo(&fr->path, "[%d]", i);
		walk_item(fr, iv);
		path_truncate(fr, len);
		pfree(iv);
	}
}

#define PASS_INSTRUMENT_HINT \
	"Pass the instrument: alliance.from_fhir(resource, instrument => 'wai_sr'); SELECT code FROM alliance.instruments lists the codes."

/*
 * The instrument a questionnaire canonical names: a built-in's (its own
 * canonical, or a last path segment spelling its code) before anything else,
 * so no custom fhir_url can take a built-in's responses; then a custom
 * fhir_url; then the last path segment as a custom code.
 */
static const AlInstrument *
instrument_from_canonical(const char *canonical)
{
	size_t		len = strlen(canonical);
	char	   *base = pnstrdup(canonical, al_fhir_canonical_base_len(canonical, len));
	char		code[AL_MAX_CODE_LEN + 1];
	const AlInstrument *inst;

	if ((inst = al_fhir_builtin_canonical(canonical, len)) != NULL)
		return inst;
	/* a fhir_url defined with its version matches too */
	if ((inst = alpg_resolve_fhir_url(canonical)) != NULL ||
		(inst = alpg_resolve_fhir_url(base)) != NULL)
		return inst;
	if (al_fhir_canonical_code(canonical, len, code) && (inst = alpg_resolve(code)) != NULL)
		return inst;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("cannot tell the instrument of questionnaire \"%s\"", canonical),
			 errdetail("No custom instrument has the fhir_url \"%s\", and its last path segment is no instrument code.", base),
			 errhint(PASS_INSTRUMENT_HINT)));
	pg_unreachable();
}

typedef struct FhirDoc
{
	char	   *questionnaire;
	char	   *status;
	char	   *subject;
	char	   *encounter;
	char	   *authored;
} FhirDoc;

/* the whole read; fr->r is the validated response */
static void
read_questionnaire_response(Jsonb *jb, text *instrument, FhirRead *fr, FhirDoc *doc)
{
	JsonbContainer *root = &jb->root;
	JsonbValue *rt,
			   *items;
	const AlInstrument *inst;
	AlError		err;

	if (!JB_ROOT_IS_OBJECT(jb))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("malformed QuestionnaireResponse: the resource is not a JSON object")));
	rt = get_key(root, "resourceType");
	if (rt == NULL)
		malformed("resourceType", "is missing");
	if (!jstr_eq(rt, "QuestionnaireResponse"))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("resourceType is %s%s%s, not \"QuestionnaireResponse\"",
						rt->type == jbvString ? "\"" : "",
						rt->type == jbvString ? jstr(rt) : json_type_name(rt),
						rt->type == jbvString ? "\"" : "")));

	memset(doc, 0, sizeof(*doc));
	doc->questionnaire = get_string(root, "questionnaire", "questionnaire");
	doc->status = get_string(root, "status", "status");
	doc->authored = get_string(root, "authored", "authored");
	doc->subject = get_reference(root, "subject");
	doc->encounter = get_reference(root, "encounter");

	if (doc->status == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("QuestionnaireResponse has no status"),
				 errhint("Only completed or amended responses are scored.")));
	if (strcmp(doc->status, "completed") != 0 && strcmp(doc->status, "amended") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("QuestionnaireResponse status is \"%s\"", doc->status),
				 errhint("Only completed or amended responses are scored.")));

	if (instrument != NULL)
		inst = alpg_instrument_arg(instrument);
	else if (doc->questionnaire != NULL)
		inst = instrument_from_canonical(doc->questionnaire);
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("QuestionnaireResponse has no questionnaire to tell its instrument by"),
				 errhint(PASS_INSTRUMENT_HINT)));

	memset(fr, 0, sizeof(*fr));
	al_response_init(&fr->r, inst);

	items = get_key(root, "item");
	if (items != NULL)
	{
		initStringInfo(&fr->path);
		appendStringInfoString(&fr->path, "item");
		walk_items(fr, items);
	}
	if (fr->matched == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("no item of this QuestionnaireResponse matches an item of %s", inst->code),
				 errhint("linkIds are matched by the instrument's link_ids, then a trailing item number (\"waisr-7\", \"7\"), then an item label (\"srs-relationship\").")));
	if (al_response_check(&fr->r, &err) != AL_OK)
		alpg_report(&err);
}

Datum
alliance_from_fhir(PG_FUNCTION_ARGS)
{
	FhirRead   *fr;
	FhirDoc		doc;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	fr = palloc(sizeof(FhirRead));
	read_questionnaire_response(PG_GETARG_JSONB_P(0),
								PG_NARGS() > 1 && !PG_ARGISNULL(1) ? PG_GETARG_TEXT_PP(1) : NULL,
								fr, &doc);
	PG_RETURN_DATUM(alpg_response_datum(&fr->r));
}

/* ------------------------------------------------------------------------
 * FHIR dateTime <-> timestamptz, independent of the session's settings
 * ------------------------------------------------------------------------ */

/*
 * A FHIR dateTime (the grammar is the core's, al_fhir_datetime_parse) as a
 * timestamptz; false when it is none or lies outside timestamptz's range.
 */
static bool
parse_fhir_datetime(const char *s, TimestampTz *out)
{
	AlFhirDateTime dt;
	struct pg_tm tm;
	int			tz;

	if (!al_fhir_datetime_parse(s, strlen(s), &dt))
		return false;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = dt.year;
	tm.tm_mon = dt.month;
	tm.tm_mday = dt.day;
	tm.tm_hour = dt.hour;
	tm.tm_min = dt.minute;
	tm.tm_sec = dt.second;
	tz = -dt.utc_offset;		/* PostgreSQL counts zones west of UTC as positive */
	if (tm2timestamp(&tm, (fsec_t) dt.usec, &tz, out) != 0 || !IS_VALID_TIMESTAMP(*out))
		return false;
	return true;
}

/* "2025-03-04T15:50:00Z", "2025-03-04T15:50:00.25Z": UTC, whatever TimeZone says */
char *
alpg_fhir_format_utc(TimestampTz ts)
{
	struct pg_tm tm;
	fsec_t		fsec;
	char		buf[64];
	int			n;

	if (TIMESTAMP_NOT_FINITE(ts) || timestamp2tm(ts, NULL, &tm, &fsec, NULL, NULL) != 0 ||
		tm.tm_year < 1 || tm.tm_year > 9999)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("effective must be a date between the years 1 and 9999 to be a FHIR dateTime")));
	n = snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d",
				 tm.tm_year, tm.tm_mon, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	if (fsec != 0)
	{
		n += snprintf(buf + n, sizeof(buf) - n, ".%06d", (int) fsec);
		while (buf[n - 1] == '0')
			buf[--n] = '\0';
	}
	snprintf(buf + n, sizeof(buf) - n, "Z");
	return pstrdup(buf);
}

Datum
alliance_from_fhir_row(PG_FUNCTION_ARGS)
{
	TupleDesc	tupdesc;
	Datum		values[6];
	bool		nulls[6] = {false, false, false, false, false, false};
	FhirRead   *fr;
	FhirDoc		doc;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "from_fhir_row must return a row");
	fr = palloc(sizeof(FhirRead));
	read_questionnaire_response(PG_GETARG_JSONB_P(0),
								PG_NARGS() > 1 && !PG_ARGISNULL(1) ? PG_GETARG_TEXT_PP(1) : NULL,
								fr, &doc);
	values[0] = alpg_response_datum(&fr->r);
	nulls[1] = doc.subject == NULL;
	if (doc.subject)
		values[1] = CStringGetTextDatum(doc.subject);
	nulls[2] = doc.authored == NULL;
	if (doc.authored)
	{
		TimestampTz ts;

		if (!parse_fhir_datetime(doc.authored, &ts))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("malformed QuestionnaireResponse: authored \"%s\" is not a FHIR dateTime", doc.authored),
					 errhint("A dateTime is YYYY, YYYY-MM, YYYY-MM-DD, or YYYY-MM-DDThh:mm:ss[.fff] with Z or an offset such as +01:00.")));
		values[2] = TimestampTzGetDatum(ts);
	}
	nulls[3] = doc.encounter == NULL;
	if (doc.encounter)
		values[3] = CStringGetTextDatum(doc.encounter);
	nulls[4] = doc.questionnaire == NULL;
	if (doc.questionnaire)
		values[4] = CStringGetTextDatum(doc.questionnaire);
	values[5] = CStringGetTextDatum(doc.status);
	tupdesc = BlessTupleDesc(tupdesc);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}
