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
