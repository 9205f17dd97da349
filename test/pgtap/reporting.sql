-- pgTAP: the catalogue contracts of the reporting aggregates (summary, alpha,
-- norms) and the SQLSTATEs of their errors.  Values: sql/reporting.sql.
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
\pset pager off
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS alliance;
SELECT plan(18);

CREATE TEMP VIEW rep_aggs AS
    SELECT a.*, p.proname, p.proparallel
    FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid
    JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE n.nspname = 'alliance' AND p.proname IN ('summary', 'alpha', 'norms');

SELECT is((SELECT count(*) FROM rep_aggs), 4::bigint, 'summary, alpha (two forms) and norms exist');
SELECT is_empty($$ SELECT aggfnoid::regprocedure::text FROM rep_aggs WHERE aggtranstype <> 'alliance.stats_state'::regtype $$,
                'their state is the concrete type alliance.stats_state, not internal (Citus can split them)');
SELECT is_empty($$ SELECT aggfnoid::regprocedure::text FROM rep_aggs WHERE aggcombinefn = 0 $$,
                'every one has a combine function');
SELECT is_empty($$ SELECT aggfnoid::regprocedure::text FROM rep_aggs WHERE aggserialfn <> 0 OR aggdeserialfn <> 0 $$,
                'no serial/deserial functions are needed');
SELECT is_empty($$ SELECT aggfnoid::regprocedure::text FROM rep_aggs WHERE proparallel <> 's' $$,
                'every one is PARALLEL SAFE');
SELECT is_empty($$ SELECT aggfnoid::regprocedure::text FROM rep_aggs WHERE aggfinalmodify <> 'r' $$,
                'final functions are READ_ONLY');
SELECT is_empty($$ SELECT aggfnoid::regprocedure::text FROM rep_aggs WHERE aggtransspace < 64 OR aggtransspace > 4096 $$,
                'SSPACE is set and realistic');
SELECT is_empty($$ SELECT p.oid::regprocedure::text FROM rep_aggs a
                   JOIN pg_proc p ON p.oid IN (a.aggtransfn, a.aggcombinefn, a.aggfinalfn)
                   WHERE p.procost <> 1 $$,
                'support functions are COST 1');
SELECT is_empty($$ SELECT aggfnoid::regprocedure::text FROM rep_aggs WHERE agginitval IS DISTINCT FROM '{}' $$,
                'the state starts as the empty state {}');
SELECT ok((SELECT typinput <> 0 AND typoutput <> 0 AND typlen = -1
           FROM pg_type WHERE oid = 'alliance.stats_state'::regtype), 'stats_state is a varlena with text I/O');

SELECT throws_ok($$ SELECT alliance.summary(r) FROM (VALUES ('srs(9,9,9,9)'::alliance.response),
                     ('wai_sr(4,3,5,4,5,4,4,3,5,4,4,3)')) v(r) $$,
                 '22023', 'cannot mix instruments in one summary: srs and wai_sr', 'mixing instruments is 22023');
SELECT throws_ok($$ SELECT alliance.summary(r) FROM (VALUES ('psq(1,4,2)'::alliance.response)) v(r) $$,
                 '22023', NULL, 'summary of PSQ is 22023');
SELECT throws_ok($$ SELECT alliance.alpha(r, 'nosuch') FROM (VALUES ('srs(9,9,9,9)'::alliance.response)) v(r) $$,
                 '22023', NULL, 'an unknown subscale is 22023');
SELECT throws_ok($$ SELECT alliance.alpha(r, 'goals') FROM (VALUES ('srs(9,9,9,9)'::alliance.response)) v(r) $$,
                 '22023', NULL, 'a one-item subscale is 22023');
SELECT throws_ok($$ SELECT 'srs{unscored=x}'::alliance.stats_state $$, '22P02', NULL, 'bad state text is 22P02');
SELECT throws_ok($$ SELECT alliance.alpha_final('srs{unscored=0,at_risk=0,ceiling=0,scale=1}') $$,
                 '22023', NULL, 'a summary state given to alpha''s final function is 22023');

SELECT results_eq(
    $$ SELECT (s).n, (s).mean, (s).sd FROM (SELECT alliance.summary(r) s FROM (VALUES
         ('srs(9.1,8.4,7.9,8.8)'::alliance.response), ('srs(9,9,9,9)'), ('srs(10,10,10,10)')) v(r)) x $$,
    $$ SELECT count(alliance.score(r)), avg(alliance.score(r)), stddev_samp(alliance.score(r)) FROM (VALUES
         ('srs(9.1,8.4,7.9,8.8)'::alliance.response), ('srs(9,9,9,9)'), ('srs(10,10,10,10)')) v(r) $$,
    'summary equals count, avg and stddev_samp');
SELECT is((SELECT round(alliance.alpha(r, 'partnership'), 15) FROM (VALUES ('arm5(4,1,6,4,4)'::alliance.response),
             ('arm5(4,2,7,4,4)'), ('arm5(4,3,5,4,4)')) v(r)), 0.666666666666667,
          'alpha by hand: 2/3');

SELECT * FROM finish();
ROLLBACK;
