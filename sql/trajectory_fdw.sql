-- postgres_fdw pushes a per-client trajectory() down whole and reads the
-- result back as text with trajectory_in: the text form is the wire format.
-- (A loopback server on this cluster's own socket.)
SET search_path = public, alliance;
CREATE EXTENSION IF NOT EXISTS postgres_fdw;
DO $$ BEGIN
  EXECUTE format('CREATE SERVER traj_loop FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host %L, port %L, dbname %L, extensions %L)',
                 split_part(current_setting('unix_socket_directories'), ',', 1), current_setting('port'),
                 current_database(), 'alliance');
  EXECUTE format('CREATE USER MAPPING FOR CURRENT_USER SERVER traj_loop OPTIONS (user %L)', current_user);
END $$;
CREATE TABLE traj_fdw_local (client int, session date, at timestamptz, score numeric);
INSERT INTO traj_fdw_local
    SELECT c, date '2024-01-01' + 7 * s, timestamptz '2024-01-01 09:30:00.25+00' + (7 * s) * interval '1 day',
           30 + (c * s) % 11 + 0.1 * (s % 3)
    FROM generate_series(1, 3) c, generate_series(1, 8) s;
CREATE FOREIGN TABLE traj_fdw_remote (client int, session date, at timestamptz, score numeric)
    SERVER traj_loop OPTIONS (table_name 'traj_fdw_local');

-- a TimeZone and DateStyle here that differ from the remote session's (UTC, ISO)
SET TimeZone = 'Asia/Kolkata';
SET DateStyle = 'German';
EXPLAIN (VERBOSE, COSTS OFF)
SELECT client, trajectory(session, score) FROM traj_fdw_remote GROUP BY client;
SELECT client, trajectory(session, score) FROM traj_fdw_remote GROUP BY client ORDER BY client;
SELECT client, trajectory(at, score) FROM traj_fdw_remote GROUP BY client ORDER BY client;
-- the same as the local aggregate, and the accessors read it
SELECT count(*) AS clients, bool_and(r.t::text = l.t::text) AS same_date_keys,
       bool_and(r.u::text = l.u::text) AS same_time_keys, bool_and(status(r.t, 'stiles') = status(l.t, 'stiles')) AS same_status
FROM (SELECT client, trajectory(session, score) t, trajectory(at, score) u FROM traj_fdw_remote GROUP BY client) r
JOIN (SELECT client, trajectory(session, score) t, trajectory(at, score) u FROM traj_fdw_local GROUP BY client) l USING (client);
SELECT client, r.seq, r.at_time, r.drop, r.state
FROM (SELECT client, trajectory(at, score) t FROM traj_fdw_remote GROUP BY client) x, ruptures(t, 'drop', points => 5) r
ORDER BY client, seq;
RESET TimeZone;
RESET DateStyle;
DROP FOREIGN TABLE traj_fdw_remote;
DROP TABLE traj_fdw_local;
DROP USER MAPPING FOR CURRENT_USER SERVER traj_loop;
DROP SERVER traj_loop;
