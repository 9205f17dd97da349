/*
 * response_encoding.c — the stored form of a response: the compact byte
 * layout of response.h (format nibble, built-in id or code hash and
 * fingerprint, bit-packed or varint items), its decoder, which validates
 * every byte, and binding a stored custom value to its definition.
 */
#include "response.h"

#include <stdio.h>
#include <string.h>

/* ---- encoding ---- */

static int
bits_for(uint64_t maxcode)
{
	int			b = 0;

	while (maxcode > 0)
	{
		b++;
		maxcode >>= 1;
	}
	return b;
}

/*
 * The largest item code an instrument needs: the most steps of any item,
 * plus one.  Every stored built-in value is decoded through this, so an
 * instrument whose items share one range (all but the PSQ) costs one
 * division, not one per item.
 */
static uint64_t
max_item_code(const AlInstrument *inst)
{
	uint64_t	mx = 0;

	if (inst->item_min_u == NULL && inst->item_max_u == NULL)
		return (uint64_t) ((inst->max_u - inst->min_u) / inst->step_u) + 1;
	for (int i = 1; i <= inst->nitems; i++)
	{
		uint64_t	c = (uint64_t) ((al_item_max(inst, i) - al_item_min(inst, i)) / inst->step_u) + 1;

		if (c > mx)
			mx = c;
	}
	return mx;
}

static size_t
put_varint(uint8_t *buf, uint64_t v)
{
	size_t		n = 0;

	while (v >= 0x80)
	{
		buf[n++] = (uint8_t) (v | 0x80);
		v >>= 7;
	}
	buf[n++] = (uint8_t) v;
	return n;
}

static bool
get_varint(const uint8_t *buf, size_t len, size_t *pos, uint64_t *v)
{
	uint64_t	r = 0;

	for (int shift = 0; shift < 64; shift += 7)
	{
		uint8_t		b;

		if (*pos >= len)
			return false;
		b = buf[(*pos)++];
		if (shift == 63 && b > 1)
			return false;		/* bits beyond 64 */
		r |= (uint64_t) (b & 0x7f) << shift;
		if (!(b & 0x80))
		{
			if (b == 0 && shift > 0)
				return false;	/* over-long: a shorter encoding exists */
			*v = r;
			return true;
		}
	}
	return false;
}

static void
put_u32(uint8_t *buf, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		buf[i] = (uint8_t) (v >> (8 * i));
}

static uint32_t
get_u32(const uint8_t *buf)
{
	return (uint32_t) buf[0] | ((uint32_t) buf[1] << 8) |
		((uint32_t) buf[2] << 16) | ((uint32_t) buf[3] << 24);
}

size_t
al_response_encode(const AlResponse *r, uint8_t *buf)
{
	size_t		n;

	if (r->inst != NULL && r->inst->builtin_id != AL_CUSTOM)
	{
		const AlInstrument *inst = r->inst;
		int			bits = bits_for(max_item_code(inst));
		uint64_t	acc = 0;
		int			accbits = 0;

		buf[0] = (uint8_t) (AL_FORMAT_VERSION << 4);
		buf[1] = inst->builtin_id;
		n = 2;
		for (int i = 0; i < r->nitems; i++)
		{
			uint64_t	code = 0;

			if (r->present[i])
				code = (uint64_t) ((r->units[i] - al_item_min(inst, i + 1)) / inst->step_u) + 1;
			acc |= code << accbits;
			accbits += bits;
			while (accbits >= 8)
			{
				buf[n++] = (uint8_t) acc;
				acc >>= 8;
				accbits -= 8;
			}
		}
		if (accbits > 0)
			buf[n++] = (uint8_t) acc;
		return n;
	}

	/* custom: self-describing */
	{
		size_t		codelen = strlen(r->code);

		buf[0] = (uint8_t) ((AL_FORMAT_VERSION << 4) | AL_FMT_CUSTOM);
		buf[1] = 0;
		put_u32(buf + 2, al_code_hash(r->code));
		put_u32(buf + 6, r->fingerprint);
		buf[10] = (uint8_t) codelen;
		memcpy(buf + 11, r->code, codelen);
		n = 11 + codelen;
		buf[n++] = (uint8_t) r->nitems;
		buf[n++] = (uint8_t) r->decimals;
		for (int i = 0; i < r->nitems; i++)
		{
			uint64_t	z = 0;

			if (r->present[i])
			{
				int64_t		u = r->units[i];

				z = ((uint64_t) u << 1) ^ (uint64_t) (u >> 63);
				z += 1;
			}
			n += put_varint(buf + n, z);
		}
		return n;
	}
}

static AlStatus
corrupt(AlError *err, const char *what)
{
	al_fail(err, AL_ERR_CORRUPT, "stored response is corrupted: %s", what);
	return AL_ERR_CORRUPT;
}

AlStatus
al_response_decode(const uint8_t *buf, size_t len, AlResponse *out, AlError *err)
{
	if (len < 2)
		return corrupt(err, "too short");
	if ((buf[0] >> 4) != AL_FORMAT_VERSION)
		return corrupt(err, "unknown format version");
	if ((buf[0] & 0x0f) == 0)
	{
		const AlInstrument *inst = al_builtin_by_id(buf[1]);
		int			bits;
		uint64_t	maxcode;
		size_t		pos = 2;
		uint64_t	acc = 0;
		int			accbits = 0;

		if (inst == NULL)
			return corrupt(err, "unknown built-in instrument id");
		al_response_init(out, inst);
		maxcode = max_item_code(inst);
		bits = bits_for(maxcode);
		if (len != 2 + ((size_t) inst->nitems * bits + 7) / 8)
			return corrupt(err, "wrong length");
		for (int i = 0; i < inst->nitems; i++)
		{
			uint64_t	code;

			while (accbits < bits)
			{
				acc |= (uint64_t) buf[pos++] << accbits;
				accbits += 8;
			}
			code = acc & ((UINT64_C(1) << bits) - 1);
			acc >>= bits;
			accbits -= bits;
			if (code == 0)
				continue;
			out->units[i] = al_item_min(inst, i + 1) + (int64_t) (code - 1) * inst->step_u;
			if (out->units[i] > al_item_max(inst, i + 1))
				return corrupt(err, "item out of range");
			out->present[i] = true;
		}
		if (acc != 0)
			return corrupt(err, "non-zero padding");
		if (al_response_check(out, err) != AL_OK)
			return corrupt(err, "fails the instrument's rules");
		return AL_OK;
	}
	if ((buf[0] & 0x0f) == AL_FMT_CUSTOM)
	{
		size_t		codelen,
					pos;
		AlError		ignored;

		if (len < 13 || buf[1] != 0)
			return corrupt(err, "bad custom header");
		codelen = buf[10];
		if (codelen == 0 || codelen > AL_MAX_CODE_LEN || 11 + codelen + 2 > len)
			return corrupt(err, "bad code length");
		out->inst = NULL;
		memset(out->code, 0, sizeof(out->code));
		memset(out->present, 0, sizeof(out->present));
		if (al_normalize_code((const char *) buf + 11, codelen, out->code, &ignored) != AL_OK ||
			memcmp(out->code, buf + 11, codelen) != 0)
			return corrupt(err, "bad code");
		if (al_code_hash(out->code) != get_u32(buf + 2))
			return corrupt(err, "code hash mismatch");
		if (al_builtin_by_code(out->code) != NULL)
			return corrupt(err, "custom value names a built-in instrument");
		out->fingerprint = get_u32(buf + 6);
		pos = 11 + codelen;
		out->nitems = buf[pos++];
		out->decimals = buf[pos++];
		if (out->nitems < 1 || out->decimals > AL_MAX_DIGITS)
			return corrupt(err, "bad item count or decimals");
		for (int i = 0; i < out->nitems; i++)
		{
			uint64_t	z;

			if (!get_varint(buf, len, &pos, &z))
				return corrupt(err, "truncated item");
			if (z == 0)
				continue;
			z -= 1;
			out->units[i] = (int64_t) (z >> 1) ^ -(int64_t) (z & 1);
			out->present[i] = true;
		}
		if (pos != len)
			return corrupt(err, "trailing bytes");
		return AL_OK;
	}
	return corrupt(err, "unknown flags");
}

AlStatus
al_response_bind(AlResponse *r, const AlInstrument *inst, AlError *err)
{
	AlResponse	bound;
	AlStatus	st;

	if (r->inst == inst)
		return AL_OK;
	if (r->fingerprint != 0 && r->fingerprint != (uint32_t) al_instrument_fingerprint(inst))
	{
		al_fail(err, AL_ERR_PARAM, "%s value was stored under a different definition of %s",
				r->code, r->code);
		al_detail(err, "The value's definition fingerprint is %08x; this server's definition has %08x.",
				  r->fingerprint, (uint32_t) al_instrument_fingerprint(inst));
		al_hint(err, "Every server that scores these values needs the same definition; compare alliance.instruments on both.");
		return AL_ERR_PARAM;
	}
	if (r->nitems != inst->nitems)
		return al_fail(err, AL_ERR_PARAM, "%s value has %d items; the definition has %d",
					   r->code, r->nitems, inst->nitems);
	if (r->fingerprint != 0 && r->decimals == inst->decimals)
	{
		/*
		 * Entered under this very definition: its items were validated then.
		 * Still check range and step (a few integer operations, no copy), so
		 * that bytes that were never ours cannot reach the scoring arithmetic.
		 */
		for (int i = 0; i < r->nitems; i++)
			if (r->present[i] &&
				(r->units[i] < al_item_min(inst, i + 1) || r->units[i] > al_item_max(inst, i + 1) ||
				 (r->units[i] - al_item_min(inst, i + 1)) % inst->step_u != 0))
				return al_fail(err, AL_ERR_CORRUPT, "stored %s value has item %d outside its definition",
							   r->code, i + 1);
		r->inst = inst;
		return AL_OK;
	}
	al_response_init(&bound, inst);
	for (int i = 0; i < r->nitems; i++)
	{
		AlDecimal	v;

		if (!r->present[i])
			continue;
		v.units = r->units[i];
		v.scale = r->decimals;
		/* strip trailing zeros so set_item sees the finest digit that matters */
		while (v.scale > 0 && v.units % 10 == 0)
		{
			v.units /= 10;
			v.scale--;
		}
		if ((st = al_response_set_item(&bound, i + 1, &v, err)) != AL_OK)
			return st;
	}
	if ((st = al_response_check(&bound, err)) != AL_OK)
		return st;
	*r = bound;
	return AL_OK;
}
