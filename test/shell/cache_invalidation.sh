#!/usr/bin/env bash
# Definitions are cached per backend; a change made by another session must
# be seen at once (the configuration table's statement trigger invalidates
# every backend's cache).  Session A stays connected throughout.
set -u
. "$(dirname "$0")/lib/tap.bash"
echo "1..13"
db=alliance_cache_$$
psql -XqAt -c "CREATE DATABASE $db" >/dev/null
psql -XqAt -d "$db" -c "CREATE EXTENSION alliance" -c "SELECT alliance.define_instrument('inv', 'v1', 2, 1, 3)" >/dev/null

coproc A { psql -XqAt -d "$db" 2>&1; }
ask() {  # one statement in session A, its output up to a marker
  printf '%s\n\\echo __end__\n' "$1" >&"${A[1]}"
  local line out=''
  while IFS= read -r -t 20 line <&"${A[0]}"; do
    [ "$line" = "__end__" ] && break
    out+="${out:+ }$line"
  done
  printf '%s' "$out"
}
printf '\\set VERBOSITY terse\n' >&"${A[1]}"
B() { psql -XqAt -v ON_ERROR_STOP=1 -d "$db" -c "$1" >/dev/null 2>&1; }

is "$(ask "SELECT alliance.total('inv(3,3)');")" "6" "session A scores with the first definition (and caches it)"
B "SELECT alliance.drop_instrument('inv'); SELECT alliance.define_instrument('inv', 'v2', 3, 0, 5)"
is "$(ask "SELECT alliance.total('inv(5,5,5)');")" "15" "session A sees session B's new definition of the code"
is "$(ask "SELECT 'inv(3,3)'::alliance.response;")" "ERROR:  wrong number of items for inv: 2 given, 3 expected at character 8" \
   "session A no longer accepts values of the old definition"
B "SELECT alliance.define_instrument('inv_new', 'new', 1, 0, 1)"
is "$(ask "SELECT alliance.total('inv_new(1)');")" "1" "session A sees a code defined by session B"
B "SELECT alliance.drop_instrument('inv_new')"
is "$(ask "SELECT 'inv_new(1)'::alliance.response;")" \
   'ERROR:  unknown instrument "inv_new" at character 8' \
   "session A sees the drop"

# Calibrated norms are cached with the definitions: another session's
# calibration and its reset reach session A's next statement.
is "$(ask "SELECT threshold FROM alliance.ruptures('int:srs{1=38,2=38,3=38,4=30}');")" "7.2" \
   "session A's rupture rule uses the published SRS norms (3 x 2.4)"
B "INSERT INTO alliance.calibrated_norms (instrument, sd, reliability, error_sd, clients, sessions, source) VALUES ('srs', 5, 0.96, 1, 40, 400, 'test')"
is "$(ask "SELECT threshold FROM alliance.ruptures('int:srs{1=38,2=38,3=38,4=30}');")" "3.0" \
   "session A sees session B's calibration at once (3 x 1)"
B "SELECT alliance.reset_norms('srs')"
is "$(ask "SELECT threshold FROM alliance.ruptures('int:srs{1=38,2=38,3=38,4=30}');")" "7.2" \
   "session A sees the reset"

# A definition committed while session A's statement runs (A's statement
# snapshot predates it) must not leave A with a stale cache.
psql -XqAt -d "$db" -c "CREATE TABLE v (t text)" -c "INSERT INTO v VALUES ('inv(1,1,1)')" >/dev/null
ask "SELECT alliance.total('inv(1,1,1)');" >/dev/null      # A has a cache ...
B "SELECT alliance.define_instrument('pre', 'pre', 1, 0, 1)"  # ... which A drops when its next statement starts
printf '%s\n\\echo __end__\n' "SELECT s, alliance.total(t::alliance.response) FROM (SELECT pg_sleep(2) s, t FROM v) x;" >&"${A[1]}"
sleep 0.5
B "SELECT alliance.define_instrument('late', 'late', 1, 0, 1)"
while IFS= read -r -t 20 line <&"${A[0]}"; do [ "$line" = "__end__" ] && break; done
is "$(ask "SELECT alliance.total('late(1)');")" "1" \
   "a definition committed during A's statement is seen by A's next statement"

# Dropping a definition and storing a value of it at the same time: the drop
# locks the tables that can hold responses, so the insert waits and then fails;
# no value of a dropped code is ever stored.
psql -XqAt -d "$db" -c "SELECT alliance.define_instrument('racy', 'racy', 3, 1, 3)" -c "CREATE TABLE store (r alliance.response)" >/dev/null
( psql -XqAt -v ON_ERROR_STOP=1 -d "$db" -c "BEGIN" -c "SELECT alliance.drop_instrument('racy')" -c "SELECT pg_sleep(2)" -c "COMMIT" >/dev/null 2>&1 ) &
dropper=$!
sleep 1
out=$(psql -XqAt -d "$db" -c "INSERT INTO store VALUES ('racy(1,2,3)')" 2>&1)
wait "$dropper"; dropped=$?
is "$dropped" "0" "the drop commits"
case "$out" in *'unknown instrument "racy"'*) ok "the concurrent insert waited for the drop and was refused";;
  *) notok "the concurrent insert waited for the drop and was refused" "$out";; esac
is "$(psql -XqAt -d "$db" -c "SELECT count(*) FROM store")" "0" "no value of the dropped code was stored"

# Two sessions defining the same code at once: the loser gets 42710, not a key violation.
( psql -XqAt -d "$db" -c "BEGIN" -c "SELECT alliance.define_instrument('twice', 'one', 1, 0, 1)" -c "SELECT pg_sleep(1.5)" -c "COMMIT" >/dev/null 2>&1 ) &
first=$!
sleep 0.5
out=$(psql -XqAt -d "$db" -v VERBOSITY=verbose -c "SELECT alliance.define_instrument('twice', 'two', 1, 0, 1)" 2>&1)
wait "$first"
case "$out" in *42710*'instrument "twice" is already defined'*) ok "a concurrent duplicate definition is 42710";;
  *) notok "a concurrent duplicate definition is 42710" "$out";; esac

printf '\\q\n' >&"${A[1]}"; wait "$A_PID" 2>/dev/null
psql -XqAt -c "DROP DATABASE $db" >/dev/null
