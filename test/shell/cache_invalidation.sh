#!/usr/bin/env bash
# Definitions are cached per backend; a change made by another session must
# be seen at once (the configuration table's statement trigger invalidates
# every backend's cache).  Session A stays connected throughout.
set -u
. "$(dirname "$0")/lib/tap.bash"
echo "1..5"
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
printf '\\q\n' >&"${A[1]}"; wait "$A_PID" 2>/dev/null
psql -XqAt -c "DROP DATABASE $db" >/dev/null
