-- alliance.sparkline(trajectory [, method, ...]): one block glyph per session,
-- scaled to the series' range, each rupture's session followed by
-- * (repaired), ! (unrepaired) or ? (open).  The worked series of
-- doc/instruments.md, parameters passed as to ruptures(), edge cases.
SET search_path = public, alliance;

-- WAI-SR worked series (stiles, the default): ruptures at 4 (repaired at 5) and 8 (open)
CREATE TEMP TABLE worked (session int, total numeric);
INSERT INTO worked SELECT s, (array[44, 45, 46, 38, 46, 47, 47, 41, 42, 43])[s] FROM generate_series(1, 10) s;
SELECT sparkline(trajectory(session, total), 'stiles') FROM worked;
SELECT sparkline(trajectory(session, total), 'strauss') AS strauss,
       sparkline(trajectory(session, total), 'stiles', reference_sd => 6.0) AS stiles_ref_sd_6,
       sparkline(trajectory(session, total), 'drop') AS any_drop,
       sparkline(trajectory(session, total), 'drop', repair_window => 1) AS drop_window_1
FROM worked;
-- the marks are the ruptures() rows
SELECT seq, state FROM (SELECT trajectory(session, total) t FROM worked) x, ruptures(x.t, 'stiles') ORDER BY seq;

-- SRS worked series, sudden loss with c1 = 4.32: between 3 and 4, never back to 38
SELECT sparkline('int:srs{1=38,2=39,3=38,4=27,5=28,6=27,7=29}'::trajectory, 'sudden', c1 => 4.32);
-- a response trajectory: the instrument's cut-off is the default of method cutoff
SELECT sparkline(trajectory(s, r), 'cutoff')
FROM (VALUES (1, 'srs(9.5,9.5,9.5,9.5)'::response), (2, 'srs(9,9,9,9.5)'), (3, 'srs(8,8,9,9)'),
             (4, 'srs(9,9,9,9)'), (5, 'srs(9,9,9,9)')) v(s, r);

-- dates order the glyphs, whatever the row order
SELECT sparkline(trajectory(d, x), 'stiles') FROM (VALUES ('2024-03-01'::date, 30.0), ('2024-01-01', 10.0),
    ('2024-02-01', 20.0)) v(d, x);
-- constant, one session, none, NULL
SELECT sparkline('int{1=40,2=40,3=40}'::trajectory, 'stiles') AS flat, sparkline('int{7=12}'::trajectory, 'stiles') AS one,
       sparkline('int{}'::trajectory, 'stiles') AS empty, sparkline(NULL::trajectory) AS null_t;
-- one line per client, readable in psql
SELECT client, sparkline(trajectory(session, score), 'stiles') AS alliance, status(trajectory(session, score), 'stiles')
FROM (VALUES (1, 1, 30.0), (1, 2, 31), (1, 3, 33), (1, 4, 34), (1, 5, 36),
             (2, 1, 36), (2, 2, 37), (2, 3, 28), (2, 4, 37), (2, 5, 38),
             (3, 1, 35), (3, 2, 36), (3, 3, 35), (3, 4, 36), (3, 5, 25)) v(client, session, score)
GROUP BY client ORDER BY client;
-- parameters are checked as in ruptures()
SELECT sparkline('int{1=1,2=2}'::trajectory, 'rci');
SELECT sparkline('int{1=1,2=2}'::trajectory, 'nosuch');
