#!/usr/bin/env bash
# Runs inside the throwaway cluster of test/sqlsmith.sh.
set -u
log=$(dirname "$PG_CLUSTER_CONF_ROOT")/log/postgresql-$PGVERSION-regress.log
psql -XqAt -c "ALTER SYSTEM SET log_line_prefix = '%m [%p] %e '" -c "ALTER SYSTEM SET log_error_verbosity = verbose" \
     -c "SELECT pg_reload_conf()" >/dev/null
psql -XqAt -c "CREATE DATABASE smith" >/dev/null
psql -Xq -v ON_ERROR_STOP=1 -d smith -f test/sqlsmith.sql >/dev/null
start=$(wc -l < "$log")
timeout 3000 sqlsmith --target="host=$PGHOST port=$PGPORT user=$PGUSER password=$PGPASSWORD dbname=smith" \
    --max-queries=$SQLSMITH_QUERIES --seed=$SQLSMITH_SEED --verbose > /tmp/sqlsmith.$$.out 2>&1; rc=$?
tail -n +$start "$log" > /tmp/sqlsmith.$$.log
alive=$(psql -XqAt -d smith -c "SELECT count(*) FROM responses" 2>&1)
crashes=$(grep -cE "terminated by signal|PANIC|server process .* was terminated" /tmp/sqlsmith.$$.log)
# An internal error (XX000) counts against alliance when the function that
# raised it (the log's LOCATION line) is one of alliance's own; PostgreSQL
# core's internal errors that random SQL reaches anywhere are reported, not
# counted.
: > /tmp/sqlsmith.$$.xx
grep -A6 " XX000 ERROR" /tmp/sqlsmith.$$.log | grep -E " XX000 ERROR| XX000 LOCATION" | paste - - | while IFS= read -r line; do
  fn=$(echo "$line" | sed -n 's/.*LOCATION: *\([A-Za-z0-9_]*\),.*/\1/p')
  if [ -n "$fn" ] && grep -qE "^$fn\(" src/pg/*.c src/core/*.c; then echo "ALLIANCE $line"; else echo "CORE $line"; fi
done > /tmp/sqlsmith.$$.xx
internal=$(grep -c "^ALLIANCE" /tmp/sqlsmith.$$.xx)
echo "sqlsmith: $SQLSMITH_QUERIES queries (seed $SQLSMITH_SEED), exit $rc"
tail -25 /tmp/sqlsmith.$$.out
echo "errors logged by SQLSTATE:"
grep -oE "\] [0-9A-Z]{5} ERROR" /tmp/sqlsmith.$$.log | sort | uniq -c | sort -rn | head -15
if [ -s /tmp/sqlsmith.$$.xx ]; then echo "internal errors (XX000), by whose statement:"; cut -c1-200 /tmp/sqlsmith.$$.xx | head -40; fi
if [ "$crashes" -gt 0 ]; then echo "crashes:"; grep -B5 -E "terminated by signal|PANIC" /tmp/sqlsmith.$$.log | head -60; fi
echo "server after the run: ${alive} rows readable; crashes: $crashes; internal errors: $internal"
rm -f /tmp/sqlsmith.$$.out /tmp/sqlsmith.$$.log /tmp/sqlsmith.$$.xx
[ "$crashes" -eq 0 ] && [ "$internal" -eq 0 ] && [ "$alive" = 400 ]
