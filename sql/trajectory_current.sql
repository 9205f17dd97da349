-- current(t): where a client stands at the latest session, apart from the
-- history status() and ruptures() describe.  Each case is checked by hand
-- with the drop rule (points 5, repair window 3) on the worked series
-- 44 45 46 38 46 47 47 41 42 43: ruptures at sessions 4 (repaired at 5) and
-- 8 (41, 42, 43 never regain 47).
SET search_path = public, alliance;
SET TimeZone = 'UTC';
CREATE TEMP TABLE worked AS
    SELECT s, v FROM unnest('{44,45,46,38,46,47,47,41,42,43}'::numeric[]) WITH ORDINALITY x(v, s);
-- the whole series: the rupture at 8 is still open (the series ends inside its window)
SELECT (current(trajectory(s, v), 'drop', points => 5)).* FROM worked;
-- up to session 7: the rupture at 4 was repaired at 5, two sessions ago: repaired_recently
SELECT (current(trajectory(s, v), 'drop', points => 5)).* FROM worked WHERE s <= 7;
-- status() says "repaired" for ever; current() only while the repair is recent
SELECT n, status(t, 'drop', points => 5), (current(t, 'drop', points => 5)).state
FROM (SELECT n, trajectory(s, v) AS t FROM worked, generate_series(5, 7) n WHERE s <= n GROUP BY n) x ORDER BY n;
-- an SRS client drifting below the cut-off (36) without a rupture: below_cutoff since session 2
SELECT (current('int:srs{1=38,2=35,3=34.5,4=35.2}'::trajectory, 'drop', points => 5)).*;
-- trends, with date keys (since_time), and one session
SELECT (current('date{2024-01-01=10,2024-01-08=20,2024-01-15=30}'::trajectory, 'stiles')).*;
SELECT (current('date{2024-01-01=30,2024-01-08=20,2024-01-15=10}'::trajectory, 'stiles')).state;
SELECT (current('int{7=30}'::trajectory, 'stiles')).*;
-- no sessions, NULL
SELECT current(NULL::trajectory, 'stiles') IS NULL AS null_in, current('int{}'::trajectory, 'stiles') IS NULL AS empty;
-- parameters are ruptures()'s, checked the same way
SELECT current('int{1=1,2=0}', 'nonsense');
-- agreement with ruptures() on random series (300 clients, 4-20 sessions, drop
-- and stiles rules): open_rupture exactly when the latest rupture is not
-- repaired, since its session; repaired_recently exactly when it was repaired
-- within the last 3 sessions
SELECT setseed(0.77);
CREATE TEMP TABLE rand AS
    SELECT c, s, round((30 + 8 * random())::numeric, 1) AS v
    FROM generate_series(1, 300) c, generate_series(1, 20) s WHERE s <= 4 + c % 17;
WITH t AS (SELECT c, trajectory(s, v) AS t, count(*) AS n FROM rand GROUP BY c),
     m AS (SELECT * FROM (VALUES ('drop', 3.0), ('stiles', NULL)) v(method, pts)),
     j AS (SELECT t.c, m.method, t.n, current(t.t, m.method, points => m.pts) AS cur,
                  (SELECT r FROM ruptures(t.t, m.method, points => m.pts) r ORDER BY r.seq DESC LIMIT 1) AS last
           FROM t, m)
SELECT method, count(*) AS clients,
       count(*) FILTER (WHERE (cur).state = 'open_rupture') AS open,
       count(*) FILTER (WHERE (cur).state = 'repaired_recently') AS recent,
       count(*) FILTER (WHERE ((cur).state = 'open_rupture') = coalesce((last).state <> 'repaired', false)
                          AND ((cur).state <> 'open_rupture' OR (cur).since_seq = (last).seq)
                          AND ((cur).state = 'repaired_recently') =
                              coalesce((last).state = 'repaired' AND n - (last).repaired_seq < 3, false)) AS agree
FROM j GROUP BY method ORDER BY method;
