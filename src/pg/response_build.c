/*
 * response_build.c — building responses from SQL values: the
 * response(instrument, items numeric[]) constructor, the jsonb casts, and the
 * response_agg aggregate for row-per-answer tables.  All go through the
 * core's al_response_set_item/al_response_check, like text input.
 */
#include "response_pg.h"

#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/fmgrprotos.h"

PG_FUNCTION_INFO_V1(response_from_array);
PG_FUNCTION_INFO_V1(response_from_jsonb);
PG_FUNCTION_INFO_V1(response_to_jsonb);
PG_FUNCTION_INFO_V1(response_agg_transfn);
PG_FUNCTION_INFO_V1(response_agg_finalfn);

const AlInstrument *
alpg_instrument_arg(text *t)
{
	char	   *raw = text_to_cstring(t);
	char		code[AL_MAX_CODE_LEN + 1];
	const AlInstrument *inst;
	AlError		err;

	if (al_normalize_code(raw, strlen(raw), code, &err) != AL_OK)
	{
		err.status = AL_ERR_PARAM;
		alpg_report(&err);
	}
	inst = alpg_resolve(code);
	if (inst == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown instrument \"%s\"", code),
				 errhint("SELECT code FROM alliance.instruments lists the instruments this database knows.")));
	return inst;
}

static void
set_item_numeric(AlResponse *r, int item, Numeric value)
{
	AlDecimal	dec;
	AlError		err;

	if (alpg_numeric_to_decimal(value, &dec, &err) != AL_OK)
	{
		char	   *shown = DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(value)));

		al_response_item_error(r, item, shown, &err);
		alpg_report(&err);
	}
	if (al_response_set_item(r, item, &dec, &err) != AL_OK)
		alpg_report(&err);
}

static void
check_count(const AlResponse *r, int n)
{
	if (n != r->nitems)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("wrong number of items for %s: %d given, %d expected", r->code, n, r->nitems),
				 errhint("Pass NULL for a missing answer.")));
}

/* alliance.response(instrument text, items numeric[]) */
Datum
response_from_array(PG_FUNCTION_ARGS)
{
	const AlInstrument *inst = alpg_instrument_arg(PG_GETARG_TEXT_PP(0));
	ArrayType  *arr = PG_GETARG_ARRAYTYPE_P(1);
	Datum	   *elems;
	bool	   *nulls;
	int			n;
	AlResponse	r;
	AlError		err;

	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("items must be a one-dimensional array")));
	deconstruct_array(arr, NUMERICOID, -1, false, TYPALIGN_INT, &elems, &nulls, &n);
	al_response_init(&r, inst);
	check_count(&r, n);
	for (int i = 0; i < n; i++)
		if (!nulls[i])
			set_item_numeric(&r, i + 1, DatumGetNumeric(elems[i]));
	if (al_response_check(&r, &err) != AL_OK)
		alpg_report(&err);
	PG_RETURN_DATUM(alpg_response_datum(&r));
}

static JsonbValue *
jsonb_key(Jsonb *jb, const char *key)
{
	JsonbValue	k;

	k.type = jbvString;
	k.val.string.val = (char *) key;
	k.val.string.len = strlen(key);
	return findJsonbValueFromContainer(&jb->root, JB_FOBJECT, &k);
}

/* jsonb {"instrument": "srs", "items": [9.1, 8.4, null, 8.8]} -> response */
Datum
response_from_jsonb(PG_FUNCTION_ARGS)
{
	Jsonb	   *jb = PG_GETARG_JSONB_P(0);
	JsonbValue *code,
			   *items;
	const AlInstrument *inst;
	AlResponse	r;
	AlError		err;
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken tok;
	int			n = 0;

	if (!JB_ROOT_IS_OBJECT(jb))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a response in jsonb is an object with keys \"instrument\" and \"items\"")));
	code = jsonb_key(jb, "instrument");
	items = jsonb_key(jb, "items");
	if (code == NULL || code->type != jbvString)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("jsonb response has no string \"instrument\"")));
	if (items == NULL || items->type != jbvBinary || !JsonContainerIsArray(items->val.binary.data))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("jsonb response has no array \"items\"")));
	inst = alpg_instrument_arg(cstring_to_text_with_len(code->val.string.val, code->val.string.len));
	al_response_init(&r, inst);
	it = JsonbIteratorInit(items->val.binary.data);
	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		if (tok != WJB_ELEM)
			continue;
		n++;
		if (n > r.nitems)
			continue;			/* counted, reported below */
		if (v.type == jbvNull)
			continue;
		if (v.type != jbvNumeric)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s item %d in jsonb is not a number or null", r.code, n)));
		set_item_numeric(&r, n, v.val.numeric);
	}
	check_count(&r, n);
	if (al_response_check(&r, &err) != AL_OK)
		alpg_report(&err);
	PG_RETURN_DATUM(alpg_response_datum(&r));
}

/* response -> jsonb, the shape response_from_jsonb reads */
Datum
response_to_jsonb(PG_FUNCTION_ARGS)
{
	AlResponse	r;
	StringInfoData s;
	char		num[48];

	alpg_response_decode(PG_GETARG_DATUM(0), &r);
	initStringInfo(&s);
	appendStringInfo(&s, "{\"instrument\": \"%s\", \"items\": [", r.code);
	for (int i = 0; i < r.nitems; i++)
	{
		if (i > 0)
			appendStringInfoString(&s, ", ");
		if (r.present[i])
		{
			al_format_units(r.units[i], r.decimals, num, sizeof(num));
			appendStringInfoString(&s, num);
		}
		else
			appendStringInfoString(&s, "null");
	}
	appendStringInfoString(&s, "]}");
	PG_RETURN_DATUM(DirectFunctionCall1(jsonb_in, CStringGetDatum(s.data)));
}

/* ---- response_agg(instrument text, item int, value numeric) ---- */

typedef struct ResponseAggState
{
	AlResponse	r;
	bool		seen[AL_MAX_ITEMS];
} ResponseAggState;

Datum
response_agg_transfn(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext;
	ResponseAggState *state;
	int			item;

	if (!AggCheckCallContext(fcinfo, &aggcontext))
		elog(ERROR, "response_agg_transfn called in non-aggregate context");
	state = PG_ARGISNULL(0) ? NULL : (ResponseAggState *) PG_GETARG_POINTER(0);

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("response_agg needs an instrument and an item number on every row"),
				 errdetail("A NULL value is a missing answer; a NULL instrument or item number is not allowed.")));
	if (state == NULL)
	{
		const AlInstrument *inst = alpg_instrument_arg(PG_GETARG_TEXT_PP(1));

		state = (ResponseAggState *) MemoryContextAllocZero(aggcontext, sizeof(ResponseAggState));
		al_response_init(&state->r, inst);
	}
	else
	{
		const AlInstrument *inst = alpg_instrument_arg(PG_GETARG_TEXT_PP(1));

		/* by code: a definitions cache reloaded mid-aggregate gives the same code a new pointer */
		if (strcmp(inst->code, state->r.code) != 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("response_agg got answers of %s and %s in one group",
							state->r.code, inst->code),
					 errhint("GROUP BY the form (session) so that each group holds one questionnaire.")));
	}
	item = PG_GETARG_INT32(2);
	if (item < 1 || item > state->r.nitems)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s has no item %d; its items are 1 to %d",
						state->r.code, item, state->r.nitems)));
	if (state->seen[item - 1])
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s item %d is given twice in one group", state->r.code, item)));
	state->seen[item - 1] = true;
	if (!PG_ARGISNULL(3))
		set_item_numeric(&state->r, item, PG_GETARG_NUMERIC(3));
	PG_RETURN_POINTER(state);
}

Datum
response_agg_finalfn(PG_FUNCTION_ARGS)
{
	ResponseAggState *state;
	AlError		err;

	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "response_agg_finalfn called in non-aggregate context");
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	state = (ResponseAggState *) PG_GETARG_POINTER(0);
	if (al_response_check(&state->r, &err) != AL_OK)
		alpg_report(&err);
	PG_RETURN_DATUM(alpg_response_datum(&state->r));
}
