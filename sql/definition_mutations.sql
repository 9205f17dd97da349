-- define_instrument's jsonb arguments (scales, bordin, norms) are decoded in
-- the server, out of libFuzzer's reach (the core validation behind them has
-- its own target): 2000 random definitions mixing valid and hostile jsonb
-- shapes and numbers, each tried in a subtransaction that is rolled back.
-- Each is defined or refused with a precise SQLSTATE; none is an internal error.
SET search_path = public, alliance;
SELECT setseed(0.29);
CREATE TEMP TABLE pieces (kind text, v jsonb);
INSERT INTO pieces VALUES
  ('scales', '{}'), ('scales', '{}'), ('scales', '{"a": [1, 2]}'), ('scales', '{"a": [1, 2], "b": [2, 3]}'), ('scales', '{"a": [1, 2]}'), ('scales', '{"a": [1, 2], "b": [3]}'), ('scales', '{"a": [1, 99]}'),
  ('scales', '{"a": []}'), ('scales', '{"a": [1, 1]}'), ('scales', '{"a": "1"}'), ('scales', '[1, 2]'), ('scales', 'null'),
  ('scales', '{"": [1]}'), ('scales', '{"a": [1.5]}'), ('scales', '{"a": [-1]}'), ('scales', '{"a": [2147483648]}'),
  ('scales', '{"a": {"b": [1]}}'), ('scales', '{"a": [1, 2], "A": [2, 3]}'), ('scales', '{"a": [null]}'),
  ('bordin', '{"goal": "a"}'), ('bordin', '{"bond": "b", "task": "a"}'), ('bordin', '{"goal": "zz"}'), ('bordin', '{"nonsense": "a"}'),
  ('bordin', '{"goal": 1}'), ('bordin', '[]'), ('bordin', '"a"'), ('bordin', '{"goal": null}'),
  ('norms', '{"sd": 0.8, "reliability": 0.85}'), ('norms', '{"sd": -1}'), ('norms', '{"reliability": 1}'), ('norms', '{"rc_points": 0}'),
  ('norms', '{"sd": "x"}'), ('norms', '{"sd": 1e300}'), ('norms', '{"other": 1}'), ('norms', '[]'), ('norms', '{"sd": null}'),
  ('norms', '{"sd": 1e-300, "reliability": 0}');
CREATE TEMP TABLE defs AS
SELECT i,
       (ARRAY[4, 4, 4, 12, 12, 3, 1, 255, 256, 0, -1])[1 + floor(random() * 11)::int] AS items,
       (ARRAY[1, 1, 1, 0, 0, -5, 0.5, 1e15])[1 + floor(random() * 8)::int]::numeric AS min,
       (ARRAY[5, 5, 5, 10, 10, 1, 0.5, 1e16, -1])[1 + floor(random() * 9)::int]::numeric AS max,
       (ARRAY[1, 1, 1, 0.5, 0.5, 0.1, 0.0001, 0.00001, 0, 3])[1 + floor(random() * 10)::int]::numeric AS step,
       (SELECT v FROM pieces WHERE kind = 'scales' AND i > -1 ORDER BY random() LIMIT 1) AS scales,
       CASE WHEN random() < 0.5 THEN (SELECT v FROM pieces WHERE kind = 'bordin' AND i > -1 ORDER BY random() LIMIT 1) END AS bordin,
       CASE WHEN random() < 0.5 THEN (SELECT v FROM pieces WHERE kind = 'norms' AND i > -1 ORDER BY random() LIMIT 1) END AS norms,
       (ARRAY[0.75, 0.75, 0.75, 1, 0, 0.12345, 2])[1 + floor(random() * 7)::int]::numeric AS min_answered,
       (ARRAY['total', 'total', 'mean', 'median'])[1 + floor(random() * 4)::int] AS score
FROM generate_series(1, 2000) i;
CREATE FUNCTION pg_temp.try_define(d defs) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    PERFORM define_instrument('mut_' || d.i, 'Mutant', d.items, d.min, d.max, step => d.step, scales => d.scales,
                              bordin => d.bordin, norms => d.norms, min_answered => d.min_answered, score => d.score);
    RAISE SQLSTATE 'AL000';
EXCEPTION
    WHEN SQLSTATE 'AL000' THEN RETURN 'defined';
    WHEN OTHERS THEN RETURN SQLSTATE;
END $$;
CREATE TEMP TABLE def_outcomes AS SELECT i, pg_temp.try_define(d) AS outcome FROM defs d;
SELECT count(*) AS definitions,
       count(*) FILTER (WHERE outcome LIKE 'XX%') AS internal_errors,
       count(*) FILTER (WHERE outcome = 'defined') > 10 AND count(*) FILTER (WHERE outcome <> 'defined') > 10 AS both_outcomes_common
FROM def_outcomes;
SELECT DISTINCT outcome FROM def_outcomes WHERE outcome NOT IN ('defined', '22023', '22003', '42710') ORDER BY 1;
-- nothing was left behind
SELECT count(*) AS left_defined FROM alliance.custom_instruments WHERE code LIKE 'mut\_%';
