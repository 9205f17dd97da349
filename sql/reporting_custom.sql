-- Reporting aggregates on custom instruments: alpha by hand and against its
-- definition computed in plain SQL (custom forms with reversed items, subscales,
-- half steps), summary of a mean-scored form with a cut-off and of a half-step
-- form, the state's text form for custom codes.  alpha against R's psych::alpha
-- and the values published for R's attitude data: test/shell/alpha_vs_psych.sh.
SET search_path = public, alliance;
\set SHOW_CONTEXT never

-- alpha by hand: 3 items 0-10, item 2 reversed (10 - x), subscale "pair" = items 1, 2
SELECT define_instrument('rep_tiny', 'three items by hand', 3, 0, 10, reversed => '{2}',
                         scales => '{"pair": [1, 2]}');
-- keyed rows (2,2,3) (5,4,4) (7,8,8) (6,6,5); the response with a missing item
-- and the NULL are left out.  Item means 5, 5, 5; squared deviations 14, 20, 14:
-- variances 14/3, 20/3, 14/3, sum 16.  Totals 7, 13, 23, 17 (mean 15): squared
-- deviations 136, variance 136/3.  alpha = 3/2 (1 - 16 / (136/3)) = 3/2 x 88/136
-- = 33/34 = 0.970588235294...
-- pair: sums 4, 9, 15, 12 (mean 10), variance 66/3 = 22; items 14/3 + 20/3 = 34/3:
-- alpha = 2 (1 - (34/3) / 22) = 2 x 32/66 = 32/33 = 0.969696969696...
CREATE TEMP TABLE tiny (r response);
INSERT INTO tiny VALUES ('rep_tiny(2,8,3)'), ('rep_tiny(5,6,4)'), ('rep_tiny(7,2,8)'), ('rep_tiny(6,4,5)'),
    ('rep_tiny(1,null,9)'), (NULL);
SELECT alpha(r), alpha(r) = 33 / 34.0 AS "33/34", alpha(r, 'pair'), alpha(r, 'pair') = 32 / 33.0 AS "32/33" FROM tiny;

-- two 7-item 0-100 forms on the same answers, the second with items 2 and 6
-- reversed (100 - x) and subscales
SELECT define_instrument('rep_survey', 'seven items 0-100', 7, 0, 100);
SELECT define_instrument('rep_survey_r', 'seven items 0-100, items 2 and 6 reversed', 7, 0, 100,
                         reversed => '{2,6}', scales => '{"positive": [1,3,4,5,7], "negative": [2,6]}');
-- seeded answers: a level 20..80 per respondent plus noise -30..30, clamped to
-- 0-100, so all seven items go together (reversing two makes alpha small); 5%
-- of answers missing
SELECT setseed(0.61);
-- noise inside the ordered aggregate is a hash, not random(): the order
-- random() is called in there depends on the plan (16 presorts its input)
CREATE FUNCTION pg_temp.noise(VARIADIC k int[]) RETURNS float8 LANGUAGE sql IMMUTABLE
    RETURN ('x' || substr(md5(array_to_string(k, ':')), 1, 8))::bit(32)::bigint / 4294967296.0;
CREATE TEMP TABLE survey_lvl AS SELECT i AS id, 20 + floor(random() * 61)::int AS lvl FROM generate_series(1, 400) i;
CREATE TEMP TABLE survey AS
    SELECT l.id, (SELECT array_agg(CASE WHEN pg_temp.noise(l.id, g, 1) < 0.05 THEN NULL
                                        ELSE least(100, greatest(0, l.lvl + floor(pg_temp.noise(l.id, g, 2) * 61)::int - 30)) END ORDER BY g)
                  FROM generate_series(1, 7) g) AS x
    FROM survey_lvl l ORDER BY l.id;
CREATE TEMP TABLE survey_resp AS
    SELECT id, response('rep_survey', x::numeric[]) AS r, response('rep_survey_r', x::numeric[]) AS rr FROM survey;
-- the keyed answers, one row each (form, respondent, item, value), not from alliance
CREATE TEMP TABLE alpha_long AS
    SELECT f.form, id, g AS item, (CASE WHEN g = ANY (f.rev) THEN 100 - x[g] ELSE x[g] END)::numeric AS v
    FROM survey, (VALUES ('rep_survey', '{}'::int[]), ('rep_survey_r', '{2,6}')) f(form, rev),
         generate_series(1, 7) g;
-- alpha of items over the responses that answer all of them, from its definition
-- k/(k-1) (1 - sum var_i / var_total) with var_samp, and as the exact ratio
-- k (V_t - sum V_i) / ((k-1) V_t), V = n sum x^2 - (sum x)^2, in one numeric division
CREATE FUNCTION pg_temp.alpha_def(f text, items int[], OUT n bigint, OUT by_var numeric, OUT exact numeric)
LANGUAGE sql AS $$
    WITH x AS (SELECT id, item, v FROM alpha_long
               WHERE form = f AND item = ANY (items)
                 AND id IN (SELECT id FROM alpha_long WHERE form = f AND item = ANY (items)
                            GROUP BY id HAVING count(v) = cardinality(items))),
         i AS (SELECT var_samp(v) AS var, count(*) * sum(v * v) - sum(v) * sum(v) AS vv FROM x GROUP BY item),
         t AS (SELECT sum(v) AS t FROM x GROUP BY id),
         tt AS (SELECT count(*) AS n, var_samp(t) AS var, count(*) * sum(t * t) - sum(t) * sum(t) AS vv FROM t)
    SELECT tt.n, k / (k - 1.0) * (1 - (SELECT sum(var) FROM i) / tt.var),
           k * (tt.vv - (SELECT sum(vv) FROM i)) / ((k - 1) * tt.vv)
    FROM tt, cardinality(items) k
$$;
SELECT c.form, c.subscale, d.n AS complete, a.alpha = d.exact AS exact_eq,
       abs(a.alpha - d.by_var) < 1e-12 AS var_samp_close, round(a.alpha, 9) AS alpha
FROM (VALUES ('rep_survey', NULL, '{1,2,3,4,5,6,7}'::int[]), ('rep_survey_r', NULL, '{1,2,3,4,5,6,7}'),
             ('rep_survey_r', 'positive', '{1,3,4,5,7}'), ('rep_survey_r', 'negative', '{2,6}')) c(form, subscale, items),
     LATERAL (SELECT alpha(CASE c.form WHEN 'rep_survey' THEN r ELSE rr END, c.subscale) FROM survey_resp) a(alpha),
     LATERAL pg_temp.alpha_def(c.form, c.items) d
ORDER BY c.form, c.subscale NULLS FIRST;
-- summary: complete responses -> exact.  With prorated sevenths (6 of 7 answered:
-- x 7/6) the mean is within 1e-15 and the sd (124.9 here, kept to 12 decimals) is
-- stddev_samp rounded to the sd's own scale
SELECT (summary(r)).n, (summary(r)).mean = avg(score(r)) AS mean_eq, (summary(r)).sd = stddev_samp(score(r)) AS sd_eq
FROM survey_resp WHERE answered(r) = 7;
SELECT (summary(r)).n, count(score(r)) AS count, abs((summary(r)).mean - avg(score(r))) < 1e-15 AS mean_close,
       (summary(r)).sd = round(stddev_samp(score(r)), scale((summary(r)).sd)) AS sd_rounded_eq,
       (summary(r)).sd, round(stddev_samp(score(r)), 16) AS stddev_samp
FROM survey_resp;

-- a mean-scored form with a cut-off on the mean, half of its items may be missing
SELECT define_instrument('rep_mood', 'six items, mean score', 6, 1, 7, reversed => '{3}',
                         cutoff => 3.5, score => 'mean', min_answered => 0.5);
-- a half-step form (decimals 1)
SELECT define_instrument('rep_half', 'four half-step sliders', 4, 0, 10, step => 0.5);
SELECT setseed(0.42);
CREATE TABLE rep_m AS
    SELECT i AS id, i % 4 AS grp,
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
-- alpha of both (no common level here: alpha near 0, negative allowed) against
-- its definition; the mood form's item 3 is reversed (8 - x), the half-step
-- form's items are decimals
INSERT INTO alpha_long
    SELECT 'rep_mood', id, g, CASE WHEN g = 3 THEN 8 - (items(r))[g] ELSE (items(r))[g] END FROM rep_m, generate_series(1, 6) g
    UNION ALL SELECT 'rep_half', id, g, (items(h))[g] FROM rep_m, generate_series(1, 4) g;
SELECT c.form, d.n AS complete, a.alpha = d.exact AS exact_eq,
       abs(a.alpha - d.by_var) < 1e-12 AS var_samp_close, round(a.alpha, 9) AS alpha
FROM (VALUES ('rep_mood', '{1,2,3,4,5,6}'::int[]), ('rep_half', '{1,2,3,4}')) c(form, items),
     LATERAL (SELECT alpha(CASE c.form WHEN 'rep_mood' THEN r ELSE h END) FROM rep_m) a(alpha),
     LATERAL pg_temp.alpha_def(c.form, c.items) d
ORDER BY c.form;

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

DROP TABLE rep_m, tiny, survey_resp;
SELECT drop_instrument(c) FROM unnest(array['rep_tiny', 'rep_survey', 'rep_survey_r', 'rep_mood', 'rep_half']) c;
