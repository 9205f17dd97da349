-- Benchmark data: :clients clients x 20 sessions of SRS, stored three ways:
-- as alliance.response(srs), as four numeric columns (the plain-SQL way), and
-- as a numeric[] (the loose-numbers way).  Fixed seed.
\set ON_ERROR_STOP 1
SET search_path = public, alliance;
SELECT setseed(0.25);
CREATE UNLOGGED TABLE raw AS
SELECT c AS client, s AS session,
       round(least(10, greatest(0, 9 + (random() - 0.7) * 3 - CASE WHEN s = 8 + c % 7 AND c % 3 = 0 THEN 3 ELSE 0 END))::numeric, 1) AS i1,
       round(least(10, greatest(0, 9 + (random() - 0.7) * 3 - CASE WHEN s = 8 + c % 7 AND c % 3 = 0 THEN 3 ELSE 0 END))::numeric, 1) AS i2,
       round(least(10, greatest(0, 9 + (random() - 0.7) * 3 - CASE WHEN s = 8 + c % 7 AND c % 3 = 0 THEN 3 ELSE 0 END))::numeric, 1) AS i3,
       round(least(10, greatest(0, 9 + (random() - 0.7) * 3 - CASE WHEN s = 8 + c % 7 AND c % 3 = 0 THEN 3 ELSE 0 END))::numeric, 1) AS i4
FROM generate_series(1, :clients) c, generate_series(1, 20) s;

CREATE TABLE typed AS SELECT client, session, response('srs', ARRAY[i1, i2, i3, i4])::response(srs) AS srs FROM raw;
-- the same answers under a custom instrument of the same shape
SELECT define_instrument('srs_local', 'SRS-shaped local form', 4, 0, 10, step => 0.1, min_answered => 1, cutoff => 36);
CREATE TABLE typed_custom AS SELECT client, session, response('srs_local', ARRAY[i1, i2, i3, i4]) AS r FROM raw;
CREATE TABLE plain AS SELECT client, session, i1, i2, i3, i4 FROM raw;
CREATE TABLE arrays AS SELECT client, session, ARRAY[i1, i2, i3, i4] AS items FROM raw;
DROP TABLE raw;
VACUUM ANALYZE typed; VACUUM ANALYZE typed_custom; VACUUM ANALYZE plain; VACUUM ANALYZE arrays;
