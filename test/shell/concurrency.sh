#!/usr/bin/env bash
# Concurrency: pgbench with 4 clients for ALLIANCE_PGBENCH_SECONDS (default
# 20; the issue's long run is 60): writers insert responses of a custom
# instrument (with generated score columns), an administrator defines and
# drops other instruments, an analyst reads aggregates, and somebody keeps
# trying to drop the instrument in use.  No transaction may fail, every drop
# of the used instrument is refused (2BP01), and every stored score is right
# afterwards.  Runs inside pg_virtualenv.
set -u
. "$(dirname "$0")/lib/tap.bash"
here=$(cd "$(dirname "$0")" && pwd)
secs=${ALLIANCE_PGBENCH_SECONDS:-20}
echo "1..6"
db=alliance_conc_$$
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
sq() { psql -XqAt -v ON_ERROR_STOP=1 -d "$db" "$@"; }
psql -XqAt -c "CREATE DATABASE $db" >/dev/null
sq -c "CREATE EXTENSION alliance" \
   -c "SELECT alliance.define_instrument('cform', 'Session form', 5, 1, 7, reversed => '{3}', score => 'mean')" \
   -c "CREATE TABLE visits (id bigserial PRIMARY KEY, client int, c alliance.response(cform), srs alliance.response(srs),
         m numeric GENERATED ALWAYS AS (alliance.score(c)) STORED, t numeric GENERATED ALWAYS AS (alliance.total(srs)) STORED)" \
   -c "CREATE TABLE drop_attempts (outcome text)" \
   -c "INSERT INTO visits (client, c, srs) VALUES (1, 'cform(1,1,4,1,1)', 'srs(9,9,9,9)')" >/dev/null
pgbench -n -c 4 -j 2 -T "$secs" -d "$db" \
  -f "$here/pgbench/writer.sql@10" -f "$here/pgbench/definer.sql@1" -f "$here/pgbench/reader.sql@2" -f "$here/pgbench/dropper.sql@1" \
  > "$tmp/pgbench.out" 2>&1; rc=$?
tx=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$tmp/pgbench.out")
failed=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' "$tmp/pgbench.out"); failed=${failed:-0}
if [ "$rc" -eq 0 ] && [ "${tx:-0}" -gt 0 ] && [ "$failed" -eq 0 ]; then ok "pgbench, 4 clients, ${secs}s: $tx transactions, none failed"
else notok "pgbench, 4 clients, ${secs}s: no failed transaction" "$(grep -v '^progress' "$tmp/pgbench.out" | tail -20)"; fi
is "$(sq -c "SELECT count(*) FROM drop_attempts WHERE outcome = 'dropped'")" "0" "the instrument in use was never dropped"
n=$(sq -c "SELECT count(*) FROM drop_attempts WHERE outcome = 'refused'")
[ "${n:-0}" -gt 0 ] && ok "$n concurrent drops of it were refused with 2BP01" || notok "concurrent drops were refused with 2BP01" "none attempted"
is "$(sq -c "SELECT count(*) FROM visits WHERE m IS DISTINCT FROM alliance.score(c) OR t IS DISTINCT FROM alliance.total(srs)
             OR m <> (alliance.item(c, 1) + alliance.item(c, 2) + (8 - alliance.item(c, 3)) + alliance.item(c, 4) + alliance.item(c, 5)) / 5")" "0" \
   "every stored score equals the score by hand and computed again"
is "$(sq -c "SELECT string_agg(code, ',') FROM alliance.custom_instruments")" "cform" "every scratch form defined was dropped again; the catalogue holds only the form in use"
is "$(sq -c "SELECT alliance.instrument_use('cform')")" "public.visits.c" "the form in use is still in use"
psql -XqAt -c "DROP DATABASE $db" >/dev/null
