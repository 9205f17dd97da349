-- Reporting aggregates on custom instruments: alpha against values printed in
-- a publication (psychTools' overview vignette: alpha(attitude) 0.84, and
-- 0.18 with complaints and critical reversed), summary of a mean-scored form
-- with a cut-off and of a half-step form, the state's text form for custom codes.
SET search_path = public, alliance;
\set SHOW_CONTEXT never

-- R's datasets::attitude (Chatterjee & Price 1977): 30 departments, 7 items 0-100
SELECT define_instrument('rep_attitude', 'attitude survey (R datasets::attitude)', 7, 0, 100);
SELECT define_instrument('rep_attitude_r', 'attitude survey, complaints and critical reversed', 7, 0, 100,
                         reversed => '{2,6}', scales => '{"positive": [1,3,4,5,7], "negative": [2,6]}');
CREATE TEMP TABLE attitude_raw (rating int, complaints int, privileges int, learning int,
                                raises int, critical int, advance int);
\copy attitude_raw FROM 'test/data/attitude.csv' WITH (FORMAT csv)
CREATE TEMP TABLE att AS
    SELECT response('rep_attitude', ARRAY[rating, complaints, privileges, learning, raises, critical, advance]) AS r,
           response('rep_attitude_r', ARRAY[rating, complaints, privileges, learning, raises, critical, advance]) AS rr
    FROM attitude_raw;
CREATE TEMP TABLE attitude_ref (name text, n bigint, raw_alpha numeric);
\copy attitude_ref FROM 'test/data/attitude_alpha.csv' WITH (FORMAT csv)
-- the published two decimals
SELECT round(alpha(r), 2) AS "alpha(attitude)", round(alpha(rr), 2) AS "alpha(attitude, keys)" FROM att;
-- R's full value, to 1e-9
SELECT name, abs(a - raw_alpha) < 1e-9 AS within_1e9, round(a, 12) AS alpha
FROM attitude_ref JOIN (SELECT 'attitude' AS name, alpha(r) AS a FROM att
                        UNION ALL SELECT 'attitude_reversed', alpha(rr) FROM att) x USING (name)
ORDER BY name;
-- a subscale of a custom form, and the state names it
SELECT round(alpha(rr, 'positive'), 6) AS positive, round(alpha(rr, 'negative'), 6) AS negative FROM att;
SELECT (summary(r)).n, (summary(r)).mean = avg(score(r)) AS mean_eq, (summary(r)).sd = stddev_samp(score(r)) AS sd_eq
FROM att;

-- a mean-scored form with a cut-off on the mean, half of its items may be missing
SELECT define_instrument('rep_mood', 'six items, mean score', 6, 1, 7, reversed => '{3}',
                         cutoff => 3.5, score => 'mean', min_answered => 0.5);
-- a half-step form (decimals 1)
SELECT define_instrument('rep_half', 'four half-step sliders', 4, 0, 10, step => 0.5);
SELECT setseed(0.42);
CREATE TABLE rep_m AS
    SELECT i % 4 AS grp,
           response('rep_mood', (SELECT array_agg(CASE WHEN random() < 0.15 THEN NULL
                                                  ELSE 1 + floor(random() * 7) END)::numeric[]
                                 FROM generate_series(1, 6) g WHERE g > i * 0)) AS r,
           response('rep_half', (SELECT array_agg(CASE WHEN random() < 0.05 THEN NULL
                                                  ELSE floor(random() * 21) / 2 END)::numeric[]
                                 FROM generate_series(1, 4) g WHERE g > i * 0)) AS h
    FROM generate_series(1, 1200) i;
-- a response at the ceiling and one below the cut-off, by hand
SELECT r, score(r), at_risk(r) FROM (VALUES ('rep_mood(7,7,1,7,7,7)'::response), ('rep_mood(3,3,5,null,null,null)'),
    ('rep_mood(1,1,7,null,null,null)'), ('rep_mood(1,null,null,null,null,7)')) v(r);
SELECT (summary(r)).* FROM (VALUES ('rep_mood(7,7,1,7,7,7)'::response), ('rep_mood(3,3,5,null,null,null)'),
    ('rep_mood(1,1,7,null,null,null)'), ('rep_mood(1,null,null,null,null,7)')) v(r);
-- against count / avg / stddev_samp of score(r), and avg of at_risk, per group
SELECT grp, (s).n = n AS n_eq, (s).n_unscored = u AS unscored_eq, abs((s).mean - m) < 1e-15 AS mean_close,
       abs((s).sd - sd) < 1e-15 AS sd_close, (s).at_risk_share = risk AS risk_eq, (s).ceiling_share = ceil AS ceiling_eq,
       (s).n, (s).n_unscored, round((s).mean, 10) AS mean, round((s).sd, 10) AS sd, round((s).at_risk_share, 4) AS at_risk
FROM (SELECT grp, summary(r) s, count(score(r)) n, count(r) - count(score(r)) u, avg(score(r)) m,
             stddev_samp(score(r)) sd, avg(at_risk(r)::int) risk, avg((score(r) = 7)::int) ceil
      FROM rep_m GROUP BY grp) x ORDER BY grp;
-- the half-step form (scores in tenths): complete responses -> exact equality ...
SELECT grp, (s).n = n AS n_eq, (s).mean = m AS mean_eq, (s).sd = sd AS sd_eq, (s).n, (s).mean, (s).sd
FROM (SELECT grp, summary(h) s, count(score(h)) n, avg(score(h)) m, stddev_samp(score(h)) sd
      FROM rep_m WHERE answered(h) = 4 GROUP BY grp) x ORDER BY grp;
-- ... and with prorated thirds (3 of 4 answered: x 4/3) within 1e-15
SELECT grp, (s).n = n AS n_eq, abs((s).mean - m) < 1e-15 AS mean_close, abs((s).sd - sd) < 1e-15 AS sd_close,
       (s).n_unscored
FROM (SELECT grp, summary(h) s, count(score(h)) n, avg(score(h)) m, stddev_samp(score(h)) sd
      FROM rep_m GROUP BY grp) x ORDER BY grp;
SELECT count(*) FILTER (WHERE score(r) <> round(score(r), 8)) AS mood_fractions,
       count(*) FILTER (WHERE score(h) <> round(score(h), 8)) AS half_fractions FROM rep_m;

-- the state of a custom form: text round trip, and its combine
CREATE AGGREGATE pg_temp.norms_state(response) (
    SFUNC = alliance.norms_trans, STYPE = alliance.stats_state, INITCOND = '{}');
SELECT pg_temp.norms_state(r) FROM (VALUES ('rep_mood(7,7,1,7,7,7)'::response), ('rep_mood(3,3,5,null,null,null)')) v(r);
SELECT count(*) AS groups, count(*) FILTER (WHERE s::text::stats_state::text = s::text) AS round_trips,
       count(*) FILTER (WHERE norms_final(s::text::stats_state) = norms_final(s)) AS same_norms
FROM (SELECT grp, pg_temp.norms_state(r) s FROM rep_m GROUP BY grp) x;
SELECT (SELECT stats_combine(a.s, b.s)::text FROM
          (SELECT pg_temp.norms_state(r) s FROM rep_m WHERE grp < 2) a,
          (SELECT pg_temp.norms_state(r) s FROM rep_m WHERE grp >= 2) b)
     = (SELECT pg_temp.norms_state(r)::text FROM rep_m) AS combine_equals_whole;
-- mixing a custom form with a built-in is an error naming both
SELECT summary(x) FROM (VALUES ('rep_mood(7,7,1,7,7,7)'::response), ('srs(9,9,9,9)')) v(x);

DROP TABLE rep_m, att;
SELECT drop_instrument(c) FROM unnest(array['rep_attitude', 'rep_attitude_r', 'rep_mood', 'rep_half']) c;
