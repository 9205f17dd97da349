/*
 * response.h — one filled-in questionnaire, decoded.
 *
 * AlResponse is the working form: the instrument and each item as present
 * flag + exact value in 10^-decimals units (the instrument's decimals).  The
 * stored form (al_response_encode/decode) is the compact byte layout below;
 * the text form is "code(v1,v2,null,...)".
 *
 * Stored layout (after the varlena header, which the skin owns):
 *
 *   byte 0      format: high nibble = format version (1), low nibble = flags
 *                 AL_FMT_CUSTOM   the instrument is custom (byte 1 is 0)
 *   byte 1      built-in id (AlBuiltinId), 0 for custom
 *   custom only:
 *   bytes 2-5   code hash (al_code_hash, little endian)
 *   bytes 6-9   definition fingerprint, low 32 bits (0 = unbound: stored
 *               during a restore before the definition was known)
 *   byte 10     code length L, then L bytes of code
 *   then        item count, decimals, and per item a varint: 0 = missing,
 *               else zigzag(units) + 1
 *   built-in only:
 *   then        item codes, bit-packed little-endian, bits_per_item each:
 *               0 = missing, k = (value - item minimum) / step + 1
 *
 * Custom values are self-describing on purpose: printing, comparing and
 * hashing them never needs the definition, so a value restored before its
 * definition (unbound, fingerprint 0) is as usable as any, and a definition
 * that differs on another server is caught by the fingerprint at scoring
 * time instead of silently mis-decoding packed bits.
 *
 * A WAI-SR value packs 12 x 3 bits into 5 bytes and an SRS value 4 x 7 bits
 * into 4 bytes: with the 4-byte varlena header, 11 and 10 bytes.
 */
#ifndef AL_RESPONSE_H
#define AL_RESPONSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "al_status.h"
#include "instrument.h"

#define AL_FORMAT_VERSION	1
#define AL_FMT_CUSTOM		0x01

/* Longest encoded value: custom header + code + count + decimals + 255 varints. */
#define AL_MAX_DIGITS		18	/* significant digits an int64 holds safely */
#define AL_MAX_ENCODED		(11 + AL_MAX_CODE_LEN + 2 + AL_MAX_ITEMS * 10)

/* Longest text form we accept; longer input is a syntax error (22P02), never 54000. */
#define AL_MAX_TEXT_LEN		16384

typedef struct AlResponse
{
	const AlInstrument *inst;	/* NULL only for an unbound custom value */
	char		code[AL_MAX_CODE_LEN + 1];
	uint32_t	fingerprint;	/* custom: definition fingerprint (low 32 bits); 0 = unbound */
	int			nitems;
	int			decimals;		/* of units[]; the instrument's when bound */
	bool		present[AL_MAX_ITEMS];
	int64_t		units[AL_MAX_ITEMS];
} AlResponse;

/* A parsed decimal literal: units / 10^scale. */
typedef struct AlDecimal
{
	int64_t		units;
	int			scale;
} AlDecimal;

/*
 * Parse a decimal number token (ASCII digits, optional sign and point; no
 * exponent).  Returns AL_ERR_SYNTAX for junk, AL_ERR_RANGE for NaN/Infinity
 * spellings and for values too long to hold; the caller adds context.
 */
AlStatus	al_parse_decimal(const char *s, size_t len, AlDecimal *out, AlError *err);

/*
 * Resolving instruments by code.  The core knows the built-ins; the skin
 * passes a resolver for custom ones (NULL resolver = built-ins only).
 * A resolver returns NULL when the code is unknown.
 */
typedef const AlInstrument *(*AlResolver) (const char *code, void *arg);

/* Look up a code: built-in first, then the resolver. */
const AlInstrument *al_resolve(const char *code, AlResolver resolver, void *arg);

/* Start a response for inst: every item missing. */
void		al_response_init(AlResponse *r, const AlInstrument *inst);

/*
 * Set item (1-based) from a decimal, validating range and step against the
 * instrument.  Messages name the instrument, item, value and allowed range.
 */
AlStatus	al_response_set_item(AlResponse *r, int item, const AlDecimal *value, AlError *err);

/* The standard "srs item 2 is 9.15; answers run ..." error for a value shown as given. */
AlStatus	al_response_item_error(const AlResponse *r, int item, const char *shown, AlError *err);

/* Whole-response rules (PSQ: item 1 required; intensity/resolution absent when no rupture). */
AlStatus	al_response_check(const AlResponse *r, AlError *err);

/*
 * Parse the text form.  expect_nitems < 0: any.  Unknown codes are an error
 * unless allow_unbound, in which case a well-formed custom value of an
 * unknown code is kept unbound (restore).
 */
AlStatus	al_response_parse(const char *text, AlResolver resolver, void *arg,
							  bool allow_unbound, AlResponse *out, AlError *err);

/* Canonical text into buf; returns the length, or -1 if buf is too small. */
int			al_response_format(const AlResponse *r, char *buf, size_t buflen);

/* Format one item value (units at r->decimals) into buf. */
int			al_format_units(int64_t units, int decimals, char *buf, size_t buflen);

/* Encode into buf (at least AL_MAX_ENCODED bytes); returns bytes written. */
size_t		al_response_encode(const AlResponse *r, uint8_t *buf);

/*
 * Decode bytes written by al_response_encode; validates everything
 * (AL_ERR_CORRUPT otherwise).  A custom value comes back with inst == NULL:
 * binding it to a definition (and checking the fingerprint) is the caller's.
 */
AlStatus	al_response_decode(const uint8_t *buf, size_t len, AlResponse *out, AlError *err);

/*
 * Bind a decoded or unbound custom value to its definition: converts units
 * to the definition's decimals and validates every item as input does.
 * Fails (AL_ERR_PARAM) when the stored fingerprint is set and differs.
 */
AlStatus	al_response_bind(AlResponse *r, const AlInstrument *inst, AlError *err);

/* Total order: code, then items in order (a missing item sorts after any value). */
int			al_response_compare(const AlResponse *a, const AlResponse *b);

/* Hash consistent with al_response_compare()==0; seed for extended hashing. */
uint64_t	al_response_hash(const AlResponse *r, uint64_t seed);

/* Number of answered items. */
int			al_response_answered(const AlResponse *r);

#endif
