#!/usr/bin/env bash
# make test: every layer, on a fresh Debian 12 machine.
#   1. Debian packages (installed when root, named otherwise)
#   2. core unit tests (cmocka, no server), also under valgrind
#   3. make clean, build with -Wall -Wextra -Werror (make WERROR=1), install
#   4. pg_regress, pgTAP and shell TAP tests in a throwaway cluster (pg_virtualenv)
#   5. fuzz targets, briefly
#   6. the Debian package (test/deb.sh; it reinstalls this tree's build afterwards)
# Ends with one line "N passed, N failed"; exits non-zero on any failure.
set -u
cd "$(dirname "$0")/.."
. test/deps.sh
alliance_deps test || exit 1

OUT=test/out
rm -rf "$OUT"; mkdir -p "$OUT"
PASSED=0; FAILED=0
count() { PASSED=$((PASSED + $1)); FAILED=$((FAILED + $2)); }
section() { printf '\n==== %s ====\n' "$*"; }

section "core unit tests (cmocka)"
for t in test/unit/test_*.c; do
  name=$(basename "$t" .c)
  if ! gcc -std=gnu99 -O1 -g -Wall -Wextra -Werror -Isrc/core -Itest/support "$t" src/core/*.c -lcmocka -ljansson -lm -o "$OUT/$name" 2> "$OUT/$name.build"; then
    cat "$OUT/$name.build"; echo "FAILED to build $name"; count 0 1; continue
  fi
  "$OUT/$name" > "$OUT/$name.log" 2>&1; rc=$?
  cat "$OUT/$name.log"
  p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$OUT/$name.log" | tail -1)
  f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$OUT/$name.log" | tail -1)
  p=${p:-0}; f=${f:-0}
  [ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
  count "$p" "$f"
done

section "core unit tests under valgrind (memory errors and leaks)"
for t in test/unit/test_*.c; do
  name=$(basename "$t" .c)
  [ -x "$OUT/$name" ] || continue
  if valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite "$OUT/$name" > "$OUT/$name.valgrind" 2>&1; then
    count 1 0; echo "valgrind $name: clean"
  else
    tail -30 "$OUT/$name.valgrind"; echo "FAILED: valgrind $name"; count 0 1
  fi
done

section "build (make WERROR=1: warnings are errors) and install"
# Objects left by a build without -Werror would hide their warnings.
echo "make clean, then make WERROR=1 and make install"
make -s clean >/dev/null 2>&1; mkdir -p "$OUT"
make -s WERROR=1 > "$OUT/build.log" 2>&1; rc=$?
grep -v '^$' "$OUT/build.log"
if [ "$rc" -ne 0 ]; then
  echo "FAILED: build (make exited $rc)"; count 0 1
  echo "$PASSED passed, $FAILED failed"; exit "$rc"
fi
make -s install > "$OUT/install.log" 2>&1; rc=$?
if [ "$rc" -ne 0 ]; then
  cat "$OUT/install.log"; echo "FAILED: install (make install exited $rc)"; count 0 1
  echo "$PASSED passed, $FAILED failed"; exit "$rc"
fi
count 1 0

section "pg_regress, pgTAP and shell tests in a throwaway cluster"
pg_virtualenv -t bash -c '
  make -s installcheck > test/out/regress.log 2>&1; echo $? > test/out/regress.rc
  pg_prove -q test/pgtap/*.sql > test/out/pgtap.log 2>&1; echo $? > test/out/pgtap.rc
  if ls test/shell/*.sh >/dev/null 2>&1; then
    prove test/shell/*.sh > test/out/shell.log 2>&1; echo $? > test/out/shell.rc
  fi
' > "$OUT/virtualenv.log" 2>&1
cat "$OUT/regress.log"
# Counted from the files, not pg_regress's output (16 changed it to TAP): every
# sql/*.sql is a test, and each failed one has a "diff" header in regression.diffs.
regress_counts() {  # $1 = regression.diffs, $2 = pg_regress exit status
  local total f
  total=$(ls sql/*.sql | wc -l)
  f=0; [ -f "$1" ] && f=$(grep -c '^diff ' "$1")
  [ "$2" -ne 0 ] && [ "$f" -eq 0 ] && f=1
  count $((total - f)) "$f"
}
regress_counts regression.diffs "$(cat $OUT/regress.rc 2>/dev/null || echo 1)"
[ -f regression.diffs ] && { echo "--- regression.diffs ---"; head -200 regression.diffs; }

tap_counts() {  # file: total tests and failed subtests from a prove summary
  local log=$1 rc=$2 total failed
  cat "$log"
  total=$(sed -n 's/^Files=[0-9]*, Tests=\([0-9]*\).*/\1/p' "$log" | tail -1)
  failed=$(sed -n 's/.*Failed \([0-9]*\)\/[0-9]* subtests.*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
  total=${total:-0}
  [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ] && failed=1
  count $((total - failed > 0 ? total - failed : 0)) "$failed"
}
tap_counts "$OUT/pgtap.log" "$(cat $OUT/pgtap.rc 2>/dev/null || echo 1)"
if [ -f "$OUT/shell.rc" ]; then tap_counts "$OUT/shell.log" "$(cat $OUT/shell.rc)"; fi

section "make demo: the main job runs and its report has every section"
ALLIANCE_DEMO_OUT="$OUT/demo" bash demo/run.sh > "$OUT/demo.log" 2>&1; rc=$?
if [ "$rc" -ne 0 ]; then tail -30 "$OUT/demo.log"; echo "FAILED: make demo exited $rc"; count 0 1
else
  for want in 'Clinic at a glance' 'Clinic summary by instrument' 'SRS by therapist' 'suppressed' 'Norms behind the rupture rule' \
              'Reliability on the clinic' 'Alliance status of every client' 'Where each client stands now' 'Who needs attention' \
              'Alerts raised as the sessions were written' 'Client and therapist: the gap and agreement' \
              'did not show' 'unseen_rupture_alerts' \
              'Ruptures found' 'Reliable change in outcome'; do
    if grep -q "$want" "$OUT/demo/report.txt"; then count 1 0; else echo "FAILED: demo report lacks '$want'"; count 0 1; fi
  done
  if grep -q '</html>' "$OUT/demo/attention.html" && grep -q '<figure>' "$OUT/demo/attention.html"; then count 1 0
  else echo "FAILED: demo page $OUT/demo/attention.html is incomplete"; count 0 1; fi
  echo "demo report and page checked ($OUT/demo)"
fi

section "fuzz targets (${FUZZ_SECONDS:=10}s each)"
if [ -x test/fuzz/run.sh ] || [ -f test/fuzz/run.sh ]; then
  FUZZ_SECONDS=$FUZZ_SECONDS bash test/fuzz/run.sh > "$OUT/fuzz.log" 2>&1; rc=$?
  tail -5 "$OUT/fuzz.log"
  n=$(ls test/fuzz/*_fuzz.c 2>/dev/null | wc -l)
  if [ "$rc" -eq 0 ]; then count "$n" 0; else count 0 1; fi
fi

section "the Debian package: build, install, create the extension, remove (test/deb.sh)"
prove test/deb.sh > "$OUT/deb.log" 2>&1; tap_counts "$OUT/deb.log" $?

echo
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
