/*
 * fhir_pg.h — what the FHIR reader (fhir.c) and writer (fhir_observation.c)
 * share.
 */
#ifndef ALPG_FHIR_H
#define ALPG_FHIR_H

#include "pg_compat.h"
#include "utils/timestamp.h"

/* A timestamptz as a FHIR dateTime in UTC ("2024-05-01T08:00:00Z"), palloc'd. */
char	   *alpg_fhir_format_utc(TimestampTz ts);

/* alliance.fhir_base_url, or NULL when unset. */
const char *alpg_fhir_base_url(void);

/* The code system alliance's codes belong to: from alliance.fhir_base_url, else the placeholder. */
const char *alpg_fhir_code_system(void);

#endif
