#!/usr/bin/env bash
# Crash recovery: a backend killed with SIGKILL during a bulk insert into a
# table with a generated alliance.total(r) column, and one killed inside a
# transaction that defined an instrument.  After PostgreSQL's crash recovery
# every committed row reads and scores as before, the uncommitted ones are
# gone, and the custom-instrument catalogue is consistent.  Runs inside
# pg_virtualenv as root (it signals server processes).
set -u
. "$(dirname "$0")/lib/tap.bash"
echo "1..8"
db=alliance_crash_$$
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
sq() { psql -XqAt -v ON_ERROR_STOP=1 -d "$db" "$@"; }
wait_up() { for _ in $(seq 1 120); do psql -XqAt -d "$db" -c "SELECT 1" >/dev/null 2>&1 && return 0; sleep 0.5; done; return 1; }
pid_of() {  # the backend running a statement that matches $1
  for _ in $(seq 1 100); do
    p=$(psql -XqAt -d "$db" -c "SELECT pid FROM pg_stat_activity WHERE query LIKE '$1' AND pid <> pg_backend_pid() LIMIT 1")
    [ -n "$p" ] && { echo "$p"; return 0; }; sleep 0.1
  done; return 1
}
psql -XqAt -c "CREATE DATABASE $db" >/dev/null
sq -c "CREATE EXTENSION alliance" -c "SELECT alliance.define_instrument('cform', 'Crash form', 5, 1, 7, reversed => '{3}', score => 'mean')" \
   -c "CREATE TABLE bulk (id bigint PRIMARY KEY, r alliance.response, c alliance.response(cform),
         t numeric GENERATED ALWAYS AS (alliance.total(r)) STORED, m numeric GENERATED ALWAYS AS (alliance.score(c)) STORED)" >/dev/null
fill="INSERT INTO bulk (id, r, c)
      SELECT i, alliance.response('srs', ARRAY[i % 101 / 10.0, 9, (i * 7) % 101 / 10.0, 5]::numeric[]),
                alliance.response('cform', ARRAY[1 + i % 7, 1 + (i / 7) % 7, 4, 1 + (i / 49) % 7, 2]::numeric[])
      FROM generate_series"
sq -c "$fill(1, 200000) i" >/dev/null
before=$(sq -c "SELECT count(*), sum(t), sum(m), md5(string_agg(r::text || c::text, ',' ORDER BY id)) FROM bulk")

# 1. SIGKILL during a 3 000 000-row insert
psql -XqAt -d "$db" -c "/* crashme */ $fill(200001, 3200000) i" > "$tmp/bulk.out" 2>&1 &
bg=$!
pid=$(pid_of '%crashme%')
sleep 2
if [ -n "$pid" ] && kill -9 "$pid"; then ok "SIGKILL to the backend inserting 3 000 000 rows (pid $pid)"; else notok "SIGKILL to the inserting backend" "no backend found"; fi
wait $bg 2>/dev/null
if wait_up; then ok "the server recovers and accepts connections"; else notok "the server recovers" "$(tail -5 "$tmp/bulk.out")"; fi
is "$(sq -c "SELECT count(*), sum(t), sum(m), md5(string_agg(r::text || c::text, ',' ORDER BY id)) FROM bulk")" "$before" \
   "every committed row is there, reads the same and has the same stored scores; no uncommitted row is"
is "$(sq -c "SELECT count(*) FROM bulk WHERE t IS DISTINCT FROM alliance.total(r) OR m IS DISTINCT FROM alliance.score(c)")" "0" \
   "every stored score equals the score computed again"

# 2. SIGKILL inside a transaction that defined an instrument (and used it)
psql -XqAt -d "$db" -c "BEGIN" -c "SELECT alliance.define_instrument('ghost', 'Never committed', 3, 0, 4)" \
   -c "CREATE TABLE ghostly (r alliance.response(ghost))" -c "INSERT INTO ghostly VALUES ('ghost(1,2,3)')" \
   -c "/* crashdef */ SELECT pg_sleep(30)" -c "COMMIT" > "$tmp/def.out" 2>&1 &
bg=$!
pid=$(pid_of '%crashdef%')
if [ -n "$pid" ] && kill -9 "$pid"; then ok "SIGKILL to a backend inside a transaction that defined an instrument"; else notok "SIGKILL inside define_instrument's transaction" "no backend found"; fi
wait $bg 2>/dev/null; wait_up
is "$(sq -c "SELECT string_agg(code, ',' ORDER BY code) FROM alliance.instruments WHERE NOT builtin")" "cform" \
   "the uncommitted definition is gone and the committed one is intact"
check "the catalogue is consistent: the code can be defined again, and the old one still scores" \
  sq -c "SELECT alliance.define_instrument('ghost', 'Now committed', 3, 0, 4)" -c "SELECT alliance.total('ghost(1,2,3)')" \
     -c "SELECT alliance.score('cform(7,1,4,7,2)')"
is "$(sq -c "SELECT alliance.score('cform(7,1,4,7,2)')")" "4.2" "... with the right score (item 3 reversed, 1 + 7 - 4 = 4: (7+1+4+7+2)/5)"
psql -XqAt -c "DROP DATABASE $db" >/dev/null
