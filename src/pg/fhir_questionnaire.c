/*
 * fhir_questionnaire.c — fhir_questionnaire(instrument): a FHIR R4
 * Questionnaire for any instrument, whose responses from_fhir reads back
 * exactly (doc/fhir.md, "Questionnaires").
 *
 *   - url: the instrument's canonical (a built-in's, a custom fhir_url), else
 *     <alliance.fhir_base_url>/Questionnaire/<code>, else a placeholder URN
 *     ending in /Questionnaire/<code>; from_fhir resolves each of them;
 *   - version: the definition fingerprint, which changes exactly when the
 *     scoring definition does;
 *   - items: linkIds as from_fhir matches them (a custom instrument's
 *     link_ids, else "<code>-<n>"); a choice (11 answers or fewer) lists
 *     every answer as an answerOption whose valueCoding carries its weight
 *     (itemWeight, R5, and ordinalValue, R4); otherwise an integer or decimal
 *     item with minValue and maxValue;
 *   - no item wording: alliance stores none (the forms' wording belongs to
 *     their authors), so items carry their labels or numbers, and the
 *     description says so.
 */
#include "response_pg.h"

#include <ctype.h>

#include "utils/builtins.h"
#include "utils/json.h"
#include "utils/jsonb.h"

#include "fhir_pg.h"

PG_FUNCTION_INFO_V1(alliance_fhir_questionnaire);

#define URL_ITEM_WEIGHT		"http://hl7.org/fhir/StructureDefinition/itemWeight"
#define URL_ORDINAL_VALUE	"http://hl7.org/fhir/StructureDefinition/ordinalValue"
#define URL_MIN_VALUE		"http://hl7.org/fhir/StructureDefinition/minValue"
#define URL_MAX_VALUE		"http://hl7.org/fhir/StructureDefinition/maxValue"
#define MAX_CHOICES			11

static void
kv(StringInfo s, const char *key, const char *val)
{
	escape_json(s, key);
	appendStringInfoString(s, ": ");
	escape_json(s, val);
}

/* the canonical from_fhir resolves to this instrument */
static char *
questionnaire_url(const AlInstrument *inst)
{
	const char *base = alpg_fhir_base_url();

	if (inst->fhir_url != NULL)
		return pstrdup(inst->fhir_url);
	if (base != NULL)
		return psprintf("%s/Questionnaire/%s", base, inst->code);
	return psprintf("urn:alliance:placeholder:Questionnaire/%s", inst->code);
}

/* "WAI_SR": a FHIR name (an upper-case letter, then letters, digits, '_') */
static char *
questionnaire_name(const AlInstrument *inst)
{
	char	   *n = pstrdup(inst->code);

	for (char *p = n; *p; p++)
		*p = (char) toupper((unsigned char) *p);
	return n;
}

static void
append_item(StringInfo s, const AlInstrument *inst, int item)
{
	int64		lo = al_item_min(inst, item),
				hi = al_item_max(inst, item),
				step = inst->step_u;
	int64		choices = (hi - lo) / step + 1;
	const char *label = inst->item_labels != NULL ? inst->item_labels[item - 1] : NULL;
	char		buf[48];

	appendStringInfoChar(s, '{');
	if (inst->link_ids != NULL && inst->link_ids[item - 1] != NULL)
		kv(s, "linkId", inst->link_ids[item - 1]);
	else
		kv(s, "linkId", psprintf("%s-%d", inst->code, item));
	appendStringInfoString(s, ", ");
	kv(s, "prefix", psprintf("%d", item));
	appendStringInfoString(s, ", ");
	kv(s, "text", label != NULL ? psprintf("Item %d (%s)", item, label) : psprintf("Item %d", item));
	if (choices <= MAX_CHOICES)
	{
		appendStringInfoString(s, ", \"type\": \"choice\", \"answerOption\": [");
		for (int64 v = lo, k = 0; v <= hi; v += step, k++)
		{
			al_format_units(v, inst->decimals, buf, sizeof(buf));
			if (k > 0)
				appendStringInfoString(s, ", ");
			appendStringInfoString(s, "{\"valueCoding\": {");
			kv(s, "code", buf);
			appendStringInfoString(s, ", ");
			kv(s, "display", buf);
			appendStringInfo(s, ", \"extension\": [{\"url\": \"" URL_ITEM_WEIGHT "\", \"valueDecimal\": %s}, "
							 "{\"url\": \"" URL_ORDINAL_VALUE "\", \"valueDecimal\": %s}]}}", buf, buf);
		}
		appendStringInfoChar(s, ']');
	}
	else
	{
		const char *type = inst->decimals > 0 ? "decimal" : "integer";
		const char *vkey = inst->decimals > 0 ? "valueDecimal" : "valueInteger";
		char		hib[48];

		al_format_units(lo, inst->decimals, buf, sizeof(buf));
		al_format_units(hi, inst->decimals, hib, sizeof(hib));
		appendStringInfo(s, ", \"type\": \"%s\", \"extension\": [{\"url\": \"" URL_MIN_VALUE "\", \"%s\": %s}, "
						 "{\"url\": \"" URL_MAX_VALUE "\", \"%s\": %s}]", type, vkey, buf, vkey, hib);
	}
	appendStringInfoChar(s, '}');
}

/* fhir_questionnaire(instrument text) -> jsonb */
Datum
alliance_fhir_questionnaire(PG_FUNCTION_ARGS)
{
	const AlInstrument *inst = alpg_instrument_arg(PG_GETARG_TEXT_PP(0));
	StringInfoData s;

	initStringInfo(&s);
	appendStringInfoString(&s, "{\"resourceType\": \"Questionnaire\", ");
	kv(&s, "url", questionnaire_url(inst));
	appendStringInfoString(&s, ", ");
	kv(&s, "version", psprintf("%016llx", (unsigned long long) al_instrument_fingerprint(inst)));
	appendStringInfoString(&s, ", ");
	kv(&s, "name", questionnaire_name(inst));
	appendStringInfoString(&s, ", ");
	kv(&s, "title", inst->name);
	appendStringInfoString(&s, ", \"status\": \"active\", \"subjectType\": [\"Patient\"], ");
	kv(&s, "description",
	   psprintf("%s, as alliance scores it (%d items). Items carry their numbers and labels only: "
				"alliance holds none of the forms' wording, which belongs to their authors%s%s.",
				inst->name, inst->nitems, inst->citation ? "; " : "", inst->citation ? inst->citation : ""));
	appendStringInfoString(&s, ", \"item\": [");
	for (int i = 1; i <= inst->nitems; i++)
	{
		if (i > 1)
			appendStringInfoString(&s, ", ");
		append_item(&s, inst, i);
	}
	appendStringInfoString(&s, "]}");
	PG_RETURN_DATUM(DirectFunctionCall1(jsonb_in, CStringGetDatum(s.data)));
}
