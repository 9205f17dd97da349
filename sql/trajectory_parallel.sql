-- alliance.trajectory in parallel and partitionwise plans: the combine,
-- serial and deserial functions give the same trajectories as a serial plan,
-- and trajectory_out -> trajectory_in is the identity on every result.
SET search_path = public, alliance;
SET extra_float_digits = 0;

SELECT setseed(0.7);
-- rows of each client scattered over the table, one duplicate session per client
CREATE TABLE par_s AS
    SELECT client, session, score FROM (
        SELECT c AS client, s AS session, round((20 + 20 * random())::numeric, 1) AS score
        FROM generate_series(1, 400) c, generate_series(1, 30) s
        UNION ALL
        SELECT c, 5, round((20 + 20 * random())::numeric, 1) FROM generate_series(1, 400) c
    ) x ORDER BY random();
ANALYZE par_s;

CREATE FUNCTION pg_temp.plan_has(q text, pat text) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE l text;
BEGIN
    FOR l IN EXECUTE 'EXPLAIN (COSTS OFF) ' || q LOOP
        IF l LIKE pat THEN RETURN true; END IF;
    END LOOP;
    RETURN false;
END $$;

-- serial answers
SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE serial_mean AS
    SELECT client, trajectory(session, score, 'mean')::text AS t FROM par_s GROUP BY client;
CREATE TEMP TABLE serial_max AS
    SELECT client, trajectory(session, score, 'max')::text AS t FROM par_s GROUP BY client;
CREATE TEMP TABLE serial_one AS
    SELECT trajectory(session, score, 'min')::text AS t FROM par_s WHERE client = 7;

-- parallel
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF) SELECT trajectory(session, score, 'min') FROM par_s WHERE client = 7;
SELECT pg_temp.plan_has('SELECT client, trajectory(session, score, ''mean'') FROM par_s GROUP BY client',
                        '%Partial%Aggregate%') AS grouped_partial;
SELECT (SELECT trajectory(session, score, 'min')::text FROM par_s WHERE client = 7) = t AS one_client_equal FROM serial_one;
SELECT count(*) AS clients, count(*) FILTER (WHERE p.t = s.t) AS equal
FROM (SELECT client, trajectory(session, score, 'mean')::text AS t FROM par_s GROUP BY client) p
JOIN serial_mean s USING (client);
SELECT count(*) FILTER (WHERE p.t = s.t) AS equal_max
FROM (SELECT client, trajectory(session, score, 'max')::text AS t FROM par_s GROUP BY client) p
JOIN serial_max s USING (client);
-- the default duplicate rule fails in parallel too, naming the session
SELECT count(*) FROM (SELECT client, trajectory(session, score) t FROM par_s GROUP BY client) x WHERE t IS NOT NULL;
-- accessors of a shared state in a parallel plan
SELECT count(*) FILTER (WHERE st IS NOT NULL) AS statuses, count(*) FILTER (WHERE n = 30) AS thirty
FROM (SELECT client, status(trajectory(session, score, 'mean'), 'stiles') st, sessions(trajectory(session, score, 'mean')) n
      FROM par_s GROUP BY client) x;
-- rollup in parallel: one clinic-wide merge of per-half trajectories
CREATE TEMP TABLE halves AS
    SELECT client, session > 15 AS late, trajectory(session, score, 'max') AS t FROM par_s GROUP BY 1, 2;
ANALYZE halves;
SELECT count(*) FILTER (WHERE r.t::text = s.t) AS rollup_equal
FROM (SELECT client, rollup(t) AS t FROM halves GROUP BY client) r JOIN serial_max s USING (client);

-- debug_parallel_query (force_parallel_mode before 16) runs the whole query in
-- a worker (serialising the state)
SELECT CASE WHEN current_setting('server_version_num')::int >= 160000
            THEN 'debug_parallel_query' ELSE 'force_parallel_mode' END AS parallel_guc \gset
SET :parallel_guc = on;
SELECT count(*) FILTER (WHERE p.t = s.t) AS forced_equal
FROM (SELECT client, trajectory(session, score, 'mean')::text AS t FROM par_s GROUP BY client) p
JOIN serial_mean s USING (client);
RESET :parallel_guc;

-- partitionwise aggregation
SET enable_partitionwise_aggregate = on;
-- partitioned by client: whole aggregates per partition
CREATE TABLE part_c (client int, session int, score numeric) PARTITION BY HASH (client);
CREATE TABLE part_c0 PARTITION OF part_c FOR VALUES WITH (MODULUS 3, REMAINDER 0);
CREATE TABLE part_c1 PARTITION OF part_c FOR VALUES WITH (MODULUS 3, REMAINDER 1);
CREATE TABLE part_c2 PARTITION OF part_c FOR VALUES WITH (MODULUS 3, REMAINDER 2);
INSERT INTO part_c SELECT * FROM par_s;
-- partitioned by session: each client's rows span partitions, so partial states are combined
CREATE TABLE part_s (client int, session int, score numeric) PARTITION BY RANGE (session);
CREATE TABLE part_s0 PARTITION OF part_s FOR VALUES FROM (MINVALUE) TO (10);
CREATE TABLE part_s1 PARTITION OF part_s FOR VALUES FROM (10) TO (20);
CREATE TABLE part_s2 PARTITION OF part_s FOR VALUES FROM (20) TO (MAXVALUE);
INSERT INTO part_s SELECT * FROM par_s;
ANALYZE part_c, part_s;
SELECT pg_temp.plan_has('SELECT client, trajectory(session, score, ''mean'') FROM part_s GROUP BY client',
                        '%Partial%Aggregate%') AS session_partitions_partial;
SELECT count(*) FILTER (WHERE p.t = s.t) AS by_client_equal
FROM (SELECT client, trajectory(session, score, 'mean')::text AS t FROM part_c GROUP BY client) p
JOIN serial_mean s USING (client);
SELECT count(*) FILTER (WHERE p.t = s.t) AS by_session_equal
FROM (SELECT client, trajectory(session, score, 'mean')::text AS t FROM part_s GROUP BY client) p
JOIN serial_mean s USING (client);
SET max_parallel_workers_per_gather = 0;
-- grouped by the partition key: one whole aggregate per partition
EXPLAIN (COSTS OFF) SELECT client, trajectory(session, score, 'mean') FROM part_c GROUP BY client;
-- grouped across partitions: partial aggregates per partition, combined above the Append
EXPLAIN (COSTS OFF) SELECT client, trajectory(session, score, 'mean') FROM part_s GROUP BY client;
SELECT count(*) FILTER (WHERE p.t = s.t) AS by_session_serial_equal
FROM (SELECT client, trajectory(session, score, 'mean')::text AS t FROM part_s GROUP BY client) p
JOIN serial_mean s USING (client);

-- trajectory_out -> trajectory_in is the identity on every result
SELECT count(*) AS results, bool_and(t::trajectory::text = t) AS identity FROM serial_mean;
SELECT bool_and(t::text::trajectory::text = t::text) AS identity_time_keys
FROM (SELECT trajectory(timestamptz '2024-01-01 00:00:00+00' + session * interval '7 days 1.5 seconds', score, 'mean') t
      FROM par_s GROUP BY client) x;
