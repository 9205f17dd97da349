/*
 * definition_json.h — the JSON parameters of a custom instrument definition
 * (define_instrument's scales, bordin and norms; doc/custom-instruments.md),
 * read from any parsed JSON (json_tree.h) into an AlInstrument, so the
 * shapes are unit-tested and fuzzed without a server.  Messages read
 * "invalid definition of instrument "<code>": ..." (AL_ERR_PARAM).  What
 * the values mean together (scale items within the item count, names
 * unique) is al_instrument_validate's to check; here only the shapes.
 * Nothing here allocates: names are left in the caller's document.
 */
#ifndef AL_DEFINITION_JSON_H
#define AL_DEFINITION_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "al_status.h"
#include "instrument.h"
#include "json_tree.h"
#include "response.h"

/* One scale as the document names it. */
typedef struct AlScaleSpec
{
	const char *name;			/* in the document, not NUL-terminated */
	size_t		name_len;
	int			nitems;
	uint8_t		items[AL_MAX_ITEMS];	/* 1-based item numbers */
} AlScaleSpec;

/*
 * A numeric parameter of a definition (decimal text: min, max, step, cutoff,
 * min_answered, and the numbers inside the JSON parameters) as an exact
 * decimal, or the definition's own error naming param.
 */
AlStatus	al_definition_decimal(const char *text, size_t len, const char *code, const char *param,
								  AlDecimal *out, AlError *err);

/* scales: {"name": [item numbers], ...} into out[0 .. *nscales - 1] (AL_MAX_SCALES at most) */
AlStatus	al_definition_scales(const AlJsonOps *ops, AlJsonRef root, const char *code,
								 AlScaleSpec *out, int *nscales, AlError *err);

/* bordin: {"goal"|"task"|"bond": "scale name", ...} into inst's goal/task/bond_scale */
AlStatus	al_definition_bordin(const AlJsonOps *ops, AlJsonRef root, AlInstrument *inst,
								 AlError *err);

/* norms: {"sd": n, "reliability": n, "rc_points": n} (any of them) into inst */
AlStatus	al_definition_norms(const AlJsonOps *ops, AlJsonRef root, AlInstrument *inst,
								AlError *err);

#endif
