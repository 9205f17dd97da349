#!/usr/bin/env bash
# make bench: alliance against the plain-SQL way, in a throwaway cluster.
#   BENCH_CLIENTS (default 50000) x 20 sessions = 1,000,000 sessions
#   BENCH_REPS    (default 3) runs of each query, best kept
set -euo pipefail
cd "$(dirname "$0")/.."
. test/deps.sh
alliance_deps
make -s >/dev/null && make -s install >/dev/null
clients=${BENCH_CLIENTS:-50000}; reps=${BENCH_REPS:-3}
mkdir -p bench/out
echo "alliance benchmark: $clients clients x 20 sessions, best of $reps runs"
pg_virtualenv -t -o shared_buffers=1GB -o work_mem=64MB bash -c "
  set -e
  psql -XqAt -c 'CREATE EXTENSION alliance' >/dev/null
  psql -Xq -v ON_ERROR_STOP=1 -v clients=$clients -f bench/setup.sql >/dev/null
  psql -Xq -v ON_ERROR_STOP=1 -v reps=$reps -f bench/bench.sql
  psql -Xq -v ON_ERROR_STOP=1 -v clients=$clients -f bench/waisr_setup.sql >/dev/null
  psql -Xq -v ON_ERROR_STOP=1 -v reps=$reps -P footer=off -f bench/waisr.sql
" 2>&1 | grep -v '^Creating new PostgreSQL cluster\|^Dropping cluster' | tee bench/out/results.txt
