/*
 * jsonb_tree.c — jsonb as the core's JSON tree (src/core/json_tree.h), for
 * the core's readers of JSON: the FHIR walk (fhir.c) and a definition's
 * scales, bordin and norms (catalog.c).  A value is a JsonbValue *, every
 * one palloc'd in the calling memory context; a nested object or array is a
 * jbvBinary value pointing into the document, so nothing is copied.
 */
#include "postgres.h"

#include "fmgr.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"

#include "jsonb_tree.h"

static AlJsonKind
jb_kind(void *ctx, AlJsonRef ref)
{
	const JsonbValue *v = ref;

	switch (v->type)
	{
		case jbvNull:
			return AL_JSON_NULL;
		case jbvBool:
			return AL_JSON_BOOL;
		case jbvNumeric:
			return AL_JSON_NUMBER;
		case jbvString:
			return AL_JSON_STRING;
		case jbvArray:
			return AL_JSON_ARRAY;
		case jbvBinary:
			return JsonContainerIsArray(v->val.binary.data) ? AL_JSON_ARRAY : AL_JSON_OBJECT;
		default:
			return AL_JSON_OBJECT;
	}
}

static AlJsonRef
jb_member(void *ctx, AlJsonRef ref, const char *key)
{
	const JsonbValue *obj = ref;
	JsonbValue	k;

	k.type = jbvString;
	k.val.string.val = (char *) key;
	k.val.string.len = strlen(key);
	return findJsonbValueFromContainer(obj->val.binary.data, JB_FOBJECT, &k);
}

static size_t
jb_members(void *ctx, AlJsonRef ref)
{
	const JsonbValue *obj = ref;

	return JsonContainerSize(obj->val.binary.data);
}

/*
 * Member i by walking the object from its start: O(i), for the small
 * objects of a definition (a jsonb object has no exported i-th-pair access).
 */
static AlJsonRef
jb_member_at(void *ctx, AlJsonRef ref, size_t i, const char **key, size_t *key_len)
{
	const JsonbValue *obj = ref;
	JsonbIterator *it = JsonbIteratorInit(obj->val.binary.data);
	JsonbValue	v;
	JsonbIteratorToken tok;
	size_t		n = 0;

	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		if (tok == WJB_KEY && n == i)
		{
			*key = v.val.string.val;
			*key_len = v.val.string.len;
		}
		else if (tok == WJB_VALUE && n++ == i)
		{
			JsonbValue *out = palloc(sizeof(JsonbValue));

			*out = v;
			return out;
		}
	}
	elog(ERROR, "jsonb object has no member %zu", i);
	pg_unreachable();
}

static size_t
jb_length(void *ctx, AlJsonRef ref)
{
	const JsonbValue *arr = ref;

	return JsonContainerSize(arr->val.binary.data);
}

static AlJsonRef
jb_element(void *ctx, AlJsonRef ref, size_t i)
{
	const JsonbValue *arr = ref;

	/* the walk's every step goes through here: documents can be long */
	CHECK_FOR_INTERRUPTS();
	return getIthJsonbValueFromContainer(arr->val.binary.data, (uint32) i);
}

static const char *
jb_string(void *ctx, AlJsonRef ref, size_t *len)
{
	const JsonbValue *v = ref;

	*len = v->val.string.len;
	return v->val.string.val;
}

static const char *
jb_number(void *ctx, AlJsonRef ref, size_t *len)
{
	const JsonbValue *v = ref;
	char	   *s = DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(v->val.numeric)));

	*len = strlen(s);
	return s;
}

static bool
jb_boolean(void *ctx, AlJsonRef ref)
{
	return ((const JsonbValue *) ref)->val.boolean;
}

static void
jb_release(void *ctx, AlJsonRef ref)
{
	pfree((void *) ref);
}

const AlJsonOps alpg_jsonb_tree = {
	.ctx = NULL, .kind = jb_kind, .member = jb_member, .members = jb_members,
	.member_at = jb_member_at, .length = jb_length,
	.element = jb_element, .string = jb_string, .number = jb_number,
	.boolean = jb_boolean, .release = jb_release,
};

/* the document's root as a JsonbValue (a scalar document as its scalar) */
JsonbValue *
alpg_jsonb_root(Jsonb *jb)
{
	JsonbValue *v = palloc(sizeof(JsonbValue));

	if (JB_ROOT_IS_SCALAR(jb))
	{
		if (!JsonbExtractScalar(&jb->root, v))
			elog(ERROR, "jsonb scalar without its value");
		return v;
	}
	v->type = jbvBinary;
	v->val.binary.data = &jb->root;
	v->val.binary.len = VARSIZE(jb) - VARHDRSZ;
	return v;
}

