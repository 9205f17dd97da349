/*
 * pg_compat.h — every difference between the supported PostgreSQL major
 * versions (15 to 18), in one place.  Include it instead of postgres.h.
 */
#ifndef ALLIANCE_PG_COMPAT_H
#define ALLIANCE_PG_COMPAT_H

#include "postgres.h"

#if PG_VERSION_NUM < 150000
#error "alliance needs PostgreSQL 15 or later"
#endif

/* 16 moved the varlena macros (VARSIZE, SET_VARSIZE, VARDATA...) out of postgres.h. */
#if PG_VERSION_NUM >= 160000
#include "varatt.h"
#endif

/*
 * 18 replaced pg_attribute_noreturn(), written after a declaration, by
 * pg_noreturn, written before it.  Both spellings of the older macro expand
 * to __attribute__((noreturn)), which GCC and Clang also accept in front.
 */
#ifndef pg_noreturn
#define pg_noreturn pg_attribute_noreturn()
#endif

#endif
