-- The cost of a watched table (doc/alerts.md): a COPY of :alert_clients x 20
-- sessions into a watched table against the same COPY unwatched, and the
-- median time of a single-session INSERT (a client's 21st session) with and
-- without the watch.  Median of :reps runs, in turn (the COPY), of 400 inserts
-- (the INSERT).  Both tables have the (client, session) primary key a watch needs.
-- A quarter of the clients have a rupture in the COPY; every fifth insert
-- falls below the cut-off.
\set ON_ERROR_STOP 1
SET search_path = public, alliance;
SET client_min_messages = warning;
SET bench.part = 'alerts';
\ir timeit.sql
SELECT setseed(0.25);
CREATE TABLE a_src AS
SELECT c AS client, s AS session,
       response('srs', CASE WHEN s = 9 + c % 7 AND c % 4 = 0 THEN ARRAY[6, 6, 4, 6]
                            ELSE ARRAY[9, 9, 8.5, 9 - (c % 3) * 0.5] END::numeric[]) AS r
FROM generate_series(1, :alert_clients) c, generate_series(1, 20) s;
COPY a_src TO '/tmp/alliance_bench_sessions.copy';
CREATE TABLE a_plain (client int, session int, r alliance.response(srs), PRIMARY KEY (client, session));
CREATE TABLE a_watched (client int, session int, r alliance.response(srs), PRIMARY KEY (client, session));
SELECT watch('a_watched', 'client', 'session', 'r');

CREATE FUNCTION pg_temp.load(tbl text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE n bigint;
BEGIN
  EXECUTE format('TRUNCATE %I', tbl);
  IF tbl = 'a_watched' THEN TRUNCATE a_watched_alerts; END IF;
  EXECUTE format('COPY %I FROM %L', tbl, '/tmp/alliance_bench_sessions.copy');
  EXECUTE format('SELECT count(*) FROM %I', tbl) INTO n;
  RETURN n::text;
END $$;
-- the median of n single-session INSERTs, each a client's 21st session
CREATE FUNCTION pg_temp.insert_median(tbl text, n int) RETURNS numeric LANGUAGE plpgsql AS $$
DECLARE t0 timestamptz; times numeric[] := '{}';
BEGIN
  FOR i IN 1..n LOOP
    t0 := clock_timestamp();
    EXECUTE format('INSERT INTO %I VALUES ($1, 21, $2)', tbl)
      USING i, response('srs', ARRAY[9, 9, CASE WHEN i % 5 = 0 THEN 4 ELSE 9 END, 9]::numeric[]);
    times := times || (extract(epoch FROM clock_timestamp() - t0) * 1000)::numeric;
  END LOOP;
  EXECUTE format('DELETE FROM %I WHERE session = 21', tbl);
  RETURN (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY t) FROM unnest(times) t);
END $$;

\o /dev/null
SELECT pg_temp.timeit_alternating('COPY of the sessions', ARRAY['watched', 'unwatched'],
  ARRAY[$q$SELECT pg_temp.load('a_watched')$q$, $q$SELECT pg_temp.load('a_plain')$q$], ARRAY['', ''], :reps);
\o
-- the single INSERT: its own rows in bench_results (ms = the median over 400 inserts)
INSERT INTO bench_results (part, benchmark, variant, ms, runs, answer)
SELECT 'alerts', 'single-session INSERT, 20 earlier sessions', v, round(pg_temp.insert_median(t, 400), 3), NULL, NULL
FROM (VALUES ('watched', 'a_watched'), ('unwatched', 'a_plain')) x(v, t);

\echo 'Alerts: a watched table against an unwatched one (median ms)'
SELECT benchmark, variant, ms, answer FROM bench_results WHERE part = 'alerts' ORDER BY benchmark, seq;
SELECT count(*) AS alerts_raised_by_the_copy, count(*) FILTER (WHERE status = 'resolved') AS of_which_resolved_by_repair
FROM a_watched_alerts;
