#!/usr/bin/env bash
# Alerts of a watched table (doc/alerts.md) where one connection is not
# enough to tell: notifications arrive on commit and never for a rolled-back
# session (the listener of doc/examples/alerts_listener.py, as an application
# would run it); concurrent writers (pgbench, 4 clients,
# ALLIANCE_PGBENCH_SECONDS, default 20; the issue's long run is 60) for
# overlapping clients fail nothing, double nothing, and leave exactly the
# alerts the window function gives; pg_dump and pg_restore keep the table
# watched and its alerts.  Runs inside pg_virtualenv.
set -u
. "$(dirname "$0")/lib/tap.bash"
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
secs=${ALLIANCE_PGBENCH_SECONDS:-20}
# Debian's Python with python3-psycopg2, on the system's libpq (a source-built
# server's lib/ on LD_LIBRARY_PATH may hold an ASan-built libpq)
py="env -u LD_LIBRARY_PATH /usr/bin/python3"
echo "1..11"
db=alliance_alerts_$$
tmp=$(mktemp -d); trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$tmp"' EXIT
sq() { psql -XqAt -v ON_ERROR_STOP=1 -d "$db" "$@"; }
psql -XqAt -c "CREATE DATABASE $db" >/dev/null
sq -c "CREATE EXTENSION alliance" \
   -c "CREATE TABLE sessions (client int, session int, r alliance.response(srs), UNIQUE (client, session))" \
   -c "SET client_min_messages = warning" -c "SELECT alliance.watch('sessions', 'client', 'session', 'r')" >/dev/null
steady="(1, 1, 'srs(9,9,9,9)'), (1, 2, 'srs(9,9,9,9)'), (1, 3, 'srs(9,9,9,9)'), (1, 4, 'srs(9,9,9,9)')"
sq -c "INSERT INTO sessions VALUES $steady" >/dev/null

# 1. the listener of the docs: nothing before commit, nothing for a rollback, the alert after commit
$py "$root/doc/examples/alerts_listener.py" "dbname=$db" --count 2 --timeout 20 > "$tmp/listen.out" 2>&1 &
listener=$!
for _ in $(seq 1 50); do grep -q listening "$tmp/listen.out" 2>/dev/null && break; sleep 0.1; done
sq -c "BEGIN" -c "INSERT INTO sessions VALUES (1, 5, 'srs(5,5,5,5)')" -c "ROLLBACK" >/dev/null
mkfifo "$tmp/tx"
psql -XqAt -v ON_ERROR_STOP=1 -d "$db" < "$tmp/tx" > "$tmp/tx.out" 2>&1 &
writer=$!
exec 3> "$tmp/tx"
echo "BEGIN; INSERT INTO sessions VALUES (1, 5, 'srs(7,7,7,6)'); SELECT 'inserted';" >&3
for _ in $(seq 1 50); do grep -q inserted "$tmp/tx.out" 2>/dev/null && break; sleep 0.1; done
sleep 1
is "$(grep -c '^alert' "$tmp/listen.out")" "0" "nothing is notified for a rolled-back session, nor before the writer commits"
echo "COMMIT;" >&3; exec 3>&-; wait $writer
wait $listener
is "$(grep -c '^alert' "$tmp/listen.out")" "2" "after the commit the listener receives both alerts of the session (rupture and cut-off)"
if grep -q 'client 1 session 5: rupture (level), open, {"drop": 9.0, "level": 36.0, "score": 27.0, "threshold": 7.2}' "$tmp/listen.out"; then
  ok "... and reads the rupture alert from its table by the id in the notification"
else notok "the listener reads the alert" "$(cat "$tmp/listen.out")"; fi
if sq -c "LISTEN alliance_alert" -c "INSERT INTO sessions VALUES (1, 6, 'srs(9,9,9,9)')" 2>&1 | grep -q 'Asynchronous notification'; then
  notok "a repair raises no new notification"
else ok "a repair raises no new notification (it resolves the alert)"; fi
is "$(sq -c "SELECT status || ':' || resolved_by FROM sessions_alerts WHERE kind = 'rupture'")" "resolved:repair" "the rupture alert is resolved by the repair"

# 2. concurrent writers for overlapping clients
sq -c "TRUNCATE sessions, sessions_alerts" >/dev/null
pgbench -n -c 4 -j 2 -T "$secs" -d "$db" -f "$here/pgbench/alert_writer.sql" > "$tmp/pgbench.out" 2>&1; rc=$?
tx=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$tmp/pgbench.out")
failed=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' "$tmp/pgbench.out"); failed=${failed:-0}
if [ "$rc" -eq 0 ] && [ "${tx:-0}" -gt 0 ] && [ "$failed" -eq 0 ]; then ok "pgbench, 4 writers for 30 clients, ${secs}s: $tx transactions, none failed, no deadlock"
else notok "pgbench: no failed transaction" "$(grep -v '^progress' "$tmp/pgbench.out" | tail -20)"; fi
n=$(sq -c "SELECT count(*) FROM sessions_alerts")
[ "${n:-0}" -gt 0 ] && ok "$n alerts raised during the run" || notok "alerts raised during the run" "none"
is "$(sq -c "SELECT count(*) FROM (SELECT client, session_key, kind, method FROM sessions_alerts GROUP BY 1, 2, 3, 4 HAVING count(*) > 1) d")" "0" \
   "no alert is doubled"
fired="SELECT client, session, m FROM (SELECT client, session, m,
         alliance.rupture_alert(session, r, m) OVER (PARTITION BY client, m ORDER BY session) AS f
       FROM sessions, unnest(ARRAY['level', 'cutoff']) m) x WHERE f"
is "$(sq -c "SELECT count(*) FROM (($fired EXCEPT SELECT client, session_key, method FROM sessions_alerts)
                                   UNION ALL (SELECT client, session_key, method FROM sessions_alerts EXCEPT $fired)) d")" "0" \
   "the alerts equal what rupture_alert gives for every client's series"

# 3. dump and restore
before=$(sq -c "SELECT count(*), string_agg(client || '/' || session_key || '/' || kind || '/' || status, ',' ORDER BY id) FROM sessions_alerts")
pg_dump -Fc -d "$db" -f "$tmp/db.dump"
psql -XqAt -c "CREATE DATABASE ${db}_r" >/dev/null
pg_restore -d "${db}_r" "$tmp/db.dump" 2> "$tmp/restore.err"
r() { psql -XqAt -v ON_ERROR_STOP=1 -d "${db}_r" "$@"; }
is "$(r -c "SELECT source || ' -> ' || alerts || ' ' || methods::text FROM alliance.watched")" "sessions -> sessions_alerts {cutoff,level}" \
   "after pg_restore the table is still watched, with its alerts table and rules"
r -c "INSERT INTO sessions VALUES (999, 1, 'srs(9,9,9,9)'), (999, 2, 'srs(9,9,9,9)'), (999, 3, 'srs(9,9,9,9)'), (999, 4, 'srs(9,9,9,9)'),
                                  (999, 5, 'srs(5,5,5,5)')" >/dev/null
is "$(r -c "SELECT count(*) FILTER (WHERE client <> 999), count(*) FILTER (WHERE client = 999) FROM sessions_alerts"),$before" \
   "$(echo "$before" | cut -d'|' -f1)|2,$before" "its alerts are intact and a session written after the restore raises its alerts"
psql -XqAt -c "DROP DATABASE ${db}_r" -c "DROP DATABASE $db" >/dev/null
