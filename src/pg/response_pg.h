/*
 * response_pg.h — the alliance.response datum in the skin.
 *
 * A datum is a varlena whose payload is exactly the core's encoding
 * (response.h).  Detoast once, decode once per call.
 */
#ifndef RESPONSE_PG_H
#define RESPONSE_PG_H

#include "alpg.h"
#include "instrument.h"
#include "response.h"

/* Resolve a code: built-ins, then custom definitions (cached).  NULL if unknown. */
const AlInstrument *alpg_resolve(const char *code);
/* A custom definition by code (no built-in is tried first); NULL if unknown. */
const AlInstrument *alpg_resolve_custom(const char *code);
/* The instrument a response(code) type modifier stands for; NULL if unknown. */
const AlInstrument *alpg_resolve_typmod(int32 typmod);
/*
 * The norms a clinic calibrated for inst (alliance.norms, cached with the
 * custom definitions): false when there are none.
 */
bool		alpg_clinic_norms(const AlInstrument *inst, double *sd, double *reliability);

/* The custom instrument whose fhir_url is exactly url; NULL if none. */
const AlInstrument *alpg_resolve_fhir_url(const char *url);

/* An instrument code given as a SQL argument: normalised and resolved, 22023 if unknown. */
const AlInstrument *alpg_instrument_arg(text *code);

/* A subscale named as a SQL argument: its index, or 22023 listing the instrument's subscales. */
int			alpg_scale_arg(const AlInstrument *inst, text *name, const char *hint);

/* Decode a response datum (detoasting it); custom values are left unbound. */
void		alpg_response_decode(Datum d, AlResponse *out);

/*
 * Decode and bind to the instrument's definition, ready for scoring.  Errors
 * (22023) when a custom code is not defined here or its fingerprint differs.
 */
void		alpg_response_bound(Datum d, AlResponse *out);

/* Build a datum from a validated response. */
Datum		alpg_response_datum(const AlResponse *r);

/* Check a value against a column's typmod (22023 naming both instruments). */
void		alpg_check_typmod(const AlResponse *r, int32 typmod);

/*
 * The instrument's score of a response datum, for trajectories: false when
 * not scorable (too many missing items).  PSQ is an error with a hint.
 */
bool		alpg_response_score(Datum d, AlRational *score, const AlInstrument **inst);

#define PG_GETARG_RESPONSE_BOUND(n, r) alpg_response_bound(PG_GETARG_DATUM(n), (r))

#endif
