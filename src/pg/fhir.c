/*
 * fhir.c — FHIR in (doc/fhir.md); FHIR out is fhir_observation.c.
 *
 *   from_fhir(questionnaire_response jsonb, instrument text)      -> response
 *   from_fhir_row(questionnaire_response jsonb, instrument text)  -> (response,
 *       subject, authored, encounter, questionnaire, status)
 *   to_fhir(r, subject, effective, derived_from, code_system)     -> jsonb Observation
 *
 * Reading is the core's walk (src/core/fhir_read.h: the items, their
 * linkIds, the answer precedence of doc/fhir.md, every malformed structure a
 * 22023 naming its JSON path); this file hands it the jsonb through the
 * core's JSON tree callbacks and resolves the instrument from the catalogue.
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
#include "fhir_read.h"
#include "fhir_pg.h"
#include "jsonb_tree.h"
#include "score.h"

PG_FUNCTION_INFO_V1(alliance_from_fhir);
PG_FUNCTION_INFO_V1(alliance_from_fhir_row);
PG_FUNCTION_INFO_V1(alliance_from_fhir_held);


static char *
str_or_null(const AlJsonStr *s)
{
	return s->p != NULL ? pnstrdup(s->p, s->len) : NULL;
}

/* a Reference as text: its reference, else its identifier as FHIR's system|value */
static char *
reference_text(const AlJsonStr *reference, const AlJsonStr *system, const AlJsonStr *value)
{
	if (reference->p != NULL)
		return str_or_null(reference);
	if (value->p == NULL)
		return NULL;
	return psprintf("%.*s|%.*s", system->p != NULL ? (int) system->len : 0, system->p != NULL ? system->p : "",
					(int) value->len, value->p);
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
instrument_from_canonical(const char *canonical, bool missing_ok)
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
	if (missing_ok)
		return NULL;
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

/*
 * the whole read (src/core/fhir_read.c); fr->r is the validated response.
 * only_evidence (from_fhir_all): the top level counts for the instrument
 * only when the questionnaire names it, and a response that holds nothing of
 * it returns false instead of an error.
 */
static bool
read_questionnaire_response(Jsonb *jb, text *instrument, AlFhirRead *fr, FhirDoc *doc, bool only_evidence)
{
	JsonbValue *root = alpg_jsonb_root(jb);
	AlFhirDoc	d;
	const AlInstrument *inst;
	bool		top_in_scope = true;
	AlError		err;

	if (al_fhir_read_doc(&alpg_jsonb_tree, root, &d, &err) != AL_OK)
		alpg_report(&err);
	doc->questionnaire = str_or_null(&d.questionnaire);
	doc->status = str_or_null(&d.status);
	doc->subject = reference_text(&d.subject, &d.subject_system, &d.subject_value);
	doc->encounter = reference_text(&d.encounter, &d.encounter_system, &d.encounter_value);
	doc->authored = str_or_null(&d.authored);

	if (instrument != NULL)
	{
		const AlInstrument *named = doc->questionnaire != NULL
			? instrument_from_canonical(doc->questionnaire, true) : NULL;

		inst = alpg_instrument_arg(instrument);
		/*
		 * the top level is the instrument's own unless the questionnaire
		 * names another instrument (a PCOMS response with the SRS on top and
		 * the ORS in its own group, read for the ORS)
		 */
		top_in_scope = only_evidence ? named != NULL && strcmp(named->code, inst->code) == 0
			: named == NULL || strcmp(named->code, inst->code) == 0;
	}
	else if (doc->questionnaire != NULL)
		inst = instrument_from_canonical(doc->questionnaire, false);
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("QuestionnaireResponse has no questionnaire to tell its instrument by"),
				 errhint(PASS_INSTRUMENT_HINT)));
	if (al_fhir_read_items(&alpg_jsonb_tree, root, inst, top_in_scope, fr, &err) != AL_OK)
	{
		if (only_evidence && fr->walked && fr->matched == 0)
			return false;
		alpg_report(&err);
	}
	return true;
}

Datum
alliance_from_fhir(PG_FUNCTION_ARGS)
{
	AlFhirRead *fr;
	FhirDoc		doc;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	fr = palloc(sizeof(AlFhirRead));
	read_questionnaire_response(PG_GETARG_JSONB_P(0),
								PG_NARGS() > 1 && !PG_ARGISNULL(1) ? PG_GETARG_TEXT_PP(1) : NULL,
								fr, &doc, false);
	PG_RETURN_DATUM(alpg_response_datum(&fr->r));
}

/*
 * from_fhir_held(resource, instrument): the response of that instrument the
 * resource holds by evidence that belongs to it (its canonical, a linkId
 * prefix or group naming it), or NULL when it holds none; what from_fhir_all
 * calls for every instrument.  Errors in what it does hold are errors.
 */
Datum
alliance_from_fhir_held(PG_FUNCTION_ARGS)
{
	AlFhirRead *fr;
	FhirDoc		doc;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		PG_RETURN_NULL();
	fr = palloc(sizeof(AlFhirRead));
	if (!read_questionnaire_response(PG_GETARG_JSONB_P(0), PG_GETARG_TEXT_PP(1), fr, &doc, true))
		PG_RETURN_NULL();
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
	AlFhirRead *fr;
	FhirDoc		doc;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "from_fhir_row must return a row");
	fr = palloc(sizeof(AlFhirRead));
	read_questionnaire_response(PG_GETARG_JSONB_P(0),
								PG_NARGS() > 1 && !PG_ARGISNULL(1) ? PG_GETARG_TEXT_PP(1) : NULL,
								fr, &doc, false);
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
