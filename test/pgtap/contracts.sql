-- Contracts of the SQL surface: labels, comments, strictness, privileges,
-- and SQLSTATEs.  Runs over every object the extension owns, so a function
-- added later is held to the same rules without editing this file.
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
\pset pager off
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS alliance;
SELECT plan(45);

CREATE TEMP VIEW ext_procs AS
  SELECT p.oid::regprocedure::text AS signature, p.*
  FROM pg_proc p
  JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
  JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'alliance';

SELECT has_extension('alliance');
SELECT has_schema('alliance');
SELECT has_type('alliance', 'response', 'type alliance.response exists');
SELECT has_type('alliance', 'reliable_change', 'type alliance.reliable_change exists');
SELECT has_view('alliance', 'instruments', 'view alliance.instruments exists');
SELECT is((SELECT extrelocatable FROM pg_extension WHERE extname = 'alliance'), false, 'not relocatable');
SELECT is((SELECT n.nspname::text FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE extname = 'alliance'),
          'alliance', 'installed in schema alliance');

SELECT cmp_ok((SELECT count(*) FROM ext_procs), '>=', 40::bigint, 'the extension owns its functions');
SELECT is_empty($$ SELECT signature FROM ext_procs WHERE obj_description(oid, 'pg_proc') IS NULL $$,
                'every function, I/O and support functions too, has COMMENT ON');
SELECT is_empty($$ SELECT signature FROM ext_procs WHERE prosecdef $$, 'no function is SECURITY DEFINER');
SELECT is_empty($$ SELECT signature FROM ext_procs WHERE proparallel <> 's' AND provolatile <> 'v' AND prorettype <> 'trigger'::regtype $$,
                'every read-only function is PARALLEL SAFE');
SELECT is_empty($$ SELECT signature FROM ext_procs WHERE provolatile = 'v'
                   AND proname NOT IN ('define_instrument', 'drop_instrument', 'instrument_use_locked',
                                       'calibrate', 'reset_norms', 'watch', 'unwatch', 'acknowledge', 'resolve')
                   AND prorettype <> 'trigger'::regtype $$,
                'only writers (and trigger functions, and the lock-taking guard) are VOLATILE');
SELECT is_empty($$ SELECT signature FROM ext_procs WHERE proname IN ('define_instrument', 'drop_instrument',
                                                                  'calibrate', 'reset_norms', 'watch', 'unwatch',
                                                                  'acknowledge', 'resolve')
                   AND (provolatile <> 'v' OR proparallel <> 'u') $$,
                'writers are VOLATILE PARALLEL UNSAFE');
SELECT is_empty($$ SELECT signature FROM ext_procs WHERE proisstrict AND pronargdefaults > 0 $$,
                'no function with optional parameters is STRICT');
-- (gap is not STRICT: with one side missing it still shows the other's POMP)
SELECT is_empty($$ SELECT signature FROM ext_procs WHERE prokind = 'f' AND NOT proisstrict AND pronargdefaults = 0
                   AND prorettype <> 'internal'::regtype AND proname NOT LIKE '%\_finalfn'
                   AND proname NOT LIKE '%\_transfn' AND proname NOT LIKE '%\_combinefn'
                   AND proname NOT LIKE '%\_serialfn' AND proname NOT LIKE '%\_deserialfn'
                   AND proname NOT LIKE '%final%' AND proname NOT LIKE '%trans%'
                   AND proname NOT IN ('define_instrument', 'drop_instrument', 'from_fhir', 'to_fhir', 'rupture_alert',
                                       'instrument_fingerprint', 'gap')
                   AND prorettype <> 'trigger'::regtype
                   AND oid NOT IN (SELECT aggfnoid FROM pg_aggregate)
                   AND NOT EXISTS (SELECT 1 FROM unnest(proargmodes) m WHERE m = 'o') $$,
                'functions whose parameters are all required are STRICT');
SELECT is_empty($$ SELECT a.aggfnoid::regprocedure::text FROM pg_aggregate a JOIN ext_procs p ON p.oid = a.aggfnoid
                   WHERE a.aggfinalfn <> 0 AND a.aggfinalmodify <> 'r' $$,
                'every aggregate final function is READ_ONLY (usable with OVER and shared states)');
SELECT is_empty($$ SELECT t.typname::text FROM pg_type t JOIN pg_depend d ON d.classid = 'pg_type'::regclass
                   AND d.objid = t.oid AND d.deptype = 'e'
                   JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'alliance'
                   WHERE obj_description(t.oid, 'pg_type') IS NULL
                     -- implicit types (arrays, table and view row types) are members from 17 on
                     AND t.typcategory <> 'A'
                     AND NOT EXISTS (SELECT 1 FROM pg_class c WHERE c.oid = t.typrelid AND c.relkind <> 'c') $$,
                'every type has COMMENT ON');
SELECT is_empty($$ SELECT pg_describe_object(d.classid, d.objid, 0) FROM pg_depend d
                   JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'alliance'
                   WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
                     AND d.classid IN ('pg_proc'::regclass, 'pg_type'::regclass, 'pg_operator'::regclass,
                                       'pg_class'::regclass, 'pg_opclass'::regclass)
                     AND obj_description(d.objid, d.classid::regclass::text) IS NULL
                     AND NOT (d.classid = 'pg_type'::regclass AND EXISTS (SELECT 1 FROM pg_type t WHERE t.oid = d.objid
                              AND (t.typcategory = 'A' OR EXISTS (SELECT 1 FROM pg_class c WHERE c.oid = t.typrelid AND c.relkind <> 'c'))))
                     AND NOT (d.classid = 'pg_class'::regclass AND EXISTS (SELECT 1 FROM pg_class c WHERE c.oid = d.objid AND c.relkind IN ('i', 'S', 'c'))) $$,
                'every function, aggregate, type, operator, table, view and operator class says what it is (\\df+, \\do+, \\dT+)');

-- the response type's contracts
SELECT is((SELECT typstorage::text FROM pg_type WHERE oid = 'alliance.response'::regtype), 'x', 'response is toastable varlena');
SELECT ok((SELECT typmodin <> 0 AND typmodout <> 0 FROM pg_type WHERE oid = 'alliance.response'::regtype), 'response has a typmod');
SELECT ok((SELECT typsend <> 0 AND typreceive <> 0 FROM pg_type WHERE oid = 'alliance.response'::regtype), 'response has binary I/O');
SELECT ok(EXISTS (SELECT 1 FROM pg_opclass c JOIN pg_am a ON a.oid = c.opcmethod
                  WHERE c.opcintype = 'alliance.response'::regtype AND a.amname = 'btree' AND c.opcdefault),
          'response has a default btree opclass');
SELECT ok(EXISTS (SELECT 1 FROM pg_opclass c JOIN pg_am a ON a.oid = c.opcmethod
                  WHERE c.opcintype = 'alliance.response'::regtype AND a.amname = 'hash' AND c.opcdefault),
          'response has a default hash opclass');
SELECT ok(EXISTS (SELECT 1 FROM pg_cast WHERE castsource = 'alliance.response'::regtype
                  AND casttarget = 'alliance.response'::regtype AND castcontext = 'i'),
          'a length-coercion cast enforces the typmod');
SELECT ok((SELECT oprcanhash AND oprcanmerge FROM pg_operator WHERE oprname = '='
           AND oprleft = 'alliance.response'::regtype AND oprright = 'alliance.response'::regtype),
          '= hashes and merges');
SELECT is(format_type('alliance.response'::regtype, alliance.response_typmod_in('{WAI_SR}'::cstring[])),
          'alliance.response(wai_sr)', 'typmod prints the lower-case code');

-- privileges: PUBLIC may use everything
SELECT is_empty($$ SELECT signature FROM ext_procs WHERE NOT has_function_privilege('public', oid, 'EXECUTE') $$,
                'PUBLIC can execute every function');
SELECT ok(has_table_privilege('public', 'alliance.instruments', 'SELECT'), 'PUBLIC can read alliance.instruments');
SELECT ok(has_schema_privilege('public', 'alliance', 'USAGE'), 'PUBLIC may use schema alliance');

-- SQLSTATEs a user can cause
SELECT throws_ok($$ SELECT 'srs(9,9,9)'::alliance.response $$, '22P02', NULL, 'wrong item count is 22P02');
SELECT throws_ok($$ SELECT ('wai_sr(' || repeat('4,', 100000) || '4)')::alliance.response $$, '22P02', NULL,
                 'a huge input is 22P02, never 54000');
SELECT throws_ok($$ SELECT 'srs(9,9,9,x)'::alliance.response $$, '22P02', NULL, 'junk item is 22P02');
SELECT throws_ok($$ SELECT 'wai_sr(4,3,5,4,5,4,6,3,5,4,4,3)'::alliance.response $$, '22003',
                 'wai_sr item 7 is 6; answers run 1 to 5', 'out of range is 22003 and names instrument, item, value, range');
SELECT throws_ok($$ SELECT 'srs(9.15,9,9,9)'::alliance.response $$, '22003',
                 'srs item 1 is 9.15; answers run 0.0 to 10.0 in steps of 0.1', 'off step is 22003');
SELECT throws_ok($$ SELECT 'srs(NaN,9,9,9)'::alliance.response $$, '22003', NULL, 'NaN is 22003');
SELECT throws_ok($$ SELECT 'srs(Infinity,9,9,9)'::alliance.response $$, '22003', NULL, 'Infinity is 22003');
SELECT throws_ok($$ SELECT 'nope(1)'::alliance.response $$, '22023', 'unknown instrument "nope"', 'unknown instrument is 22023');
SELECT throws_ok($$ SELECT 'psq(null,1,1)'::alliance.response $$, '22023', NULL, 'PSQ without item 1 is 22023');
SELECT throws_ok($$ SELECT 'psq(0,3,null)'::alliance.response $$, '22023', NULL, 'PSQ no rupture with intensity is 22023');
SELECT throws_ok($$ CREATE TEMP TABLE tm (r alliance.response(srs)); INSERT INTO tm VALUES ('ors(1,1,1,1)') $$,
                 '22023', 'a value of ors cannot go into a response(srs) column', 'typmod mismatch is 22023 naming both');
SELECT lives_ok($$ SELECT alliance.define_instrument('tap_nonorms', 'no norms', 3, 1, 5) $$, 'a custom form without norms');
SELECT throws_ok($$ SELECT * FROM alliance.reliable_change('tap_nonorms(4,4,4)', 'tap_nonorms(2,2,2)') $$,
                 '22023', 'reliable_change for tap_nonorms needs sd and reliability', 'missing norms is 22023 naming them');
SELECT throws_ok($$ SELECT alliance.status(alliance.trajectory(s, alliance.response('tap_nonorms', array[4, 4, 4])))
                    FROM generate_series(1, 4) s $$,
                 '22023', 'method "level" needs the error SD of a score: parameters "sd" and "reliability"',
                 'the default rupture rule without norms is 22023 naming what it needs');
SELECT throws_ok($$ SELECT alliance.subscale('srs(9,9,9,9)', 'bond') $$, '22023', NULL, 'unknown subscale is 22023');
SELECT throws_ok($$ SELECT alliance.item('srs(9,9,9,9)', 9) $$, '22023', NULL, 'item out of range is 22023');

SELECT * FROM finish();
ROLLBACK;
