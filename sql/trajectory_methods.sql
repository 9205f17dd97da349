-- alliance.ruptures() and alliance.status(): every method of
-- doc/trajectory.md, the worked series with exact output,
-- repair states, ties at the threshold, parameters and their errors, and
-- trajectories of responses (the instrument's defaults).
SET search_path = public, alliance;
SET extra_float_digits = 0;

CREATE TEMP TABLE waisr AS SELECT 'int{1=44,2=45,3=46,4=38,5=46,6=47,7=47,8=41,9=42,10=43}'::trajectory AS t;

-- worked series: strauss (threshold 2.92), ruptures at 4 (drop 8, repaired at 5) and 8 (drop 6, open)
SELECT r.seq, r.at_session, r.previous_score, r.score, r.drop, round(r.threshold, 2) AS threshold,
       r.repaired_seq, r.repaired_at, r.state
FROM waisr, ruptures(t, 'strauss') r;
-- stiles (threshold 5.85): the same two ruptures; status open_rupture
SELECT r.seq, r.at_session, r.drop, round(r.threshold, 2) AS threshold, r.repaired_at, r.state
FROM waisr, ruptures(t, 'stiles') r;
SELECT status(t, 'stiles'), status(t, 'strauss') FROM waisr;
-- stiles with reference SD 6.0 (threshold 12.0): none
SELECT count(*) FROM waisr, ruptures(t, 'stiles', reference_sd => 6.0) r;
SELECT status(t, 'stiles', reference_sd => 6.0) FROM waisr;
-- the reference SD only ever makes s_ref larger: 1.0 < 2.923 changes nothing
SELECT count(*), round(min(threshold), 2) FROM waisr, ruptures(t, 'stiles', reference_sd => 1.0) r;
-- k
SELECT seq, round(threshold, 2) FROM waisr, ruptures(t, 'stiles', k => 2.5) r;
SELECT seq, round(threshold, 2) FROM waisr, ruptures(t, 'strauss', k => 0) r;

-- worked sudden loss: SRS totals, c1 4.32; one loss between sessions 3 and 4
SELECT seq, at_session, previous_score, score, drop, threshold, state
FROM ruptures('int{1=38,2=39,3=38,4=27,5=28,6=27,7=29}', 'sudden', c1 => 4.32);
-- criterion 2 (pct): 11 >= 0.25 * 38 but not 0.3 * 38; NULL pct disables it
SELECT count(*) FROM ruptures('int{1=38,2=39,3=38,4=27,5=28,6=27,7=29}', 'sudden', c1 => 4.32, pct => 0.3);
SELECT count(*) FROM ruptures('int{1=38,2=39,3=38,4=27,5=28,6=27,7=29}', 'sudden', c1 => 4.32, pct => NULL);
-- c1 defaults to the RCI value 1.96 * sd * sqrt(2) * sqrt(1 - reliability)
SELECT seq, round(threshold, 4) FROM ruptures('int{1=38,2=39,3=38,4=27,5=28,6=27,7=29}', 'sudden', sd => 4, reliability => 0.7);
-- criterion 3 and t_crit by window size: 3+3 (2.776), 3+2 (3.182), 2+2 (4.303)
SELECT 'int{1=20,2=20,3=21,4=18.2,5=19.2,6=18.7}' AS series, count(r.seq) AS losses   -- 3+3, ratio 3.02
FROM ruptures('int{1=20,2=20,3=21,4=18.2,5=19.2,6=18.7}', 'sudden', c1 => 1, pct => NULL) r
UNION ALL SELECT 'int{1=20,2=20,3=21,4=18,5=19}', count(r.seq)                            -- 3+2, ratio 2.94
FROM ruptures('int{1=20,2=20,3=21,4=18,5=19}', 'sudden', c1 => 1, pct => NULL) r
UNION ALL SELECT 'int{1=20,2=20,3=21,4=17.5,5=18.5}', count(r.seq)                        -- 3+2, ratio 3.74
FROM ruptures('int{1=20,2=20,3=21,4=17.5,5=18.5}', 'sudden', c1 => 1, pct => NULL) r
UNION ALL SELECT 'int{1=20,2=21,3=17.5,4=18.5}', count(r.seq)                             -- 2+2, ratio 3.54
FROM ruptures('int{1=20,2=21,3=17.5,4=18.5}', 'sudden', c1 => 1, pct => NULL) r
UNION ALL SELECT 'int{1=20,2=21,3=15,4=16}', count(r.seq)                                 -- 2+2, ratio 7.07
FROM ruptures('int{1=20,2=21,3=15,4=16}', 'sudden', c1 => 1, pct => NULL) r
UNION ALL SELECT 'int{1=30,2=10,3=11}', count(r.seq)                                      -- 1+2: never
FROM ruptures('int{1=30,2=10,3=11}', 'sudden', c1 => 1, pct => NULL) r;

-- rci: sd 5, reliability 0.8 -> 1.96 * 5 * sqrt(2) * sqrt(0.2) = 6.198
CREATE TEMP TABLE other AS SELECT 'int{1=30,2=29,3=33,4=25,5=26,6=34,7=36,8=35}'::trajectory AS t;
SELECT seq, drop, round(threshold, 4) AS threshold, state FROM other, ruptures(t, 'rci', sd => 5, reliability => 0.8);
-- drop: any decrease by default, or at least points (8 is a tie, a rupture)
SELECT seq, drop, threshold, repaired_seq, state FROM other, ruptures(t, 'drop');
SELECT seq, drop, threshold, state FROM other, ruptures(t, 'drop', points => 8);
-- cutoff: below it after not below it; equal to it is not below
SELECT seq, previous_score, score, threshold, state FROM other, ruptures(t, 'cutoff', cutoff => 28);
SELECT count(*) FROM other, ruptures(t, 'cutoff', cutoff => 25);
-- repair_window and eps
SELECT seq, state, repaired_seq FROM other, ruptures(t, 'drop', points => 8, repair_window => 1);
SELECT seq, state, repaired_seq FROM other, ruptures(t, 'drop', points => 8, repair_window => 1, eps => 7);

-- ties at the threshold are ruptures: SD 0.5 and a drop of 1 under stiles, in binary-exact and decimal scores
SELECT seq, drop, threshold FROM ruptures('int{1=0.5,2=1,3=0}', 'stiles');
SELECT seq, drop, threshold FROM ruptures('int{1=40.1,2=40.6,3=39.6}', 'stiles');
SELECT seq, drop, threshold FROM ruptures('int{1=38.1,2=38.6,3=37.6}', 'strauss', k => 2);
SELECT seq, drop, round(threshold, 10) AS threshold FROM ruptures('int{1=9.1,2=8.4,3=7.7}', 'drop', points => 0.7);

-- status for every state
SELECT s, status(s::trajectory, 'stiles') FROM (VALUES
    ('int{1=44,2=45,3=46,4=38,5=46,6=47,7=47,8=41,9=42,10=43}'),   -- open_rupture (open)
    ('int{1=40,2=41,3=40,4=30,5=31,6=32,7=33}'),                    -- open_rupture (unrepaired)
    ('int{1=40,2=41,3=40,4=30,5=41,6=40,7=41,8=40}'),               -- repaired
    ('int{1=30,2=31,3=33,4=34,5=36,6=37}'),                         -- improving
    ('int{1=37,2=36.5,3=35.5,4=35,5=34,6=33.5}'),                   -- declining
    ('int{1=40,2=41,3=40,4=41,5=40,6=41}')) v(s);                   -- stable
SELECT status('int{1=37,2=36.5,3=35.5,4=35,5=34,6=33.5}', 'stiles', reference_sd => 10);
SELECT status('int{1=40,2=41,3=30,4=31,5=30,6=31,7=41,8=30,9=41}', 'drop', points => 5);
SELECT status(NULL::trajectory, 'stiles'), (SELECT count(*) FROM ruptures(NULL::trajectory, 'stiles'));

-- parameter errors: 22023 naming the parameter
\set VERBOSITY sqlstate
SELECT * FROM waisr, ruptures(t, 'rci');
SELECT * FROM waisr, ruptures(t, 'rci', sd => 5);
SELECT * FROM waisr, ruptures(t, 'rci', sd => 5, reliability => 1.5);
SELECT * FROM waisr, ruptures(t, 'rci', sd => 5, reliability => -0.1);
SELECT * FROM waisr, ruptures(t, 'cutoff');
SELECT * FROM waisr, ruptures(t, 'sudden');
SELECT * FROM waisr, ruptures(t, 'magic');
SELECT * FROM waisr, ruptures(t, 'stiles', k => -1);
SELECT * FROM waisr, ruptures(t, 'stiles', reference_sd => -1);
SELECT * FROM waisr, ruptures(t, 'stiles', repair_window => 0);
SELECT * FROM waisr, ruptures(t, 'drop', points => 'NaN');
SELECT status(t, 'rci') FROM waisr;
\set VERBOSITY default
SELECT * FROM waisr, ruptures(t, 'rci');
SELECT * FROM waisr, ruptures(t, 'magic');
SELECT * FROM waisr, ruptures(t, 'stiles', k => -1);
SELECT * FROM waisr, ruptures(t, 'rci', sd => 5, reliability => 1.5);

-- trajectories of responses: the instrument's score, cut-off and norms are the defaults
CREATE TEMP TABLE srs_visits (client int, session int, r response);
INSERT INTO srs_visits VALUES
    (1, 1, 'srs(9.5,9.6,9.4,9.5)'), (1, 2, 'srs(9.6,9.5,9.7,9.4)'), (1, 3, 'srs(9.0,8.4,8.1,8.6)'),
    (1, 4, 'srs(9.1,9.3,9.2,9.4)'), (1, 5, 'srs(8.0,7.5,7.9,8.2)'), (1, 6, 'srs(8.1,7.9,8.0,8.3)'),
    (2, 1, 'srs(9,9,9,9)'), (2, 2, NULL);
SELECT client, trajectory(session, r) FROM srs_visits GROUP BY client ORDER BY client;
-- cutoff defaults to the SRS cut-off 36
SELECT seq, previous_score, score, threshold, repaired_seq, state
FROM (SELECT trajectory(session, r) t FROM srs_visits WHERE client = 1) x, ruptures(t, 'cutoff');
SELECT seq, threshold FROM (SELECT trajectory(session, r) t FROM srs_visits WHERE client = 1) x, ruptures(t, 'cutoff', cutoff => 38);
-- the instrument survives the text form
SELECT seq, threshold FROM ruptures('int:srs{1=38,2=35}', 'cutoff');
-- ORS: rci uses its reliable-change points (5) when no sd and reliability are given
SELECT seq, drop, threshold FROM ruptures('int:ors{1=30,2=24.5,3=22,4=25}', 'rci');
SELECT seq, drop, round(threshold, 4) FROM ruptures('int:ors{1=30,2=24.5,3=22,4=25}', 'rci', sd => 7, reliability => 0.9);
-- a numeric trajectory has no cut-off; two instruments do not mix; PSQ has no score
SELECT * FROM ruptures('int{1=38,2=35}', 'cutoff');
SELECT trajectory(s, r) FROM (VALUES (1, 'srs(9,9,9,9)'::response), (2, 'ors(9,9,9,9)')) v(s, r);
SELECT trajectory(s, r) FROM (VALUES (1, 'psq(1,3,2)'::response)) v(s, r);

-- the contract's done-when query
CREATE TEMP TABLE sessions (client int, session int, r response);
INSERT INTO sessions SELECT 1, i, format('wai_sr(%s)', array_to_string(array_fill(v, ARRAY[12]), ','))::response
    FROM (VALUES (1, 4), (2, 4), (3, 4), (4, 2), (5, 4), (6, 5), (7, 4)) x(i, v);
SELECT client, alliance.status(t, 'stiles'), r.*
FROM (SELECT client, alliance.trajectory(session, r) t FROM sessions GROUP BY client) x, alliance.ruptures(t, 'stiles') r;

-- One rule of reliable change for every entry point: ruptures(method => 'rci')
-- refuses what reliable_change refuses ...
SELECT * FROM ruptures('int{1=30,2=20}', 'rci', sd => 0, reliability => 0.8);
SELECT * FROM ruptures('int{1=30,2=20}', 'rci', sd => 5, reliability => 1);
SELECT * FROM reliable_change('ors(8,8,8,8)', 'ors(5,5,5,5)', sd => 5, reliability => 1);
-- ... and on two sessions finds a rupture exactly when reliable_change calls
-- the same drop a reliable deterioration (500 random ORS pairs and figures)
SELECT setseed(0.23);
CREATE TEMP TABLE rc_cases AS
    SELECT i, round((1 + 9 * random())::numeric, 2) AS sd, round((0.99 * random())::numeric, 3) AS rel,
           response('ors', ARRAY[round((10 * random())::numeric, 1), round((10 * random())::numeric, 1),
                                 round((10 * random())::numeric, 1), round((10 * random())::numeric, 1)]) AS before,
           response('ors', ARRAY[round((10 * random())::numeric, 1), round((10 * random())::numeric, 1),
                                 round((10 * random())::numeric, 1), round((10 * random())::numeric, 1)]) AS after
    FROM generate_series(1, 500) i;
SELECT count(*) AS cases,
       count(*) FILTER (WHERE rc.reliable AND rc.direction = 'deteriorated') AS reliable_drops,
       count(*) FILTER (WHERE (rc.reliable AND rc.direction = 'deteriorated')
                              = ((SELECT count(*) FROM ruptures(t, 'rci', sd => c.sd, reliability => c.rel)) = 1)) AS agree
FROM rc_cases c,
     LATERAL (SELECT trajectory(s, r) AS t FROM (VALUES (1, c.before), (2, c.after)) v(s, r)) x,
     LATERAL reliable_change(c.before, c.after, sd => c.sd, reliability => c.rel) rc;
