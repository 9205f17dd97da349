#!/usr/bin/env bash
# Memory under hostile input: each of the hostile suite's largest inputs runs
# in a fresh backend, and the backend's peak resident memory (VmHWM, read
# from /proc/self/status by the backend itself) is compared with its peak
# after connecting.  Each must stay within a bound proportional to what the
# input holds, never grow with anything else: a 10^6-item array, 1 MB
# strings, a 10 000-deep jsonb, one client with 1 000 000 sessions, 200 000
# clients spilling at work_mem = 64kB.  The numbers are printed; the bounds
# are generous (a few times the input's own size) so that only a real
# leak or an unbounded copy fails.  Runs inside pg_virtualenv (superuser: it
# reads /proc through pg_read_file).
set -u
. "$(dirname "$0")/lib/tap.bash"
db=alliance_mem_$$
psql -XqAt -c "CREATE DATABASE $db" >/dev/null
psql -XqAt -d "$db" -c "CREATE EXTENSION alliance" >/dev/null

# peak_mb SQL: the growth of the backend's peak RSS (MB) while running SQL (errors are fine)
peak_mb() {
  psql -XqAt -d "$db" -v ON_ERROR_STOP=0 2>/dev/null <<SQL | tail -1
SET search_path = alliance, public;
SELECT substring(pg_read_file('/proc/self/status') from 'VmHWM:\s*(\d+)')::bigint AS base \gset
$1;
SELECT round((substring(pg_read_file('/proc/self/status') from 'VmHWM:\s*(\d+)')::bigint - :base) / 1024.0);
SQL
}

cases=(
  "80|a 1 000 000-item array as a response|SELECT response('srs', array_fill(9::numeric, ARRAY[1000000]))"
  "80|a 1 MB response text|SELECT total(('srs(' || repeat('9', 1000000) || ',9,9,9)')::response)"
  "80|a 1 MB method name|SELECT status('int{1=1,2=0}', repeat('x', 1000000))"
  "80|a 100 000-session trajectory text|SELECT ('int{' || string_agg(i || '=1', ',') || '}')::trajectory::text IS NOT NULL FROM generate_series(1, 100000) i"
  "80|jsonb 10 000 deep into from_fhir|SELECT from_fhir((repeat('[', 10000) || repeat(']', 10000))::jsonb)"
  "80|QuestionnaireResponse items 5 000 deep|SELECT from_fhir(('{\"resourceType\":\"QuestionnaireResponse\",\"status\":\"completed\",\"item\":[' || repeat('{\"linkId\":\"g\",\"item\":[', 5000) || '{\"linkId\":\"1\"}' || repeat(']}', 5000) || ']}')::jsonb, 'srs')"
  "200|one client with 1 000 000 sessions|SELECT status(t, 'drop', points => 5), (SELECT count(*) FROM ruptures(t, 'drop', points => 5)) FROM (SELECT trajectory(i, 30 + (i % 7)::numeric) AS t FROM generate_series(1, 1000000) i) x"
  "80|200 000 clients, hash aggregation spilling at work_mem = 64kB|SET work_mem = '64kB'; SET enable_sort = off; SELECT count(*) FROM (SELECT c, status(trajectory(s, 30 + (c * s % 5)::numeric), points => 3) FROM generate_series(1, 200000) c, generate_series(1, 5) s GROUP BY c) x"
)
echo "1..${#cases[@]}"
for c in "${cases[@]}"; do
  bound=${c%%|*}; rest=${c#*|}; what=${rest%%|*}; sql=${rest#*|}
  mb=$(peak_mb "$sql")
  case $mb in
    '' | *[!0-9]*) notok "$what: peak memory measured" "got: $mb" ;;
    *) if [ "$mb" -le "$bound" ]; then ok "$what: backend peak grew $mb MB (bound $bound MB)"
       else notok "$what: backend peak grew $mb MB, more than $bound MB"; fi ;;
  esac
done
psql -XqAt -c "DROP DATABASE $db" >/dev/null
