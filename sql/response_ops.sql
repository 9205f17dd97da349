-- Equality, ordering and hashing: GROUP BY, DISTINCT, count(DISTINCT),
-- ORDER BY, unique indexes and hash joins.
SET search_path = public, alliance;

CREATE TABLE forms (id int, r response);
INSERT INTO forms VALUES
  (1, 'srs(9.1,8.4,7.9,8.8)'), (2, 'SRS(9.1,8.4,7.9,8.8)'), (3, 'srs(9,9,9,9)'),
  (4, 'srs(9.0,9.0,9.0,9.0)'), (5, 'srs(9,9,9,null)'), (6, 'srs(0,9,9,9)'),
  (7, 'ors(1,2,3,4)'), (8, 'wai_sr(4,3,5,4,5,4,4,3,5,4,4,3)'), (9, 'arm5(6,6,2,7,5)'),
  (10, 'psq(0,null,null)'), (11, 'psq(1,4,2)');

SELECT r FROM forms ORDER BY r, id;
SELECT r FROM forms ORDER BY r DESC, id;
SELECT count(DISTINCT r) AS distinct_values, count(*) AS rows FROM forms;
SELECT r, count(*) FROM forms GROUP BY r ORDER BY r;
SELECT DISTINCT r FROM forms ORDER BY r;
SELECT 'srs(9,9,9,9)'::response < 'srs(9,9,9,null)'::response AS missing_sorts_last,
       'arm5(1,1,1,1,1)'::response < 'srs(0,0,0,0)'::response AS by_code_first,
       'srs(1,1,1,1)'::response <> 'srs(1,1,1,1.0)'::response AS ne,
       'srs(1,1,1,1)'::response <= 'srs(1,1,1,1.0)'::response AS le,
       'srs(1,1,1,2)'::response > 'srs(1,1,1,1.9)'::response AS gt,
       'srs(1,1,1,2)'::response >= 'srs(1,1,1,1.9)'::response AS ge;

-- hash: equal values hash alike
SELECT response_hash('srs(9,9,9,9)') = response_hash('SRS(9.0,9.0,9.0,9.0)') AS same_hash,
       response_hash_extended('srs(9,9,9,9)', 42) = response_hash_extended('srs(9.0,9.0,9.0,9.0)', 42) AS same_ext_hash;

-- hash join and hash aggregate
SET enable_mergejoin = off; SET enable_nestloop = off;
EXPLAIN (COSTS OFF) SELECT a.id, b.id FROM forms a JOIN forms b ON a.r = b.r;
SELECT a.id, b.id FROM forms a JOIN forms b ON a.r = b.r AND a.id < b.id ORDER BY 1, 2;
RESET enable_mergejoin; RESET enable_nestloop;
SET enable_sort = off;
SELECT r, count(*) FROM forms GROUP BY r HAVING count(*) > 1 ORDER BY 2, 1;
RESET enable_sort;

-- merge join and a btree index
SET enable_hashjoin = off; SET enable_nestloop = off;
SELECT a.id, b.id FROM forms a JOIN forms b ON a.r = b.r AND a.id < b.id ORDER BY 1, 2;
RESET enable_hashjoin; RESET enable_nestloop;
CREATE INDEX forms_r ON forms (r);
SET enable_seqscan = off;
SELECT id FROM forms WHERE r = 'srs(9,9,9,9)' ORDER BY id;
SELECT id FROM forms WHERE r > 'srs(9,9,9,9)' ORDER BY id;
RESET enable_seqscan;
CREATE UNIQUE INDEX forms_unique ON forms (r);
CREATE TABLE uniq (r response UNIQUE);
INSERT INTO uniq VALUES ('srs(9,9,9,9)');
INSERT INTO uniq VALUES ('srs(9.0,9.0,9.0,9.0)');
