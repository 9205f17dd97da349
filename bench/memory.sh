#!/usr/bin/env bash
# Memory of a long per-client aggregation: BENCH_MEMORY_ROWS sessions (20 per
# client) aggregated into trajectories and judged, in one backend whose
# resident memory (VmRSS) is sampled every 0.05 s.  Flat means the backend
# ends where it stood after its first second: per-client state is freed as the
# groups are done, hash aggregation spills at work_mem.  Run inside a cluster
# (pg_virtualenv; reads /proc of the backend, so as the cluster's owner or
# root).  Prints one Markdown table row and the samples' summary.
set -euo pipefail
rows=${BENCH_MEMORY_ROWS:-10000000}
clients=$(( rows / 20 ))
out=${1:-/dev/stdout}
marker="bench_memory_$$"
psql -XqAt -v ON_ERROR_STOP=1 -c "SET work_mem = '4MB'" -c "SET max_parallel_workers_per_gather = 0" -c "/* $marker */
  SELECT count(*) FILTER (WHERE st = 'open_rupture')
  FROM (SELECT alliance.status(alliance.trajectory(s, (30 + (c * 7 + s * 3) % 11)::numeric), sd => 4, reliability => 0.64) AS st
        FROM generate_series(1, $clients) c, generate_series(1, 20) s GROUP BY c) x" > /dev/null &
bg=$!
pid=
for _ in $(seq 1 100); do
  pid=$(psql -XqAt -c "SELECT pid FROM pg_stat_activity WHERE query LIKE '%$marker%' AND pid <> pg_backend_pid() LIMIT 1")
  [ -n "$pid" ] && break; sleep 0.05
done
[ -n "$pid" ] || { echo "memory.sh: the backend was not found" >&2; exit 1; }
samples=()
SECONDS=0
while kill -0 "$bg" 2>/dev/null; do
  kb=$(sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$pid/status" 2>/dev/null || true)
  [ -n "$kb" ] && samples+=("$kb")
  sleep 0.05
done
wait "$bg"
secs=$SECONDS
n=${#samples[@]}
[ "$n" -ge 10 ] || { echo "memory.sh: only $n samples; raise BENCH_MEMORY_ROWS" >&2; exit 1; }
first=${samples[$(( n / 10 ))]}                      # after a tenth of the run
last=${samples[$(( n - 1 ))]}
max=$(printf '%s\n' "${samples[@]}" | sort -n | tail -1)
growth=$(( (max - first) / 1024 ))
verdict='not met'; [ "$growth" -le 16 ] && verdict='**met**'
printf '| %s sessions, %s clients | %s s, %s samples | %s MB | %s MB | %s MB | +%s MB | ≤ +16 MB | %s |\n' \
  "$rows" "$clients" "$secs" "$n" "$(( first / 1024 ))" "$(( max / 1024 ))" "$(( last / 1024 ))" "$growth" "$verdict" > "$out"
echo "memory: $n samples over ${secs}s; RSS after a tenth $(( first / 1024 )) MB, peak $(( max / 1024 )) MB, end $(( last / 1024 )) MB" >&2
