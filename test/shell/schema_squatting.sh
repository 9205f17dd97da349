#!/usr/bin/env bash
# A role with only CREATE on the database must not be able to prepare schema
# "alliance" for somebody else's CREATE EXTENSION (doc/security.md).  Before
# the install guard, a superuser's CREATE EXTENSION went into the squatter's
# schema and the README's own alliance.total('srs(...)') ran the squatter's
# alliance.total(text) as superuser, making the squatter superuser.
# Runs inside pg_virtualenv; roles are taken with SET ROLE.
set -u
. "$(dirname "$0")/lib/tap.bash"
echo "1..16"
db=alliance_squat_$$
sq() { psql -XqAt -v ON_ERROR_STOP=1 "$@"; }
sq -c "SET client_min_messages = warning" -c "DROP ROLE IF EXISTS squatter" -c "DROP ROLE IF EXISTS clinic_owner" \
   -c "CREATE ROLE squatter NOLOGIN" -c "CREATE ROLE clinic_owner NOLOGIN" >/dev/null
fresh() { sq -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" \
             -c "GRANT CREATE ON DATABASE $db TO squatter, clinic_owner" >/dev/null; }
installed() { sq -d "$db" -c "SELECT count(*) FROM pg_extension WHERE extname = 'alliance'"; }

# 1. The attack as reported: a planted alliance.total(text) that grants superuser.
fresh
sq -d "$db" -c "SET ROLE squatter" -c "CREATE SCHEMA alliance" \
   -c "CREATE FUNCTION alliance.total(text) RETURNS numeric LANGUAGE plpgsql AS \$\$BEGIN ALTER ROLE squatter SUPERUSER; RETURN 0; END\$\$" \
   -c "GRANT USAGE ON SCHEMA alliance TO PUBLIC" >/dev/null
out=$(psql -XqAt -d "$db" -v VERBOSITY=verbose -c "CREATE EXTENSION alliance" 2>&1)
case "$out" in *"42501"*"schema alliance is owned by role squatter, not by"*) ok "a superuser's CREATE EXTENSION into a squatted schema is refused (42501, names the owner)";;
  *) notok "a superuser's CREATE EXTENSION into a squatted schema is refused" "$out";; esac
case "$out" in *"HINT:"*"doc/security.md"*) ok "... with a hint on what to do";; *) notok "... with a hint on what to do" "$out";; esac
is "$(installed)" "0" "... and nothing is installed"
is "$(sq -c "SELECT rolsuper FROM pg_roles WHERE rolname = 'squatter'")" "f" "the squatter's function never ran: it is not superuser"

# 2. An empty squatted schema: same refusal (the owner could plant later or DROP ... CASCADE).
fresh
sq -d "$db" -c "SET ROLE squatter" -c "CREATE SCHEMA alliance" >/dev/null
out=$(psql -XqAt -d "$db" -c "SET ROLE clinic_owner" -c "CREATE EXTENSION alliance" 2>&1)
case "$out" in *"schema alliance is owned by role squatter, not by clinic_owner"*) ok "a trusted install by another role into an empty squatted schema is refused";;
  *) notok "a trusted install by another role into an empty squatted schema is refused" "$out";; esac
is "$(installed)" "0" "... and nothing is installed"

# 3. The installer's own schema, empty: allowed (what a restore as the owner does).
fresh
sq -d "$db" -c "SET ROLE clinic_owner" -c "CREATE SCHEMA alliance" >/dev/null
check "the installing role's own empty schema is accepted" sq -d "$db" -c "SET ROLE clinic_owner" -c "CREATE EXTENSION alliance"
is "$(sq -d "$db" -c "SELECT alliance.total('srs(9,9,9,9)')")" "36.0" "... and the extension works"

# 4. A superuser's empty schema: allowed (a superuser gains nothing from it).
fresh
sq -d "$db" -c "CREATE SCHEMA alliance" >/dev/null
check "a superuser-owned empty schema is accepted for a trusted install" sq -d "$db" -c "SET ROLE clinic_owner" -c "CREATE EXTENSION alliance"

# 5. The installer's own schema with something already in it: refused.
fresh
sq -d "$db" -c "SET ROLE clinic_owner" -c "CREATE SCHEMA alliance" -c "CREATE FUNCTION alliance.total(text) RETURNS int LANGUAGE sql RETURN 1" >/dev/null
out=$(psql -XqAt -d "$db" -v VERBOSITY=verbose -c "SET ROLE clinic_owner" -c "CREATE EXTENSION alliance" 2>&1)
case "$out" in *"42P06"*"schema alliance already holds 1 object(s)"*) ok "a schema that already holds objects is refused (42P06)";;
  *) notok "a schema that already holds objects is refused (42P06)" "$out";; esac
is "$(installed)" "0" "... and nothing is installed"

# 6. The installer's own empty schema, but others may create in it: refused.
fresh
sq -d "$db" -c "SET ROLE clinic_owner" -c "CREATE SCHEMA alliance" -c "GRANT CREATE ON SCHEMA alliance TO PUBLIC, squatter" >/dev/null
out=$(psql -XqAt -d "$db" -c "SET ROLE clinic_owner" -c "CREATE EXTENSION alliance" 2>&1)
case "$out" in *"other roles may create objects in schema alliance: PUBLIC, squatter"*|*"other roles may create objects in schema alliance: squatter, PUBLIC"*)
  ok "a schema where other roles may create is refused, naming them";;
  *) notok "a schema where other roles may create is refused, naming them" "$out";; esac

# 7. The normal case still works, and the schema the extension made is the installer's.
fresh
check "CREATE EXTENSION into no prior schema works" sq -d "$db" -c "SET ROLE clinic_owner" -c "CREATE EXTENSION alliance"
is "$(sq -d "$db" -c "SELECT nspowner::regrole FROM pg_namespace WHERE nspname = 'alliance'")" "clinic_owner" \
   "... and the schema it creates belongs to the installing role"

# 8. A squatter cannot take the schema away after a proper install either.
out=$(psql -XqAt -d "$db" -c "SET ROLE squatter" -c "DROP SCHEMA alliance CASCADE" 2>&1)
case "$out" in *"must be owner of schema alliance"*) ok "another role cannot drop the extension's schema";;
  *) notok "another role cannot drop the extension's schema" "$out";; esac
is "$(installed)" "1" "... and the extension is still there"

sq -c "DROP DATABASE $db" -c "DROP ROLE squatter" -c "DROP ROLE clinic_owner" >/dev/null
