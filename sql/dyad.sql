-- Two raters (doc/dyad.md): gap(), the dyad aggregate and its accessors,
-- unseen ruptures, agreement over a group.  The worked examples first.
SET search_path = public, alliance;
SET extra_float_digits = 0;
\set SHOW_CONTEXT never
-- a clinic's licensed therapist form, as a custom instrument
SELECT define_instrument(code => 'wsr_t', name => 'Therapist form', items => 12, min => 1, max => 5, step => 1);

-- gap: client total 48 (POMP 75), therapist total 39 (POMP 56.25)
SELECT * FROM gap('wai_sr(4,3,5,4,5,4,4,3,5,4,4,3)', 'wsr_t(3,3,4,3,4,3,3,3,4,3,3,3)');
SELECT * FROM gap('wai_sr(4,3,5,4,5,4,4,3,5,4,4,3)', 'wai_sr(3,3,4,3,4,3,3,3,4,3,3,3)');
-- a side that is NULL, or has no score, makes the gap NULL
SELECT * FROM gap('srs(9,9,9,9)', NULL);
SELECT * FROM gap('wai_sr(4,null,null,null,null,null,null,null,null,null,null,3)', 'wsr_t(3,3,4,3,4,3,3,3,4,3,3,3)');

-- agreement: five pairs and one session the client alone rated
CREATE TEMP TABLE five (client numeric, therapist numeric);
INSERT INTO five VALUES (75, 60), (80, 70), (60, 55), (90, 70), (70, 65), (88, NULL);
SELECT pairs, unpaired, round(r::numeric, 6) AS r, mean_difference, round(sd_client::numeric, 6) AS sd_client,
       round(sd_therapist::numeric, 6) AS sd_therapist, round(d::numeric, 6) AS d
FROM (SELECT (agreement(client, therapist)).* FROM five) a;
-- the same as double precision; nothing rated, one pair, no variation
SELECT (agreement(client::float8, therapist::float8)).pairs FROM five;
SELECT (agreement(client, therapist)).* FROM five WHERE false;
SELECT (agreement(client, therapist)).* FROM five WHERE client = 75;
SELECT (agreement(c, t)).* FROM (VALUES (50::numeric, 40::numeric), (50, 60)) v(c, t);

-- dyad of numbers on one scale: sessions 1-6
CREATE TEMP TABLE pair6 (session int, client numeric, therapist numeric, therapist2 numeric);
INSERT INTO pair6 VALUES (1, 75, 60, 60), (2, 77, 62, 62), (3, 79, 62, 62), (4, 80, 64, 64), (5, 60, 63, 50), (6, 78, 65, 60);
SELECT d, paired_sessions(d), round(mean_gap(d)::numeric, 6) AS mean_gap, round(correlation(d)::numeric, 6) AS r,
       round(gap_slope(d)::numeric, 6) AS gap_slope
FROM (SELECT dyad(session, client, therapist) AS d FROM pair6) x;
-- the client's drop of 20 at session 5, the therapist's of 1: unseen
SELECT * FROM unseen((SELECT dyad(session, client, therapist) FROM pair6), method => 'drop', points => 10);
-- the therapist's own drop of 14 there: seen
SELECT count(*) AS unseen FROM unseen((SELECT dyad(session, client, therapist2) FROM pair6), method => 'drop', points => 10);
-- numbers carry no norms: the default rule needs them, and says so
SELECT * FROM unseen((SELECT dyad(session, client, therapist) FROM pair6));

-- a session rated by one side only is kept, never paired
SELECT paired_sessions(d), sessions((d).client) AS client_sessions, sessions((d).therapist) AS therapist_sessions
FROM (SELECT dyad(s, c, t) AS d FROM (VALUES (1, 70::numeric, 60::numeric), (2, 72, NULL), (3, NULL, 61), (4, NULL, NULL)) v(s, c, t)) x;
-- nothing rated: NULL; one pair: no correlation, no slope
SELECT dyad(s, c, t) IS NULL AS no_dyad FROM (VALUES (1, NULL::numeric, NULL::numeric)) v(s, c, t);
SELECT paired_sessions(d), mean_gap(d), correlation(d), gap_slope(d)
FROM (SELECT dyad(1, 70::numeric, 60::numeric) AS d) x;
-- a session a side rated twice is an error, as in trajectory
SELECT dyad(s, c, t) FROM (VALUES (1, 70::numeric, 60::numeric), (1, 71, 61)) v(s, c, t);

-- responses on POMP, dated sessions, two instruments
CREATE TEMP TABLE rated (seen date, client alliance.response, therapist alliance.response);
INSERT INTO rated VALUES
    ('2025-03-03', 'wai_sr(4,4,4,4,4,4,4,4,4,4,4,4)', 'wsr_t(3,3,3,3,3,3,3,3,3,3,3,3)'),
    ('2025-03-10', 'wai_sr(4,4,4,4,4,4,4,4,4,4,4,4)', 'wsr_t(3,3,3,3,3,3,3,3,3,3,3,3)'),
    ('2025-03-17', 'wai_sr(4,4,4,4,4,4,4,5,4,4,4,4)', 'wsr_t(3,3,3,3,3,3,3,3,3,3,3,4)'),
    ('2025-03-24', 'wai_sr(4,4,4,4,4,4,4,4,4,4,4,4)', 'wsr_t(3,3,3,3,3,3,3,3,3,3,3,3)'),
    ('2025-03-31', 'wai_sr(2,2,2,2,2,2,2,2,2,2,2,2)', 'wsr_t(3,3,3,3,3,3,3,3,3,3,3,3)'),
    ('2025-04-07', 'wai_sr(4,4,4,4,4,4,4,4,4,4,4,4)', NULL);
SELECT (d).client_instrument, (d).therapist_instrument, paired_sessions(d), round(mean_gap(d)::numeric, 6) AS mean_gap,
       round(gap_slope(d)::numeric, 6) AS gap_per_day
FROM (SELECT dyad(seen, client, therapist) AS d FROM rated) x;
-- the default rule on POMP with the WAI-SR's norms for both sides: the
-- client's fall at 31 March is a rupture, the therapist's series has none
SELECT at_session, at_time AT TIME ZONE 'UTC' AS at_time, round(client_drop, 3) AS client_drop, therapist_drop
FROM unseen((SELECT dyad(seen, client, therapist) FROM rated));

-- PSQ pairs: the client reports a rupture, the therapist does not
SELECT * FROM unseen((SELECT dyad(s, c::alliance.response, t::alliance.response)
                      FROM (VALUES (1, 'psq(1,3,4)', 'psq(1,3,4)'), (2, 'psq(1,4,2)', 'psq(0,null,null)'),
                                   (3, 'psq(0,null,null)', 'psq(1,2,4)'), (4, 'psq(1,2,2)', NULL)) v(s, c, t)));
-- a PSQ is no score: paired with a scored form, or in agreement, it is an error
SELECT dyad(1, 'psq(1,3,4)'::alliance.response, 'srs(9,9,9,9)'::alliance.response);
SELECT agreement('psq(1,3,4)'::alliance.response, 'psq(0,null,null)'::alliance.response);
-- one side mixing instruments is refused, as a trajectory is
SELECT dyad(s, c::alliance.response, t::alliance.response)
FROM (VALUES (1, 'srs(9,9,9,9)', 'wsr_t(3,3,3,3,3,3,3,3,3,3,3,3)'), (2, 'ors(9,9,9,9)', 'wsr_t(3,3,3,3,3,3,3,3,3,3,3,3)')) v(s, c, t);

-- agreement on responses equals corr() and avg() over the same paired POMPs
SELECT setseed(0.42);
CREATE TABLE ratings AS
SELECT c AS client, s AS session, (c % 7) AS therapist,
       CASE WHEN random() < 0.05 THEN NULL
            ELSE response('wai_sr', ARRAY(SELECT 2 + floor(random() * 4) FROM generate_series(1, 12) WHERE c > 0)::numeric[]) END AS by_client,
       CASE WHEN random() < 0.05 THEN NULL
            ELSE response('wsr_t', ARRAY(SELECT 1 + floor(random() * 4) FROM generate_series(1, 12) WHERE c > 0)::numeric[]) END AS by_therapist
FROM generate_series(1, 300) c, generate_series(1, 12) s;
ANALYZE ratings;
SELECT count(*) AS differences FROM (
    SELECT therapist, (agreement(by_client, by_therapist)).* FROM ratings GROUP BY therapist) a
JOIN (SELECT therapist, count(*) FILTER (WHERE by_client IS NOT NULL AND by_therapist IS NOT NULL) AS pairs,
             count(*) FILTER (WHERE (by_client IS NULL) <> (by_therapist IS NULL)) AS unpaired,
             corr(pomp(by_client), pomp(by_therapist)) AS r,
             avg(pomp(by_client) - pomp(by_therapist)) AS mean_difference,
             stddev_samp(pomp(by_client)) FILTER (WHERE by_therapist IS NOT NULL) AS sd_client
      FROM ratings GROUP BY therapist) b USING (therapist)
WHERE a.pairs <> b.pairs OR a.unpaired <> b.unpaired OR abs(a.r - b.r) > 1e-12
   OR abs(a.mean_difference - b.mean_difference::float8) > 1e-9 OR abs(a.sd_client - b.sd_client::float8) > 1e-9;

-- serial equals parallel: the dyads and the agreement
SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE serial_dyads AS
    SELECT client, dyad(session, by_client, by_therapist)::text AS d FROM ratings GROUP BY client;
CREATE TEMP TABLE serial_agreement AS SELECT (agreement(by_client, by_therapist)).* FROM ratings;
CREATE TEMP TABLE serial_one AS SELECT dyad(client * 100 + session, by_client, by_therapist)::text AS d FROM ratings;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF) SELECT (agreement(by_client, by_therapist)).* FROM ratings;
SELECT count(*) AS different_dyads FROM serial_dyads s
JOIN (SELECT client, dyad(session, by_client, by_therapist)::text AS d FROM ratings GROUP BY client) p USING (client)
WHERE s.d IS DISTINCT FROM p.d;
SELECT p.pairs = s.pairs AND p.unpaired = s.unpaired AND abs(p.r - s.r) < 1e-12
       AND abs(p.mean_difference - s.mean_difference) < 1e-9 AS same_agreement
FROM serial_agreement s, (SELECT (agreement(by_client, by_therapist)).* FROM ratings) p;
-- one dyad over the whole table, its sessions spread over the workers
SELECT dyad(client * 100 + session, by_client, by_therapist)::text = (SELECT d FROM serial_one) AS one_dyad_equal FROM ratings;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;

-- a stored dyad reads back through its text form
CREATE TABLE stored_dyads AS SELECT client, dyad(session, by_client, by_therapist) AS d FROM ratings GROUP BY client;
SELECT count(*) AS changed_by_text FROM stored_dyads WHERE d::text::alliance.dyad_trajectory::text IS DISTINCT FROM d::text;
SELECT client, paired_sessions(d), round(mean_gap(d)::numeric, 3) AS mean_gap FROM stored_dyads ORDER BY client LIMIT 3;
DROP TABLE ratings, stored_dyads;
