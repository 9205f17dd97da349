-- Benchmark data for the comparisons a competent user would make (issue
-- targets in bench/README.md): :clients clients x 20 sessions of the WAI-SR,
-- stored as alliance.response(wai_sr), as twelve smallint columns, and as an
-- int[].  Answers 1-5 around a per-client level, with a Stiles-sized drop in a
-- third of the clients.  Fixed seed.
\set ON_ERROR_STOP 1
SET search_path = public, alliance;
SELECT setseed(0.5);
CREATE UNLOGGED TABLE wraw AS
SELECT c AS client, s AS session,
       ARRAY(SELECT least(5, greatest(1, round(3.6 + (c % 5) * 0.2 + (random() - 0.5) * 1.6
                                               - CASE WHEN s = 8 + c % 7 AND c % 3 = 0 THEN 1.2 ELSE 0 END)))::smallint
             FROM generate_series(1, 12) WHERE s > 0) AS a
FROM generate_series(1, :clients) c, generate_series(1, 20) s;
CREATE TABLE w_typed AS SELECT client, session, response('wai_sr', a::numeric[])::response(wai_sr) AS r FROM wraw;
CREATE TABLE w_plain AS
SELECT client, session, a[1] AS i1, a[2] AS i2, a[3] AS i3, a[4] AS i4, a[5] AS i5, a[6] AS i6,
       a[7] AS i7, a[8] AS i8, a[9] AS i9, a[10] AS i10, a[11] AS i11, a[12] AS i12
FROM wraw;
CREATE TABLE w_arr AS SELECT client, session, a::int[] AS a FROM wraw;
DROP TABLE wraw;
-- the same sessions partitioned by client: the layout for parallel per-client reports
CREATE TABLE w_part (LIKE w_typed) PARTITION BY HASH (client);
SELECT format('CREATE TABLE w_part_%s PARTITION OF w_part FOR VALUES WITH (MODULUS 4, REMAINDER %s)', i, i) FROM generate_series(0, 3) i \gexec
INSERT INTO w_part SELECT * FROM w_typed;
VACUUM ANALYZE w_typed; VACUUM ANALYZE w_plain; VACUUM ANALYZE w_arr; VACUUM ANALYZE w_part;
