#!/usr/bin/env bash
# make bench-signal: rupture rules measured on a synthetic clinic with known truth
# (bench/signal/README.md).  Uses the alliance extension installed in the PostgreSQL that
# pg_virtualenv finds, in a throwaway cluster; builds and installs nothing.
#   SIGNAL_CLIENTS  clients per instrument (default 10000)
#   SIGNAL_SEED     generator seed (default 20240612)
#   SIGNAL_OUT      where the data and results.txt go (default bench/signal/out)
#   SIGNAL_NOISE    scale of the generated session noise against the published error SD (default 1)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../../test/deps.sh"
ALLIANCE_DEBS_BUILD="postgresql-15 postgresql-contrib python3" alliance_deps   # the generator is Python 3
clients=${SIGNAL_CLIENTS:-10000}
seed=${SIGNAL_SEED:-20240612}
noise=${SIGNAL_NOISE:-1}
out=${SIGNAL_OUT:-$here/out}
mkdir -p "$out"
out=$(cd "$out" && pwd)
start=$(date +%s)
{
  echo "rupture rules on a synthetic clinic: $clients clients per instrument, seed $seed, noise scale $noise"
  python3 "$here/generate.py" --clients "$clients" --seed "$seed" --noise-scale "$noise" --out "$out"
  pg_virtualenv -t bash -c "
    set -e
    cd '$out'
    psql -XqAt -v ON_ERROR_STOP=1 -c 'CREATE EXTENSION alliance' >/dev/null
    psql -Xq -v ON_ERROR_STOP=1 -P footer=off -f '$here/measure.sql'
  " 2>&1 | grep -v '^Creating new PostgreSQL cluster\|^Dropping cluster'
  echo "elapsed: $(( $(date +%s) - start )) s"
} | tee "$out/results.txt"
