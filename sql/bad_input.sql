-- Bad input: a clear error with a precise SQLSTATE, never a crash, a silent
-- clamp or XX000.  22P02 syntax and wrong item count; 22003 a value that is
-- not allowed (range, step, NaN, Infinity); 22023 unknown instrument or a
-- broken instrument rule.
SET search_path = public, alliance;

CREATE FUNCTION pg_temp.try(input text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  PERFORM input::alliance.response;
  RETURN 'accepted';
EXCEPTION WHEN others THEN
  RETURN SQLSTATE || ': ' || SQLERRM;
END $$;

SELECT n, left(input, 45) AS input, left(pg_temp.try(input), 110) AS result FROM (VALUES
  (1, ''),
  (2, '   '),
  (3, 'srs'),
  (4, 'srs('),
  (5, 'srs(9,9,9,9'),
  (6, 'srs)9,9,9,9('),
  (7, '(9,9,9,9)'),
  (8, 'srs(9,9,9)'),
  (9, 'srs(9,9,9,9,9)'),
  (10, 'srs()'),
  (11, 'srs(9,,9,9)'),
  (12, 'srs(9,9,9,9) junk'),
  (13, 'srs(9,9,9,9)(1)'),
  (14, 'srs(9;9;9;9)'),
  (15, 'srs(9,9,9,abc)'),
  (16, 'srs(9,9,9,1e1)'),
  (17, 'srs(9,9,9,0x9)'),
  (18, 'srs(9,9,9,٩)'),
  (19, 'srs(9,9,9,９)'),
  (20, 'srs(9,9,9,10.1)'),
  (21, 'srs(9,9,9,-0.1)'),
  (22, 'srs(9.15,9,9,9)'),
  (23, 'srs(9,9,9,NaN)'),
  (24, 'srs(9,9,9,Infinity)'),
  (25, 'srs(9,9,9,-inf)'),
  (26, 'wai_sr(4,3,5,4,5,4,6,3,5,4,4,3)'),
  (27, 'wai_sr(4,3,5,4,5,4,0,3,5,4,4,3)'),
  (28, 'wai_sr(4,3,5,4.5,5,4,4,3,5,4,4,3)'),
  (29, 'wai_sr(4,3,5,4,5,4,4,3,5,4,4,99999999999999999999999)'),
  (30, 'wai_sr(4,3,5,4,5,4,4,3,5,4,4,3.0000000000000000000001)'),
  (31, 'wai(1,2,3)'),
  (32, 'nope(1,2,3)'),
  (33, 'srs-x(1,2,3,4)'),
  (34, 'a23456789012345678901234567890123(1)'),
  (35, 'psq(null,1,1)'),
  (36, 'psq(0,3,null)'),
  (37, 'psq(0,null,4)'),
  (38, 'psq(2,null,null)'),
  (39, 'psq(1,6,1)'),
  (40, 'haq2(1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,7)'),
  (41, 'tasc_r(1,1,1,1,1,1,1,1,1,1,1,0)'),
  (42, 'arm5(8,1,1,1,1)'),
  (43, 'srs(+9,9,9,9)'),
  (44, 'srs(9.,9,9,.5)'),
  (45, 'srs(9,9,9,9)' || repeat(' ', 100)),
  (46, 'wai_sr(' || repeat('4,', 100000) || '4)'),
  (47, 'srs(' || repeat('9', 30000) || ',9,9,9)'),
  (48, 'srs(9,9,9,' || E'\t' || '9 )'),
  (49, 'srs(9,9,9,- 9)'),
  (50, 'srs(9,9,9,null null)')
) t(n, input) ORDER BY n;

-- the full error with detail and hint, as a user sees it
SELECT 'wai_sr(4,3,5,4,5,4,6,3,5,4,4,3)'::response;
SELECT 'srs(9.15,9,9,9)'::response;
SELECT 'nope(1,2,3)'::response;
SELECT ''::response;
SELECT 'srs(9,9,9,9) junk'::response;
SELECT 'psq(0,3,null)'::response;
SELECT 'srs(9,,9,9)'::response;
-- nothing is stored on failure
CREATE TABLE bad_target (r response);
INSERT INTO bad_target VALUES ('srs(9,9,9,9)'), ('srs(9,9,9,11)');
SELECT count(*) FROM bad_target;
