-- Custom instruments: define, score, typmod, immutability, drop, errors.
SET search_path = public, alliance;
\set SHOW_CONTEXT never

-- A clinic's own 6-item form, 1-5, items 2 and 5 reversed, two scales, a cut-off on the mean.
SELECT define_instrument(
    code => 'myform', name => 'Clinic session check', items => 6, min => 1, max => 5,
    reversed => '{2,5}', scales => '{"bond": [1,2,3], "task": [4,5,6]}',
    bordin => '{"bond": "bond", "task": "task"}', cutoff => 3.5, score => 'mean',
    norms => '{"sd": 0.8, "reliability": 0.85}', item_labels => '{warm,rushed,heard,plan,lost,useful}',
    link_ids => '{q1,q2,q3,q4,q5,q6}', fhir_url => 'https://clinic.example/fhir/Questionnaire/myform',
    citation => 'Local form, 2026');
-- a visual-analogue form: 0-100 in steps of 0.5, no missing item allowed
SELECT define_instrument('vas2', 'Two sliders', 2, 0, 100, step => 0.5, min_answered => 1);

SELECT code, items, min, max, step, reversed, scales, bordin, cutoff, min_answered, score, norms,
       item_labels, link_ids, fhir_url, citation, builtin, evidence, fingerprint ~ '^[0-9a-f]{16}$' AS fp
FROM instruments WHERE NOT builtin ORDER BY code;

-- scoring follows the definition: items 2 and 5 reversed (6 - x)
SELECT r, total(r), mean(r), score(r), subscale(r, 'bond'), subscale(r, 'task'), bond(r), task(r), goal(r),
       pomp(r), at_risk(r), at_risk(r, cutoff => 4) AS at_risk_4
FROM (VALUES ('myform(5,1,5,4,2,4)'::response), ('MYFORM(3,3,3,3,3,null)'), ('myform(2,4,2,null,null,2)')) t(r);
SELECT * FROM subscales('myform(5,1,5,4,2,4)');
SELECT * FROM reliable_change('myform(3,3,3,3,3,3)', 'myform(5,1,5,5,1,5)');
SELECT r, total(r), mean(r) FROM (VALUES ('vas2(99.5,0.0)'::response), ('vas2(50,null)')) t(r);
SELECT 'vas2(99.25,1)'::response;
SELECT 'myform(6,1,1,1,1,1)'::response;
SELECT 'myform(1,1,1)'::response;
SELECT response('myform', ARRAY[1,2,3,4,5,1]), '{"instrument": "myform", "items": [1,2,3,4,5,null]}'::jsonb::response;

-- typmod names a custom code
CREATE TABLE sessions_custom (id int, r response(myform));
\d sessions_custom
INSERT INTO sessions_custom VALUES (1, 'myform(5,1,5,4,2,4)'), (2, 'myform(3,3,3,3,3,3)');
INSERT INTO sessions_custom VALUES (3, 'srs(9,9,9,9)');
INSERT INTO sessions_custom SELECT 3, 'vas2(1,1)'::response;
CREATE TABLE bad_typmod (r response(not_defined));

-- equality, ordering, hashing across built-in and custom
SELECT r FROM (VALUES ('myform(1,1,1,1,1,1)'::response), ('arm5(1,1,1,1,1)'), ('myform(1,1,1,1,1,null)'), ('srs(1,1,1,1)')) t(r) ORDER BY r;
SELECT count(DISTINCT r) FROM (VALUES ('myform(1,1,1,1,1,1)'::response), ('MyForm(1,1,1,1,1,1.0)')) t(r);

-- a used definition cannot change or go, whatever the route
SELECT drop_instrument('myform');
DELETE FROM custom_instruments WHERE code = 'myform';
UPDATE custom_instruments SET cutoff = 3 WHERE code = 'myform';
UPDATE custom_instruments SET code = 'myform2' WHERE code = 'myform';
TRUNCATE custom_instruments;
-- what does not change the scoring rule may change
UPDATE custom_instruments SET citation = 'Local form, 2026, rev. wording' WHERE code = 'myform';
SELECT citation FROM custom_instruments WHERE code = 'myform';
-- an array column and a domain count as use too
SELECT define_instrument('tmp_a', 'tmp', 2, 1, 3);
CREATE DOMAIN tmp_dom AS response;
CREATE TABLE tmp_arr (rs response[], d tmp_dom);
INSERT INTO tmp_arr VALUES (ARRAY['srs(1,1,1,1)'::response, 'tmp_a(1,2)'], NULL);
SELECT drop_instrument('tmp_a');
UPDATE tmp_arr SET rs = NULL, d = 'tmp_a(3,3)';
SELECT drop_instrument('tmp_a');
DELETE FROM tmp_arr;
SELECT drop_instrument('tmp_a');
SELECT count(*) FROM instruments WHERE code = 'tmp_a';
-- an unused one can be dropped, and the code reused for a new definition
SELECT drop_instrument('vas2');
SELECT 'vas2(1,1)'::response;
SELECT define_instrument('vas2', 'Two sliders, 0-10', 2, 0, 10);
SELECT 'vas2(1,1)'::response, total('vas2(1,1)');

-- definition errors (22023 unless said)
SELECT define_instrument('myform', 'again', 3, 1, 5);          -- 42710
SELECT define_instrument('srs', 'mine', 4, 0, 10);             -- 42710
SELECT define_instrument('Upper', 'x', 3, 1, 5);
SELECT define_instrument('x_1', 'x', 0, 1, 5);
SELECT define_instrument('x_1', 'x', 256, 1, 5);
SELECT define_instrument('x_1', 'x', 3, 5, 1);
SELECT define_instrument('x_1', 'x', 3, 0, 1, step => 0.3);
SELECT define_instrument('x_1', 'x', 3, 0, 1, step => 0.00001);
SELECT define_instrument('x_1', 'x', 3, 1, 5, reversed => '{4}');
SELECT define_instrument('x_1', 'x', 3, 1, 5, reversed => '{1,1}');
SELECT define_instrument('x_1', 'x', 3, 1, 5, scales => '{"a": [1, 9]}');
SELECT define_instrument('x_1', 'x', 3, 1, 5, scales => '{"a": 1}');
SELECT define_instrument('x_1', 'x', 3, 1, 5, scales => '[1,2]');
SELECT define_instrument('x_1', 'x', 3, 1, 5, scales => '{"a": [1]}', bordin => '{"goal": "b"}');
SELECT define_instrument('x_1', 'x', 3, 1, 5, scales => '{"a": [1]}', bordin => '{"alliance": "a"}');
SELECT define_instrument('x_1', 'x', 3, 1, 5, min_answered => 0);
SELECT define_instrument('x_1', 'x', 3, 1, 5, min_answered => 1.5);
SELECT define_instrument('x_1', 'x', 3, 1, 5, score => 'sum');
SELECT define_instrument('x_1', 'x', 3, 1, 5, norms => '{"sd": 0}');
SELECT define_instrument('x_1', 'x', 3, 1, 5, norms => '{"reliability": 1}');
SELECT define_instrument('x_1', 'x', 3, 1, 5, norms => '{"alpha": 0.8}');
SELECT define_instrument('x_1', 'x', 3, 1, 5, item_labels => '{a,b}');
SELECT define_instrument('x_1', 'x', 3, 1, 5, link_ids => '{a,b,a}');
SELECT define_instrument('x_1', 'x', 3, 1, 5, cutoff => 'NaN');
SELECT define_instrument(NULL, 'x', 3, 1, 5);
SELECT drop_instrument('srs');                                  -- 42809
SELECT drop_instrument('never_defined');                        -- 42704
SELECT count(*) AS nothing_left_behind FROM custom_instruments WHERE code = 'x_1';

-- direct DML is validated like define_instrument
INSERT INTO custom_instruments (code, name, items, min, max) VALUES ('direct', 'Direct insert', 2, 1, 3);
SELECT fingerprint = (SELECT fingerprint FROM instruments WHERE code = 'direct') AS fingerprint_set, total('direct(3,3)')
FROM custom_instruments WHERE code = 'direct';
INSERT INTO custom_instruments (code, name, items, min, max, step) VALUES ('direct2', 'bad', 2, 1, 3, 0.7);

-- a value stored under a different definition (another server) is refused, never re-scored
SELECT define_instrument('shifted', 'x', 2, 1, 5);
CREATE TABLE shifted_vals (r response);
INSERT INTO shifted_vals VALUES ('shifted(1,5)');
SELECT total(r) FROM shifted_vals;
-- simulate the other server: bypass the guard and change the rule underneath the stored value
ALTER TABLE custom_instruments DISABLE TRIGGER custom_instruments_check;
UPDATE custom_instruments SET reversed = '{1}' WHERE code = 'shifted';
ALTER TABLE custom_instruments ENABLE TRIGGER custom_instruments_check;
SELECT r FROM shifted_vals;
SELECT total(r) FROM shifted_vals;
-- text carries no fingerprint: re-entering the value binds the current definition
SELECT total(r::text::response) FROM shifted_vals;

-- a role under row-level security scores custom values (the definitions are readable by all)
CREATE ROLE alliance_rls_reader NOLOGIN;
CREATE TABLE rls_visits (clinic text, r response);
INSERT INTO rls_visits VALUES ('north', 'myform(5,1,5,4,2,4)'), ('south', 'myform(1,5,1,1,5,1)');
ALTER TABLE rls_visits ENABLE ROW LEVEL SECURITY;
CREATE POLICY north_only ON rls_visits FOR SELECT TO alliance_rls_reader USING (clinic = 'north');
GRANT SELECT ON rls_visits TO alliance_rls_reader;
SET ROLE alliance_rls_reader;
SELECT clinic, r, total(r), mean(r), at_risk(r) FROM rls_visits;
RESET ROLE;
DROP TABLE rls_visits;
DROP ROLE alliance_rls_reader;

-- the red-flag checklist example of doc/examples/redflags.sql runs as documented
\i doc/examples/redflags.sql
SELECT * FROM subscales('redflags(0,0,0,0,0,1,0,1,0,0,0,0)');

-- "in use" covers domains at any depth, arrays of domains, and domains typed response(code)
SELECT define_instrument('deep', 'deep', 3, 1, 3);
CREATE DOMAIN deep_d1 AS response;
CREATE DOMAIN deep_d2 AS deep_d1;
CREATE TABLE deep_use (a deep_d1[], b deep_d2);
INSERT INTO deep_use VALUES (ARRAY['deep(1,2,3)'::deep_d1], NULL);
SELECT instrument_use('deep');
UPDATE deep_use SET a = NULL, b = 'deep(3,2,1)';
SELECT instrument_use('deep');
DELETE FROM deep_use;
SELECT instrument_use('deep');
CREATE DOMAIN deep_typed AS response(deep);
SELECT instrument_use('deep');
SELECT drop_instrument('deep');
DROP DOMAIN deep_typed;
SELECT drop_instrument('deep');
DROP TABLE deep_use; DROP DOMAIN deep_d2; DROP DOMAIN deep_d1;

-- rows hidden by row-level security cannot make a used code look unused: the check fails closed
SELECT define_instrument('hidden', 'hidden', 2, 1, 3);
CREATE ROLE alliance_dropper NOLOGIN;
GRANT DELETE ON custom_instruments TO alliance_dropper;
CREATE TABLE hidden_rows (owner text, r response);
INSERT INTO hidden_rows VALUES ('someone else', 'hidden(1,2)');
ALTER TABLE hidden_rows ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_rows ON hidden_rows TO alliance_dropper USING (owner = current_user);
GRANT SELECT, UPDATE ON ALL TABLES IN SCHEMA public TO alliance_dropper;  -- the guard locks and reads them all
SET ROLE alliance_dropper;
SELECT drop_instrument('hidden');
RESET ROLE;
SELECT count(*) AS still_defined FROM custom_instruments WHERE code = 'hidden';
DROP TABLE hidden_rows;
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM alliance_dropper;
REVOKE ALL ON custom_instruments FROM alliance_dropper;
DROP ROLE alliance_dropper;
SELECT drop_instrument('hidden');

-- the fingerprint is a function of the rule, not of how its lists were written
SELECT instrument_fingerprint('fp', 'x', 4, 1, 5, 1, '{1,3}', '{"a": [1,2], "b": [3,4]}', NULL, NULL, 0.75, 'total', NULL, NULL, NULL, NULL, NULL)
     = instrument_fingerprint('fp', 'x', 4, 1, 5, 1, '{3,1}', '{"b": [4,3], "a": [2,1]}', NULL, NULL, 0.75, 'total', NULL, NULL, NULL, NULL, NULL)
       AS same_rule_same_fingerprint;

-- response_agg keeps working when the definitions cache is reloaded mid-aggregate
SELECT response_agg('myform', i, CASE WHEN i = 2 THEN 4 ELSE 2 END) AS built_while_defining
FROM (SELECT i, define_instrument('reload_' || i, 'x', 1, 0, 1) FROM generate_series(1, 6) i) s;
