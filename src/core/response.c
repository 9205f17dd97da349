/*
 * response.c — parsing, printing, validating, comparing and hashing a
 * response.  The stored byte form is in response_encoding.c.
 *
 * One validation path: text input, binary input, arrays, jsonb and FHIR all
 * end in al_response_set_item() + al_response_check(), so every door is
 * exactly as strict as the others.
 */
#include "response.h"

#include <stdio.h>
#include <string.h>

#define TOKEN_SHOWN 40			/* how much of a bad token an error message quotes */

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static bool
ieq(const char *s, size_t len, const char *word)
{
	size_t		wl = strlen(word);

	if (len != wl)
		return false;
	for (size_t i = 0; i < len; i++)
	{
		char		c = s[i];

		if (c >= 'A' && c <= 'Z')
			c = (char) (c - 'A' + 'a');
		if (c != word[i])
			return false;
	}
	return true;
}

AlStatus
al_parse_decimal(const char *s, size_t len, AlDecimal *out, AlError *err)
{
	size_t		i = 0;
	bool		negative = false;
	int64_t		units = 0;
	int			digits = 0;		/* significant digits kept */
	int			scale = 0;
	int			pending_zeros = 0;	/* fraction zeros not yet known to be significant */
	bool		any_digit = false;

	if (len > 0 && (s[0] == '+' || s[0] == '-'))
	{
		negative = (s[0] == '-');
		i = 1;
	}
	if (ieq(s + i, len - i, "nan"))
		return al_fail(err, AL_ERR_RANGE, "NaN is not an answer");
	if (ieq(s + i, len - i, "inf") || ieq(s + i, len - i, "infinity"))
		return al_fail(err, AL_ERR_RANGE, "%s is not an answer",
					   negative ? "-Infinity" : "Infinity");

	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++)
	{
		any_digit = true;
		if (units == 0 && s[i] == '0')
			continue;			/* leading zero */
		if (++digits > AL_MAX_DIGITS)
			return al_fail(err, AL_ERR_RANGE, "value has too many digits");
		units = units * 10 + (s[i] - '0');
	}
	if (i < len && s[i] == '.')
	{
		for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++)
		{
			any_digit = true;
			if (s[i] == '0')
			{
				pending_zeros++;
				continue;
			}
			/* a non-zero digit makes the zeros before it significant */
			for (; pending_zeros > 0; pending_zeros--)
			{
				if (units != 0 && ++digits > AL_MAX_DIGITS)
					return al_fail(err, AL_ERR_RANGE, "value has too many digits");
				units *= 10;
				scale++;
			}
			if (++digits > AL_MAX_DIGITS || scale >= AL_MAX_DIGITS)
				return al_fail(err, AL_ERR_RANGE, "value has too many digits");
			units = units * 10 + (s[i] - '0');
			scale++;
		}
	}
	if (!any_digit || i != len)
		return al_fail(err, AL_ERR_SYNTAX, "not a number");
	out->units = negative ? -units : units;
	out->scale = scale;
	return AL_OK;
}

const AlInstrument *
al_resolve(const char *code, AlResolver resolver, void *arg)
{
	const AlInstrument *inst = al_builtin_by_code(code);

	if (inst == NULL && resolver != NULL)
		inst = resolver(code, arg);
	return inst;
}

void
al_response_init(AlResponse *r, const AlInstrument *inst)
{
	/*
	 * Clear only what is read: the presence flags of the items there are
	 * (all of them for an unbound value, whose count is not known yet).
	 * units[i] is meaningful only where present[i]; this runs once per row.
	 */
	memset(r->code, 0, sizeof(r->code));
	memset(r->present, 0, inst != NULL ? (size_t) inst->nitems : sizeof(r->present));
	r->inst = inst;
	r->fingerprint = 0;
	r->nitems = 0;
	r->decimals = 0;
	if (inst != NULL)
	{
		/*
		 * once per row: no snprintf, and the fingerprint its builder cached;
		 * codes are a few bytes, so a loop beats a call into libc
		 */
		for (int i = 0; i < AL_MAX_CODE_LEN && inst->code[i] != '\0'; i++)
			r->code[i] = inst->code[i];
		r->nitems = inst->nitems;
		r->decimals = inst->decimals;
		if (inst->builtin_id == AL_CUSTOM)
			r->fingerprint = (uint32_t) (inst->fingerprint ? inst->fingerprint
										 : al_instrument_fingerprint(inst));
	}
}

int
al_format_units(int64_t units, int decimals, char *buf, size_t buflen)
{
	uint64_t	mag = units < 0 ? (uint64_t) 0 - (uint64_t) units : (uint64_t) units;
	uint64_t	p = (uint64_t) al_pow10(decimals);

	if (decimals == 0)
		return snprintf(buf, buflen, "%s%llu", units < 0 ? "-" : "",
						(unsigned long long) mag);
	return snprintf(buf, buflen, "%s%llu.%0*llu", units < 0 ? "-" : "",
					(unsigned long long) (mag / p), decimals,
					(unsigned long long) (mag % p));
}

/* "answers run 1 to 5" / "answers run 0.0 to 10.0 in steps of 0.1" */
static void
describe_range(const AlInstrument *inst, int item, char *buf, size_t buflen)
{
	char		lo[32],
				hi[32],
				st[32];

	al_format_units(al_item_min(inst, item), inst->decimals, lo, sizeof(lo));
	al_format_units(al_item_max(inst, item), inst->decimals, hi, sizeof(hi));
	if (inst->step_u == 1 && inst->decimals == 0)
		snprintf(buf, buflen, "answers run %s to %s", lo, hi);
	else
	{
		al_format_units(inst->step_u, inst->decimals, st, sizeof(st));
		snprintf(buf, buflen, "answers run %s to %s in steps of %s", lo, hi, st);
	}
}

AlStatus
al_response_item_error(const AlResponse *r, int item, const char *shown, AlError *err)
{
	char		range[128];

	describe_range(r->inst, item, range, sizeof(range));
	return al_fail(err, AL_ERR_RANGE, "%s item %d is %s; %s", r->code, item, shown, range);
}

/* The value as the user would recognise it, for messages. */
static void
show_decimal(const AlDecimal *v, char *buf, size_t buflen)
{
	al_format_units(v->units, v->scale, buf, buflen);
}

AlStatus
al_response_set_item(AlResponse *r, int item, const AlDecimal *value, AlError *err)
{
	const AlInstrument *inst = r->inst;
	int64_t		units;
	char		shown[48];

	if (item < 1 || item > r->nitems)
		return al_fail(err, AL_ERR_PARAM, "%s has no item %d; its items are 1 to %d",
					   r->code, item, r->nitems);
	if (inst == NULL)
	{
		/* unbound: keep the value exactly, at the largest scale seen */
		int64_t		v = value->units;

		/* as strict as text input: at most 18 significant digits */
		if (value->scale > AL_MAX_DIGITS || v > INT64_C(999999999999999999) ||
			v < -INT64_C(999999999999999999))
			return al_fail(err, AL_ERR_RANGE, "%s item %d has too many digits", r->code, item);
		if (value->scale > r->decimals)
		{
			for (int i = 0; i < r->nitems; i++)
				if (r->present[i])
				{
					int64_t		f = al_pow10(value->scale - r->decimals);

					if (__builtin_mul_overflow(r->units[i], f, &r->units[i]))
						return al_fail(err, AL_ERR_RANGE, "%s item %d is too large", r->code, i + 1);
				}
			r->decimals = value->scale;
		}
		else if (__builtin_mul_overflow(v, al_pow10(r->decimals - value->scale), &v))
			return al_fail(err, AL_ERR_RANGE, "%s item %d is too large", r->code, item);
		r->present[item - 1] = true;
		r->units[item - 1] = v;
		return AL_OK;
	}

	show_decimal(value, shown, sizeof(shown));
	if (value->scale > inst->decimals)
		return al_response_item_error(r, item, shown, err);	/* a digit finer than any step */
	if (__builtin_mul_overflow(value->units, al_pow10(inst->decimals - value->scale), &units))
		return al_response_item_error(r, item, shown, err);
	if (units < al_item_min(inst, item) || units > al_item_max(inst, item) ||
		(units - al_item_min(inst, item)) % inst->step_u != 0)
		return al_response_item_error(r, item, shown, err);
	r->present[item - 1] = true;
	r->units[item - 1] = units;
	return AL_OK;
}

AlStatus
al_response_check(const AlResponse *r, AlError *err)
{
	if (r->inst != NULL && r->inst->is_psq)
	{
		if (!r->present[0])
		{
			al_fail(err, AL_ERR_PARAM, "psq item 1 (present) is required");
			al_detail(err, "Item 1 says whether a rupture happened (0 or 1); intensity and resolution depend on it.");
			return AL_ERR_PARAM;
		}
		if (r->units[0] == 0 && (r->present[1] || r->present[2]))
		{
			al_fail(err, AL_ERR_PARAM, "psq reports no rupture but gives %s",
					r->present[1] && r->present[2] ? "intensity and resolution" :
					r->present[1] ? "intensity" : "resolution");
			al_detail(err, "When item 1 (present) is 0, items 2 (intensity) and 3 (resolution) are absent by design: write psq(0,null,null).");
			return AL_ERR_PARAM;
		}
	}
	return AL_OK;
}

static size_t
trimmed(const char **s, size_t len)
{
	while (len > 0 && is_space(**s))
	{
		(*s)++;
		len--;
	}
	while (len > 0 && is_space((*s)[len - 1]))
		len--;
	return len;
}

AlStatus
al_response_parse(const char *text, AlResolver resolver, void *arg,
				  bool allow_unbound, AlResponse *out, AlError *err)
{
	const char *p = text;
	const char *code_start;
	size_t		code_len;
	char		code[AL_MAX_CODE_LEN + 1];
	const AlInstrument *inst;
	int			count = 0;
	size_t		textlen = strlen(text);
	AlStatus	st;

	if (textlen > AL_MAX_TEXT_LEN)
	{
		al_fail(err, AL_ERR_SYNTAX, "invalid input syntax for type response: input is %zu bytes long",
				textlen);
		al_detail(err, "A response is at most %d bytes of text.", AL_MAX_TEXT_LEN);
		return AL_ERR_SYNTAX;
	}
	while (is_space(*p))
		p++;
	if (*p == '\0')
	{
		al_fail(err, AL_ERR_SYNTAX, "invalid input syntax for type response: empty input");
		al_hint(err, "Write the instrument code and its answers, for example srs(9.1,8.4,7.9,8.8).");
		return AL_ERR_SYNTAX;
	}
	code_start = p;
	while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		   (*p >= '0' && *p <= '9') || *p == '_')
		p++;
	code_len = (size_t) (p - code_start);
	while (is_space(*p))
		p++;
	if (code_len == 0 || *p != '(')
	{
		al_fail(err, AL_ERR_SYNTAX, "invalid input syntax for type response: \"%.*s\"",
				TOKEN_SHOWN, text);
		al_detail(err, "Expected an instrument code followed by \"(\".");
		al_hint(err, "Write the instrument code and its answers, for example srs(9.1,8.4,7.9,8.8).");
		return AL_ERR_SYNTAX;
	}
	if ((st = al_normalize_code(code_start, code_len, code, err)) != AL_OK)
		return st;
	inst = al_resolve(code, resolver, arg);
	if (inst == NULL && !allow_unbound)
	{
		al_fail(err, AL_ERR_PARAM, "unknown instrument \"%s\"", code);
		al_hint(err, "SELECT code FROM alliance.instruments lists the instruments this database knows.");
		return AL_ERR_PARAM;
	}
	al_response_init(out, inst);
	if (inst == NULL)
	{
		snprintf(out->code, sizeof(out->code), "%s", code);
		out->nitems = AL_MAX_ITEMS;
		out->decimals = 0;
	}
	p++;						/* '(' */

	for (;;)
	{
		const char *tok = p;
		size_t		toklen;
		AlDecimal	value;

		while (*p != ',' && *p != ')' && *p != '\0')
			p++;
		if (*p == '\0')
		{
			al_fail(err, AL_ERR_SYNTAX, "invalid input syntax for type response: missing \")\"");
			al_detail(err, "The list of answers for %s is not closed.", code);
			return AL_ERR_SYNTAX;
		}
		toklen = trimmed(&tok, (size_t) (p - tok));
		count++;
		if (count > out->nitems)
		{
			al_fail(err, AL_ERR_SYNTAX, "wrong number of items for %s: more than %d given, %d expected",
					code, out->nitems, out->nitems);
			return AL_ERR_SYNTAX;
		}
		if (toklen == 0)
		{
			if (count == 1 && *p == ')')
			{
				count = 0;		/* "code()" : no items at all */
				p++;
				break;
			}
			al_fail(err, AL_ERR_SYNTAX, "invalid input syntax for type response: %s item %d is empty",
					code, count);
			al_hint(err, "Write null for a missing answer.");
			return AL_ERR_SYNTAX;
		}
		if (!ieq(tok, toklen, "null"))
		{
			st = al_parse_decimal(tok, toklen, &value, err);
			if (st == AL_ERR_SYNTAX)
			{
				al_fail(err, AL_ERR_SYNTAX, "invalid input syntax for type response: %s item %d is \"%.*s\"",
						code, count, (int) (toklen > TOKEN_SHOWN ? TOKEN_SHOWN : toklen), tok);
				al_detail(err, "An answer is a decimal number written with ASCII digits, or null.");
				return AL_ERR_SYNTAX;
			}
			if (st != AL_OK)
			{
				if (inst == NULL)
				{
					char		why[AL_MSG_LEN];

					snprintf(why, sizeof(why), "%s", err ? err->message : "invalid");
					return al_fail(err, st, "%s item %d is \"%.*s\": %s", code, count,
								   (int) (toklen > TOKEN_SHOWN ? TOKEN_SHOWN : toklen), tok, why);
				}
				{
					char		shown[TOKEN_SHOWN + 1];

					snprintf(shown, sizeof(shown), "%.*s",
							 (int) (toklen > TOKEN_SHOWN ? TOKEN_SHOWN : toklen), tok);
					return al_response_item_error(out, count, shown, err);
				}
			}
			if ((st = al_response_set_item(out, count, &value, err)) != AL_OK)
				return st;
		}
		if (*p == ')')
		{
			p++;
			break;
		}
		p++;					/* ',' */
	}
	while (is_space(*p))
		p++;
	if (*p != '\0')
	{
		al_fail(err, AL_ERR_SYNTAX, "invalid input syntax for type response: junk after \")\"");
		al_detail(err, "Unexpected \"%.*s\" after the list of answers.", TOKEN_SHOWN, p);
		return AL_ERR_SYNTAX;
	}
	if (inst == NULL)
		out->nitems = count;
	if (count != out->nitems || count == 0)
	{
		al_fail(err, AL_ERR_SYNTAX, "wrong number of items for %s: %d given, %d expected",
				code, count, out->nitems);
		if (inst == NULL)
			al_detail(err, "A response has at least one item.");
		return AL_ERR_SYNTAX;
	}
	return al_response_check(out, err);
}

int
al_response_format(const AlResponse *r, char *buf, size_t buflen)
{
	size_t		n = 0;
	int			w;

	w = snprintf(buf, buflen, "%s(", r->code);
	if (w < 0 || (size_t) w >= buflen)
		return -1;
	n = (size_t) w;
	for (int i = 0; i < r->nitems; i++)
	{
		if (i > 0)
		{
			if (n + 1 >= buflen)
				return -1;
			buf[n++] = ',';
		}
		if (r->present[i])
			w = al_format_units(r->units[i], r->decimals, buf + n, buflen - n);
		else
			w = snprintf(buf + n, buflen - n, "null");
		if (w < 0 || (size_t) w >= buflen - n)
			return -1;
		n += (size_t) w;
	}
	if (n + 2 > buflen)
		return -1;
	buf[n++] = ')';
	buf[n] = '\0';
	return (int) n;
}

/* ---- comparison and hashing ---- */

/* compare a/10^da with b/10^db exactly */
static int
cmp_scaled(int64_t a, int da, int64_t b, int db)
{
	__int128	x = a,
				y = b;

	while (da < db)
	{
		x *= 10;
		da++;
	}
	while (db < da)
	{
		y *= 10;
		db++;
	}
	return x < y ? -1 : x > y ? 1 : 0;
}

int
al_response_compare(const AlResponse *a, const AlResponse *b)
{
	int			c = strcmp(a->code, b->code);
	int			n;

	if (c != 0)
		return c < 0 ? -1 : 1;
	n = a->nitems < b->nitems ? a->nitems : b->nitems;
	for (int i = 0; i < n; i++)
	{
		if (a->present[i] != b->present[i])
			return a->present[i] ? -1 : 1;	/* missing sorts last */
		if (a->present[i])
		{
			c = cmp_scaled(a->units[i], a->decimals, b->units[i], b->decimals);
			if (c != 0)
				return c;
		}
	}
	return a->nitems < b->nitems ? -1 : a->nitems > b->nitems ? 1 : 0;
}

static uint64_t
mix64(uint64_t h, uint64_t v)
{
	h ^= v + UINT64_C(0x9e3779b97f4a7c15) + (h << 6) + (h >> 2);
	h *= UINT64_C(0xff51afd7ed558ccd);
	h ^= h >> 33;
	return h;
}

uint64_t
al_response_hash(const AlResponse *r, uint64_t seed)
{
	uint64_t	h = mix64(seed, al_code_hash(r->code));

	h = mix64(h, (uint64_t) r->nitems);
	for (int i = 0; i < r->nitems; i++)
	{
		int64_t		u;
		int			d = r->decimals;

		if (!r->present[i])
		{
			h = mix64(h, UINT64_C(0xdeadbeef));
			continue;
		}
		u = r->units[i];
		/* canonical form: no trailing zeros, so 9.0 at scale 1 hashes like 9 */
		while (d > 0 && u % 10 == 0)
		{
			u /= 10;
			d--;
		}
		h = mix64(h, (uint64_t) u);
		h = mix64(h, (uint64_t) d);
	}
	return h;
}

int
al_response_answered(const AlResponse *r)
{
	int			n = 0;

	for (int i = 0; i < r->nitems; i++)
		n += r->present[i];
	return n;
}
