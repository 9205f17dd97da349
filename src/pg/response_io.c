/*
 * response_io.c — alliance.response: text and binary I/O, typmod, the
 * length-coercion cast, and the datum <-> core conversion.
 */
#include "response_pg.h"

#include "catalog/pg_type.h"
#include "libpq/pqformat.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/guc.h"

#include "score.h"

PG_FUNCTION_INFO_V1(response_in);
PG_FUNCTION_INFO_V1(response_out);
PG_FUNCTION_INFO_V1(response_recv);
PG_FUNCTION_INFO_V1(response_send);
PG_FUNCTION_INFO_V1(response_typmod_in);
PG_FUNCTION_INFO_V1(response_typmod_out);
PG_FUNCTION_INFO_V1(response_enforce_typmod);

#define WIRE_VERSION 1

static const AlInstrument *
resolver(const char *code, void *arg)
{
	return alpg_resolve(code);
}

void
alpg_response_decode(Datum d, AlResponse *out)
{
	/* packed: a short-header value (every stored response) is read in place, not copied */
	struct varlena *v = PG_DETOAST_DATUM_PACKED(d);
	AlError		err;

	if (al_response_decode((const uint8 *) VARDATA_ANY(v), VARSIZE_ANY_EXHDR(v), out, &err) != AL_OK)
		alpg_report(&err);
	if ((Pointer) v != DatumGetPointer(d))
		pfree(v);
}

void
alpg_response_bound(Datum d, AlResponse *out)
{
	AlError		err;
	const AlInstrument *inst;

	alpg_response_decode(d, out);
	if (out->inst != NULL)
		return;
	/* a value decodes unbound only when its code is a custom one */
	inst = alpg_resolve_custom(out->code);
	if (inst == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("instrument \"%s\" is not defined in this database", out->code),
				 errdetail("The value was stored before its definition was known (for example during a restore)."),
				 errhint("Define it with alliance.define_instrument, or restore the alliance configuration table first.")));
	if (al_response_bind(out, inst, &err) != AL_OK)
		alpg_report(&err);
}

Datum
alpg_response_datum(const AlResponse *r)
{
	uint8		buf[AL_MAX_ENCODED];
	size_t		n = al_response_encode(r, buf);
	struct varlena *v = (struct varlena *) palloc(VARHDRSZ + n);

	SET_VARSIZE(v, VARHDRSZ + n);
	memcpy(VARDATA(v), buf, n);
	return PointerGetDatum(v);
}

/* the code a typmod stands for, for messages and typmod_out */
static void
typmod_code(int32 typmod, char *buf, size_t buflen)
{
	const AlInstrument *inst = alpg_resolve_typmod(typmod);

	if (inst != NULL)
		snprintf(buf, buflen, "%s", inst->code);
	else
		snprintf(buf, buflen, "unknown_%08x", (unsigned) typmod);
}

void
alpg_check_typmod(const AlResponse *r, int32 typmod)
{
	char		want[64];

	if (typmod < 0 || al_code_typmod(r->code) == typmod)
		return;
	typmod_code(typmod, want, sizeof(want));
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("a value of %s cannot go into a response(%s) column", r->code, want),
			 errdetail("The column's type modifier restricts it to instrument %s.", want)));
}

bool
alpg_response_score(Datum d, AlRational *score, const AlInstrument **inst)
{
	AlResponse	r;

	alpg_response_bound(d, &r);
	if (r.inst->is_psq)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("psq responses have no score to follow over sessions"),
				 errhint("Build the trajectory from an alliance score (SRS, WAI-SR, ...) and join the PSQ reports to its ruptures by session; see doc/trajectory.md.")));
	*inst = r.inst;
	return al_score(&r, true, score);
}

Datum
response_in(PG_FUNCTION_ARGS)
{
	char	   *text = PG_GETARG_CSTRING(0);
	int32		typmod = PG_NARGS() > 2 ? PG_GETARG_INT32(2) : -1;
	AlResponse	r;
	AlError		err;

	/*
	 * pg_dump and pg_restore run with check_function_bodies off: then a value
	 * of a custom code whose definition has not been restored yet is kept
	 * unbound, and bound when first scored (DESIGN.md, "Restore order").
	 */
	if (al_response_parse(text, resolver, NULL, !check_function_bodies, &r, &err) != AL_OK)
		alpg_report(&err);
	alpg_check_typmod(&r, typmod);
	PG_RETURN_DATUM(alpg_response_datum(&r));
}

Datum
response_out(PG_FUNCTION_ARGS)
{
	AlResponse	r;
	char	   *buf = palloc(AL_MAX_ITEMS * 24 + AL_MAX_CODE_LEN + 8);

	alpg_response_decode(PG_GETARG_DATUM(0), &r);
	if (al_response_format(&r, buf, AL_MAX_ITEMS * 24 + AL_MAX_CODE_LEN + 8) < 0)
		elog(ERROR, "alliance: response text buffer too small");
	PG_RETURN_CSTRING(buf);
}

/*
 * Binary form: uint8 wire version, code as a string, int16 decimals, int16
 * item count, then per item int8 present and, if present, int64 units
 * (value * 10^decimals).  Validated by the same core calls as text input.
 */
Datum
response_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int32		typmod = PG_NARGS() > 2 ? PG_GETARG_INT32(2) : -1;
	int			version = pq_getmsgbyte(buf);
	const char *rawcode;
	char		code[AL_MAX_CODE_LEN + 1];
	int			decimals,
				nitems;
	const AlInstrument *inst;
	AlResponse	r;
	AlError		err;

	if (version != WIRE_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("unsupported binary format version %d for type response", version)));
	rawcode = pq_getmsgstring(buf);
	if (al_normalize_code(rawcode, strlen(rawcode), code, &err) != AL_OK)
		alpg_report(&err);
	decimals = pq_getmsgint(buf, 2);
	nitems = pq_getmsgint(buf, 2);
	if (decimals < 0 || decimals > 18)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid decimals %d in binary response", decimals)));
	inst = alpg_resolve(code);
	if (inst == NULL && check_function_bodies)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown instrument \"%s\"", code)));
	al_response_init(&r, inst);
	if (inst == NULL)
	{
		strlcpy(r.code, code, sizeof(r.code));
		r.decimals = 0;
		if (nitems < 1 || nitems > AL_MAX_ITEMS)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("invalid item count %d in binary response", nitems)));
		r.nitems = nitems;
	}
	else if (nitems != inst->nitems)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("wrong number of items for %s: %d given, %d expected",
						code, nitems, inst->nitems)));
	for (int i = 1; i <= nitems; i++)
	{
		int			present = pq_getmsgbyte(buf);
		AlDecimal	v;

		if (present == 0)
			continue;
		if (present != 1)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("invalid presence flag %d for item %d in binary response", present, i)));
		v.units = pq_getmsgint64(buf);
		v.scale = decimals;
		while (v.scale > 0 && v.units % 10 == 0)
		{
			v.units /= 10;
			v.scale--;
		}
		if (al_response_set_item(&r, i, &v, &err) != AL_OK)
			alpg_report(&err);
	}
	pq_getmsgend(buf);
	if (al_response_check(&r, &err) != AL_OK)
		alpg_report(&err);
	alpg_check_typmod(&r, typmod);
	PG_RETURN_DATUM(alpg_response_datum(&r));
}

Datum
response_send(PG_FUNCTION_ARGS)
{
	AlResponse	r;
	StringInfoData buf;

	alpg_response_decode(PG_GETARG_DATUM(0), &r);
	pq_begintypsend(&buf);
	pq_sendbyte(&buf, WIRE_VERSION);
	pq_sendstring(&buf, r.code);
	pq_sendint16(&buf, (int16) r.decimals);
	pq_sendint16(&buf, (int16) r.nitems);
	for (int i = 0; i < r.nitems; i++)
	{
		pq_sendbyte(&buf, r.present[i] ? 1 : 0);
		if (r.present[i])
			pq_sendint64(&buf, r.units[i]);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
response_typmod_in(PG_FUNCTION_ARGS)
{
	ArrayType  *ta = PG_GETARG_ARRAYTYPE_P(0);
	Datum	   *elems;
	int			n;
	char	   *raw;
	char		code[AL_MAX_CODE_LEN + 1];
	AlError		err;

	deconstruct_array(ta, CSTRINGOID, -2, false, TYPALIGN_CHAR, &elems, NULL, &n);
	if (n != 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("type response takes one modifier, the instrument code"),
				 errhint("Write alliance.response(srs).")));
	raw = DatumGetCString(elems[0]);
	if (al_normalize_code(raw, strlen(raw), code, &err) != AL_OK)
	{
		err.status = AL_ERR_PARAM;
		alpg_report(&err);
	}
	/*
	 * A custom code must be defined before a column can name it, so that
	 * typmod_out can print it back; pg_restore (check_function_bodies off)
	 * creates columns before the definitions arrive.
	 */
	if (check_function_bodies && alpg_resolve(code) == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown instrument \"%s\"", code),
				 errhint("Define it with alliance.define_instrument before using response(%s).", code)));
	PG_RETURN_INT32(al_code_typmod(code));
}

Datum
response_typmod_out(PG_FUNCTION_ARGS)
{
	int32		typmod = PG_GETARG_INT32(0);
	char		code[64];

	if (typmod < 0)
		PG_RETURN_CSTRING(pstrdup(""));
	typmod_code(typmod, code, sizeof(code));
	PG_RETURN_CSTRING(psprintf("(%s)", code));
}

/* alliance.response(response, int4, bool): the length-coercion cast */
Datum
response_enforce_typmod(PG_FUNCTION_ARGS)
{
	Datum		d = PG_GETARG_DATUM(0);
	int32		typmod = PG_GETARG_INT32(1);
	AlResponse	r;

	if (typmod >= 0)
	{
		alpg_response_decode(d, &r);
		alpg_check_typmod(&r, typmod);
	}
	PG_RETURN_DATUM(d);
}
