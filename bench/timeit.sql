-- pg_temp.timeit(benchmark, variant, query, reps): runs query reps times and
-- keeps the best time and the answer in the temp table results.  Included by
-- bench.sql and waisr.sql.
CREATE TEMP TABLE results (benchmark text, variant text, ms numeric, answer text);
CREATE FUNCTION pg_temp.timeit(benchmark text, variant text, q text, reps int) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  t0 timestamptz; best numeric; ans text;
BEGIN
  FOR i IN 1..reps LOOP
    t0 := clock_timestamp();
    EXECUTE q INTO ans;
    best := least(coalesce(best, 1e15), extract(epoch FROM clock_timestamp() - t0) * 1000);
  END LOOP;
  INSERT INTO results VALUES (benchmark, variant, round(best, 1), ans);
END $$;
