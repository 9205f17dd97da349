-- pgTAP: least privilege (doc/security.md).  Row-level security holds through
-- every aggregate, the window alert and the FHIR functions; an ordinary role
-- cannot define, change or drop instruments or write the configuration table;
-- every SQL and PL/pgSQL function pins its search_path.
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
\pset pager off
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS alliance;
SELECT plan(33);

SELECT is_empty($$ SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid
                   JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'alliance' AND d.deptype = 'e'
                   JOIN pg_language l ON l.oid = p.prolang
                   WHERE l.lanname IN ('sql', 'plpgsql')
                     AND NOT coalesce('search_path=pg_catalog, pg_temp' = ANY (p.proconfig), false) $$,
                'every SQL and PL/pgSQL function runs with SET search_path = pg_catalog, pg_temp');
SELECT is_empty($$ SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid
                   JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'alliance' AND d.deptype = 'e'
                   JOIN pg_language l ON l.oid = p.prolang
                   WHERE l.lanname = 'sql' AND p.prosqlbody IS NULL $$,
                'every SQL function has a BEGIN ATOMIC body (parsed at creation, immune to later search_path tricks)');

-- ------------------------------------------------------------ row-level security
CREATE ROLE al_sec_th_a NOLOGIN;
CREATE ROLE al_sec_th_b NOLOGIN;
CREATE ROLE al_sec_plain NOLOGIN;
CREATE TABLE public.al_sec_sessions (therapist name, client int, session int, srs alliance.response, fhir jsonb);
INSERT INTO public.al_sec_sessions (therapist, client, session, srs)
SELECT CASE WHEN c <= 2 THEN 'al_sec_th_a' ELSE 'al_sec_th_b' END, c, s,
       alliance.response('srs', ARRAY[9, 9, 9, CASE WHEN c <= 2 THEN 9 - (s = 3)::int * 4 ELSE 2 + s % 3 END]::numeric[])
FROM generate_series(1, 4) c, generate_series(1, 6) s;
UPDATE public.al_sec_sessions SET fhir = jsonb_build_object('resourceType', 'QuestionnaireResponse', 'status', 'completed',
    'item', jsonb_build_array(
        jsonb_build_object('linkId', '1', 'answer', jsonb_build_array(jsonb_build_object('valueDecimal', alliance.item(srs, 1)))),
        jsonb_build_object('linkId', '2', 'answer', jsonb_build_array(jsonb_build_object('valueDecimal', alliance.item(srs, 2)))),
        jsonb_build_object('linkId', '3', 'answer', jsonb_build_array(jsonb_build_object('valueDecimal', alliance.item(srs, 3)))),
        jsonb_build_object('linkId', '4', 'answer', jsonb_build_array(jsonb_build_object('valueDecimal', alliance.item(srs, 4))))));
ALTER TABLE public.al_sec_sessions ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_clients ON public.al_sec_sessions USING (therapist = current_user);
GRANT SELECT ON public.al_sec_sessions TO al_sec_th_a, al_sec_th_b;

-- what therapist a may see, computed by the owner (who bypasses the policy)
SELECT count(*) AS n_a, sum(alliance.total(srs)) AS sum_a, (alliance.summary(srs)).mean AS mean_a,
       alliance.alpha(srs) IS NOT DISTINCT FROM NULL AS alpha_a_null, (alliance.norms(srs)).n AS norms_n_a
FROM public.al_sec_sessions WHERE therapist = 'al_sec_th_a' \gset
SELECT string_agg(t::text, ' ' ORDER BY client) AS traj_a FROM (
    SELECT client, alliance.trajectory(session, srs) AS t FROM public.al_sec_sessions
    WHERE therapist = 'al_sec_th_a' GROUP BY client) x \gset

SET ROLE al_sec_th_a;
SELECT is((SELECT count(*) FROM public.al_sec_sessions), 12::bigint, 'RLS: therapist a sees only the 12 rows of its own clients');
SELECT is((SELECT sum(alliance.total(srs)) FROM public.al_sec_sessions), :sum_a::numeric, 'RLS: total() over its own rows only');
SELECT is((SELECT (alliance.summary(srs)).mean FROM public.al_sec_sessions), :'mean_a'::numeric, 'RLS: summary() over its own rows only');
SELECT is((SELECT alliance.alpha(srs) IS NOT DISTINCT FROM NULL FROM public.al_sec_sessions), :'alpha_a_null'::boolean, 'RLS: alpha() over its own rows only');
SELECT is((SELECT (alliance.norms(srs)).n FROM public.al_sec_sessions), :norms_n_a::bigint, 'RLS: norms() over its own rows only');
SELECT is((SELECT string_agg(t::text, ' ' ORDER BY client) FROM (SELECT client, alliance.trajectory(session, srs) AS t
           FROM public.al_sec_sessions GROUP BY client) x), :'traj_a', 'RLS: trajectory() per client over its own rows only');
SELECT is((SELECT alliance.rollup(t)::text FROM (SELECT alliance.trajectory(session, srs) AS t FROM public.al_sec_sessions WHERE client = 1) x),
          (SELECT split_part(:'traj_a', ' ', 1)), 'RLS: rollup() of its own trajectories');
SELECT is((SELECT count(*) FILTER (WHERE a) FROM (SELECT alliance.rupture_alert(session, srs, 'drop', points => 3)
           OVER (PARTITION BY client ORDER BY session) AS a FROM public.al_sec_sessions) x), 2::bigint,
          'RLS: rupture_alert() over its own rows only (2 alerts, one per own client)');
SELECT is((SELECT count(*) FROM public.al_sec_sessions WHERE alliance.from_fhir(fhir, 'srs') OPERATOR(alliance.=) srs), :n_a::bigint,
          'RLS: from_fhir() reads its own rows'' QuestionnaireResponses only');
SELECT is((SELECT count(DISTINCT alliance.to_fhir(srs, subject => 'Patient/' || client)->'subject'->>'reference') FROM public.al_sec_sessions), 2::bigint,
          'RLS: to_fhir() writes Observations for its own two clients only');
RESET ROLE;
SET ROLE al_sec_th_b;
SELECT is((SELECT count(*) FROM public.al_sec_sessions WHERE client <= 2), 0::bigint, 'RLS: therapist b sees none of a''s clients');
RESET ROLE;

-- ------------------------------------------------------ instruments and configuration
SELECT alliance.define_instrument('al_sec_form', 'Owner''s form', 3, 1, 5);
SET ROLE al_sec_plain;
SELECT throws_ok($$ SELECT alliance.define_instrument('al_sec_mine', 'x', 2, 1, 3) $$, '42501', NULL,
                 'an ordinary role cannot define an instrument');
SELECT throws_ok($$ SELECT alliance.drop_instrument('al_sec_form') $$, '42501', NULL,
                 'an ordinary role cannot drop another role''s instrument');
SELECT throws_ok($$ UPDATE alliance.custom_instruments SET name = 'taken over' WHERE code = 'al_sec_form' $$, '42501', NULL,
                 'an ordinary role cannot change another role''s definition directly');
SELECT throws_ok($$ DELETE FROM alliance.custom_instruments $$, '42501', NULL,
                 'an ordinary role cannot delete definitions directly');
SELECT throws_ok($$ INSERT INTO alliance.custom_instruments (code, name, items, min, max) VALUES ('al_sec_x', 'x', 2, 1, 3) $$, '42501', NULL,
                 'an ordinary role cannot insert definitions directly');
SELECT throws_ok($$ TRUNCATE alliance.custom_instruments $$, '42501', NULL,
                 'an ordinary role cannot truncate the configuration table');
SELECT throws_ok($$ CREATE FUNCTION alliance.total(text) RETURNS int LANGUAGE sql RETURN 1 $$, '42501', NULL,
                 'an ordinary role cannot create objects in schema alliance');
SELECT is((SELECT name FROM alliance.instruments WHERE code = 'al_sec_form'), 'Owner''s form', 'the definition is unchanged');
-- a clinic's calibration changes every rupture the database reports: administrative too
CREATE TEMP TABLE al_sec_visits (client int, session int, r alliance.response);
SELECT throws_ok($$ SELECT * FROM alliance.calibrate('al_sec_visits', 'client', 'session', 'r') $$, '42501', NULL,
                 'an ordinary role cannot calibrate (it writes alliance.calibrated_norms)');
SELECT throws_ok($$ INSERT INTO alliance.calibrated_norms (instrument, sd, reliability, error_sd, clients, sessions, source)
                    VALUES ('srs', 100, 0.99, 10, 99, 999, 'x') $$, '42501', NULL,
                 'an ordinary role cannot write a calibration directly');
SELECT throws_ok($$ DELETE FROM alliance.calibrated_norms $$, '42501', NULL,
                 'an ordinary role cannot delete calibrations');
SELECT throws_ok($$ SELECT alliance.reset_norms('srs') $$, '42501', NULL,
                 'an ordinary role cannot reset a calibration');
SELECT is((SELECT norms_source FROM alliance.instruments WHERE code = 'srs'), 'published', 'the norms in use are unchanged');
RESET ROLE;
-- calibrate reads the source with the caller's rights: the owner cannot read what it may not
CREATE TABLE al_sec_private (client int, session int, r alliance.response);
ALTER TABLE al_sec_private OWNER TO al_sec_th_a;
REVOKE ALL ON al_sec_private FROM PUBLIC;
CREATE ROLE al_sec_admin NOLOGIN;
GRANT INSERT, UPDATE, DELETE ON alliance.calibrated_norms TO al_sec_admin;
SET ROLE al_sec_admin;
SELECT throws_ok($$ SELECT * FROM alliance.calibrate('al_sec_private', 'client', 'session', 'r') $$, '42501', NULL,
                 'calibrate reads the source table with the caller''s rights');
RESET ROLE;

-- ------------------------------------------------------------ alerts
-- a clinic role owns the sessions; therapists write their own clients'
-- sessions; alerts are read through row-level security by therapist
CREATE ROLE al_sec_clinic NOLOGIN;
GRANT CREATE ON SCHEMA public TO al_sec_clinic;
CREATE TABLE public.al_sec_caseload (client int PRIMARY KEY, therapist name);
INSERT INTO public.al_sec_caseload VALUES (1, 'al_sec_th_a'), (2, 'al_sec_th_b');
GRANT SELECT ON public.al_sec_caseload TO PUBLIC;
SET ROLE al_sec_clinic;
CREATE TABLE public.al_sec_watched (client int, session int, r alliance.response(srs), UNIQUE (client, session));
SET client_min_messages = warning;
SELECT is(alliance.watch('public.al_sec_watched', 'client', 'session', 'r')::text, 'al_sec_watched_alerts',
          'the owner of a table of sessions may watch it');
RESET client_min_messages;
GRANT SELECT, INSERT ON public.al_sec_watched TO al_sec_th_a, al_sec_th_b;
RESET ROLE;
SET ROLE al_sec_plain;
SELECT throws_ok($$ SELECT alliance.unwatch('public.al_sec_watched') $$, '42501', NULL,
                 'another role cannot unwatch it');
RESET ROLE;
SET ROLE al_sec_th_a;
SELECT throws_ok($$ INSERT INTO public.al_sec_watched VALUES (1, 1, 'srs(9,9,9,9)') $$, '42501', NULL,
                 'a writer without rights on the alerts table cannot write a watched table (no alert is lost silently)');
RESET ROLE;
SET ROLE al_sec_clinic;
GRANT SELECT, INSERT, UPDATE ON public.al_sec_watched_alerts TO al_sec_th_a, al_sec_th_b;
ALTER TABLE public.al_sec_watched_alerts ENABLE ROW LEVEL SECURITY;
CREATE POLICY by_therapist ON public.al_sec_watched_alerts
    USING (client IN (SELECT client FROM public.al_sec_caseload WHERE therapist = current_user));
RESET ROLE;
SET ROLE al_sec_th_a;
INSERT INTO public.al_sec_watched VALUES (1, 1, 'srs(9,9,9,9)'), (1, 2, 'srs(9,9,9,9)'), (1, 3, 'srs(9,9,9,9)'),
                                         (1, 4, 'srs(9,9,9,9)'), (1, 5, 'srs(5,5,5,5)');
RESET ROLE;
SET ROLE al_sec_th_b;
INSERT INTO public.al_sec_watched VALUES (2, 1, 'srs(9,9,9,9)'), (2, 2, 'srs(9,9,9,9)'), (2, 3, 'srs(9,9,9,9)'),
                                         (2, 4, 'srs(9,9,9,9)'), (2, 5, 'srs(5,5,5,5)');
SELECT is((SELECT string_agg(DISTINCT client::text, ',') FROM public.al_sec_watched_alerts), '2',
          'with a policy by therapist, a therapist sees the alerts of their own clients only');
RESET ROLE;
SELECT is((SELECT count(*) FROM public.al_sec_watched_alerts), 4::bigint,
          'the triggers raised each therapist''s alerts with that therapist''s rights (2 clients x rupture and cut-off)');
SELECT is((SELECT count(*) FROM pg_proc p JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid
           JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'alliance'
           WHERE p.proname IN ('watch', 'unwatch', 'watch_judge', 'acknowledge', 'resolve') AND NOT p.prosecdef), 5::bigint,
          'watch, its trigger, acknowledge and resolve are SECURITY INVOKER');

SELECT * FROM finish();
ROLLBACK;
