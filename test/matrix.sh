#!/usr/bin/env bash
# make test-matrix: the suite (build with -Werror, pg_regress, pgTAP, shell
# tests) against every PostgreSQL named in PG_CONFIGS, a space-separated list
# of pg_config paths, e.g.
#   make test-matrix PG_CONFIGS="/usr/lib/postgresql/15/bin/pg_config ~/.cache/alliance-pg/16/bin/pg_config"
# Each version builds in its own copy of the tree, installs into that
# PostgreSQL, and runs in a throwaway cluster started from its own bin/ with
# its own lib/ first (or postgres_fdw would load the system's older libpq).
# doc/development.md says how to build 16, 17 and 18 from source.  Prints one
# line per version and exits non-zero if any failed.  Run as root (clusters run
# as the postgres user).
#
# SANITIZE=1 (make test-asan): the extension is built with AddressSanitizer
# and UBSan (-fno-sanitize-recover) for a server built with
# -fsanitize=address (doc/development.md); the server runs with ASan's and
# UBSan's reports written to files, and any report fails the version.
set -u
cd "$(dirname "$0")/.."
root=$(pwd)
configs=${PG_CONFIGS:-$(command -v pg_config)}
# an ASan-built PostgreSQL's own tools (pg_config, psql, pg_dump) leak by design
[ "${SANITIZE:-0}" = 1 ] && export ASAN_OPTIONS=detect_leaks=0
work=$(mktemp -d /tmp/alliance-matrix.XXXXXX); chmod 755 "$work"
trap 'rm -rf "$work"' EXIT
summary=(); status=0
port=54900
for cfg in $configs; do
  cfg=${cfg/#\~/$HOME}
  if [ ! -x "$cfg" ]; then summary+=("$cfg: not found"); status=1; continue; fi
  ver=$("$cfg" --version | sed 's/^PostgreSQL //'); major=${ver%%.*}
  bindir=$("$cfg" --bindir); libdir=$("$cfg" --libdir)
  src=$work/src-$major; data=$work/data-$major; log=$work/log-$major
  mkdir -p "$src" "$log"
  tar -C "$root" --exclude=.git --exclude='*.o' --exclude='*.so' --exclude='*.bc' \
      --exclude=./test/out --exclude=./results --exclude='./alliance--0.*.sql' -cf - . | tar -C "$src" -xf -
  chmod -R a+rX "$src"
  echo "==== PostgreSQL $ver ($cfg)"
  san_flags=(); server_env=""
  if [ "${SANITIZE:-0}" = 1 ]; then
    san_flags=(PG_CFLAGS="-std=gnu99 -Wall -Wextra -Wno-unused-parameter -Wno-sign-compare -Wno-missing-field-initializers -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
               SHLIB_LINK="-fsanitize=address,undefined" with_llvm=no)
    mkdir -p "$log/san"; chmod 777 "$log/san"
    server_env="ASAN_OPTIONS=detect_leaks=0:log_path=$log/san/asan UBSAN_OPTIONS=print_stacktrace=1:log_path=$log/san/ubsan"
  fi
  if ! make -C "$src" -s PG_CONFIG="$cfg" WERROR=1 "${san_flags[@]}" > "$log/build.log" 2>&1 || ! make -C "$src" -s PG_CONFIG="$cfg" "${san_flags[@]}" install >> "$log/build.log" 2>&1; then
    cat "$log/build.log"; summary+=("PostgreSQL $ver: BUILD FAILED"); status=1; continue
  fi
  port=$((port + 1))
  chown -R postgres "$work" 2>/dev/null
  export LD_LIBRARY_PATH=$libdir PATH=$bindir:$PATH PGHOST=$work PGPORT=$port PGUSER=postgres PGDATABASE=postgres
  su postgres -c "LD_LIBRARY_PATH=$libdir $bindir/initdb -A trust -U postgres -D $data" > "$log/initdb.log" 2>&1
  su postgres -c "$server_env LD_LIBRARY_PATH=$libdir $bindir/pg_ctl -w -D $data -l $log/server.log -o '-p $port -k $work -c listen_addresses=' start" > "$log/start.log" 2>&1 \
    || { cat "$log/start.log" "$log/server.log"; summary+=("PostgreSQL $ver: SERVER DID NOT START"); status=1; continue; }
  # pg_regress
  make -C "$src" -s PG_CONFIG="$cfg" installcheck > "$log/regress.log" 2>&1; rrc=$?
  total=$(ls "$src"/sql/*.sql | wc -l); rf=0
  [ -f "$src/regression.diffs" ] && rf=$(grep -c '^diff ' "$src/regression.diffs")
  [ "$rrc" -ne 0 ] && [ "$rf" -eq 0 ] && rf=1
  [ "$rf" -ne 0 ] && { cat "$log/regress.log"; head -100 "$src/regression.diffs" 2>/dev/null; }
  # pgTAP and shell TAP
  tap() {  # name, log, command...
    local name=$1 out=$2; shift 2
    (cd "$src" && "$@") > "$out" 2>&1; local rc=$?
    local t f
    t=$(sed -n 's/^Files=[0-9]*, Tests=\([0-9]*\).*/\1/p' "$out" | tail -1); t=${t:-0}
    f=$(sed -n 's/.*Failed \([0-9]*\)\/[0-9]* subtests.*/\1/p' "$out" | awk '{s+=$1} END {print s+0}')
    [ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
    [ "$f" -ne 0 ] && grep -v '^ok' "$out" | head -60
    echo "$name $((t - f))/$t"
    [ "$f" -eq 0 ]
  }
  p1=$(tap pgtap "$log/pgtap.log" pg_prove -q -f test/pgtap/*.sql); prc=$?
  s1=$(tap shell "$log/shell.log" prove test/shell/*.sh); src_rc=$?
  su postgres -c "LD_LIBRARY_PATH=$libdir $bindir/pg_ctl -w -D $data stop -m fast" > /dev/null 2>&1
  line="PostgreSQL $ver: build ok, regress $((total - rf))/$total, ${p1##*$'\n'}, ${s1##*$'\n'}"
  reports=0
  if [ "${SANITIZE:-0}" = 1 ]; then
    reports=$(cat "$log"/san/* 2>/dev/null | grep -cE "ERROR: AddressSanitizer|runtime error:")
    line="$line, sanitizer reports $reports"
    [ "$reports" -gt 0 ] && cat "$log"/san/* | head -80
  fi
  if [ "$rf" -ne 0 ] || [ "$prc" -ne 0 ] || [ "$src_rc" -ne 0 ] || [ "$reports" -ne 0 ]; then line="$line  FAILED"; status=1
    echo "$p1"; echo "$s1"; fi
  summary+=("$line")
done
echo
printf '%s\n' "${summary[@]}"
exit $status
