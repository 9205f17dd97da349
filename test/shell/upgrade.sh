#!/usr/bin/env bash
# The upgrade chain, as postgresql-hll runs it in every test run: install the
# oldest release's own script, write values of every kind and custom
# instruments, ALTER EXTENSION alliance UPDATE, then
#   - every value and score reads as before (test/fixtures/checks.sql),
#   - the catalogue equals a fresh install's, object by object with every
#     property and comment (test/upgrade/catalog.sql),
#   - an upgrade that would drop an object a user's view needs stops with an
#     error that says what to do, and changes nothing.
# Runs inside pg_virtualenv.
set -u
. "$(dirname "$0")/lib/tap.bash"
root=$(cd "$(dirname "$0")/../.." && pwd)
fx=$root/test/fixtures
default=$(sed -n "s/^default_version = '\(.*\)'/\1/p" "$root/alliance.control")
oldest=$(cd "$root/sql/released" && ls alliance--*.sql | sed 's/alliance--\(.*\)\.sql/\1/' | sort -V | head -1)
echo "1..9"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
sq() { psql -XqAt -v ON_ERROR_STOP=1 "$@"; }
up=alliance_up_$$; fresh=alliance_fresh_$$; blocked=alliance_blocked_$$
sq -c "CREATE DATABASE $up" -c "CREATE DATABASE $fresh" -c "CREATE DATABASE $blocked" >/dev/null

if out=$( { echo "CREATE EXTENSION alliance VERSION '$oldest';"; cat "$fx/setup.sql" "$fx/$oldest/data.sql"; } | sq -d "$up" 2>&1); then
  ok "$oldest installed from its released script, with values of every kind and two custom instruments"
else notok "$oldest installed with values of every kind" "$out"; fi
psql -X -d "$up" -f "$fx/checks.sql" > "$tmp/before.out" 2>&1
if diff -u "$fx/$oldest/checks.out" "$tmp/before.out" > "$tmp/diff"; then ok "$oldest, with the current library, scores its values as $oldest did"
else notok "$oldest, with the current library, scores its values as $oldest did" "$(head -30 "$tmp/diff")"; fi

check "ALTER EXTENSION alliance UPDATE" sq -d "$up" -c "ALTER EXTENSION alliance UPDATE"
is "$(sq -d "$up" -c "SELECT extversion FROM pg_extension WHERE extname = 'alliance'")" "$default" "the extension is now $default"
psql -X -d "$up" -f "$fx/checks.sql" > "$tmp/after.out" 2>&1
if diff -u "$tmp/before.out" "$tmp/after.out" > "$tmp/diff"; then ok "every stored value and score is unchanged by the upgrade"
else notok "every stored value and score is unchanged by the upgrade" "$(head -30 "$tmp/diff")"; fi

sq -d "$fresh" -c "CREATE EXTENSION alliance" >/dev/null
psql -X -d "$up" -f "$root/test/upgrade/catalog.sql" > "$tmp/up.cat" 2>&1
psql -X -d "$fresh" -f "$root/test/upgrade/catalog.sql" > "$tmp/fresh.cat" 2>&1
n=$(grep -c '^    catalog ' "$tmp/fresh.cat")
if [ "$n" -gt 100 ] && diff -u "$tmp/fresh.cat" "$tmp/up.cat" > "$tmp/diff"; then
  ok "the upgraded catalogue equals a fresh $default install ($n objects with every property and comment)"
else notok "the upgraded catalogue equals a fresh $default install ($n objects)" "$(head -60 "$tmp/diff")"; fi

# A view on an overload that 0.2.0 drops: the upgrade names it and stops.
sq -d "$blocked" -c "CREATE EXTENSION alliance VERSION '$oldest'" \
   -c "CREATE TABLE s (client int, session int, score numeric)" \
   -c "CREATE VIEW per_client AS SELECT client, alliance.trajectory(session, score) AS t FROM s GROUP BY client" >/dev/null
out=$(psql -XqAt -d "$blocked" -v VERBOSITY=verbose -c "ALTER EXTENSION alliance UPDATE" 2>&1)
case "$out" in *"2BP01"*"drops trajectory(integer, ...), which view public.per_client use(s)"*"HINT:"*"doc/upgrading.md"*)
  ok "an upgrade that would break a user's view stops with 2BP01, naming the view and what to do";;
  *) notok "an upgrade that would break a user's view stops with 2BP01, naming the view" "$out";; esac
is "$(sq -d "$blocked" -c "SELECT extversion FROM pg_extension WHERE extname = 'alliance'")" "$oldest" "... and leaves the extension at $oldest"
sq -d "$blocked" -c "DROP VIEW per_client" -c "ALTER EXTENSION alliance UPDATE" \
   -c "CREATE VIEW per_client AS SELECT client, alliance.trajectory(session, score) AS t FROM s GROUP BY client" >/dev/null 2>"$tmp/err"
is "$(sq -d "$blocked" -c "SELECT extversion FROM pg_extension WHERE extname = 'alliance'") $(sq -d "$blocked" -c "SELECT count(*) FROM per_client")" "$default 0" \
   "dropping the view, updating and recreating it from the same SQL works"
sq -c "DROP DATABASE $up" -c "DROP DATABASE $fresh" -c "DROP DATABASE $blocked" >/dev/null
