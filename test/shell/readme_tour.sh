#!/usr/bin/env bash
# The README's tour runs as written: every ```sql block, in order, in a fresh
# database.  The only errors are the ones the README shows (as "-- ERROR:"
# comments), and the values it quotes in comments appear in the output.
set -u
. "$(dirname "$0")/lib/tap.bash"
readme="$(dirname "$0")/../../README.md"
echo "1..8"
db=alliance_readme_$$
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
awk '/^```sql$/ {on=1; next} /^```$/ {on=0} on' "$readme" > "$tmp/tour.sql"
psql -XqAt -c "CREATE DATABASE $db" >/dev/null
psql -X -d "$db" -f "$tmp/tour.sql" > "$tmp/out" 2>&1
grep -o 'ERROR:  .*' "$tmp/out" > "$tmp/errors"
grep -o '^-- ERROR:  .*' "$tmp/tour.sql" | sed 's/^-- //' > "$tmp/expected_errors"
if diff "$tmp/expected_errors" "$tmp/errors" > "$tmp/diff"; then ok "the tour raises exactly the errors it shows"
else notok "the tour raises exactly the errors it shows" "$(cat "$tmp/diff")"; fi
for v in '49.0909090909090909' 'open_rupture' '35.2' '2 | open_rupture | *7 | *3$' '2 | *5 | rupture *| 9.0' '75 | *56.25 | *18.75 | f' '^ *5 | *20 | *1$'; do
  if grep -q -- "$v" "$tmp/out"; then ok "the output shows $v"; else notok "the output shows $v" "$(cat "$tmp/out")"; fi
done
psql -XqAt -c "DROP DATABASE $db" >/dev/null
