#!/usr/bin/env bash
# Installs (as root, saying so) or names (otherwise) the Debian packages that
# building, testing and the demo need.  Sourced by test/run-all.sh and demo/run.sh.
# What building the extension and make demo need: the server, its headers, a
# compiler.  Nothing else (make demo runs on a machine without R or Chromium).
ALLIANCE_DEBS_BUILD="postgresql-15 postgresql-server-dev-15 postgresql-contrib gcc make"
# What make test adds: pgTAP and pg_prove, cmocka, libjansson (JSON documents for
# the core FHIR walk in unit tests and fuzzing), psycopg2 (the alert listener of
# doc/examples, run by a test), clang with libFuzzer for the
# fuzz targets, xmllint and Chromium for the SVG checks, R and psych to check
# alpha against psych::alpha, dpkg-dev, debhelper and postgresql-all (the package
# build runs pg_regress against the package) for the package test, nodejs and
# npm for the FHIR R4 validators (test/shell/fhir_validate.sh; npm installs them
# into ~/.cache/alliance-npm, test/support/fhir_validate.sh).
ALLIANCE_DEBS_TEST="postgresql-15-pgtap libtap-parser-sourcehandler-pgtap-perl libcmocka-dev libjansson-dev python3-psycopg2
  clang libclang-rt-14-dev libxml2-utils python3 r-base-core r-cran-psych r-cran-psychtools chromium
  dpkg-dev debhelper postgresql-server-dev-all postgresql-all valgrind nodejs npm"

alliance_deps() {  # $1 = build (default) or test
  local missing=() p want=$ALLIANCE_DEBS_BUILD provided=''
  [ "${1:-build}" = test ] && want="$ALLIANCE_DEBS_BUILD $ALLIANCE_DEBS_TEST"
  for p in $want; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' && continue
    # a name that an installed package provides counts as installed (NodeSource's
    # nodejs provides npm and conflicts with Debian's: installing it would remove nodejs)
    [ -n "$provided" ] || provided=" $(dpkg-query -W -f='${db:Status-Abbrev}|${Provides}\n' 2>/dev/null |
      awk -F'|' '$1 ~ /^ii/ { n = split($2, v, ","); for (i = 1; i <= n; i++) { sub(/^ +/, "", v[i]); sub(/[ :].*/, "", v[i]); printf "%s ", v[i] } }')"
    case $provided in *" $p "*) continue ;; esac
    missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = 0 ]; then
    echo "Installing Debian packages: ${missing[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
      || { echo "apt-get install failed" >&2; return 1; }
  else
    echo "Missing Debian packages. Run:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    return 1
  fi
}
