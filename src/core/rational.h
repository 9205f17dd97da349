/*
 * rational.h — exact fractions for scores.
 *
 * Sums of items are exact decimals; prorated sums, means and POMP are
 * fractions such as 540/11.  Keeping them as num/den until the skin builds a
 * numeric means one division at the very end: never rounded on the way.
 * min_scale is the number of decimals the value is shown with at least
 * (an SRS total 36 is shown 36.0, as its items are).
 */
#ifndef AL_RATIONAL_H
#define AL_RATIONAL_H

#include <stdbool.h>
#include <stdint.h>

typedef struct AlRational
{
	int64_t		num;
	int64_t		den;			/* > 0 */
	int			min_scale;
} AlRational;

AlRational	al_rat(int64_t num, int64_t den, int min_scale);
/* false on int64 overflow; the result is reduced */
bool		al_rat_add(AlRational a, AlRational b, AlRational *out);
bool		al_rat_sub(AlRational a, AlRational b, AlRational *out);
bool		al_rat_mul(AlRational a, AlRational b, AlRational *out);
bool		al_rat_div(AlRational a, AlRational b, AlRational *out);	/* b != 0 */
int			al_rat_cmp(AlRational a, AlRational b);
double		al_rat_to_double(AlRational a);

/*
 * If the fraction has a finite decimal expansion, set *units and *scale
 * (units / 10^scale, scale >= min_scale) and return true.
 */
bool		al_rat_exact_decimal(AlRational a, int64_t *units, int *scale);

#endif
