#!/usr/bin/env bash
# Values written by every released version read forever: for each
# test/fixtures/<version>/ (written by that release, see test/fixtures/README.md)
# the current build loads the text COPY, the binary COPY and the pg_dump -Fc,
# prints the same text back, and checks.sql prints exactly what the release
# printed (every value and score).  Runs inside pg_virtualenv.
set -u
. "$(dirname "$0")/lib/tap.bash"
fx=$(cd "$(dirname "$0")/../fixtures" && pwd)
versions=$(cd "$fx" && ls -d */ | tr -d / | sort -V)
tables="responses typed trajectories states"
echo "1..$(( $(echo "$versions" | wc -w) * 7 ))"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
sq() { psql -XqAt -v ON_ERROR_STOP=1 "$@"; }
for v in $versions; do
  d=$fx/$v
  for how in text binary; do
    db=alliance_fx_$$_$how
    sq -c "CREATE DATABASE $db" >/dev/null
    load="CREATE EXTENSION alliance;"
    if out=$( { echo "$load"; cat "$fx/setup.sql"
               for t in $tables; do
                 if [ "$how" = binary ] && [ -f "$d/$t.bin" ]; then echo "\\copy fx.$t FROM '$d/$t.bin' WITH (FORMAT binary)"
                 else echo "\\copy fx.$t FROM '$d/$t.txt'"; fi
               done; } | sq -d "$db" 2>&1); then
      ok "$v: the current build loads the $how COPY of every fixture table"
    else notok "$v: the current build loads the $how COPY of every fixture table" "$out"; fi
    : > "$tmp/now.txt"; : > "$tmp/then.txt"
    for t in $tables; do sq -d "$db" -c "\\copy fx.$t TO '$tmp/$t.txt'"; cat "$tmp/$t.txt" >> "$tmp/now.txt"; cat "$d/$t.txt" >> "$tmp/then.txt"; done
    if diff -u "$tmp/then.txt" "$tmp/now.txt" > "$tmp/diff"; then ok "$v: $how-loaded values print exactly as $v printed them"
    else notok "$v: $how-loaded values print exactly as $v printed them" "$(head -20 "$tmp/diff")"; fi
    psql -X -d "$db" -f "$fx/checks.sql" > "$tmp/checks.out" 2>&1
    if diff -u "$d/checks.out" "$tmp/checks.out" > "$tmp/diff"; then ok "$v: every value and score of the $how-loaded fixtures is as $v computed it"
    else notok "$v: every value and score of the $how-loaded fixtures is as $v computed it" "$(head -40 "$tmp/diff")"; fi
    sq -c "DROP DATABASE $db" >/dev/null
  done
  db=alliance_fx_$$_dump
  sq -c "CREATE DATABASE $db" >/dev/null
  if out=$(pg_restore --exit-on-error -d "$db" "$d/clinic.dump" 2>&1); then
    psql -X -d "$db" -f "$fx/checks.sql" > "$tmp/checks.out" 2>&1
    if diff -u "$d/checks.out" "$tmp/checks.out" > "$tmp/diff"; then ok "$v: its pg_dump restores under $(sq -d "$db" -c "SELECT extversion FROM pg_extension WHERE extname = 'alliance'") with every value and score unchanged"
    else notok "$v: its pg_dump restores with every value and score unchanged" "$(head -40 "$tmp/diff")"; fi
  else notok "$v: its pg_dump restores with every value and score unchanged" "$out"; fi
  sq -c "DROP DATABASE $db" >/dev/null
done
