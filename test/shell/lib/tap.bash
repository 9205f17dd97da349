# Tiny TAP helpers for shell tests (sourced).
TAP_N=0
ok()   { TAP_N=$((TAP_N + 1)); echo "ok $TAP_N - $1"; }
notok(){ TAP_N=$((TAP_N + 1)); echo "not ok $TAP_N - $1"; [ -n "${2:-}" ] && echo "$2" | sed 's/^/# /'; }
check(){ local desc=$1; shift; local out; if out=$("$@" 2>&1); then ok "$desc"; else notok "$desc" "$out"; fi; }
is()   { if [ "$1" = "$2" ]; then ok "$3"; else notok "$3" "got: $1
expected: $2"; fi; }
