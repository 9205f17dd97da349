#!/usr/bin/env bash
# The Debian package, as a clinic's administrator would get it: builds
# postgresql-15-alliance from the committed tree (git archive HEAD) with
# dpkg-buildpackage (which also runs pg_regress against the built package),
# checks its files and that it depends on postgresql-15, installs it with dpkg,
# creates the extension (fresh, and 0.1.0 updated to the default) in a
# throwaway cluster, and removes the package again.  dpkg -r deletes the same paths that
# make install writes, so the script ends by running make install from this
# tree, leaving the machine as the rest of make test expects it.
# TAP output; skipped (1..0) when not root or without dpkg-buildpackage.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
if [ "$(id -u)" != 0 ] || ! command -v dpkg-buildpackage >/dev/null || ! command -v pg_buildext >/dev/null; then
  echo "1..0 # SKIP needs root, dpkg-buildpackage and pg_buildext"; exit 0
fi
. "$root/test/shell/lib/tap.bash"
echo "1..8"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
chmod 755 "$work"   # the build's test server runs as postgres and reads the built package
ver=$(sed -n "s/^default_version = '\(.*\)'/\1/p" "$root/alliance.control")
mkdir "$work/src"
git -C "$root" archive HEAD | tar -x -C "$work/src"
if (cd "$work/src" && dpkg-buildpackage -us -uc -b) > "$work/build.log" 2>&1; then
  ok "dpkg-buildpackage -us -uc -b builds the package from the committed tree"
else notok "dpkg-buildpackage -us -uc -b builds the package" "$(tail -20 "$work/build.log")"; fi
if grep -qE '^ *All [0-9]+ tests passed' "$work/build.log"; then
  ok "the build ran pg_regress against the built package ($(grep -oE 'All [0-9]+ tests passed' "$work/build.log"))"
else notok "the build ran pg_regress against the built package" "$(grep -E 'dh_pgxs_test|tests? failed' "$work/build.log" | tail -5)"; fi
deb=$(ls "$work"/postgresql-15-alliance_*_*.deb 2>/dev/null | head -1)
files=$(dpkg-deb -c "$deb" 2>/dev/null | awk '{print $6}')
missing=""
for f in lib/postgresql/15/lib/alliance.so share/postgresql/15/extension/alliance.control \
         "share/postgresql/15/extension/alliance--$ver.sql" share/postgresql/15/extension/alliance--0.1.0.sql \
         share/postgresql/15/extension/alliance--0.1.0--0.2.0.sql; do
  echo "$files" | grep -q "/usr/$f\$" || missing="$missing $f"
done
is "${missing:-none}" "none" "the package holds the library, the control file, the $ver script, 0.1.0's and the upgrade"
deps=$(dpkg-deb -f "$deb" Depends 2>/dev/null)
case "$deps" in *"postgresql-15 "*|*"postgresql-15,"*|*postgresql-15) ok "it depends on postgresql-15 ($deps)";;
  *) notok "it depends on postgresql-15" "Depends: $deps";; esac
check "dpkg -i installs it" dpkg -i "$deb"
if ! dpkg-query -W -f='${Status}' postgresql-15-alliance 2>/dev/null | grep -q 'install ok installed'; then
  notok "from the package: CREATE EXTENSION" "postgresql-15-alliance is not installed"
else
out=$(pg_virtualenv -t bash -c "
  psql -XqAt -c 'CREATE EXTENSION alliance' -c \"SELECT extversion FROM pg_extension WHERE extname = 'alliance'\" \
       -c \"SELECT alliance.total('srs(9,9,9,9)')\"
  psql -XqAt -c 'CREATE DATABASE old' >/dev/null
  psql -XqAt -d old -c \"CREATE EXTENSION alliance VERSION '0.1.0'\" -c 'ALTER EXTENSION alliance UPDATE' \
       -c \"SELECT extversion FROM pg_extension WHERE extname = 'alliance'\"
" 2>&1 | grep -v '^Creating new\|^Dropping cluster')
is "$(echo "$out" | tr '\n' ' ')" "$ver 36.0 $ver " "from the package: CREATE EXTENSION gives $ver and scores; 0.1.0 updates to $ver"
fi
check "dpkg -r removes it" dpkg -r postgresql-15-alliance
check "make install puts this tree's build back" make -C "$root" -s install
