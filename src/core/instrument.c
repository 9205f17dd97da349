/*
 * instrument.c — the nine built-in instruments and catalogue helpers.
 *
 * Keys, ranges, cut-offs and evidence marks are those of
 * doc/instruments.md (with citations).  Item labels are
 * ours, never item wording.
 */
#include "instrument.h"

#include "fhir_match.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#define NELEM(a) ((int) (sizeof(a) / sizeof((a)[0])))
#define SCALE(nm, arr) { (nm), NELEM(arr), (arr) }

/* ---- WAI-SR (Hatcher & Gillaspy 2006): 12 items, 1-5, no reversed item ---- */
static const uint8_t waisr_task[] = {1, 2, 10, 12};
static const uint8_t waisr_goal[] = {4, 6, 8, 11};
static const uint8_t waisr_bond[] = {3, 5, 7, 9};
static const AlScale waisr_scales[] = {
	SCALE("task", waisr_task), SCALE("goal", waisr_goal), SCALE("bond", waisr_bond)
};

/* ---- WAI, 36 items (Horvath & Greenberg 1989): 1-7 ---- */
static const uint8_t wai_reversed[] = {1, 3, 7, 9, 10, 11, 12, 15, 20, 27, 29, 31, 33, 34};
static const uint8_t wai_task[] = {2, 4, 7, 11, 13, 15, 16, 18, 24, 31, 33, 35};
static const uint8_t wai_bond[] = {1, 5, 8, 17, 19, 20, 21, 23, 26, 28, 29, 36};
static const uint8_t wai_goal[] = {3, 6, 9, 10, 12, 14, 22, 25, 27, 30, 32, 34};
static const AlScale wai_scales[] = {
	SCALE("task", wai_task), SCALE("bond", wai_bond), SCALE("goal", wai_goal)
};

/* ---- WAI-S (Tracey & Kokotovic 1989): 12 items, 1-7 ---- */
static const uint8_t wais_reversed[] = {4, 10};
static const uint8_t wais_task[] = {1, 2, 8, 12};
static const uint8_t wais_goal[] = {4, 6, 10, 11};
static const uint8_t wais_bond[] = {3, 5, 7, 9};
static const AlScale wais_scales[] = {
	SCALE("task", wais_task), SCALE("goal", wais_goal), SCALE("bond", wais_bond)
};

/* ---- SRS v3.0 and ORS: 4 visual-analogue items, 0.0-10.0 step 0.1 ---- */
static const uint8_t item1[] = {1};
static const uint8_t item2[] = {2};
static const uint8_t item3[] = {3};
static const uint8_t item4[] = {4};
static const AlScale srs_scales[] = {
	SCALE("relationship", item1), SCALE("goals", item2),
	SCALE("approach", item3), SCALE("overall", item4)
};
static const char *const srs_labels[] = {"relationship", "goals", "approach", "overall"};
static const AlScale ors_scales[] = {
	SCALE("individual", item1), SCALE("interpersonal", item2),
	SCALE("social", item3), SCALE("overall", item4)
};
static const char *const ors_labels[] = {"individual", "interpersonal", "social", "overall"};

/* ---- HAq-II (Luborsky et al. 1996): 19 items, 1-6 ---- */
static const uint8_t haq2_reversed[] = {4, 8, 11, 16, 19};

/* ---- ARM-5 (Cahill et al. 2012): 5 items, 1-7 ---- */
static const uint8_t arm5_reversed[] = {3};
static const uint8_t arm5_partnership[] = {2, 3};
static const uint8_t arm5_confidence[] = {4, 5};
static const AlScale arm5_scales[] = {
	SCALE("bond", item1), SCALE("partnership", arm5_partnership),
	SCALE("confidence", arm5_confidence)
};

/* ---- TASC-r (Shirk & Saiz): 12 items, 1-4 ---- */
static const uint8_t tascr_reversed[] = {2, 5, 7, 8, 11};

/* ---- PSQ rupture items (Muran, Safran et al.): present 0/1, intensity 1-5, resolution 1-5 ---- */
static const int64_t psq_item_min[] = {0, 1, 1};
static const int64_t psq_item_max[] = {1, 5, 5};
static const char *const psq_labels[] = {"present", "intensity", "resolution"};

#define INTEGER_ITEMS(lo, hi) .decimals = 0, .min_u = (lo), .max_u = (hi), .step_u = 1
#define VAS_ITEMS .decimals = 1, .min_u = 0, .max_u = 100, .step_u = 1
#define PRORATE_75 .min_answered_num = 3, .min_answered_den = 4
#define NO_MISSING .min_answered_num = 1, .min_answered_den = 1
#define NO_BORDIN .goal_scale = -1, .task_scale = -1, .bond_scale = -1

/*
 * Norms of the rupture rules and reliable change (doc/instruments.md,
 * "Norms"): sd, the SD of one session's score between clients, and
 * reliability, the session-to-session test-retest reliability, so that the
 * error SD of a score is sd * sqrt(1 - reliability).  Where no figure is
 * published the value is a marked assumption; calibrate() replaces both
 * with a clinic's own.
 */
#define NORMS(sd, rel, e, src) .has_norm_sd = true, .norm_sd = (sd), \
	.has_norm_reliability = true, .norm_reliability = (rel), \
	.norms_text = "{\"sd\": " #sd ", \"reliability\": " #rel ", \"error_sd\": " #e ", \"source\": \"" src "\"}"

static const AlInstrument builtins[AL_NUM_BUILTINS] = {
	{
		.code = "wai_sr", .fhir_url = AL_FHIR_QUESTIONNAIRE_BASE "wai-sr",
		.name = "Working Alliance Inventory, short revised (client)",
		.citation = "Hatcher, R. L., & Gillaspy, J. A. (2006). Development and validation of a revised short version of the Working Alliance Inventory. Psychotherapy Research, 16(1), 12-25.",
		.evidence = "V", .builtin_id = AL_WAI_SR, .nitems = 12, INTEGER_ITEMS(1, 5),
		.nscales = NELEM(waisr_scales), .scales = waisr_scales,
		.task_scale = 0, .goal_scale = 1, .bond_scale = 2, PRORATE_75,
		NORMS(8, 0.90, 2.53, "sd and reliability: assumption (alpha .90 stands in for test-retest)"),
	},
	{
		.code = "wai", .fhir_url = AL_FHIR_QUESTIONNAIRE_BASE "wai",
		.name = "Working Alliance Inventory, 36 items",
		.citation = "Horvath, A. O., & Greenberg, L. S. (1989). Development and validation of the Working Alliance Inventory. Journal of Counseling Psychology, 36(2), 223-233. doi:10.1037/0022-0167.36.2.223",
		.evidence = "S", .builtin_id = AL_WAI, .nitems = 36, INTEGER_ITEMS(1, 7),
		.nreversed = NELEM(wai_reversed), .reversed = wai_reversed,
		.nscales = NELEM(wai_scales), .scales = wai_scales,
		.task_scale = 0, .bond_scale = 1, .goal_scale = 2, PRORATE_75,
		NORMS(24, 0.90, 7.59, "sd and reliability: assumption (alpha stands in for test-retest)"),
	},
	{
		.code = "wai_s", .fhir_url = AL_FHIR_QUESTIONNAIRE_BASE "wai-s",
		.name = "Working Alliance Inventory, short form (client)",
		.citation = "Tracey, T. J., & Kokotovic, A. M. (1989). Factor structure of the Working Alliance Inventory. Psychological Assessment, 1(3), 207-210.",
		.evidence = "D", .builtin_id = AL_WAI_S, .nitems = 12, INTEGER_ITEMS(1, 7),
		.nreversed = NELEM(wais_reversed), .reversed = wais_reversed,
		.nscales = NELEM(wais_scales), .scales = wais_scales,
		.task_scale = 0, .goal_scale = 1, .bond_scale = 2, PRORATE_75,
		NORMS(10, 0.90, 3.16, "sd and reliability: assumption (alpha stands in for test-retest)"),
	},
	{
		.code = "srs", .fhir_url = AL_FHIR_QUESTIONNAIRE_BASE "srs",
		.name = "Session Rating Scale v3.0",
		.citation = "Duncan, B. L., Miller, S. D., Sparks, J. A., Claud, D. A., Reynolds, L. R., Brown, J., & Johnson, L. D. (2003). The Session Rating Scale: Preliminary psychometric properties of a \"working\" alliance measure. Journal of Brief Therapy, 3(1), 3-12.",
		.evidence = "S", .builtin_id = AL_SRS, .nitems = 4, VAS_ITEMS,
		.nscales = NELEM(srs_scales), .scales = srs_scales,
		.bond_scale = 0, .goal_scale = 1, .task_scale = 2,
		.has_cutoff = true, .cutoff_u = 360, .cutoff_scale = 1,
		.has_item_cutoff = true, .item_cutoff_u = 90, .item_cutoff_scale = 1,
		NO_MISSING, .item_labels = srs_labels,
		NORMS(4, 0.64, 2.40, "reliability: Duncan et al. 2003, test-retest .64 (S); sd: assumption"),
	},
	{
		.code = "ors", .fhir_url = AL_FHIR_QUESTIONNAIRE_BASE "ors",
		.name = "Outcome Rating Scale",
		.citation = "Miller, S. D., Duncan, B. L., Brown, J., Sparks, J. A., & Claud, D. A. (2003). The Outcome Rating Scale: A preliminary study of the reliability, validity, and feasibility of a brief visual analog measure. Journal of Brief Therapy, 2(2), 91-100.",
		.evidence = "S", .builtin_id = AL_ORS, .nitems = 4, VAS_ITEMS,
		.nscales = NELEM(ors_scales), .scales = ors_scales, NO_BORDIN,
		.has_cutoff = true, .cutoff_u = 250, .cutoff_scale = 1,
		.has_rc_points = true, .rc_points_u = 50, .rc_points_scale = 1,
		.has_norm_sd = true, .norm_sd = 8, .has_norm_reliability = true, .norm_reliability = 0.66,
		.norms_text = "{\"rc_points\": 5, \"sd\": 8, \"reliability\": 0.66, \"error_sd\": 4.66, \"source\": \"rc_points: Miller et al. 2003 (S); reliability: Miller et al. 2003, test-retest .66 (R); sd: assumption\"}",
		NO_MISSING, .item_labels = ors_labels,
	},
	{
		.code = "haq2", .fhir_url = AL_FHIR_QUESTIONNAIRE_BASE "haq2",
		.name = "Revised Helping Alliance Questionnaire (HAq-II)",
		.citation = "Luborsky, L., Barber, J. P., Siqueland, L., Johnson, S., Najavits, L. M., Frank, A., & Daley, D. (1996). The Revised Helping Alliance Questionnaire (HAq-II): Psychometric properties. Journal of Psychotherapy Practice and Research, 5(3), 260-271.",
		.evidence = "S", .builtin_id = AL_HAQ2, .nitems = 19, INTEGER_ITEMS(1, 6),
		.nreversed = NELEM(haq2_reversed), .reversed = haq2_reversed,
		NO_BORDIN, PRORATE_75,
		NORMS(12, 0.78, 5.63, "reliability: Luborsky et al. 1996, test-retest over three sessions .78 (S); sd: assumption"),
	},
	{
		.code = "arm5", .fhir_url = AL_FHIR_QUESTIONNAIRE_BASE "arm5",
		.name = "Agnew Relationship Measure, 5 items",
		.citation = "Cahill, J., Stiles, W. B., Barkham, M., Hardy, G. E., Stone, G., Agnew-Davies, R., & Unsworth, G. (2012). Two short forms of the Agnew Relationship Measure: The ARM-5 and ARM-12. Psychotherapy Research, 22(3), 241-255.",
		.evidence = "S", .builtin_id = AL_ARM5, .nitems = 5, INTEGER_ITEMS(1, 7),
		.nreversed = NELEM(arm5_reversed), .reversed = arm5_reversed,
		.nscales = NELEM(arm5_scales), .scales = arm5_scales,
		.goal_scale = -1, .task_scale = -1, .bond_scale = 0, PRORATE_75,
		NORMS(5, 0.80, 2.24, "sd and reliability: assumption"),
	},
	{
		.code = "tasc_r", .fhir_url = AL_FHIR_QUESTIONNAIRE_BASE "tasc-r",
		.name = "Therapeutic Alliance Scale for Children, revised",
		.citation = "Shirk, S. R., & Saiz, C. C. (1992). Clinical, empirical, and developmental perspectives on the therapeutic relationship in child psychotherapy. Development and Psychopathology, 4, 713-728.",
		.evidence = "S", .builtin_id = AL_TASC_R, .nitems = 12, INTEGER_ITEMS(1, 4),
		.nreversed = NELEM(tascr_reversed), .reversed = tascr_reversed,
		NO_BORDIN, PRORATE_75,
		NORMS(5, 0.80, 2.24, "sd and reliability: assumption"),
	},
	{
		.code = "psq", .fhir_url = AL_FHIR_QUESTIONNAIRE_BASE "psq",
		.name = "Post-Session Questionnaire, rupture items",
		.citation = "Muran, J. C., Safran, J. D., Gorman, B. S., Samstag, L. W., Eubanks-Carter, C., & Winston, A. (2009). The relationship of early alliance ruptures and their resolution to process and outcome in three time-limited psychotherapies for personality disorders. Psychotherapy: Theory, Research, Practice, Training, 46(2), 233-248.",
		.evidence = "R", .builtin_id = AL_PSQ, .nitems = 3,
		.decimals = 0, .min_u = 0, .max_u = 5, .step_u = 1,
		.item_min_u = psq_item_min, .item_max_u = psq_item_max,
		NO_BORDIN, NO_MISSING, .item_labels = psq_labels, .is_psq = true,
	},
};

const AlInstrument *
al_builtin_by_id(int id)
{
	if (id < 1 || id > AL_NUM_BUILTINS)
		return NULL;
	return &builtins[id - 1];
}

const AlInstrument *
al_builtin_by_code(const char *code)
{
	for (int i = 0; i < AL_NUM_BUILTINS; i++)
		if (strcmp(builtins[i].code, code) == 0)
			return &builtins[i];
	return NULL;
}

AlStatus
al_normalize_code(const char *code, size_t len, char *out, AlError *err)
{
	if (len == 0)
		return al_fail(err, AL_ERR_SYNTAX, "instrument code is empty");
	if (len > AL_MAX_CODE_LEN)
		return al_fail(err, AL_ERR_SYNTAX,
					   "instrument code \"%.*s...\" is longer than %d characters",
					   AL_MAX_CODE_LEN, code, AL_MAX_CODE_LEN);
	for (size_t i = 0; i < len; i++)
	{
		unsigned char c = (unsigned char) code[i];

		if (c >= 'A' && c <= 'Z')
			c = (unsigned char) (c - 'A' + 'a');
		if (!((c >= 'a' && c <= 'z') || (i > 0 && ((c >= '0' && c <= '9') || c == '_'))))
		{
			al_fail(err, AL_ERR_SYNTAX, "invalid instrument code \"%.*s\"",
					(int) len, code);
			al_detail(err, "A code is a letter followed by up to %d letters, digits or underscores.",
					  AL_MAX_CODE_LEN - 1);
			return AL_ERR_SYNTAX;
		}
		out[i] = (char) c;
	}
	out[len] = '\0';
	return AL_OK;
}

#define FNV32_OFFSET 2166136261u
#define FNV32_PRIME 16777619u
#define FNV64_OFFSET UINT64_C(14695981039346656037)
#define FNV64_PRIME UINT64_C(1099511628211)

uint32_t
al_code_hash(const char *code)
{
	uint32_t	h = FNV32_OFFSET;

	for (const unsigned char *p = (const unsigned char *) code; *p; p++)
	{
		h ^= *p;
		h *= FNV32_PRIME;
	}
	return h;
}

int32_t
al_code_typmod(const char *code)
{
	const AlInstrument *b = al_builtin_by_code(code);

	if (b != NULL)
		return b->builtin_id;
	return (int32_t) (AL_TYPMOD_CUSTOM | (al_code_hash(code) & 0x3fffffffu));
}

bool
al_typmod_is_custom(int32_t typmod)
{
	return typmod >= AL_TYPMOD_CUSTOM;
}

static uint64_t
fnv64_str(uint64_t h, const char *s)
{
	for (const unsigned char *p = (const unsigned char *) s; *p; p++)
	{
		h ^= *p;
		h *= FNV64_PRIME;
	}
	/* a separator byte so "ab"+"c" differs from "a"+"bc" */
	h ^= 0xff;
	h *= FNV64_PRIME;
	return h;
}

static uint64_t
fnv64_int(uint64_t h, int64_t v)
{
	char		buf[32];

	snprintf(buf, sizeof(buf), "%lld", (long long) v);
	return fnv64_str(h, buf);
}

static uint64_t
fnv64_double(uint64_t h, bool present, double v)
{
	char		buf[40];

	if (!present)
		return fnv64_str(h, "-");
	snprintf(buf, sizeof(buf), "%.17g", v);
	return fnv64_str(h, buf);
}

/* hash a list of item numbers in ascending order, whatever order it was given in */
static uint64_t
fnv64_items(uint64_t h, const uint8_t *items, int n)
{
	bool		member[AL_MAX_ITEMS + 1] = {false};

	for (int i = 0; i < n; i++)
		member[items[i]] = true;
	for (int item = 1; item <= AL_MAX_ITEMS; item++)
		if (member[item])
			h = fnv64_int(h, item);
	return h;
}

int
al_min_answered_items(const AlInstrument *inst, int n)
{
	/* ceil(n * num / den); num/den <= 1 and n <= 255 keep it in range */
	int64_t		need = ((int64_t) n * inst->min_answered_num + inst->min_answered_den - 1) /
		inst->min_answered_den;

	return need < 1 ? 1 : need > n ? n : (int) need;
}

bool
al_enough_answered(const AlInstrument *inst, int answered, int n)
{
	return answered >= al_min_answered_items(inst, n);
}

uint64_t
al_instrument_fingerprint(const AlInstrument *inst)
{
	uint64_t	h = FNV64_OFFSET;

	if (inst->fingerprint != 0)
		return inst->fingerprint;

	h = fnv64_str(h, "alliance-fingerprint-1");
	h = fnv64_str(h, inst->code);
	h = fnv64_int(h, inst->nitems);
	h = fnv64_int(h, inst->decimals);
	for (int i = 1; i <= inst->nitems; i++)
	{
		h = fnv64_int(h, al_item_min(inst, i));
		h = fnv64_int(h, al_item_max(inst, i));
	}
	h = fnv64_int(h, inst->step_u);
	/* item lists as sets: {1,3} and {3,1} are the same rule */
	h = fnv64_items(h, inst->reversed, inst->nreversed);
	h = fnv64_str(h, "scales");
	for (int s = 0; s < inst->nscales; s++)
	{
		h = fnv64_str(h, inst->scales[s].name);
		h = fnv64_items(h, inst->scales[s].items, inst->scales[s].nitems);
	}
	h = fnv64_int(h, inst->goal_scale);
	h = fnv64_int(h, inst->task_scale);
	h = fnv64_int(h, inst->bond_scale);
	h = fnv64_int(h, inst->has_cutoff ? inst->cutoff_u : INT64_MIN);
	h = fnv64_int(h, inst->cutoff_scale);
	h = fnv64_int(h, inst->has_item_cutoff ? inst->item_cutoff_u : INT64_MIN);
	h = fnv64_int(h, inst->item_cutoff_scale);
	h = fnv64_int(h, inst->min_answered_num);
	h = fnv64_int(h, inst->min_answered_den);
	h = fnv64_int(h, inst->score);
	h = fnv64_double(h, inst->has_norm_sd, inst->norm_sd);
	h = fnv64_double(h, inst->has_norm_reliability, inst->norm_reliability);
	h = fnv64_int(h, inst->has_rc_points ? inst->rc_points_u : INT64_MIN);
	h = fnv64_int(h, inst->rc_points_scale);
	h = fnv64_int(h, inst->is_psq);
	return h;
}

int
al_scale_index(const AlInstrument *inst, const char *name)
{
	for (int s = 0; s < inst->nscales; s++)
		if (strcmp(inst->scales[s].name, name) == 0)
			return s;
	return -1;
}

/* the sum over a scale's items (every item when scale < 0) of each item's minimum or maximum */
static int64_t
scale_bound_u(const AlInstrument *inst, int scale, bool upper)
{
	int			n = scale < 0 ? inst->nitems : inst->scales[scale].nitems;
	int64_t		sum = 0;

	for (int i = 0; i < n; i++)
	{
		int			item = scale < 0 ? i + 1 : inst->scales[scale].items[i];

		sum += upper ? al_item_max(inst, item) : al_item_min(inst, item);
	}
	return sum;
}

int64_t
al_scale_min_u(const AlInstrument *inst, int scale)
{
	return scale_bound_u(inst, scale, false);
}

int64_t
al_scale_max_u(const AlInstrument *inst, int scale)
{
	return scale_bound_u(inst, scale, true);
}

int64_t
al_pow10(int n)
{
	int64_t		p = 1;

	while (n-- > 0)
		p *= 10;
	return p;
}

void
al_instrument_score_range(const AlInstrument *inst, double *lo, double *hi)
{
	double		unit = (double) al_pow10(inst->decimals);

	*lo = (double) al_scale_min_u(inst, -1) / unit;
	*hi = (double) al_scale_max_u(inst, -1) / unit;
	if (inst->score == AL_SCORE_MEAN)
	{
		*lo /= inst->nitems;
		*hi /= inst->nitems;
	}
}

double
al_instrument_cutoff(const AlInstrument *inst)
{
	return (double) inst->cutoff_u / (double) al_pow10(inst->cutoff_scale);
}

double
al_instrument_rc_points(const AlInstrument *inst)
{
	return (double) inst->rc_points_u / (double) al_pow10(inst->rc_points_scale);
}

static bool
valid_name(const char *s)
{
	size_t		n = strlen(s);

	if (n == 0 || n > AL_MAX_CODE_LEN || !(s[0] >= 'a' && s[0] <= 'z'))
		return false;
	for (size_t i = 1; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return false;
	return true;
}

static AlStatus
check_item_list(const AlInstrument *inst, const uint8_t *items, int n, const char *what, AlError *err)
{
	bool		seen[AL_MAX_ITEMS + 1] = {false};

	for (int i = 0; i < n; i++)
	{
		if (items[i] < 1 || items[i] > inst->nitems)
			return al_fail(err, AL_ERR_PARAM, "%s names item %d; the instrument has items 1 to %d",
						   what, items[i], inst->nitems);
		if (seen[items[i]])
			return al_fail(err, AL_ERR_PARAM, "%s names item %d twice", what, items[i]);
		seen[items[i]] = true;
	}
	return AL_OK;
}

AlStatus
al_instrument_validate(const AlInstrument *inst, AlError *err)
{
	char		what[64];
	AlStatus	st;

	if (!valid_name(inst->code))
	{
		al_fail(err, AL_ERR_PARAM, "invalid instrument code \"%s\"", inst->code);
		al_detail(err, "A code is a lower-case letter followed by up to %d lower-case letters, digits or underscores.",
				  AL_MAX_CODE_LEN - 1);
		return AL_ERR_PARAM;
	}
	if (inst->nitems < 1 || inst->nitems > AL_MAX_ITEMS)
		return al_fail(err, AL_ERR_PARAM, "items must be between 1 and %d; got %d", AL_MAX_ITEMS, inst->nitems);
	if (inst->decimals < 0 || inst->decimals > AL_MAX_DECIMALS)
		return al_fail(err, AL_ERR_PARAM, "min, max and step may have at most %d decimals", AL_MAX_DECIMALS);
	if (inst->min_u >= inst->max_u)
		return al_fail(err, AL_ERR_PARAM, "min must be below max");
	if (inst->step_u <= 0)
		return al_fail(err, AL_ERR_PARAM, "step must be greater than 0");
	if ((inst->max_u - inst->min_u) % inst->step_u != 0)
		return al_fail(err, AL_ERR_PARAM, "step must divide the range from min to max");
	if ((inst->max_u - inst->min_u) / inst->step_u > 100000)
		return al_fail(err, AL_ERR_PARAM, "an item may have at most 100001 possible answers");
	if (inst->min_u < -1000000000000LL || inst->max_u > 1000000000000LL)
		return al_fail(err, AL_ERR_PARAM, "min and max must lie within -10^12 .. 10^12 (in units of the step's decimals)");
	if ((st = check_item_list(inst, inst->reversed, inst->nreversed, "reversed", err)) != AL_OK)
		return st;
	if (inst->nscales > AL_MAX_SCALES)
		return al_fail(err, AL_ERR_PARAM, "at most %d scales", AL_MAX_SCALES);
	for (int s = 0; s < inst->nscales; s++)
	{
		if (!valid_name(inst->scales[s].name))
			return al_fail(err, AL_ERR_PARAM, "invalid scale name \"%s\": lower-case letters, digits and underscores, starting with a letter",
						   inst->scales[s].name);
		for (int t = 0; t < s; t++)
			if (strcmp(inst->scales[s].name, inst->scales[t].name) == 0)
				return al_fail(err, AL_ERR_PARAM, "scale \"%s\" is defined twice", inst->scales[s].name);
		if (inst->scales[s].nitems < 1)
			return al_fail(err, AL_ERR_PARAM, "scale \"%s\" has no items", inst->scales[s].name);
		snprintf(what, sizeof(what), "scale \"%s\"", inst->scales[s].name);
		if ((st = check_item_list(inst, inst->scales[s].items, inst->scales[s].nitems, what, err)) != AL_OK)
			return st;
	}
	if (inst->goal_scale >= inst->nscales || inst->task_scale >= inst->nscales ||
		inst->bond_scale >= inst->nscales)
		return al_fail(err, AL_ERR_PARAM, "bordin names a scale that does not exist");
	if (inst->min_answered_den <= 0 || inst->min_answered_num <= 0 ||
		inst->min_answered_num > inst->min_answered_den)
		return al_fail(err, AL_ERR_PARAM, "min_answered must be greater than 0 and at most 1");
	/* kept small so that answered * den and items * num never overflow */
	if (inst->min_answered_den > 10000)
		return al_fail(err, AL_ERR_PARAM, "min_answered may have at most 4 decimals");
	if (inst->has_norm_sd && !(inst->norm_sd > 0))
		return al_fail(err, AL_ERR_PARAM, "norms: sd must be greater than 0");
	if (inst->has_norm_reliability && !(inst->norm_reliability >= 0 && inst->norm_reliability < 1))
		return al_fail(err, AL_ERR_PARAM, "norms: reliability must be at least 0 and below 1");
	if (inst->has_rc_points && inst->rc_points_u <= 0)
		return al_fail(err, AL_ERR_PARAM, "norms: rc_points must be greater than 0");
	for (int pass = 0; pass < 2; pass++)
	{
		const char *const *list = pass == 0 ? inst->item_labels : inst->link_ids;
		const char *name = pass == 0 ? "item_labels" : "link_ids";

		if (list == NULL)
			continue;
		for (int i = 0; i < inst->nitems; i++)
		{
			if (list[i] == NULL || list[i][0] == '\0')
				return al_fail(err, AL_ERR_PARAM, "%s: item %d has an empty entry", name, i + 1);
			for (int j = 0; j < i; j++)
				if (strcmp(list[i], list[j]) == 0)
					return al_fail(err, AL_ERR_PARAM, "%s: \"%s\" is given for items %d and %d",
								   name, list[i], j + 1, i + 1);
		}
	}
	if (inst->builtin_id == AL_CUSTOM && inst->fhir_url != NULL)
	{
		const AlInstrument *b = al_fhir_builtin_canonical(inst->fhir_url, strlen(inst->fhir_url));

		if (b != NULL)
		{
			al_fail(err, AL_ERR_PARAM, "fhir_url \"%s\" names the built-in instrument %s", inst->fhir_url, b->code);
			al_detail(err, "QuestionnaireResponses with that canonical are read as %s; a custom definition cannot take them over.",
					  b->code);
			al_hint(err, "Give the form a canonical of its own (its last path segment must not spell a built-in code).");
			return AL_ERR_PARAM;
		}
	}
	return AL_OK;
}
