#!/usr/bin/env bash
# Installs (as root) or names (otherwise) the Debian packages that building,
# testing and the demo need.  Sourced by test/run-all.sh and demo/run.sh.
ALLIANCE_DEBS="postgresql-15 postgresql-server-dev-15 postgresql-contrib postgresql-15-pgtap
  libtap-parser-sourcehandler-pgtap-perl libcmocka-dev gcc make clang libclang-rt-14-dev
  libxml2-utils python3 r-base-core r-cran-psych r-cran-psychtools chromium"

alliance_deps() {
  local missing=() p
  for p in $ALLIANCE_DEBS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
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
