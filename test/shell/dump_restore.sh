#!/usr/bin/env bash
# pg_dump / pg_restore keeps every custom and built-in value, whatever the
# schema of the table that holds it: pg_restore loads table data in schema
# order, so aa_clinic's rows arrive before alliance's definitions and are
# stored unbound, then bound when first scored.  A generated column that
# scores custom values cannot be computed before the definitions: the plain
# restore fails loudly (never a wrong score) and the documented recipe
# (move the configuration data first with -l / -L) succeeds.
# Run once as superuser and once as a non-superuser who owns the database.
set -u
. "$(dirname "$0")/lib/tap.bash"
echo "1..30"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
sq() { psql -XqAt -v ON_ERROR_STOP=1 "$@"; }

setup_sql="
CREATE EXTENSION alliance;
SELECT alliance.define_instrument('redflags', 'Client red-flag checklist', 12, 0, 1,
  scales => '{\"behaviours\": [1,2,3,4,5,6], \"feelings\": [7,8,9,10,11,12]}', cutoff => 1, score => 'total');
SELECT alliance.define_instrument('vas3', 'Three sliders', 3, 0, 10, step => 0.5, min_answered => 1);
CREATE SCHEMA aa_clinic;
CREATE TABLE aa_clinic.visits (id int PRIMARY KEY, flags alliance.response(redflags), srs alliance.response(srs), any_form alliance.response);
INSERT INTO aa_clinic.visits VALUES
  (1, 'redflags(0,0,1,0,0,0,0,1,0,0,0,0)', 'srs(9.1,8.4,7.9,8.8)', 'vas3(9.5,0,10)'),
  (2, 'redflags(0,0,0,0,0,0,0,0,0,0,0,null)', 'srs(9,9,9,9)', 'wai_sr(5,3,5,4,5,4,null,3,5,4,4,3)'),
  (3, 'redflags(1,1,1,1,1,1,1,1,1,1,1,1)', NULL, 'psq(0,null,null)');
CREATE TABLE public.notes (id int PRIMARY KEY, r alliance.response, rs alliance.response[]);
INSERT INTO public.notes VALUES (1, 'vas3(1,2,3)', ARRAY['redflags(1,0,0,0,0,0,0,0,0,0,0,0)'::alliance.response, 'ors(1,2,3,4)']);
CREATE TABLE public.dyads AS
SELECT 1 AS id, alliance.dyad(s, c, t) AS d
FROM (VALUES (1, 'srs(9,9,9,9)'::alliance.response, 'vas3(1,2,3)'::alliance.response),
             (2, 'srs(7,7,7,7.5)', 'vas3(4,5,6.5)'), (3, NULL, 'vas3(1,1,1)')) v(s, c, t);
INSERT INTO alliance.calibrated_norms (instrument, sd, reliability, error_sd, clients, sessions, source)
VALUES ('srs', 5, 0.96, 1, 40, 400, 'a calibration');
"
snapshot="SELECT string_agg(concat_ws(' | ', id, flags, srs, any_form, alliance.total(flags), alliance.total(srs), alliance.total(any_form)), E'\n' ORDER BY id) FROM aa_clinic.visits"
snapshot2="SELECT string_agg(concat_ws(' | ', id, r, rs::text, alliance.total(r), alliance.total(rs[1])), E'\n' ORDER BY id) FROM public.notes"

run_round() {  # $1 = label, $2 = role to act as ('' = superuser)
  local label=$1 role=$2 db=alliance_dump_$$_$1 rolesql='' dumpopt='' restopt=''
  if [ -n "$role" ]; then
    sq -c "DROP ROLE IF EXISTS $role" -c "CREATE ROLE $role NOLOGIN" >/dev/null 2>&1
    rolesql="SET ROLE $role;"; dumpopt="--role=$role"; restopt="--role=$role"
  fi
  sq -c "CREATE DATABASE $db${role:+ OWNER $role}" >/dev/null
  if sq -d "$db" -c "$rolesql $setup_sql" >/dev/null 2>"$tmp/err"; then ok "$label: set up a database with custom values in aa_clinic and public"
  else notok "$label: set up" "$(cat "$tmp/err")"; fi
  local before before2; before=$(sq -d "$db" -c "$snapshot"); before2=$(sq -d "$db" -c "$snapshot2")
  is "$(echo "$before" | sed -n 2p)" "2 | redflags(0,0,0,0,0,0,0,0,0,0,0,null) | srs(9.0,9.0,9.0,9.0) | wai_sr(5,3,5,4,5,4,null,3,5,4,4,3) | 0 | 36.0 | 49.0909090909090909" \
     "$label: the source rows score as expected"
  check "$label: pg_dump" pg_dump $dumpopt -Fc -d "$db" -f "$tmp/$label.dump"

  sq -c "CREATE DATABASE ${db}_r${role:+ OWNER $role}" >/dev/null
  check "$label: pg_restore" pg_restore $restopt --exit-on-error -d "${db}_r" "$tmp/$label.dump"
  is "$(sq -d "${db}_r" -c "$snapshot")" "$before" "$label: aa_clinic rows and their scores are identical after restore"
  is "$(sq -d "${db}_r" -c "$snapshot2")" "$before2" "$label: public rows (array column too) are identical after restore"
  is "$(sq -d "${db}_r" -c "SELECT d::text || ' ' || alliance.paired_sessions(d) || ' ' || alliance.mean_gap(d) FROM public.dyads")" \
     "$(sq -d "$db" -c "SELECT d::text || ' ' || alliance.paired_sessions(d) || ' ' || alliance.mean_gap(d) FROM public.dyads")" \
     "$label: a stored dyad (a custom therapist form) and its figures are identical after restore"
  is "$(sq -d "${db}_r" -c "SELECT string_agg(code || '=' || fingerprint, ',' ORDER BY code) FROM alliance.instruments WHERE NOT builtin")" \
     "$(sq -d "$db" -c "SELECT string_agg(code || '=' || fingerprint, ',' ORDER BY code) FROM alliance.instruments WHERE NOT builtin")" \
     "$label: definitions and fingerprints survive"
  is "$(sq -d "${db}_r" -c "SELECT norms_source || ' ' || active_error_sd FROM alliance.instruments WHERE code = 'srs'")" \
     "clinic 1" "$label: the clinic's calibration survives (pg_extension_config_dump)"
  is "$(sq -d "${db}_r" -c "SELECT threshold FROM alliance.ruptures('int:srs{1=38,2=38,3=38,4=34}')")" \
     "3.0" "$label: ... and the rupture rule uses it after the restore (3 x error SD 1)"
  is "$(sq -d "${db}_r" -c "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'aa_clinic.visits'::regclass AND attname = 'flags'")" \
     "alliance.response(redflags)" "$label: the custom typmod survives"

  # a generated column that scores custom values
  sq -d "$db" -c "$rolesql CREATE TABLE aa_clinic.scored (id int, flags alliance.response(redflags), total numeric GENERATED ALWAYS AS (alliance.total(flags)) STORED);
                  INSERT INTO aa_clinic.scored (id, flags) VALUES (1, 'redflags(1,1,0,0,0,0,0,0,0,0,0,0)'), (2, 'redflags(0,0,0,0,0,0,0,0,0,0,0,1)')" >/dev/null
  pg_dump $dumpopt -Fc -d "$db" -f "$tmp/$label-gen.dump"
  sq -c "CREATE DATABASE ${db}_g${role:+ OWNER $role}" >/dev/null
  if pg_restore $restopt -d "${db}_g" "$tmp/$label-gen.dump" >"$tmp/gen.log" 2>&1; then
    notok "$label: plain restore of a generated score column fails loudly" "$(cat "$tmp/gen.log")"
  elif grep -q 'instrument "redflags" is not defined in this database' "$tmp/gen.log"; then
    ok "$label: plain restore of a generated score column fails loudly, naming the instrument"
  else notok "$label: plain restore fails for the documented reason" "$(cat "$tmp/gen.log")"; fi
  is "$(sq -d "${db}_g" -c "SELECT count(*) FROM aa_clinic.scored")" "0" "$label: ... and stores no wrong score"
  # the recipe: list, move the configuration data first, restore with -L
  sq -c "CREATE DATABASE ${db}_l${role:+ OWNER $role}" >/dev/null
  pg_restore -l "$tmp/$label-gen.dump" > "$tmp/list"
  { grep -v 'TABLE DATA alliance custom_instruments' "$tmp/list" | sed '/TABLE DATA/,$d'
    grep 'TABLE DATA alliance custom_instruments' "$tmp/list"
    grep -v 'TABLE DATA alliance custom_instruments' "$tmp/list" | sed -n '/TABLE DATA/,$p'; } > "$tmp/list.ordered"
  check "$label: the documented recipe (configuration data first, pg_restore -L) restores it" \
    pg_restore $restopt --exit-on-error -L "$tmp/list.ordered" -d "${db}_l" "$tmp/$label-gen.dump"
  is "$(sq -d "${db}_l" -c "SELECT string_agg(id || ':' || total, ',' ORDER BY id) FROM aa_clinic.scored")" "1:2,2:1" \
     "$label: generated scores are right after the recipe"
  for d in "$db" "${db}_r" "${db}_g" "${db}_l"; do sq -c "DROP DATABASE $d" >/dev/null; done
  [ -n "$role" ] && sq -c "DROP ROLE $role" >/dev/null
}

run_round super ''
run_round owner clinic_dump_owner
