/*
 * jsonb_tree.h — jsonb as the core's JSON tree (jsonb_tree.c).  The skin's
 * helpers are alpg_*; the callbacks' names say jsonb.
 */
#ifndef ALPG_JSONB_TREE_H
#define ALPG_JSONB_TREE_H

#include "postgres.h"

#include "utils/jsonb.h"

#include "json_tree.h"

/* the callbacks (ctx unused) */
extern const AlJsonOps alpg_jsonb_tree;

/* a document's root as a value: a JsonbValue, a scalar document as its scalar */
JsonbValue *alpg_jsonb_root(Jsonb *jb);

#endif
