/*
 * jansson_tree.h — the core's JSON tree callbacks (src/core/json_tree.h)
 * over a document parsed by libjansson, for the unit tests and the fuzz
 * targets: the server hands the core jsonb, these hand it the same shapes
 * without a server.
 *
 * Numbers: jansson keeps integers as integers and reals as doubles; a real
 * is shown in plain decimal notation (as numeric_out would), so "9.5" reads
 * as 9.5 and 1e300 as 1 followed by 300 zeros.  Element and member values
 * are borrowed from the document: release is not needed.
 */
#ifndef ALLIANCE_JANSSON_TREE_H
#define ALLIANCE_JANSSON_TREE_H

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "json_tree.h"

typedef struct JanssonTreeCtx
{
	char		number[512];	/* the last number's text */
} JanssonTreeCtx;

static AlJsonKind
jt_kind(void *ctx, AlJsonRef ref)
{
	(void) ctx;
	switch (json_typeof((const json_t *) ref))
	{
		case JSON_OBJECT:
			return AL_JSON_OBJECT;
		case JSON_ARRAY:
			return AL_JSON_ARRAY;
		case JSON_STRING:
			return AL_JSON_STRING;
		case JSON_INTEGER:
		case JSON_REAL:
			return AL_JSON_NUMBER;
		case JSON_TRUE:
		case JSON_FALSE:
			return AL_JSON_BOOL;
		case JSON_NULL:
		default:
			return AL_JSON_NULL;
	}
}

static AlJsonRef
jt_member(void *ctx, AlJsonRef obj, const char *key)
{
	(void) ctx;
	return json_object_get((const json_t *) obj, key);
}

static size_t
jt_members(void *ctx, AlJsonRef obj)
{
	(void) ctx;
	return json_object_size((const json_t *) obj);
}

/* member i in the document's order (jansson keeps insertion order): O(i) */
static AlJsonRef
jt_member_at(void *ctx, AlJsonRef obj, size_t i, const char **key, size_t *key_len)
{
	void	   *it = json_object_iter((json_t *) obj);

	(void) ctx;
	while (i-- > 0 && it != NULL)
		it = json_object_iter_next((json_t *) obj, it);
	if (it == NULL)
		abort();				/* the core asked past members(): a bug */
	*key = json_object_iter_key(it);
	*key_len = json_object_iter_key_len(it);
	return json_object_iter_value(it);
}

static size_t
jt_length(void *ctx, AlJsonRef arr)
{
	(void) ctx;
	return json_array_size((const json_t *) arr);
}

static AlJsonRef
jt_element(void *ctx, AlJsonRef arr, size_t i)
{
	(void) ctx;
	return json_array_get((const json_t *) arr, i);
}

static const char *
jt_string(void *ctx, AlJsonRef v, size_t *len)
{
	(void) ctx;
	*len = json_string_length((const json_t *) v);
	return json_string_value((const json_t *) v);
}

static const char *
jt_number(void *ctx, AlJsonRef v, size_t *len)
{
	JanssonTreeCtx *c = ctx;
	const json_t *j = v;
	int			n;

	if (json_is_integer(j))
		n = snprintf(c->number, sizeof(c->number), "%" JSON_INTEGER_FORMAT, json_integer_value(j));
	else
	{
		/* plain notation, trailing zeros of the fraction dropped */
		n = snprintf(c->number, sizeof(c->number), "%.6f", json_real_value(j));
		if (n > 0 && (size_t) n < sizeof(c->number) && strchr(c->number, '.') != NULL)
		{
			while (n > 1 && c->number[n - 1] == '0')
				c->number[--n] = '\0';
			if (c->number[n - 1] == '.')
				c->number[--n] = '\0';
		}
	}
	if (n < 0 || (size_t) n >= sizeof(c->number))
		n = (int) strlen(c->number);
	*len = (size_t) n;
	return c->number;
}

static bool
jt_boolean(void *ctx, AlJsonRef v)
{
	(void) ctx;
	return json_is_true((const json_t *) v);
}

/* ops over documents parsed by jansson; ctx must outlive their use */
static inline AlJsonOps
jansson_tree(JanssonTreeCtx *ctx)
{
	AlJsonOps	ops = {
		.ctx = ctx, .kind = jt_kind, .member = jt_member, .members = jt_members,
		.member_at = jt_member_at, .length = jt_length,
		.element = jt_element, .string = jt_string, .number = jt_number,
		.boolean = jt_boolean, .release = NULL,
	};

	return ops;
}

#endif
