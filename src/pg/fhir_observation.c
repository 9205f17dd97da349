/*
 * fhir_observation.c — to_fhir(r, subject, effective, derived_from,
 * code_system): a score as a FHIR R4 Observation (doc/fhir.md), with
 * components per subscale, derivedFrom, and data-absent reasons for scores
 * the missing-item rule withholds.  IMMUTABLE: effectiveDateTime is printed
 * in UTC with a "Z", whatever TimeZone says.
 */
#include "response_pg.h"

#include "funcapi.h"
#include "utils/tuplestore.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/fmgrprotos.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/timestamp.h"

#include "fhir_match.h"
#include "fhir_pg.h"
#include "score.h"

PG_FUNCTION_INFO_V1(alliance_to_fhir);
PG_FUNCTION_INFO_V1(alliance_fhir_concepts);

#define URL_ORDINAL_VALUE	"http://hl7.org/fhir/StructureDefinition/ordinalValue"
#define SYS_CATEGORY		"http://terminology.hl7.org/CodeSystem/observation-category"
#define SYS_ABSENT			"http://terminology.hl7.org/CodeSystem/data-absent-reason"
#define SYS_UCUM			"http://unitsofmeasure.org"
#define SYS_INTERPRETATION	"http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"

/*
 * The codes to_fhir writes for an instrument, one definition for the
 * Observation and the CodeSystem (fhir_codesystem): [0] the score (or the
 * PSQ's rupture report), then one per subscale (or PSQ item).
 */
typedef struct FhirConcept
{
	char	   *code;
	char	   *display;
	char	   *definition;
} FhirConcept;

static const char *const psq_labels[] = {"present", "intensity", "resolution"};

static int
fhir_concepts(const AlInstrument *inst, FhirConcept *out)
{
	const char *kind = inst->score == AL_SCORE_MEAN ? "mean" : "total";
	int			n = 0;

	if (inst->is_psq)
	{
		static const char *const what[] = {
			"whether the client reports a rupture in the session (0/1)",
			"how intense the rupture was (1-5), when one is reported",
			"how far it was resolved in the session (1-5), when one is reported"};

		out[n].code = "psq-rupture";
		out[n].display = psprintf("%s: rupture report", inst->name);
		out[n++].definition = "The post-session rupture report: no score of its own; its components are the three items.";
		for (int i = 0; i < 3; i++, n++)
		{
			out[n].code = psprintf("psq-%s", psq_labels[i]);
			out[n].display = psprintf("PSQ rupture %s", psq_labels[i]);
			out[n].definition = psprintf("PSQ item %d: %s.", i + 1, what[i]);
		}
		return n;
	}
	out[n].code = psprintf("%s-%s", inst->code, kind);
	out[n].display = psprintf("%s: %s", inst->name, kind);
	out[n++].definition = psprintf("The %s score of the %s (%d items), computed by alliance's scoring rule v1.",
								   kind, inst->name, inst->nitems);
	for (int sc = 0; sc < inst->nscales; sc++, n++)
	{
		out[n].code = psprintf("%s-%s", inst->code, inst->scales[sc].name);
		out[n].display = psprintf("%s: %s subscale %s", inst->name, inst->scales[sc].name, kind);
		out[n].definition = psprintf("The %s of the %s subscale items of the %s, computed by alliance's scoring rule v1.",
									 kind, inst->scales[sc].name, inst->name);
	}
	return n;
}

static FhirConcept *
concepts_of(const AlInstrument *inst, int *n)
{
	FhirConcept *c = palloc((inst->nscales + 4) * sizeof(FhirConcept));

	*n = fhir_concepts(inst, c);
	return c;
}

/* ------------------------------------------------------------------------
 * to_fhir: a score as a FHIR R4 Observation
 * ------------------------------------------------------------------------ */

static void
json_kv_str(StringInfo s, const char *key, const char *val)
{
	escape_json(s, key);
	appendStringInfoString(s, ": ");
	escape_json(s, val);
}

static void
append_code(StringInfo s, const char *system, const char *code, const char *text)
{
	appendStringInfoString(s, "{\"coding\": [{");
	json_kv_str(s, "system", system);
	appendStringInfoString(s, ", ");
	json_kv_str(s, "code", code);
	appendStringInfoString(s, "}], ");
	json_kv_str(s, "text", text);
	appendStringInfoChar(s, '}');
}

static void
append_quantity(StringInfo s, AlRational v)
{
	Numeric		num = alpg_rational_to_numeric(v);

	appendStringInfo(s, "\"valueQuantity\": {\"value\": %s, \"unit\": \"{score}\", "
					 "\"system\": \"" SYS_UCUM "\", \"code\": \"{score}\"}",
					 DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(num))));
}

static void
append_absent(StringInfo s, const char *code, const char *display, const char *text)
{
	appendStringInfoString(s, "\"dataAbsentReason\": {\"coding\": [{\"system\": \"" SYS_ABSENT "\", ");
	json_kv_str(s, "code", code);
	appendStringInfoString(s, ", ");
	json_kv_str(s, "display", display);
	appendStringInfoString(s, "}], ");
	json_kv_str(s, "text", text);
	appendStringInfoChar(s, '}');
}

/* "75%" or "2/3" of the min_answered fraction */
static char *
min_answered_text(const AlInstrument *inst)
{
	int64		num = inst->min_answered_num,
				den = inst->min_answered_den;

	if ((num * 10000) % den == 0)
	{
		int64		bp = num * 10000 / den; /* basis points */

		if (bp % 100 == 0)
			return psprintf("%lld%%", (long long) (bp / 100));
		return psprintf("%lld.%02lld%%", (long long) (bp / 100), (long long) (bp % 100));
	}
	return psprintf("%lld/%lld", (long long) num, (long long) den);
}

/* the value of one scale (AL_WHOLE = every item) or its dataAbsentReason */
static void
append_scale_value(StringInfo s, const AlResponse *r, int scale)
{
	const AlInstrument *inst = r->inst;
	AlRational	v;
	bool		ok;
	int			n = al_scale_nitems(inst, scale),
				answered = al_scale_answered(r, scale);

	if (inst->score == AL_SCORE_MEAN)
		ok = al_scale_mean(r, scale, true, &v);
	else
		ok = al_scale_total(r, scale, true, &v);
	if (ok)
		append_quantity(s, v);
	else if (n == 1)
		append_absent(s, "not-performed", "Not Performed", "its item was not answered");
	else if (inst->min_answered_num >= inst->min_answered_den)
		append_absent(s, "not-performed", "Not Performed",
					  psprintf("%d of %d items answered; scored only when all %d are answered",
							   answered, n, n));
	else
		append_absent(s, "not-performed", "Not Performed",
					  psprintf("%d of %d items answered; scored when at least %d are answered (%s)",
							   answered, n, al_min_answered_items(inst, n), min_answered_text(inst)));
}

/*
 * An instrument with a cut-off: its referenceRange (the score at or above
 * the cut-off is where the alliance is not at risk) and, when the score is
 * there, its interpretation by at_risk's own rule: L below the cut-off,
 * N otherwise.
 */
static void
append_cutoff(StringInfo s, const AlResponse *r)
{
	const AlInstrument *inst = r->inst;
	AlRiskParams p;
	bool		at_risk;
	char		cut[48];

	if (!inst->has_cutoff)
		return;
	al_format_units(inst->cutoff_u, inst->cutoff_scale, cut, sizeof(cut));
	appendStringInfo(s, ", \"referenceRange\": [{\"low\": {\"value\": %s, \"unit\": \"{score}\", "
					 "\"system\": \"" SYS_UCUM "\", \"code\": \"{score}\"}, ", cut);
	json_kv_str(s, "text", psprintf("%s at or above the cut-off of %s; below it the alliance is at risk",
									 inst->score == AL_SCORE_MEAN ? "mean" : "total", cut));
	appendStringInfoString(s, "}]");
	al_risk_defaults(&p);
	if (al_at_risk(r, &p, &at_risk))
		appendStringInfo(s, ", \"interpretation\": [{\"coding\": [{\"system\": \"" SYS_INTERPRETATION "\", "
						 "\"code\": \"%s\", \"display\": \"%s\"}], \"text\": \"%s\"}]",
						 at_risk ? "L" : "N", at_risk ? "Low" : "Normal",
						 at_risk ? "below the cut-off: alliance at risk" : "at or above the cut-off");
}

static char *
method_text(const AlInstrument *inst)
{
	const char *what = inst->score == AL_SCORE_MEAN
		? "mean of the keyed items (keyed sum / item count)"
		: "sum of the keyed items";
	const char *keyed = inst->nreversed > 0 ? "; reversed items keyed as min + max - answer" : "";

	if (inst->min_answered_num >= inst->min_answered_den)
		return psprintf("alliance scoring rule v1: %s%s; no missing item allowed, "
						"a scale with a missing item is not scored",
						what, keyed);
	return psprintf("alliance scoring rule v1: %s%s; a scale is scored when at least %s of its items "
					"are answered, missing items prorated as the mean of the answered keyed items "
					"times the item count; fewer answered: not scored",
					what, keyed, min_answered_text(inst));
}

static void
append_psq(StringInfo s, const AlResponse *r, const char *cs, const FhirConcept *concepts)
{
	bool		present = r->present[0] && r->units[0] != 0;

	appendStringInfoString(s, ", ");
	append_absent(s, "not-applicable", "Not Applicable",
				  "The PSQ is a rupture report, not a scale: it has no total; see the components");
	appendStringInfoString(s, ", \"method\": {\"text\": \"alliance PSQ rule v1: rupture present 0/1 "
						   "(valueBoolean); intensity and resolution 1-5 (valueInteger) when a rupture "
						   "is present; not summed\"}");
	appendStringInfoString(s, ", \"component\": [");
	for (int i = 0; i < 3; i++)
	{
		char		buf[48];

		if (i > 0)
			appendStringInfoString(s, ", ");
		appendStringInfoString(s, "{\"code\": ");
		append_code(s, cs, concepts[1 + i].code, concepts[1 + i].display);
		appendStringInfoString(s, ", ");
		if (i == 0)
			appendStringInfo(s, "\"valueBoolean\": %s", present ? "true" : "false");
		else if (r->present[i])
		{
			al_format_units(r->units[i], r->decimals, buf, sizeof(buf));
			appendStringInfo(s, "\"valueInteger\": %s", buf);
		}
		else if (!present)
			append_absent(s, "not-applicable", "Not Applicable", "no rupture reported");
		else
			append_absent(s, "unknown", "Unknown", "not answered");
		appendStringInfoChar(s, '}');
	}
	appendStringInfoChar(s, ']');
}

/* a text argument that must be valid FHIR: a reference, or (uri) an absolute URI */
static const char *
checked_arg(FunctionCallInfo fcinfo, int n, const char *what, bool uri)
{
	text	   *t = PG_GETARG_TEXT_PP(n);
	AlError		err;

	if ((uri ? al_fhir_check_uri(what, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), &err)
		 : al_fhir_check_reference(what, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), &err)) != AL_OK)
		alpg_report(&err);
	return text_to_cstring(t);
}

Datum
alliance_to_fhir(PG_FUNCTION_ARGS)
{
	AlResponse	r;
	const AlInstrument *inst;
	const char *cs;
	FhirConcept *concepts;
	int			nconcepts;
	StringInfoData s;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	alpg_response_bound(PG_GETARG_DATUM(0), &r);
	inst = r.inst;
	cs = PG_NARGS() > 4 && !PG_ARGISNULL(4) ? checked_arg(fcinfo, 4, "code_system", true)
		: alpg_fhir_code_system();

	initStringInfo(&s);
	appendStringInfoString(&s, "{\"resourceType\": \"Observation\", \"status\": \"final\", "
						   "\"category\": [{\"coding\": [{\"system\": \"" SYS_CATEGORY "\", "
						   "\"code\": \"survey\", \"display\": \"Survey\"}]}], \"code\": ");
	concepts = concepts_of(inst, &nconcepts);
	append_code(&s, cs, concepts[0].code, concepts[0].display);
	if (PG_NARGS() > 1 && !PG_ARGISNULL(1))
	{
		appendStringInfoString(&s, ", \"subject\": {");
		json_kv_str(&s, "reference", checked_arg(fcinfo, 1, "subject", false));
		appendStringInfoChar(&s, '}');
	}
	if (PG_NARGS() > 5 && !PG_ARGISNULL(5))
	{
		appendStringInfoString(&s, ", \"encounter\": {");
		json_kv_str(&s, "reference", checked_arg(fcinfo, 5, "encounter", false));
		appendStringInfoChar(&s, '}');
	}
	if (PG_NARGS() > 2 && !PG_ARGISNULL(2))
	{
		appendStringInfoString(&s, ", ");
		json_kv_str(&s, "effectiveDateTime", alpg_fhir_format_utc(PG_GETARG_TIMESTAMPTZ(2)));
	}
	if (PG_NARGS() > 6 && !PG_ARGISNULL(6))
	{
		appendStringInfoString(&s, ", \"performer\": [{");
		json_kv_str(&s, "reference", checked_arg(fcinfo, 6, "performer", false));
		appendStringInfoString(&s, "}]");
	}
	if (PG_NARGS() > 3 && !PG_ARGISNULL(3))
	{
		appendStringInfoString(&s, ", \"derivedFrom\": [{");
		json_kv_str(&s, "reference", checked_arg(fcinfo, 3, "derived_from", false));
		appendStringInfoString(&s, "}]");
	}

	if (inst->is_psq)
		append_psq(&s, &r, cs, concepts);
	else
	{
		appendStringInfoString(&s, ", ");
		append_scale_value(&s, &r, AL_WHOLE);
		append_cutoff(&s, &r);
		appendStringInfoString(&s, ", \"method\": {");
		json_kv_str(&s, "text", method_text(inst));
		appendStringInfoChar(&s, '}');
		if (inst->nscales > 0)
		{
			appendStringInfoString(&s, ", \"component\": [");
			for (int sc = 0; sc < inst->nscales; sc++)
			{
				if (sc > 0)
					appendStringInfoString(&s, ", ");
				appendStringInfoString(&s, "{\"code\": ");
				append_code(&s, cs, concepts[1 + sc].code, concepts[1 + sc].display);
				appendStringInfoString(&s, ", ");
				append_scale_value(&s, &r, sc);
				appendStringInfoChar(&s, '}');
			}
			appendStringInfoChar(&s, ']');
		}
	}
	appendStringInfoChar(&s, '}');
	PG_RETURN_DATUM(DirectFunctionCall1(jsonb_in, CStringGetDatum(s.data)));
}

/* fhir_concepts(instrument): the codes to_fhir writes for it, as the CodeSystem lists them */
Datum
alliance_fhir_concepts(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	const AlInstrument *inst = alpg_instrument_arg(PG_GETARG_TEXT_PP(0));
	FhirConcept *c;
	int			n;

	InitMaterializedSRF(fcinfo, 0);
	c = concepts_of(inst, &n);
	for (int i = 0; i < n; i++)
	{
		Datum		values[3];
		bool		nulls[3] = {false, false, false};

		values[0] = CStringGetTextDatum(c[i].code);
		values[1] = CStringGetTextDatum(c[i].display);
		values[2] = CStringGetTextDatum(c[i].definition);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}
