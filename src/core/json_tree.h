/*
 * json_tree.h — read-only access to a parsed JSON document, for the core's
 * readers of JSON shapes (the FHIR QuestionnaireResponse walk, fhir_read.c;
 * the jsonb parameters of an instrument definition, definition_json.c).
 *
 * The core parses no JSON and allocates nothing: whoever holds the parsed
 * document passes an AlJsonOps whose callbacks answer questions about it.
 * The PostgreSQL skin answers them from jsonb (src/pg/fhir.c); the fuzz
 * target and the unit tests from a document parsed by libjansson.  A value
 * is an opaque AlJsonRef the callbacks hand out; NULL means "absent".
 *
 * The callbacks may not return (the skin's CHECK_FOR_INTERRUPTS in
 * element()): the readers hold no resources between calls, so leaving them
 * by a long jump loses nothing.
 */
#ifndef AL_JSON_TREE_H
#define AL_JSON_TREE_H

#include <stdbool.h>
#include <stddef.h>

typedef const void *AlJsonRef;

typedef enum AlJsonKind
{
	AL_JSON_NULL,
	AL_JSON_BOOL,
	AL_JSON_NUMBER,
	AL_JSON_STRING,
	AL_JSON_ARRAY,
	AL_JSON_OBJECT
} AlJsonKind;

typedef struct AlJsonOps
{
	void	   *ctx;			/* passed to every callback */
	AlJsonKind	(*kind) (void *ctx, AlJsonRef v);
	/* obj (an object) .key, or NULL when it has no such member */
	AlJsonRef	(*member) (void *ctx, AlJsonRef obj, const char *key);
	/*
	 * the number of members of obj (an object), and member i < that with its
	 * key (not NUL-terminated); members come in the document's own order
	 */
	size_t		(*members) (void *ctx, AlJsonRef obj);
	AlJsonRef	(*member_at) (void *ctx, AlJsonRef obj, size_t i, const char **key, size_t *key_len);
	/* the number of elements of arr (an array), and element i < that */
	size_t		(*length) (void *ctx, AlJsonRef arr);
	AlJsonRef	(*element) (void *ctx, AlJsonRef arr, size_t i);
	/* a string's bytes (not NUL-terminated) and length */
	const char *(*string) (void *ctx, AlJsonRef v, size_t *len);
	/* a number as plain decimal text ("12", "-0.5"), not NUL-terminated; valid
	 * at least until the next call of number */
	const char *(*number) (void *ctx, AlJsonRef v, size_t *len);
	bool		(*boolean) (void *ctx, AlJsonRef v);
	/* v (from member or element) is no longer used; may be NULL */
	void		(*release) (void *ctx, AlJsonRef v);
} AlJsonOps;

/* "a string", "an object", ...: how messages name a value's kind */
const char *al_json_kind_name(AlJsonKind kind);

#endif
