#!/usr/bin/env bash
# statement_timeout (and so pg_cancel_backend) stops long alliance work
# cleanly: a trajectory aggregation over 100 million rows, the FHIR walk of a
# 200 000-item QuestionnaireResponse, an SVG chart and ruptures of a
# 2 000 000-session trajectory.  Each is cancelled with 57014 and the session
# goes on working.  Runs inside pg_virtualenv.
set -u
. "$(dirname "$0")/lib/tap.bash"
echo "1..5"
db=alliance_intr_$$
psql -XqAt -c "CREATE DATABASE $db" >/dev/null
sq() { psql -XqAt -v ON_ERROR_STOP=1 -d "$db" "$@"; }
sq -c "CREATE EXTENSION alliance" \
   -c "CREATE TABLE big_qr AS SELECT ('{\"resourceType\":\"QuestionnaireResponse\",\"status\":\"completed\",\"item\":['
        || string_agg('{\"linkId\":\"g' || g || '\",\"item\":[{\"linkId\":\"h' || g || '\",\"item\":[{\"linkId\":\"k' || g || '\"}]}]}', ',')
        || ',{\"linkId\":\"1\",\"answer\":[{\"valueDecimal\":9}]}]}')::jsonb AS d FROM generate_series(1, 200000) g" \
   -c "CREATE TABLE big_t AS SELECT alliance.trajectory(i, (20 + i % 13)::numeric) AS t FROM generate_series(1, 2000000) i" >/dev/null
cancelled() {  # description, statement: cancelled with 57014 after 100 ms
  local out
  out=$(psql -XqAt -d "$db" -v VERBOSITY=verbose -c "SET statement_timeout = '100ms'" -c "$2" 2>&1)
  case "$out" in *"57014"*"canceling statement due to statement timeout"*) ok "$1";; *) notok "$1" "$(echo "$out" | head -5)";; esac
}
cancelled "a trajectory aggregation over 100 million rows is cancelled (57014)" \
  "SELECT alliance.sessions(alliance.trajectory(i % 5000000, 1.0, 'max')) FROM generate_series(1, 100000000) i"
cancelled "the FHIR walk of a 200 000-item QuestionnaireResponse, repeated, is cancelled" \
  "SELECT count(alliance.from_fhir(d, 'srs')) FROM big_qr, generate_series(1, 1000)"
cancelled "SVG charts of a 2 000 000-session trajectory, repeated, are cancelled" \
  "SELECT sum(length(alliance.svg(t, method => 'stiles'))) FROM big_t, generate_series(1, 1000)"
cancelled "ruptures of a 2 000 000-session trajectory, repeated, are cancelled" \
  "SELECT count(*) FROM big_t, generate_series(1, 1000), alliance.ruptures(t, 'drop', points => 5)"
is "$(sq -c "SELECT alliance.total('srs(9,9,9,9)'), alliance.sessions(t) FROM big_t")" "36.0|2000000" "the session goes on working afterwards"
psql -XqAt -c "DROP DATABASE $db" >/dev/null
