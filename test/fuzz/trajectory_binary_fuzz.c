/*
 * trajectory_binary_fuzz.c — libFuzzer target for the binary form of
 * alliance.trajectory (al_traj_binary_header / al_traj_binary_points), what
 * trajectory_recv reads from drivers and COPY BINARY.
 *
 * Each input is read as it is (exactly size bytes: the reader must never
 * look past them).  When the header holds, the points are read and checked
 * with al_traj_validate, as trajectory_recv does; a value that passes must
 * encode back to exactly the input bytes (the binary form is canonical) and
 * print within al_traj_format_bound.
 *
 * Build (test/fuzz/run.sh does this):
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Isrc/core \
 *         test/fuzz/trajectory_binary_fuzz.c <every .c file in src/core>
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "series.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t    *copy = malloc(size ? size : 1);
	AlKeyKind	kind;
	char		code[AL_SERIES_MAX_CODE + 1];
	size_t		n;
	AlError		err;

	memcpy(copy, data, size);
	if (al_traj_binary_header(copy, size, 4096, &kind, code, &n, &err) == AL_OK)
	{
		AlPoint    *p = malloc((n ? n : 1) * sizeof(AlPoint));

		al_traj_binary_points(copy, size, p, n);
		if (al_traj_validate(kind, code, p, n, &err) == AL_OK)
		{
			size_t		len = al_traj_binary_size(strlen(code), n);
			uint8_t    *again = malloc(len);
			char	   *text = malloc(al_traj_format_bound(n));

			if (len != size)
				abort();		/* the size formula disagrees with what was read */
			al_traj_binary_encode(kind, code, p, n, again);
			if (memcmp(again, copy, size) != 0)
				abort();		/* not canonical: two byte strings for one value */
			if (al_traj_format(kind, code, p, n, text) >= al_traj_format_bound(n))
				abort();		/* printed past its bound */
			free(text);
			free(again);
		}
		else if (err.message[0] == '\0')
			abort();			/* a refusal must say why */
		free(p);
	}
	free(copy);
	return 0;
}
