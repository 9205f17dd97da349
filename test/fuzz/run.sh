#!/usr/bin/env bash
# test/fuzz/run.sh — build and run every libFuzzer target test/fuzz/*_fuzz.c.
#
#   FUZZ_SECONDS=20 bash test/fuzz/run.sh            # all targets, 20 s each (default)
#   FUZZ_SECONDS=300 bash test/fuzz/run.sh response  # only targets whose name contains "response"
#
# Each target is built with clang (ASan + UBSan, UB is fatal) together with
# every src/core/*.c into a temporary directory, and run for $FUZZ_SECONDS
# seconds starting from its committed seed corpus test/fuzz/corpus/<name>/.
# New corpus entries go to the temporary directory, never into the repository.
# A crash (or sanitizer report, or broken invariant) leaves its input in
# test/out/fuzz/ and makes the script exit 1.  No clang with the libFuzzer
# runtime (Debian: clang-14 and libclang-rt-14-dev): exit 77 (skipped).
set -u

cd "$(dirname "$0")/../.." || exit 2

FUZZ_SECONDS=${FUZZ_SECONDS:-20}
CLANG=${CLANG:-clang}
filter=${1:-}
out_dir=test/out/fuzz

case $FUZZ_SECONDS in
	'' | *[!0-9]*) echo "run.sh: FUZZ_SECONDS must be a whole number of seconds" >&2; exit 2 ;;
esac

work=$(mktemp -d "${TMPDIR:-/tmp}/alliance-fuzz.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT

# Is libFuzzer there?
printf '#include <stddef.h>\n#include <stdint.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void) d; (void) n; return 0; }\n' \
	> "$work/probe.c"
if ! "$CLANG" -fsanitize=fuzzer,address,undefined "$work/probe.c" -o "$work/probe" 2> "$work/probe.log"; then
	echo "run.sh: SKIP: '$CLANG -fsanitize=fuzzer' does not link:" >&2
	sed 's/^/  /' "$work/probe.log" >&2
	echo "  (Debian: apt-get install clang libclang-rt-14-dev)" >&2
	exit 77
fi

mkdir -p "$out_dir"
core_srcs=(src/core/*.c)
failed=()
ran=0

for src in test/fuzz/*_fuzz.c; do
	[ -e "$src" ] || continue
	name=$(basename "$src" .c)
	case $name in *"$filter"*) ;; *) continue ;; esac
	bin="$work/$name"
	echo "== $name: building"
	if ! "$CLANG" -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-Isrc/core -Itest/support "$src" "${core_srcs[@]}" -lm -ljansson -o "$bin"; then
		echo "== $name: BUILD FAILED"
		failed+=("$name (build)")
		continue
	fi
	corpus="$work/corpus-$name"
	mkdir -p "$corpus"
	seeds=()
	[ -d "test/fuzz/corpus/$name" ] && seeds=("test/fuzz/corpus/$name")
	echo "== $name: fuzzing for ${FUZZ_SECONDS}s"
	# the first corpus directory receives new inputs: the temporary one
	"$bin" -max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$out_dir/$name-" \
		"$corpus" "${seeds[@]}" > "$work/$name.log" 2>&1
	rc=$?
	ran=$((ran + 1))
	if [ $rc -ne 0 ]; then
		echo "== $name: FAILED (exit $rc); the last lines of its log:"
		tail -n 40 "$work/$name.log"
		cp "$work/$name.log" "$out_dir/$name.log"
		echo "== $name: full log in $out_dir/$name.log; crashing input in $out_dir/$name-*"
		failed+=("$name")
	else
		grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' "$work/$name.log" | sed "s/^/   /"
		echo "== $name: ok"
	fi
done

if [ $ran -eq 0 ] && [ ${#failed[@]} -eq 0 ]; then
	echo "run.sh: no fuzz target matched '${filter}'" >&2
	exit 2
fi
if [ ${#failed[@]} -ne 0 ]; then
	echo "fuzz: ${#failed[@]} failed: ${failed[*]}"
	exit 1
fi
echo "fuzz: $ran target(s) ran ${FUZZ_SECONDS}s each without a crash"
exit 0
