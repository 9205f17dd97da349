-- alliance.response: text and binary I/O, canonical output, typmod, size.
SET search_path = public, alliance;

-- Canonical text: lower-case code, each item with the step's decimals.
SELECT 'SRS(9,9,9,9)'::response AS canonical_srs;
SELECT 'srs(9.1,8.4,7.9,8.8)'::response::text;
SELECT '  Wai_Sr ( 4, 3,5 ,4,5,4,4,3,5,4,4,3 )  '::response AS spaced;
SELECT 'wai_sr(4.0,3,5,4,5,4,4,3,5,4,4,3.000)'::response AS trailing_zeros;
SELECT 'wai_sr(5,3,5,4,5,4,NULL,3,5,4,4,3)'::response AS with_missing;
SELECT 'psq(0,null,null)'::response, 'psq(1,4,2)'::response;
SELECT 'SRS(9,9,9,9)'::response = 'srs(9.0,9.0,9.0,9.0)'::response AS equal_spellings;

-- text -> response -> text is stable for every built-in
SELECT v, v::response::text = v AS stable FROM (VALUES
  ('wai_sr(4,3,5,4,5,4,4,3,5,4,4,3)'),
  ('wai(2,6,3,6,6,6,2,6,3,2,2,2,6,7,2,6,7,6,7,2,6,6,6,6,6,7,2,6,2,6,2,6,2,3,6,6)'),
  ('wai_s(6,5,7,2,6,6,7,6,6,5,5,6)'),
  ('srs(9.1,8.4,7.9,8.8)'),
  ('ors(4.0,5.5,6.0,4.5)'),
  ('haq2(6,5,6,1,5,6,5,2,6,5,1,6,5,6,5,2,4,6,1)'),
  ('arm5(6,6,2,7,5)'),
  ('tasc_r(4,1,4,3,2,4,1,1,3,4,2,4)'),
  ('psq(1,null,3)'),
  ('srs(null,0.0,10.0,0.1)')) t(v);

-- Binary round trip through send/recv (COPY BINARY).
CREATE TABLE bin_src (id int, r response);
INSERT INTO bin_src VALUES (1, 'srs(9.1,8.4,null,8.8)'), (2, 'wai_sr(5,3,5,4,5,4,null,3,5,4,4,3)'),
  (3, 'psq(0,null,null)'), (4, 'wai(2,6,3,6,6,6,2,6,3,2,2,2,6,7,2,6,7,6,7,2,6,6,6,6,6,7,2,6,2,6,2,6,2,3,6,6)');
\set binfile '/tmp/alliance_regress_bin.copy'
COPY bin_src TO :'binfile' WITH (FORMAT binary);
CREATE TABLE bin_dst (id int, r response);
COPY bin_dst FROM :'binfile' WITH (FORMAT binary);
SELECT s.id, s.r = d.r AS same, d.r FROM bin_src s JOIN bin_dst d USING (id) ORDER BY id;
-- binary COPY honours a column's typmod
CREATE TABLE bin_srs_only (id int, r response(srs));
COPY bin_srs_only FROM :'binfile' WITH (FORMAT binary);
SELECT count(*) FROM bin_srs_only;

-- Typmod: one instrument per column, on literals, INSERT ... SELECT and function results.
CREATE TABLE srs_scores (id serial, r response(srs));
\d srs_scores
INSERT INTO srs_scores (r) VALUES ('srs(9.1,8.4,7.9,8.8)');
INSERT INTO srs_scores (r) VALUES ('ors(4.0,5.5,6.0,4.5)');
INSERT INTO srs_scores (r) SELECT 'wai_sr(4,3,5,4,5,4,4,3,5,4,4,3)'::response;
INSERT INTO srs_scores (r) SELECT response('ors', ARRAY[1,2,3,4]);
INSERT INTO srs_scores (r) SELECT response('srs', ARRAY[1,2,3,4]);
UPDATE srs_scores SET r = 'ors(1,1,1,1)' WHERE id = 1;
SELECT r FROM srs_scores ORDER BY id;
SELECT 'srs(1,2,3,4)'::response(srs) AS cast_ok;
SELECT 'ors(1,2,3,4)'::response(srs) AS cast_refused;
SELECT format_type(atttypid, atttypmod) FROM pg_attribute
WHERE attrelid = 'srs_scores'::regclass AND attname = 'r';
CREATE TABLE typmod_errors (r response(srs, ors));
CREATE TABLE typmod_errors (r response("9bad"));

-- Compact: at most 16 bytes for WAI-SR and SRS.
SELECT instrument, pg_column_size(r) AS bytes FROM (VALUES
  ('wai_sr', 'wai_sr(4,3,5,4,5,4,4,3,5,4,4,3)'::response),
  ('wai', 'wai(2,6,3,6,6,6,2,6,3,2,2,2,6,7,2,6,7,6,7,2,6,6,6,6,6,7,2,6,2,6,2,6,2,3,6,6)'),
  ('wai_s', 'wai_s(6,5,7,2,6,6,7,6,6,5,5,6)'),
  ('srs', 'srs(9.1,8.4,7.9,8.8)'),
  ('ors', 'ors(4.0,5.5,6.0,4.5)'),
  ('haq2', 'haq2(6,5,6,1,5,6,5,2,6,5,1,6,5,6,5,2,4,6,1)'),
  ('arm5', 'arm5(6,6,2,7,5)'),
  ('tasc_r', 'tasc_r(4,1,4,3,2,4,1,1,3,4,2,4)'),
  ('psq', 'psq(1,4,2)')) t(instrument, r);
-- stored in a table, the varlena header shrinks to one byte
CREATE TABLE sizes (r response);
INSERT INTO sizes VALUES ('wai_sr(4,3,5,4,5,4,4,3,5,4,4,3)'), ('srs(9.1,8.4,7.9,8.8)');
SELECT instrument(r), pg_column_size(r) FROM sizes ORDER BY 1;

-- jsonb
SELECT 'srs(9.1,8.4,null,8.8)'::response::jsonb;
SELECT '{"instrument": "SRS", "items": [9.1, 8.4, null, 8.8]}'::jsonb::response;
SELECT to_jsonb('psq(0,null,null)'::response)::response;
SELECT '{"instrument": "srs", "items": [9.1, 8.4, 8.8]}'::jsonb::response;
SELECT '{"instrument": "srs", "items": [9.1, 8.4, "8", 8.8]}'::jsonb::response;
SELECT '{"items": [9.1, 8.4, 8, 8.8]}'::jsonb::response;
SELECT '[1,2]'::jsonb::response;
SELECT '{"instrument": "srs", "items": [9.1, 8.4, 8, 11]}'::jsonb::response;
