/*
 * definition_json.c — the JSON parameters of a definition (definition_json.h).
 */
#include "definition_json.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "response.h"

static AlStatus def_error(AlError *err, const char *code, const char *fmt,...)
			__attribute__((format(printf, 3, 4)));

static AlStatus
def_error(AlError *err, const char *code, const char *fmt,...)
{
	char		what[AL_MSG_LEN];
	va_list		ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return al_fail(err, AL_ERR_PARAM, "invalid definition of instrument \"%s\": %s", code, what);
}

static AlJsonKind
kind_of(const AlJsonOps *ops, AlJsonRef v)
{
	return ops->kind(ops->ctx, v);
}

AlStatus
al_definition_decimal(const char *text, size_t len, const char *code, const char *param,
					  AlDecimal *out, AlError *err)
{
	if (al_parse_decimal(text, len, out, NULL) != AL_OK)
		return def_error(err, code, "%s must be a finite number with at most 18 digits", param);
	return AL_OK;
}

/* a number member's value as an exact decimal; param names it in messages */
static AlStatus
get_decimal(const AlJsonOps *ops, AlJsonRef v, const char *code, const char *param,
			AlDecimal *out, AlError *err)
{
	const char *text;
	size_t		len;

	if (kind_of(ops, v) != AL_JSON_NUMBER)
		return def_error(err, code, "%s must be a number", param);
	text = ops->number(ops->ctx, v, &len);
	return al_definition_decimal(text, len, code, param, out, err);
}

AlStatus
al_definition_scales(const AlJsonOps *ops, AlJsonRef root, const char *code,
					 AlScaleSpec *out, int *nscales, AlError *err)
{
	size_t		n;

	*nscales = 0;
	if (kind_of(ops, root) != AL_JSON_OBJECT)
		return def_error(err, code, "scales must be an object of scale name -> item numbers");
	n = ops->members(ops->ctx, root);
	for (size_t s = 0; s < n; s++)
	{
		AlScaleSpec *sc = &out[s];
		AlJsonRef	items;
		size_t		ni;

		if (s >= AL_MAX_SCALES)
			return def_error(err, code, "scales: too many scales");
		items = ops->member_at(ops->ctx, root, s, &sc->name, &sc->name_len);
		if (kind_of(ops, items) != AL_JSON_ARRAY)
			return def_error(err, code, "scales: each scale is an array of item numbers");
		ni = ops->length(ops->ctx, items);
		sc->nitems = 0;
		for (size_t i = 0; i < ni; i++)
		{
			AlJsonRef	e = ops->element(ops->ctx, items, i);
			AlJsonKind	k = kind_of(ops, e);
			AlDecimal	d;
			AlStatus	st = AL_OK;

			if (k == AL_JSON_ARRAY || k == AL_JSON_OBJECT)
				st = def_error(err, code, "scales: each scale is an array of item numbers");
			else if ((st = get_decimal(ops, e, code, "scales", &d, err)) == AL_OK &&
					 (d.scale != 0 || d.units < 1 || d.units > AL_MAX_ITEMS || sc->nitems >= AL_MAX_ITEMS))
				st = def_error(err, code, "scales: item numbers are whole numbers from 1 to the item count");
			if (ops->release != NULL)
				ops->release(ops->ctx, e);
			if (st != AL_OK)
				return st;
			sc->items[sc->nitems++] = (uint8_t) d.units;
		}
		(*nscales)++;
	}
	return AL_OK;
}

/* the index of the scale named name (len bytes) in inst, or -1 */
static int
scale_index_n(const AlInstrument *inst, const char *name, size_t len)
{
	for (int s = 0; s < inst->nscales; s++)
		if (strlen(inst->scales[s].name) == len && memcmp(inst->scales[s].name, name, len) == 0)
			return s;
	return -1;
}

static bool
key_is(const char *key, size_t len, const char *want)
{
	return len == strlen(want) && memcmp(key, want, len) == 0;
}

AlStatus
al_definition_bordin(const AlJsonOps *ops, AlJsonRef root, AlInstrument *inst, AlError *err)
{
	size_t		n;

	if (kind_of(ops, root) != AL_JSON_OBJECT)
		return def_error(err, inst->code, "bordin must be an object of dimension -> scale name");
	n = ops->members(ops->ctx, root);
	for (size_t m = 0; m < n; m++)
	{
		const char *key,
				   *scale;
		size_t		key_len,
					scale_len;
		AlJsonRef	v = ops->member_at(ops->ctx, root, m, &key, &key_len);
		int			idx;
		int			shown = key_len > 64 ? 64 : (int) key_len;

		if (kind_of(ops, v) != AL_JSON_STRING)
			return def_error(err, inst->code, "bordin: \"%.*s\" must name a scale", shown, key);
		scale = ops->string(ops->ctx, v, &scale_len);
		idx = scale_index_n(inst, scale, scale_len);
		if (idx < 0)
			return def_error(err, inst->code, "bordin maps %.*s to \"%.*s\", which is not one of its scales",
							 shown, key, scale_len > 64 ? 64 : (int) scale_len, scale);
		if (key_is(key, key_len, "goal"))
			inst->goal_scale = idx;
		else if (key_is(key, key_len, "task"))
			inst->task_scale = idx;
		else if (key_is(key, key_len, "bond"))
			inst->bond_scale = idx;
		else
			return def_error(err, inst->code, "bordin: \"%.*s\" is not a Bordin dimension (goal, task, bond)",
							 shown, key);
	}
	return AL_OK;
}

AlStatus
al_definition_norms(const AlJsonOps *ops, AlJsonRef root, AlInstrument *inst, AlError *err)
{
	size_t		n;

	if (kind_of(ops, root) != AL_JSON_OBJECT)
		return def_error(err, inst->code, "norms must be an object with keys sd, reliability, rc_points");
	n = ops->members(ops->ctx, root);
	for (size_t m = 0; m < n; m++)
	{
		const char *key;
		size_t		key_len;
		AlJsonRef	v = ops->member_at(ops->ctx, root, m, &key, &key_len);
		char		param[80];
		AlDecimal	d;
		AlStatus	st;
		double		x;

		snprintf(param, sizeof(param), "norms.%.*s", key_len > 64 ? 64 : (int) key_len, key);
		if ((st = get_decimal(ops, v, inst->code, param, &d, err)) != AL_OK)
			return st;
		x = (double) d.units / (double) al_pow10(d.scale);
		if (key_is(key, key_len, "sd"))
		{
			inst->has_norm_sd = true;
			inst->norm_sd = x;
		}
		else if (key_is(key, key_len, "reliability"))
		{
			inst->has_norm_reliability = true;
			inst->norm_reliability = x;
		}
		else if (key_is(key, key_len, "rc_points"))
		{
			inst->has_rc_points = true;
			inst->rc_points_u = d.units;
			inst->rc_points_scale = d.scale;
		}
		else
			return def_error(err, inst->code, "norms: unknown key \"%.*s\" (sd, reliability, rc_points)",
							 key_len > 64 ? 64 : (int) key_len, key);
	}
	return AL_OK;
}
