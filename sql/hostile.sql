-- Hostile input: every public function with what an attacker or a careless
-- caller sends.  Each case either returns a sane value or fails with a precise
-- SQLSTATE; never XX000 (internal error), never a crash.  try() runs one
-- statement and reports "ok: <first value, cut to 60 characters>" or
-- "<SQLSTATE>: <message>".
SET search_path = public, alliance;
-- Every case runs in a subtransaction that is rolled back, so one case's
-- effects (an instrument it defined) cannot change the next one's outcome.
CREATE FUNCTION pg_temp.try(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    v text;
BEGIN
    EXECUTE q INTO v;
    RAISE SQLSTATE 'AL000' USING MESSAGE = 'ok: ' || coalesce(left(v, 60), 'NULL');
EXCEPTION
    WHEN SQLSTATE 'AL000' THEN RETURN SQLERRM;
    WHEN OTHERS THEN RETURN SQLSTATE || ': ' || left(SQLERRM, 110);
END $$;
CREATE TEMP TABLE hostile (n serial, q text);
-- a source for calibrate with names that need quoting, NULLs and repeated sessions
CREATE TEMP TABLE "h cal" ("client id" int, "sess""ion" int, "r;drop" response, arr response[], txt text);
INSERT INTO "h cal" VALUES (1, 1, 'srs(9,9,9,9)', NULL, 'x'), (1, 1, 'srs(8,8,8,8)', NULL, NULL),
                           (1, 2, NULL, NULL, NULL), (NULL, 3, 'srs(9,9,9,9)', NULL, NULL), (2, NULL, 'psq(0,null,null)', NULL, NULL);
INSERT INTO hostile (q) VALUES
-- NULLs everywhere
  ($q$ SELECT total(NULL) $q$), ($q$ SELECT total('srs(9,9,9,9)', NULL) $q$),
  ($q$ SELECT subscale('wai_sr(4,3,5,4,5,4,4,3,5,4,4,3)', NULL) $q$), ($q$ SELECT item('srs(9,9,9,9)', NULL) $q$),
  ($q$ SELECT at_risk('srs(9,9,9,9)', NULL, NULL, NULL, NULL) $q$), ($q$ SELECT flagged_items('srs(9,9,9,9)', NULL) $q$),
  ($q$ SELECT reliable_change(NULL, 'srs(9,9,9,9)') $q$), ($q$ SELECT (reliable_change('ors(1,1,1,1)', 'ors(9,9,9,9)', NULL, NULL, NULL)).delta $q$),
  ($q$ SELECT response(NULL::text, '{1,2}') $q$), ($q$ SELECT response('srs', NULL) $q$), ($q$ SELECT response('srs', '{NULL,NULL,NULL,NULL}') $q$),
  ($q$ SELECT status(NULL) $q$), ($q$ SELECT status('int{1=2}', NULL) $q$), ($q$ SELECT count(*) FROM ruptures('int{1=2,2=1}', NULL) $q$),
  ($q$ SELECT svg('int{1=2}', NULL, NULL) $q$), ($q$ SELECT sparkline('int{1=2}', NULL) $q$),
  ($q$ SELECT from_fhir(NULL) $q$), ($q$ SELECT to_fhir(NULL) $q$), ($q$ SELECT to_fhir('srs(9,9,9,9)', NULL, NULL, NULL, NULL) $q$),
  ($q$ SELECT define_instrument(NULL, 'x', 3, 1, 5) $q$), ($q$ SELECT define_instrument('h_x', 'x', NULL, 1, 5) $q$),
  ($q$ SELECT drop_instrument(NULL) $q$), ($q$ SELECT code_typmod(NULL) $q$), ($q$ SELECT instrument_use(NULL) $q$),
-- arrays: empty, multi-dimensional, huge, with nulls, non-1 lower bounds
  ($q$ SELECT response('srs', '{}') $q$), ($q$ SELECT response('srs', '{{9,9},{9,9}}') $q$),
  ($q$ SELECT response('srs', '[0:3]={9,9,9,9}') $q$), ($q$ SELECT response('srs', array_fill(9::numeric, ARRAY[1000000])) $q$),
  ($q$ SELECT response('wai', array_fill(NULL::numeric, ARRAY[36])) $q$),
  ($q$ SELECT define_instrument('h_x', 'x', 3, 1, 5, reversed => '{{1},{2}}') $q$),
  ($q$ SELECT define_instrument('h_x', 'x', 3, 1, 5, reversed => array_fill(1, ARRAY[1000000])) $q$),
  ($q$ SELECT define_instrument('h_x', 'x', 3, 1, 5, item_labels => '{a,b}') $q$),
  ($q$ SELECT define_instrument('h_x', 'x', 3, 1, 5, link_ids => '{a,a,b}') $q$),
-- NaN, infinities, extreme numerics
  ($q$ SELECT response('srs', '{NaN,9,9,9}') $q$), ($q$ SELECT response('srs', '{Infinity,9,9,9}') $q$),
  ($q$ SELECT response('srs', '{-Infinity,9,9,9}') $q$), ($q$ SELECT response('srs', ARRAY[1e131071, 9, 9, 9]) $q$),
  ($q$ SELECT response('srs', ARRAY[1e-16383, 9, 9, 9]) $q$), ($q$ SELECT response('srs', ARRAY[9.00000000000000000000001, 9, 9, 9]) $q$),
  ($q$ SELECT at_risk('srs(9,9,9,9)', 'NaN') $q$), ($q$ SELECT at_risk('srs(9,9,9,9)', 'Infinity') $q$),
  ($q$ SELECT at_risk('srs(9,9,9,9)', 1e131071) $q$), ($q$ SELECT flagged_items('srs(9,9,9,9)', '-Infinity') $q$),
  ($q$ SELECT (reliable_change('ors(1,1,1,1)', 'ors(9,9,9,9)', 'NaN', 0.8)).rci $q$),
  ($q$ SELECT (reliable_change('ors(1,1,1,1)', 'ors(9,9,9,9)', 1e-300, 0.8)).rci $q$),
  ($q$ SELECT (reliable_change('ors(1,1,1,1)', 'ors(9,9,9,9)', 1e300, 0.8)).rci $q$),
  ($q$ SELECT (reliable_change('ors(1,1,1,1)', 'ors(9,9,9,9)', 5, 1)).rci $q$),
  ($q$ SELECT (reliable_change('ors(1,1,1,1)', 'ors(9,9,9,9)', 0, 0.5)).rci $q$),
  ($q$ SELECT define_instrument('h_x', 'x', 3, 'NaN', 5) $q$), ($q$ SELECT define_instrument('h_x', 'x', 3, 1, 'Infinity') $q$),
  ($q$ SELECT define_instrument('h_x', 'x', 3, -1e20, 1e20) $q$), ($q$ SELECT define_instrument('h_x', 'x', 255, 0, 1e15, step => 1e-4) $q$),
  ($q$ SELECT define_instrument('h_x', 'x', 3, 1, 5, cutoff => 'NaN') $q$), ($q$ SELECT define_instrument('h_x', 'x', 3, 1, 5, min_answered => 'Infinity') $q$),
  ($q$ SELECT status('int{1=1e308,2=-1e308,3=1e308}', 'stiles') $q$),
  ($q$ SELECT status(trajectory(s, v * 1e155::float8), 'stiles') FROM unnest('{44,45,46,38,46,47,47,41,42,43}'::float8[]) WITH ORDINALITY x(v, s) $q$),
  ($q$ SELECT status(trajectory(s, v * 1e140::float8), 'stiles') FROM unnest('{44,45,46,38,46,47,47,41,42,43}'::float8[]) WITH ORDINALITY x(v, s) $q$),
  ($q$ SELECT status(trajectory(s, v), 'stiles') FROM unnest('{44,45,46,38,46,47,47,41,42,43}'::float8[]) WITH ORDINALITY x(v, s) $q$),
  ($q$ SELECT slope('int{1=1e151,2=1}') $q$),
  ($q$ SELECT count(*) FROM (SELECT rupture_alert(s, v, 'drop', points => 1) OVER (ORDER BY s) FROM (VALUES (1, 1e200::float8), (2, 1)) x(s, v)) y $q$), ($q$ SELECT status('int{1=NaN}') $q$), ($q$ SELECT status('int{1=Infinity}') $q$),
  ($q$ SELECT slope('int{-9223372036854775808=1,9223372036854775807=2}') $q$),
  ($q$ SELECT status('int{1=1}', 'stiles', k => 'NaN') $q$), ($q$ SELECT status('int{1=1,2=0}', 'stiles', k => -1) $q$),
  ($q$ SELECT status('int{1=1,2=0}', 'stiles', k => 1e300) $q$), ($q$ SELECT status('int{1=1,2=0}', 'drop', points => 'Infinity') $q$),
  ($q$ SELECT status('int{1=1,2=0}', 'rci', sd => 1, reliability => 1.5) $q$), ($q$ SELECT status('int{1=1,2=0}', 'sudden', c1 => 1, pct => -2) $q$),
  ($q$ SELECT status('int{1=1,2=0}', 'stiles', repair_window => -5) $q$), ($q$ SELECT status('int{1=1,2=0}', 'stiles', repair_window => 2147483647) $q$),
  ($q$ SELECT status('int{1=1,2=0}', 'stiles', eps => '-Infinity') $q$),
  ($q$ SELECT status('int{1=1,2=0}', 'no such method') $q$), ($q$ SELECT status('int{1=1,2=0}', repeat('x', 1000000)) $q$),
-- indexes
  ($q$ SELECT item('srs(9,9,9,9)', 0) $q$), ($q$ SELECT item('srs(9,9,9,9)', -2147483648) $q$), ($q$ SELECT item('srs(9,9,9,9)', 2147483647) $q$),
  ($q$ SELECT response_hash_extended('srs(9,9,9,9)', -9223372036854775808) $q$),
-- strings: huge, odd, binary-looking
  ($q$ SELECT total(repeat('9,', 500000)::response) $q$), ($q$ SELECT total(('srs(' || repeat('9', 1000000) || ',9,9,9)')::response) $q$),
  ($q$ SELECT total(('srs(' || repeat(' ', 1000000) || '9,9,9,9)')::response) $q$), ($q$ SELECT total(E'srs(9,9,9,9)\x01'::response) $q$),
  ($q$ SELECT total('srs(9,9,9,9'::response) $q$), ($q$ SELECT total('(9,9,9,9)'::response) $q$), ($q$ SELECT total('srs(9,,9,9)'::response) $q$),
  ($q$ SELECT total('srs(+9,9,9,9)'::response) $q$), ($q$ SELECT total('srs(9e0,9,9,9)'::response) $q$), ($q$ SELECT total('srs(0x9,9,9,9)'::response) $q$),
  ($q$ SELECT total(('x' || repeat('a', 1000000) || '(1)')::response) $q$), ($q$ SELECT response('', '{1}') $q$),
  ($q$ SELECT ('int{' || repeat('1=1,', 100000) || '2=2}')::trajectory::text $q$),
  ($q$ SELECT (repeat('int', 100000) || '{1=1}')::trajectory::text $q$), ($q$ SELECT 'int{1=1e400}'::trajectory::text $q$),
  ($q$ SELECT 'int:srs{1=41}'::trajectory::text $q$), ($q$ SELECT 'int:srs{1=40,2=-0.1}'::trajectory::text $q$),
  ($q$ SELECT 'int:nosuch{1=1}'::trajectory::text $q$), ($q$ SELECT 'int:psq{1=1}'::trajectory::text $q$),
  ($q$ SELECT 'int:wai_sr{1=12,2=60,3=49.090909090909093}'::trajectory::text $q$),
  ($q$ SELECT 'date{2024-02-30=1}'::trajectory::text $q$), ($q$ SELECT 'timestamptz{2024-01-01T25:00:00Z=1}'::trajectory::text $q$),
  ($q$ SELECT '{}'::stats_state::text $q$), ($q$ SELECT 'srs{unscored=-1}'::stats_state::text $q$),
  ($q$ SELECT 'srs{unscored=0,at_risk=0,ceiling=0,scale=1,a4=1/999999999999999999999999999999999999999/1}'::stats_state::text $q$),
  ($q$ SELECT stats_combine('srs{unscored=0,at_risk=0,ceiling=0,scale=1,a4=1/36/1296}', 'ors{unscored=0,at_risk=0,ceiling=0,scale=1,a4=1/36/1296}')::text $q$),
  ($q$ SELECT code_typmod(repeat('a', 1000000)) $q$), ($q$ SELECT code_typmod('') $q$),
  ($q$ SELECT define_instrument(repeat('a', 100), 'x', 3, 1, 5) $q$), ($q$ SELECT define_instrument('h_x', repeat('x', 1000000), 3, 1, 5) $q$),
  ($q$ SELECT to_fhir('srs(9,9,9,9)', subject => repeat('"', 100000)) $q$), ($q$ SELECT to_fhir('srs(9,9,9,9)', code_system => E'\\u0000') $q$),
-- jsonb: deep, wide, wrong shapes
  ($q$ SELECT from_fhir('{"resourceType":"QuestionnaireResponse","status":"completed","item":{"linkId":"1"}}', 'srs') $q$),
  ($q$ SELECT from_fhir('{"resourceType":"QuestionnaireResponse","status":"completed","item":[{"linkId":1,"answer":[{"valueDecimal":"9"}]}]}', 'srs') $q$),
  ($q$ SELECT from_fhir('{"resourceType":"QuestionnaireResponse","status":"completed","item":[{"linkId":"1","answer":[{"valueDecimal":1e300}]}]}', 'srs') $q$),
  ($q$ SELECT from_fhir('{"resourceType":"Observation"}') $q$), ($q$ SELECT from_fhir('"just a string"') $q$), ($q$ SELECT from_fhir('null') $q$),
  ($q$ SELECT (from_fhir_row('{"resourceType":"QuestionnaireResponse","status":"completed","authored":"2024-13-45T99:99:99Z","item":[{"linkId":"1","answer":[{"valueDecimal":9}]},{"linkId":"2","answer":[{"valueDecimal":9}]},{"linkId":"3","answer":[{"valueDecimal":9}]},{"linkId":"4","answer":[{"valueDecimal":9}]}]}', 'srs')).authored $q$),
  ($q$ SELECT (from_fhir_row('{"resourceType":"QuestionnaireResponse","status":"completed","authored":"99999-01-01","item":[{"linkId":"1","answer":[{"valueDecimal":9}]},{"linkId":"2","answer":[{"valueDecimal":9}]},{"linkId":"3","answer":[{"valueDecimal":9}]},{"linkId":"4","answer":[{"valueDecimal":9}]}]}', 'srs')).authored $q$),
  ($q$ SELECT response('{"instrument":"srs","items":[9,9,9,9,9]}'::jsonb) $q$), ($q$ SELECT response('{"instrument":"srs"}'::jsonb) $q$),
  ($q$ SELECT response('[]'::jsonb) $q$), ($q$ SELECT response('{"instrument":["srs"],"items":[9,9,9,9]}'::jsonb) $q$),
  ($q$ SELECT define_instrument('h_x', 'x', 3, 1, 5, scales => '{"a": [1, 2, 99]}') $q$),
  ($q$ SELECT define_instrument('h_x', 'x', 3, 1, 5, scales => '{"a": {"b": 1}}') $q$),
  ($q$ SELECT define_instrument('h_x', 'x', 3, 1, 5, scales => (repeat('{"a":', 5000) || '1' || repeat('}', 5000))::jsonb) $q$),
  ($q$ SELECT define_instrument('h_x', 'x', 3, 1, 5, norms => '{"sd": -1}') $q$), ($q$ SELECT define_instrument('h_x', 'x', 3, 1, 5, norms => '[1,2]') $q$),
  ($q$ SELECT define_instrument('h_x', 'x', 3, 1, 5, bordin => '{"goal": 7}') $q$),
-- calibrate and reset_norms on odd sources and names
  ($q$ SELECT count(*) FROM calibrate('"h cal"', 'client id', 'sess"ion', 'r;drop') $q$),
  ($q$ SELECT count(*) FROM calibrate('"h cal"', 'client id', 'sess"ion', 'arr') $q$),
  ($q$ SELECT count(*) FROM calibrate('"h cal"', 'client id', 'sess"ion', 'txt') $q$),
  ($q$ SELECT count(*) FROM calibrate('"h cal"', 'nosuch', 'sess"ion', 'r;drop') $q$),
  ($q$ SELECT count(*) FROM calibrate('pg_class', 'relname', 'oid', 'relname') $q$),
  ($q$ SELECT count(*) FROM calibrate(0, 'a', 'b', 'c') $q$), ($q$ SELECT count(*) FROM calibrate('"h cal"', NULL, 'b', 'c') $q$),
  ($q$ SELECT reset_norms('') $q$), ($q$ SELECT reset_norms(NULL) $q$), ($q$ SELECT reset_norms('srs') $q$),
-- impossible SVG sizes
  ($q$ SELECT svg('int{1=1,2=2}', 0, 0) $q$), ($q$ SELECT svg('int{1=1,2=2}', -1, 100) $q$), ($q$ SELECT length(svg('int{1=1,2=2}', 2147483647, 2147483647)) $q$),
  ($q$ SELECT svg('int{1=1}', method => 'stiles') $q$), ($q$ SELECT svg('int{1=-1e308,2=1e308}', method => 'stiles') IS NOT NULL $q$), ($q$ SELECT sparkline('int{1=-1e308,2=1e308,3=0}', 'stiles') $q$);
CREATE TEMP TABLE outcomes AS SELECT n, pg_temp.try(q) AS outcome FROM hostile;
-- jsonb 5 000 and 10 000 deep: items nested deeper than 100 levels are a 54000
-- (a program limit, named; the edge is tested below), or PostgreSQL's own
-- 54001 where the build's frames are larger (a sanitized server's jsonb parser
-- stops first); the array document a 22023, or the same 54001
SELECT CASE WHEN o LIKE '54000: QuestionnaireResponse items nest more than 100 levels deep%' OR o LIKE '54001:%'
            THEN 'refused as too deep' ELSE o END AS deep_items_5000,
       CASE WHEN o2 LIKE '22023:%' OR o2 LIKE '54001:%' THEN 'handled' ELSE o2 END AS deep_arrays_10000
FROM pg_temp.try($q$ SELECT from_fhir(('{"resourceType":"QuestionnaireResponse","status":"completed","item":['
                          || repeat('{"linkId":"g","item":[', 5000) || '{"linkId":"1"}' || repeat(']}', 5000) || ']}')::jsonb, 'srs') $q$) o,
     pg_temp.try($q$ SELECT from_fhir((repeat('[', 10000) || repeat(']', 10000))::jsonb) $q$) o2;
-- the limit's edge: 100 levels of items read, 101 refused
SELECT d AS levels, pg_temp.try(format($q$ SELECT total(from_fhir(%L::jsonb, 'srs')) $q$,
         '{"resourceType":"QuestionnaireResponse","status":"completed","item":['
         || '{"linkId":"1","answer":[{"valueDecimal":9}]},{"linkId":"2","answer":[{"valueDecimal":9}]},'
         || '{"linkId":"3","answer":[{"valueDecimal":9}]},{"linkId":"4","answer":[{"valueDecimal":9}]},'
         || repeat('{"linkId":"g","item":[', d - 1) || '{"linkId":"g"}' || repeat(']}', d - 1) || ']}')) AS outcome
FROM (VALUES (100), (101)) v(d);
SELECT h.n, h.q AS "case", o.outcome FROM hostile h JOIN outcomes o USING (n) ORDER BY n;
-- the rule this file exists for
SELECT count(*) AS internal_errors FROM outcomes WHERE outcome LIKE 'XX%';

-- one client with 1 000 000 sessions, hash aggregation spilling at 64kB,
-- and the whole query in a parallel worker
SELECT sessions(t), first_score(t), last_score(t), status(t, 'drop', points => 5),
       (SELECT count(*) FROM ruptures(t, 'drop', points => 5)) AS ruptures
FROM (SELECT trajectory(i, 30 + (i % 7)::numeric - CASE WHEN i % 1000 = 0 THEN 6 ELSE 0 END) AS t
      FROM generate_series(1, 1000000) i) x;
SET work_mem = '64kB';
SET enable_sort = off;
SELECT count(*) AS clients, sum(sessions(t)) AS sessions, count(*) FILTER (WHERE status(t, 'drop', points => 3) = 'open_rupture') AS open
FROM (SELECT c, trajectory(s, alliance.response('srs', ARRAY[9, 9, 9, CASE WHEN s = 5 AND c % 10 = 0 THEN 5 ELSE 9 END]::numeric[])) AS t
      FROM generate_series(1, 20000) c, generate_series(1, 5) s GROUP BY c) x;
RESET enable_sort;
RESET work_mem;
SELECT CASE WHEN current_setting('server_version_num')::int >= 160000
            THEN 'debug_parallel_query' ELSE 'force_parallel_mode' END AS parallel_guc \gset
SET :parallel_guc = on;
SELECT (summary(r)).n, round((summary(r)).mean, 6) AS mean, alpha(r) IS NOT NULL AS alpha
FROM (SELECT alliance.response('wai_sr', ARRAY[1 + i % 5, 2, 3, 4, 5, 1 + i % 3, 2, 3, 4, 5, 1, 2]::numeric[]) AS r
      FROM generate_series(1, 10000) i) x;
RESET :parallel_guc;
