-- pg_temp.timeit(benchmark, variant, query, reps): runs query reps times and
-- keeps every time, their median and the answer in bench_results (a table,
-- so that bench/report.sql can read what bench.sql and waisr.sql measured).
-- Included by bench.sql and waisr.sql; :part names the part.
CREATE TABLE IF NOT EXISTS bench_results (
    seq serial, part text, benchmark text, variant text, ms numeric, runs numeric[], answer text);
CREATE FUNCTION pg_temp.timeit(benchmark text, variant text, q text, reps int) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  t0 timestamptz; times numeric[] := '{}'; ans text;
BEGIN
  FOR i IN 1..reps LOOP
    t0 := clock_timestamp();
    EXECUTE q INTO ans;
    times := times || round(extract(epoch FROM clock_timestamp() - t0) * 1000, 1);
  END LOOP;
  INSERT INTO bench_results (part, benchmark, variant, ms, runs, answer)
  SELECT current_setting('bench.part'), benchmark, variant,
         round((SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY t) FROM unnest(times) t)::numeric, 1),
         times, ans;
END $$;
-- pg_temp.timeit_alternating(benchmark, variants, queries, settings, reps):
-- the variants of one comparison run in turn, rep after rep (A B C A B C ...),
-- so that a slow moment of the machine falls on all of them alike; each
-- variant runs with its settings ('name=value,name=value', applied for its
-- run only).  One row per variant in bench_results, as timeit writes.
CREATE FUNCTION pg_temp.timeit_alternating(benchmark text, variants text[], queries text[], settings text[], reps int)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  t0 timestamptz; ans text[] := '{}'; times numeric[][]; kv text; saved text[];
  n int := cardinality(variants);
BEGIN
  times := array_fill(NULL::numeric, ARRAY[n, reps]);
  FOR r IN 1..reps LOOP
    FOR v IN 1..n LOOP
      saved := '{}';
      FOREACH kv IN ARRAY coalesce(string_to_array(nullif(settings[v], ''), ','), '{}') LOOP
        saved := saved || ARRAY[split_part(kv, '=', 1), current_setting(split_part(kv, '=', 1))];
        PERFORM set_config(split_part(kv, '=', 1), split_part(kv, '=', 2), false);
      END LOOP;
      t0 := clock_timestamp();
      EXECUTE queries[v] INTO kv;
      times[v][r] := round(extract(epoch FROM clock_timestamp() - t0) * 1000, 1);
      ans[v] := kv;
      FOR i IN 1..cardinality(saved) / 2 LOOP
        PERFORM set_config(saved[2 * i - 1], saved[2 * i], false);
      END LOOP;
    END LOOP;
  END LOOP;
  FOR v IN 1..n LOOP
    INSERT INTO bench_results (part, benchmark, variant, ms, runs, answer)
    SELECT current_setting('bench.part'), benchmark, variants[v],
           round((SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY t) FROM unnest(times[v:v][1:reps]) t)::numeric, 1),
           (SELECT array_agg(t) FROM unnest(times[v:v][1:reps]) t), ans[v];
  END LOOP;
END $$;
