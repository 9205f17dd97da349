/*
 * scoring.c — SQL scoring functions over alliance.response.  Each converts
 * its arguments, calls the core (score.h), and turns "not scorable" into
 * NULL.  Functions with optional parameters are not STRICT (a STRICT function
 * returns NULL when a defaulted argument is NULL), so they test
 * PG_ARGISNULL themselves.
 */
#include "response_pg.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "score.h"

PG_FUNCTION_INFO_V1(response_instrument);
PG_FUNCTION_INFO_V1(response_items);
PG_FUNCTION_INFO_V1(response_item);
PG_FUNCTION_INFO_V1(response_answered);
PG_FUNCTION_INFO_V1(response_total);
PG_FUNCTION_INFO_V1(response_mean);
PG_FUNCTION_INFO_V1(response_score);
PG_FUNCTION_INFO_V1(response_subscale);
PG_FUNCTION_INFO_V1(response_subscales);
PG_FUNCTION_INFO_V1(response_pomp);
PG_FUNCTION_INFO_V1(response_goal);
PG_FUNCTION_INFO_V1(response_task);
PG_FUNCTION_INFO_V1(response_bond);
PG_FUNCTION_INFO_V1(response_at_risk);
PG_FUNCTION_INFO_V1(response_flagged_items);
PG_FUNCTION_INFO_V1(response_reliable_change);

/* the optional "prorate" argument at position n; default true */
static bool
prorate_arg(FunctionCallInfo fcinfo, int n)
{
	return PG_NARGS() <= n || PG_ARGISNULL(n) ? true : PG_GETARG_BOOL(n);
}

#define RETURN_RATIONAL_OR_NULL(ok, rat) \
	do { \
		if (!(ok)) PG_RETURN_NULL(); \
		PG_RETURN_NUMERIC(alpg_rational_to_numeric(rat)); \
	} while (0)

Datum
response_instrument(PG_FUNCTION_ARGS)
{
	AlResponse	r;

	alpg_response_decode(PG_GETARG_DATUM(0), &r);
	PG_RETURN_TEXT_P(cstring_to_text(r.code));
}

Datum
response_items(PG_FUNCTION_ARGS)
{
	AlResponse	r;
	Datum	   *elems;
	bool	   *nulls;
	int			dims[1],
				lbs[1] = {1};

	alpg_response_decode(PG_GETARG_DATUM(0), &r);
	elems = palloc(sizeof(Datum) * r.nitems);
	nulls = palloc(sizeof(bool) * r.nitems);
	for (int i = 0; i < r.nitems; i++)
	{
		nulls[i] = !r.present[i];
		elems[i] = r.present[i] ? NumericGetDatum(alpg_decimal_to_numeric(r.units[i], r.decimals)) : (Datum) 0;
	}
	dims[0] = r.nitems;
	PG_RETURN_ARRAYTYPE_P(construct_md_array(elems, nulls, 1, dims, lbs, NUMERICOID, -1, false, TYPALIGN_INT));
}

Datum
response_item(PG_FUNCTION_ARGS)
{
	AlResponse	r;
	int			n = PG_GETARG_INT32(1);

	alpg_response_decode(PG_GETARG_DATUM(0), &r);
	if (n < 1 || n > r.nitems)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s has no item %d; its items are 1 to %d", r.code, n, r.nitems)));
	if (!r.present[n - 1])
		PG_RETURN_NULL();
	PG_RETURN_NUMERIC(alpg_decimal_to_numeric(r.units[n - 1], r.decimals));
}

Datum
response_answered(PG_FUNCTION_ARGS)
{
	AlResponse	r;

	alpg_response_decode(PG_GETARG_DATUM(0), &r);
	PG_RETURN_INT32(al_response_answered(&r));
}

/* a whole-response score: f(r, AL_WHOLE, prorate) of response argument 0, prorate argument 1 */
typedef bool (*ScaleScore) (const AlResponse *r, int scale, bool prorate, AlRational *out);

static Datum
whole_score_of(FunctionCallInfo fcinfo, const AlResponse *r, ScaleScore f)
{
	AlRational	v;

	if (!f(r, AL_WHOLE, prorate_arg(fcinfo, 1), &v))
		PG_RETURN_NULL();
	PG_RETURN_NUMERIC(alpg_rational_to_numeric(v));
}

static Datum
whole_score(FunctionCallInfo fcinfo, ScaleScore f)
{
	AlResponse	r;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	PG_GETARG_RESPONSE_BOUND(0, &r);
	return whole_score_of(fcinfo, &r, f);
}

static bool
named_score(const AlResponse *r, int scale, bool prorate, AlRational *out)
{
	return !r->inst->is_psq && al_score(r, prorate, out);
}

Datum
response_total(PG_FUNCTION_ARGS)
{
	AlResponse	r;
	int64		units;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	PG_GETARG_RESPONSE_BOUND(0, &r);
	/* every item answered (nearly every row): the units as they are, no fraction */
	if (al_scale_total_units(&r, AL_WHOLE, &units))
		PG_RETURN_NUMERIC(alpg_decimal_to_numeric(units, r.inst->decimals));
	return whole_score_of(fcinfo, &r, al_scale_total);
}

Datum
response_mean(PG_FUNCTION_ARGS)
{
	return whole_score(fcinfo, al_scale_mean);
}

Datum
response_score(PG_FUNCTION_ARGS)
{
	return whole_score(fcinfo, named_score);
}

int
alpg_scale_arg(const AlInstrument *inst, text *name, const char *hint)
{
	char	   *s = text_to_cstring(name);
	int			idx = al_scale_index(inst, s);

	if (idx < 0)
	{
		StringInfoData names;

		initStringInfo(&names);
		for (int i = 0; i < inst->nscales; i++)
			appendStringInfo(&names, "%s%s", i ? ", " : "", inst->scales[i].name);
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s has no subscale \"%s\"", inst->code, s),
				 inst->nscales > 0 ? errdetail("Its subscales are %s.", names.data)
				 : errdetail("It is scored as a total only."),
				 hint ? errhint("%s", hint) : 0));
	}
	return idx;
}

/*
 * The subscale named by a SQL argument, remembered for the query in fn_extra:
 * a column of subscale(r, 'task') names the same subscale of the same
 * instrument row after row.  Keyed by instrument code and definition
 * fingerprint (never by pointer: a custom definition's memory may be
 * retired and reused), and by the name's bytes.
 */
typedef struct ScaleArgCache
{
	const AlInstrument *builtin;	/* a built-in's static definition (never retired) */
	char		code[AL_MAX_CODE_LEN + 1];
	uint64		fingerprint;
	int			idx;
	int			len;
	char		name[64];
} ScaleArgCache;

static int
scale_arg_cached(FunctionCallInfo fcinfo, const AlInstrument *inst, text *name)
{
	ScaleArgCache *c = (ScaleArgCache *) fcinfo->flinfo->fn_extra;
	int			len = VARSIZE_ANY_EXHDR(name);
	int			idx;

	if (c != NULL && c->len == len &&
		(c->builtin == inst ||
		 (c->fingerprint == inst->fingerprint && strcmp(c->code, inst->code) == 0)) &&
		memcmp(c->name, VARDATA_ANY(name), len) == 0)
		return c->idx;
	idx = alpg_scale_arg(inst, name, NULL);
	if (len < (int) sizeof(c->name))
	{
		if (c == NULL)
			c = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, sizeof(ScaleArgCache));
		c->builtin = inst->builtin_id != AL_CUSTOM ? inst : NULL;
		strlcpy(c->code, inst->code, sizeof(c->code));
		c->fingerprint = inst->fingerprint;
		c->idx = idx;
		c->len = len;
		memcpy(c->name, VARDATA_ANY(name), len);
		fcinfo->flinfo->fn_extra = c;
	}
	return idx;
}

Datum
response_subscale(PG_FUNCTION_ARGS)
{
	AlResponse	r;
	AlRational	v;
	bool		ok;
	int			scale;
	int64		units;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		PG_RETURN_NULL();
	PG_GETARG_RESPONSE_BOUND(0, &r);
	scale = scale_arg_cached(fcinfo, r.inst, PG_GETARG_TEXT_PP(1));
	if (al_scale_total_units(&r, scale, &units))
		PG_RETURN_NUMERIC(alpg_decimal_to_numeric(units, r.inst->decimals));
	ok = al_scale_total(&r, scale, prorate_arg(fcinfo, 2), &v);
	RETURN_RATIONAL_OR_NULL(ok, v);
}

/* subscales(r, prorate) -> SETOF (name text, total numeric, mean numeric, answered int) */
Datum
response_subscales(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	AlResponse	r;
	bool		prorate;

	InitMaterializedSRF(fcinfo, 0);
	if (PG_ARGISNULL(0))
		return (Datum) 0;		/* no rows */
	PG_GETARG_RESPONSE_BOUND(0, &r);
	prorate = prorate_arg(fcinfo, 1);
	for (int s = 0; s < r.inst->nscales; s++)
	{
		Datum		values[4];
		bool		nulls[4] = {false, false, false, false};
		AlRational	v;

		values[0] = CStringGetTextDatum(r.inst->scales[s].name);
		if (al_scale_total(&r, s, prorate, &v))
			values[1] = NumericGetDatum(alpg_rational_to_numeric(v));
		else
			nulls[1] = true;
		if (al_scale_mean(&r, s, prorate, &v))
			values[2] = NumericGetDatum(alpg_rational_to_numeric(v));
		else
			nulls[2] = true;
		values[3] = Int32GetDatum(al_scale_answered(&r, s));
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

Datum
response_pomp(PG_FUNCTION_ARGS)
{
	return whole_score(fcinfo, al_scale_pomp);
}

static Datum
bordin(FunctionCallInfo fcinfo, AlBordin dim)
{
	AlResponse	r;
	AlRational	v;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	PG_GETARG_RESPONSE_BOUND(0, &r);
	if (!al_bordin(&r, dim, prorate_arg(fcinfo, 1), &v))
		PG_RETURN_NULL();
	PG_RETURN_NUMERIC(alpg_rational_to_numeric(v));
}

Datum
response_goal(PG_FUNCTION_ARGS)
{
	return bordin(fcinfo, AL_BORDIN_GOAL);
}

Datum
response_task(PG_FUNCTION_ARGS)
{
	return bordin(fcinfo, AL_BORDIN_TASK);
}

Datum
response_bond(PG_FUNCTION_ARGS)
{
	return bordin(fcinfo, AL_BORDIN_BOND);
}

/*
 * A numeric argument as an exact rational, remembered for the query in
 * fn_extra by its bytes: at_risk(r, 36) passes the same cut-off row after
 * row, and converting a numeric costs more than the rest of the call.
 */
typedef struct NumericArgCache
{
	struct
	{
		bool		set;
		int			len;
		char		bytes[32];
		AlRational	value;
	}			slot[2];
} NumericArgCache;

static AlRational
numeric_arg_cached(FunctionCallInfo fcinfo, int argno, int slot, const char *param)
{
	NumericArgCache *c = (NumericArgCache *) fcinfo->flinfo->fn_extra;
	struct varlena *packed = PG_DETOAST_DATUM_PACKED(PG_GETARG_DATUM(argno));
	int			len = VARSIZE_ANY_EXHDR(packed);
	AlRational	v;

	if (c != NULL && c->slot[slot].set && c->slot[slot].len == len &&
		memcmp(c->slot[slot].bytes, VARDATA_ANY(packed), len) == 0)
		return c->slot[slot].value;
	v = alpg_numeric_param_rational(PG_GETARG_NUMERIC(argno), param);
	if (len <= (int) sizeof(c->slot[slot].bytes))
	{
		if (c == NULL)
			c = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(NumericArgCache));
		c->slot[slot].set = true;
		c->slot[slot].len = len;
		memcpy(c->slot[slot].bytes, VARDATA_ANY(packed), len);
		c->slot[slot].value = v;
		fcinfo->flinfo->fn_extra = c;
	}
	return v;
}

/* at_risk(r, cutoff numeric, inclusive bool, resolution_cutoff numeric, prorate bool) */
Datum
response_at_risk(PG_FUNCTION_ARGS)
{
	AlResponse	r;
	AlRiskParams p;
	bool		risk;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	PG_GETARG_RESPONSE_BOUND(0, &r);
	al_risk_defaults(&p);
	if (!PG_ARGISNULL(1))
	{
		p.has_cutoff = true;
		p.cutoff = numeric_arg_cached(fcinfo, 1, 0, "cutoff");
	}
	if (!PG_ARGISNULL(2))
		p.inclusive = PG_GETARG_BOOL(2);
	if (!PG_ARGISNULL(3))
		p.resolution_cutoff = numeric_arg_cached(fcinfo, 3, 1, "resolution_cutoff");
	p.prorate = prorate_arg(fcinfo, 4);
	if (!al_at_risk(&r, &p, &risk))
		PG_RETURN_NULL();
	PG_RETURN_BOOL(risk);
}

/* flagged_items(r, item_cutoff numeric) -> int[] */
Datum
response_flagged_items(PG_FUNCTION_ARGS)
{
	AlResponse	r;
	int			items[AL_MAX_ITEMS];
	Datum		elems[AL_MAX_ITEMS];
	bool		has_cutoff;
	AlRational	cutoff = {0, 1, 0};
	int			n;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	PG_GETARG_RESPONSE_BOUND(0, &r);
	has_cutoff = !PG_ARGISNULL(1);
	if (has_cutoff)
		cutoff = alpg_numeric_param_rational(PG_GETARG_NUMERIC(1), "item_cutoff");
	n = al_flagged_items(&r, has_cutoff, cutoff, items);
	if (n < 0)
		PG_RETURN_NULL();
	for (int i = 0; i < n; i++)
		elems[i] = Int32GetDatum(items[i]);
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, n, INT4OID, sizeof(int32), true, TYPALIGN_INT));
}

/*
 * reliable_change(before, after, sd, reliability, points) ->
 *   alliance.reliable_change (delta, rci, reliable, direction, clinically_significant)
 */
Datum
response_reliable_change(PG_FUNCTION_ARGS)
{
	AlResponse	before,
				after;
	AlRcParams	p;
	AlReliableChange rc;
	AlError		err;
	bool		scored;
	TupleDesc	tupdesc;
	Datum		values[5];
	bool		nulls[5] = {false, false, false, false, false};

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		PG_RETURN_NULL();
	PG_GETARG_RESPONSE_BOUND(0, &before);
	PG_GETARG_RESPONSE_BOUND(1, &after);
	memset(&p, 0, sizeof(p));
	if (!PG_ARGISNULL(2))
	{
		p.has_sd = true;
		p.sd = alpg_numeric_param(PG_GETARG_NUMERIC(2), "sd");
	}
	if (!PG_ARGISNULL(3))
	{
		p.has_reliability = true;
		p.reliability = alpg_numeric_param(PG_GETARG_NUMERIC(3), "reliability");
	}
	if (!PG_ARGISNULL(4))
	{
		p.has_points = true;
		p.points = alpg_numeric_param_rational(PG_GETARG_NUMERIC(4), "points");
	}
	p.has_norms = alpg_clinic_norms(before.inst, &p.norm_sd, &p.norm_reliability);
	if (al_reliable_change(&before, &after, &p, &rc, &scored, &err) != AL_OK)
		alpg_report(&err);
	if (!scored)
		PG_RETURN_NULL();
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "reliable_change must return a composite type");
	tupdesc = BlessTupleDesc(tupdesc);
	values[0] = NumericGetDatum(alpg_rational_to_numeric(rc.delta));
	if (rc.has_rci)
		values[1] = NumericGetDatum(alpg_double_to_numeric(rc.rci));
	else
		nulls[1] = true;
	values[2] = BoolGetDatum(rc.reliable);
	values[3] = CStringGetTextDatum(rc.direction == AL_IMPROVED ? "improved" :
									rc.direction == AL_DETERIORATED ? "deteriorated" : "unchanged");
	if (rc.clinically_significant < 0)
		nulls[4] = true;
	else
		values[4] = BoolGetDatum(rc.clinically_significant == 1);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}
