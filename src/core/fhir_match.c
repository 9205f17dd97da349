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

/* s without '-', '_', '.', ' ', lower-cased, into out (room n + 1); false when too long */
static bool
squeeze(const char *s, size_t len, char *out, size_t room)
{
	size_t		n = 0;

	for (size_t i = 0; i < len; i++)
	{
		char		c = lower(s[i]);

		if (c == '-' || c == '_' || c == '.' || c == ' ')
			continue;
		if (n + 1 >= room)
			return false;
		out[n++] = c;
	}
	out[n] = '\0';
	return true;
}

#define SQUEEZE_ROOM 128

bool
al_fhir_names_instrument(const AlInstrument *inst, const char *s, size_t len)
{
	char		a[SQUEEZE_ROOM],
				b[SQUEEZE_ROOM];

	if (inst == NULL || len == 0 || !squeeze(s, len, a, sizeof a) || a[0] == '\0')
		return false;
	if (squeeze(inst->code, strlen(inst->code), b, sizeof b) && strcmp(a, b) == 0)
		return true;
	if (inst->fhir_url != NULL)
	{
		size_t		ul = al_fhir_canonical_base_len(inst->fhir_url, strlen(inst->fhir_url));
		size_t		start = ul;

		while (start > 0 && inst->fhir_url[start - 1] != '/')
			start--;
		if (ul > start && squeeze(inst->fhir_url + start, ul - start, b, sizeof b) && strcmp(a, b) == 0)
			return true;
	}
	return false;
}

/* "q", "item", "question": a prefix that says nothing about the instrument */
static bool
generic_prefix(const char *s, size_t len)
{
	static const char *const words[] = {"q", "item", "question", NULL};

	for (int i = 0; words[i] != NULL; i++)
		if (strlen(words[i]) == len && ieq_n(s, words[i], len))
			return true;
	return false;
}

/* what a prefix (len > 0) before "-7" / "-label" says: 2 names inst, 1 generic, 0 other */
static int
prefix_evidence(const AlInstrument *inst, const char *s, size_t len)
{
	if (al_fhir_names_instrument(inst, s, len))
		return 2;
	return generic_prefix(s, len) ? 1 : 0;
}

AlFhirGroup
al_fhir_group_kind(const AlInstrument *inst, const char *link_id, size_t len)
{
	static const char *const words[] = {"g", "grp", "group", "section", "sec", "s", "page", "p", "part", NULL};
	size_t		end = len;

	if (al_fhir_names_instrument(inst, link_id, len))
		return AL_FHIR_GROUP_THIS;
	/* neutral: a word above (or nothing), an optional separator, digits */
	while (end > 0 && is_digit(link_id[end - 1]))
		end--;
	if (end > 0 && (link_id[end - 1] == '-' || link_id[end - 1] == '_'))
		end--;
	if (end == 0)
		return AL_FHIR_GROUP_NEUTRAL;
	for (int i = 0; words[i] != NULL; i++)
		if (strlen(words[i]) == end && ieq_n(link_id, words[i], end))
			return AL_FHIR_GROUP_NEUTRAL;
	return AL_FHIR_GROUP_OTHER;
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

/* rule 2: "waisr-7" anywhere; "7", "q-07" in scope */
static int
match_number(const AlInstrument *inst, const char *s, size_t len, bool in_scope)
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
		int			evidence;

		if (s[sep] != '-' && s[sep] != '_')
			return 0;
		if (looks_like_loinc(s, len, sep))
			return 0;
		/* "-7": no prefix, as bare "7" */
		evidence = sep > 0 ? prefix_evidence(inst, s, sep) : 1;
		if (evidence == 0 || (evidence == 1 && !in_scope))
			return 0;
	}
	else if (!in_scope)
		return 0;
	for (size_t i = start; i < len; i++)
	{
		value = value * 10 + (s[i] - '0');
		if (value > inst->nitems)
			return 0;			/* also stops long digit runs from overflowing */
	}
	return value;				/* 0 when the number is 0: no item */
}

/* rule 3: "srs-relationship" anywhere; "relationship" in scope; longest label wins */
static int
match_label(const AlInstrument *inst, const char *s, size_t len, bool in_scope)
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
		if (ll < len)
		{
			int			evidence;

			if (s[len - ll - 1] != '-' && s[len - ll - 1] != '_')
				continue;
			evidence = len - ll - 1 > 0 ? prefix_evidence(inst, s, len - ll - 1) : 0;
			if (evidence == 0 || (evidence == 1 && !in_scope))
				continue;
		}
		else if (!in_scope)
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
					 bool in_scope, AlFhirRule *rule)
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
	if ((item = match_number(inst, link_id, len, in_scope)) > 0)
	{
		if (rule != NULL)
			*rule = AL_FHIR_BY_NUMBER;
		return item;
	}
	if ((item = match_label(inst, link_id, len, in_scope)) > 0)
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
	return al_fhir_match_item_n(inst, link_id, strlen(link_id), true, NULL);
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

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

AlStatus
al_fhir_check_reference(const char *what, const char *s, size_t len, AlError *err)
{
	if (len == 0)
	{
		al_fail(err, AL_ERR_PARAM, "%s is empty", what);
		al_hint(err, "Leave it NULL to write none, or give a reference such as \"Patient/123\".");
		return AL_ERR_PARAM;
	}
	if (is_space(s[0]) || is_space(s[len - 1]))
	{
		al_fail(err, AL_ERR_PARAM, "%s starts or ends with white space", what);
		al_detail(err, "FHIR strings may not; a reference such as \"Patient/123\" has none.");
		return AL_ERR_PARAM;
	}
	return AL_OK;
}

AlStatus
al_fhir_check_uri(const char *what, const char *s, size_t len, AlError *err)
{
	size_t		i = 0;
	char		shown[68];
	size_t		n = len < 64 ? len : 64;

	memcpy(shown, s, n);
	strcpy(shown + n, len > 64 ? "..." : "");
	while (i < len && ((lower(s[i]) >= 'a' && lower(s[i]) <= 'z') ||
					   (i > 0 && (is_digit(s[i]) || s[i] == '+' || s[i] == '-' || s[i] == '.'))))
		i++;
	if (len == 0 || i == 0 || i >= len || s[i] != ':' || i + 1 == len)
	{
		al_fail(err, AL_ERR_PARAM, "%s \"%s\" is not an absolute URI", what, shown);
		al_hint(err, "A code system is a canonical URL such as \"https://fhir.clinic.example/CodeSystem/alliance\".");
		return AL_ERR_PARAM;
	}
	for (i = 0; i < len; i++)
		if (is_space(s[i]) || s[i] == '\0')
		{
			al_fail(err, AL_ERR_PARAM, "%s \"%s\" contains white space", what, shown);
			al_detail(err, "A FHIR uri has none.");
			return AL_ERR_PARAM;
		}
	return AL_OK;
}
