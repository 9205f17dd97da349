/*
 * dyad.c — the accessors of alliance.dyad_trajectory (paired_sessions,
 * mean_gap, correlation, gap_slope, unseen) and the aggregate
 * agreement(client, therapist).  The rules are the core's (dyad.h); the
 * aggregate dyad is dyad_agg.c.
 */
#include "trajectory.h"

#include <math.h>

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/tuplestore.h"

#include "alpg.h"
#include "dyad.h"
#include "instrument.h"
#include "response_pg.h"
#include "score.h"

PG_FUNCTION_INFO_V1(dyad_paired_sessions);
PG_FUNCTION_INFO_V1(dyad_mean_gap);
PG_FUNCTION_INFO_V1(dyad_correlation);
PG_FUNCTION_INFO_V1(dyad_gap_slope);
PG_FUNCTION_INFO_V1(dyad_unseen);
PG_FUNCTION_INFO_V1(agreement_trans);
PG_FUNCTION_INFO_V1(agreement_combine);
PG_FUNCTION_INFO_V1(agreement_final);

/* ------------------------------------------------------------ dyads */

/* A dyad_trajectory value read: each side's points (n 0 when it has none) and instruments. */
typedef struct Dyad
{
	AlKeyKind	kind;
	const AlPoint *points[2];
	size_t		n[2];
	const AlInstrument *inst[2];
	bool		psq;
} Dyad;

static void
dyad_read(FunctionCallInfo fcinfo, Dyad *d)
{
	HeapTupleHeader row = PG_GETARG_HEAPTUPLEHEADER(0);

	memset(d, 0, sizeof *d);
	for (int side = 0; side < 2; side++)
	{
		bool		isnull;
		Datum		v = GetAttributeByNum(row, side + 1, &isnull);

		if (!isnull)
		{
			Trajectory *t = DatumGetTrajectoryP(v);

			altraj_check(t);
			/* a dyad built by hand from two trajectories must be keyed one way */
			if (d->n[0] > 0 && d->kind != (AlKeyKind) t->kind)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("the client's and the therapist's trajectories are keyed differently: %s and %s",
								al_key_kind_name(d->kind), al_key_kind_name(t->kind))));
			d->kind = (AlKeyKind) t->kind;
			d->points[side] = t->points;
			d->n[side] = t->npoints;
		}
		v = GetAttributeByNum(row, side + 3, &isnull);
		if (!isnull)
		{
			char	   *code = text_to_cstring(DatumGetTextPP(v));

			/* NULL when a custom form is no longer defined: no norms then */
			d->inst[side] = alpg_resolve(code);
			d->psq = d->psq || strcmp(code, "psq") == 0;
		}
	}
}

/* The paired sessions of a dyad, palloc'd: client and therapist points. */
static size_t
dyad_pairs(const Dyad *d, AlPoint **client, AlPoint **therapist)
{
	size_t		room = Min(d->n[0], d->n[1]);

	*client = palloc((room + 1) * sizeof(AlPoint));
	*therapist = palloc((room + 1) * sizeof(AlPoint));
	return al_dyad_pairs(d->points[0], d->n[0], d->points[1], d->n[1], *client, *therapist);
}

static void
dyad_sums(const Dyad *d, AlPairSums *sums)
{
	AlPoint    *c,
			   *t;
	size_t		n = dyad_pairs(d, &c, &t);
	AlError		err;

	al_pair_sums_init(sums);
	for (size_t i = 0; i < n; i++)
		ALPG_CHECK(al_pair_sums_add(sums, c[i].score, t[i].score, &err), &err);
}

Datum
dyad_paired_sessions(PG_FUNCTION_ARGS)
{
	Dyad		d;
	AlPoint    *c,
			   *t;

	dyad_read(fcinfo, &d);
	PG_RETURN_INT32((int32) dyad_pairs(&d, &c, &t));
}

/* the agreement figures of a dyad's paired sessions */
static void
dyad_agreement(FunctionCallInfo fcinfo, AlAgreement *a)
{
	Dyad		d;
	AlPairSums	sums;

	dyad_read(fcinfo, &d);
	dyad_sums(&d, &sums);
	al_agreement(&sums, a);
}

Datum
dyad_mean_gap(PG_FUNCTION_ARGS)
{
	AlAgreement a;

	dyad_agreement(fcinfo, &a);
	if (!a.has_means)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(a.mean_difference);
}

Datum
dyad_correlation(PG_FUNCTION_ARGS)
{
	AlAgreement a;

	dyad_agreement(fcinfo, &a);
	if (!a.has_r)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(a.r);
}

Datum
dyad_gap_slope(PG_FUNCTION_ARGS)
{
	Dyad		d;
	AlPoint    *c,
			   *t;
	size_t		n;
	double		slope;
	AlError		err;

	dyad_read(fcinfo, &d);
	n = dyad_pairs(&d, &c, &t);
	al_dyad_gaps(c, t, n, c);
	ALPG_CHECK(al_series_check_scores(c, n, &err), &err);
	if (!al_series_slope(d.kind, c, n, &slope))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(slope);
}

/*
 * The rule's parameters on the dyad's scale.  Given ones are taken as they
 * are; those the client's instrument supplies (its active norms' SD, its
 * reliable-change points, its cut-off) are put on POMP, since both series
 * are POMP.  The same parameters judge both sides.
 */
static void
unseen_params(FunctionCallInfo fcinfo, const Dyad *d, AlSeriesParams *p)
{
	AlSeriesParams given;
	AlError		err;
	const AlInstrument *inst = d->psq ? NULL : d->inst[0];

	altraj_read_raw_params(fcinfo, 1, 11, &given);
	*p = given;
	altraj_apply_instrument_defaults(p, inst);
	if (inst != NULL)
	{
		if (p->has_sd && !given.has_sd)
			p->sd = al_score_difference_to_pomp(inst, p->sd);
		if (p->has_rc_points)
			p->rc_points = al_score_difference_to_pomp(inst, p->rc_points);
		if (p->has_cutoff && !given.has_cutoff)
			p->cutoff = al_score_to_pomp(inst, p->cutoff);
	}
	ALPG_CHECK(al_series_params_check(p, false, &err), &err);
}

Datum
dyad_unseen(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Dyad		d;
	AlUnseen   *found;
	size_t		n = 0;

	InitMaterializedSRF(fcinfo, 0);
	/* not STRICT: a NULL pct disables sudden's criterion 2, as in ruptures() */
	if (PG_ARGISNULL(0))
		return (Datum) 0;
	dyad_read(fcinfo, &d);
	if (d.n[0] == 0 || d.n[1] == 0)
		return (Datum) 0;
	found = palloc((d.n[0] + 1) * sizeof(AlUnseen));
	if (d.psq)
	{
		/* a PSQ pair: the client reports a rupture, the therapist does not */
		AlPoint    *c,
				   *t;
		size_t		np = dyad_pairs(&d, &c, &t);

		for (size_t j = 0; j < np; j++)
			if (c[j].score == 1.0 && t[j].score == 0.0)
			{
				found[n].key = c[j].key;
				found[n].client_drop = 0;
				found[n].has_therapist_drop = false;
				n++;
			}
	}
	else
	{
		AlSeriesParams p;
		AlPoint    *c,
				   *t;
		size_t		np = dyad_pairs(&d, &c, &t);
		AlRupture  *scratch = palloc((2 * np + 1) * sizeof(AlRupture));
		AlError		err;

		unseen_params(fcinfo, &d, &p);
		CHECK_FOR_INTERRUPTS();
		ALPG_CHECK(al_dyad_unseen(c, t, np, &p, scratch, found, &n, &err), &err);
	}
	for (size_t i = 0; i < n; i++)
	{
		Datum		values[4];
		bool		nulls[4] = {false, false, false, false};

		altraj_key_columns(d.kind, found[i].key, &values[0], &nulls[0], &values[1], &nulls[1]);
		if (d.psq)
			nulls[2] = nulls[3] = true;
		else
		{
			values[2] = NumericGetDatum(alpg_double_to_numeric(found[i].client_drop));
			values[3] = NumericGetDatum(alpg_double_to_numeric(found[i].therapist_drop));
			nulls[3] = !found[i].has_therapist_drop;
		}
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/* ------------------------------------------------------------ agreement */

/*
 * The state is a float8[AL_PAIR_SUMS_LEN] (AlPairSums in order), like
 * PostgreSQL's own corr() state: no serialisation needed for parallel
 * plans, and updated in place inside the aggregate.
 */
static AlPairSums *
sums_of(ArrayType *a, const char *fn)
{
	if (ARR_NDIM(a) != 1 || ARR_DIMS(a)[0] != AL_PAIR_SUMS_LEN || ARR_HASNULL(a) ||
		ARR_ELEMTYPE(a) != FLOAT8OID)
		elog(ERROR, "%s: expected a %d-element float8 array", fn, AL_PAIR_SUMS_LEN);
	return (AlPairSums *) ARR_DATA_PTR(a);
}

/* One side's value for agreement: the number, or a response's POMP; false when not rated. */
static bool
agreement_value(FunctionCallInfo fcinfo, int argno, double *value)
{
	/* both sides' types, found once per query */
	Oid		   *types = fcinfo->flinfo->fn_extra;
	const char *code;
	bool		rated;

	if (types == NULL)
	{
		types = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, 2 * sizeof(Oid));
		types[0] = get_fn_expr_argtype(fcinfo->flinfo, 1);
		types[1] = get_fn_expr_argtype(fcinfo->flinfo, 2);
		fcinfo->flinfo->fn_extra = types;
	}
	rated = alpg_rating_value(types[argno - 1], PG_GETARG_DATUM(argno), value, &code);

	if (strcmp(code, "psq") == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("agreement compares scores, and a PSQ has none"),
				 errhint("Compare PSQ reports with alliance.dyad and unseen().")));
	return rated;
}

/* agreement(client, therapist) transition; not STRICT. */
Datum
agreement_trans(PG_FUNCTION_ARGS)
{
	ArrayType  *state = PG_GETARG_ARRAYTYPE_P(0);
	AlPairSums *s;
	bool		has[2];
	double		v[2];
	AlError		err;

	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "agreement_trans called in non-aggregate context");
	s = sums_of(state, "agreement_trans");
	for (int side = 0; side < 2; side++)
		has[side] = !PG_ARGISNULL(1 + side) && agreement_value(fcinfo, 1 + side, &v[side]);
	if (has[0] && has[1])
		ALPG_CHECK(al_pair_sums_add(s, v[0], v[1], &err), &err);
	else if (has[0] || has[1])
		al_pair_sums_add_unpaired(s);
	PG_RETURN_ARRAYTYPE_P(state);
}

Datum
agreement_combine(PG_FUNCTION_ARGS)
{
	ArrayType  *a = PG_GETARG_ARRAYTYPE_P(0);
	ArrayType  *b = PG_GETARG_ARRAYTYPE_P(1);
	MemoryContext ctx;

	if (!AggCheckCallContext(fcinfo, &ctx))
		elog(ERROR, "agreement_combine called in non-aggregate context");
	al_pair_sums_combine(sums_of(a, "agreement_combine"), sums_of(b, "agreement_combine"));
	PG_RETURN_ARRAYTYPE_P(a);
}

Datum
agreement_final(PG_FUNCTION_ARGS)
{
	ArrayType  *state = PG_GETARG_ARRAYTYPE_P(0);
	AlAgreement a;
	TupleDesc	desc;
	Datum		values[7];
	bool		nulls[7] = {false};

	al_agreement(sums_of(state, "agreement_final"), &a);
	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "agreement_final: return type must be a row type");
	values[0] = Int64GetDatum(a.pairs);
	values[1] = Int64GetDatum(a.unpaired);
	values[2] = Float8GetDatum(a.r);
	nulls[2] = !a.has_r;
	values[3] = Float8GetDatum(a.mean_difference);
	nulls[3] = !a.has_means;
	values[4] = Float8GetDatum(a.sd_client);
	values[5] = Float8GetDatum(a.sd_therapist);
	nulls[4] = nulls[5] = !a.has_sd;
	values[6] = Float8GetDatum(a.d);
	nulls[6] = !a.has_d;
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(desc), values, nulls)));
}
