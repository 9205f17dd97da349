-- A synthetic clinic with known truth for measuring rupture rules
-- (bench/signal/README.md gives every parameter and its source).
-- psql variables: clients (per instrument), seed.
SELECT setseed(:seed);

-- Per instrument: items, range, step, the between-client SD of a total and
-- the reliability that set its measurement error, the mean level.
CREATE TABLE sig_instrument (code text PRIMARY KEY, k int, lo numeric, hi numeric, step numeric,
                             mean numeric, sd numeric, reliability numeric);
INSERT INTO sig_instrument VALUES
    ('srs',    4,  0, 10, 0.1, 36, 4, 0.64),
    ('wai_sr', 12, 1,  5, 1,   46, 8, 0.90);
-- error SD of a total (SEM) and of a single item, assuming independent item errors
CREATE VIEW sig_error AS
    SELECT code, sd * sqrt(1 - reliability) AS sem, sd * sqrt(1 - reliability) / sqrt(k) AS item_sem,
           sqrt(sd ^ 2 * reliability) AS true_sd
    FROM sig_instrument;

-- Standard normal draws (Box-Muller): random() only in plain scans, never
-- inside an ordered aggregate, so the data do not depend on the plan.
CREATE FUNCTION pg_temp.gauss() RETURNS double precision LANGUAGE sql VOLATILE
    RETURN sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random());

-- Clients: a true level; 8-20 sessions; a third with one planted rupture of
-- 2, 3, 4 or 6 SEM at a session between 4 and n - 2, lasting one session or
-- two, then repaired (back to the level) or not (down for good).
CREATE TABLE sig_client AS
SELECT i.code, c AS client,
       i.mean + e.true_sd * pg_temp.gauss() AS level,
       8 + floor(random() * 13)::int AS n,
       random() < 1.0 / 3 AS has_rupture,
       (ARRAY[2, 3, 4, 6])[1 + floor(random() * 4)::int] AS size_sem,
       1 + floor(random() * 2)::int AS length,
       random() < 0.5 AS repaired,
       random() AS u
FROM sig_instrument i JOIN sig_error e USING (code), generate_series(1, :clients) c;
ALTER TABLE sig_client ADD COLUMN at int;
UPDATE sig_client SET at = 4 + floor(u * (n - 5))::int;   -- 4 .. n - 2
UPDATE sig_client SET has_rupture = false WHERE n < 6;

-- True total per session: level, an early growth of the alliance (half an
-- SEM a session for the first four sessions), and the planted drop.
CREATE TABLE sig_true AS
SELECT c.code, c.client, s AS session,
       c.level + e.sem * 0.5 * least(s - 1, 4)
         - CASE WHEN c.has_rupture AND s >= c.at AND (NOT c.repaired OR s < c.at + c.length)
                THEN c.size_sem * e.sem ELSE 0 END AS true_total
FROM sig_client c JOIN sig_error e USING (code), generate_series(1, 20) s
WHERE s <= c.n;

-- Observed answers: each item the true item mean plus its own error, rounded
-- to the step and clamped to the range (the real ceiling).
CREATE TABLE sig_session AS
SELECT t.code, t.client, t.session,
       alliance.response(t.code, (SELECT array_agg(least(i.hi, greatest(i.lo,
                   round((t.true_total / i.k + e.item_sem * x.z) / i.step) * i.step)) ORDER BY x.item)
                FROM (SELECT g AS item, pg_temp.gauss() AS z FROM generate_series(1, i.k) g WHERE g > t.session * 0) x)::numeric[]) AS r
FROM sig_true t JOIN sig_instrument i USING (code) JOIN sig_error e USING (code);
