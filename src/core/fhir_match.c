/*
 * fhir_match.c — linkId and canonical matching for FHIR input; the rules
 * are stated in fhir_match.h.
 */
#include "fhir_match.h"

#include <string.h>

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static char
lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char) (c - 'A' + 'a') : c;
}

static bool
ieq_n(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (lower(a[i]) != lower(b[i]))
			return false;
	return true;
}

/* rule 1: the instrument's own linkIds, exact */
static int
match_link_id(const AlInstrument *inst, const char *s, size_t len)
{
	if (inst->link_ids == NULL)
		return 0;
	for (int i = 0; i < inst->nitems; i++)
	{
		const char *id = inst->link_ids[i];

		if (id != NULL && strlen(id) == len && memcmp(id, s, len) == 0)
			return i + 1;
	}
	return 0;
}

/*
 * "44250-9" or ".../44250-9": three or more digits (after the start or a
 * '/'), a hyphen and a single check digit: a LOINC code, not an item number.
 * sep is the index of the hyphen.
 */
static bool
looks_like_loinc(const char *s, size_t len, size_t sep)
{
	size_t		j = sep;
	size_t		ndigits = 0;

	if (s[sep] != '-' || len - sep - 1 != 1)
		return false;
	while (j > 0 && is_digit(s[j - 1]))
	{
		j--;
		ndigits++;
	}
	return ndigits >= 3 && (j == 0 || s[j - 1] == '/');
}

/* rule 2: "7", "waisr-7", "waisr_7" */
static int
match_number(const AlInstrument *inst, const char *s, size_t len)
{
	size_t		start = len;
	int			value = 0;

	while (start > 0 && is_digit(s[start - 1]))
		start--;
	if (start == len)
		return 0;				/* no trailing digits */
	if (start > 0)
	{
		size_t		sep = start - 1;

		if (s[sep] != '-' && s[sep] != '_')
			return 0;
		if (looks_like_loinc(s, len, sep))
			return 0;
	}
	for (size_t i = start; i < len; i++)
	{
		value = value * 10 + (s[i] - '0');
		if (value > inst->nitems)
			return 0;			/* also stops long digit runs from overflowing */
	}
	return value;				/* 0 when the number is 0: no item */
}

/* rule 3: "relationship", "srs-relationship", "srs_relationship"; longest label wins */
static int
match_label(const AlInstrument *inst, const char *s, size_t len)
{
	int			best = 0;
	size_t		best_len = 0;

	if (inst->item_labels == NULL)
		return 0;
	for (int i = 0; i < inst->nitems; i++)
	{
		const char *label = inst->item_labels[i];
		size_t		ll;

		if (label == NULL || (ll = strlen(label)) == 0 || ll > len || ll <= best_len)
			continue;
		if (ll < len && s[len - ll - 1] != '-' && s[len - ll - 1] != '_')
			continue;
		if (ieq_n(s + len - ll, label, ll))
		{
			best = i + 1;
			best_len = ll;
		}
	}
	return best;
}

int
al_fhir_match_item_n(const AlInstrument *inst, const char *link_id, size_t len,
					 AlFhirRule *rule)
{
	int			item;

	if (rule != NULL)
		*rule = AL_FHIR_NO_MATCH;
	if (inst == NULL || link_id == NULL || len == 0)
		return 0;
	if ((item = match_link_id(inst, link_id, len)) > 0)
	{
		if (rule != NULL)
			*rule = AL_FHIR_BY_LINK_ID;
		return item;
	}
	if ((item = match_number(inst, link_id, len)) > 0)
	{
		if (rule != NULL)
			*rule = AL_FHIR_BY_NUMBER;
		return item;
	}
	if ((item = match_label(inst, link_id, len)) > 0)
	{
		if (rule != NULL)
			*rule = AL_FHIR_BY_LABEL;
		return item;
	}
	return 0;
}

int
al_fhir_match_item(const AlInstrument *inst, const char *link_id)
{
	if (link_id == NULL)
		return 0;
	return al_fhir_match_item_n(inst, link_id, strlen(link_id), NULL);
}

size_t
al_fhir_canonical_base_len(const char *canonical, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (canonical[i] == '|')
			return i;
	return len;
}

bool
al_fhir_canonical_code(const char *canonical, size_t len, char *out)
{
	size_t		end = al_fhir_canonical_base_len(canonical, len);
	size_t		start = end;
	size_t		n;

	while (start > 0 && canonical[start - 1] != '/')
		start--;
	n = end - start;
	if (n == 0 || n > AL_MAX_CODE_LEN)
		return false;
	for (size_t i = 0; i < n; i++)
	{
		char		c = lower(canonical[start + i]);

		if (c == '-')
			c = '_';
		if (!((c >= 'a' && c <= 'z') || (i > 0 && (is_digit(c) || c == '_'))))
			return false;
		out[i] = c;
	}
	out[n] = '\0';
	return true;
}

const AlInstrument *
al_fhir_builtin_canonical(const char *canonical, size_t len)
{
	size_t		base = al_fhir_canonical_base_len(canonical, len);
	char		code[AL_MAX_CODE_LEN + 1];

	for (int id = 1; id <= AL_NUM_BUILTINS; id++)
	{
		const AlInstrument *b = al_builtin_by_id(id);

		if (b != NULL && b->fhir_url != NULL && strlen(b->fhir_url) == base &&
			memcmp(b->fhir_url, canonical, base) == 0)
			return b;
	}
	if (al_fhir_canonical_code(canonical, len, code))
		return al_builtin_by_code(code);
	return NULL;
}
