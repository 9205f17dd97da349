#!/usr/bin/env bash
# Hijack-proof functions and scripts, as contrib/seg's security test checks:
# a role that may create objects in a schema on the caller's search_path
# plants operators and functions named like the ones alliance's SQL uses,
# with argument types that would beat pg_catalog's on an inexact match.
# Then a superuser, with that schema searched FIRST (search_path = public,
# pg_catalog, the worst case), installs 0.1.0, upgrades it, defines and drops
# instruments, writes the configuration table, and calls every kind of
# function.  No planted object may run: each one records its call and tries
# to make its owner superuser.  Runs inside pg_virtualenv.
set -u
. "$(dirname "$0")/lib/tap.bash"
root=$(cd "$(dirname "$0")/../.." && pwd)
oldest=$(cd "$root/sql/released" && ls alliance--*.sql | sed 's/alliance--\(.*\)\.sql/\1/' | sort -V | head -1)
echo "1..6"
db=alliance_planted_$$
sq() { psql -XqAt -v ON_ERROR_STOP=1 "$@"; }
sq -c "SET client_min_messages = warning" -c "DROP ROLE IF EXISTS mallory" -c "CREATE ROLE mallory NOLOGIN" \
   -c "CREATE DATABASE $db" >/dev/null
sq -d "$db" -c "GRANT CREATE ON SCHEMA public TO mallory" >/dev/null

# The trap: every planted object logs its name and tries to escalate.  (This
# script's own queries qualify their operators: the trap works on any query.)
sq -d "$db" >/dev/null <<'SQL'
SET ROLE mallory;
CREATE TABLE public.planted_calls (what text);
GRANT INSERT, SELECT ON public.planted_calls TO PUBLIC;
CREATE FUNCTION public.planted(what text) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO public.planted_calls VALUES (what);
    BEGIN EXECUTE 'ALTER ROLE mallory SUPERUSER'; EXCEPTION WHEN OTHERS THEN NULL; END;
    RETURN true;
END $$;
DO $$
DECLARE
    pair text[];
    op text;
    fn text;
    n int := 0;
BEGIN
    -- operators on pairs where pg_catalog has only a cast-requiring candidate
    FOREACH pair SLICE 1 IN ARRAY ARRAY[
        ['name', 'text'], ['text', 'name'], ['oid', 'regclass'], ['regclass', 'oid'], ['oid', 'regtype'],
        ['regtype', 'oid'], ['oid', 'regnamespace'], ['oid', 'regproc'], ['"char"', 'text'], ['text', '"char"'],
        ['int2', 'int4'], ['int4', 'int8'], ['int8', 'int4'], ['numeric', 'int4'], ['int4', 'numeric'],
        ['numeric', 'float8'], ['float8', 'numeric'], ['jsonb', 'text'], ['text', 'varchar'], ['varchar', 'text'],
        ['int4[]', 'int4'], ['text[]', 'text'], ['int2', 'int8'], ['xid', 'int8']]
    LOOP
        n := n + 1;
        fn := format('public.planted_op_%s', n);
        EXECUTE format('CREATE FUNCTION %s(%s, %s) RETURNS boolean LANGUAGE sql RETURN public.planted(%L)',
                       fn, pair[1], pair[2], 'operator on ' || pair[1] || ', ' || pair[2]);
        FOREACH op IN ARRAY ARRAY['=', '<>', '<', '>', '<=', '>=', '||', '~~', '~', '@>', '<@', '&&'] LOOP
            EXECUTE format('CREATE OPERATOR public.%s (LEFTARG = %s, RIGHTARG = %s, FUNCTION = %s)', op, pair[1], pair[2], fn);
        END LOOP;
    END LOOP;
    -- functions named like built-ins alliance's SQL calls, on types that win an inexact match
    FOREACH fn IN ARRAY ARRAY['format', 'quote_ident', 'lower', 'upper', 'length', 'concat', 'concat_ws',
                              'array_length', 'cardinality', 'jsonb_typeof', 'jsonb_array_length', 'to_jsonb',
                              'pg_describe_object', 'pg_get_userbyid', 'string_agg', 'coalesce', 'trim', 'btrim',
                              'substr', 'position', 'regexp_replace', 'current_setting', 'set_config', 'unnest',
                              'round', 'abs', 'sqrt', 'greatest', 'least', 'nullif', 'count', 'sum', 'max', 'min']
    LOOP
        EXECUTE format('CREATE FUNCTION public.%I(name) RETURNS text LANGUAGE sql RETURN public.planted(%L)::text', fn, fn || '(name)');
        EXECUTE format('CREATE FUNCTION public.%I(varchar) RETURNS text LANGUAGE sql RETURN public.planted(%L)::text', fn, fn || '(varchar)');
        EXECUTE format('CREATE FUNCTION public.%I(int4) RETURNS text LANGUAGE sql RETURN public.planted(%L)::text', fn, fn || '(int4)');
    END LOOP;
END $$;
SQL
n=$(sq -d "$db" -c "SELECT count(*) FROM pg_operator WHERE oprnamespace OPERATOR(pg_catalog.=) 'public'::regnamespace::oid")
[ "$n" -gt 200 ] && ok "mallory planted $n operators and a hundred functions in public" || notok "mallory planted operators" "$n"

as_victim="SET search_path = public, pg_catalog;"
if out=$(sq -d "$db" -c "$as_victim CREATE EXTENSION alliance VERSION '$oldest'" -c "$as_victim ALTER EXTENSION alliance UPDATE" 2>&1); then
  ok "a superuser searching public first installs $oldest and upgrades it"
else notok "a superuser searching public first installs $oldest and upgrades it" "$out"; fi

# The caller's own expressions are the caller's business: the data are made
# with pg_catalog first; only alliance's calls run with public searched first.
setup="
SET search_path = pg_catalog, public;
SELECT alliance.define_instrument('myform', 'Clinic form', 6, 1, 5, reversed => '{2,5}',
       scales => '{\"bond\": [1,2,3], \"task\": [4,5,6]}', bordin => '{\"bond\": \"bond\"}', cutoff => 3.5, score => 'mean');
SELECT alliance.define_instrument('spare', 'Unused form', 2, 0, 10, step => 0.5);
CREATE TABLE public.visits (client int, session int, subject text, srs alliance.response(srs), f alliance.response(myform), qr jsonb);
INSERT INTO public.visits SELECT c, s, pg_catalog.format('Patient/%s', c), alliance.response('srs', ARRAY[9, 9, 8 + s % 2, 9]::numeric[]),
       pg_catalog.format('myform(5,1,4,%s,2,5)', 1 + s % 5)::alliance.response,
       jsonb_build_object('resourceType', 'QuestionnaireResponse', 'status', 'completed', 'item', jsonb_build_array(
         jsonb_build_object('linkId', '1', 'answer', jsonb_build_array(jsonb_build_object('valueDecimal', 9))),
         jsonb_build_object('linkId', '2', 'answer', jsonb_build_array(jsonb_build_object('valueDecimal', 8.5))),
         jsonb_build_object('linkId', '3', 'answer', jsonb_build_array(jsonb_build_object('valueDecimal', 9))),
         jsonb_build_object('linkId', '4', 'answer', jsonb_build_array(jsonb_build_object('valueDecimal', 9)))))
FROM generate_series(1, 3) c, generate_series(1, 5) s;
CREATE TABLE public.answers (item int, value numeric);
INSERT INTO public.answers VALUES (1, 9), (2, 9), (3, 8.5), (4, 9);
"
if out=$(sq -d "$db" -c "$setup" 2>&1 >/dev/null); then ok "a superuser defines two instruments and stores values of them"
else notok "a superuser defines two instruments and stores values of them" "$out"; fi
work="
$as_victim
SELECT alliance.total(srs), alliance.score(f), alliance.subscales(f), alliance.pomp(f), alliance.bond(f), alliance.at_risk(f),
       alliance.flagged_items(srs), alliance.items(f), alliance.item(f, 2), alliance.answered(f), alliance.mean(f),
       alliance.reliable_change(f, f, points => 1), alliance.to_fhir(f, subject => subject), alliance.from_fhir(qr, 'srs'),
       alliance.from_fhir_row(qr, instrument => 'srs'), alliance.instrument(f), alliance.subscale(f, 'bond'),
       alliance.goal(srs), alliance.task(srs), CAST(srs AS jsonb), CAST(CAST(srs AS jsonb) AS alliance.response)
FROM public.visits;
SELECT alliance.summary(srs), alliance.alpha(f), alliance.alpha(f, 'bond'), alliance.norms(f) FROM public.visits;
SELECT alliance.trajectory(session, srs), alliance.trajectory(session, f), alliance.trajectory(session, alliance.total(srs), 'max')
FROM public.visits GROUP BY client;
SELECT alliance.status(t), alliance.sparkline(t), alliance.svg(t), alliance.ruptures(t, 'drop', points => 1),
       alliance.first_score(t), alliance.last_score(t), alliance.slope(t), alliance.sessions(t)
FROM (SELECT alliance.trajectory(session, srs) AS t FROM public.visits GROUP BY client) x;
SELECT alliance.rollup(t, 'mean') FROM (SELECT alliance.trajectory(session, f) AS t FROM public.visits GROUP BY client) x;
SELECT alliance.rupture_alert(session, srs, 'drop', points => 1) OVER (PARTITION BY client ORDER BY session) FROM public.visits;
SELECT alliance.response_agg('srs', item, value) FROM public.answers;
SELECT * FROM alliance.instruments;
SELECT alliance.instrument_use('myform');
UPDATE alliance.custom_instruments SET name = 'Clinic form, renamed' WHERE code = 'myform';
SELECT alliance.drop_instrument('spare');
"
if out=$(sq -d "$db" -c "$work" 2>&1 >/dev/null); then ok "... and defines, scores, aggregates, charts, renames and drops instruments"
else notok "... and defines, scores, aggregates, charts, renames and drops instruments" "$out"; fi
is "$(sq -d "$db" -c "SET search_path = pg_catalog" -c "SELECT coalesce(string_agg(DISTINCT what, ', '), 'none') FROM public.planted_calls")" "none" "no planted operator or function ran"
is "$(sq -c "SELECT rolsuper FROM pg_roles WHERE rolname OPERATOR(pg_catalog.=) 'mallory'")" "f" "mallory is not superuser"
sq -c "DROP DATABASE $db" -c "DROP ROLE mallory" >/dev/null
