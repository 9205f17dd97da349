/*
 * reporting.c — the clinic reporting aggregates summary(response),
 * alpha(response [, subscale]) and norms(response), and their state type
 * alliance.stats_state.
 *
 * The state is a concrete varlena type, not internal: Citus splits only
 * aggregates whose state is a real type, and PostgreSQL then needs no
 * serial/deserial functions for parallel plans.  Its text form (stats.h) is
 * the wire format.  The sums are exact integers (src/core/stats.c); the
 * final functions finish them with numeric arithmetic, dividing once, as
 * avg() and stddev_samp() do:
 *
 *   - when every score has a finite decimal expansion (always, unless a
 *     prorated score is a fraction like 540/11), the exact sum of scores is
 *     built with the display scale avg() would give it, and mean and
 *     variance are the very numeric_div() calls of numeric_avg and
 *     numeric_stddev_internal: summary(r) equals avg(score(r)) exactly and
 *     stddev_samp(score(r)) to the last digit (the square root is taken at
 *     numeric_sqrt's precision and rounded to stddev_samp's);
 *   - otherwise the exact rational sums (denominator lcm(answered counts) x
 *     10^decimals) are divided once: the true mean and SD correctly rounded,
 *     which differ from avg()/stddev_samp() over the already rounded
 *     numeric scores by at most about 1e-16 relative (doc/reporting.md).
 *
 * Transition and combine functions modify the state in place when called
 * as aggregates (the state lives in the aggregate context); the first row
 * of a group replaces the empty INITCOND state by one sized for its
 * instrument, which nodeAgg copies into the aggregate context.  Final
 * functions never modify the state (FINALFUNC_MODIFY = READ_ONLY).
 */
#include "alpg.h"

#include "access/htup_details.h"
#include "common/int.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"

#include "response_pg.h"
#include "score.h"
#include "stats.h"

PG_FUNCTION_INFO_V1(stats_state_in);
PG_FUNCTION_INFO_V1(stats_state_out);
PG_FUNCTION_INFO_V1(summary_trans);
PG_FUNCTION_INFO_V1(alpha_trans);
PG_FUNCTION_INFO_V1(norms_trans);
PG_FUNCTION_INFO_V1(stats_combine);
PG_FUNCTION_INFO_V1(summary_final);
PG_FUNCTION_INFO_V1(alpha_final);
PG_FUNCTION_INFO_V1(norms_final);

/*
 * The datum: varlena header, a reserved word (keeps the core's 64-bit fields
 * 8-byte aligned; always zero), then the core's AlStats and its arrays.
 */
typedef struct StatsState
{
	int32		vl_len_;		/* varlena header (do not touch directly!) */
	uint32		reserved;		/* reserved for future use, always zero */
	AlStats		s;				/* followed by the classes and items */
} StatsState;

#define STATS_HDRSZ			offsetof(StatsState, s)
#define STATS_DATUM_SIZE(st) (STATS_HDRSZ + al_stats_size(&(st)->s))

static StatsState *
state_alloc(size_t core_size)
{
	StatsState *st = palloc0(STATS_HDRSZ + core_size);

	SET_VARSIZE(st, STATS_HDRSZ + core_size);
	return st;
}

static void
state_check(const StatsState *st)
{
	AlError		err;

	if (VARSIZE(st) < STATS_HDRSZ + sizeof(AlStats) || st->reserved != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("invalid alliance.stats_state value"),
				 errdetail("%u bytes.", (unsigned) VARSIZE(st))));
	ALPG_CHECK(al_stats_validate(&st->s, VARSIZE(st) - STATS_HDRSZ, &err), &err);
}

/* Argument n; a private copy unless the caller is an aggregate (which owns it). */
static StatsState *
getarg_state(FunctionCallInfo fcinfo, int n, bool writable)
{
	StatsState *st;

	if (writable && !AggCheckCallContext(fcinfo, NULL))
		st = (StatsState *) PG_DETOAST_DATUM_COPY(PG_GETARG_DATUM(n));
	else
		st = (StatsState *) PG_DETOAST_DATUM(PG_GETARG_DATUM(n));
	state_check(st);
	return st;
}

static const char *
mode_name(int mode)
{
	return mode == (AL_STATS_SUMMARY | AL_STATS_ALPHA) ? "norms" :
		mode == AL_STATS_ALPHA ? "alpha" : "summary";
}

static const AlInstrument *
state_instrument(const AlStats *s)
{
	const AlInstrument *inst = alpg_resolve(s->code);

	if (inst == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("instrument \"%s\" is not defined in this database", s->code)));
	if (!al_stats_fits(s, inst))
	{
		AlError		err;

		al_stats_misfit(s, &err);
		alpg_report(&err);
	}
	return inst;
}

/* ------------------------------------------------------------ text I/O */

static const AlInstrument *
resolver(const char *code, void *arg)
{
	return alpg_resolve(code);
}

Datum
stats_state_in(PG_FUNCTION_ARGS)
{
	char	   *text = PG_GETARG_CSTRING(0);
	AlStats    *tmp = palloc(AL_STATS_MAX_SIZE);
	AlError		err;
	StatsState *st;

	ALPG_CHECK(al_stats_parse(text, resolver, NULL, tmp, &err), &err);
	st = state_alloc(al_stats_size(tmp));
	memcpy(&st->s, tmp, al_stats_size(tmp));
	pfree(tmp);
	PG_RETURN_POINTER(st);
}

Datum
stats_state_out(PG_FUNCTION_ARGS)
{
	StatsState *st = getarg_state(fcinfo, 0, false);
	size_t		len = al_stats_format_bound(&st->s);
	char	   *buf = palloc(len);

	if (al_stats_format(&st->s, st->s.mode ? state_instrument(&st->s) : NULL, buf, len) < 0)
		elog(ERROR, "alliance.stats_state text form longer than its bound");
	PG_RETURN_CSTRING(buf);
}

/* ------------------------------------------------------------ transition */

/*
 * trans(state, response [, subscale]): not STRICT (a NULL subscale means the
 * whole instrument); a NULL response is skipped.
 */
static Datum
stats_trans(FunctionCallInfo fcinfo, int mode)
{
	StatsState *st;
	AlResponse	r;
	AlError		err;
	int			scale = AL_WHOLE;

	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("the %s state must not be NULL", mode_name(mode))));
	if (PG_ARGISNULL(1))
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	st = getarg_state(fcinfo, 0, true);
	alpg_response_bound(PG_GETARG_DATUM(1), &r);
	if (PG_NARGS() > 2 && !PG_ARGISNULL(2))
		scale = alpg_scale_arg(r.inst, PG_GETARG_TEXT_PP(2),
							   "alliance.alpha(r) without a subscale is the alpha of all items.");

	if (st->s.mode == 0)
	{
		/* the first row: a state sized for this instrument */
		StatsState *fresh;

		fresh = state_alloc(al_stats_size_for(mode, r.inst, scale));
		ALPG_CHECK(al_stats_init(&fresh->s, mode, r.inst, scale, &err), &err);
		st = fresh;
	}
	else
	{
		if (st->s.mode != mode)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("a %s state cannot continue as %s", mode_name(st->s.mode), mode_name(mode))));
		ALPG_CHECK(al_stats_check_instrument(&st->s, &r, mode_name(mode), &err), &err);
		if (st->s.scale != scale)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("alpha's subscale must be the same on every row of a group: %s and %s",
							st->s.scale < 0 ? "(all items)" : r.inst->scales[st->s.scale].name,
							scale < 0 ? "(all items)" : r.inst->scales[scale].name)));
	}
	ALPG_CHECK(al_stats_add(&st->s, &r, &err), &err);
	PG_RETURN_POINTER(st);
}

Datum
summary_trans(PG_FUNCTION_ARGS)
{
	return stats_trans(fcinfo, AL_STATS_SUMMARY);
}

Datum
alpha_trans(PG_FUNCTION_ARGS)
{
	return stats_trans(fcinfo, AL_STATS_ALPHA);
}

Datum
norms_trans(PG_FUNCTION_ARGS)
{
	return stats_trans(fcinfo, AL_STATS_SUMMARY | AL_STATS_ALPHA);
}

/* combine(a, b): STRICT; a is modified in place under an aggregate. */
Datum
stats_combine(PG_FUNCTION_ARGS)
{
	StatsState *a = getarg_state(fcinfo, 0, true);
	StatsState *b = getarg_state(fcinfo, 1, false);
	AlError		err;

	if (b->s.mode == 0)
		PG_RETURN_POINTER(a);
	if (a->s.mode == 0)
	{
		StatsState *copy = palloc(VARSIZE(b));

		memcpy(copy, b, VARSIZE(b));
		PG_RETURN_POINTER(copy);
	}
	ALPG_CHECK(al_stats_merge(&a->s, &b->s, mode_name(a->s.mode), &err), &err);
	PG_RETURN_POINTER(a);
}

/* ------------------------------------------------------------ exact numerics */

static Numeric
num_i128(__int128 v)
{
	char		buf[48];

	al_i128_format(v, buf);
	return DatumGetNumeric(DirectFunctionCall3(numeric_in, CStringGetDatum(buf),
											   ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1)));
}

#define NUM2(f, a, b) DatumGetNumeric(DirectFunctionCall2(f, NumericGetDatum(a), NumericGetDatum(b)))
#define N_ADD(a, b)		NUM2(numeric_add, a, b)
#define N_SUB(a, b)		NUM2(numeric_sub, a, b)
#define N_MUL(a, b)		NUM2(numeric_mul, a, b)
#define N_DIV(a, b)		NUM2(numeric_div, a, b)
#define N_DIVTRUNC(a, b) NUM2(numeric_div_trunc, a, b)
#define N_LCM(a, b)		NUM2(numeric_lcm, a, b)
#define N_CMP(a, b)		DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(a), NumericGetDatum(b)))
#define N_INT(v)		int64_to_numeric(v)

static int
num_dscale(Numeric n)
{
	return DatumGetInt32(DirectFunctionCall1(numeric_scale, NumericGetDatum(n)));
}

/* 10^e as a numeric, any e >= 0 */
static Numeric
num_pow10(int e)
{
	Numeric		r = N_INT(1);

	while (e > 18)
	{
		r = N_MUL(r, N_INT(al_pow10(18)));
		e -= 18;
	}
	return N_MUL(r, N_INT(al_pow10(e)));
}

/* integer / 10^scale with display scale exactly `scale` (as a sum in numeric_avg has) */
static Numeric
num_scaled(Numeric integer, int scale)
{
	char	   *s = DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(integer)));
	bool		neg = s[0] == '-';
	char	   *digits = s + neg;
	size_t		nd = strlen(digits);
	StringInfoData b;

	initStringInfo(&b);
	if (neg)
		appendStringInfoChar(&b, '-');
	if ((int) nd <= scale)
	{
		appendStringInfoString(&b, "0.");
		for (int i = 0; i < scale - (int) nd; i++)
			appendStringInfoChar(&b, '0');
		appendStringInfoString(&b, digits);
	}
	else
	{
		appendBinaryStringInfo(&b, digits, (int) nd - scale);
		if (scale > 0)
		{
			appendStringInfoChar(&b, '.');
			appendStringInfoString(&b, digits + nd - scale);
		}
	}
	return DatumGetNumeric(DirectFunctionCall3(numeric_in, CStringGetDatum(b.data),
											   ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1)));
}

/* sqrt at numeric_sqrt's precision, no finer than the variance (as stddev_samp) */
static Numeric
num_sd(Numeric var)
{
	Numeric		sd = DatumGetNumeric(DirectFunctionCall1(numeric_sqrt, NumericGetDatum(var)));
	int			want = num_dscale(var);

	if (num_dscale(sd) > want)
		sd = DatumGetNumeric(DirectFunctionCall2(numeric_round, NumericGetDatum(sd), Int32GetDatum(want)));
	return sd;
}

typedef struct SummaryNumerics
{
	int64		n;
	bool		has_mean;
	Numeric		mean;
	bool		has_sd;
	Numeric		sd;
} SummaryNumerics;

/*
 * Mean and sample SD of the scores, exactly (see the file header).  A score
 * is S K / (a 10^d), K = N for a total and 1 for a mean; with L = lcm of the
 * answered counts present, TL = sum S K L/a and QL = sum S^2 (K L/a)^2 are
 * integers, the sum of scores is TL / (L 10^d) and the sum of squares
 * QL / (L 10^d)^2.
 */
static void
summary_numerics(const AlStats *s, SummaryNumerics *out)
{
	const AlStatsClass *c = al_stats_classes_c(s);
	int			K = s->score_mean ? 1 : s->nitems;
	int64		n = 0;
	Numeric		L = N_INT(1),
				TL = N_INT(0),
				QL = N_INT(0);
	bool		exact_decimal = s->maxscale != AL_STATS_SCALE_NONE;

	memset(out, 0, sizeof(*out));
	for (int i = 0; i < al_stats_nclasses(s); i++)
		if (c[i].count > 0)
		{
			if (pg_add_s64_overflow(n, c[i].count, &n))
				ereport(ERROR,
						(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
						 errmsg("summary count out of range")));
			L = N_LCM(L, N_INT(s->nitems - i));
		}
	out->n = n;
	if (n == 0)
		return;
	for (int i = 0; i < al_stats_nclasses(s); i++)
	{
		Numeric		f;

		if (c[i].count == 0)
			continue;
		f = N_MUL(N_INT(K), N_DIVTRUNC(L, N_INT(s->nitems - i)));
		TL = N_ADD(TL, N_MUL(num_i128(al_wide_get(c[i].sum)), f));
		QL = N_ADD(QL, N_MUL(num_i128(al_wide_get(c[i].sumsq)), N_MUL(f, f)));
	}
	out->has_mean = true;
	out->has_sd = n >= 2;

	if (exact_decimal && s->maxscale >= s->decimals)
	{
		int			ms = s->maxscale;
		Numeric		up = num_pow10(ms - s->decimals);
		Numeric		scaled = N_MUL(TL, up);
		Numeric		sumU = N_DIVTRUNC(scaled, L);	/* sum of scores x 10^ms */

		/* every score terminates at <= ms decimals, so these divisions are exact */
		exact_decimal = N_CMP(N_MUL(sumU, L), scaled) == 0;
		if (exact_decimal)
		{
			Numeric		L2 = N_MUL(L, L);
			Numeric		q = N_MUL(QL, N_MUL(up, up));
			Numeric		sqU = N_DIVTRUNC(q, L2);	/* sum of squares x 10^(2 ms) */

			exact_decimal = N_CMP(N_MUL(sqU, L2), q) == 0;
			if (exact_decimal)
			{
				/* numeric_avg: sumX / N, sumX at the inputs' largest scale */
				out->mean = N_DIV(num_scaled(sumU, ms), N_INT(n));
				if (out->has_sd)
				{
					/* numeric_stddev_internal: (N sumX2 - sumX^2) / (N (N - 1)) */
					Numeric		numer = N_SUB(N_MUL(N_INT(n), sqU), N_MUL(sumU, sumU));

					if (N_CMP(numer, N_INT(0)) <= 0)
						out->sd = N_INT(0);
					else
						out->sd = num_sd(N_DIV(num_scaled(numer, 2 * ms),
											   N_MUL(N_INT(n), N_INT(n - 1))));
				}
				return;
			}
		}
	}
	/* some score is a non-terminating fraction: exact rationals, one division each */
	{
		Numeric		den = N_MUL(L, num_pow10(s->decimals));

		out->mean = N_DIV(TL, N_MUL(N_INT(n), den));
		if (out->has_sd)
		{
			Numeric		numer = N_SUB(N_MUL(N_INT(n), QL), N_MUL(TL, TL));

			if (N_CMP(numer, N_INT(0)) <= 0)
				out->sd = N_INT(0);
			else
				out->sd = num_sd(N_DIV(numer, N_MUL(N_MUL(N_INT(n), N_INT(n - 1)), N_MUL(den, den))));
		}
	}
}

/*
 * alpha = k/(k-1) (1 - sum V_i / V_t), V = n sum x^2 - (sum x)^2; NULL with
 * fewer than two complete responses or no variance of the total.
 */
static bool
alpha_numeric(const AlStats *s, Numeric *out)
{
	const AlStatsItem *it = al_stats_items_c(s);
	Numeric		n,
				vi = N_INT(0),
				vt,
				k = N_INT(s->k);

	if (s->alpha_n < 2)
		return false;
	n = N_INT(s->alpha_n);
	for (int i = 0; i < s->k; i++)
	{
		Numeric		sum = num_i128(al_wide_get(it[i].sum));

		vi = N_ADD(vi, N_SUB(N_MUL(n, num_i128(al_wide_get(it[i].sumsq))), N_MUL(sum, sum)));
	}
	{
		Numeric		tsum = num_i128(al_wide_get(s->tsum));

		vt = N_SUB(N_MUL(n, num_i128(al_wide_get(s->tsumsq))), N_MUL(tsum, tsum));
	}
	if (N_CMP(vt, N_INT(0)) <= 0)
		return false;
	*out = N_DIV(N_MUL(k, N_SUB(vt, vi)), N_MUL(N_INT(s->k - 1), vt));
	return true;
}

/* ------------------------------------------------------------ finals */

static StatsState *
final_state(FunctionCallInfo fcinfo, int need)
{
	StatsState *st = getarg_state(fcinfo, 0, false);

	if (st->s.mode != 0 && (st->s.mode & need) != need)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a %s state has no %s", mode_name(st->s.mode), mode_name(need))));
	return st;
}

static Datum
make_row(FunctionCallInfo fcinfo, Datum *values, bool *nulls)
{
	TupleDesc	desc;

	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	desc = BlessTupleDesc(desc);
	return HeapTupleGetDatum(heap_form_tuple(desc, values, nulls));
}

/* summary_final(state) -> (n, n_unscored, mean, sd, at_risk_share, ceiling_share) */
Datum
summary_final(PG_FUNCTION_ARGS)
{
	StatsState *st = final_state(fcinfo, AL_STATS_SUMMARY);
	SummaryNumerics sn;
	Datum		v[6];
	bool		nulls[6] = {false, false, true, true, true, true};

	if (st->s.mode == 0)
		memset(&sn, 0, sizeof(sn));
	else
		summary_numerics(&st->s, &sn);
	v[0] = Int64GetDatum(sn.n);
	v[1] = Int64GetDatum(st->s.unscored);
	if (sn.has_mean)
	{
		v[2] = NumericGetDatum(sn.mean);
		nulls[2] = false;
		v[5] = NumericGetDatum(N_DIV(N_INT(st->s.ceiling), N_INT(sn.n)));
		nulls[5] = false;
		if (st->s.has_cutoff)
		{
			v[4] = NumericGetDatum(N_DIV(N_INT(st->s.at_risk), N_INT(sn.n)));
			nulls[4] = false;
		}
	}
	if (sn.has_sd)
	{
		v[3] = NumericGetDatum(sn.sd);
		nulls[3] = false;
	}
	PG_RETURN_DATUM(make_row(fcinfo, v, nulls));
}

/* alpha_final(state) -> numeric */
Datum
alpha_final(PG_FUNCTION_ARGS)
{
	StatsState *st = final_state(fcinfo, AL_STATS_ALPHA);
	Numeric		a;

	if (st->s.mode == 0 || !alpha_numeric(&st->s, &a))
		PG_RETURN_NULL();
	PG_RETURN_NUMERIC(a);
}

/*
 * norms_final(state) -> (n, sd, alpha, alpha_n).  A database still at 0.1.0
 * declares the type without alpha_n: make_row forms as many attributes as
 * the declared type has.
 */
Datum
norms_final(PG_FUNCTION_ARGS)
{
	StatsState *st = final_state(fcinfo, AL_STATS_SUMMARY | AL_STATS_ALPHA);
	SummaryNumerics sn;
	Numeric		a;
	Datum		v[4];
	bool		nulls[4] = {false, true, true, false};

	if (st->s.mode == 0)
		memset(&sn, 0, sizeof(sn));
	else
		summary_numerics(&st->s, &sn);
	v[0] = Int64GetDatum(sn.n);
	if (sn.has_sd)
	{
		v[1] = NumericGetDatum(sn.sd);
		nulls[1] = false;
	}
	if (st->s.mode != 0 && alpha_numeric(&st->s, &a))
	{
		v[2] = NumericGetDatum(a);
		nulls[2] = false;
	}
	v[3] = Int64GetDatum(st->s.mode != 0 ? st->s.alpha_n : 0);
	PG_RETURN_DATUM(make_row(fcinfo, v, nulls));
}
