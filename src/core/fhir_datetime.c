/*
 * fhir_datetime.c — the FHIR dateTime grammar; see fhir_datetime.h.  A date
 * without a time is midnight UTC of its first day; fractions of a second past
 * microseconds are cut, as PostgreSQL's timestamptz holds microseconds.
 */
#include "fhir_datetime.h"

#include <string.h>

static bool
digits(const char *s, int n, int *out)
{
	int			v = 0;

	for (int i = 0; i < n; i++)
	{
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

int
al_days_in_month(int year, int month)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool		leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

	return month == 2 && leap ? 29 : days[month - 1];
}

bool
al_fhir_datetime_parse(const char *s, size_t len, AlFhirDateTime *out)
{
	size_t		p;

	memset(out, 0, sizeof(*out));
	out->month = 1;
	out->day = 1;
	if (len < 4 || !digits(s, 4, &out->year) || out->year < 1)
		return false;
	p = 4;
	if (p < len)
	{
		if (len < p + 3 || s[p] != '-' || !digits(s + p + 1, 2, &out->month) ||
			out->month < 1 || out->month > 12)
			return false;
		p += 3;
	}
	if (p < len)
	{
		if (len < p + 3 || s[p] != '-' || !digits(s + p + 1, 2, &out->day) || out->day < 1 ||
			out->day > al_days_in_month(out->year, out->month))
			return false;
		p += 3;
	}
	if (p < len)
	{
		int			zh,
					zm;

		if (len < p + 9 || s[p] != 'T' ||
			!digits(s + p + 1, 2, &out->hour) || s[p + 3] != ':' ||
			!digits(s + p + 4, 2, &out->minute) || s[p + 6] != ':' ||
			!digits(s + p + 7, 2, &out->second) ||
			out->hour > 23 || out->minute > 59 || out->second > 60)
			return false;
		out->has_time = true;
		p += 9;
		if (p < len && s[p] == '.')
		{
			int			nd = 0;
			int32_t		scale = 1000000;

			for (p++; p < len && s[p] >= '0' && s[p] <= '9'; p++, nd++)
				if (scale > 1)
				{
					scale /= 10;
					out->usec += (s[p] - '0') * scale;
				}
			if (nd == 0 || nd > 9)
				return false;
		}
		if (p + 1 == len && s[p] == 'Z')
			out->utc_offset = 0;
		else if (p + 6 == len && (s[p] == '+' || s[p] == '-') &&
				 digits(s + p + 1, 2, &zh) && s[p + 3] == ':' && digits(s + p + 4, 2, &zm) &&
				 zm <= 59 && (zh < 14 || (zh == 14 && zm == 0)))
			out->utc_offset = (s[p] == '+' ? 1 : -1) * (zh * 3600 + zm * 60);
		else
			return false;
	}
	return true;
}
