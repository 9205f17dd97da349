#!/usr/bin/env bash
# Sessions sharded by client over postgres_fdw (doc/scale-out.md): a
# coordinator database whose table is partitioned by client into foreign
# tables on two shard databases (loopback connections; the FDW boundary, not
# the cluster, is what decides what is pushed down); partitioned by ranges of
# client, so a query grouped by client has the partition key in its GROUP BY.  Checks that clinic-wide
# summary and alpha over the sharded table equal the single-node answer
# (partial states combined on the coordinator), that per-client status does
# too and is computed on the shards (the whole aggregate in the remote SQL),
# that a custom instrument defined alike on every node reads across, and
# that a definition or calibration that differs on a shard is caught by
# comparing fingerprints and active norms.
set -u
. "$(dirname "$0")/lib/tap.bash"
echo "1..10"
p=so_$$
sq() { local db=$1; shift; psql -XqAt -v ON_ERROR_STOP=1 -d "$db" "$@"; }
for db in ${p}_coord ${p}_s1 ${p}_s2 ${p}_single; do psql -XqAt -c "CREATE DATABASE $db" >/dev/null; done
host=$(psql -XqAt -c "SELECT split_part(current_setting('unix_socket_directories'), ',', 1)")
port=$(psql -XqAt -c "SHOW port")
me=$(psql -XqAt -c "SELECT current_user")
define="SELECT alliance.define_instrument('mood3', 'Three mood sliders', 3, 0, 10, step => 0.5)"
rows="SELECT c, s, alliance.response('srs', ARRAY[least(10, 6 + (c % 4) + (s % 3) * 0.5), 8 + (c * s % 5) * 0.4, 9 - (c % 3) * 0.5,
                 CASE WHEN s = 6 AND c % 5 = 0 THEN 4 ELSE 8.5 END]::numeric[]),
             alliance.response('mood3', ARRAY[(c % 21) * 0.5, 5, (s % 11)]::numeric[])
      FROM generate_series(1, 400) c, generate_series(1, 12) s"
for db in ${p}_s1 ${p}_s2 ${p}_single ${p}_coord; do
  sq "$db" -c "CREATE EXTENSION alliance" -c "$define" >/dev/null
done
for i in 1 2; do
  sq ${p}_s$i -c "CREATE TABLE sessions (client int, session int, r alliance.response(srs), m alliance.response(mood3))" \
     -c "INSERT INTO sessions $rows WHERE (c - 1) / 200 = $(( i - 1 ))" >/dev/null
done
sq ${p}_single -c "CREATE TABLE sessions (client int, session int, r alliance.response(srs), m alliance.response(mood3))" \
   -c "INSERT INTO sessions $rows" >/dev/null
sq ${p}_coord -c "CREATE EXTENSION postgres_fdw" \
   -c "CREATE TABLE sessions (client int, session int, r alliance.response(srs), m alliance.response(mood3)) PARTITION BY RANGE (client)" >/dev/null
for i in 1 2; do
  sq ${p}_coord -c "CREATE SERVER shard$i FOREIGN DATA WRAPPER postgres_fdw
                      OPTIONS (host '$host', port '$port', dbname '${p}_s$i', extensions 'alliance')" \
     -c "CREATE USER MAPPING FOR CURRENT_USER SERVER shard$i OPTIONS (user '$me')" \
     -c "CREATE FOREIGN TABLE sessions_s$i PARTITION OF sessions FOR VALUES FROM ($(( (i - 1) * 200 + 1 ))) TO ($(( i * 200 + 1 ))) SERVER shard$i OPTIONS (table_name 'sessions')" >/dev/null
done
co() { sq ${p}_coord -c "SET enable_partitionwise_aggregate = on" -c "$1"; }

summary="SELECT (s).n, round((s).mean, 9), round((s).sd, 9), round((s).at_risk_share, 9), round((s).ceiling_share, 9)
         FROM (SELECT alliance.summary(r) AS s FROM sessions) x"
single=$(sq ${p}_single -c "$summary"); sharded=$(co "$summary")
is "$sharded" "$single" "clinic-wide summary over two shards equals the single node ($single)"
alpha="SELECT round(alliance.alpha(r), 12), round(alliance.alpha(m), 12) FROM sessions"
is "$(co "$alpha")" "$(sq ${p}_single -c "$alpha")" "clinic-wide alpha of a built-in and a custom instrument equals the single node"
plan=$(co "EXPLAIN (VERBOSE, COSTS OFF) $summary")
if grep -q 'Partial Aggregate' <<<"$plan" && grep -q 'Finalize Aggregate' <<<"$plan" && ! grep -q 'Remote SQL: SELECT alliance.summary' <<<"$plan"; then
  ok "the summary's rows come from the shards and its partial states combine on the coordinator"
else notok "summary plan: partial aggregation per shard" "$plan"; fi

status="SELECT string_agg(client || ':' || st, ',' ORDER BY client) FROM
          (SELECT client, alliance.status(alliance.trajectory(session, r)) AS st FROM sessions GROUP BY client) x"
is "$(co "$status")" "$(sq ${p}_single -c "$status")" "per-client status over the shards equals the single node (400 clients)"
plan=$(co "EXPLAIN (VERBOSE, COSTS OFF) SELECT client, alliance.status(alliance.trajectory(session, r)) FROM sessions GROUP BY client")
if [ "$(grep -F 'Remote SQL: SELECT client, alliance.status(alliance.trajectory(session, r)' <<<"$plan" | grep -c 'GROUP BY 1')" = 2 ]; then
  ok "per-client status is computed on each shard: the whole aggregate and its accessor in the remote SQL"
else notok "per-client status pushed down to both shards" "$plan"; fi
opens="SELECT count(*) FROM (SELECT client, alliance.status(alliance.trajectory(session, r)) AS st FROM sessions GROUP BY client) x WHERE st <> 'stable'"
is "$(co "$opens")" "$(sq ${p}_single -c "$opens")" "... and the clients flagged are the same"

scores="SELECT sum(alliance.score(m)) FROM sessions"
is "$(co "$scores")" "$(sq ${p}_single -c "$scores")" "a custom instrument defined alike on every node scores the same across shards"
# doc/scale-out.md's check that every node has the same definitions
for i in 1 2; do
  sq ${p}_coord -c "CREATE FOREIGN TABLE instruments_s$i (code text, fingerprint text, active_sd numeric, active_reliability numeric) SERVER shard$i
                      OPTIONS (schema_name 'alliance', table_name 'instruments')" >/dev/null
done
drift="SELECT coalesce(string_agg(node || ':' || code, ',' ORDER BY node, code), 'none') FROM (
         SELECT 's1' AS node, * FROM instruments_s1 UNION ALL SELECT 's2', * FROM instruments_s2) s
       LEFT JOIN alliance.instruments c USING (code)
       WHERE (c.fingerprint, c.active_sd, c.active_reliability) IS DISTINCT FROM (s.fingerprint, s.active_sd, s.active_reliability)"
is "$(sq ${p}_coord -c "$drift")" "none" "every shard has the coordinator's definitions, fingerprint for fingerprint"
sq ${p}_s2 -c "SELECT alliance.define_instrument('mood3x', 'Three mood sliders', 3, 0, 10, step => 1)" >/dev/null
is "$(sq ${p}_coord -c "$drift")" "s2:mood3x" "a definition only one shard has is found"
sq ${p}_s1 -c "INSERT INTO alliance.calibrated_norms (instrument, sd, reliability, error_sd, clients, sessions, source)
               VALUES ('srs', 5, 0.96, 1, 40, 400, 'shard 1 only')" >/dev/null
is "$(sq ${p}_coord -c "$drift")" "s1:srs,s2:mood3x" "... and so is a calibration only one shard has (its rupture rule would differ)"
for db in ${p}_coord ${p}_s1 ${p}_s2 ${p}_single; do psql -XqAt -c "DROP DATABASE $db" >/dev/null; done
