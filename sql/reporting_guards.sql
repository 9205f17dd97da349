-- Stored aggregate states and extreme inputs: errors, never garbage.
SET search_path = public, alliance;
\set SHOW_CONTEXT never

-- a state text that no responses could produce is refused (22P02)
SELECT 'srs{unscored=0,at_risk=0,ceiling=0,scale=1,a4=1/350000000000000000000000000000000000000/1}'::stats_state;
SELECT 'srs{unscored=0,at_risk=0,ceiling=0,scale=1,a4=2/10/10}'::stats_state;
SELECT 'srs{unscored=0,at_risk=0,ceiling=0,scale=1,a4=1/-5/25}'::stats_state;
SELECT 'srs{unscored=0,at_risk=0,ceiling=1,scale=1,a4=1/1000000/1000000000000}'::stats_state;
SELECT 'wai_sr:task{n=2,t=29/421,i1=9/41,i2=6/18,i10=8/32,i12=6/180000}'::stats_state;
SELECT 'wai_sr:task{n=2,t=29/100000,i1=9/41,i2=6/18,i10=8/32,i12=6/18}'::stats_state;
-- a state that responses did produce reads back as it was
SELECT s::text::stats_state::text = s::text AS round_trip
FROM (SELECT alpha_trans(alpha_trans('{}', 'wai_sr(4,3,5,4,5,4,4,3,5,4,4,3)'::response, 'task'),
                         'wai_sr(5,3,5,4,5,4,4,3,5,4,4,5)'::response, 'task') AS s) x;

-- a stored state of a custom instrument whose definition has since changed is refused (22023)
SELECT define_instrument('xq', 'X', 12, 1, 5, scales => '{"a": [1,2,3,4,5,6,7,8,9,10,11,12]}');
CREATE TABLE stored_state AS
SELECT alpha_trans(alpha_trans('{}', 'xq(1,2,3,4,5,1,2,3,4,5,1,2)'::response, 'a'),
                   'xq(2,2,3,4,5,1,2,3,4,5,1,3)'::response, 'a') AS s;
SELECT drop_instrument('xq');
SELECT define_instrument('xq', 'X', 12, 1, 5, scales => '{"a": [1,2]}');
SELECT s::text FROM stored_state;
SELECT alpha_trans(s, 'xq(2,2,3,4,5,1,2,3,4,5,1,3)'::response, 'a') FROM stored_state;
DROP TABLE stored_state;

-- min_answered keeps at most 4 decimals (so the missing-item rule is computed exactly)
SELECT define_instrument('mq', 'MQ', 12, 1, 5, min_answered => 0.999999999999999999);
SELECT define_instrument('mq', 'MQ', 12, 1, 5, min_answered => 0.9166);  -- 11 of 12 = 0.91666... is enough
SELECT total('mq(1,2,3,4,5,1,2,3,4,5,1,null)') AS eleven_of_twelve, total('mq(1,null,null,null,null,null,null,null,null,null,null,null)') AS one_of_twelve;

-- a sparkline of scores as far apart as the analysis takes (+-1e150) still scales
SELECT sparkline(trajectory(s, x::float8), 'stiles') FROM (VALUES (1, -1e150), (2, 0), (3, 1e150)) v(s, x);
-- beyond +-1e150 the ruptures a sparkline marks cannot be computed: an error, never a silent chart
SELECT sparkline(trajectory(s, x::float8), 'stiles') FROM (VALUES (1, -1e308), (2, 0), (3, 1e308)) v(s, x);
SELECT sparkline(trajectory(s, x::float8), 'stiles') FROM (VALUES (1, -1), (2, 0), (3, 1)) v(s, x);
