#!/usr/bin/env bash
# make bench: alliance against the plain-SQL way, in a throwaway cluster, and
# bench/RESULTS.md: every performance target beside what this run measured.
#   BENCH_CLIENTS      (default 100000) x 20 sessions = 2,000,000 sessions
#   BENCH_REPS         (default 5) runs of each query, the median kept
#   BENCH_MEMORY_ROWS  (default 10000000) sessions of the memory run
#   BENCH_ALERT_CLIENTS (default 50000) x 20 sessions copied into a watched table
# make bench-quick: 10 000 clients, 2 000 000 memory rows (under 2 minutes).
set -euo pipefail
cd "$(dirname "$0")/.."
. test/deps.sh
alliance_deps
make -s >/dev/null && make -s install >/dev/null
clients=${BENCH_CLIENTS:-100000}; reps=${BENCH_REPS:-5}
alert_clients=${BENCH_ALERT_CLIENTS:-50000}
export BENCH_MEMORY_ROWS=${BENCH_MEMORY_ROWS:-10000000}
mkdir -p bench/out
out=$(cd bench/out && pwd)
rm -f "$out/rows.md" "$out/memory.md"

# What two processes get on this machine: the ceiling of any parallel plan.
cpu_loop() { awk 'BEGIN { for (i = 0; i < 30000000; i++) s += i }'; }
SECONDS=0; t0=$(date +%s%N); cpu_loop; t1=$(date +%s%N)
cpu_loop & cpu_loop & wait; t2=$(date +%s%N)
one=$(( (t1 - t0) / 1000000 )); two=$(( (t2 - t1) / 1000000 ))
cpu_speedup=$(awk -v a="$one" -v b="$two" 'BEGIN { printf "%.2f", 2 * a / b }')

echo "alliance benchmark: $clients clients x 20 sessions, median of $reps runs"
pg_virtualenv -t -o shared_buffers=1GB -o work_mem=64MB bash -c "
  set -e
  psql -XqAt -c 'CREATE EXTENSION alliance' >/dev/null
  psql -XqAt -c 'SELECT version()' > '$out/version.txt'
  psql -Xq -v ON_ERROR_STOP=1 -v clients=$clients -f bench/setup.sql >/dev/null
  psql -Xq -v ON_ERROR_STOP=1 -v reps=$reps -f bench/bench.sql
  psql -Xq -v ON_ERROR_STOP=1 -v clients=$clients -f bench/waisr_setup.sql >/dev/null
  psql -Xq -v ON_ERROR_STOP=1 -v reps=$reps -P footer=off -f bench/waisr.sql
  psql -Xq -v ON_ERROR_STOP=1 -v reps=$reps -v alert_clients=$alert_clients -P footer=off -f bench/alerts.sql
  psql -XqAt -v ON_ERROR_STOP=1 -f bench/report.sql > '$out/rows.md'
  bash bench/memory.sh '$out/memory.md'
" 2>&1 | grep -v '^Creating new PostgreSQL cluster\|^Dropping cluster' | tee "$out/results.txt"

{
  echo "# Benchmark results"
  echo
  echo "Written by \`make bench\` (\`bench/run.sh\`); the comparisons are described in [README.md](README.md)."
  echo
  echo "- Date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "- Machine: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1), $(nproc) CPUs, $(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo) RAM"
  echo "- Two CPU-bound processes at once run at ${cpu_speedup}× the throughput of one (${one} ms alone, ${two} ms for two together): the ceiling of any 2-process parallel plan here"
  echo "- PostgreSQL: $(cat "$out/version.txt")"
  echo "- Data: $clients clients × 20 sessions = $(( clients * 20 )) sessions of each layout; median of $reps runs; \`work_mem\` 4 MB for the WAI-SR part, JIT at its default"
  echo
  echo "| comparison | alliance ms | other ms | result | target | met |"
  echo "|---|---|---|---|---|---|"
  cat "$out/rows.md"
  echo
  echo "Memory of a per-client aggregation (\`bench/memory.sh\`: the backend's resident memory sampled every 0.05 s):"
  echo
  echo "| rows | run | RSS after a tenth | peak | end | growth | target | met |"
  echo "|---|---|---|---|---|---|---|---|"
  cat "$out/memory.md"
} > bench/RESULTS.md
echo "wrote bench/RESULTS.md"
