-- Each alliance query against the plain-SQL query a user would otherwise
-- write for the same answer.  Median of :reps runs; ratios, not absolute times,
-- are the result (the machine varies, the ratio much less).
\set ON_ERROR_STOP 1
SET search_path = public, alliance;
SET max_parallel_workers_per_gather = 0;   -- serial unless a benchmark says otherwise

SET bench.part = 'srs';
\ir timeit.sql

\o /dev/null
-- 1. total of every form
SELECT pg_temp.timeit('total of every form', 'alliance', $q$SELECT sum(total(srs))::text FROM typed$q$, :reps);
SELECT pg_temp.timeit('total of every form', 'plain columns', $q$SELECT sum(i1 + i2 + i3 + i4)::text FROM plain$q$, :reps);
SELECT pg_temp.timeit('total of every form', 'numeric[]', $q$SELECT sum(items[1] + items[2] + items[3] + items[4])::text FROM arrays$q$, :reps);

SELECT pg_temp.timeit('total of every form', 'custom instrument (alliance)', $q$SELECT sum(total(r))::text FROM typed_custom$q$, :reps);

-- 2. share of sessions at risk, per client
SELECT pg_temp.timeit('share at risk per client', 'alliance',
  $q$SELECT sum(s)::text FROM (SELECT avg(at_risk(srs)::int) s FROM typed GROUP BY client) x$q$, :reps);
SELECT pg_temp.timeit('share at risk per client', 'plain columns',
  $q$SELECT sum(s)::text FROM (SELECT avg((i1 + i2 + i3 + i4 < 36)::int) s FROM plain GROUP BY client) x$q$, :reps);

-- 3. the clinic summary and the clinic's alpha
SELECT pg_temp.timeit('clinic summary (n, mean, sd, shares)', 'alliance',
  $q$SELECT (s).n || ' ' || round((s).mean, 6) || ' ' || round((s).sd, 6) || ' ' || round((s).at_risk_share, 6) || ' ' || round((s).ceiling_share, 6)
     FROM (SELECT summary(srs) s FROM typed) x$q$, :reps);
SELECT pg_temp.timeit('clinic summary (n, mean, sd, shares)', 'plain columns',
  $q$SELECT count(t) || ' ' || round(avg(t), 6) || ' ' || round(stddev_samp(t), 6) || ' ' || round(avg((t < 36)::int), 6) || ' ' || round(avg((t = 40)::int), 6)
     FROM (SELECT i1 + i2 + i3 + i4 AS t FROM plain) x$q$, :reps);
SELECT pg_temp.timeit('Cronbach''s alpha', 'alliance', $q$SELECT round(alpha(srs), 9)::text FROM typed$q$, :reps);
SELECT pg_temp.timeit('Cronbach''s alpha', 'plain columns',
  $q$SELECT round(4.0 / 3 * (1 - (var_samp(i1) + var_samp(i2) + var_samp(i3) + var_samp(i4)) / var_samp(i1 + i2 + i3 + i4)), 9)::text FROM plain$q$, :reps);

-- 4. ruptures (stiles: drop >= 2 SD of the client's series) with their repair state
SELECT pg_temp.timeit('ruptures with repair state', 'alliance',
  $q$SELECT count(*) || ' ' || count(*) FILTER (WHERE r.state = 'repaired')
     FROM (SELECT client, trajectory(session, srs) t FROM typed GROUP BY client) x, ruptures(x.t, 'stiles') r$q$, :reps);
SELECT pg_temp.timeit('ruptures with repair state', 'plain SQL (window functions)',
  $q$WITH s AS (SELECT client, session, i1 + i2 + i3 + i4 AS x FROM plain),
     w AS (SELECT client, session, x,
                  lag(x) OVER c AS prev, lead(x, 1) OVER c AS n1, lead(x, 2) OVER c AS n2, lead(x, 3) OVER c AS n3,
                  stddev_samp(x) OVER (PARTITION BY client) AS sd
           FROM s WINDOW c AS (PARTITION BY client ORDER BY session))
     SELECT count(*) || ' ' || count(*) FILTER (WHERE n1 >= prev OR n2 >= prev OR n3 >= prev)
     FROM w WHERE prev - x > 0 AND prev - x >= 2 * sd - 1e-9$q$, :reps);

-- 5. the same with two parallel workers
SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0;
SELECT pg_temp.timeit('ruptures, 2 parallel workers', 'alliance',
  $q$SELECT count(*) || ' ' || count(*) FILTER (WHERE r.state = 'repaired')
     FROM (SELECT client, trajectory(session, srs) t FROM typed GROUP BY client) x, ruptures(x.t, 'stiles') r$q$, :reps);
SELECT pg_temp.timeit('ruptures, 2 parallel workers', 'plain SQL (window functions)',
  $q$WITH s AS (SELECT client, session, i1 + i2 + i3 + i4 AS x FROM plain),
     w AS (SELECT client, session, x,
                  lag(x) OVER c AS prev, lead(x, 1) OVER c AS n1, lead(x, 2) OVER c AS n2, lead(x, 3) OVER c AS n3,
                  stddev_samp(x) OVER (PARTITION BY client) AS sd
           FROM s WINDOW c AS (PARTITION BY client ORDER BY session))
     SELECT count(*) || ' ' || count(*) FILTER (WHERE n1 >= prev OR n2 >= prev OR n3 >= prev)
     FROM w WHERE prev - x > 0 AND prev - x >= 2 * sd - 1e-9$q$, :reps);
RESET max_parallel_workers_per_gather; RESET parallel_setup_cost; RESET parallel_tuple_cost;
\o

\echo
\echo 'Storage (table size, 1 row per session)'
SELECT t AS layout, pg_size_pretty(pg_table_size(t::regclass)) AS size,
       round(pg_table_size(t::regclass)::numeric / pg_table_size('plain'), 2) AS ratio_to_plain_columns
FROM unnest(ARRAY['typed', 'typed_custom', 'plain', 'arrays']) t;

\echo
\echo 'Time (median of the runs); ratio = alliance / the plain-SQL way (below 1: alliance is faster)'
SELECT a.benchmark, b.variant AS compared_with, a.ms AS alliance_ms, b.ms AS other_ms,
       round(a.ms / nullif(b.ms, 0), 2) AS ratio, a.answer = b.answer AS same_answer
FROM bench_results a JOIN bench_results b ON b.part = a.part AND b.benchmark = a.benchmark AND b.variant <> 'alliance'
WHERE a.part = 'srs' AND a.variant = 'alliance'
ORDER BY a.benchmark, b.variant;
