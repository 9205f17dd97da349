/*
 * instruments.c — the catalogue as rows, for the alliance.instruments view.
 * Columns are the parameter names of define_instrument, plus builtin,
 * evidence, fingerprint and item_ranges.  Each value is built as text and
 * read by its type's input function, so the jsonb and array shapes are
 * exactly what a user would write.
 */
#include "response_pg.h"

#include "funcapi.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"

PG_FUNCTION_INFO_V1(builtin_instruments);

#define NCOLS 21

static char *
units_text(int64 u, int decimals)
{
	char		buf[48];

	al_format_units(u, decimals, buf, sizeof(buf));
	return pstrdup(buf);
}

static char *
int_list(const uint8_t *items, int n, const char *open, const char *close)
{
	StringInfoData s;

	initStringInfo(&s);
	appendStringInfoString(&s, open);
	for (int i = 0; i < n; i++)
		appendStringInfo(&s, "%s%d", i ? "," : "", items[i]);
	appendStringInfoString(&s, close);
	return s.data;
}

static char *
text_list(const char *const *labels, int n)
{
	StringInfoData s;

	if (labels == NULL)
		return NULL;
	initStringInfo(&s);
	appendStringInfoChar(&s, '{');
	for (int i = 0; i < n; i++)
		appendStringInfo(&s, "%s\"%s\"", i ? "," : "", labels[i]);
	appendStringInfoChar(&s, '}');
	return s.data;
}

static void
instrument_row(const AlInstrument *inst, char **v)
{
	StringInfoData s;

	memset(v, 0, sizeof(char *) * NCOLS);
	v[0] = pstrdup(inst->code);
	v[1] = pstrdup(inst->name);
	v[2] = psprintf("%d", inst->nitems);
	v[3] = units_text(inst->min_u, inst->decimals);
	v[4] = units_text(inst->max_u, inst->decimals);
	v[5] = units_text(inst->step_u, inst->decimals);
	v[6] = int_list(inst->reversed, inst->nreversed, "{", "}");

	initStringInfo(&s);
	appendStringInfoChar(&s, '{');
	for (int i = 0; i < inst->nscales; i++)
		appendStringInfo(&s, "%s\"%s\": %s", i ? ", " : "", inst->scales[i].name,
						 int_list(inst->scales[i].items, inst->scales[i].nitems, "[", "]"));
	appendStringInfoChar(&s, '}');
	v[7] = s.data;

	if (inst->goal_scale >= 0 || inst->task_scale >= 0 || inst->bond_scale >= 0)
	{
		const char *dims[3] = {"goal", "task", "bond"};
		int			idx[3] = {inst->goal_scale, inst->task_scale, inst->bond_scale};
		bool		first = true;

		initStringInfo(&s);
		appendStringInfoChar(&s, '{');
		for (int i = 0; i < 3; i++)
			if (idx[i] >= 0)
			{
				appendStringInfo(&s, "%s\"%s\": \"%s\"", first ? "" : ", ", dims[i],
								 inst->scales[idx[i]].name);
				first = false;
			}
		appendStringInfoChar(&s, '}');
		v[8] = s.data;
	}
	if (inst->has_cutoff)
		v[9] = units_text(inst->cutoff_u, inst->cutoff_scale);
	/* min_answered as a fraction: 0.75, 1 */
	v[10] = DatumGetCString(DirectFunctionCall1(numeric_out,
												NumericGetDatum(alpg_rational_to_numeric(al_rat(inst->min_answered_num, inst->min_answered_den, 0)))));
	v[11] = pstrdup(inst->score == AL_SCORE_MEAN ? "mean" : "total");
	if (inst->norms_text)
		v[12] = pstrdup(inst->norms_text);
	v[13] = text_list(inst->item_labels, inst->nitems);
	v[14] = text_list(inst->link_ids, inst->nitems);
	if (inst->fhir_url)
		v[15] = pstrdup(inst->fhir_url);
	if (inst->citation)
		v[16] = pstrdup(inst->citation);
	v[17] = pstrdup(inst->builtin_id != AL_CUSTOM ? "true" : "false");
	if (inst->evidence)
		v[18] = pstrdup(inst->evidence);
	v[19] = psprintf("%016llx", (unsigned long long) al_instrument_fingerprint(inst));
	if (inst->item_min_u != NULL)
	{
		initStringInfo(&s);
		appendStringInfoChar(&s, '[');
		for (int i = 1; i <= inst->nitems; i++)
			appendStringInfo(&s, "%s[%s, %s]", i > 1 ? ", " : "",
							 units_text(al_item_min(inst, i), inst->decimals),
							 units_text(al_item_max(inst, i), inst->decimals));
		appendStringInfoChar(&s, ']');
		v[20] = s.data;
	}
}

Datum
builtin_instruments(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	AttInMetadata *meta;

	InitMaterializedSRF(fcinfo, 0);
	meta = TupleDescGetAttInMetadata(rsinfo->setDesc);
	for (int id = 1; id <= AL_NUM_BUILTINS; id++)
	{
		char	   *v[NCOLS];

		instrument_row(al_builtin_by_id(id), v);
		tuplestore_puttuple(rsinfo->setResult, BuildTupleFromCStrings(meta, v));
	}
	return (Datum) 0;
}
