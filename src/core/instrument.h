/*
 * instrument.h — the questionnaire catalogue: what an instrument is.
 *
 * Numbers in the core are exact: an item value is an int64 count of
 * 10^-decimals units (SRS 9.1 is 91 with decimals = 1), so sums are exact and
 * no float ever touches a stored answer.  Built-in instruments are constants
 * (instrument.c); custom ones are filled in by the PostgreSQL skin from the
 * configuration table and have builtin_id == 0.
 *
 * The scoring facts and their sources are in doc/instruments.md; every threshold that is
 * not a validation fact is a function parameter with these as defaults.
 */
#ifndef AL_INSTRUMENT_H
#define AL_INSTRUMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "al_status.h"

#define AL_MAX_ITEMS		255
#define AL_MAX_SCALES		32
#define AL_MAX_CODE_LEN		31	/* [a-z][a-z0-9_]{0,30} */
#define AL_MAX_DECIMALS		4

/* Built-in ids are part of the on-disk format: never renumber. */
typedef enum AlBuiltinId
{
	AL_CUSTOM = 0,
	AL_WAI_SR = 1,
	AL_WAI = 2,
	AL_WAI_S = 3,
	AL_SRS = 4,
	AL_ORS = 5,
	AL_HAQ2 = 6,
	AL_ARM5 = 7,
	AL_TASC_R = 8,
	AL_PSQ = 9
} AlBuiltinId;

#define AL_NUM_BUILTINS 9

typedef enum AlScoreKind
{
	AL_SCORE_TOTAL,
	AL_SCORE_MEAN
} AlScoreKind;

typedef struct AlScale
{
	const char *name;
	int			nitems;
	const uint8_t *items;		/* 1-based item numbers */
} AlScale;

typedef struct AlInstrument
{
	const char *code;			/* lower case */
	const char *name;
	const char *citation;
	const char *evidence;		/* "V", "S", "D", "R" (built-ins) */
	uint8_t		builtin_id;		/* AlBuiltinId; 0 = custom */

	int			nitems;
	int			decimals;		/* digits after the point of every item */
	int64_t		min_u;			/* item minimum, in 10^-decimals units */
	int64_t		max_u;
	int64_t		step_u;
	/* per-item ranges (PSQ); NULL when every item shares min_u..max_u */
	const int64_t *item_min_u;
	const int64_t *item_max_u;

	int			nreversed;
	const uint8_t *reversed;	/* 1-based, ascending */

	int			nscales;
	const AlScale *scales;

	/* Bordin dimensions: index into scales[], -1 when not measured */
	int			goal_scale;
	int			task_scale;
	int			bond_scale;

	/*
	 * at-risk cut-off on the score, default comparator "<": cutoff_u units
	 * of 10^-cutoff_scale (read it with al_instrument_cutoff)
	 */
	bool		has_cutoff;
	int64_t		cutoff_u;
	int			cutoff_scale;

	/* default per-item flag threshold (SRS: 9.0), units of 10^-item_cutoff_scale */
	bool		has_item_cutoff;
	int64_t		item_cutoff_u;
	int			item_cutoff_scale;

	/* a scale is scored when answered * min_answered_den >= nitems * min_answered_num */
	int64_t		min_answered_num;
	int64_t		min_answered_den;

	AlScoreKind score;

	/* norms for reliable change; NaN-free: has_* says whether present */
	bool		has_norm_sd;
	double		norm_sd;
	bool		has_norm_reliability;
	double		norm_reliability;
	bool		has_rc_points;
	int64_t		rc_points_u;	/* units of 10^-rc_points_scale */
	int			rc_points_scale;
	const char *norms_text;		/* the norms as given, for display (jsonb text), or NULL */

	const char *const *item_labels; /* nitems labels, or NULL */
	const char *const *link_ids;	/* nitems FHIR linkIds, or NULL */
	const char *fhir_url;

	bool		is_psq;			/* the PSQ rupture report: its own rules */

	/* al_instrument_fingerprint(), cached by whoever builds a custom definition; 0 = not cached */
	uint64_t	fingerprint;
} AlInstrument;

/*
 * The FHIR canonical of each built-in's Questionnaire: this base and the
 * code with '-' for '_' ("…/Questionnaire/wai-sr").  alliance.instruments
 * shows it; from_fhir matches it (and any canonical whose last segment spells
 * a built-in code) before any custom fhir_url, and a custom definition may
 * not take one (doc/fhir.md).
 */
#define AL_FHIR_QUESTIONNAIRE_BASE "https://pgxn.org/dist/alliance/fhir/Questionnaire/"

/* Built-in catalogue. */
const AlInstrument *al_builtin_by_id(int id);	/* NULL if not a built-in id */
const AlInstrument *al_builtin_by_code(const char *code);	/* exact, lower case */

/* Lower-cases code into out (AL_MAX_CODE_LEN + 1 bytes); validates syntax. */
AlStatus	al_normalize_code(const char *code, size_t len, char *out, AlError *err);

/* A stable 32-bit hash of a code (FNV-1a), the same on every server. */
uint32_t	al_code_hash(const char *code);

/*
 * The type modifier of response(code), computed from the code alone (pg_dump
 * creates typmod'd columns before any custom definition exists): the
 * built-in id, or AL_TYPMOD_CUSTOM | 30 bits of the code hash.
 */
#define AL_TYPMOD_CUSTOM 0x40000000
int32_t		al_code_typmod(const char *code);
bool		al_typmod_is_custom(int32_t typmod);

/*
 * The definition fingerprint: FNV-1a 64 over a canonical serialisation of
 * every scoring-relevant field, so two servers agree exactly when their
 * definitions would score alike.
 */
uint64_t	al_instrument_fingerprint(const AlInstrument *inst);

/* Item range helpers (1-based item). */
/* Per item, per row: inline (a call through the shared library's PLT costs more than the work). */
static inline int64_t
al_item_min(const AlInstrument *inst, int item)
{
	return inst->item_min_u ? inst->item_min_u[item - 1] : inst->min_u;
}

static inline int64_t
al_item_max(const AlInstrument *inst, int item)
{
	return inst->item_max_u ? inst->item_max_u[item - 1] : inst->max_u;
}

static inline bool
al_item_reversed(const AlInstrument *inst, int item)
{
	for (int i = 0; i < inst->nreversed; i++)
		if (inst->reversed[i] == item)
			return true;
	return false;
}

/*
 * The missing-item rule, once for every entry point (scoring, the reporting
 * states, FHIR's absent-data text): a scale of n items is scored when at
 * least al_min_answered_items(inst, n) are answered, that is
 * ceil(n * min_answered), at least 1 and at most n (a complete scale always
 * scores).  doc/instruments.md, "Missing items".
 */
int			al_min_answered_items(const AlInstrument *inst, int n);
bool		al_enough_answered(const AlInstrument *inst, int answered, int n);

/* Scale look-up by name; -1 when absent. */
int			al_scale_index(const AlInstrument *inst, const char *name);

/* The sum of keyed items' possible minimum / maximum over a scale (all items when scale < 0). */
int64_t		al_scale_min_u(const AlInstrument *inst, int scale);
int64_t		al_scale_max_u(const AlInstrument *inst, int scale);

/* The thresholds above as exact numbers: value / 10^scale. */
double		al_instrument_cutoff(const AlInstrument *inst);	/* requires has_cutoff */
/* The lowest and highest score inst can give (its total, or mean for a mean-scored one). */
void		al_instrument_score_range(const AlInstrument *inst, double *lo, double *hi);
double		al_instrument_rc_points(const AlInstrument *inst);	/* requires has_rc_points */

/*
 * Validate a definition (custom instruments; the built-ins pass too):
 * item count, range and step, reversed and scale items, Bordin mapping,
 * missing-item rule, norms, labels.  AL_ERR_PARAM naming what is wrong.
 */
AlStatus	al_instrument_validate(const AlInstrument *inst, AlError *err);

/* 10^n for 0 <= n <= 18 */
int64_t		al_pow10(int n);

#endif
