-- The rows of bench/RESULTS.md: every target of the performance issue beside
-- what this run measured (bench_results, written by bench.sql and waisr.sql;
-- storage from the WAI-SR tables).  Ratios are medians over the runs.
-- "x faster" targets compare the other way's time with alliance's.
\set ON_ERROR_STOP 1
SET search_path = public, alliance;
WITH spec (n, label, part, benchmark, mine, other, kind, target) AS (VALUES
  (1, 'Scoring: `sum(total(r))` vs `sum((i1+…+i12)::numeric)` over 12 `smallint`', 'waisr', 'score every form', 'alliance total(r)', '12 smallint columns, numeric sum', 'ratio', 1.1),
  (2, 'Scoring vs PL/pgSQL over `int[]`', 'waisr', 'score every form', 'alliance total(r)', 'PL/pgSQL over int[]', 'faster', 5),
  (3, 'Subscale: `sum(subscale(r, ''task''))` vs its columns', 'waisr', 'task subscale of every form', 'alliance subscale(r, ''task'')', '12 smallint columns, numeric sum', 'ratio', 1.1),
  (3.5, 'Subscale, the same with `jit = off`', 'waisr', 'task subscale of every form, jit off', 'alliance subscale(r, ''task'')', '12 smallint columns, numeric sum', 'ratio', NULL),
  (4, '`at_risk(r, 36)` vs its column arithmetic', 'waisr', 'at risk (total below 36)', 'alliance at_risk(r, 36)', '12 smallint columns', 'ratio', 1.1),
  (5, 'Status per client (`stiles`) vs `avg()` per client', 'waisr', 'status per client', 'alliance status(trajectory)', 'avg() per client (the floor)', 'ratio', 1.25),
  (6, 'Status per client vs the same-status window SQL', 'waisr', 'status per client', 'alliance status(trajectory)', 'same status, window SQL', 'faster', 5),
  (7, 'Status per client vs the one-rule window query (`bool_or` of a Stiles drop)', 'waisr', 'status per client', 'alliance status(trajectory)', 'one rule, window SQL (bool_or of a Stiles drop)', 'faster', 2.5),
  (8, 'Status per client, default rule (`level`), vs its main criterion in window SQL', 'waisr', 'status per client, default rule (level)', 'alliance status(trajectory)', 'one rule, window SQL (3 e below the mean of 3)', 'faster', 2.5),
  (9, '`rupture_alert` vs `lag()` over the same window', 'waisr', 'alert over each client''s sessions', 'alliance rupture_alert', 'lag() over plain columns', 'ratio', 2),
  (10, '`summary` vs `count`, `avg`, `stddev_samp` (SRS)', 'srs', 'clinic summary (n, mean, sd, shares)', 'alliance', 'plain columns', 'ratio', 1.5),
  (11, '`alpha` vs the formula with `var_samp` (SRS)', 'srs', 'Cronbach''s alpha', 'alliance', 'plain columns', 'ratio', 1.5),
  (12, 'Parallel: scoring, 2 workers vs serial', 'waisr', 'parallel speed-up: score every form', '2 workers', 'serial', 'faster', 1.7),
  (13, 'Parallel: scoring, 1 worker and the leader vs serial', 'waisr', 'parallel speed-up: score every form', '1 worker and the leader', 'serial', 'faster', 1.7),
  (14, 'Parallel: status per client, 2 workers vs serial', 'waisr', 'parallel speed-up: status per client', '2 workers', 'serial', 'faster', 1.7),
  (15, 'Parallel: status per client, 1 worker and the leader vs serial', 'waisr', 'parallel speed-up: status per client', '1 worker and the leader', 'serial', 'faster', 1.7),
  (15.5, 'Parallel: status per client over sessions partitioned by client (4 hash partitions), 2 workers, vs serial over the plain table', 'waisr', 'parallel speed-up: status per client', '2 workers, sessions partitioned by client', 'serial', 'faster', 1.7),
  (15.8, 'Alerts: `COPY` of the sessions into a watched table vs the same `COPY` unwatched', 'alerts', 'COPY of the sessions', 'watched', 'unwatched', 'ratio', 3),
  (15.9, 'Alerts: a single-session `INSERT` (20 earlier sessions), time added by the watch at the median', 'alerts', 'single-session INSERT, 20 earlier sessions', 'watched', 'unwatched', 'added', 1),
  (16, 'Parallel, for scale: PostgreSQL''s own `count(*)`, 2 workers vs serial', 'waisr', 'parallel speed-up: PostgreSQL''s own count(*)', '2 workers', 'serial', 'faster', NULL),
  (17, 'Parallel, for scale: PostgreSQL''s own `count(*)`, 1 worker and the leader vs serial', 'waisr', 'parallel speed-up: PostgreSQL''s own count(*)', '1 worker and the leader', 'serial', 'faster', NULL)
), why (n, why) AS (VALUES
  (3, 'a call per row that decodes the whole stored form (12 items) against arithmetic over 4 of the 12 columns; by perf the decoding is about 8 % of the time, the function call, the detoasting of the name and the numeric result most of the rest; the same without JIT (next row)'),
  (12, 'see the CPU ceiling above and PostgreSQL''s own count(*) below: a 2-process plan cannot reach 1.7x here; with 2 workers the leader makes 3 processes on 2 CPUs'),
  (13, 'see the CPU ceiling above and PostgreSQL''s own count(*) below'),
  (14, 'every worker sees nearly every client (a client''s sessions are spread over the table), so the partial states carry every session to the leader, which combines them and judges each client alone'),
  (15, 'as above; one worker and the leader'),
  (15.8, 'the triggers read every written session back by the (client, session) index and run one window of rupture_alert per rule over them, after the COPY itself keeps its rows as a transition table; by auto_explain on 100 000 sessions: COPY with its transition table 200 ms (unwatched 133), the per-client locks 30 ms, the judging 250 ms'),
  (15.5, 'each client aggregated whole in one worker and one row per client to the leader, but the partitioned plan costs more in itself (4 hash aggregations, each spilling at work_mem 4 MB); bounded by the CPU ceiling above')
), m AS (
  SELECT s.*, why.why, a.ms AS mine_ms, b.ms AS other_ms,
         CASE s.kind WHEN 'ratio' THEN round(a.ms / nullif(b.ms, 0), 2) WHEN 'added' THEN round(a.ms - b.ms, 3)
                     ELSE round(b.ms / nullif(a.ms, 0), 2) END AS value,
         a.answer = b.answer AS same_answer
  FROM spec s
  LEFT JOIN why USING (n)
  LEFT JOIN bench_results a ON a.part = s.part AND a.benchmark = s.benchmark AND a.variant = s.mine
  LEFT JOIN bench_results b ON b.part = s.part AND b.benchmark = s.benchmark AND b.variant = s.other
)
SELECT format('| %s | %s | %s | %s | %s | %s |', label, coalesce(mine_ms::text, '—'), coalesce(other_ms::text, '—'),
              CASE kind WHEN 'ratio' THEN value || '×' WHEN 'added' THEN '+' || value || ' ms' ELSE value || '× faster' END,
              CASE WHEN target IS NULL THEN '—' WHEN kind = 'ratio' THEN '≤ ' || target WHEN kind = 'added' THEN '≤ +' || target || ' ms'
                   ELSE '≥ ' || target || '× faster' END,
              CASE WHEN target IS NULL THEN '—'
                   WHEN value IS NULL THEN 'not measured'
                   WHEN (kind IN ('ratio', 'added') AND value <= target) OR (kind = 'faster' AND value >= target) THEN '**met**'
                   ELSE 'not met' || coalesce(': ' || why, '') END)
FROM m ORDER BY n;
SELECT format('| Storage per row vs the 12-`smallint` table | %s B | %s B | %s× | ≤ 0.75 | %s |',
              round(t.b / t.n, 1), round(p.b / t.n, 1), round(t.b / p.b, 2), CASE WHEN t.b / p.b <= 0.75 THEN '**met**' ELSE 'not met' END)
FROM (SELECT pg_relation_size('w_typed')::numeric AS b, (SELECT count(*) FROM w_typed) AS n) t,
     (SELECT pg_relation_size('w_plain')::numeric AS b) p;
SELECT format('| Bytes per WAI-SR value (`pg_column_size`) | %s | — | — | ≤ 16 | %s |',
              round(avg(pg_column_size(r)), 1), CASE WHEN avg(pg_column_size(r)) <= 16 THEN '**met**' ELSE 'not met' END)
FROM w_typed;
