/*
 * svg_internal.h — the SVG chart's writer, shared by svg.c (the chart) and
 * svg_write.c (escaping, locale-free numbers, session keys).  Not part of the
 * core's API.
 */
#ifndef SVG_INTERNAL_H
#define SVG_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "series.h"

/* An output buffer that counts what it could not hold (the caller sizes it from that count). */
typedef struct W
{
	char	   *buf;
	size_t		cap;
	size_t		len;
} W;

void		put_n(W *w, const char *s, size_t n);
void		put(W *w, const char *s);
void		put_int(W *w, long long v);
void		put_esc(W *w, const char *s);	/* XML-escaped, ASCII only */
int			fmt_score(char *b, size_t cap, double v, int mindec);
int			fmt_tick(char *b, size_t cap, double v, int d);
double		pow10i(int d);
void		put_coord(W *w, double v);
void		put_score(W *w, double v, int mindec);
void		put_attr(W *w, const char *name, double v);
void		put_key(W *w, AlKeyKind kind, int64_t key, bool date_only);
int			key_len(AlKeyKind kind, int64_t key);
void		put_where(W *w, AlKeyKind kind, int64_t key);

#endif
