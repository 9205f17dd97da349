-- Scoring: every worked example of doc/instruments.md, every function on
-- a complete response, a prorated one and one with too many missing items.
SET search_path = public, alliance;

-- WAI-SR worked example: task 14, goal 15, bond 19, total 48, mean 4.00
SELECT total(r), mean(r), round(mean(r), 2) AS mean_2dp, subscale(r, 'task') AS task_raw,
       subscale(r, 'goal') AS goal_raw, subscale(r, 'bond') AS bond_raw, pomp(r),
       goal(r), task(r), bond(r), answered(r), instrument(r), items(r), item(r, 3)
FROM (SELECT 'wai_sr(4,3,5,4,5,4,4,3,5,4,4,3)'::response r) x;
SELECT * FROM subscales('wai_sr(4,3,5,4,5,4,4,3,5,4,4,3)');
-- all 1 and all 5
SELECT total('wai_sr(1,1,1,1,1,1,1,1,1,1,1,1)'), pomp('wai_sr(1,1,1,1,1,1,1,1,1,1,1,1)'),
       total('wai_sr(5,5,5,5,5,5,5,5,5,5,5,5)'), pomp('wai_sr(5,5,5,5,5,5,5,5,5,5,5,5)');

-- Prorated: bond 3 of 4 answered -> (5+5+5)/3 x 4 = 20; total 45/11 x 12, exact
SELECT total(r), total(r) = 540 / 11.0 AS is_540_over_11, total(r, prorate => false) AS strict_total,
       mean(r), subscale(r, 'bond'), subscale(r, 'bond', false) AS strict_bond,
       bond(r), pomp(r), answered(r), item(r, 7)
FROM (SELECT 'wai_sr(5,3,5,4,5,4,null,3,5,4,4,3)'::response r) x;
SELECT * FROM subscales('wai_sr(5,3,5,4,5,4,null,3,5,4,4,3)');
SELECT * FROM subscales('wai_sr(5,3,5,4,5,4,null,3,5,4,4,3)', prorate => false);
-- too many missing: 8 of 12 answered (< 75%); task has 1 of 4, goal 3 of 4 (prorated), bond 4 of 4
SELECT total(r), mean(r), pomp(r), subscale(r, 'task'), subscale(r, 'bond'), task(r), bond(r), at_risk(r, cutoff => 40)
FROM (SELECT 'wai_sr(null,null,5,4,5,4,4,3,5,4,null,null)'::response r) x;
SELECT * FROM subscales('wai_sr(null,null,5,4,5,4,4,3,5,4,null,null)');

-- SRS: 34.2 at risk, items 2,3,4 below 9; 36.0 not at risk; the boundary is a parameter
SELECT total(r), at_risk(r), flagged_items(r), goal(r), task(r), bond(r), pomp(r), mean(r)
FROM (SELECT 'srs(9.1,8.4,7.9,8.8)'::response r) x;
SELECT total('srs(9,9,9,9)'), at_risk('srs(9,9,9,9)'), at_risk('srs(9,9,9,9)', inclusive => true),
       at_risk('srs(9,9,9,9)', cutoff => 37), flagged_items('srs(9,9,9,9)'),
       flagged_items('srs(9.1,8.4,7.9,8.8)', item_cutoff => 8.5);
-- visual-analogue forms allow no missing item
SELECT total('srs(9.1,8.4,null,8.8)'), mean('srs(9.1,8.4,null,8.8)'), at_risk('srs(9.1,8.4,null,8.8)'),
       flagged_items('srs(9.1,8.4,null,8.8)'), answered('srs(9.1,8.4,null,8.8)');
SELECT * FROM subscales('srs(9.1,8.4,null,8.8)');

-- ORS and reliable change (points rule): (7.0, NULL, t, improved, t)
SELECT total('ors(4.0,5.5,6.0,4.5)'), at_risk('ors(4.0,5.5,6.0,4.5)'),
       total('ors(6.5,7.0,7.5,6.0)'), at_risk('ors(6.5,7.0,7.5,6.0)');
SELECT * FROM reliable_change('ors(4.0,5.5,6.0,4.5)', 'ors(6.5,7.0,7.5,6.0)');
SELECT * FROM reliable_change('ors(4.0,5.5,6.0,4.5)', 'ors(6.5,7.0,7.5,6.0)', points => 6.6);
SELECT * FROM reliable_change('ors(6.5,7.0,7.5,6.0)', 'ors(4.0,5.5,6.0,4.5)');
-- Jacobson & Truax: S_diff = 8 x sqrt(2) x sqrt(0.1) = 3.5777; needs |delta| >= 7.0123
SELECT * FROM reliable_change('wai_sr(4,4,4,4,4,4,4,4,4,4,4,4)', 'wai_sr(4,4,4,4,4,4,4,4,3,3,3,3)', sd => 8, reliability => 0.9);
SELECT * FROM reliable_change('wai_sr(4,4,4,4,4,4,4,4,4,4,4,4)', 'wai_sr(4,4,4,4,4,4,4,4,2,2,2,2)', sd => 8, reliability => 0.9);
SELECT round(rci, 4) FROM reliable_change('wai_sr(4,4,4,4,4,4,4,4,4,4,4,4)', 'wai_sr(4,4,4,4,4,4,4,4,2,2,2,2)', sd => 8, reliability => 0.9);
-- J&T on ORS overrides the points rule when sd and reliability are given: (7.0, 2.67.., t, improved, t)
SELECT delta, round(rci, 2) AS rci, reliable, direction, clinically_significant
FROM reliable_change('ors(4.0,5.5,6.0,4.5)', 'ors(6.5,7.0,7.5,6.0)', sd => 7.0, reliability => 0.93);
-- not scorable -> NULL row
SELECT reliable_change('wai_sr(null,null,null,null,4,4,4,4,4,4,4,4)', 'wai_sr(4,4,4,4,4,4,4,4,4,4,4,4)', sd => 8, reliability => 0.9) IS NULL AS unscorable;
-- errors
SELECT * FROM reliable_change('wai_sr(4,4,4,4,4,4,4,4,4,4,4,4)', 'wai_sr(4,4,4,4,4,4,4,4,2,2,2,2)');
SELECT * FROM reliable_change('wai_sr(4,4,4,4,4,4,4,4,4,4,4,4)', 'wai_sr(4,4,4,4,4,4,4,4,2,2,2,2)', sd => 8);
SELECT * FROM reliable_change('srs(9,9,9,9)', 'ors(9,9,9,9)');
SELECT * FROM reliable_change('wai_sr(4,4,4,4,4,4,4,4,4,4,4,4)', 'wai_sr(4,4,4,4,4,4,4,4,2,2,2,2)', sd => 8, reliability => 1);
SELECT * FROM reliable_change('wai_sr(4,4,4,4,4,4,4,4,4,4,4,4)', 'wai_sr(4,4,4,4,4,4,4,4,2,2,2,2)', sd => -1, reliability => 0.5);
SELECT * FROM reliable_change('psq(0,null,null)', 'psq(1,2,2)');

-- PSQ
SELECT r, total(r), mean(r), pomp(r), goal(r), at_risk(r), at_risk(r, resolution_cutoff => 3) AS at_risk_3
FROM (VALUES ('psq(0,null,null)'::response), ('psq(1,4,2)'), ('psq(1,3,5)'), ('psq(1,null,null)'), ('psq(1,5,3)')) t(r);

-- HAq-II: total 104, mean 5.474
SELECT total(r), round(mean(r), 3), mean(r), pomp(r), goal(r), at_risk(r)
FROM (SELECT 'haq2(6,5,6,1,5,6,5,2,6,5,1,6,5,6,5,2,4,6,1)'::response r) x;
-- ARM-5: means 6.0 and 3.6; bond is item 1
SELECT mean('arm5(6,6,2,7,5)'), total('arm5(6,6,2,7,5)'), mean('arm5(4,3,5,4,4)'), bond('arm5(4,3,5,4,4)'), goal('arm5(4,3,5,4,4)');
SELECT * FROM subscales('arm5(6,6,2,7,5)');
-- TASC-r: 44
SELECT total('tasc_r(4,1,4,3,2,4,1,1,3,4,2,4)'), pomp('tasc_r(4,1,4,3,2,4,1,1,3,4,2,4)');
-- WAI-S: task 23, goal 20, bond 26, total 69
SELECT * FROM subscales('wai_s(6,5,7,2,6,6,7,6,6,5,5,6)');
SELECT total('wai_s(6,5,7,2,6,6,7,6,6,5,5,6)');
-- WAI: all 4 -> 48/48/48/144; 7 on positive and 1 on reversed -> 252
SELECT * FROM subscales('wai(4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4)');
SELECT total(response('wai', (SELECT array_agg(CASE WHEN i IN (1,3,7,9,10,11,12,15,20,27,29,31,33,34) THEN 1 ELSE 7 END ORDER BY i)
                               FROM generate_series(1, 36) i))) AS max_total;
SELECT * FROM subscales('wai(2,6,3,6,6,6,2,6,3,2,2,2,6,7,2,6,7,6,7,2,6,6,6,6,6,7,2,6,2,6,2,6,2,3,6,6)');
SELECT total('wai(2,6,3,6,6,6,2,6,3,2,2,2,6,7,2,6,7,6,7,2,6,6,6,6,6,7,2,6,2,6,2,6,2,3,6,6)');
-- item 29 is reversed, 28 is not: 28 = 7 and 29 = 1 both count 7, bond = 10 x 4 + 7 + 7 = 54
-- (a key that reversed 28 instead of 29 would give 42)
SELECT subscale(response('wai', (SELECT array_agg(CASE i WHEN 28 THEN 7 WHEN 29 THEN 1 ELSE 4 END ORDER BY i)
                                  FROM generate_series(1, 36) i)), 'bond') AS bond_catches_28_29;

-- argument errors and NULLs
SELECT subscale('wai_sr(4,3,5,4,5,4,4,3,5,4,4,3)', 'alliance');
SELECT subscale('haq2(6,5,6,1,5,6,5,2,6,5,1,6,5,6,5,2,4,6,1)', 'bond');
SELECT item('srs(9.1,8.4,7.9,8.8)', 5);
SELECT item('srs(9.1,8.4,7.9,8.8)', 0);
SELECT total(NULL), mean(NULL), pomp(NULL), at_risk(NULL), flagged_items(NULL), goal(NULL), subscale(NULL, 'task');
SELECT total('srs(9.1,8.4,7.9,8.8)', NULL) AS null_prorate_means_default;
SELECT at_risk('srs(9.1,8.4,7.9,8.8)', cutoff => 'NaN');
SELECT count(*) FROM subscales(NULL);
-- at_risk remembers a cut-off for the query by its bytes: a cut-off that
-- changes from row to row is read anew (35.9: not at risk; 36 and 36.0: at risk)
SELECT c, at_risk(response('srs', ARRAY[9, 9, 9, 8.9]::numeric[]), c) AS at_risk
FROM (VALUES (1, 36::numeric), (2, 35.9), (3, 36.0), (4, 35.9), (5, NULL), (6, 40)) v(n, c) ORDER BY n;
