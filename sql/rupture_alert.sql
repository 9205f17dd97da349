-- alliance.rupture_alert(): the prospective alert, a window function that
-- judges each session only from the sessions before it.
SET search_path = public, alliance;
SET extra_float_digits = 0;

CREATE TEMP TABLE alert_s (client int, session int, score numeric);
INSERT INTO alert_s SELECT 1, i, (ARRAY[44,45,46,38,46,47,47,41,42,43])[i] FROM generate_series(1, 10) i;

-- the worked series, with the default frame and with frames that reach forward:
-- the same answers, since later rows never enter the decision
SELECT session, score,
       rupture_alert(session, score, 'stiles') OVER (ORDER BY session) AS default_frame,
       rupture_alert(session, score, 'stiles') OVER (ORDER BY session ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS whole,
       rupture_alert(session, score, 'stiles') OVER (ORDER BY session ROWS BETWEEN CURRENT ROW AND 3 FOLLOWING) AS ahead,
       rupture_alert(session, score, 'strauss') OVER (ORDER BY session) AS strauss,
       rupture_alert(session, score, 'stiles', reference_sd => 3) OVER (ORDER BY session) AS ref3,
       rupture_alert(session, score, 'drop', points => 5) OVER (ORDER BY session) AS drop5
FROM alert_s ORDER BY session;

-- against a hand-computed window on random data: SD of the earlier rows (n - 1),
-- at least 3 of them, drop >= k * SD (ties count) and a positive drop
SELECT setseed(0.11);
CREATE TEMP TABLE alert_r AS
    SELECT c AS client, s AS session, round((25 + 15 * random())::numeric, 1) AS score
    FROM generate_series(1, 30) c, generate_series(1, 25) s;
CREATE TEMP VIEW alert_hand AS
SELECT client, session, score,
       CASE WHEN cnt < 3 THEN NULL
            ELSE prev - score > 0 AND prev - score >= k * sd - 1e-9 * greatest(1, k * sd) END AS expected
FROM (SELECT *, 2 AS k,
             count(*) OVER w AS cnt, stddev_samp(score::float8) OVER w AS sd,
             lag(score::float8) OVER (PARTITION BY client ORDER BY session) AS prev
      FROM alert_r WINDOW w AS (PARTITION BY client ORDER BY session ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)) x;
SELECT count(*) AS rows, count(expected) AS decided, count(*) FILTER (WHERE expected) AS alerts,
       count(*) FILTER (WHERE a IS NOT DISTINCT FROM expected) AS same_default,
       count(*) FILTER (WHERE b IS NOT DISTINCT FROM expected) AS same_forward,
       count(*) FILTER (WHERE c IS NOT DISTINCT FROM expected) AS same_whole
FROM (SELECT h.*,
             rupture_alert(h.session, h.score, 'stiles') OVER (PARTITION BY h.client ORDER BY h.session) AS a,
             rupture_alert(h.session, h.score, 'stiles') OVER (PARTITION BY h.client ORDER BY h.session
                 ROWS BETWEEN 2 PRECEDING AND 5 FOLLOWING) AS b,
             rupture_alert(h.session, h.score, 'stiles') OVER (PARTITION BY h.client ORDER BY h.session
                 RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS c
      FROM alert_hand h) y;

-- NULLs: a NULL row gets NULL and is left out of the history
SELECT session, score, rupture_alert(session, score, 'drop') OVER (ORDER BY session)
FROM (VALUES (1, 40), (2, NULL), (3, 38), (4, 39), (5, 30)) v(session, score) ORDER BY session;
-- with a reference SD, one earlier row is enough
SELECT session, rupture_alert(session, score, 'stiles', reference_sd => 2) OVER (ORDER BY session)
FROM (VALUES (1, 40.0), (2, 36.0), (3, 35.0)) v(session, score) ORDER BY session;
-- date and timestamptz keys, float8 scores
SELECT d, rupture_alert(d, sc::float8, 'drop', points => 3) OVER (ORDER BY d)
FROM (VALUES (date '2024-01-01', 40), ('2024-01-09', 36), ('2024-01-15', 35)) v(d, sc) ORDER BY d;
SELECT d, rupture_alert(d, sc, 'drop', points => 3) OVER (ORDER BY d)
FROM (VALUES (timestamptz '2024-01-01 10:00+00', 40.0), ('2024-01-09 10:00+00', 36.0)) v(d, sc) ORDER BY d;
-- responses: the instrument's cut-off is the default of method cutoff
SELECT s, r, rupture_alert(s, r, 'cutoff') OVER (ORDER BY s)
FROM (VALUES (1, 'srs(9.5,9.6,9.4,9.5)'::response), (2, 'srs(9.0,8.4,8.1,8.6)'), (3, 'srs(8.0,8.4,8.1,8.6)')) v(s, r) ORDER BY s;

-- errors: rows not in session order, a repeated session, sudden (needs later sessions), bad parameters
SELECT rupture_alert(session, score, 'stiles') OVER (ORDER BY score) FROM alert_s;
SELECT rupture_alert(s, sc, 'stiles') OVER (ORDER BY s) FROM (VALUES (1, 40), (1, 41), (2, 30), (3, 20)) v(s, sc);
SELECT rupture_alert(session, score, 'sudden') OVER (ORDER BY session) FROM alert_s;
SELECT rupture_alert(session, score, 'rci') OVER (ORDER BY session) FROM alert_s;
SELECT rupture_alert(session, score, 'stiles', k => -2) OVER (ORDER BY session) FROM alert_s;
SELECT s, rupture_alert(s, r, 'cutoff') OVER (ORDER BY s)
FROM (VALUES (1, NULL), (2, 'srs(9,9,9,9)'::response), (3, 'ors(1,1,1,1)')) v(s, r);
-- ties at the threshold are ruptures: SD of the earlier rows 0.5, drop 1
SELECT s, sc, rupture_alert(s, sc, 'stiles') OVER (ORDER BY s)
FROM (VALUES (1, 39.6), (2, 40.1), (3, 40.6), (4, 39.6)) v(s, sc);
