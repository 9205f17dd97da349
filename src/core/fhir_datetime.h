/*
 * fhir_datetime.h — the FHIR dateTime grammar (doc/fhir.md): YYYY, YYYY-MM,
 * YYYY-MM-DD, or YYYY-MM-DDThh:mm:ss[.f] with Z or +hh:mm / -hh:mm (FHIR
 * requires a zone with a time).  Pure parsing into fields; the skin turns
 * them into a timestamptz.  The one reader of QuestionnaireResponse.authored.
 */
#ifndef AL_FHIR_DATETIME_H
#define AL_FHIR_DATETIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct AlFhirDateTime
{
	int			year;			/* 1..9999 */
	int			month;			/* 1..12; 1 when not given */
	int			day;			/* 1..days of the month; 1 when not given */
	bool		has_time;		/* false: midnight UTC of the first day given */
	int			hour;			/* 0..23 */
	int			minute;			/* 0..59 */
	int			second;			/* 0..60 (a leap second as written) */
	int32_t		usec;			/* 0..999999: fractions beyond 6 digits are cut */
	int32_t		utc_offset;		/* seconds east of UTC, -14:00..+14:00 */
} AlFhirDateTime;

/* Parses s (len bytes, need not be NUL-terminated); false when it is no FHIR dateTime. */
bool		al_fhir_datetime_parse(const char *s, size_t len, AlFhirDateTime *out);

/* Days in month (1..12) of year, proleptic Gregorian. */
int			al_days_in_month(int year, int month);

#endif
