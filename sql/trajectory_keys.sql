-- Every session-key type and score type a user may have resolves to one
-- trajectory() overload (0.1.0 had integer and bigint keys, so a smallint key
-- was "not unique"), and each gives the same series.
SET search_path = public, alliance;
CREATE TEMP TABLE k (s2 smallint, s4 integer, s8 bigint, d date, ts timestamp, tz timestamptz,
                     v2 smallint, v4 integer, v8 bigint, vr real, vf double precision, vn numeric, r response);
INSERT INTO k VALUES
  (1, 1, 1, '2024-01-01', '2024-01-01 09:00', '2024-01-01 09:00+00', 36, 36, 36, 36, 36, 36, 'srs(9,9,9,9)'),
  (2, 2, 2, '2024-01-08', '2024-01-08 09:00', '2024-01-08 09:00+00', 38, 38, 38, 38.5, 38.5, 38.5, 'srs(9.5,9.5,9.5,10)'),
  (3, 3, 3, '2024-01-15', '2024-01-15 09:00', '2024-01-15 09:00+00', 30, 30, 30, 30.25, 30.25, 30.25, 'srs(7.5,7.5,7.5,7.7)');
SET TimeZone = 'UTC';
-- every key type with a numeric score
SELECT trajectory(s2, vn) AS smallint_key, trajectory(s4, vn) AS integer_key, trajectory(s8, vn) AS bigint_key FROM k;
SELECT trajectory(d, vn) AS date_key FROM k;
SELECT trajectory(ts, vn) AS timestamp_key FROM k;
SELECT trajectory(tz, vn) AS timestamptz_key FROM k;
-- every score type with a smallint key
SELECT trajectory(s2, v2) AS smallint_score, trajectory(s2, v4) AS integer_score, trajectory(s2, v8) AS bigint_score FROM k;
SELECT trajectory(s2, vr) AS real_score, trajectory(s2, vf) AS double_score FROM k;
-- a response score, and the on_duplicate overloads
SELECT trajectory(s2, r) AS response_score, trajectory(tz, r) AS response_by_time FROM k;
SELECT trajectory(1::smallint, vn, 'max') AS dup_max, trajectory(1, v4, 'min') AS dup_min FROM k;
SELECT count(*) AS trajectory_overloads FROM pg_proc
WHERE proname = 'trajectory' AND pronamespace = 'alliance'::regnamespace;
-- the remaining overloads: every key type once, with and without on_duplicate
SELECT pg_get_function_identity_arguments(oid) AS args FROM pg_proc
WHERE proname = 'trajectory' AND pronamespace = 'alliance'::regnamespace ORDER BY 1;
RESET TimeZone;
