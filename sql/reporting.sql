-- Clinic reporting aggregates: summary(response), alpha(response [, subscale]),
-- norms(response) and their state type stats_state.
--   * summary equals count / avg / stddev_samp of alliance.score(r): exactly
--     when every score is a terminating decimal, to 1e-15 with prorated
--     fractions (summary is then the exact value, avg the mean of rounded scores)
--   * alpha by hand, and on seeded data against its definition computed in
--     plain SQL (R's psych::alpha on published data: test/shell/alpha_vs_psych.sh)
--   * serial == forced parallel == partitionwise; the state's text round trip
SET search_path = public, alliance;

-- ------------------------------------------------------------ summary by hand
-- WAI-SR totals 48, 60, 36 (mean 48, sd 12), one unscored (8 of 12 items), one NULL
CREATE TEMP TABLE hand (id int, r response);
INSERT INTO hand VALUES
    (1, 'wai_sr(4,4,4,4,4,4,4,4,4,4,4,4)'), (2, 'wai_sr(5,5,5,5,5,5,5,5,5,5,5,5)'),
    (3, 'wai_sr(3,3,3,3,3,3,3,3,3,3,3,3)'), (4, 'wai_sr(3,3,3,3,3,3,3,3,null,null,null,null)'),
    (5, NULL);
SELECT (summary(r)).* FROM hand;
SELECT count(score(r)) AS n, count(r) - count(score(r)) AS n_unscored,
       avg(score(r)) AS mean, stddev_samp(score(r)) AS sd FROM hand;
-- the composite as one value, and field access
SELECT summary(r), (summary(r)).mean FROM hand;

-- SRS: cut-off 36 (34.2 at risk, 36.0 not), ceiling 40.0
CREATE TEMP TABLE srs_hand (r response);
INSERT INTO srs_hand VALUES ('srs(9.1,8.4,7.9,8.8)'), ('srs(9,9,9,9)'), ('srs(10,10,10,10)'),
    ('srs(10,10,10,10)'), ('srs(8,8,8,8)'), ('srs(10,10,10,null)');
SELECT (summary(r)).* FROM srs_hand;
SELECT count(score(r)) AS n, avg(score(r)) AS mean, stddev_samp(score(r)) AS sd,
       avg(at_risk(r)::int) AS at_risk_share,
       avg((score(r) = 40)::int) FILTER (WHERE score(r) IS NOT NULL) AS ceiling_share
FROM srs_hand;

-- a prorated score: 45/11 x 12 = 540/11; sd = (12/11) / sqrt 2 exactly rounded
SELECT (summary(r)).* FROM (VALUES ('wai_sr(5,3,5,4,5,4,null,3,5,4,4,3)'::response),
    ('wai_sr(4,3,5,4,5,4,4,3,5,4,4,3)')) v(r);
SELECT avg(score(r)), stddev_samp(score(r)) FROM (VALUES ('wai_sr(5,3,5,4,5,4,null,3,5,4,4,3)'::response),
    ('wai_sr(4,3,5,4,5,4,4,3,5,4,4,3)')) v(r);

-- empty groups, only NULLs, one response
SELECT (summary(r)).* FROM hand WHERE false;
SELECT (summary(r)).* FROM hand WHERE r IS NULL;
SELECT id, (summary(r)).* FROM hand WHERE false GROUP BY id;
SELECT (summary(r)).*, stddev_samp(score(r)) FROM hand WHERE id = 1;
-- an unscored response alone
SELECT (summary(r)).* FROM hand WHERE id = 4;
-- all scores equal: sd 0, as stddev_samp
SELECT (summary(r)).sd, stddev_samp(score(r)) FROM (VALUES ('srs(9,9,9,9)'::response), ('srs(9,9,9,9)')) v(r);

-- errors: mixing instruments (both named), PSQ (with a hint)
SELECT summary(r) FROM (VALUES ('wai_sr(4,3,5,4,5,4,4,3,5,4,4,3)'::response), ('srs(9,9,9,9)')) v(r);
SELECT summary(r) FROM (VALUES ('psq(1,4,2)'::response)) v(r);
-- per instrument is the way
SELECT instrument(r), (summary(r)).n FROM (VALUES ('wai_sr(4,3,5,4,5,4,4,3,5,4,4,3)'::response),
    ('srs(9,9,9,9)'), ('srs(9.5,9,9,9)')) v(r) GROUP BY 1 ORDER BY 1;

-- summary over a window (the final function is READ_ONLY)
SELECT id, (summary(r) OVER (ORDER BY id)).n AS running_n,
       (summary(r) OVER (ORDER BY id)).mean AS running_mean
FROM hand ORDER BY id;

-- ------------------------------------------------- summary vs SQL on random data
SELECT setseed(0.31);
-- 3000 WAI-SR responses by 7 therapists; about 2% of answers missing, so some
-- scores are prorated (some of them fractions such as 540/11), a few unscored
CREATE TABLE rep_w AS
    SELECT i AS id, i % 7 AS therapist,
           response('wai_sr', (SELECT array_agg(CASE WHEN random() < 0.02 THEN NULL
                                                ELSE 1 + floor(random() * 5) END)::numeric[]
                               FROM generate_series(1, 12) g WHERE g > i * 0)) AS r
    FROM generate_series(1, 3000) i;
-- 2000 SRS responses, complete (VAS forms allow no missing item)
CREATE TABLE rep_s AS
    SELECT i AS id, i % 5 AS therapist,
           response('srs', (SELECT array_agg(round((6 + 4 * random())::numeric, 1))
                            FROM generate_series(1, 4) g WHERE g > i * 0)) AS r
    FROM generate_series(1, 2000) i;
ANALYZE rep_w, rep_s;

-- SRS: every score is a decimal, so mean and sd equal avg and stddev_samp exactly
SELECT therapist, (s).n = count AS n_eq, (s).mean = avg AS mean_eq, (s).sd = sd AS sd_eq,
       (s).at_risk_share = risk AS risk_eq, (s).ceiling_share = ceil AS ceiling_eq, (s).n, (s).mean, (s).sd
FROM (SELECT therapist, summary(r) s, count(score(r)), avg(score(r)), stddev_samp(score(r)) sd,
             avg(at_risk(r)::int) risk, avg((score(r) = 40)::int) ceil
      FROM rep_s GROUP BY therapist) x ORDER BY therapist;

-- WAI-SR: complete responses only -> exact equality
SELECT therapist, (s).n = count AS n_eq, (s).mean = avg AS mean_eq, (s).sd = sd AS sd_eq
FROM (SELECT therapist, summary(r) s, count(score(r)), avg(score(r)), stddev_samp(score(r)) sd
      FROM rep_w WHERE answered(r) = 12 GROUP BY therapist) x ORDER BY therapist;

-- WAI-SR with prorated fractions: n and n_unscored exact, mean and sd within 1e-15
SELECT therapist, (s).n = count AS n_eq, (s).n_unscored = unscored AS unscored_eq,
       abs((s).mean - avg) < 1e-15 AS mean_close, abs((s).sd - sd) < 1e-15 AS sd_close,
       (s).ceiling_share = ceil AS ceiling_eq, (s).at_risk_share IS NULL AS no_cutoff,
       (s).n, (s).n_unscored, round((s).mean, 10) AS mean, round((s).sd, 10) AS sd
FROM (SELECT therapist, summary(r) s, count(score(r)), count(r) - count(score(r)) unscored,
             avg(score(r)), stddev_samp(score(r)) sd, avg((score(r) = 60)::int) ceil
      FROM rep_w GROUP BY therapist) x ORDER BY therapist;
SELECT count(*) FILTER (WHERE score(r) <> round(score(r), 6)) AS fractional_scores,
       count(*) FILTER (WHERE score(r) IS NULL) AS unscored
FROM rep_w;

-- ------------------------------------------------------------ alpha by hand
-- arm5 partnership = items 2 and 3 (3 reversed: 8 - x); keyed pairs (1,2), (2,1),
-- (3,3): item variances 1 and 1, total variance 3 -> alpha = 2 (1 - 2/3) = 2/3
CREATE TEMP TABLE arm (r response);
INSERT INTO arm VALUES ('arm5(4,1,6,4,4)'), ('arm5(4,2,7,4,4)'), ('arm5(4,3,5,4,4)'),
    ('arm5(4,3,null,4,4)'), (NULL);
SELECT alpha(r, 'partnership') AS partnership, alpha(r) AS all_items,
       alpha(r, NULL) AS null_subscale_is_all_items FROM arm;
-- all five items by hand: keyed rows (4,1,2,4,4) (4,2,1,4,4) (4,3,3,4,4); only
-- items 2 and 3 vary: sum var_i = 2, var(total) = 3 -> 5/4 (1 - 2/3) = 5/12
SELECT alpha(r) = 5 / 12.0 AS five_twelfths FROM arm;
-- fewer than 2 complete responses, zero total variance, empty group: NULL
SELECT alpha(r, 'partnership') FROM arm WHERE r = 'arm5(4,1,6,4,4)';
SELECT alpha(r) FROM (VALUES ('wai_sr(3,3,3,3,3,3,3,3,3,3,3,3)'::response),
    ('wai_sr(3,3,3,3,3,3,3,3,3,3,3,3)')) v(r);
SELECT alpha(r) FROM arm WHERE false;
-- identical items: alpha 1
SELECT alpha(r, 'task') FROM (VALUES ('wai_sr(1,1,3,3,3,3,3,3,3,1,3,1)'::response),
    ('wai_sr(5,5,3,3,3,3,3,3,3,5,3,5)'), ('wai_sr(2,2,3,3,3,3,3,3,3,2,3,2)')) v(r);
-- errors: unknown subscale, a one-item scale, PSQ, mixed instruments, mixed subscales
SELECT alpha(r, 'nosuch') FROM arm;
SELECT alpha(r, 'relationship') FROM (VALUES ('srs(9,9,9,9)'::response)) v(r);
SELECT alpha(r) FROM (VALUES ('psq(1,4,2)'::response)) v(r);
SELECT alpha(r) FROM (VALUES ('arm5(4,1,6,4,4)'::response), ('srs(9,9,9,9)')) v(r);
SELECT alpha(r, s) FROM (VALUES ('wai_sr(4,3,5,4,5,4,4,3,5,4,4,3)'::response, 'task'),
    ('wai_sr(4,3,5,4,5,4,4,3,5,4,4,3)', 'goal')) v(r, s);
-- several subscales in one report
SELECT s, round(alpha(r, s), 6) FROM rep_w, unnest(array['task', 'goal', 'bond']) s GROUP BY s ORDER BY s;

-- ------------------------------------- alpha against its definition, in SQL
-- Seeded responses, no outside data (alliance.alpha against R's psych::alpha on
-- published data sets runs at test time: test/shell/alpha_vs_psych.sh).  Each
-- respondent has a level 2..5 and each answer is the level plus noise -2..2,
-- clamped to the item range, so the items hang together; reversed items are
-- stored reversed (lo + hi - x: arm5's item 3, haq2's items 4, 8, 11, 16, 19);
-- about 3% of answers are missing, and those responses are not complete.
SELECT setseed(0.57);
CREATE TEMP TABLE alpha_forms (form text, k int, lo int, hi int, rev int[]);
INSERT INTO alpha_forms VALUES ('arm5', 5, 1, 7, '{3}'), ('haq2', 19, 1, 6, '{4,8,11,16,19}');
CREATE TEMP TABLE alpha_lvl AS
    SELECT i AS id, 2 + floor(random() * 4)::int AS lvl FROM generate_series(1, 1500) i;
-- The noise is a hash of (form, respondent, item), not random(): inside an
-- ordered aggregate, the order random() is called in depends on the plan
-- (16 sorts the input before the aggregate sees it), and so would the data.
CREATE FUNCTION pg_temp.noise(VARIADIC k int[]) RETURNS float8 LANGUAGE sql IMMUTABLE
    RETURN ('x' || substr(md5(array_to_string(k, ':')), 1, 8))::bit(32)::bigint / 4294967296.0;
CREATE TEMP TABLE alpha_raw AS
    SELECT f.form, l.id,
           (SELECT array_agg(CASE WHEN pg_temp.noise(f.k, l.id, g, 1) < 0.03 THEN NULL
                                  WHEN g = ANY (f.rev) THEN f.lo + f.hi - v ELSE v END ORDER BY g)
            FROM (SELECT g, least(f.hi, greatest(f.lo, l.lvl + floor(pg_temp.noise(f.k, l.id, g, 2) * 5)::int - 2)) AS v
                  FROM generate_series(1, f.k) g) x) AS x
    FROM alpha_forms f, alpha_lvl l ORDER BY f.form, l.id;
CREATE TEMP TABLE alpha_resp AS SELECT form, id, response(form, x::numeric[]) AS r FROM alpha_raw;
-- the keyed answers, one row each, from the raw arrays (not from alliance)
CREATE TEMP TABLE alpha_long AS
    SELECT form, id, g AS item, (CASE WHEN g = ANY (f.rev) THEN f.lo + f.hi - x[g] ELSE x[g] END)::numeric AS v
    FROM alpha_raw JOIN alpha_forms f USING (form), generate_series(1, f.k) g;
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
SELECT form, count(*) AS responses, count(*) FILTER (WHERE array_position(x, NULL) IS NULL) AS complete
FROM alpha_raw GROUP BY form ORDER BY form;
SELECT c.form, c.subscale, d.n AS complete, a.alpha = d.exact AS exact_eq,
       abs(a.alpha - d.by_var) < 1e-12 AS var_samp_close, round(a.alpha, 9) AS alpha
FROM (VALUES ('arm5', NULL, '{1,2,3,4,5}'::int[]), ('arm5', 'partnership', '{2,3}'),
             ('haq2', NULL, '{1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19}')) c(form, subscale, items),
     LATERAL (SELECT alpha(r, c.subscale) FROM alpha_resp WHERE form = c.form) a,
     LATERAL pg_temp.alpha_def(c.form, c.items) d
ORDER BY c.form, c.subscale NULLS FIRST;

-- ------------------------------------------------------------ norms
SELECT (norms(r)).* FROM hand;
SELECT (norms(r)).* FROM hand WHERE false;
-- the clinic's own norms, one response per client, into reliable_change
SELECT n.n, round(n.sd, 4) AS sd, round(n.alpha, 4) AS alpha,
       (reliable_change('arm5(4,4,4,4,4)', 'arm5(6,6,2,7,5)', sd => n.sd, reliability => n.alpha)).*
FROM (SELECT (norms(r)).* FROM alpha_resp WHERE form = 'arm5') n;
SELECT (norms(r)).n = count(score(r)) AS n_eq, (norms(r)).sd = stddev_samp(score(r)) AS sd_eq,
       (norms(r)).alpha = alpha(r) AS alpha_eq FROM alpha_resp WHERE form = 'arm5';
-- alpha_n: the complete responses alpha used (n counts every scored one)
SELECT (norms(r)).n, (norms(r)).alpha_n, count(*) FILTER (WHERE answered(r) = 5) AS complete,
       (norms(r)).alpha_n = count(*) FILTER (WHERE answered(r) = 5) AS alpha_n_eq
FROM alpha_resp WHERE form = 'arm5';
-- norms equals summary's n and sd and alpha's alpha
SELECT (norms(r)).n = (summary(r)).n AS n_eq, (norms(r)).sd = (summary(r)).sd AS sd_eq,
       (norms(r)).alpha = alpha(r) AS alpha_eq FROM rep_w;

-- ------------------------------------------------------------ the state type
CREATE AGGREGATE pg_temp.summary_state(response) (
    SFUNC = alliance.summary_trans, STYPE = alliance.stats_state, INITCOND = '{}');
CREATE AGGREGATE pg_temp.alpha_state(response, text) (
    SFUNC = alliance.alpha_trans, STYPE = alliance.stats_state, INITCOND = '{}');
CREATE AGGREGATE pg_temp.norms_state(response) (
    SFUNC = alliance.norms_trans, STYPE = alliance.stats_state, INITCOND = '{}');
SELECT pg_temp.summary_state(r) FROM hand;
SELECT pg_temp.alpha_state(r, 'partnership') FROM arm;
SELECT pg_temp.norms_state(r) FROM arm;
SELECT pg_temp.summary_state(r) FROM hand WHERE false;
-- text -> state -> text is the identity; the finals agree on the reparsed state
SELECT s::text::stats_state::text = s::text AS round_trip,
       summary_final(s::text::stats_state) = summary_final(s) AS same_summary
FROM (SELECT therapist, pg_temp.summary_state(r) s FROM rep_w GROUP BY therapist) x;
SELECT s::text::stats_state::text = s::text AS round_trip,
       norms_final(s::text::stats_state) = norms_final(s) AS same_norms
FROM (SELECT therapist, pg_temp.norms_state(r) s FROM rep_w GROUP BY therapist) x;
SELECT s::text::stats_state::text = s::text AS round_trip, alpha_final(s::text::stats_state) = alpha_final(s) AS same
FROM (SELECT pg_temp.alpha_state(r, 'bond') s FROM rep_w) x;
-- combining per-therapist states gives the clinic's state, byte for byte in text
SELECT (SELECT stats_combine(stats_combine(a.s, b.s), c.s)::text FROM
          (SELECT pg_temp.norms_state(r) s FROM rep_w WHERE therapist < 2) a,
          (SELECT pg_temp.norms_state(r) s FROM rep_w WHERE therapist BETWEEN 2 AND 4) b,
          (SELECT pg_temp.norms_state(r) s FROM rep_w WHERE therapist > 4) c)
     = (SELECT pg_temp.norms_state(r)::text FROM rep_w) AS combine_equals_whole;
SELECT stats_combine('{}', '{}'), stats_combine('{}', 'srs{unscored=0,at_risk=0,ceiling=0,scale=1,a4=1/360/129600}');
SELECT summary_final('srs{unscored=2,at_risk=1,ceiling=0,scale=1,a4=2/702/246564}');
SELECT summary_final('{}'), alpha_final('{}'), norms_final('{}');
-- input is validated
SELECT 'wai_sr{unscored=0,at_risk=0,ceiling=0,scale=0,a8=1/30/900}'::stats_state;
SELECT 'wai_sr{unscored=0,at_risk=1,ceiling=0,scale=0,a12=1/30/900}'::stats_state;
SELECT 'wai_sr:task{n=0,t=0/0,i1=0/0,i2=0/0,i10=0/0}'::stats_state;
SELECT 'nosuch{unscored=0,at_risk=0,ceiling=0,scale=0}'::stats_state;
SELECT 'srs{unscored=0}'::stats_state;
-- a state of another aggregate is refused, not misread
SELECT alpha_final('srs{unscored=0,at_risk=0,ceiling=0,scale=1,a4=1/360/129600}');
SELECT stats_combine('srs{unscored=0,at_risk=0,ceiling=0,scale=1}', 'wai_sr{unscored=0,at_risk=0,ceiling=0,scale=0}');

-- ------------------------------------------------- serial vs forced parallel
CREATE TEMP TABLE serial_res AS
    SELECT therapist, summary(r)::text AS s, alpha(r)::text AS a, alpha(r, 'goal')::text AS g,
           norms(r)::text AS n
    FROM rep_w GROUP BY therapist;
CREATE TEMP TABLE serial_all AS
    SELECT summary(r)::text AS s, alpha(r)::text AS a, norms(r)::text AS n FROM rep_w;
CREATE FUNCTION pg_temp.plan_has(q text, pat text) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE l text;
BEGIN
    FOR l IN EXECUTE 'EXPLAIN (COSTS OFF) ' || q LOOP
        IF l LIKE pat THEN RETURN true; END IF;
    END LOOP;
    RETURN false;
END $$;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SELECT CASE WHEN current_setting('server_version_num')::int >= 160000
            THEN 'debug_parallel_query' ELSE 'force_parallel_mode' END AS parallel_guc \gset
SET :parallel_guc = on;
EXPLAIN (COSTS OFF) SELECT summary(r), alpha(r), norms(r) FROM rep_w;
EXPLAIN (COSTS OFF) SELECT therapist, summary(r), alpha(r, 'goal') FROM rep_w GROUP BY therapist;
-- the parallel results go into regular tables (temp tables are parallel restricted)
SELECT pg_temp.plan_has('CREATE TABLE x AS SELECT summary(r)::text AS s, alpha(r)::text AS a, norms(r)::text AS n FROM rep_w',
                        '%Partial Aggregate%') AS all_partial,
       pg_temp.plan_has('CREATE TABLE x AS SELECT therapist, summary(r)::text AS s, alpha(r)::text AS a, '
                        'alpha(r, ''goal'')::text AS g, norms(r)::text AS n FROM rep_w GROUP BY therapist',
                        '%Partial HashAggregate%') AS grouped_partial;
CREATE TABLE par_all AS SELECT summary(r)::text AS s, alpha(r)::text AS a, norms(r)::text AS n FROM rep_w;
CREATE TABLE par_res AS
    SELECT therapist, summary(r)::text AS s, alpha(r)::text AS a, alpha(r, 'goal')::text AS g,
           norms(r)::text AS n
    FROM rep_w GROUP BY therapist;
SELECT p.s = a.s AS summary_eq, p.a = a.a AS alpha_eq, p.n = a.n AS norms_eq FROM par_all p, serial_all a;
SELECT count(*) AS therapists, count(*) FILTER (WHERE p.s = x.s AND p.a = x.a AND p.g = x.g AND p.n = x.n) AS equal
FROM par_res p JOIN serial_res x USING (therapist);
-- a mixed-instrument table fails in parallel too
CREATE TABLE rep_mixed AS SELECT r FROM rep_w UNION ALL SELECT r FROM rep_s;
ANALYZE rep_mixed;
SELECT (summary(r)).n FROM rep_mixed;
RESET :parallel_guc;
RESET max_parallel_workers_per_gather;
RESET min_parallel_table_scan_size;
RESET parallel_tuple_cost;
RESET parallel_setup_cost;

-- ------------------------------------------------- partitionwise aggregation
CREATE TABLE rep_p (therapist int, r response) PARTITION BY LIST (therapist);
CREATE TABLE rep_p0 PARTITION OF rep_p FOR VALUES IN (0, 1, 2);
CREATE TABLE rep_p1 PARTITION OF rep_p FOR VALUES IN (3, 4, 5, 6);
INSERT INTO rep_p SELECT therapist, r FROM rep_w;
ANALYZE rep_p;
SET enable_partitionwise_aggregate = on;
EXPLAIN (COSTS OFF) SELECT summary(r) FROM rep_p;
SELECT pg_temp.plan_has('SELECT norms(r) FROM rep_p', '%Partial Aggregate%') AS norms_partitionwise;
SELECT (SELECT summary(r)::text FROM rep_p) = s AS partitionwise_eq, (SELECT norms(r)::text FROM rep_p) = n AS norms_eq
FROM serial_all;
RESET enable_partitionwise_aggregate;

DROP TABLE rep_w, rep_s, rep_mixed, rep_p, par_all, par_res;
