#!/usr/bin/env bash
# make demo: the main job on an embedded default.  Builds and installs the
# extension, starts a throwaway cluster (pg_virtualenv), loads the synthetic
# clinic (demo/clinic.sql, fixed seed) and prints the report (demo/report.sql).
set -euo pipefail
cd "$(dirname "$0")/.."
. test/deps.sh
alliance_deps
echo "make demo builds alliance and installs it into the system PostgreSQL ($(pg_config --sharedir)/extension, $(pg_config --pkglibdir));"
echo "the demo's cluster is thrown away afterwards.  To remove the extension's files: make uninstall"
make -s >/dev/null
make -s install >/dev/null
OUT=$(realpath -m "${ALLIANCE_DEMO_OUT:-demo/out}")
MIN_N=${ALLIANCE_MIN_N:-5}     # therapist figures for fewer clients are suppressed
MAX_LISTED=${ALLIANCE_MAX_LISTED:-60}   # clients listed in the report; the rest are counted
mkdir -p "$OUT"
chmod 0777 "$OUT"              # the page is written by psql, whatever user runs it
pg_virtualenv -t bash -c "
  set -e
  psql -XqAt -v ON_ERROR_STOP=1 -c 'CREATE EXTENSION alliance' >/dev/null
  psql -Xq -v ON_ERROR_STOP=1 -f demo/clinic.sql >/dev/null
  psql -Xq -v ON_ERROR_STOP=1 -v min_n=$MIN_N -v max_listed=$MAX_LISTED -v html=$OUT/attention.html -v clients=$OUT/clients.txt -f demo/report.sql
" 2>&1 | grep -v '^Creating new PostgreSQL cluster\|^Dropping cluster' | tee "$OUT/report.txt"
echo
echo "Report written to $OUT/report.txt"
echo "Every client's status and ruptures: $OUT/clients.txt"
echo "Charts of the clients who need attention: $OUT/attention.html"
