/* rational.c — exact fractions; see rational.h. */
#include "rational.h"

#include "instrument.h"

static int64_t
gcd64(int64_t a, int64_t b)
{
	if (a < 0)
		a = -a;
	if (b < 0)
		b = -b;
	while (b != 0)
	{
		int64_t		t = a % b;

		a = b;
		b = t;
	}
	return a;
}

static bool
reduce128(__int128 num, __int128 den, int min_scale, AlRational *out)
{
	__int128	a,
				b;

	if (den < 0)
	{
		num = -num;
		den = -den;
	}
	a = num < 0 ? -num : num;
	b = den;
	while (b != 0)
	{
		__int128	t = a % b;

		a = b;
		b = t;
	}
	if (a > 1)
	{
		num /= a;
		den /= a;
	}
	if (num > INT64_MAX || num < -INT64_MAX || den > INT64_MAX)
		return false;
	out->num = (int64_t) num;
	out->den = (int64_t) den;
	out->min_scale = min_scale;
	return true;
}

AlRational
al_rat(int64_t num, int64_t den, int min_scale)
{
	AlRational	r;
	int64_t		g = gcd64(num, den);

	if (g > 1)
	{
		num /= g;
		den /= g;
	}
	if (den < 0)
	{
		num = -num;
		den = -den;
	}
	r.num = num;
	r.den = den;
	r.min_scale = min_scale;
	return r;
}

static int
max_scale(AlRational a, AlRational b)
{
	return a.min_scale > b.min_scale ? a.min_scale : b.min_scale;
}

bool
al_rat_add(AlRational a, AlRational b, AlRational *out)
{
	return reduce128((__int128) a.num * b.den + (__int128) b.num * a.den,
					 (__int128) a.den * b.den, max_scale(a, b), out);
}

bool
al_rat_sub(AlRational a, AlRational b, AlRational *out)
{
	return reduce128((__int128) a.num * b.den - (__int128) b.num * a.den,
					 (__int128) a.den * b.den, max_scale(a, b), out);
}

bool
al_rat_mul(AlRational a, AlRational b, AlRational *out)
{
	return reduce128((__int128) a.num * b.num, (__int128) a.den * b.den,
					 max_scale(a, b), out);
}

bool
al_rat_div(AlRational a, AlRational b, AlRational *out)
{
	if (b.num == 0)
		return false;
	return reduce128((__int128) a.num * b.den, (__int128) a.den * b.num,
					 max_scale(a, b), out);
}

int
al_rat_cmp(AlRational a, AlRational b)
{
	__int128	x = (__int128) a.num * b.den;
	__int128	y = (__int128) b.num * a.den;

	return x < y ? -1 : x > y ? 1 : 0;
}

double
al_rat_to_double(AlRational a)
{
	return (double) a.num / (double) a.den;
}

bool
al_rat_exact_decimal(AlRational a, int64_t *units, int *scale)
{
	int64_t		den = a.den;
	int			twos = 0,
				fives = 0,
				k;
	__int128	u;

	/* a whole number (every total of an instrument without decimals): no factoring */
	if (den == 1 && a.min_scale >= 0 && a.min_scale <= 18)
	{
		u = (__int128) a.num * al_pow10(a.min_scale);
		if (u > INT64_MAX || u < -INT64_MAX)
			return false;
		*units = (int64_t) u;
		*scale = a.min_scale;
		return true;
	}
	while (den % 2 == 0)
	{
		den /= 2;
		twos++;
	}
	while (den % 5 == 0)
	{
		den /= 5;
		fives++;
	}
	if (den != 1)
		return false;
	k = twos > fives ? twos : fives;
	if (k < a.min_scale)
		k = a.min_scale;
	if (k > 18)
		return false;
	u = (__int128) a.num * (al_pow10(k) / a.den);
	if (u > INT64_MAX || u < -INT64_MAX)
		return false;
	*units = (int64_t) u;
	*scale = k;
	return true;
}
