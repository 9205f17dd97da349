#!/usr/bin/env bash
# Every FHIR resource alliance emits is valid FHIR R4 by two real validators:
# FHIR.js (npm "fhir", errorOnUnexpected) and the official R4 JSON schema
# (fhir.schema.json) with ajv, run by test/support/fhir_validate.sh, which
# installs them with npm into $ALLIANCE_NPM_CACHE (default
# ~/.cache/alliance-npm) the first time.  One TAP line per resource, with the
# validators' errors under a failing one.  Runs inside pg_virtualenv.
#
# The resources come from QUERIES below: each query returns rows of
# (name text, resource jsonb), one resource a row; a new kind of resource
# (Questionnaire, CodeSystem, Bundle, ...) is one more line there.
set -u
. "$(dirname "$0")/lib/tap.bash"
root=$(cd "$(dirname "$0")/../.." && pwd)
db=alliance_fhir_validate_$$
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; psql -XqAt -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1' EXIT

# What the queries use: a custom instrument, to_fhir with every argument, and
# a complete response of any instrument (item k answered at a quarter, half or
# three quarters of the range, on the step).
SETUP=$(cat <<'SQL'
CREATE EXTENSION alliance;
SELECT alliance.define_instrument(code => 'myform', name => 'Clinic session check', items => 6, min => 1, max => 5,
    scales => '{"bond": [1,2,3], "task": [4,5,6]}', cutoff => 3.5, score => 'mean');
CREATE FUNCTION observation(r alliance.response) RETURNS jsonb LANGUAGE sql AS $$
  SELECT alliance.to_fhir(r, subject => 'Patient/p1', effective => '2025-03-04 15:50:00+00',
                          derived_from => 'QuestionnaireResponse/qr-1',
                          code_system => 'https://fhir.example.org/CodeSystem/alliance') $$;
CREATE FUNCTION complete(instrument text) RETURNS alliance.response LANGUAGE sql AS $$
  SELECT alliance.response(i.code, array(SELECT i.min + i.step * round((i.max - i.min) / i.step * (k % 3 + 1) / 4)
                                         FROM generate_series(1, i.items) k ORDER BY k))
  FROM alliance.instruments i WHERE i.code = instrument $$;
SQL
)

# One line per query: rows of (name, resource).  Names hold no tab or newline.
QUERIES=(
  "SELECT 'Observation of ' || r || ' (built-in ' || code || ', every argument)', observation(r) FROM (SELECT code, complete(code) r FROM alliance.instruments WHERE builtin AND code <> 'psq' UNION ALL VALUES ('psq', 'psq(1,3,4)'::alliance.response), ('psq', 'psq(0,null,null)')) x ORDER BY code, r::text"
  "SELECT 'Observation of ' || r || ' (3 of 12 items answered: dataAbsentReason)', observation(r) FROM CAST('wai_sr(5,3,null,null,null,null,null,3,null,null,null,null)' AS alliance.response) r"
  "SELECT 'Observation of ' || r || ' (prorated total, full numeric precision)', observation(r) FROM CAST('wai_sr(5,3,5,4,5,4,null,3,5,4,4,3)' AS alliance.response) r"
  "SELECT 'Observation of ' || r || ' (default arguments: code system urn:alliance:placeholder:code-system)', alliance.to_fhir(r) FROM CAST('srs(9,9,9,9)' AS alliance.response) r"
  "SELECT 'Observation of ' || r || ' (custom instrument myform, scored as a mean, every argument)', observation(r) FROM complete('myform') r"
  "SET alliance.fhir_base_url = 'https://fhir.example.org/fhir'; SELECT 'Observation of ' || r || ' (at risk: interpretation L, referenceRange; encounter, performer; code system from the setting)', alliance.to_fhir(r, subject => 'Patient/p1', encounter => 'Encounter/e1', performer => 'Patient/p1') FROM CAST('srs(9.1,8.4,7.9,8.8)' AS alliance.response) r"
  "SELECT 'Questionnaire of ' || code, alliance.fhir_questionnaire(code) FROM alliance.instruments ORDER BY code"
  "SELECT 'CodeSystem (placeholder url)', alliance.fhir_codesystem()"
  "SET alliance.fhir_base_url = 'https://fhir.example.org/fhir'; SELECT 'CodeSystem (url from the setting)', alliance.fhir_codesystem()"
  "SELECT 'DetectedIssue from an alert: ' || (a->>'kind') || ' ' || (a->>'status') || coalesce(' by ' || (a->>'resolved_by'), ''), alliance.to_fhir_detected_issue(a, patient => 'Patient/p7', identified => '2025-03-04 15:50+00', implicated => ARRAY['Observation/o4', 'Observation/o5']) FROM (VALUES ('{\"kind\": \"rupture\", \"method\": \"level\", \"status\": \"open\", \"detail\": {\"drop\": 9.0, \"level\": 36.0, \"score\": 27.0, \"threshold\": 7.2}}'::jsonb), ('{\"kind\": \"rupture\", \"method\": \"level\", \"status\": \"resolved\", \"resolved_by\": \"repair\", \"resolved_at\": \"2025-03-11T09:00:00+00\", \"acknowledged_at\": \"2025-03-05T10:00:00+00\", \"note\": \"talked\", \"detail\": {\"drop\": 9.0, \"level\": 36.0, \"score\": 27.0, \"threshold\": 7.2}}'), ('{\"kind\": \"below_cutoff\", \"method\": \"cutoff\", \"status\": \"resolved\", \"resolved_by\": \"data changed\", \"resolved_at\": \"2025-03-06T09:00:00+00\", \"detail\": {\"score\": 27.0, \"threshold\": 36.0}}'), ('{\"kind\": \"unseen_rupture\", \"method\": \"unseen\", \"status\": \"acknowledged\", \"acknowledged_at\": \"2025-03-05T10:00:00+00\", \"detail\": {\"client_drop\": 50.694, \"therapist_drop\": 0}}')) v(a)"
  "SELECT 'DetectedIssue from ruptures(): repaired', alliance.to_fhir_detected_issue(r, patient => 'Patient/p1', implicated => ARRAY['Observation/o1']) FROM alliance.ruptures('date:srs{2025-01-06=36,2025-01-13=36,2025-01-20=36,2025-01-27=27,2025-02-03=36}') r"
  "SELECT 'DetectedIssue from current(): ' || (c).state, alliance.to_fhir_detected_issue(c, patient => 'Patient/p1') FROM (VALUES (alliance.current('date:srs{2025-01-06=38,2025-01-13=38,2025-01-20=38,2025-01-27=30}')), (alliance.current('date:srs{2025-01-06=38,2025-01-13=38,2025-01-20=38,2025-01-27=30,2025-02-03=38}')), (alliance.current('date:srs{2025-01-06=35,2025-01-13=35.5,2025-01-20=35}'))) v(c)"
  "SET alliance.fhir_base_url = 'https://fhir.example.org/fhir'; SELECT 'Bundle (' || t || ') of Observations, a Questionnaire with an id, a DetectedIssue', alliance.fhir_bundle(ARRAY[observation('srs(9,9,9,9)'), observation('ors(5,5,5,5)'), alliance.fhir_questionnaire('srs') || '{\"id\": \"srs\"}', alliance.to_fhir_detected_issue('{\"kind\": \"rupture\"}'::jsonb, patient => 'Patient/p1')], t) FROM unnest(ARRAY['collection', 'transaction', 'batch']) t"
)

psql -XqAt -c "CREATE DATABASE $db" >/dev/null
if ! psql -XqAt -v ON_ERROR_STOP=1 -d "$db" -c "$SETUP" > "$tmp/setup.out" 2>&1; then
  echo "1..1"; notok "set-up: CREATE EXTENSION alliance, the custom instrument, the helper functions" "$(cat "$tmp/setup.out")"
  exit 1
fi

# Run every query; its rows go to resources.tsv.  A query that fails, returns
# nothing or returns a NULL resource is a failed test of its own.
: > "$tmp/resources.tsv"
q_label=() q_detail=()
for i in "${!QUERIES[@]}"; do
  q=${QUERIES[$i]}
  label="query $((i + 1)) (${q:0:60}...)"
  detail=''
  if ! psql -XqAt -v ON_ERROR_STOP=1 -F $'\t' -d "$db" -c "SET search_path = public, alliance" -c "$q" > "$tmp/q.out" 2> "$tmp/q.err"; then
    detail="$q"$'\n'"$(cat "$tmp/q.err")"
  elif [ ! -s "$tmp/q.out" ]; then
    detail="$q"$'\n''no rows'
  else
    nulls=$(awk -F'\t' '$2 == "" { print $1 }' "$tmp/q.out")
    [ -n "$nulls" ] && detail="a NULL resource for: $nulls"
    awk -F'\t' '$2 != ""' "$tmp/q.out" >> "$tmp/resources.tsv"
    rows=$(grep -c '' "$tmp/q.out")
    label="query $((i + 1)) returns $rows resource$([ "$rows" -eq 1 ] || echo s): $(head -1 "$tmp/q.out" | cut -f1)$([ "$rows" -gt 1 ] && echo ', ...')"
  fi
  q_label+=("$label"); q_detail+=("$detail")
done
mapfile -t names < <(cut -f1 "$tmp/resources.tsv")
cut -f2- "$tmp/resources.tsv" > "$tmp/resources.jsonl"
n=${#names[@]}

echo "1..$(( ${#QUERIES[@]} + 1 + n ))"
for i in "${!q_label[@]}"; do
  if [ -z "${q_detail[$i]}" ]; then ok "${q_label[$i]}"; else notok "${q_label[$i]}" "${q_detail[$i]}"; fi
done

# Validate them all in one run (loading the R4 definitions takes seconds).
bash "$root/test/support/fhir_validate.sh" "$tmp/resources.jsonl" < /dev/null > "$tmp/validate.out" 2> "$tmp/validate.err"
rc=$?
grep '^#' "$tmp/validate.out"
if [ "$rc" -gt 1 ]; then
  notok "the validators run (test/support/fhir_validate.sh exited $rc)" "$(cat "$tmp/validate.err" "$tmp/validate.out")"
else
  ok "the validators run on $n resources"
  [ -s "$tmp/validate.err" ] && sed 's/^/# /' "$tmp/validate.err"
fi
# FHIR.js's warnings and information never fail a resource: codes checked
# against example or extensible bindings to value sets it does not carry (the
# local codes, LOINC's observation-codes, observation-interpretation)
notes=$(grep -c '^  note ' "$tmp/validate.out")
[ "$notes" -gt 0 ] && echo "# FHIR.js also gave $notes warnings and information notes (not errors; test/support/fhir_validate.sh prints them)"

# "ok N Type" / "not ok N Type", then two-space indented reasons, per resource
declare -A verdict=() reasons=()
cur=''
while IFS= read -r line; do
  case $line in
    'ok '*)     cur=${line#ok }; cur=${cur%% *}; verdict[$cur]=ok ;;
    'not ok '*) cur=${line#not ok }; cur=${cur%% *}; verdict[$cur]=notok ;;
    '  '*)      [ -n "$cur" ] && reasons[$cur]+="${line#  }"$'\n' ;;
  esac
done < "$tmp/validate.out"
for ((k = 1; k <= n; k++)); do
  name="${names[$((k - 1))]} is valid FHIR R4 (FHIR.js, fhir.schema.json)"
  case ${verdict[$k]:-} in
    ok)    ok "$name" ;;
    notok) notok "$name" "$(printf '%s' "${reasons[$k]:-}" | grep -v '^note ')
$(sed -n "${k}p" "$tmp/resources.jsonl")" ;;
    *)     notok "$name" "not validated" ;;
  esac
done
