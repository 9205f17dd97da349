-- Series analysis: the alliance.trajectory type and aggregate, its
-- accessors (sessions, first_score, last_score, slope, status, ruptures),
-- rollup(), the prospective rupture_alert window function, and the
-- rupture_kind enum.  C: src/pg/trajectory.c, src/pg/rupture_alert.c; the
-- rules: src/core/series.c; docs: doc/trajectory.md.

-- ---------------------------------------------------------------- the type
CREATE TYPE @extschema@.trajectory;

CREATE FUNCTION @extschema@.trajectory_in(cstring) RETURNS @extschema@.trajectory
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.trajectory_out(@extschema@.trajectory) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.trajectory_recv(internal) RETURNS @extschema@.trajectory
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.trajectory_send(@extschema@.trajectory) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE @extschema@.trajectory (
    INPUT = @extschema@.trajectory_in,
    OUTPUT = @extschema@.trajectory_out,
    RECEIVE = @extschema@.trajectory_recv,
    SEND = @extschema@.trajectory_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = extended
);

COMMENT ON TYPE @extschema@.trajectory IS
    'A client''s series of alliance scores, one per session, sorted by session key; text form kind[:instrument]{key=score,...} with keys in ISO 8601 UTC';
COMMENT ON FUNCTION @extschema@.trajectory_in(cstring) IS
    'Text input of alliance.trajectory, e.g. int{1=44,2=45} or date:srs{2024-01-05=38}; validates keys, order and scores';
COMMENT ON FUNCTION @extschema@.trajectory_out(@extschema@.trajectory) IS
    'Canonical, lossless text output of alliance.trajectory: sorted points, exact scores, keys in ISO 8601 UTC whatever TimeZone and DateStyle say';
COMMENT ON FUNCTION @extschema@.trajectory_recv(internal) IS
    'Binary input of alliance.trajectory; validates exactly as text input does';
COMMENT ON FUNCTION @extschema@.trajectory_send(@extschema@.trajectory) IS
    'Binary output of alliance.trajectory';

-- A detected rupture (ruptures()).
CREATE TYPE @extschema@.rupture AS (
    seq integer,
    at_session bigint,
    at_time timestamptz,
    previous_score numeric,
    score numeric,
    drop numeric,
    threshold numeric,
    repaired_seq integer,
    repaired_at bigint,
    repaired_time timestamptz,
    state text
);
COMMENT ON TYPE @extschema@.rupture IS
    'A rupture found by alliance.ruptures(): position (seq, 1-based), session (at_session for int keys, at_time for time keys), scores, drop, the threshold used, the repairing session if any, and state repaired | unrepaired | open';

-- Clinician-coded rupture events (Safran & Muran).
CREATE TYPE @extschema@.rupture_kind AS ENUM ('withdrawal', 'confrontation');
COMMENT ON TYPE @extschema@.rupture_kind IS
    'Kind of an alliance rupture as a clinician codes it (Safran & Muran 2000): withdrawal (the client disengages) or confrontation (the client protests)';

-- ------------------------------------------------ aggregate support functions
CREATE FUNCTION @extschema@.trajectory_trans(internal, "any", "any") RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1;
CREATE FUNCTION @extschema@.trajectory_trans(internal, "any", "any", text) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1;
CREATE FUNCTION @extschema@.trajectory_rollup_trans(internal, @extschema@.trajectory) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1;
CREATE FUNCTION @extschema@.trajectory_rollup_trans(internal, @extschema@.trajectory, text) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1;
CREATE FUNCTION @extschema@.trajectory_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1;
CREATE FUNCTION @extschema@.trajectory_serial(internal) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1;
CREATE FUNCTION @extschema@.trajectory_deserial(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1;
CREATE FUNCTION @extschema@.trajectory_final(internal) RETURNS @extschema@.trajectory
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1;

COMMENT ON FUNCTION @extschema@.trajectory_trans(internal, "any", "any") IS
    'Transition function of alliance.trajectory(session, score)';
COMMENT ON FUNCTION @extschema@.trajectory_trans(internal, "any", "any", text) IS
    'Transition function of alliance.trajectory(session, score, on_duplicate)';
COMMENT ON FUNCTION @extschema@.trajectory_rollup_trans(internal, @extschema@.trajectory) IS
    'Transition function of alliance.rollup(trajectory)';
COMMENT ON FUNCTION @extschema@.trajectory_rollup_trans(internal, @extschema@.trajectory, text) IS
    'Transition function of alliance.rollup(trajectory, on_duplicate)';
COMMENT ON FUNCTION @extschema@.trajectory_combine(internal, internal) IS
    'Combine function of alliance.trajectory and alliance.rollup (parallel and partitionwise aggregation)';
COMMENT ON FUNCTION @extschema@.trajectory_serial(internal) IS
    'Serialises a trajectory aggregate state for parallel workers';
COMMENT ON FUNCTION @extschema@.trajectory_deserial(bytea, internal) IS
    'Deserialises (and checks) a trajectory aggregate state from a parallel worker';
COMMENT ON FUNCTION @extschema@.trajectory_final(internal) IS
    'Final function of alliance.trajectory and alliance.rollup: sorts a copy of the points and applies the duplicate rule; never changes the state';

-- ------------------------------------------------------------ the aggregates
-- One overload per session-key type and score type that implicit casts cannot
-- reach (as tdigest and timescaledb-toolkit do): smallint and integer keys
-- resolve to bigint, smallint/integer/bigint/real scores to double precision;
-- numeric keeps exact decimals.  (0.1.0 also had integer keys, which made a
-- smallint key ambiguous; 0.2.0 dropped them.)
CREATE AGGREGATE @extschema@.trajectory(session bigint, score numeric) (
    SFUNC = @extschema@.trajectory_trans, STYPE = internal, SSPACE = 1024,
    FINALFUNC = @extschema@.trajectory_final, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = @extschema@.trajectory_combine,
    SERIALFUNC = @extschema@.trajectory_serial, DESERIALFUNC = @extschema@.trajectory_deserial,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.trajectory(bigint, numeric) IS
    'A client''s series keyed by integer sessions (smallint, integer or bigint), from numeric scores; NULLs are skipped; a duplicate session is an error (see the on_duplicate overload)';
CREATE AGGREGATE @extschema@.trajectory(session bigint, score numeric, on_duplicate text) (
    SFUNC = @extschema@.trajectory_trans, STYPE = internal, SSPACE = 1024,
    FINALFUNC = @extschema@.trajectory_final, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = @extschema@.trajectory_combine,
    SERIALFUNC = @extschema@.trajectory_serial, DESERIALFUNC = @extschema@.trajectory_deserial,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.trajectory(bigint, numeric, text) IS
    'A client''s series keyed by integer sessions (smallint, integer or bigint), from numeric scores; NULLs are skipped; on_duplicate is ''error'', ''mean'', ''min'' or ''max''';
CREATE AGGREGATE @extschema@.trajectory(session bigint, score double precision) (
    SFUNC = @extschema@.trajectory_trans, STYPE = internal, SSPACE = 1024,
    FINALFUNC = @extschema@.trajectory_final, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = @extschema@.trajectory_combine,
    SERIALFUNC = @extschema@.trajectory_serial, DESERIALFUNC = @extschema@.trajectory_deserial,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.trajectory(bigint, double precision) IS
    'A client''s series keyed by integer sessions (smallint, integer or bigint), from float8 scores; NULLs are skipped; a duplicate session is an error (see the on_duplicate overload)';
CREATE AGGREGATE @extschema@.trajectory(session bigint, score double precision, on_duplicate text) (
    SFUNC = @extschema@.trajectory_trans, STYPE = internal, SSPACE = 1024,
    FINALFUNC = @extschema@.trajectory_final, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = @extschema@.trajectory_combine,
    SERIALFUNC = @extschema@.trajectory_serial, DESERIALFUNC = @extschema@.trajectory_deserial,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.trajectory(bigint, double precision, text) IS
    'A client''s series keyed by integer sessions (smallint, integer or bigint), from float8 scores; NULLs are skipped; on_duplicate is ''error'', ''mean'', ''min'' or ''max''';
CREATE AGGREGATE @extschema@.trajectory(session bigint, score @extschema@.response) (
    SFUNC = @extschema@.trajectory_trans, STYPE = internal, SSPACE = 1024,
    FINALFUNC = @extschema@.trajectory_final, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = @extschema@.trajectory_combine,
    SERIALFUNC = @extschema@.trajectory_serial, DESERIALFUNC = @extschema@.trajectory_deserial,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.trajectory(bigint, @extschema@.response) IS
    'A client''s series keyed by integer sessions (smallint, integer or bigint), from the instrument''s score of each response (its total); the instrument''s cut-off and norms become the accessors'' defaults; NULLs are skipped; a duplicate session is an error (see the on_duplicate overload)';
CREATE AGGREGATE @extschema@.trajectory(session bigint, score @extschema@.response, on_duplicate text) (
    SFUNC = @extschema@.trajectory_trans, STYPE = internal, SSPACE = 1024,
    FINALFUNC = @extschema@.trajectory_final, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = @extschema@.trajectory_combine,
    SERIALFUNC = @extschema@.trajectory_serial, DESERIALFUNC = @extschema@.trajectory_deserial,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.trajectory(bigint, @extschema@.response, text) IS
    'A client''s series keyed by integer sessions (smallint, integer or bigint), from the instrument''s score of each response (its total); the instrument''s cut-off and norms become the accessors'' defaults; NULLs are skipped; on_duplicate is ''error'', ''mean'', ''min'' or ''max''';
CREATE AGGREGATE @extschema@.trajectory(session date, score numeric) (
    SFUNC = @extschema@.trajectory_trans, STYPE = internal, SSPACE = 1024,
    FINALFUNC = @extschema@.trajectory_final, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = @extschema@.trajectory_combine,
    SERIALFUNC = @extschema@.trajectory_serial, DESERIALFUNC = @extschema@.trajectory_deserial,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.trajectory(date, numeric) IS
    'A client''s series keyed by date sessions, from numeric scores; NULLs are skipped; a duplicate session is an error (see the on_duplicate overload)';
CREATE AGGREGATE @extschema@.trajectory(session date, score numeric, on_duplicate text) (
    SFUNC = @extschema@.trajectory_trans, STYPE = internal, SSPACE = 1024,
    FINALFUNC = @extschema@.trajectory_final, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = @extschema@.trajectory_combine,
    SERIALFUNC = @extschema@.trajectory_serial, DESERIALFUNC = @extschema@.trajectory_deserial,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.trajectory(date, numeric, text) IS
    'A client''s series keyed by date sessions, from numeric scores; NULLs are skipped; on_duplicate is ''error'', ''mean'', ''min'' or ''max''';
CREATE AGGREGATE @extschema@.trajectory(session date, score double precision) (
    SFUNC = @extschema@.trajectory_trans, STYPE = internal, SSPACE = 1024,
    FINALFUNC = @extschema@.trajectory_final, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = @extschema@.trajectory_combine,
    SERIALFUNC = @extschema@.trajectory_serial, DESERIALFUNC = @extschema@.trajectory_deserial,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.trajectory(date, double precision) IS
    'A client''s series keyed by date sessions, from float8 scores; NULLs are skipped; a duplicate session is an error (see the on_duplicate overload)';
CREATE AGGREGATE @extschema@.trajectory(session date, score double precision, on_duplicate text) (
    SFUNC = @extschema@.trajectory_trans, STYPE = internal, SSPACE = 1024,
    FINALFUNC = @extschema@.trajectory_final, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = @extschema@.trajectory_combine,
    SERIALFUNC = @extschema@.trajectory_serial, DESERIALFUNC = @extschema@.trajectory_deserial,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.trajectory(date, double precision, text) IS
    'A client''s series keyed by date sessions, from float8 scores; NULLs are skipped; on_duplicate is ''error'', ''mean'', ''min'' or ''max''';
CREATE AGGREGATE @extschema@.trajectory(session date, score @extschema@.response) (
    SFUNC = @extschema@.trajectory_trans, STYPE = internal, SSPACE = 1024,
    FINALFUNC = @extschema@.trajectory_final, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = @extschema@.trajectory_combine,
    SERIALFUNC = @extschema@.trajectory_serial, DESERIALFUNC = @extschema@.trajectory_deserial,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.trajectory(date, @extschema@.response) IS
    'A client''s series keyed by date sessions, from the instrument''s score of each response (its total); the instrument''s cut-off and norms become the accessors'' defaults; NULLs are skipped; a duplicate session is an error (see the on_duplicate overload)';
CREATE AGGREGATE @extschema@.trajectory(session date, score @extschema@.response, on_duplicate text) (
    SFUNC = @extschema@.trajectory_trans, STYPE = internal, SSPACE = 1024,
    FINALFUNC = @extschema@.trajectory_final, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = @extschema@.trajectory_combine,
    SERIALFUNC = @extschema@.trajectory_serial, DESERIALFUNC = @extschema@.trajectory_deserial,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.trajectory(date, @extschema@.response, text) IS
    'A client''s series keyed by date sessions, from the instrument''s score of each response (its total); the instrument''s cut-off and norms become the accessors'' defaults; NULLs are skipped; on_duplicate is ''error'', ''mean'', ''min'' or ''max''';
CREATE AGGREGATE @extschema@.trajectory(session timestamp, score numeric) (
    SFUNC = @extschema@.trajectory_trans, STYPE = internal, SSPACE = 1024,
    FINALFUNC = @extschema@.trajectory_final, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = @extschema@.trajectory_combine,
    SERIALFUNC = @extschema@.trajectory_serial, DESERIALFUNC = @extschema@.trajectory_deserial,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.trajectory(timestamp, numeric) IS
    'A client''s series keyed by timestamp sessions, from numeric scores; NULLs are skipped; a duplicate session is an error (see the on_duplicate overload)';
CREATE AGGREGATE @extschema@.trajectory(session timestamp, score numeric, on_duplicate text) (
    SFUNC = @extschema@.trajectory_trans, STYPE = internal, SSPACE = 1024,
    FINALFUNC = @extschema@.trajectory_final, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = @extschema@.trajectory_combine,
    SERIALFUNC = @extschema@.trajectory_serial, DESERIALFUNC = @extschema@.trajectory_deserial,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.trajectory(timestamp, numeric, text) IS
    'A client''s series keyed by timestamp sessions, from numeric scores; NULLs are skipped; on_duplicate is ''error'', ''mean'', ''min'' or ''max''';
CREATE AGGREGATE @extschema@.trajectory(session timestamp, score double precision) (
    SFUNC = @extschema@.trajectory_trans, STYPE = internal, SSPACE = 1024,
    FINALFUNC = @extschema@.trajectory_final, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = @extschema@.trajectory_combine,
    SERIALFUNC = @extschema@.trajectory_serial, DESERIALFUNC = @extschema@.trajectory_deserial,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.trajectory(timestamp, double precision) IS
    'A client''s series keyed by timestamp sessions, from float8 scores; NULLs are skipped; a duplicate session is an error (see the on_duplicate overload)';
CREATE AGGREGATE @extschema@.trajectory(session timestamp, score double precision, on_duplicate text) (
    SFUNC = @extschema@.trajectory_trans, STYPE = internal, SSPACE = 1024,
    FINALFUNC = @extschema@.trajectory_final, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = @extschema@.trajectory_combine,
    SERIALFUNC = @extschema@.trajectory_serial, DESERIALFUNC = @extschema@.trajectory_deserial,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.trajectory(timestamp, double precision, text) IS
    'A client''s series keyed by timestamp sessions, from float8 scores; NULLs are skipped; on_duplicate is ''error'', ''mean'', ''min'' or ''max''';
CREATE AGGREGATE @extschema@.trajectory(session timestamp, score @extschema@.response) (
    SFUNC = @extschema@.trajectory_trans, STYPE = internal, SSPACE = 1024,
    FINALFUNC = @extschema@.trajectory_final, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = @extschema@.trajectory_combine,
    SERIALFUNC = @extschema@.trajectory_serial, DESERIALFUNC = @extschema@.trajectory_deserial,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.trajectory(timestamp, @extschema@.response) IS
    'A client''s series keyed by timestamp sessions, from the instrument''s score of each response (its total); the instrument''s cut-off and norms become the accessors'' defaults; NULLs are skipped; a duplicate session is an error (see the on_duplicate overload)';
CREATE AGGREGATE @extschema@.trajectory(session timestamp, score @extschema@.response, on_duplicate text) (
    SFUNC = @extschema@.trajectory_trans, STYPE = internal, SSPACE = 1024,
    FINALFUNC = @extschema@.trajectory_final, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = @extschema@.trajectory_combine,
    SERIALFUNC = @extschema@.trajectory_serial, DESERIALFUNC = @extschema@.trajectory_deserial,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.trajectory(timestamp, @extschema@.response, text) IS
    'A client''s series keyed by timestamp sessions, from the instrument''s score of each response (its total); the instrument''s cut-off and norms become the accessors'' defaults; NULLs are skipped; on_duplicate is ''error'', ''mean'', ''min'' or ''max''';
CREATE AGGREGATE @extschema@.trajectory(session timestamptz, score numeric) (
    SFUNC = @extschema@.trajectory_trans, STYPE = internal, SSPACE = 1024,
    FINALFUNC = @extschema@.trajectory_final, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = @extschema@.trajectory_combine,
    SERIALFUNC = @extschema@.trajectory_serial, DESERIALFUNC = @extschema@.trajectory_deserial,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.trajectory(timestamptz, numeric) IS
    'A client''s series keyed by timestamptz sessions, from numeric scores; NULLs are skipped; a duplicate session is an error (see the on_duplicate overload)';
CREATE AGGREGATE @extschema@.trajectory(session timestamptz, score numeric, on_duplicate text) (
    SFUNC = @extschema@.trajectory_trans, STYPE = internal, SSPACE = 1024,
    FINALFUNC = @extschema@.trajectory_final, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = @extschema@.trajectory_combine,
    SERIALFUNC = @extschema@.trajectory_serial, DESERIALFUNC = @extschema@.trajectory_deserial,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.trajectory(timestamptz, numeric, text) IS
    'A client''s series keyed by timestamptz sessions, from numeric scores; NULLs are skipped; on_duplicate is ''error'', ''mean'', ''min'' or ''max''';
CREATE AGGREGATE @extschema@.trajectory(session timestamptz, score double precision) (
    SFUNC = @extschema@.trajectory_trans, STYPE = internal, SSPACE = 1024,
    FINALFUNC = @extschema@.trajectory_final, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = @extschema@.trajectory_combine,
    SERIALFUNC = @extschema@.trajectory_serial, DESERIALFUNC = @extschema@.trajectory_deserial,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.trajectory(timestamptz, double precision) IS
    'A client''s series keyed by timestamptz sessions, from float8 scores; NULLs are skipped; a duplicate session is an error (see the on_duplicate overload)';
CREATE AGGREGATE @extschema@.trajectory(session timestamptz, score double precision, on_duplicate text) (
    SFUNC = @extschema@.trajectory_trans, STYPE = internal, SSPACE = 1024,
    FINALFUNC = @extschema@.trajectory_final, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = @extschema@.trajectory_combine,
    SERIALFUNC = @extschema@.trajectory_serial, DESERIALFUNC = @extschema@.trajectory_deserial,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.trajectory(timestamptz, double precision, text) IS
    'A client''s series keyed by timestamptz sessions, from float8 scores; NULLs are skipped; on_duplicate is ''error'', ''mean'', ''min'' or ''max''';
CREATE AGGREGATE @extschema@.trajectory(session timestamptz, score @extschema@.response) (
    SFUNC = @extschema@.trajectory_trans, STYPE = internal, SSPACE = 1024,
    FINALFUNC = @extschema@.trajectory_final, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = @extschema@.trajectory_combine,
    SERIALFUNC = @extschema@.trajectory_serial, DESERIALFUNC = @extschema@.trajectory_deserial,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.trajectory(timestamptz, @extschema@.response) IS
    'A client''s series keyed by timestamptz sessions, from the instrument''s score of each response (its total); the instrument''s cut-off and norms become the accessors'' defaults; NULLs are skipped; a duplicate session is an error (see the on_duplicate overload)';
CREATE AGGREGATE @extschema@.trajectory(session timestamptz, score @extschema@.response, on_duplicate text) (
    SFUNC = @extschema@.trajectory_trans, STYPE = internal, SSPACE = 1024,
    FINALFUNC = @extschema@.trajectory_final, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = @extschema@.trajectory_combine,
    SERIALFUNC = @extschema@.trajectory_serial, DESERIALFUNC = @extschema@.trajectory_deserial,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.trajectory(timestamptz, @extschema@.response, text) IS
    'A client''s series keyed by timestamptz sessions, from the instrument''s score of each response (its total); the instrument''s cut-off and norms become the accessors'' defaults; NULLs are skipped; on_duplicate is ''error'', ''mean'', ''min'' or ''max''';


CREATE AGGREGATE @extschema@.rollup(@extschema@.trajectory) (
    SFUNC = @extschema@.trajectory_rollup_trans, STYPE = internal, SSPACE = 1024,
    FINALFUNC = @extschema@.trajectory_final, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = @extschema@.trajectory_combine,
    SERIALFUNC = @extschema@.trajectory_serial, DESERIALFUNC = @extschema@.trajectory_deserial,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.rollup(@extschema@.trajectory) IS
    'Merges trajectories of one key kind and instrument into one; a session in two of them is an error (see the on_duplicate overload)';
CREATE AGGREGATE @extschema@.rollup(@extschema@.trajectory, on_duplicate text) (
    SFUNC = @extschema@.trajectory_rollup_trans, STYPE = internal, SSPACE = 1024,
    FINALFUNC = @extschema@.trajectory_final, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = @extschema@.trajectory_combine,
    SERIALFUNC = @extschema@.trajectory_serial, DESERIALFUNC = @extschema@.trajectory_deserial,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.rollup(@extschema@.trajectory, text) IS
    'Merges trajectories; a session in two of them is resolved by on_duplicate: ''error'', ''mean'', ''min'' or ''max''';

-- ------------------------------------------------------------- accessors
CREATE FUNCTION @extschema@.sessions(t @extschema@.trajectory) RETURNS integer
    AS 'MODULE_PATHNAME', 'trajectory_sessions' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.sessions(@extschema@.trajectory) IS
    'Number of sessions (points) in a trajectory';
CREATE FUNCTION @extschema@.first_score(t @extschema@.trajectory) RETURNS numeric
    AS 'MODULE_PATHNAME', 'trajectory_first_score' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.first_score(@extschema@.trajectory) IS
    'Score of the earliest session of a trajectory';
CREATE FUNCTION @extschema@.last_score(t @extschema@.trajectory) RETURNS numeric
    AS 'MODULE_PATHNAME', 'trajectory_last_score' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.last_score(@extschema@.trajectory) IS
    'Score of the latest session of a trajectory';
CREATE FUNCTION @extschema@.slope(t @extschema@.trajectory) RETURNS numeric
    AS 'MODULE_PATHNAME', 'trajectory_slope_numeric' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.slope(@extschema@.trajectory) IS
    'Least-squares slope of score on session (numeric: round(slope(t), 3) works): per session number for int keys, per day for date and time keys; equals regr_slope on the same rows; NULL with fewer than 2 sessions';

CREATE FUNCTION @extschema@.status(t @extschema@.trajectory,
        method text DEFAULT NULL, k numeric DEFAULT NULL, reference_sd numeric DEFAULT NULL,
        sd numeric DEFAULT NULL, reliability numeric DEFAULT NULL, points numeric DEFAULT NULL,
        cutoff numeric DEFAULT NULL, c1 numeric DEFAULT NULL, pct numeric DEFAULT 0.25,
        repair_window integer DEFAULT 3, eps numeric DEFAULT NULL) RETURNS text
    AS 'MODULE_PATHNAME', 'trajectory_status' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.status(@extschema@.trajectory, text, numeric, numeric, numeric, numeric, numeric, numeric, numeric, numeric, integer, numeric) IS
    'open_rupture (latest rupture unrepaired or open), repaired, improving, declining or stable; ruptures by the parameters of ruptures() (default: the level rule)';

CREATE FUNCTION @extschema@.ruptures(t @extschema@.trajectory,
        method text DEFAULT NULL, k numeric DEFAULT NULL, reference_sd numeric DEFAULT NULL,
        sd numeric DEFAULT NULL, reliability numeric DEFAULT NULL, points numeric DEFAULT NULL,
        cutoff numeric DEFAULT NULL, c1 numeric DEFAULT NULL, pct numeric DEFAULT 0.25,
        repair_window integer DEFAULT 3, eps numeric DEFAULT NULL)
    RETURNS SETOF @extschema@.rupture
    AS 'MODULE_PATHNAME', 'trajectory_ruptures' LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 3;
COMMENT ON FUNCTION @extschema@.ruptures(@extschema@.trajectory, text, numeric, numeric, numeric, numeric, numeric, numeric, numeric, numeric, integer, numeric) IS
    'Ruptures of a trajectory by method level (the default, NULL: a score at least k error SDs, k 3, below the mean of the 3 sessions before, or two sessions both 0.85 of that below it; error SD = sd * sqrt(1 - reliability), the instrument''s or the clinic''s calibrated norms), stiles (drop >= k*SD, k 2), strauss (k 1), rci (1.96*S_diff; sd, reliability), sudden (Tang & DeRubeis; c1, pct), drop (>= points) or cutoff (falls below cutoff), each with its repair within repair_window sessions (score back to the level or previous score - eps; eps NULL: one error SD for level, 0 otherwise)';

-- Where each client stands now (0.2.0).
CREATE TYPE @extschema@.current_state AS (
    state text,
    since_seq integer,
    since_session bigint,
    since_time timestamptz,
    sessions integer,
    last_score numeric,
    below_cutoff boolean
);
COMMENT ON TYPE @extschema@.current_state IS
    'Result of alliance.current(): state open_rupture | repaired_recently | below_cutoff | declining | improving | stable, the position (since_seq, 1-based) and session (since_session for int keys, since_time for time keys) it began at, how many sessions it has lasted (the latest included), the latest score, and whether it is below the cut-off (NULL without one)';

CREATE FUNCTION @extschema@.current(t @extschema@.trajectory,
        method text DEFAULT NULL, k numeric DEFAULT NULL, reference_sd numeric DEFAULT NULL,
        sd numeric DEFAULT NULL, reliability numeric DEFAULT NULL, points numeric DEFAULT NULL,
        cutoff numeric DEFAULT NULL, c1 numeric DEFAULT NULL, pct numeric DEFAULT 0.25,
        repair_window integer DEFAULT 3, eps numeric DEFAULT NULL) RETURNS @extschema@.current_state
    AS 'MODULE_PATHNAME', 'trajectory_current' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.current(@extschema@.trajectory, text, numeric, numeric, numeric, numeric, numeric, numeric, numeric, numeric, integer, numeric) IS
    'Where the client stands at the latest session, apart from the history status() and ruptures() describe: open_rupture (the latest rupture unrepaired or open), repaired_recently (repaired within the last repair_window sessions), below_cutoff, declining, improving or stable; ruptures by the parameters of ruptures(); NULL for no sessions';

-- ------------------------------------------------------ prospective alert
CREATE FUNCTION @extschema@.rupture_alert(session bigint, score numeric,
        method text DEFAULT NULL, k numeric DEFAULT NULL, reference_sd numeric DEFAULT NULL,
        sd numeric DEFAULT NULL, reliability numeric DEFAULT NULL, points numeric DEFAULT NULL,
        cutoff numeric DEFAULT NULL) RETURNS boolean
    AS 'MODULE_PATHNAME', 'rupture_alert' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.rupture_alert(bigint, numeric, text, numeric, numeric, numeric, numeric, numeric, numeric) IS
    'Window function: is this session a rupture, judged only from the sessions before it in OVER (PARTITION BY client ORDER BY session)? method NULL is the default level rule: true at the session that makes a rupture of ruptures() known (its own session, or for a drop held over two sessions the second one); NULL without enough history (fewer than 3 earlier sessions for level; no earlier session; fewer than 3 for stiles/strauss unless reference_sd is given)';
CREATE FUNCTION @extschema@.rupture_alert(session bigint, score double precision,
        method text DEFAULT NULL, k numeric DEFAULT NULL, reference_sd numeric DEFAULT NULL,
        sd numeric DEFAULT NULL, reliability numeric DEFAULT NULL, points numeric DEFAULT NULL,
        cutoff numeric DEFAULT NULL) RETURNS boolean
    AS 'MODULE_PATHNAME', 'rupture_alert' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.rupture_alert(bigint, double precision, text, numeric, numeric, numeric, numeric, numeric, numeric) IS
    'Window function: is this session a rupture, judged only from the sessions before it in OVER (PARTITION BY client ORDER BY session)? method NULL is the default level rule: true at the session that makes a rupture of ruptures() known (its own session, or for a drop held over two sessions the second one); NULL without enough history (fewer than 3 earlier sessions for level; no earlier session; fewer than 3 for stiles/strauss unless reference_sd is given)';
CREATE FUNCTION @extschema@.rupture_alert(session bigint, score @extschema@.response,
        method text DEFAULT NULL, k numeric DEFAULT NULL, reference_sd numeric DEFAULT NULL,
        sd numeric DEFAULT NULL, reliability numeric DEFAULT NULL, points numeric DEFAULT NULL,
        cutoff numeric DEFAULT NULL) RETURNS boolean
    AS 'MODULE_PATHNAME', 'rupture_alert' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.rupture_alert(bigint, @extschema@.response, text, numeric, numeric, numeric, numeric, numeric, numeric) IS
    'Window function: is this session a rupture, judged only from the sessions before it in OVER (PARTITION BY client ORDER BY session)? method NULL is the default level rule: true at the session that makes a rupture of ruptures() known (its own session, or for a drop held over two sessions the second one); NULL without enough history (fewer than 3 earlier sessions for level; no earlier session; fewer than 3 for stiles/strauss unless reference_sd is given)';
CREATE FUNCTION @extschema@.rupture_alert(session date, score numeric,
        method text DEFAULT NULL, k numeric DEFAULT NULL, reference_sd numeric DEFAULT NULL,
        sd numeric DEFAULT NULL, reliability numeric DEFAULT NULL, points numeric DEFAULT NULL,
        cutoff numeric DEFAULT NULL) RETURNS boolean
    AS 'MODULE_PATHNAME', 'rupture_alert' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.rupture_alert(date, numeric, text, numeric, numeric, numeric, numeric, numeric, numeric) IS
    'Window function: is this session a rupture, judged only from the sessions before it in OVER (PARTITION BY client ORDER BY session)? method NULL is the default level rule: true at the session that makes a rupture of ruptures() known (its own session, or for a drop held over two sessions the second one); NULL without enough history (fewer than 3 earlier sessions for level; no earlier session; fewer than 3 for stiles/strauss unless reference_sd is given)';
CREATE FUNCTION @extschema@.rupture_alert(session date, score double precision,
        method text DEFAULT NULL, k numeric DEFAULT NULL, reference_sd numeric DEFAULT NULL,
        sd numeric DEFAULT NULL, reliability numeric DEFAULT NULL, points numeric DEFAULT NULL,
        cutoff numeric DEFAULT NULL) RETURNS boolean
    AS 'MODULE_PATHNAME', 'rupture_alert' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.rupture_alert(date, double precision, text, numeric, numeric, numeric, numeric, numeric, numeric) IS
    'Window function: is this session a rupture, judged only from the sessions before it in OVER (PARTITION BY client ORDER BY session)? method NULL is the default level rule: true at the session that makes a rupture of ruptures() known (its own session, or for a drop held over two sessions the second one); NULL without enough history (fewer than 3 earlier sessions for level; no earlier session; fewer than 3 for stiles/strauss unless reference_sd is given)';
CREATE FUNCTION @extschema@.rupture_alert(session date, score @extschema@.response,
        method text DEFAULT NULL, k numeric DEFAULT NULL, reference_sd numeric DEFAULT NULL,
        sd numeric DEFAULT NULL, reliability numeric DEFAULT NULL, points numeric DEFAULT NULL,
        cutoff numeric DEFAULT NULL) RETURNS boolean
    AS 'MODULE_PATHNAME', 'rupture_alert' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.rupture_alert(date, @extschema@.response, text, numeric, numeric, numeric, numeric, numeric, numeric) IS
    'Window function: is this session a rupture, judged only from the sessions before it in OVER (PARTITION BY client ORDER BY session)? method NULL is the default level rule: true at the session that makes a rupture of ruptures() known (its own session, or for a drop held over two sessions the second one); NULL without enough history (fewer than 3 earlier sessions for level; no earlier session; fewer than 3 for stiles/strauss unless reference_sd is given)';
CREATE FUNCTION @extschema@.rupture_alert(session timestamp, score numeric,
        method text DEFAULT NULL, k numeric DEFAULT NULL, reference_sd numeric DEFAULT NULL,
        sd numeric DEFAULT NULL, reliability numeric DEFAULT NULL, points numeric DEFAULT NULL,
        cutoff numeric DEFAULT NULL) RETURNS boolean
    AS 'MODULE_PATHNAME', 'rupture_alert' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.rupture_alert(timestamp, numeric, text, numeric, numeric, numeric, numeric, numeric, numeric) IS
    'Window function: is this session a rupture, judged only from the sessions before it in OVER (PARTITION BY client ORDER BY session)? method NULL is the default level rule: true at the session that makes a rupture of ruptures() known (its own session, or for a drop held over two sessions the second one); NULL without enough history (fewer than 3 earlier sessions for level; no earlier session; fewer than 3 for stiles/strauss unless reference_sd is given)';
CREATE FUNCTION @extschema@.rupture_alert(session timestamp, score double precision,
        method text DEFAULT NULL, k numeric DEFAULT NULL, reference_sd numeric DEFAULT NULL,
        sd numeric DEFAULT NULL, reliability numeric DEFAULT NULL, points numeric DEFAULT NULL,
        cutoff numeric DEFAULT NULL) RETURNS boolean
    AS 'MODULE_PATHNAME', 'rupture_alert' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.rupture_alert(timestamp, double precision, text, numeric, numeric, numeric, numeric, numeric, numeric) IS
    'Window function: is this session a rupture, judged only from the sessions before it in OVER (PARTITION BY client ORDER BY session)? method NULL is the default level rule: true at the session that makes a rupture of ruptures() known (its own session, or for a drop held over two sessions the second one); NULL without enough history (fewer than 3 earlier sessions for level; no earlier session; fewer than 3 for stiles/strauss unless reference_sd is given)';
CREATE FUNCTION @extschema@.rupture_alert(session timestamp, score @extschema@.response,
        method text DEFAULT NULL, k numeric DEFAULT NULL, reference_sd numeric DEFAULT NULL,
        sd numeric DEFAULT NULL, reliability numeric DEFAULT NULL, points numeric DEFAULT NULL,
        cutoff numeric DEFAULT NULL) RETURNS boolean
    AS 'MODULE_PATHNAME', 'rupture_alert' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.rupture_alert(timestamp, @extschema@.response, text, numeric, numeric, numeric, numeric, numeric, numeric) IS
    'Window function: is this session a rupture, judged only from the sessions before it in OVER (PARTITION BY client ORDER BY session)? method NULL is the default level rule: true at the session that makes a rupture of ruptures() known (its own session, or for a drop held over two sessions the second one); NULL without enough history (fewer than 3 earlier sessions for level; no earlier session; fewer than 3 for stiles/strauss unless reference_sd is given)';
CREATE FUNCTION @extschema@.rupture_alert(session timestamptz, score numeric,
        method text DEFAULT NULL, k numeric DEFAULT NULL, reference_sd numeric DEFAULT NULL,
        sd numeric DEFAULT NULL, reliability numeric DEFAULT NULL, points numeric DEFAULT NULL,
        cutoff numeric DEFAULT NULL) RETURNS boolean
    AS 'MODULE_PATHNAME', 'rupture_alert' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.rupture_alert(timestamptz, numeric, text, numeric, numeric, numeric, numeric, numeric, numeric) IS
    'Window function: is this session a rupture, judged only from the sessions before it in OVER (PARTITION BY client ORDER BY session)? method NULL is the default level rule: true at the session that makes a rupture of ruptures() known (its own session, or for a drop held over two sessions the second one); NULL without enough history (fewer than 3 earlier sessions for level; no earlier session; fewer than 3 for stiles/strauss unless reference_sd is given)';
CREATE FUNCTION @extschema@.rupture_alert(session timestamptz, score double precision,
        method text DEFAULT NULL, k numeric DEFAULT NULL, reference_sd numeric DEFAULT NULL,
        sd numeric DEFAULT NULL, reliability numeric DEFAULT NULL, points numeric DEFAULT NULL,
        cutoff numeric DEFAULT NULL) RETURNS boolean
    AS 'MODULE_PATHNAME', 'rupture_alert' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.rupture_alert(timestamptz, double precision, text, numeric, numeric, numeric, numeric, numeric, numeric) IS
    'Window function: is this session a rupture, judged only from the sessions before it in OVER (PARTITION BY client ORDER BY session)? method NULL is the default level rule: true at the session that makes a rupture of ruptures() known (its own session, or for a drop held over two sessions the second one); NULL without enough history (fewer than 3 earlier sessions for level; no earlier session; fewer than 3 for stiles/strauss unless reference_sd is given)';
CREATE FUNCTION @extschema@.rupture_alert(session timestamptz, score @extschema@.response,
        method text DEFAULT NULL, k numeric DEFAULT NULL, reference_sd numeric DEFAULT NULL,
        sd numeric DEFAULT NULL, reliability numeric DEFAULT NULL, points numeric DEFAULT NULL,
        cutoff numeric DEFAULT NULL) RETURNS boolean
    AS 'MODULE_PATHNAME', 'rupture_alert' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.rupture_alert(timestamptz, @extschema@.response, text, numeric, numeric, numeric, numeric, numeric, numeric) IS
    'Window function: is this session a rupture, judged only from the sessions before it in OVER (PARTITION BY client ORDER BY session)? method NULL is the default level rule: true at the session that makes a rupture of ruptures() known (its own session, or for a drop held over two sessions the second one); NULL without enough history (fewer than 3 earlier sessions for level; no earlier session; fewer than 3 for stiles/strauss unless reference_sd is given)';
