-- Contracts of the series surface: the trajectory type and aggregates, the
-- accessors, the alert, and the SQLSTATEs a user can cause.
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
\pset pager off
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS alliance;
SELECT plan(45);

-- objects
SELECT has_type('alliance', 'trajectory', 'type alliance.trajectory exists');
SELECT has_type('alliance', 'rupture', 'composite alliance.rupture exists');
SELECT has_type('alliance', 'rupture_kind', 'enum alliance.rupture_kind exists');
SELECT enum_has_labels('alliance', 'rupture_kind', ARRAY['withdrawal', 'confrontation'], 'rupture kinds after Safran and Muran');
SELECT ok((SELECT typsend <> 0 AND typreceive <> 0 FROM pg_type WHERE oid = 'alliance.trajectory'::regtype),
          'trajectory has binary I/O');
SELECT is((SELECT typstorage::text FROM pg_type WHERE oid = 'alliance.trajectory'::regtype), 'x', 'trajectory is a toastable varlena');
SELECT is((SELECT typalign::text FROM pg_type WHERE oid = 'alliance.trajectory'::regtype), 'd', 'trajectory is double-aligned');
SELECT is((SELECT array_agg(attname::text ORDER BY attnum) FROM pg_attribute
           WHERE attrelid = (SELECT typrelid FROM pg_type WHERE oid = 'alliance.rupture'::regtype) AND attnum > 0),
          ARRAY['seq','at_session','at_time','previous_score','score','drop','threshold','repaired_seq','repaired_at','repaired_time','state'],
          'rupture columns in the documented order');

-- the aggregates: every (session, score) overload, combinable and parallel safe
CREATE TEMP VIEW traj_aggs AS
  SELECT a.aggfnoid::regprocedure::text AS sig, a.*, p.proparallel
  FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid JOIN pg_namespace n ON n.oid = p.pronamespace
  WHERE n.nspname = 'alliance' AND p.proname IN ('trajectory', 'rollup');
SELECT is((SELECT count(*) FROM traj_aggs WHERE sig LIKE 'alliance.trajectory(%'), 24::bigint,
          '4 session types (bigint, date, timestamp, timestamptz) x 3 score types x (with, without on_duplicate)');
SELECT is((SELECT count(*) FROM traj_aggs WHERE sig LIKE 'alliance.rollup(%'), 2::bigint, 'rollup with and without on_duplicate');
SELECT is_empty($$ SELECT sig FROM traj_aggs WHERE aggcombinefn = 0 OR aggserialfn = 0 OR aggdeserialfn = 0 $$,
                'every trajectory aggregate has combine, serial and deserial functions');
SELECT is_empty($$ SELECT sig FROM traj_aggs WHERE proparallel <> 's' $$, 'every trajectory aggregate is PARALLEL SAFE');
SELECT is_empty($$ SELECT sig FROM traj_aggs WHERE aggfinalmodify <> 'r' $$, 'final functions are READ_ONLY');
SELECT is_empty($$ SELECT sig FROM traj_aggs WHERE aggtransspace < 256 OR aggtransspace > 8192 $$,
                'a realistic SSPACE, not the 8 kB default guess');
SELECT is_empty($$ SELECT f::regprocedure::text FROM traj_aggs,
                   unnest(ARRAY[aggtransfn, aggfinalfn, aggcombinefn, aggserialfn, aggdeserialfn]) f
                   JOIN pg_proc p ON p.oid = f WHERE p.procost <> 1 $$,
                'aggregate support functions cost 1');
SELECT ok((SELECT bool_and(typ IN ('integer', 'bigint', 'date', 'timestamp without time zone', 'timestamp with time zone'))
           FROM (SELECT format_type(p.proargtypes[0], NULL) typ FROM pg_proc p
                 WHERE p.oid::regprocedure::text LIKE 'alliance.trajectory(%') x),
          'session is int, bigint, date, timestamp or timestamptz');

-- accessors
SELECT function_returns('alliance', 'sessions', ARRAY['alliance.trajectory'], 'integer');
SELECT function_returns('alliance', 'first_score', ARRAY['alliance.trajectory'], 'numeric');
SELECT function_returns('alliance', 'last_score', ARRAY['alliance.trajectory'], 'numeric');
SELECT function_returns('alliance', 'slope', ARRAY['alliance.trajectory'], 'numeric');
SELECT is((SELECT proretset FROM pg_proc WHERE proname = 'ruptures' AND pronamespace = 'alliance'::regnamespace), true,
          'ruptures returns a set');
SELECT is((SELECT format_type(prorettype, NULL) FROM pg_proc WHERE proname = 'ruptures' AND pronamespace = 'alliance'::regnamespace),
          'alliance.rupture', 'ruptures returns alliance.rupture rows');
SELECT is((SELECT array_to_string(proargnames, ',') FROM pg_proc WHERE proname = 'ruptures' AND pronamespace = 'alliance'::regnamespace),
          't,method,k,reference_sd,sd,reliability,points,cutoff,c1,pct,repair_window,eps', 'ruptures parameters');
SELECT is((SELECT bool_and(provolatile = 'i') FROM pg_proc
           WHERE proname IN ('sessions', 'first_score', 'last_score', 'slope', 'status', 'ruptures', 'rupture_alert')
             AND pronamespace = 'alliance'::regnamespace), true, 'accessors and the alert are IMMUTABLE');
SELECT is((SELECT bool_and(NOT proisstrict) FROM pg_proc
           WHERE proname IN ('status', 'ruptures', 'rupture_alert') AND pronamespace = 'alliance'::regnamespace), true,
          'functions with optional parameters are not STRICT');
SELECT is((SELECT count(*) FROM pg_proc WHERE proname = 'rupture_alert' AND prokind = 'w'
           AND pronamespace = 'alliance'::regnamespace), 12::bigint,
          'rupture_alert is a WINDOW function for 4 session x 3 score types');

-- behaviour that must hold
SELECT is((SELECT string_agg(seq || ':' || drop || ':' || state, ' ' ORDER BY seq)
           FROM alliance.ruptures('int{1=44,2=45,3=46,4=38,5=46,6=47,7=47,8=41,9=42,10=43}', 'stiles')),
          '4:8:repaired 8:6:open', 'worked series, stiles');
SELECT is(alliance.status('int{1=44,2=45,3=46,4=38,5=46,6=47,7=47,8=41,9=42,10=43}', 'stiles'), 'open_rupture', 'worked series status');
SELECT is((SELECT count(*) FROM alliance.ruptures('int{1=44,2=45,3=46,4=38,5=46,6=47,7=47,8=41,9=42,10=43}', 'stiles', reference_sd => 6.0)),
          0::bigint, 'worked series with reference SD 6.0: none');
SELECT is((SELECT string_agg(seq || ':' || drop, ' ') FROM alliance.ruptures('int{1=38,2=39,3=38,4=27,5=28,6=27,7=29}', 'sudden', c1 => 4.32)),
          '4:11', 'worked sudden loss');
SELECT is((SELECT alliance.trajectory(s, v)::text FROM (VALUES (3, 1.5), (1, 2.0)) x(s, v)), 'int{1=2,3=1.5}',
          'the aggregate sorts by session');
SELECT is(alliance.trajectory_in(alliance.trajectory_out('date:srs{2024-01-05=38.5}'))::text, 'date:srs{2024-01-05=38.5}',
          'text round trip');
SELECT is((SELECT array_agg(a ORDER BY s) FROM (
            SELECT s, alliance.rupture_alert(s, v, 'stiles') OVER (ORDER BY s ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) a
            FROM (VALUES (1, 44.0), (2, 45), (3, 46), (4, 38), (5, 46)) x(s, v)) y),
          ARRAY[NULL, NULL, NULL, true, false]::boolean[], 'alert ignores a frame that reaches forward');

-- SQLSTATEs
SELECT throws_ok($$ SELECT 'int{1=2'::alliance.trajectory $$, '22P02', NULL, 'bad text is 22P02');
SELECT throws_ok($$ SELECT 'int{1=1e999}'::alliance.trajectory $$, '22003', NULL, 'score out of range is 22003');
SELECT throws_ok($$ SELECT 'date{+9999999-01-01=1}'::alliance.trajectory $$, '22003', NULL, 'a date past PostgreSQL''s range is 22003');
SELECT throws_ok($$ SELECT * FROM alliance.ruptures('int{1=2}', 'rci') $$, '22023', 'method "rci" needs parameter "sd"',
                 'rci without sd is 22023 naming sd');
SELECT throws_ok($$ SELECT * FROM alliance.ruptures('int{1=2}', 'nope') $$, '22023', NULL, 'unknown method is 22023');
SELECT throws_ok($$ SELECT * FROM alliance.ruptures('int{1=2}', k => -1) $$, '22023', 'parameter "k" must not be negative (got -1)',
                 'negative k is 22023 naming k');
SELECT throws_ok($$ SELECT * FROM alliance.ruptures('int{1=2}', 'rci', sd => 1, reliability => 2) $$, '22023', NULL,
                 'reliability outside 0..1 is 22023');
SELECT throws_ok($$ SELECT * FROM alliance.ruptures('int{1=2}', 'cutoff') $$, '22023', 'method "cutoff" needs parameter "cutoff"',
                 'cutoff on a numeric trajectory needs cutoff');
SELECT throws_ok($$ SELECT alliance.trajectory(s, v) FROM (VALUES (1, 1.0), (1, 2.0)) x(s, v) $$, '22023',
                 'duplicate session key 1 in trajectory', 'a duplicate key is 22023 naming the key');
SELECT throws_ok($$ SELECT alliance.trajectory(s, v, 'sum') FROM (VALUES (1, 1.0)) x(s, v) $$, '22023', NULL,
                 'unknown on_duplicate is 22023');
SELECT throws_ok($$ SELECT alliance.trajectory(s, r) FROM (VALUES (1, 'psq(1,3,2)'::alliance.response)) x(s, r) $$, '22023', NULL,
                 'a PSQ trajectory is 22023');

-- a role without privileges of its own can use all of it
CREATE ROLE traj_tap_user NOLOGIN;
SET ROLE traj_tap_user;
SELECT is(alliance.status(alliance.trajectory(s, v), 'stiles'), 'repaired', 'a plain role can aggregate and read')
FROM (VALUES (1, 40.0), (2, 41), (3, 40), (4, 30), (5, 41), (6, 40), (7, 41), (8, 40)) x(s, v);
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
