#!/usr/bin/env bash
# make bench-signal: rupture rules measured on a synthetic clinic with known
# truth (bench/signal/README.md).  SIGNAL_CLIENTS per instrument (default
# 3000), SIGNAL_SEED (default 0.42).  Writes bench/out/signal.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."
. test/deps.sh
alliance_deps
make -s >/dev/null && make -s install >/dev/null
clients=${SIGNAL_CLIENTS:-3000}; seed=${SIGNAL_SEED:-0.42}
mkdir -p bench/out
echo "rupture rules on a synthetic clinic: $clients clients per instrument, seed $seed"
pg_virtualenv -t bash -c "
  set -e
  psql -XqAt -c 'CREATE EXTENSION alliance' >/dev/null
  psql -Xq -v ON_ERROR_STOP=1 -v clients=$clients -v seed=$seed -f bench/signal/generate.sql >/dev/null
  psql -Xq -v ON_ERROR_STOP=1 -f bench/signal/measure.sql
" 2>&1 | grep -v '^Creating new PostgreSQL cluster\|^Dropping cluster' | tee bench/out/signal.txt
