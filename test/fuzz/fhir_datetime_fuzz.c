/*
 * fhir_datetime_fuzz.c — libFuzzer target for the FHIR dateTime grammar
 * (al_fhir_datetime_parse), which reads QuestionnaireResponse.authored.
 *
 * Each input is parsed as it is (not NUL-terminated: the parser must never
 * read past len).  On success every field must be in its range, and the
 * value printed in canonical form (the precision given, offset as written)
 * must parse back to the same fields.
 *
 * Build (test/fuzz/run.sh does this):
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Isrc/core \
 *         test/fuzz/fhir_datetime_fuzz.c <every .c file in src/core>
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fhir_datetime.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	AlFhirDateTime dt,
				back;
	char	   *copy;
	char		buf[64];
	int			n;

	if (size > 64)
		return 0;
	copy = malloc(size ? size : 1);		/* exactly size bytes: ASan catches reads past it */
	memcpy(copy, data, size);
	if (al_fhir_datetime_parse(copy, size, &dt))
	{
		if (dt.year < 1 || dt.year > 9999 || dt.month < 1 || dt.month > 12 || dt.day < 1 ||
			dt.day > al_days_in_month(dt.year, dt.month) || dt.hour < 0 || dt.hour > 23 ||
			dt.minute < 0 || dt.minute > 59 || dt.second < 0 || dt.second > 60 ||
			dt.usec < 0 || dt.usec > 999999 || dt.utc_offset < -14 * 3600 || dt.utc_offset > 14 * 3600)
			abort();			/* a field out of range was accepted */
		if (dt.has_time)
			n = snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06d%c%02d:%02d", dt.year, dt.month,
						 dt.day, dt.hour, dt.minute, dt.second, (int) dt.usec, dt.utc_offset < 0 ? '-' : '+',
						 abs(dt.utc_offset) / 3600, abs(dt.utc_offset) % 3600 / 60);
		else
			n = snprintf(buf, sizeof buf, "%04d-%02d-%02d", dt.year, dt.month, dt.day);
		if (n < 0 || (size_t) n >= sizeof buf || !al_fhir_datetime_parse(buf, (size_t) n, &back) ||
			memcmp(&dt, &back, sizeof dt) != 0)
			abort();			/* the canonical form does not read back the same */
	}
	free(copy);
	return 0;
}
