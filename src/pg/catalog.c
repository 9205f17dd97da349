/*
 * catalog.c — custom instruments: turning a definition (SQL arguments or a
 * row of alliance.custom_instruments) into a validated AlInstrument, and the
 * per-backend cache that resolves codes for every response function.
 *
 * The cache is loaded whole (one SPI query) on the first custom look-up
 * after an invalidation, never per row.  A statement-level trigger on the
 * configuration table calls CacheInvalidateRelcacheByRelid (a relcache
 * callback never fires for a user table by itself, and restore's COPY
 * bypasses define_instrument), and our relcache callback drops the cache in
 * this and every other backend.
 */
#include "response_pg.h"

#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "common/int.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/inval.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "access/xact.h"

#include "definition_json.h"
#include "instrument.h"
#include "jsonb_tree.h"

PG_FUNCTION_INFO_V1(instrument_fingerprint);
PG_FUNCTION_INFO_V1(instruments_changed);
PG_FUNCTION_INFO_V1(code_typmod);

#define CONFIG_SCHEMA "alliance"
#define CONFIG_TABLE "custom_instruments"
#define NORMS_TABLE "calibrated_norms"	/* a clinic's calibrated norms (0.2.0 on) */

/* definition columns, in the order of define_instrument's parameters */
enum
{
	D_CODE, D_NAME, D_ITEMS, D_MIN, D_MAX, D_STEP, D_REVERSED, D_SCALES, D_BORDIN,
	D_CUTOFF, D_MIN_ANSWERED, D_SCORE, D_NORMS, D_ITEM_LABELS, D_LINK_IDS,
	D_FHIR_URL, D_CITATION, D_NCOLS
};

static const char *const def_columns[D_NCOLS] = {
	"code", "name", "items", "min", "max", "step", "reversed", "scales", "bordin",
	"cutoff", "min_answered", "score", "norms", "item_labels", "link_ids",
	"fhir_url", "citation"
};

pg_noreturn static void
def_error(const char *code, const char *fmt, const char *arg)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid definition of instrument \"%s\": %s", code, psprintf(fmt, arg))));
}

/* a numeric as units / 10^scale; the definition's own error otherwise */
static AlDecimal
def_decimal(const char *code, const char *param, Numeric num)
{
	AlDecimal	d;
	AlError		err;
	char	   *text = DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(num)));

	if (al_definition_decimal(text, strlen(text), code, param, &d, &err) != AL_OK)
		alpg_report(&err);
	pfree(text);
	return d;
}

static int64
rescale(const char *code, const char *param, AlDecimal d, int scale)
{
	int64		u;

	if (pg_mul_s64_overflow(d.units, al_pow10(scale - d.scale), &u))
		def_error(code, "%s is too large", param);
	return u;
}

static uint8 *
int_array_items(const char *code, const char *param, ArrayType *arr, int *n)
{
	Datum	   *elems;
	bool	   *nulls;
	uint8	   *out;

	if (ARR_NDIM(arr) > 1)
		def_error(code, "%s must be a one-dimensional array", param);
	deconstruct_array(arr, INT4OID, sizeof(int32), true, TYPALIGN_INT, &elems, &nulls, n);
	out = palloc(sizeof(uint8) * (*n + 1));
	for (int i = 0; i < *n; i++)
	{
		int32		v = DatumGetInt32(elems[i]);

		if (nulls[i] || v < 1 || v > AL_MAX_ITEMS)
			def_error(code, "%s must hold item numbers from 1 to the item count", param);
		out[i] = (uint8) v;
	}
	return out;
}

static const char **
text_array(const char *code, const char *param, ArrayType *arr, int expect)
{
	Datum	   *elems;
	bool	   *nulls;
	int			n;
	const char **out;

	if (ARR_NDIM(arr) > 1)
		def_error(code, "%s must be a one-dimensional array", param);
	deconstruct_array(arr, TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls, &n);
	if (n != expect)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid definition of instrument \"%s\": %s has %d entries; the instrument has %d items",
						code, param, n, expect)));
	out = palloc(sizeof(char *) * n);
	for (int i = 0; i < n; i++)
	{
		if (nulls[i])
			def_error(code, "%s must not contain NULL", param);
		out[i] = TextDatumGetCString(elems[i]);
	}
	return out;
}

/* a definition's jsonb parameters are read by the core (src/core/definition_json.c) */
static void
parse_scales(const char *code, Jsonb *jb, AlInstrument *inst)
{
	AlScaleSpec *spec = palloc(sizeof(AlScaleSpec) * AL_MAX_SCALES);
	AlScale    *scales = palloc0(sizeof(AlScale) * AL_MAX_SCALES);
	int			ns;
	AlError		err;

	if (al_definition_scales(&alpg_jsonb_tree, alpg_jsonb_root(jb), code, spec, &ns, &err) != AL_OK)
		alpg_report(&err);
	for (int s = 0; s < ns; s++)
	{
		scales[s].name = pnstrdup(spec[s].name, spec[s].name_len);
		scales[s].nitems = spec[s].nitems;
		scales[s].items = memcpy(palloc(spec[s].nitems + 1), spec[s].items, spec[s].nitems);
	}
	inst->scales = scales;
	inst->nscales = ns;
	pfree(spec);
}

static void
parse_bordin(Jsonb *jb, AlInstrument *inst)
{
	AlError		err;

	if (al_definition_bordin(&alpg_jsonb_tree, alpg_jsonb_root(jb), inst, &err) != AL_OK)
		alpg_report(&err);
}

static void
parse_norms(Jsonb *jb, AlInstrument *inst)
{
	AlError		err;

	if (al_definition_norms(&alpg_jsonb_tree, alpg_jsonb_root(jb), inst, &err) != AL_OK)
		alpg_report(&err);
	inst->norms_text = JsonbToCString(NULL, &jb->root, VARSIZE(jb));
}

/*
 * Build and validate an instrument from definition values, allocating in
 * the current memory context.  Errors are 22023 naming the problem.
 */
static AlInstrument *
build_instrument(Datum *values, bool *nulls)
{
	AlInstrument *inst = palloc0(sizeof(AlInstrument));
	char	   *code;
	AlDecimal	min,
				max,
				step;
	int			decimals;
	AlError		err;

	for (int c = D_CODE; c <= D_STEP; c++)
		if (nulls[c])
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid instrument definition: %s is required", def_columns[c])));
	code = TextDatumGetCString(values[D_CODE]);
	inst->code = code;
	inst->name = TextDatumGetCString(values[D_NAME]);
	inst->builtin_id = AL_CUSTOM;
	inst->nitems = DatumGetInt32(values[D_ITEMS]);
	if (inst->nitems < 1 || inst->nitems > AL_MAX_ITEMS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid definition of instrument \"%s\": items must be between 1 and %d; got %d",
						code, AL_MAX_ITEMS, inst->nitems)));

	min = def_decimal(code, "min", DatumGetNumeric(values[D_MIN]));
	max = def_decimal(code, "max", DatumGetNumeric(values[D_MAX]));
	step = def_decimal(code, "step", DatumGetNumeric(values[D_STEP]));
	decimals = Max(min.scale, Max(max.scale, step.scale));
	if (decimals > AL_MAX_DECIMALS)
		def_error(code, "min, max and step may have at most %s decimals", "4");
	inst->decimals = decimals;
	inst->min_u = rescale(code, "min", min, decimals);
	inst->max_u = rescale(code, "max", max, decimals);
	inst->step_u = rescale(code, "step", step, decimals);
	inst->goal_scale = inst->task_scale = inst->bond_scale = -1;

	if (!nulls[D_REVERSED])
		inst->reversed = int_array_items(code, "reversed", DatumGetArrayTypeP(values[D_REVERSED]),
										 &inst->nreversed);
	if (!nulls[D_SCALES])
		parse_scales(code, DatumGetJsonbP(values[D_SCALES]), inst);
	if (!nulls[D_BORDIN])
		parse_bordin(DatumGetJsonbP(values[D_BORDIN]), inst);
	if (!nulls[D_CUTOFF])
	{
		AlDecimal	c = def_decimal(code, "cutoff", DatumGetNumeric(values[D_CUTOFF]));

		inst->has_cutoff = true;
		inst->cutoff_u = c.units;
		inst->cutoff_scale = c.scale;
	}
	if (nulls[D_MIN_ANSWERED])
	{
		inst->min_answered_num = 3;
		inst->min_answered_den = 4;
	}
	else
	{
		AlDecimal	m = def_decimal(code, "min_answered", DatumGetNumeric(values[D_MIN_ANSWERED]));

		inst->min_answered_num = m.units;
		inst->min_answered_den = al_pow10(m.scale);
	}
	if (nulls[D_SCORE])
		inst->score = AL_SCORE_TOTAL;
	else
	{
		char	   *score = TextDatumGetCString(values[D_SCORE]);

		if (strcmp(score, "total") == 0)
			inst->score = AL_SCORE_TOTAL;
		else if (strcmp(score, "mean") == 0)
			inst->score = AL_SCORE_MEAN;
		else
			def_error(code, "score is \"%s\"; it must be 'total' or 'mean'", score);
	}
	if (!nulls[D_NORMS])
		parse_norms(DatumGetJsonbP(values[D_NORMS]), inst);
	if (!nulls[D_ITEM_LABELS])
		inst->item_labels = text_array(code, "item_labels", DatumGetArrayTypeP(values[D_ITEM_LABELS]), inst->nitems);
	if (!nulls[D_LINK_IDS])
		inst->link_ids = text_array(code, "link_ids", DatumGetArrayTypeP(values[D_LINK_IDS]), inst->nitems);
	if (!nulls[D_FHIR_URL])
		inst->fhir_url = TextDatumGetCString(values[D_FHIR_URL]);
	if (!nulls[D_CITATION])
		inst->citation = TextDatumGetCString(values[D_CITATION]);

	if (al_instrument_validate(inst, &err) != AL_OK)
	{
		char	   *msg = psprintf("invalid definition of instrument \"%s\": %s", code, err.message);

		strlcpy(err.message, msg, sizeof(err.message));
		alpg_report(&err);
	}
	/* computed once here: every custom value bound to it compares with it */
	inst->fingerprint = al_instrument_fingerprint(inst);
	return inst;
}

/* ---------------------------------------------------------------- cache */

typedef struct CustomCache
{
	MemoryContext cxt;
	Oid			relid;			/* of the configuration table when loaded */
	bool		xact_only;		/* read with a transaction snapshot: valid in this transaction only */
	int			n;
	AlInstrument **defs;
	int			last_hit;		/* the definition resolved last: a column holds one code */
	int			nnorms;			/* alliance.norms rows */
	char	  **norm_codes;
	double	   *norm_sd;
	double	   *norm_reliability;
} CustomCache;

/*
 * Per-backend cache: the one piece of backend-local state, rebuilt on
 * invalidation.  A dropped cache is only retired: callers in this
 * transaction may still hold AlInstrument pointers into it (an aggregate's
 * state, say), so its memory is freed at the end of the transaction.
 */
static CustomCache *custom_cache = NULL;
static MemoryContext retired_caches = NULL;
static bool callbacks_registered = false;

/*
 * Bumped by every invalidation that concerns the definitions, whether or not
 * a cache exists: a cache whose load overlapped one is never installed, or
 * an invalidation that arrived mid-load (another session's commit) would be
 * lost and the stale cache kept for good.
 */
static uint64 cache_generation = 0;
static Oid	known_config_relid = InvalidOid;
static Oid	known_norms_relid = InvalidOid;

static Oid
config_relid(const char *table)
{
	Oid			nsp = get_namespace_oid(CONFIG_SCHEMA, true);

	return OidIsValid(nsp) ? get_relname_relid(table, nsp) : InvalidOid;
}

/* Move a cache out of use; its memory lives until the end of the transaction. */
static void
retire_cache(CustomCache *cache)
{
	if (retired_caches == NULL)
		retired_caches = AllocSetContextCreate(TopMemoryContext, "alliance retired caches",
											   ALLOCSET_SMALL_SIZES);
	MemoryContextSetParent(cache->cxt, retired_caches);
}

static void
invalidate_custom_cache(Datum arg, Oid relid)
{
	/* a flush of the configuration table, or of every relation */
	if (relid == InvalidOid || relid == known_config_relid || relid == known_norms_relid ||
		!OidIsValid(known_config_relid))
	{
		cache_generation++;
		if (custom_cache != NULL)
		{
			retire_cache(custom_cache);
			custom_cache = NULL;
		}
	}
}

static void
end_of_transaction(XactEvent event, void *arg)
{
	if (event != XACT_EVENT_COMMIT && event != XACT_EVENT_ABORT &&
		event != XACT_EVENT_PARALLEL_COMMIT && event != XACT_EVENT_PARALLEL_ABORT)
		return;
	/* a cache read under a REPEATABLE READ snapshot may be stale in the next transaction */
	if (custom_cache != NULL && custom_cache->xact_only)
	{
		retire_cache(custom_cache);
		custom_cache = NULL;
	}
	if (retired_caches != NULL)
	{
		MemoryContextDelete(retired_caches);
		retired_caches = NULL;
	}
}

static void
load_norms(CustomCache *cache)
{
	int			ret;
	MemoryContext old;

	ret = SPI_execute("SELECT instrument, sd::float8, reliability::float8 FROM "
					  CONFIG_SCHEMA "." NORMS_TABLE, IsInParallelMode(), 0);
	if (ret != SPI_OK_SELECT)
		elog(ERROR, "alliance: reading %s failed: %s", NORMS_TABLE, SPI_result_code_string(ret));
	old = MemoryContextSwitchTo(cache->cxt);
	cache->nnorms = (int) SPI_processed;
	cache->norm_codes = palloc0(sizeof(char *) * Max(cache->nnorms, 1));
	cache->norm_sd = palloc0(sizeof(double) * Max(cache->nnorms, 1));
	cache->norm_reliability = palloc0(sizeof(double) * Max(cache->nnorms, 1));
	for (uint64 r = 0; r < SPI_processed; r++)
	{
		HeapTuple	tup = SPI_tuptable->vals[r];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		bool		isnull[3];
		Datum		code = SPI_getbinval(tup, desc, 1, &isnull[0]);
		Datum		sd = SPI_getbinval(tup, desc, 2, &isnull[1]);
		Datum		rel = SPI_getbinval(tup, desc, 3, &isnull[2]);

		/* the table's constraints keep these NOT NULL and in range */
		if (isnull[0] || isnull[1] || isnull[2])
			elog(ERROR, "alliance: a row of %s has a NULL", NORMS_TABLE);
		cache->norm_codes[r] = TextDatumGetCString(code);
		cache->norm_sd[r] = DatumGetFloat8(sd);
		cache->norm_reliability[r] = DatumGetFloat8(rel);
	}
	MemoryContextSwitchTo(old);
}

static CustomCache *
load_custom_cache(void)
{
	MemoryContext cxt,
				old;
	CustomCache *cache;
	int			ret;
	StringInfoData q;

	if (!callbacks_registered)
	{
		CacheRegisterRelcacheCallback(invalidate_custom_cache, (Datum) 0);
		RegisterXactCallback(end_of_transaction, NULL);
		callbacks_registered = true;
	}
	/* built under the caller's context: an error mid-load frees it with the query */
	cxt = AllocSetContextCreate(CurrentMemoryContext, "alliance custom instruments", ALLOCSET_SMALL_SIZES);
	cache = MemoryContextAllocZero(cxt, sizeof(CustomCache));
	cache->cxt = cxt;
	cache->relid = config_relid(CONFIG_TABLE);
	known_config_relid = cache->relid;
	known_norms_relid = config_relid(NORMS_TABLE);
	if (!OidIsValid(cache->relid))
	{
		MemoryContextSetParent(cxt, CacheMemoryContext);
		return cache;			/* extension being created or dropped */
	}
	initStringInfo(&q);
	appendStringInfoString(&q, "SELECT ");
	for (int c = 0; c < D_NCOLS; c++)
		appendStringInfo(&q, "%s%s", c ? ", " : "", def_columns[c]);
	appendStringInfoString(&q, " FROM " CONFIG_SCHEMA "." CONFIG_TABLE);

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "alliance: SPI_connect failed");

	/*
	 * Not read-only: SPI then takes a fresh snapshot (under READ COMMITTED),
	 * so definitions committed since the calling statement began are seen.
	 * In a parallel operation no new command may start; the leader's
	 * snapshot is the one to use there anyway.
	 */
	ret = SPI_execute(q.data, IsInParallelMode(), 0);
	if (ret != SPI_OK_SELECT)
		elog(ERROR, "alliance: reading %s failed: %s", CONFIG_TABLE, SPI_result_code_string(ret));
	old = MemoryContextSwitchTo(cxt);
	cache->n = (int) SPI_processed;
	cache->defs = palloc0(sizeof(AlInstrument *) * Max(cache->n, 1));
	for (uint64 r = 0; r < SPI_processed; r++)
	{
		Datum		values[D_NCOLS];
		bool		nulls[D_NCOLS];

		for (int c = 0; c < D_NCOLS; c++)
			values[c] = SPI_getbinval(SPI_tuptable->vals[r], SPI_tuptable->tupdesc, c + 1, &nulls[c]);
		cache->defs[r] = build_instrument(values, nulls);
	}
	MemoryContextSwitchTo(old);
	/* absent while a 0.1.0 database runs this library, before ALTER EXTENSION UPDATE */
	if (OidIsValid(known_norms_relid))
		load_norms(cache);
	SPI_finish();
	MemoryContextSetParent(cxt, CacheMemoryContext);
	cache->xact_only = IsolationUsesXactSnapshot();
	return cache;
}

static CustomCache *
get_cache(void)
{
	if (custom_cache == NULL)
	{
		uint64		generation = cache_generation;
		CustomCache *cache = load_custom_cache();

		if (generation == cache_generation)
			custom_cache = cache;
		else
		{
			/* definitions changed while we read them: use this once, reload next time */
			retire_cache(cache);
			return cache;
		}
	}
	return custom_cache;
}

const AlInstrument *
alpg_resolve_custom(const char *code)
{
	CustomCache *cache = get_cache();

	if (cache->last_hit < cache->n && strcmp(cache->defs[cache->last_hit]->code, code) == 0)
		return cache->defs[cache->last_hit];
	for (int i = 0; i < cache->n; i++)
		if (strcmp(cache->defs[i]->code, code) == 0)
		{
			cache->last_hit = i;
			return cache->defs[i];
		}
	return NULL;
}

const AlInstrument *
alpg_resolve(const char *code)
{
	const AlInstrument *b = al_builtin_by_code(code);

	if (b != NULL)
		return b;
	return alpg_resolve_custom(code);
}

const AlInstrument *
alpg_resolve_typmod(int32 typmod)
{
	CustomCache *cache;

	if (!al_typmod_is_custom(typmod))
		return al_builtin_by_id(typmod);
	cache = get_cache();
	for (int i = 0; i < cache->n; i++)
		if (al_code_typmod(cache->defs[i]->code) == typmod)
			return cache->defs[i];
	return NULL;
}

const AlInstrument *
alpg_resolve_fhir_url(const char *url)
{
	CustomCache *cache = get_cache();

	for (int i = 0; i < cache->n; i++)
		if (cache->defs[i]->fhir_url != NULL && strcmp(cache->defs[i]->fhir_url, url) == 0)
			return cache->defs[i];
	return NULL;
}

bool
alpg_clinic_norms(const AlInstrument *inst, double *sd, double *reliability)
{
	CustomCache *cache;

	if (inst == NULL)
		return false;
	cache = get_cache();
	for (int i = 0; i < cache->nnorms; i++)
		if (strcmp(cache->norm_codes[i], inst->code) == 0)
		{
			*sd = cache->norm_sd[i];
			*reliability = cache->norm_reliability[i];
			return true;
		}
	return false;
}

/* ------------------------------------------------------ SQL functions */

/*
 * instrument_fingerprint(code, name, items, ...): validates a definition
 * exactly as the cache will read it and returns its fingerprint (16 hex
 * digits).  The configuration table's row trigger calls it.
 */
Datum
instrument_fingerprint(PG_FUNCTION_ARGS)
{
	Datum		values[D_NCOLS];
	bool		nulls[D_NCOLS];
	AlInstrument *inst;

	for (int c = 0; c < D_NCOLS; c++)
	{
		nulls[c] = PG_ARGISNULL(c);
		values[c] = nulls[c] ? (Datum) 0 : PG_GETARG_DATUM(c);
	}
	inst = build_instrument(values, nulls);
	PG_RETURN_TEXT_P(cstring_to_text(psprintf("%016llx",
											  (unsigned long long) al_instrument_fingerprint(inst))));
}

/* code_typmod(code): the type modifier response(code) gets */
Datum
code_typmod(PG_FUNCTION_ARGS)
{
	char	   *raw = text_to_cstring(PG_GETARG_TEXT_PP(0));
	char		code[AL_MAX_CODE_LEN + 1];
	AlError		err;

	if (al_normalize_code(raw, strlen(raw), code, &err) != AL_OK)
	{
		err.status = AL_ERR_PARAM;
		alpg_report(&err);
	}
	PG_RETURN_INT32(al_code_typmod(code));
}

/* statement-level AFTER trigger: every backend re-reads the definitions */
Datum
instruments_changed(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;

	if (!CALLED_AS_TRIGGER(fcinfo))
		elog(ERROR, "instruments_changed: not called as a trigger");
	CacheInvalidateRelcacheByRelid(RelationGetRelid(trigdata->tg_relation));
	return PointerGetDatum(NULL);
}
