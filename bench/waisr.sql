-- The comparisons of the performance targets (bench/README.md, "Targets"):
-- WAI-SR responses against twelve smallint columns and an int[], per-client
-- analysis against the window-function SQL that gives the same answer, the
-- alert against lag(), and the parallel speed-up.  work_mem 4MB, serial
-- unless a benchmark says otherwise.  Median of :reps runs.
\set ON_ERROR_STOP 1
SET search_path = public, alliance;
SET work_mem = '4MB';
SET max_parallel_workers_per_gather = 0;

SET bench.part = 'waisr';
\ir timeit.sql
-- the PL/pgSQL a user might write over int[]
CREATE FUNCTION pg_temp.plpgsql_total(a int[]) RETURNS numeric LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE t numeric := 0; v int;
BEGIN
  FOREACH v IN ARRAY a LOOP t := t + v; END LOOP;
  RETURN t;
END $$;

\o /dev/null
-- 1. scoring
SELECT pg_temp.timeit('score every form', 'alliance total(r)',
  $q$SELECT sum(total(r))::text FROM w_typed$q$, :reps);
SELECT pg_temp.timeit('score every form', '12 smallint columns, numeric sum',
  $q$SELECT sum((i1 + i2 + i3 + i4 + i5 + i6 + i7 + i8 + i9 + i10 + i11 + i12)::numeric)::text FROM w_plain$q$, :reps);
SELECT pg_temp.timeit('score every form', '12 smallint columns, integer sum',
  $q$SELECT sum(i1 + i2 + i3 + i4 + i5 + i6 + i7 + i8 + i9 + i10 + i11 + i12)::text FROM w_plain$q$, :reps);
SELECT pg_temp.timeit('score every form', 'PL/pgSQL over int[]',
  $q$SELECT sum(pg_temp.plpgsql_total(a))::text FROM w_arr$q$, :reps);
SELECT pg_temp.timeit('task subscale of every form', 'alliance subscale(r, ''task'')',
  $q$SELECT sum(subscale(r, 'task'))::text FROM w_typed$q$, :reps);
SELECT pg_temp.timeit('task subscale of every form', '12 smallint columns, numeric sum',
  $q$SELECT sum((i1 + i2 + i10 + i12)::numeric)::text FROM w_plain$q$, :reps);
SET jit = off;
SELECT pg_temp.timeit('task subscale of every form, jit off', 'alliance subscale(r, ''task'')',
  $q$SELECT sum(subscale(r, 'task'))::text FROM w_typed$q$, :reps);
SELECT pg_temp.timeit('task subscale of every form, jit off', '12 smallint columns, numeric sum',
  $q$SELECT sum((i1 + i2 + i10 + i12)::numeric)::text FROM w_plain$q$, :reps);
RESET jit;
SELECT pg_temp.timeit('at risk (total below 36)', 'alliance at_risk(r, 36)',
  $q$SELECT count(*) FILTER (WHERE at_risk(r, 36))::text FROM w_typed$q$, :reps);
SELECT pg_temp.timeit('at risk (total below 36)', '12 smallint columns',
  $q$SELECT count(*) FILTER (WHERE i1 + i2 + i3 + i4 + i5 + i6 + i7 + i8 + i9 + i10 + i11 + i12 < 36)::text FROM w_plain$q$, :reps);

-- 2. per-client analysis: status of the course (stiles, the rule the window SQL can express)
SELECT pg_temp.timeit('status per client', 'alliance status(trajectory)',
  $q$SELECT string_agg(st || '=' || n, ' ' ORDER BY st) FROM
       (SELECT st, count(*) AS n FROM (SELECT status(trajectory(session, r), 'stiles') AS st FROM w_typed GROUP BY client) x
        GROUP BY st) y$q$, :reps);
SELECT pg_temp.timeit('status per client', 'same status, window SQL',
  $q$WITH s AS (SELECT client, session, (i1 + i2 + i3 + i4 + i5 + i6 + i7 + i8 + i9 + i10 + i11 + i12)::numeric AS x FROM w_plain),
     w AS (SELECT client, session, x, lag(x) OVER c AS prev,
                  stddev_samp(x) OVER p AS sd,
                  max(x) OVER (c ROWS BETWEEN 1 FOLLOWING AND 3 FOLLOWING) AS after_max,
                  count(*) OVER (c ROWS BETWEEN 1 FOLLOWING AND 3 FOLLOWING) AS after_n,
                  regr_slope(x, session) OVER p AS slope,
                  max(session) OVER p - min(session) OVER p AS span
           FROM s WINDOW c AS (PARTITION BY client ORDER BY session), p AS (PARTITION BY client)),
     r AS (SELECT *, prev - x > 0 AND prev - x >= 2 * sd - 1e-9 * greatest(1, 2 * sd) AS rupt,
                  coalesce(after_max >= prev - 1e-9 * greatest(1, prev), false) AS repaired
           FROM w),
     per AS (SELECT client, (array_agg(repaired ORDER BY session DESC) FILTER (WHERE rupt))[1] AS last_repaired,
                    bool_or(rupt AND repaired) AS any_repaired, max(sd) AS sd, max(slope) AS slope, max(span) AS span
             FROM r GROUP BY client),
     st AS (SELECT CASE WHEN NOT last_repaired THEN 'open_rupture' WHEN any_repaired THEN 'repaired'
                        WHEN sd > 0 AND slope * span >= sd - 1e-9 * greatest(1, sd) THEN 'improving'
                        WHEN sd > 0 AND -slope * span >= sd - 1e-9 * greatest(1, sd) THEN 'declining'
                        ELSE 'stable' END AS st FROM per)
     SELECT string_agg(st || '=' || n, ' ' ORDER BY st) FROM (SELECT st, count(*) AS n FROM st GROUP BY st) y$q$, :reps);
SELECT pg_temp.timeit('status per client', 'avg() per client (the floor)',
  $q$SELECT count(*) FILTER (WHERE m > 0)::text FROM
       (SELECT avg((i1 + i2 + i3 + i4 + i5 + i6 + i7 + i8 + i9 + i10 + i11 + i12)::numeric) AS m FROM w_plain GROUP BY client) x$q$, :reps);
SELECT pg_temp.timeit('status per client', 'one rule, window SQL (bool_or of a Stiles drop)',
  $q$SELECT count(*) FILTER (WHERE any_rupture)::text FROM
       (SELECT client, bool_or(prev - x > 0 AND prev - x >= 2 * sd) AS any_rupture FROM
          (SELECT client, x, lag(x) OVER (PARTITION BY client ORDER BY session) AS prev, stddev_samp(x) OVER (PARTITION BY client) AS sd
           FROM (SELECT client, session, (i1 + i2 + i3 + i4 + i5 + i6 + i7 + i8 + i9 + i10 + i11 + i12)::numeric AS x FROM w_plain) s) w
        GROUP BY client) y$q$, :reps);

-- 2b. the default rule (level) against the window SQL of its main criterion: a
-- session at least 3 error SDs below the mean of the 3 sessions before it
-- (the rule also has a two-session criterion, one rupture per drop, repair
-- and trend, which this query leaves out: the floor of what window SQL costs)
SELECT pg_temp.timeit('status per client, default rule (level)', 'alliance status(trajectory)',
  $q$SELECT string_agg(st || '=' || n, ' ' ORDER BY st) FROM
       (SELECT st, count(*) AS n FROM (SELECT status(trajectory(session, r)) AS st FROM w_typed GROUP BY client) x
        GROUP BY st) y$q$, :reps);
SELECT pg_temp.timeit('status per client, default rule (level)', 'one rule, window SQL (3 e below the mean of 3)',
  $q$WITH e AS (SELECT active_error_sd AS e FROM instruments WHERE code = 'wai_sr'),
     s AS (SELECT client, session, (i1 + i2 + i3 + i4 + i5 + i6 + i7 + i8 + i9 + i10 + i11 + i12)::numeric AS x FROM w_plain),
     w AS (SELECT client, x, avg(x) OVER f AS lvl, count(*) OVER f AS n
           FROM s WINDOW f AS (PARTITION BY client ORDER BY session ROWS BETWEEN 3 PRECEDING AND 1 PRECEDING))
     SELECT count(*) FILTER (WHERE r)::text FROM
       (SELECT client, bool_or(n = 3 AND lvl - x >= 3 * e.e) AS r FROM w, e GROUP BY client) y$q$, :reps);

-- 3. the prospective alert against lag() over the same window (the drop rule, which lag() can express)
SELECT pg_temp.timeit('alert over each client''s sessions', 'alliance rupture_alert',
  $q$SELECT count(*) FILTER (WHERE a)::text FROM
       (SELECT rupture_alert(session, r, 'drop', points => 5) OVER (PARTITION BY client ORDER BY session) AS a FROM w_typed) x$q$, :reps);
SELECT pg_temp.timeit('alert over each client''s sessions', 'lag() over plain columns',
  $q$SELECT count(*) FILTER (WHERE p - x >= 5)::text FROM
       (SELECT x, lag(x) OVER (PARTITION BY client ORDER BY session) AS p FROM
          (SELECT client, session, (i1 + i2 + i3 + i4 + i5 + i6 + i7 + i8 + i9 + i10 + i11 + i12)::numeric AS x FROM w_plain) s) w$q$, :reps);

-- 4. parallel speed-up: the same alliance query, serial and with workers, in turn
SELECT pg_temp.timeit_alternating('parallel speed-up: score every form',
  ARRAY['serial', '1 worker and the leader', '2 workers'],
  ARRAY[$q$SELECT sum(total(r))::text FROM w_typed$q$, $q$SELECT sum(total(r))::text FROM w_typed$q$,
        $q$SELECT sum(total(r))::text FROM w_typed$q$],
  ARRAY['', 'max_parallel_workers_per_gather=1,parallel_setup_cost=0,parallel_tuple_cost=0',
        'max_parallel_workers_per_gather=2,parallel_setup_cost=0,parallel_tuple_cost=0'], :reps);
-- sessions partitioned by client: each partition's clients aggregated whole
-- in a worker; compared with the serial query over the plain table
SELECT pg_temp.timeit_alternating('parallel speed-up: status per client',
  ARRAY['serial', '1 worker and the leader', '2 workers', '2 workers, sessions partitioned by client'],
  ARRAY[$q$SELECT count(*) FILTER (WHERE st = 'open_rupture')::text FROM
          (SELECT status(trajectory(session, r), 'stiles') AS st FROM w_typed GROUP BY client) x$q$,
        $q$SELECT count(*) FILTER (WHERE st = 'open_rupture')::text FROM
          (SELECT status(trajectory(session, r), 'stiles') AS st FROM w_typed GROUP BY client) x$q$,
        $q$SELECT count(*) FILTER (WHERE st = 'open_rupture')::text FROM
          (SELECT status(trajectory(session, r), 'stiles') AS st FROM w_typed GROUP BY client) x$q$,
        $q$SELECT count(*) FILTER (WHERE st = 'open_rupture')::text FROM
          (SELECT status(trajectory(session, r), 'stiles') AS st FROM w_part GROUP BY client) x$q$],
  ARRAY['', 'max_parallel_workers_per_gather=1,parallel_setup_cost=0,parallel_tuple_cost=0',
        'max_parallel_workers_per_gather=2,parallel_setup_cost=0,parallel_tuple_cost=0',
        'max_parallel_workers_per_gather=2,parallel_setup_cost=0,parallel_tuple_cost=0,enable_partitionwise_aggregate=on'], :reps);
SELECT pg_temp.timeit_alternating('parallel speed-up: PostgreSQL''s own count(*)',
  ARRAY['serial', '1 worker and the leader', '2 workers'],
  ARRAY[$q$SELECT count(*)::text FROM w_typed$q$, $q$SELECT count(*)::text FROM w_typed$q$, $q$SELECT count(*)::text FROM w_typed$q$],
  ARRAY['', 'max_parallel_workers_per_gather=1,parallel_setup_cost=0,parallel_tuple_cost=0',
        'max_parallel_workers_per_gather=2,parallel_setup_cost=0,parallel_tuple_cost=0'], :reps);
\o

\echo
\echo 'WAI-SR: storage per row and per value'
SELECT 'w_typed' AS tbl, round(pg_relation_size('w_typed')::numeric / (SELECT count(*) FROM w_typed), 1) AS bytes_per_row,
       round(pg_relation_size('w_typed')::numeric / pg_relation_size('w_plain'), 2) AS vs_12_smallint,
       (SELECT round(avg(pg_column_size(r)), 1) FROM w_typed) AS bytes_per_value
UNION ALL
SELECT 'w_plain', round(pg_relation_size('w_plain')::numeric / (SELECT count(*) FROM w_plain), 1), 1, NULL
UNION ALL
SELECT 'w_arr', round(pg_relation_size('w_arr')::numeric / (SELECT count(*) FROM w_arr), 1),
       round(pg_relation_size('w_arr')::numeric / pg_relation_size('w_plain'), 2), (SELECT round(avg(pg_column_size(a)), 1) FROM w_arr);

\echo 'WAI-SR: time (median of the runs); ratio = this variant / the first variant of its benchmark'
SELECT benchmark, variant, ms,
       round(ms / first_value(ms) OVER (PARTITION BY benchmark ORDER BY seq), 2) AS ratio_to_first,
       answer = first_value(answer) OVER (PARTITION BY benchmark ORDER BY seq) AS same_answer_as_first
FROM bench_results WHERE part = 'waisr' ORDER BY benchmark, seq;
