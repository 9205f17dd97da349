-- alliance.trajectory: the aggregate, its text and binary forms, the simple
-- accessors, and the edge cases of doc/trajectory.md.
SET search_path = public, alliance;
SET extra_float_digits = 0;

CREATE TABLE traj_s (client int, session int, score numeric);
-- the contract's worked series: WAI-SR totals, sessions 1-10
INSERT INTO traj_s SELECT 1, i, (ARRAY[44,45,46,38,46,47,47,41,42,43])[i] FROM generate_series(1, 10) i;
-- SRS totals for the sudden loss
INSERT INTO traj_s SELECT 2, i, (ARRAY[38,39,38,27,28,27,29])[i] FROM generate_series(1, 7) i;

SELECT client, trajectory(session, score) FROM traj_s GROUP BY client ORDER BY client;
-- rows arriving out of order give the same sorted trajectory
SELECT trajectory(session, score) FROM (SELECT * FROM traj_s WHERE client = 1 ORDER BY score, session DESC) x;
SELECT client, sessions(t), first_score(t), last_score(t), round(slope(t)::numeric, 12) AS slope
FROM (SELECT client, trajectory(session, score) t FROM traj_s GROUP BY client) x ORDER BY client;

-- every overload of the key and the score
SELECT trajectory(session::bigint, score) FROM traj_s WHERE client = 2;
SELECT trajectory(session, score::float8) FROM traj_s WHERE client = 2;
SELECT trajectory(date '2024-01-01' + 7 * session, score) FROM traj_s WHERE client = 2;

-- dates and timestamps: stored and printed in UTC whatever TimeZone and DateStyle say
SET TimeZone = 'Pacific/Auckland';
SET DateStyle = 'SQL, DMY';
SELECT trajectory(ts, sc) FROM (VALUES
    (timestamptz '2024-03-01 09:00:00+13', 40.5),
    (timestamptz '2024-03-08 09:00:00.123+13', 38),
    (timestamptz '2024-02-23 23:59:59.999999+00', 41)) v(ts, sc);
SELECT trajectory(ts, sc) FROM (VALUES
    (timestamp '2024-03-01 09:00:00', 40.5), (timestamp '2024-03-08 09:00:00', 38)) v(ts, sc);
SELECT trajectory(d, sc) FROM (VALUES (date '2024-03-01', 40.5), (date '2024-03-08', 38)) v(d, sc);
-- time keys come back as at_time (timestamptz), shown in the session's zone
SELECT seq, at_session, at_time, drop, state FROM ruptures(
    trajectory_in('timestamptz{2024-01-01T10:00:00Z=40,2024-01-08T10:00:00Z=40.5,2024-01-15T10:00:00Z=30,2024-01-22T10:00:00Z=41}'),
    method => 'drop', points => 5);
SELECT seq, at_time, repaired_time FROM ruptures('date{2024-01-01=40,2024-01-08=40.5,2024-01-15=30,2024-01-22=41}', 'drop', points => 5);
-- slope per day for time keys
SELECT round(slope('date{2024-01-01=40,2024-01-08=41,2024-01-15=42}')::numeric, 12) AS per_day,
       round(slope('timestamptz{2024-01-01T00:00:00Z=40,2024-01-01T12:00:00Z=41}')::numeric, 12) AS per_day_ts;
RESET TimeZone;
RESET DateStyle;

-- NULL keys and scores are skipped; no rows or only NULLs give NULL
SELECT trajectory(s, sc) FROM (VALUES (1, 40), (NULL, 41), (3, NULL), (4, 39)) v(s, sc);
SELECT trajectory(s, sc) IS NULL AS empty FROM (VALUES (NULL::int, NULL::numeric)) v(s, sc);
SELECT trajectory(session, score) IS NULL AS no_rows FROM traj_s WHERE false;

-- duplicates: an error naming the key, or resolved by on_duplicate
SELECT trajectory(s, sc) FROM (VALUES (1, 40), (2, 41), (2, 44), (2, 42), (3, 39)) v(s, sc);
SELECT pol, trajectory(s, sc, pol) FROM (VALUES (1, 40), (2, 41), (2, 44), (2, 42), (3, 39)) v(s, sc),
    (VALUES ('error'), ('mean'), ('min'), ('max')) p(pol) WHERE pol <> 'error' GROUP BY pol ORDER BY pol;
SELECT trajectory(s, sc, 'first') FROM (VALUES (1, 40)) v(s, sc);
SELECT trajectory(d, sc) FROM (VALUES (date '2024-01-01', 40), ('2024-01-01', 41)) v(d, sc);

-- non-finite values
SELECT trajectory(s, sc) FROM (VALUES (1, 'NaN'::numeric)) v(s, sc);
SELECT trajectory(s, sc) FROM (VALUES (1, 'Infinity'::float8)) v(s, sc);
SELECT trajectory(d, sc) FROM (VALUES (date 'infinity', 40)) v(d, sc);

-- text form: canonical, lossless, strict
SELECT ' int{ 1 = 2, 3=1.5 } '::trajectory;
SELECT 'int{1=2,3=1.5}'::trajectory;
SELECT 'int:SRS{1=38.5}'::trajectory;
SELECT 'int{1=0.1,2=0.30000000000000004,3=1e+300,4=-7}'::trajectory;
SELECT 'date{-04713-11-24=1,0001-01-01=2,+5874897-12-31=3}'::trajectory;
-- at_time of a date past timestamptz's range is an error, never a wrapped value
SELECT seq, at_time FROM ruptures('date{2024-01-01=40,+294276-12-31=30}', 'drop');
SELECT seq, at_time FROM ruptures('date{2024-01-01=40,+5874897-12-31=30}', 'drop');
SELECT 'int{}'::trajectory, sessions('int{}'), first_score('int{}'), slope('int{}');
SELECT 'int{2=1,1=2}'::trajectory;
SELECT 'int{1=1,1=2}'::trajectory;
SELECT 'int{1=nan}'::trajectory;
SELECT 'int{1=1e999}'::trajectory;
SELECT 'date{2023-02-29=1}'::trajectory;
SELECT 'timestamptz{2024-01-01T10:00:00=1}'::trajectory;
SELECT 'int{1=1} junk'::trajectory;
SELECT 'interval{1=1}'::trajectory;
SELECT 'int:9lives{1=1}'::trajectory;
-- binary send/recv round trip
SELECT trajectory_recv_check FROM (SELECT
    trajectory_send(t) = trajectory_send(trajectory_in(trajectory_out(t))) AS trajectory_recv_check
    FROM (SELECT trajectory(session, score) t FROM traj_s WHERE client = 1) x) y;
CREATE TEMP TABLE traj_bin (t trajectory);
INSERT INTO traj_bin SELECT trajectory(session, score) FROM traj_s GROUP BY client;
INSERT INTO traj_bin VALUES ('date:srs{2024-01-05=38.5,2024-01-12=39}'), ('timestamptz{2024-01-01T00:00:00.5Z=1}');
\set binfile '/tmp/alliance_traj_bin.copy'
COPY traj_bin TO :'binfile' WITH (FORMAT binary);
CREATE TEMP TABLE traj_bin2 (t trajectory);
COPY traj_bin2 FROM :'binfile' WITH (FORMAT binary);
SELECT t::text FROM traj_bin2 ORDER BY 1;
SELECT (SELECT array_agg(t::text ORDER BY t::text) FROM traj_bin) = (SELECT array_agg(t::text ORDER BY t::text) FROM traj_bin2) AS binary_round_trip;

-- rollup merges, with the same duplicate rule
SELECT rollup(t) FROM (VALUES ('int{1=40,3=42}'::trajectory), ('int{2=41}'), (NULL)) v(t);
SELECT rollup(t) FROM (VALUES ('int{1=40,3=42}'::trajectory), ('int{3=41}')) v(t);
SELECT rollup(t, 'max') FROM (VALUES ('int{1=40,3=42}'::trajectory), ('int{3=41}')) v(t);
SELECT rollup(t) FROM (VALUES ('int{1=40}'::trajectory), ('date{2024-01-01=41}')) v(t);
SELECT rollup(t) FROM (VALUES ('int{1=40}'::trajectory), ('int:srs{2=39}')) v(t);

-- one session, two sessions, a flat series
SELECT sessions(t), slope(t), status(t, 'stiles'), (SELECT count(*) FROM ruptures(t, 'stiles')) FROM (VALUES ('int{5=40}'::trajectory)) v(t);
SELECT round(slope(t)::numeric, 6), status(t, 'stiles'), (SELECT count(*) FROM ruptures(t, 'stiles')) AS stiles,
       (SELECT count(*) FROM ruptures(t, 'strauss')) AS strauss FROM (VALUES ('int{1=40,2=30}'::trajectory)) v(t);
SELECT m, count(r.seq) FROM (VALUES ('stiles'), ('strauss'), ('drop')) ms(m)
    LEFT JOIN LATERAL ruptures('int{1=40,2=40,3=40,4=40}', m) r ON true GROUP BY m ORDER BY m;
SELECT status('int{1=40,2=40,3=40,4=40}', 'stiles');

-- gaps in session numbers: positions count, not key values
SELECT seq, at_session, previous_score, score, repaired_seq, repaired_at, state
FROM ruptures('int{3=44,17=45,18=30,250=45}', 'drop', points => 10);

-- a 100 000-session series
CREATE TEMP TABLE traj_big AS
    SELECT i AS session, 40 + (i % 7) - CASE WHEN i % 1000 = 0 THEN 20 ELSE 0 END AS score
    FROM generate_series(1, 100000) i;
SELECT sessions(t), first_score(t), last_score(t), (SELECT count(*) FROM ruptures(t, 'stiles')) AS ruptures,
       (SELECT count(*) FROM ruptures(t, 'stiles') WHERE state = 'repaired') AS repaired, status(t, 'stiles')
FROM (SELECT trajectory(session, score) t FROM (SELECT * FROM traj_big ORDER BY session DESC) o) x;
SELECT length(trajectory(session, score)::text) FROM traj_big;

-- slope equals regr_slope on random data
SELECT setseed(0.42);
CREATE TEMP TABLE traj_rand AS
    SELECT c AS client, s AS session, round((20 + 40 * random())::numeric, 1) AS score,
           date '2023-01-01' + (s * 7 + (random() * 3)::int) AS day
    FROM generate_series(1, 20) c, generate_series(1, 30) s WHERE random() < 0.8;
SELECT count(*) AS clients, bool_and(abs(a - b) <= 1e-9 * greatest(1, abs(b))) AS int_keys_equal
FROM (SELECT client, slope(trajectory(session, score)) a, regr_slope(score, session) b FROM traj_rand GROUP BY client) x;
SELECT bool_and(abs(a - b) <= 1e-9 * greatest(1, abs(b))) AS date_keys_equal
FROM (SELECT client, slope(trajectory(day, score)) a, regr_slope(score, day - date '2000-01-01') b FROM traj_rand GROUP BY client) x;
SELECT bool_and(abs(a - b) <= 1e-9 * greatest(1, abs(b))) AS timestamptz_keys_equal
FROM (SELECT client, slope(trajectory(day::timestamptz + interval '3 hours', score)) a,
             regr_slope(score, extract(epoch FROM day::timestamptz + interval '3 hours') / 86400) b
      FROM traj_rand GROUP BY client) x;

-- the final function is READ_ONLY: a shared state and OVER both work
SELECT status(t, 'stiles'), slope(t) FROM (SELECT trajectory(session, score) t FROM traj_s WHERE client = 1) x;
SELECT status(trajectory(session, score), 'stiles'), round(slope(trajectory(session, score))::numeric, 6),
       sessions(trajectory(session, score)) FROM traj_s GROUP BY client ORDER BY client;
SELECT session, trajectory(session, score) OVER (ORDER BY session) FROM traj_s WHERE client = 2;
SELECT session, sessions(trajectory(session, score) OVER w), status(trajectory(session, score) OVER w, 'stiles')
FROM traj_s WHERE client = 1 WINDOW w AS (ORDER BY session) ORDER BY session;

-- the rupture_kind enum
SELECT enum_range(NULL::rupture_kind);
