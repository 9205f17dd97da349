#!/usr/bin/env bash
# make test-sqlsmith: random SQL (sqlsmith, Debian package) against a database
# with the extension, sample tables of every alliance type and two custom
# instruments, in a throwaway cluster.  SQLSMITH_QUERIES queries (default
# 10 000; the issue's long run is 100 000+).  Fails if the server crashed or
# logged an internal error (XX000) or a PANIC; prints the error census.
set -u
cd "$(dirname "$0")/.."
if ! command -v sqlsmith >/dev/null; then
  if [ "$(id -u)" = 0 ]; then echo "Installing Debian package: sqlsmith"; apt-get update -qq && apt-get install -y -qq sqlsmith >/dev/null || exit 1
  else echo "sqlsmith not found. Run: sudo apt-get update && sudo apt-get install -y sqlsmith" >&2; exit 1; fi
fi
export SQLSMITH_QUERIES=${SQLSMITH_QUERIES:-10000} SQLSMITH_SEED=${SQLSMITH_SEED:-1}
pg_virtualenv -t bash test/sqlsmith-run.sh
