/*
 * trajectory_in_fuzz.c — libFuzzer target for the trajectory text parser
 * (al_traj_parse in src/core/series.c), the code behind trajectory_in and
 * thus behind every value postgres_fdw ships back as text.
 *
 * Properties checked on every input:
 *   - the parser never crashes, reads out of bounds, or overflows (ASan/UBSan);
 *   - an accepted value validates (sorted keys, valid ranges, finite scores);
 *   - output -> input -> output is the identity (the canonical text form is
 *     lossless and deterministic).
 *
 * Build with every core source (src/core, all .c files) and run:
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Isrc/core \
 *       test/fuzz/trajectory_in_fuzz.c $(ls src/core/[a-z]*.c) -lm -o test/fuzz/trajectory_in_fuzz
 *   ./test/fuzz/trajectory_in_fuzz -max_total_time=60
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "series.h"

static void
check(int cond)
{
	if (!cond)
		abort();
}

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* copy: the parser gets an exact-length buffer, so ASan sees any over-read */
	char	   *s = malloc(size ? size : 1);
	size_t		cap,
				n = 0,
				n2 = 0,
				len,
				len2;
	AlPoint    *p,
			   *p2;
	AlKeyKind	kind,
				kind2;
	char		code[AL_SERIES_MAX_CODE + 1],
				code2[AL_SERIES_MAX_CODE + 1];
	char	   *out,
			   *out2;
	AlError		err;

	memcpy(s, data, size);
	cap = al_traj_count_bound(s, size);
	p = malloc(cap * sizeof(AlPoint));
	if (al_traj_parse(s, size, &kind, code, p, cap, &n, &err) == AL_OK)
	{
		check(n <= cap);
		check(al_traj_validate(kind, code, p, n, &err) == AL_OK);
		out = malloc(al_traj_format_bound(n));
		len = al_traj_format(kind, code, p, n, out);
		check(len < al_traj_format_bound(n));
		check(strlen(out) == len);

		p2 = malloc(al_traj_count_bound(out, len) * sizeof(AlPoint));
		check(al_traj_parse(out, len, &kind2, code2, p2, al_traj_count_bound(out, len), &n2, &err) == AL_OK);
		check(kind2 == kind && n2 == n && strcmp(code, code2) == 0);
		for (size_t i = 0; i < n; i++)
			check(p2[i].key == p[i].key && p2[i].score == p[i].score);
		out2 = malloc(al_traj_format_bound(n2));
		len2 = al_traj_format(kind2, code2, p2, n2, out2);
		check(len2 == len && memcmp(out, out2, len) == 0);
		free(out);
		free(out2);
		free(p2);
	}
	else
		check(err.status != AL_OK && err.message[0] != '\0');
	free(p);
	free(s);
	return 0;
}
