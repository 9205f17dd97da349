-- alliance 0.1.0 -> 0.2.0.  Every change to an SQL object since 0.1.0, in the
-- order it was made; the result is exactly what a fresh 0.2.0 install creates
-- (test/shell/upgrade.sh compares the two catalogues).
\echo Use "ALTER EXTENSION alliance UPDATE TO '0.2.0'" to load this file. \quit

-- ---------------------------------------------------------------------------
-- trajectory(): integer-key overloads dropped.  A smallint key matched both the
-- integer and the bigint overloads ("is not unique"); with bigint alone every
-- integer type resolves, and the series is the same (both kinds print as int).
-- A view or function that names an integer-key overload would make the DROP
-- fail with a bare dependency error: say which, and what to do.
DO $alliance_upgrade$
DECLARE
    users pg_catalog.text;
BEGIN
    SELECT pg_catalog.string_agg(DISTINCT
               CASE WHEN d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_rewrite'::pg_catalog.regclass
                    THEN (SELECT 'view ' OPERATOR(pg_catalog.||) w.ev_class::pg_catalog.regclass::pg_catalog.text
                          FROM pg_catalog.pg_rewrite w WHERE w.oid OPERATOR(pg_catalog.=) d.objid)
                    ELSE pg_catalog.pg_describe_object(d.classid, d.objid, d.objsubid) END, ', ')
      INTO users
      FROM pg_catalog.pg_depend d
      JOIN pg_catalog.pg_proc p ON p.oid OPERATOR(pg_catalog.=) d.refobjid
     WHERE d.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_proc'::pg_catalog.regclass
       AND d.deptype OPERATOR(pg_catalog.=) 'n'
       AND p.pronamespace OPERATOR(pg_catalog.=) '@extschema@'::pg_catalog.regnamespace
       AND p.proname OPERATOR(pg_catalog.=) 'trajectory'
       AND p.proargtypes[0] OPERATOR(pg_catalog.=) 'pg_catalog.int4'::pg_catalog.regtype;
    IF users IS NOT NULL THEN
        RAISE EXCEPTION 'alliance 0.2.0 drops trajectory(integer, ...), which % use(s)', users
            USING ERRCODE = '2BP01',
                  DETAIL = 'From 0.2.0 an integer session key calls trajectory(bigint, ...), with the same result.',
                  HINT = 'Drop those objects, run ALTER EXTENSION alliance UPDATE, then create them again '
                         'from the same SQL. See doc/upgrading.md.';
    END IF;
END
$alliance_upgrade$;
DROP AGGREGATE @extschema@.trajectory(integer, numeric);
DROP AGGREGATE @extschema@.trajectory(integer, numeric, text);
DROP AGGREGATE @extschema@.trajectory(integer, double precision);
DROP AGGREGATE @extschema@.trajectory(integer, double precision, text);
DROP AGGREGATE @extschema@.trajectory(integer, @extschema@.response);
DROP AGGREGATE @extschema@.trajectory(integer, @extschema@.response, text);
COMMENT ON AGGREGATE @extschema@.trajectory(bigint, numeric) IS
    'A client''s series keyed by integer sessions (smallint, integer or bigint), from numeric scores; NULLs are skipped; a duplicate session is an error (see the on_duplicate overload)';
COMMENT ON AGGREGATE @extschema@.trajectory(bigint, numeric, text) IS
    'A client''s series keyed by integer sessions (smallint, integer or bigint), from numeric scores; NULLs are skipped; on_duplicate is ''error'', ''mean'', ''min'' or ''max''';
COMMENT ON AGGREGATE @extschema@.trajectory(bigint, double precision) IS
    'A client''s series keyed by integer sessions (smallint, integer or bigint), from float8 scores; NULLs are skipped; a duplicate session is an error (see the on_duplicate overload)';
COMMENT ON AGGREGATE @extschema@.trajectory(bigint, double precision, text) IS
    'A client''s series keyed by integer sessions (smallint, integer or bigint), from float8 scores; NULLs are skipped; on_duplicate is ''error'', ''mean'', ''min'' or ''max''';
COMMENT ON AGGREGATE @extschema@.trajectory(bigint, @extschema@.response) IS
    'A client''s series keyed by integer sessions (smallint, integer or bigint), from the instrument''s score of each response (its total); the instrument''s cut-off and norms become the accessors'' defaults; NULLs are skipped; a duplicate session is an error (see the on_duplicate overload)';
COMMENT ON AGGREGATE @extschema@.trajectory(bigint, @extschema@.response, text) IS
    'A client''s series keyed by integer sessions (smallint, integer or bigint), from the instrument''s score of each response (its total); the instrument''s cut-off and norms become the accessors'' defaults; NULLs are skipped; on_duplicate is ''error'', ''mean'', ''min'' or ''max''';

-- ---------------------------------------------------------------------------
-- Comments on the six comparison operators of alliance.response and its two
-- operator classes.
COMMENT ON OPERATOR @extschema@.= (@extschema@.response, @extschema@.response) IS
    'Equal: the same instrument and the same answers, missing items alike (a custom definition''s fingerprint is ignored)';
COMMENT ON OPERATOR @extschema@.<> (@extschema@.response, @extschema@.response) IS
    'Not equal: another instrument or other answers';
COMMENT ON OPERATOR @extschema@.< (@extschema@.response, @extschema@.response) IS
    'Less than in the total order by instrument code, then items in order (missing last): for ORDER BY, DISTINCT and btree indexes, not a clinical comparison';
COMMENT ON OPERATOR @extschema@.<= (@extschema@.response, @extschema@.response) IS
    'Less than or equal in the total order by instrument code, then items in order (missing last)';
COMMENT ON OPERATOR @extschema@.> (@extschema@.response, @extschema@.response) IS
    'Greater than in the total order by instrument code, then items in order (missing last)';
COMMENT ON OPERATOR @extschema@.>= (@extschema@.response, @extschema@.response) IS
    'Greater than or equal in the total order by instrument code, then items in order (missing last)';
COMMENT ON OPERATOR CLASS @extschema@.response_ops USING btree IS
    'Default btree operator class of alliance.response: a total order (instrument code, then items), for ORDER BY, DISTINCT, merge joins and unique indexes';
COMMENT ON OPERATOR CLASS @extschema@.response_hash_ops USING hash IS
    'Default hash operator class of alliance.response: GROUP BY, DISTINCT and hash joins';

-- ---------------------------------------------------------------------------
-- FHIR canonicals: built-ins have their own (shown in alliance.instruments, in
-- the library), a custom fhir_url may not name a built-in (checked in the
-- library's validation) nor one another definition has (this trigger).
-- Definitions stored by 0.1.0 are not re-checked; from_fhir now matches a
-- built-in's canonical before any custom fhir_url, so none can take over.
CREATE OR REPLACE FUNCTION @extschema@.custom_instruments_check() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    used text;
    clash text;
BEGIN
    IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND (OLD.code IS DISTINCT FROM NEW.code)) THEN
        used := @extschema@.instrument_use_locked(OLD.code);
        IF used IS NOT NULL THEN
            RAISE EXCEPTION 'instrument "%" is in use and cannot be %', OLD.code,
                  CASE TG_OP WHEN 'DELETE' THEN 'dropped' ELSE 'renamed' END
                USING ERRCODE = 'dependent_objects_still_exist',
                      DETAIL = @extschema@.instrument_use_detail(used, OLD.code),
                      HINT = 'A changed rule gets a new code: define the new form under another code.';
        END IF;
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
    END IF;

    IF EXISTS (SELECT 1 FROM @extschema@.builtin_instruments() b WHERE b.code OPERATOR(pg_catalog.=) NEW.code) THEN
        RAISE EXCEPTION 'instrument "%" is built in', NEW.code
            USING ERRCODE = 'duplicate_object', HINT = 'Choose another code for a custom form.';
    END IF;
    IF NEW.fhir_url IS NOT NULL THEN
        -- one canonical, one instrument ("|version" suffixes aside, as from_fhir reads them)
        SELECT c.code INTO clash FROM @extschema@.custom_instruments c
         WHERE c.code OPERATOR(pg_catalog.<>) NEW.code
           AND (TG_OP = 'INSERT' OR c.code OPERATOR(pg_catalog.<>) OLD.code)
           AND pg_catalog.split_part(c.fhir_url, '|', 1) OPERATOR(pg_catalog.=) pg_catalog.split_part(NEW.fhir_url, '|', 1);
        IF clash IS NOT NULL THEN
            RAISE EXCEPTION 'fhir_url "%" is already the canonical of instrument "%"', NEW.fhir_url, clash
                USING ERRCODE = 'duplicate_object',
                      HINT = 'A questionnaire canonical names one instrument: give this form a canonical of its own.';
        END IF;
    END IF;
    NEW.fingerprint := @extschema@.instrument_fingerprint(NEW.code, NEW.name, NEW.items, NEW.min, NEW.max,
        NEW.step, NEW.reversed, NEW.scales, NEW.bordin, NEW.cutoff, NEW.min_answered, NEW.score,
        NEW.norms, NEW.item_labels, NEW.link_ids, NEW.fhir_url, NEW.citation);
    SELECT c.code INTO clash FROM @extschema@.custom_instruments c
     WHERE c.code OPERATOR(pg_catalog.<>) NEW.code
       AND @extschema@.code_typmod(c.code) OPERATOR(pg_catalog.=) @extschema@.code_typmod(NEW.code)
       AND (TG_OP = 'INSERT' OR c.code OPERATOR(pg_catalog.<>) OLD.code);
    IF clash IS NOT NULL THEN
        RAISE EXCEPTION 'instrument code "%" collides with "%"', NEW.code, clash
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = 'Both codes hash to the same type modifier.',
                  HINT = 'Choose another code.';
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.fingerprint IS DISTINCT FROM OLD.fingerprint THEN
        used := @extschema@.instrument_use_locked(OLD.code);
        IF used IS NOT NULL THEN
            RAISE EXCEPTION 'instrument "%" is in use; its definition cannot change', OLD.code
                USING ERRCODE = 'dependent_objects_still_exist',
                      DETAIL = @extschema@.instrument_use_detail(used, OLD.code),
                      HINT = 'A changed rule gets a new code: define the new form under another code.';
        END IF;
    END IF;
    RETURN NEW;
END $$;
COMMENT ON FUNCTION @extschema@.custom_instruments_check() IS
    'Trigger on alliance.custom_instruments: validates and fingerprints definitions; refuses built-in codes, hash collisions, a fhir_url another definition has, and changes or drops of used definitions';

-- ---------------------------------------------------------------------------
-- slope(trajectory) returns numeric, as documented (it returned double
-- precision, so round(slope(t), 3) failed).  A new result type means a new
-- function: a view or function of yours that calls slope() stops the update
-- with the same advice as for trajectory(integer, ...) above.
DO $alliance_upgrade$
DECLARE
    users pg_catalog.text;
BEGIN
    SELECT pg_catalog.string_agg(DISTINCT
               CASE WHEN d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_rewrite'::pg_catalog.regclass
                    THEN (SELECT 'view ' OPERATOR(pg_catalog.||) w.ev_class::pg_catalog.regclass::pg_catalog.text
                          FROM pg_catalog.pg_rewrite w WHERE w.oid OPERATOR(pg_catalog.=) d.objid)
                    ELSE pg_catalog.pg_describe_object(d.classid, d.objid, d.objsubid) END, ', ')
      INTO users
      FROM pg_catalog.pg_depend d
     WHERE d.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_proc'::pg_catalog.regclass
       AND d.refobjid OPERATOR(pg_catalog.=) '@extschema@.slope(@extschema@.trajectory)'::pg_catalog.regprocedure
       AND d.deptype OPERATOR(pg_catalog.=) 'n';
    IF users IS NOT NULL THEN
        RAISE EXCEPTION 'alliance 0.2.0 changes slope(trajectory) to return numeric, and % use(s) it', users
            USING ERRCODE = '2BP01',
                  DETAIL = 'A function whose result type changes must be dropped and created again.',
                  HINT = 'Drop those objects, run ALTER EXTENSION alliance UPDATE, then create them again '
                         'from the same SQL. See doc/upgrading.md.';
    END IF;
END
$alliance_upgrade$;
DROP FUNCTION @extschema@.slope(@extschema@.trajectory);
CREATE FUNCTION @extschema@.slope(t @extschema@.trajectory) RETURNS numeric
    AS 'MODULE_PATHNAME', 'trajectory_slope_numeric' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.slope(@extschema@.trajectory) IS
    'Least-squares slope of score on session (numeric: round(slope(t), 3) works): per session number for int keys, per day for date and time keys; equals regr_slope on the same rows; NULL with fewer than 2 sessions';

-- ---------------------------------------------------------------------------
-- current(t): where each client stands now, apart from the history.
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

-- ---------------------------------------------------------------------------
-- The default rupture rule is the level rule (doc/trajectory.md, "The default
-- rule"): method and eps default to NULL, which the library reads as method
-- level and a repair tolerance of one error SD (0 for the other methods, as
-- before).  0.1.0's default, stiles with the client's own SD, flagged 60-70 %
-- of clients without a rupture on the benchmark of bench/signal.  Only the
-- defaults change, so CREATE OR REPLACE keeps every dependent object.
CREATE OR REPLACE FUNCTION @extschema@.status(t @extschema@.trajectory,
        method text DEFAULT NULL, k numeric DEFAULT NULL, reference_sd numeric DEFAULT NULL,
        sd numeric DEFAULT NULL, reliability numeric DEFAULT NULL, points numeric DEFAULT NULL,
        cutoff numeric DEFAULT NULL, c1 numeric DEFAULT NULL, pct numeric DEFAULT 0.25,
        repair_window integer DEFAULT 3, eps numeric DEFAULT NULL) RETURNS text
    AS 'MODULE_PATHNAME', 'trajectory_status' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.status(@extschema@.trajectory, text, numeric, numeric, numeric, numeric, numeric, numeric, numeric, numeric, integer, numeric) IS
    'open_rupture (latest rupture unrepaired or open), repaired, improving, declining or stable; ruptures by the parameters of ruptures() (default: the level rule)';
CREATE OR REPLACE FUNCTION @extschema@.ruptures(t @extschema@.trajectory,
        method text DEFAULT NULL, k numeric DEFAULT NULL, reference_sd numeric DEFAULT NULL,
        sd numeric DEFAULT NULL, reliability numeric DEFAULT NULL, points numeric DEFAULT NULL,
        cutoff numeric DEFAULT NULL, c1 numeric DEFAULT NULL, pct numeric DEFAULT 0.25,
        repair_window integer DEFAULT 3, eps numeric DEFAULT NULL)
    RETURNS SETOF @extschema@.rupture
    AS 'MODULE_PATHNAME', 'trajectory_ruptures' LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 3;
COMMENT ON FUNCTION @extschema@.ruptures(@extschema@.trajectory, text, numeric, numeric, numeric, numeric, numeric, numeric, numeric, numeric, integer, numeric) IS
    'Ruptures of a trajectory by method level (the default, NULL: a score at least k error SDs, k 3, below the mean of the 3 sessions before, or two sessions both 0.85 of that below it; error SD = sd * sqrt(1 - reliability), the instrument''s or the clinic''s calibrated norms), stiles (drop >= k*SD, k 2), strauss (k 1), rci (1.96*S_diff; sd, reliability), sudden (Tang & DeRubeis; c1, pct), drop (>= points) or cutoff (falls below cutoff), each with its repair within repair_window sessions (score back to the level or previous score - eps; eps NULL: one error SD for level, 0 otherwise)';
CREATE OR REPLACE FUNCTION @extschema@.rupture_alert(session bigint, score numeric,
        method text DEFAULT NULL, k numeric DEFAULT NULL, reference_sd numeric DEFAULT NULL,
        sd numeric DEFAULT NULL, reliability numeric DEFAULT NULL, points numeric DEFAULT NULL,
        cutoff numeric DEFAULT NULL) RETURNS boolean
    AS 'MODULE_PATHNAME', 'rupture_alert' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.rupture_alert(bigint, numeric, text, numeric, numeric, numeric, numeric, numeric, numeric) IS
    'Window function: is this session a rupture, judged only from the sessions before it in OVER (PARTITION BY client ORDER BY session)? method NULL is the default level rule: true at the session that makes a rupture of ruptures() known (its own session, or for a drop held over two sessions the second one); NULL without enough history (fewer than 3 earlier sessions for level; no earlier session; fewer than 3 for stiles/strauss unless reference_sd is given)';
CREATE OR REPLACE FUNCTION @extschema@.rupture_alert(session bigint, score double precision,
        method text DEFAULT NULL, k numeric DEFAULT NULL, reference_sd numeric DEFAULT NULL,
        sd numeric DEFAULT NULL, reliability numeric DEFAULT NULL, points numeric DEFAULT NULL,
        cutoff numeric DEFAULT NULL) RETURNS boolean
    AS 'MODULE_PATHNAME', 'rupture_alert' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.rupture_alert(bigint, double precision, text, numeric, numeric, numeric, numeric, numeric, numeric) IS
    'Window function: is this session a rupture, judged only from the sessions before it in OVER (PARTITION BY client ORDER BY session)? method NULL is the default level rule: true at the session that makes a rupture of ruptures() known (its own session, or for a drop held over two sessions the second one); NULL without enough history (fewer than 3 earlier sessions for level; no earlier session; fewer than 3 for stiles/strauss unless reference_sd is given)';
CREATE OR REPLACE FUNCTION @extschema@.rupture_alert(session bigint, score @extschema@.response,
        method text DEFAULT NULL, k numeric DEFAULT NULL, reference_sd numeric DEFAULT NULL,
        sd numeric DEFAULT NULL, reliability numeric DEFAULT NULL, points numeric DEFAULT NULL,
        cutoff numeric DEFAULT NULL) RETURNS boolean
    AS 'MODULE_PATHNAME', 'rupture_alert' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.rupture_alert(bigint, @extschema@.response, text, numeric, numeric, numeric, numeric, numeric, numeric) IS
    'Window function: is this session a rupture, judged only from the sessions before it in OVER (PARTITION BY client ORDER BY session)? method NULL is the default level rule: true at the session that makes a rupture of ruptures() known (its own session, or for a drop held over two sessions the second one); NULL without enough history (fewer than 3 earlier sessions for level; no earlier session; fewer than 3 for stiles/strauss unless reference_sd is given)';
CREATE OR REPLACE FUNCTION @extschema@.rupture_alert(session date, score numeric,
        method text DEFAULT NULL, k numeric DEFAULT NULL, reference_sd numeric DEFAULT NULL,
        sd numeric DEFAULT NULL, reliability numeric DEFAULT NULL, points numeric DEFAULT NULL,
        cutoff numeric DEFAULT NULL) RETURNS boolean
    AS 'MODULE_PATHNAME', 'rupture_alert' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.rupture_alert(date, numeric, text, numeric, numeric, numeric, numeric, numeric, numeric) IS
    'Window function: is this session a rupture, judged only from the sessions before it in OVER (PARTITION BY client ORDER BY session)? method NULL is the default level rule: true at the session that makes a rupture of ruptures() known (its own session, or for a drop held over two sessions the second one); NULL without enough history (fewer than 3 earlier sessions for level; no earlier session; fewer than 3 for stiles/strauss unless reference_sd is given)';
CREATE OR REPLACE FUNCTION @extschema@.rupture_alert(session date, score double precision,
        method text DEFAULT NULL, k numeric DEFAULT NULL, reference_sd numeric DEFAULT NULL,
        sd numeric DEFAULT NULL, reliability numeric DEFAULT NULL, points numeric DEFAULT NULL,
        cutoff numeric DEFAULT NULL) RETURNS boolean
    AS 'MODULE_PATHNAME', 'rupture_alert' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.rupture_alert(date, double precision, text, numeric, numeric, numeric, numeric, numeric, numeric) IS
    'Window function: is this session a rupture, judged only from the sessions before it in OVER (PARTITION BY client ORDER BY session)? method NULL is the default level rule: true at the session that makes a rupture of ruptures() known (its own session, or for a drop held over two sessions the second one); NULL without enough history (fewer than 3 earlier sessions for level; no earlier session; fewer than 3 for stiles/strauss unless reference_sd is given)';
CREATE OR REPLACE FUNCTION @extschema@.rupture_alert(session date, score @extschema@.response,
        method text DEFAULT NULL, k numeric DEFAULT NULL, reference_sd numeric DEFAULT NULL,
        sd numeric DEFAULT NULL, reliability numeric DEFAULT NULL, points numeric DEFAULT NULL,
        cutoff numeric DEFAULT NULL) RETURNS boolean
    AS 'MODULE_PATHNAME', 'rupture_alert' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.rupture_alert(date, @extschema@.response, text, numeric, numeric, numeric, numeric, numeric, numeric) IS
    'Window function: is this session a rupture, judged only from the sessions before it in OVER (PARTITION BY client ORDER BY session)? method NULL is the default level rule: true at the session that makes a rupture of ruptures() known (its own session, or for a drop held over two sessions the second one); NULL without enough history (fewer than 3 earlier sessions for level; no earlier session; fewer than 3 for stiles/strauss unless reference_sd is given)';
CREATE OR REPLACE FUNCTION @extschema@.rupture_alert(session timestamp, score numeric,
        method text DEFAULT NULL, k numeric DEFAULT NULL, reference_sd numeric DEFAULT NULL,
        sd numeric DEFAULT NULL, reliability numeric DEFAULT NULL, points numeric DEFAULT NULL,
        cutoff numeric DEFAULT NULL) RETURNS boolean
    AS 'MODULE_PATHNAME', 'rupture_alert' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.rupture_alert(timestamp, numeric, text, numeric, numeric, numeric, numeric, numeric, numeric) IS
    'Window function: is this session a rupture, judged only from the sessions before it in OVER (PARTITION BY client ORDER BY session)? method NULL is the default level rule: true at the session that makes a rupture of ruptures() known (its own session, or for a drop held over two sessions the second one); NULL without enough history (fewer than 3 earlier sessions for level; no earlier session; fewer than 3 for stiles/strauss unless reference_sd is given)';
CREATE OR REPLACE FUNCTION @extschema@.rupture_alert(session timestamp, score double precision,
        method text DEFAULT NULL, k numeric DEFAULT NULL, reference_sd numeric DEFAULT NULL,
        sd numeric DEFAULT NULL, reliability numeric DEFAULT NULL, points numeric DEFAULT NULL,
        cutoff numeric DEFAULT NULL) RETURNS boolean
    AS 'MODULE_PATHNAME', 'rupture_alert' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.rupture_alert(timestamp, double precision, text, numeric, numeric, numeric, numeric, numeric, numeric) IS
    'Window function: is this session a rupture, judged only from the sessions before it in OVER (PARTITION BY client ORDER BY session)? method NULL is the default level rule: true at the session that makes a rupture of ruptures() known (its own session, or for a drop held over two sessions the second one); NULL without enough history (fewer than 3 earlier sessions for level; no earlier session; fewer than 3 for stiles/strauss unless reference_sd is given)';
CREATE OR REPLACE FUNCTION @extschema@.rupture_alert(session timestamp, score @extschema@.response,
        method text DEFAULT NULL, k numeric DEFAULT NULL, reference_sd numeric DEFAULT NULL,
        sd numeric DEFAULT NULL, reliability numeric DEFAULT NULL, points numeric DEFAULT NULL,
        cutoff numeric DEFAULT NULL) RETURNS boolean
    AS 'MODULE_PATHNAME', 'rupture_alert' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.rupture_alert(timestamp, @extschema@.response, text, numeric, numeric, numeric, numeric, numeric, numeric) IS
    'Window function: is this session a rupture, judged only from the sessions before it in OVER (PARTITION BY client ORDER BY session)? method NULL is the default level rule: true at the session that makes a rupture of ruptures() known (its own session, or for a drop held over two sessions the second one); NULL without enough history (fewer than 3 earlier sessions for level; no earlier session; fewer than 3 for stiles/strauss unless reference_sd is given)';
CREATE OR REPLACE FUNCTION @extschema@.rupture_alert(session timestamptz, score numeric,
        method text DEFAULT NULL, k numeric DEFAULT NULL, reference_sd numeric DEFAULT NULL,
        sd numeric DEFAULT NULL, reliability numeric DEFAULT NULL, points numeric DEFAULT NULL,
        cutoff numeric DEFAULT NULL) RETURNS boolean
    AS 'MODULE_PATHNAME', 'rupture_alert' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.rupture_alert(timestamptz, numeric, text, numeric, numeric, numeric, numeric, numeric, numeric) IS
    'Window function: is this session a rupture, judged only from the sessions before it in OVER (PARTITION BY client ORDER BY session)? method NULL is the default level rule: true at the session that makes a rupture of ruptures() known (its own session, or for a drop held over two sessions the second one); NULL without enough history (fewer than 3 earlier sessions for level; no earlier session; fewer than 3 for stiles/strauss unless reference_sd is given)';
CREATE OR REPLACE FUNCTION @extschema@.rupture_alert(session timestamptz, score double precision,
        method text DEFAULT NULL, k numeric DEFAULT NULL, reference_sd numeric DEFAULT NULL,
        sd numeric DEFAULT NULL, reliability numeric DEFAULT NULL, points numeric DEFAULT NULL,
        cutoff numeric DEFAULT NULL) RETURNS boolean
    AS 'MODULE_PATHNAME', 'rupture_alert' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.rupture_alert(timestamptz, double precision, text, numeric, numeric, numeric, numeric, numeric, numeric) IS
    'Window function: is this session a rupture, judged only from the sessions before it in OVER (PARTITION BY client ORDER BY session)? method NULL is the default level rule: true at the session that makes a rupture of ruptures() known (its own session, or for a drop held over two sessions the second one); NULL without enough history (fewer than 3 earlier sessions for level; no earlier session; fewer than 3 for stiles/strauss unless reference_sd is given)';
CREATE OR REPLACE FUNCTION @extschema@.rupture_alert(session timestamptz, score @extschema@.response,
        method text DEFAULT NULL, k numeric DEFAULT NULL, reference_sd numeric DEFAULT NULL,
        sd numeric DEFAULT NULL, reliability numeric DEFAULT NULL, points numeric DEFAULT NULL,
        cutoff numeric DEFAULT NULL) RETURNS boolean
    AS 'MODULE_PATHNAME', 'rupture_alert' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.rupture_alert(timestamptz, @extschema@.response, text, numeric, numeric, numeric, numeric, numeric, numeric) IS
    'Window function: is this session a rupture, judged only from the sessions before it in OVER (PARTITION BY client ORDER BY session)? method NULL is the default level rule: true at the session that makes a rupture of ruptures() known (its own session, or for a drop held over two sessions the second one); NULL without enough history (fewer than 3 earlier sessions for level; no earlier session; fewer than 3 for stiles/strauss unless reference_sd is given)';
CREATE OR REPLACE FUNCTION @extschema@.sparkline(t @extschema@.trajectory,
        method text DEFAULT NULL, k numeric DEFAULT NULL, reference_sd numeric DEFAULT NULL,
        sd numeric DEFAULT NULL, reliability numeric DEFAULT NULL, points numeric DEFAULT NULL,
        cutoff numeric DEFAULT NULL, c1 numeric DEFAULT NULL, pct numeric DEFAULT 0.25,
        repair_window integer DEFAULT 3, eps numeric DEFAULT NULL) RETURNS text
    AS 'MODULE_PATHNAME', 'reporting_sparkline' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.sparkline(@extschema@.trajectory, text, numeric, numeric, numeric, numeric, numeric, numeric, numeric, numeric, integer, numeric) IS
    'One line of text: a block glyph per session (U+2581-U+2588, scaled to the series'' own range), each rupture''s session followed by * (repaired), ! (unrepaired) or ? (open); ruptures by method and parameters as in ruptures()';
CREATE OR REPLACE FUNCTION @extschema@.svg(t @extschema@.trajectory,
        width integer DEFAULT 640, height integer DEFAULT 240,
        method text DEFAULT NULL, k numeric DEFAULT NULL, reference_sd numeric DEFAULT NULL,
        sd numeric DEFAULT NULL, reliability numeric DEFAULT NULL, points numeric DEFAULT NULL,
        cutoff numeric DEFAULT NULL, c1 numeric DEFAULT NULL, pct numeric DEFAULT 0.25,
        repair_window integer DEFAULT 3, eps numeric DEFAULT NULL) RETURNS text
    AS 'MODULE_PATHNAME', 'reporting_svg' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.svg(@extschema@.trajectory, integer, integer, text, numeric, numeric, numeric, numeric, numeric, numeric, numeric, numeric, integer, numeric) IS
    'A self-contained, deterministic SVG chart (width and height 120-4000 px): the series by session, the cut-off as a dashed line when known (the cutoff argument, else the instrument''s), ruptures marked by repair state (classes "rupture repaired|unrepaired|open") and repairs ("repair"), with tooltips; ruptures by method and parameters as in ruptures()';

-- ---------------------------------------------------------------------------
-- A clinic's own norms: alliance.calibrated_norms (dumped), calibrate(),
-- reset_norms(), and alliance.instruments shows the active norms (new
-- columns at the end, so CREATE OR REPLACE keeps what depends on the view).

CREATE TABLE @extschema@.calibrated_norms (
    instrument text PRIMARY KEY,
    sd numeric NOT NULL CHECK (sd > 0),
    reliability numeric NOT NULL CHECK (reliability >= 0 AND reliability < 1),
    error_sd numeric NOT NULL CHECK (error_sd > 0),
    retest_r numeric,
    alpha numeric,
    clients integer NOT NULL CHECK (clients > 0),
    sessions integer NOT NULL CHECK (sessions > 0),
    source text NOT NULL,
    calibrated_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
    calibrated_by name NOT NULL DEFAULT CURRENT_USER
);
COMMENT ON TABLE @extschema@.calibrated_norms IS
    'A clinic''s calibrated norms, one row per instrument (alliance.calibrate); dumped by pg_dump; the rupture rules and reliable_change use sd and reliability (error SD = sd * sqrt(1 - reliability)) in place of the published norms';
SELECT pg_catalog.pg_extension_config_dump('@extschema@.calibrated_norms', '');

CREATE TRIGGER calibrated_norms_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.calibrated_norms
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.instruments_changed();

-- The estimates, per instrument, over the clients with at least 4 scored
-- sessions:
--   error_sd     the error SD in the unit the default rule measures in: a
--                session's residual from its level (the mean of the 3
--                sessions before) has variance 4/3 e^2, so
--                e = sqrt(3/4 * mean residual^2) over the clients' sessions,
--                leaving out every residual whose window holds a rupture
--                or repair that the rule finds (with a first estimate
--                from the mean squared successive difference, von Neumann
--                et al. 1941, then a second; two passes) and every one
--                with a score within one error SD of the lowest or highest
--                possible score (the scale cuts the error off there). Slow
--                drift that successive differences miss is in it, as it
--                is in what the rule judges;
--   sd           the SD of one session's score over all clients and
--                sessions (never below error_sd);
--   reliability  1 - (error_sd / sd)^2, so that sd * sqrt(1 - reliability)
--                is error_sd exactly;
--   retest_r     the correlation of successive scores (for comparison with
--                published test-retest figures);
--   alpha        Cronbach's alpha over the complete responses.
CREATE FUNCTION @extschema@.calibrate(source regclass, client name, session_key name,
        response name,
        OUT instrument text, OUT clients integer, OUT sessions integer, OUT error_sd numeric,
        OUT sd numeric, OUT reliability numeric, OUT retest_r numeric, OUT alpha numeric,
        OUT published_error_sd numeric)
    RETURNS SETOF record
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE STRICT
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    min_clients CONSTANT integer := 30;
    min_sessions CONSTANT integer := 4;
    typ oid;
    col name;
    rec record;
    found_any boolean := false;
    src text := pg_catalog.format('%s(%I, %I, %I)', source, client, session_key, response);
BEGIN
    -- a calibration changes the ruptures every role sees: say so before reading anything
    IF NOT pg_catalog.has_table_privilege('@extschema@.calibrated_norms', 'INSERT, UPDATE') THEN
        RAISE EXCEPTION 'permission denied to calibrate: the role needs INSERT and UPDATE on alliance.calibrated_norms'
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'A calibration changes the rupture rule for every role in the database; the extension''s owner grants that right.';
    END IF;
    FOREACH col IN ARRAY ARRAY[client, session_key, response] LOOP
        SELECT a.atttypid INTO typ FROM pg_catalog.pg_attribute a
         WHERE a.attrelid OPERATOR(pg_catalog.=) source AND a.attname OPERATOR(pg_catalog.=) col
           AND a.attnum OPERATOR(pg_catalog.>) 0 AND NOT a.attisdropped;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'column "%" of relation % does not exist', col, source
                USING ERRCODE = 'undefined_column';
        END IF;
    END LOOP;
    -- the response column: alliance.response or a domain over it
    WHILE (SELECT t.typtype FROM pg_catalog.pg_type t WHERE t.oid OPERATOR(pg_catalog.=) typ) OPERATOR(pg_catalog.=) 'd' LOOP
        SELECT t.typbasetype INTO typ FROM pg_catalog.pg_type t WHERE t.oid OPERATOR(pg_catalog.=) typ;
    END LOOP;
    IF typ OPERATOR(pg_catalog.<>) '@extschema@.response'::pg_catalog.regtype THEN
        RAISE EXCEPTION 'column "%" of relation % is not of type alliance.response', response, source
            USING ERRCODE = 'datatype_mismatch',
                  HINT = 'calibrate reads the answers themselves; give the column that holds alliance.response values.';
    END IF;

    FOR rec IN EXECUTE pg_catalog.format($q$
        WITH scored AS (
            SELECT %2$I AS c, %3$I AS k, @extschema@.instrument(%4$I) AS inst,
                   @extschema@.score(%4$I)::float8 AS x, %4$I AS r
              FROM %1$s
             WHERE %2$I IS NOT NULL AND %3$I IS NOT NULL AND %4$I IS NOT NULL
        ), per_client AS (
            SELECT inst, c, count(*) AS n FROM scored WHERE x IS NOT NULL GROUP BY inst, c
        ), used AS (
            SELECT s.* FROM scored s JOIN per_client p USING (inst, c)
             WHERE s.x IS NOT NULL AND p.n >= %5$s
        ), bounds AS (
            SELECT code AS inst,
                   (CASE score WHEN 'mean' THEN min ELSE min * items END)::float8 AS lo,
                   (CASE score WHEN 'mean' THEN max ELSE max * items END)::float8 AS hi
              FROM @extschema@.instruments
        ), ordered AS (
            SELECT inst, c, row_number() OVER w AS pos, x, lag(x) OVER w AS prev
              FROM used WINDOW w AS (PARTITION BY inst, c ORDER BY k)
        ), band AS (
            SELECT o.inst, sqrt(avg((o.x - o.prev) ^ 2) / 2) AS w
              FROM ordered o JOIN bounds b USING (inst)
             WHERE o.x > b.lo AND o.x < b.hi AND o.prev > b.lo AND o.prev < b.hi
             GROUP BY o.inst
        ), diffs AS (
            SELECT o.inst, o.c, o.pos, o.x, o.prev,
                   CASE WHEN o.x > b.lo + w.w AND o.x < b.hi - w.w AND o.prev > b.lo + w.w AND o.prev < b.hi - w.w
                        THEN o.x - o.prev END AS d
              FROM ordered o JOIN bounds b USING (inst) JOIN band w USING (inst)
        ), trajs AS (
            SELECT inst, c, @extschema@.trajectory(pos, x) AS t FROM diffs GROUP BY inst, c
        ), e0 AS (
            SELECT inst, sqrt(avg(d * d) / 2) AS e FROM diffs WHERE d IS NOT NULL GROUP BY inst
        ), out0 AS (
            SELECT tr.inst, tr.c, p.pos
              FROM trajs tr JOIN e0 USING (inst),
                   LATERAL @extschema@.ruptures(tr.t, 'level', sd => e0.e::numeric, reliability => 0) x,
                   LATERAL (VALUES (x.seq), (x.repaired_seq)) p(pos)
             WHERE e0.e > 0 AND p.pos IS NOT NULL
        ), e1 AS (
            SELECT d.inst, sqrt(avg(d.d * d.d) / 2) AS e FROM diffs d
             WHERE d.d IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM out0 o WHERE o.inst = d.inst AND o.c = d.c AND o.pos = d.pos)
             GROUP BY d.inst
        ), out1 AS (
            SELECT tr.inst, tr.c, p.pos
              FROM trajs tr JOIN e1 USING (inst),
                   LATERAL @extschema@.ruptures(tr.t, 'level', sd => e1.e::numeric, reliability => 0) x,
                   LATERAL (VALUES (x.seq), (x.repaired_seq)) p(pos)
             WHERE e1.e > 0 AND p.pos IS NOT NULL
        ), resid AS (
            SELECT o.inst, o.c, o.pos, o.x - avg(o.prev) OVER w3 AS r, count(o.prev) OVER w3 AS nb,
                   bool_and(dd.d IS NOT NULL) OVER w3 AS inside
              FROM ordered o JOIN diffs dd USING (inst, c, pos)
            WINDOW w3 AS (PARTITION BY o.inst, o.c ORDER BY o.pos ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)
        ), err AS (
            SELECT r.inst, sqrt(0.75 * avg(r.r * r.r)) AS e
              FROM resid r
             WHERE r.nb = 3 AND r.inside
               AND NOT EXISTS (SELECT 1 FROM out1 o WHERE o.inst = r.inst AND o.c = r.c
                                                      AND o.pos IN (r.pos, r.pos - 1, r.pos - 2, r.pos - 3))
             GROUP BY r.inst
        ), totals AS (
            SELECT inst, count(DISTINCT c)::integer AS clients, count(*)::integer AS sessions,
                   stddev_samp(x) AS sd, @extschema@.alpha(r) AS alpha
              FROM used GROUP BY inst
        ), retest AS (
            SELECT inst, corr(x, prev) AS r FROM diffs WHERE prev IS NOT NULL GROUP BY inst
        ), everyone AS (
            SELECT inst, count(*)::integer AS eligible
              FROM (SELECT inst, c FROM per_client WHERE n >= %5$s) e GROUP BY inst
        )
        SELECT i.inst, coalesce(v.eligible, 0) AS eligible, t.clients, t.sessions,
               err.e, t.sd, rt.r, t.alpha
          FROM (SELECT DISTINCT inst FROM scored) i
          LEFT JOIN everyone v USING (inst)
          LEFT JOIN totals t USING (inst)
          LEFT JOIN err USING (inst)
          LEFT JOIN retest rt USING (inst)
         ORDER BY i.inst
    $q$, source, client, session_key, response, min_sessions)
    LOOP
        IF rec.eligible OPERATOR(pg_catalog.<) min_clients OR rec.e IS NULL OR rec.e OPERATOR(pg_catalog.<=) 0 THEN
            RAISE WARNING 'instrument "%" not calibrated: % clients with % or more scored sessions; calibration needs at least %',
                rec.inst, rec.eligible, min_sessions, min_clients
                USING DETAIL = 'Its norms stay as they were (see alliance.instruments).';
            CONTINUE;
        END IF;
        found_any := true;
        instrument := rec.inst;
        clients := rec.clients;
        sessions := rec.sessions;
        error_sd := pg_catalog.round(rec.e::numeric, 4);
        sd := pg_catalog.round(GREATEST(rec.sd, rec.e)::numeric, 4);
        -- not rounded: sd * sqrt(1 - reliability) must give error_sd back
        reliability := 1 OPERATOR(pg_catalog.-) ((error_sd OPERATOR(pg_catalog./) sd) OPERATOR(pg_catalog.^) 2);
        IF reliability OPERATOR(pg_catalog.>=) 1 THEN
            reliability := 0.9999;
        END IF;
        retest_r := pg_catalog.round(rec.r::numeric, 4);
        alpha := pg_catalog.round(rec.alpha, 4);
        SELECT pg_catalog.round(((i.norms OPERATOR(pg_catalog.->>) 'sd')::numeric
                                 OPERATOR(pg_catalog.*) pg_catalog.sqrt(1 OPERATOR(pg_catalog.-) (i.norms OPERATOR(pg_catalog.->>) 'reliability')::numeric)), 4)
          INTO published_error_sd
          FROM @extschema@.builtin_instruments() i WHERE i.code OPERATOR(pg_catalog.=) rec.inst;
        INSERT INTO @extschema@.calibrated_norms AS n
               (instrument, sd, reliability, error_sd, retest_r, alpha, clients, sessions, source)
        VALUES (rec.inst, sd, reliability, error_sd, retest_r, alpha, clients, sessions, src)
        ON CONFLICT ON CONSTRAINT calibrated_norms_pkey DO UPDATE
           SET sd = excluded.sd, reliability = excluded.reliability, error_sd = excluded.error_sd,
               retest_r = excluded.retest_r, alpha = excluded.alpha, clients = excluded.clients,
               sessions = excluded.sessions, source = excluded.source,
               calibrated_at = pg_catalog.now(), calibrated_by = CURRENT_USER;
        RETURN NEXT;
    END LOOP;
    IF NOT found_any THEN
        RAISE EXCEPTION 'too little data to calibrate from %', src
            USING ERRCODE = 'data_exception',
                  DETAIL = pg_catalog.format('Calibration needs, per instrument, at least %s clients with %s or more scored sessions.', min_clients, min_sessions),
                  HINT = 'Keep the published norms until the clinic has that much data (alliance.instruments shows them).';
    END IF;
END $$;
COMMENT ON FUNCTION @extschema@.calibrate(regclass, name, name, name) IS
    'Estimates each instrument''s norms from a table of sessions (client, session key and response columns): the error SD of a session around its 3-session level, which ruptures do not inflate (the sessions around the ruptures the default rule finds are left out), the SD of a session''s score, reliability = 1 - (error_sd/sd)^2, the correlation of successive sessions and alpha, with the numbers of clients and sessions; stores them in alliance.calibrated_norms as the instrument''s active norms. Needs at least 30 clients with 4 or more scored sessions per instrument';

CREATE FUNCTION @extschema@.reset_norms(instrument text) RETURNS boolean
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE STRICT
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM @extschema@.builtin_instruments() b WHERE b.code OPERATOR(pg_catalog.=) reset_norms.instrument)
       AND NOT EXISTS (SELECT 1 FROM @extschema@.custom_instruments c WHERE c.code OPERATOR(pg_catalog.=) reset_norms.instrument)
       AND NOT EXISTS (SELECT 1 FROM @extschema@.calibrated_norms n WHERE n.instrument OPERATOR(pg_catalog.=) reset_norms.instrument) THEN
        RAISE EXCEPTION 'instrument "%" is not defined', reset_norms.instrument
            USING ERRCODE = 'undefined_object';
    END IF;
    DELETE FROM @extschema@.calibrated_norms n WHERE n.instrument OPERATOR(pg_catalog.=) reset_norms.instrument;
    RETURN FOUND;
END $$;
COMMENT ON FUNCTION @extschema@.reset_norms(text) IS
    'Removes the clinic''s calibration of an instrument, so that its published (or defined) norms apply again; true when there was one';

CREATE OR REPLACE VIEW @extschema@.instruments AS
    SELECT i.*,
           CASE WHEN n.instrument IS NOT NULL THEN 'clinic'
                WHEN i.norms ? 'sd' AND i.norms ? 'reliability' THEN CASE WHEN i.builtin THEN 'published' ELSE 'definition' END
           END AS norms_source,
           coalesce(n.sd, (i.norms ->> 'sd')::numeric) AS active_sd,
           coalesce(n.reliability, (i.norms ->> 'reliability')::numeric) AS active_reliability,
           coalesce(n.error_sd,
                    round((i.norms ->> 'sd')::numeric * sqrt(1 - (i.norms ->> 'reliability')::numeric), 4)) AS active_error_sd,
           CASE WHEN n.instrument IS NOT NULL THEN
               jsonb_build_object('clients', n.clients, 'sessions', n.sessions, 'retest_r', n.retest_r,
                                  'alpha', n.alpha, 'source', n.source, 'calibrated_at', n.calibrated_at,
                                  'calibrated_by', n.calibrated_by)
           END AS calibration
    FROM (SELECT * FROM @extschema@.builtin_instruments()
          UNION ALL
          SELECT c.code, c.name, c.items, c.min, c.max, c.step, c.reversed, c.scales, c.bordin, c.cutoff,
                 c.min_answered, c.score, c.norms, c.item_labels, c.link_ids, c.fhir_url, c.citation,
                 false, NULL::text, c.fingerprint, NULL::jsonb
          FROM @extschema@.custom_instruments c) i
    LEFT JOIN @extschema@.calibrated_norms n ON n.instrument = i.code;
COMMENT ON VIEW @extschema@.instruments IS
    'Every instrument this database knows, built-in and custom: code, items, range and step, reversed items, scales, Bordin mapping, cut-off, missing-item rule, score, norms (as published or defined), labels, citation, evidence mark (V verified, S secondary, D derived, R recalled; NULL for custom), definition fingerprint, item ranges, and the norms the rules use now: their source (clinic, published, definition), sd, reliability and error SD, with the calibration''s clients, sessions and date';

GRANT SELECT ON @extschema@.instruments TO PUBLIC;
GRANT SELECT ON @extschema@.calibrated_norms TO PUBLIC;
GRANT INSERT, UPDATE, DELETE, TRUNCATE ON @extschema@.calibrated_norms TO @extowner@ WITH GRANT OPTION;

-- ---------------------------------------------------------------------------
-- norms(response) reports how many complete responses alpha used (alpha_n):
-- alpha leaves out responses with a missing item, n counts every scored one.
ALTER TYPE @extschema@.norms ADD ATTRIBUTE alpha_n bigint;
COMMENT ON TYPE @extschema@.norms IS
    'Result of alliance.norms: n scored responses, the sample sd of their score, Cronbach''s alpha over the complete ones, and alpha_n, how many complete responses alpha used (0.2.0 on)';

-- ---------------------------------------------------------------------------
-- FHIR (doc/fhir.md): from_fhir reads by evidence that belongs to the
-- instrument (the comment says how); to_fhir takes its code system from the
-- setting alliance.fhir_base_url (so it is STABLE), writes referenceRange and
-- interpretation for instruments with a cut-off, and encounter and performer;
-- the CodeSystem of every code it writes.  A view that calls the 0.1.0
-- to_fhir must be dropped before the update and made again after it
-- (doc/upgrading.md).
COMMENT ON FUNCTION @extschema@.from_fhir(jsonb, text) IS
    'A FHIR QuestionnaireResponse (jsonb) as a response. The instrument is the argument, else the questionnaire canonical (a custom fhir_url, else its last path segment as a code, version ignored). Items are matched by evidence that belongs to the instrument: its link_ids, a linkId prefix naming it (waisr-7, srs-overall), or a bare number or label at the top of its own response or in a group named for it; groups are walked; values come from itemWeight/ordinalValue (on the coding or the answer), valueInteger/valueDecimal, or the weight a contained Questionnaire gives a code (a code alone is no value). Only completed or amended responses; malformed resources are 22023 errors naming the JSON path';
DO $alliance_upgrade$
DECLARE
    users pg_catalog.text;
BEGIN
    SELECT pg_catalog.string_agg(DISTINCT
               CASE WHEN d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_rewrite'::pg_catalog.regclass
                    THEN (SELECT 'view ' OPERATOR(pg_catalog.||) w.ev_class::pg_catalog.regclass::pg_catalog.text
                          FROM pg_catalog.pg_rewrite w WHERE w.oid OPERATOR(pg_catalog.=) d.objid)
                    ELSE pg_catalog.pg_describe_object(d.classid, d.objid, d.objsubid) END, ', ')
      INTO users
      FROM pg_catalog.pg_depend d
     WHERE d.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_proc'::pg_catalog.regclass
       AND d.refobjid OPERATOR(pg_catalog.=)
           '@extschema@.to_fhir(@extschema@.response, text, timestamptz, text, text)'::pg_catalog.regprocedure
       AND d.deptype OPERATOR(pg_catalog.=) 'n';
    IF users IS NOT NULL THEN
        RAISE EXCEPTION 'alliance 0.2.0 replaces to_fhir(response, text, timestamptz, text, text), and % use(s) it', users
            USING ERRCODE = '2BP01',
                  DETAIL = 'to_fhir gains encounter and performer and takes its code system from alliance.fhir_base_url.',
                  HINT = 'Drop those objects, run ALTER EXTENSION alliance UPDATE, then create them again '
                         'from the same SQL. See doc/upgrading.md.';
    END IF;
END
$alliance_upgrade$;
DROP FUNCTION @extschema@.to_fhir(@extschema@.response, text, timestamptz, text, text);
-- ------------------------------------------------------------ FHIR issues and bundles
-- Ruptures and alerts as FHIR DetectedIssues, and Bundles of resources
-- (doc/fhir.md, "Ruptures as DetectedIssue" and "Bundles").

-- The codes of the issues alliance finds, with the severity each is written
-- with: one list for to_fhir_detected_issue and the CodeSystem.
CREATE FUNCTION @extschema@.fhir_issue_concepts(OUT code text, OUT display text, OUT definition text, OUT severity text)
    RETURNS SETOF record
    LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT * FROM (VALUES
        ('rupture', 'Alliance rupture',
         'A fall of the alliance score by a rupture rule (the default: at least k error SDs below the level of the sessions before).',
         'moderate'),
        ('sudden_loss', 'Sudden loss of the alliance',
         'A large, lasting fall by the three sudden-loss criteria (Tang & DeRubeis), confirmed by the sessions after it.',
         'high'),
        ('below_cutoff', 'Alliance below the cut-off',
         'The score fell below the instrument''s cut-off (SRS 36): the alliance is at risk.',
         'low'),
        ('reliable_deterioration', 'Reliable deterioration',
         'The score is reliably below the client''s first session (Jacobson & Truax''s reliable change).',
         'high'),
        ('unseen_rupture', 'Rupture the therapist did not see',
         'The client''s rating shows a rupture that the therapist''s own rating of the same session, judged by the same rule, does not.',
         'moderate'),
        ('repaired', 'Repaired',
         'Mitigation: the series shows the repair (the score came back within the repair window).',
         NULL),
        ('acknowledged', 'Acknowledged',
         'Mitigation: a clinician acknowledged the issue.',
         NULL),
        ('resolved', 'Resolved by a clinician',
         'Mitigation: a clinician resolved the issue.',
         NULL)) v(code, display, definition, severity);
END;
COMMENT ON FUNCTION @extschema@.fhir_issue_concepts() IS
    'The codes of the issues alliance writes as DetectedIssue (rupture kinds, with their severity) and of their mitigations, as fhir_codesystem lists them';

-- A DetectedIssue from an alert row (to_jsonb of a row of a watched table's
-- alerts table) or from the same keys built by hand.
CREATE FUNCTION @extschema@.to_fhir_detected_issue(alert jsonb, patient text DEFAULT NULL,
        identified timestamptz DEFAULT NULL, implicated text[] DEFAULT NULL, code_system text DEFAULT NULL)
    RETURNS jsonb
    LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $body$
DECLARE
    cs text := @extschema@.fhir_code_system_url(code_system);
    c record;
    kind text;
    st text;
    words text;
    d jsonb;
    mitigation jsonb := '[]';
    issue jsonb;
BEGIN
    IF alert IS NULL THEN
        RETURN NULL;
    END IF;
    IF jsonb_typeof(alert) <> 'object' THEN
        RAISE EXCEPTION 'alert is a JSON %, not an object', jsonb_typeof(alert) USING ERRCODE = 'invalid_parameter_value',
            HINT = 'Pass to_jsonb(a) for a row a of an alerts table.';
    END IF;
    kind := alert->>'kind';
    SELECT * INTO c FROM @extschema@.fhir_issue_concepts() x WHERE x.code = kind AND x.severity IS NOT NULL;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'alert kind % is not one alliance writes', coalesce(quote_literal(kind), 'NULL')
            USING ERRCODE = 'invalid_parameter_value',
            HINT = 'Kinds: rupture, sudden_loss, below_cutoff, reliable_deterioration, unseen_rupture.';
    END IF;
    st := coalesce(alert->>'status', 'open');
    IF st NOT IN ('open', 'acknowledged', 'resolved') THEN
        RAISE EXCEPTION 'alert status % is not open, acknowledged or resolved', quote_literal(st)
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF patient = '' OR array_position(implicated, '') IS NOT NULL OR array_position(implicated, NULL) IS NOT NULL THEN
        RAISE EXCEPTION 'patient and implicated references may not be empty' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    d := coalesce(alert->'detail', '{}');
    words := c.display || coalesce(' (' || (alert->>'method') || ' rule)', '') || CASE
        WHEN d = '{}' THEN ''
        ELSE ': ' || CASE
        WHEN kind = 'unseen_rupture' THEN
            format('the client''s rating fell by %s POMP points, the therapist''s by %s', d->>'client_drop', coalesce(d->>'therapist_drop', 'nothing'))
        WHEN kind = 'reliable_deterioration' THEN
            format('score %s against %s at the first session (change %s)', d->>'score', d->>'baseline', d->>'delta')
        WHEN kind = 'below_cutoff' THEN
            format('score %s below the cut-off of %s', d->>'score', d->>'threshold')
        ELSE
            format('score %s, %s below the level of %s (threshold %s)', d->>'score', d->>'drop', d->>'level', d->>'threshold')
        END END || '.';
    IF alert->>'acknowledged_at' IS NOT NULL THEN
        mitigation := mitigation || jsonb_build_array(jsonb_strip_nulls(jsonb_build_object(
            'action', jsonb_build_object('coding', jsonb_build_array(jsonb_build_object('system', cs, 'code', 'acknowledged', 'display', 'Acknowledged')),
                                         'text', 'acknowledged' || coalesce(': ' || (alert->>'note'), '')),
            'date', to_char((alert->>'acknowledged_at')::timestamptz AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))));
    END IF;
    IF st = 'resolved' AND alert->>'resolved_by' IS DISTINCT FROM 'data changed' THEN
        mitigation := mitigation || jsonb_build_array(jsonb_strip_nulls(jsonb_build_object(
            'action', jsonb_build_object('coding', jsonb_build_array(jsonb_build_object('system', cs,
                                                   'code', CASE WHEN alert->>'resolved_by' = 'repair' THEN 'repaired' ELSE 'resolved' END,
                                                   'display', CASE WHEN alert->>'resolved_by' = 'repair' THEN 'Repaired' ELSE 'Resolved by a clinician' END)),
                                         'text', CASE WHEN alert->>'resolved_by' = 'repair' THEN 'the series shows the repair'
                                                      ELSE 'resolved' || coalesce(': ' || (alert->>'note'), '') END),
            'date', to_char((alert->>'resolved_at')::timestamptz AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))));
    END IF;
    issue := jsonb_build_object(
        'resourceType', 'DetectedIssue',
        -- open: not reviewed yet; acknowledged or resolved: reviewed; no
        -- longer supported by the data: cancelled
        'status', CASE WHEN st = 'open' THEN 'preliminary'
                       WHEN st = 'resolved' AND alert->>'resolved_by' = 'data changed' THEN 'cancelled'
                       ELSE 'final' END,
        'code', jsonb_build_object('coding', jsonb_build_array(jsonb_build_object('system', cs, 'code', kind, 'display', c.display)),
                                   'text', c.display),
        'severity', c.severity,
        'detail', words);
    IF patient IS NOT NULL THEN
        issue := issue || jsonb_build_object('patient', jsonb_build_object('reference', patient));
    END IF;
    IF identified IS NOT NULL THEN
        issue := issue || jsonb_build_object('identifiedDateTime', to_char(identified AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'));
    END IF;
    IF cardinality(implicated) > 0 THEN
        issue := issue || jsonb_build_object('implicated',
            (SELECT jsonb_agg(jsonb_build_object('reference', x) ORDER BY n) FROM unnest(implicated) WITH ORDINALITY u(x, n)));
    END IF;
    IF jsonb_array_length(mitigation) > 0 THEN
        issue := issue || jsonb_build_object('mitigation', mitigation);
    END IF;
    RETURN issue;
END
$body$;
COMMENT ON FUNCTION @extschema@.to_fhir_detected_issue(jsonb, text, timestamptz, text[], text) IS
    'A rupture alert (to_jsonb of an alerts-table row) as a FHIR R4 DetectedIssue: status preliminary (open), final (acknowledged or resolved), cancelled (no longer supported by the data); code the kind in the code system; severity by kind; detail in words; patient, identifiedDateTime (the session''s time) and implicated (the Observations of the sessions before and at the drop) when given; mitigation when acknowledged, repaired or resolved';

-- ... and from a rupture of ruptures()
CREATE FUNCTION @extschema@.to_fhir_detected_issue(r @extschema@.rupture, patient text DEFAULT NULL,
        implicated text[] DEFAULT NULL, method text DEFAULT NULL, code_system text DEFAULT NULL)
    RETURNS jsonb
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT @extschema@.to_fhir_detected_issue(
        jsonb_build_object('kind', CASE WHEN method = 'cutoff' THEN 'below_cutoff'
                                        WHEN method = 'sudden' THEN 'sudden_loss' ELSE 'rupture' END,
                           'method', coalesce(method, 'level'),
                           'status', CASE WHEN (r).state = 'repaired' THEN 'resolved' ELSE 'open' END,
                           'resolved_by', CASE WHEN (r).state = 'repaired' THEN 'repair' END,
                           'resolved_at', (r).repaired_time,
                           -- to 3 decimals, not to the last binary digit
                           'detail', jsonb_build_object(
                               'score', (r).score,
                               'level', CASE WHEN scale((r).previous_score) > 3 THEN round((r).previous_score, 3) ELSE (r).previous_score END,
                               'drop', CASE WHEN scale((r).drop) > 3 THEN round((r).drop, 3) ELSE (r).drop END,
                               'threshold', CASE WHEN scale((r).threshold) > 3 THEN round((r).threshold, 3) ELSE (r).threshold END)),
        patient, (r).at_time, implicated, code_system)
    -- a NULL rupture (every field NULL) is none
    WHERE (r).seq IS NOT NULL;
END;
COMMENT ON FUNCTION @extschema@.to_fhir_detected_issue(@extschema@.rupture, text, text[], text, text) IS
    'A rupture of ruptures() as a FHIR R4 DetectedIssue (see the alert form): repaired ruptures carry the repair as mitigation; identifiedDateTime is the session''s time for date and time keys; method names the rule the rupture was found by (NULL: level)';

-- ... and from where a client stands now (current())
CREATE FUNCTION @extschema@.to_fhir_detected_issue(c @extschema@.current_state, patient text DEFAULT NULL,
        implicated text[] DEFAULT NULL, code_system text DEFAULT NULL)
    RETURNS jsonb
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT @extschema@.to_fhir_detected_issue(
        jsonb_build_object('kind', CASE WHEN (c).state = 'below_cutoff' THEN 'below_cutoff' ELSE 'rupture' END,
                           'method', CASE WHEN (c).state = 'below_cutoff' THEN 'cutoff' ELSE 'level' END,
                           'status', CASE WHEN (c).state = 'repaired_recently' THEN 'resolved' ELSE 'open' END,
                           'resolved_by', CASE WHEN (c).state = 'repaired_recently' THEN 'repair' END),
        patient, (c).since_time, implicated, code_system)
    -- only the states that are an issue: an open rupture, a recent repair, below the cut-off
    WHERE (c).state IN ('open_rupture', 'repaired_recently', 'below_cutoff');
END;
COMMENT ON FUNCTION @extschema@.to_fhir_detected_issue(@extschema@.current_state, text, text[], text) IS
    'Where a client stands now (current()) as a FHIR R4 DetectedIssue: an open rupture (preliminary), a recent repair (final, with the repair as mitigation) or a score below the cut-off; identifiedDateTime the session it began at (date and time keys); NULL for declining, improving or stable';

-- Bundles: a night's resources in one request
CREATE FUNCTION @extschema@.fhir_bundle(resources jsonb[], type text DEFAULT 'collection') RETURNS jsonb
    LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $body$
DECLARE
    base text;
    entries jsonb;
BEGIN
    IF type IS NULL OR type NOT IN ('collection', 'transaction', 'batch') THEN
        RAISE EXCEPTION 'bundle type % is not collection, transaction or batch', coalesce(quote_literal(type), 'NULL')
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF EXISTS (SELECT 1 FROM unnest(resources) r WHERE r IS NULL OR jsonb_typeof(r) <> 'object'
                                                       OR jsonb_typeof(r->'resourceType') IS DISTINCT FROM 'string') THEN
        RAISE EXCEPTION 'every resource of a bundle is a JSON object with a resourceType'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    base := nullif(current_setting('alliance.fhir_base_url', true), '');
    SELECT jsonb_agg(e ORDER BY n) INTO entries
    FROM (SELECT n, jsonb_strip_nulls(jsonb_build_object(
                 -- a resource with an id has its URL on the server; one without gets a
                 -- urn:uuid the other entries of a transaction can refer to, made from
                 -- its place and content, so the same resources make the same Bundle
                 'fullUrl', CASE WHEN r ? 'id' AND base IS NOT NULL THEN base || '/' || (r->>'resourceType') || '/' || (r->>'id')
                                 ELSE 'urn:uuid:' || md5(n::text || ':' || r::text)::uuid END,
                 'resource', r,
                 'request', CASE WHEN type <> 'collection' THEN
                     CASE WHEN r ? 'id' THEN jsonb_build_object('method', 'PUT', 'url', (r->>'resourceType') || '/' || (r->>'id'))
                          ELSE jsonb_build_object('method', 'POST', 'url', r->>'resourceType') END END)) AS e
          FROM unnest(resources) WITH ORDINALITY u(r, n)) x;
    -- FHIR JSON has no empty arrays: no resources, no entry
    RETURN jsonb_strip_nulls(jsonb_build_object('resourceType', 'Bundle', 'type', type, 'entry', entries));
END
$body$;
COMMENT ON FUNCTION @extschema@.fhir_bundle(jsonb[], text) IS
    'A FHIR R4 Bundle of the resources: collection (the default), transaction or batch (with a request per entry: PUT <type>/<id> for a resource with an id, else POST <type>); fullUrl <alliance.fhir_base_url>/<type>/<id>, else a urn:uuid made from the entry''s place and content';

CREATE FUNCTION @extschema@.fhir_bundle_final(resources jsonb[]) RETURNS jsonb
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT @extschema@.fhir_bundle(coalesce(resources, '{}'), 'collection');
END;
COMMENT ON FUNCTION @extschema@.fhir_bundle_final(jsonb[]) IS
    'Final function of the aggregate alliance.fhir_bundle(resource)';
-- array_append appends in place to the aggregate's expanded array: linear in
-- the number of resources.  A transaction: fhir_bundle(array_agg(r), 'transaction').
CREATE AGGREGATE @extschema@.fhir_bundle(resource jsonb) (
    SFUNC = pg_catalog.array_append, STYPE = jsonb[],
    FINALFUNC = @extschema@.fhir_bundle_final, PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.fhir_bundle(jsonb) IS
    'The resources of a group as one FHIR R4 Bundle of type collection; for a transaction, fhir_bundle(array_agg(resource), ''transaction'')';

CREATE FUNCTION @extschema@.to_fhir(r @extschema@.response, subject text DEFAULT NULL,
    effective timestamptz DEFAULT NULL, derived_from text DEFAULT NULL,
    code_system text DEFAULT NULL, encounter text DEFAULT NULL, performer text DEFAULT NULL)
    RETURNS jsonb
    AS 'MODULE_PATHNAME', 'alliance_to_fhir' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.to_fhir(@extschema@.response, text, timestamptz, text, text, text, text) IS
    'The response''s score as a FHIR R4 Observation (category survey): code <instrument>-total (or -mean) in code_system (NULL: alliance.fhir_base_url''s, else a placeholder), an exact valueQuantity in {score} or a dataAbsentReason, referenceRange and interpretation (L below the cut-off, N otherwise) for instruments with a cut-off, one component per subscale, the scoring rule in method, effectiveDateTime in UTC, subject, encounter, performer and derivedFrom when given';

-- The code system of the codes alliance writes (doc/fhir.md).
CREATE FUNCTION @extschema@.fhir_code_system_url(url text DEFAULT NULL) RETURNS text
    AS 'MODULE_PATHNAME', 'alliance_fhir_code_system_url' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.fhir_code_system_url(text) IS
    'The canonical URL of alliance''s code system: url when given (it must be an absolute URI), else <alliance.fhir_base_url>/CodeSystem/alliance, else the placeholder urn:alliance:placeholder:code-system';
CREATE FUNCTION @extschema@.fhir_concepts(instrument text, OUT code text, OUT display text, OUT definition text)
    RETURNS SETOF record
    AS 'MODULE_PATHNAME', 'alliance_fhir_concepts' LANGUAGE C STABLE STRICT PARALLEL SAFE ROWS 5;
COMMENT ON FUNCTION @extschema@.fhir_concepts(text) IS
    'The codes to_fhir writes for an instrument (its score, its subscales; the PSQ''s report and items), with their display and definition, as fhir_codesystem lists them';
CREATE FUNCTION @extschema@.fhir_codesystem(url text DEFAULT NULL) RETURNS jsonb
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT jsonb_build_object(
        'resourceType', 'CodeSystem',
        'url', @extschema@.fhir_code_system_url(url),
        'version', (SELECT e.extversion FROM pg_catalog.pg_extension e WHERE e.extname = 'alliance'),
        'name', 'AllianceScores',
        'title', 'alliance: scores of therapeutic alliance questionnaires',
        'status', 'active',
        'experimental', false,
        'description', 'The codes alliance writes: the score of each questionnaire this database knows (built-in and custom), its subscales and the PSQ rupture report (Observations), and the kinds of rupture and their mitigations (DetectedIssues). No LOINC codes exist for these instruments.',
        'caseSensitive', true,
        'content', 'complete',
        'count', count(*),
        'concept', jsonb_agg(jsonb_build_object('code', c.code, 'display', c.display, 'definition', c.definition)
                             ORDER BY c.o1, c.o2, c.code))
    FROM (SELECT 0 AS o1, NOT i.builtin AS o2, x.code, x.display, x.definition
          FROM @extschema@.instruments i CROSS JOIN LATERAL @extschema@.fhir_concepts(i.code) x
          UNION ALL
          SELECT 1, false, y.code, y.display, y.definition FROM @extschema@.fhir_issue_concepts() y) c;
END;
COMMENT ON FUNCTION @extschema@.fhir_codesystem(text) IS
    'A FHIR R4 CodeSystem with every code alliance writes: to_fhir''s for the instruments this database knows (built-in and custom) and to_fhir_detected_issue''s, each with a display and a definition; url: its canonical (NULL: fhir_code_system_url())';

-- A Questionnaire for any instrument (doc/fhir.md, "Questionnaires").
CREATE FUNCTION @extschema@.fhir_questionnaire(instrument text) RETURNS jsonb
    AS 'MODULE_PATHNAME', 'alliance_fhir_questionnaire' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.fhir_questionnaire(text) IS
    'A FHIR R4 Questionnaire for an instrument: its canonical url, the definition fingerprint as version, linkIds as from_fhir matches them, choice items with an answerOption per answer carrying its weight (itemWeight and ordinalValue), or integer/decimal items with minValue/maxValue; labels only, no item wording; from_fhir reads its responses back exactly';

-- Every instrument a response holds (a PCOMS session: the SRS and the ORS).
CREATE FUNCTION @extschema@.from_fhir_held(questionnaire_response jsonb, instrument text) RETURNS @extschema@.response
    AS 'MODULE_PATHNAME', 'alliance_from_fhir_held' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.from_fhir_held(jsonb, text) IS
    'The response of the instrument a QuestionnaireResponse holds by evidence that belongs to it (its questionnaire canonical, a linkId prefix or a group naming it), or NULL when it holds none; errors in what it holds are errors';
CREATE FUNCTION @extschema@.from_fhir_all(questionnaire_response jsonb,
        OUT instrument text, OUT response @extschema@.response)
    RETURNS SETOF record
    LANGUAGE sql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT i.code, r
    FROM @extschema@.instruments i
    CROSS JOIN LATERAL @extschema@.from_fhir_held(questionnaire_response, i.code) r
    WHERE r IS NOT NULL
    ORDER BY i.builtin DESC, i.code;
END;
COMMENT ON FUNCTION @extschema@.from_fhir_all(jsonb) IS
    'Every instrument a QuestionnaireResponse holds, read as from_fhir reads it: the questionnaire''s own instrument, and any other whose items the response names by a linkId prefix or a group (a PCOMS session''s SRS and ORS)';

-- ------------------------------------------------------------ two raters
-- The client's and the therapist's view of one alliance (doc/dyad.md): the
-- gap between them per session, the dyad of their two series, the
-- agreement over a clinic, and the ruptures the client reported that the
-- therapist's own rating did not show.  Responses are compared on POMP.

CREATE TYPE @extschema@.gap AS (
    client_pomp numeric,
    therapist_pomp numeric,
    gap numeric,
    same_instrument boolean
);
COMMENT ON TYPE @extschema@.gap IS
    'Result of alliance.gap(): each side''s POMP, the gap (client − therapist) and whether both used one instrument';

CREATE FUNCTION @extschema@.gap(client @extschema@.response, therapist @extschema@.response) RETURNS @extschema@.gap
    LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT ROW(@extschema@.pomp(client), @extschema@.pomp(therapist),
               @extschema@.pomp(client) - @extschema@.pomp(therapist),
               @extschema@.instrument(client) = @extschema@.instrument(therapist))::@extschema@.gap;
END;
COMMENT ON FUNCTION @extschema@.gap(@extschema@.response, @extschema@.response) IS
    'The client''s and the therapist''s rating of one session on POMP, the gap (client − therapist) and whether both used one instrument; a side that is NULL or has no score (too many missing items, a PSQ) makes the gap NULL';

-- A dyad: each side's series on the dyad's scale (POMP for responses, a
-- PSQ's report as 1/0, numbers as given) and the instrument each side used.
CREATE TYPE @extschema@.dyad_trajectory AS (
    client @extschema@.trajectory,
    therapist @extschema@.trajectory,
    client_instrument text,
    therapist_instrument text
);
COMMENT ON TYPE @extschema@.dyad_trajectory IS
    'Result of alliance.dyad(): the client''s and the therapist''s series of one dyad on one scale (POMP for responses) and the instruments they used; a session rated by one side only is in that side''s series and never paired';

CREATE FUNCTION @extschema@.dyad_trans(internal, "any", "any", "any") RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1;
CREATE FUNCTION @extschema@.dyad_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1;
CREATE FUNCTION @extschema@.dyad_serial(internal) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1;
CREATE FUNCTION @extschema@.dyad_deserial(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1;
CREATE FUNCTION @extschema@.dyad_final(internal) RETURNS @extschema@.dyad_trajectory
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1;
COMMENT ON FUNCTION @extschema@.dyad_trans(internal, "any", "any", "any") IS
    'Transition function of alliance.dyad(session, client, therapist)';
COMMENT ON FUNCTION @extschema@.dyad_combine(internal, internal) IS
    'Combine function of alliance.dyad (parallel and partitionwise aggregation)';
COMMENT ON FUNCTION @extschema@.dyad_serial(internal) IS
    'Serialises a dyad aggregate state for parallel workers';
COMMENT ON FUNCTION @extschema@.dyad_deserial(bytea, internal) IS
    'Deserialises (and checks) a dyad aggregate state from a parallel worker';
COMMENT ON FUNCTION @extschema@.dyad_final(internal) IS
    'Final function of alliance.dyad: each side''s sorted series; a session a side rated twice is an error; never changes the state';

CREATE AGGREGATE @extschema@.dyad(session bigint, client numeric, therapist numeric) (
    SFUNC = @extschema@.dyad_trans, STYPE = internal, SSPACE = 2048,
    FINALFUNC = @extschema@.dyad_final, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = @extschema@.dyad_combine,
    SERIALFUNC = @extschema@.dyad_serial, DESERIALFUNC = @extschema@.dyad_deserial,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.dyad(bigint, numeric, numeric) IS
    'The client''s and the therapist''s series of one dyad keyed by integer sessions sessions, from numbers on one scale; a NULL side leaves that session to the other side alone';

CREATE AGGREGATE @extschema@.dyad(session bigint, client double precision, therapist double precision) (
    SFUNC = @extschema@.dyad_trans, STYPE = internal, SSPACE = 2048,
    FINALFUNC = @extschema@.dyad_final, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = @extschema@.dyad_combine,
    SERIALFUNC = @extschema@.dyad_serial, DESERIALFUNC = @extschema@.dyad_deserial,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.dyad(bigint, double precision, double precision) IS
    'The client''s and the therapist''s series of one dyad keyed by integer sessions sessions, from numbers on one scale; a NULL side leaves that session to the other side alone';

CREATE AGGREGATE @extschema@.dyad(session bigint, client @extschema@.response, therapist @extschema@.response) (
    SFUNC = @extschema@.dyad_trans, STYPE = internal, SSPACE = 2048,
    FINALFUNC = @extschema@.dyad_final, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = @extschema@.dyad_combine,
    SERIALFUNC = @extschema@.dyad_serial, DESERIALFUNC = @extschema@.dyad_deserial,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.dyad(bigint, @extschema@.response, @extschema@.response) IS
    'The client''s and the therapist''s series of one dyad keyed by integer sessions sessions, from responses, compared on POMP; a NULL side leaves that session to the other side alone';

CREATE AGGREGATE @extschema@.dyad(session date, client numeric, therapist numeric) (
    SFUNC = @extschema@.dyad_trans, STYPE = internal, SSPACE = 2048,
    FINALFUNC = @extschema@.dyad_final, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = @extschema@.dyad_combine,
    SERIALFUNC = @extschema@.dyad_serial, DESERIALFUNC = @extschema@.dyad_deserial,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.dyad(date, numeric, numeric) IS
    'The client''s and the therapist''s series of one dyad keyed by date sessions, from numbers on one scale; a NULL side leaves that session to the other side alone';

CREATE AGGREGATE @extschema@.dyad(session date, client double precision, therapist double precision) (
    SFUNC = @extschema@.dyad_trans, STYPE = internal, SSPACE = 2048,
    FINALFUNC = @extschema@.dyad_final, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = @extschema@.dyad_combine,
    SERIALFUNC = @extschema@.dyad_serial, DESERIALFUNC = @extschema@.dyad_deserial,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.dyad(date, double precision, double precision) IS
    'The client''s and the therapist''s series of one dyad keyed by date sessions, from numbers on one scale; a NULL side leaves that session to the other side alone';

CREATE AGGREGATE @extschema@.dyad(session date, client @extschema@.response, therapist @extschema@.response) (
    SFUNC = @extschema@.dyad_trans, STYPE = internal, SSPACE = 2048,
    FINALFUNC = @extschema@.dyad_final, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = @extschema@.dyad_combine,
    SERIALFUNC = @extschema@.dyad_serial, DESERIALFUNC = @extschema@.dyad_deserial,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.dyad(date, @extschema@.response, @extschema@.response) IS
    'The client''s and the therapist''s series of one dyad keyed by date sessions, from responses, compared on POMP; a NULL side leaves that session to the other side alone';

CREATE AGGREGATE @extschema@.dyad(session timestamp, client numeric, therapist numeric) (
    SFUNC = @extschema@.dyad_trans, STYPE = internal, SSPACE = 2048,
    FINALFUNC = @extschema@.dyad_final, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = @extschema@.dyad_combine,
    SERIALFUNC = @extschema@.dyad_serial, DESERIALFUNC = @extschema@.dyad_deserial,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.dyad(timestamp, numeric, numeric) IS
    'The client''s and the therapist''s series of one dyad keyed by timestamp sessions, from numbers on one scale; a NULL side leaves that session to the other side alone';

CREATE AGGREGATE @extschema@.dyad(session timestamp, client double precision, therapist double precision) (
    SFUNC = @extschema@.dyad_trans, STYPE = internal, SSPACE = 2048,
    FINALFUNC = @extschema@.dyad_final, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = @extschema@.dyad_combine,
    SERIALFUNC = @extschema@.dyad_serial, DESERIALFUNC = @extschema@.dyad_deserial,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.dyad(timestamp, double precision, double precision) IS
    'The client''s and the therapist''s series of one dyad keyed by timestamp sessions, from numbers on one scale; a NULL side leaves that session to the other side alone';

CREATE AGGREGATE @extschema@.dyad(session timestamp, client @extschema@.response, therapist @extschema@.response) (
    SFUNC = @extschema@.dyad_trans, STYPE = internal, SSPACE = 2048,
    FINALFUNC = @extschema@.dyad_final, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = @extschema@.dyad_combine,
    SERIALFUNC = @extschema@.dyad_serial, DESERIALFUNC = @extschema@.dyad_deserial,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.dyad(timestamp, @extschema@.response, @extschema@.response) IS
    'The client''s and the therapist''s series of one dyad keyed by timestamp sessions, from responses, compared on POMP; a NULL side leaves that session to the other side alone';

CREATE AGGREGATE @extschema@.dyad(session timestamptz, client numeric, therapist numeric) (
    SFUNC = @extschema@.dyad_trans, STYPE = internal, SSPACE = 2048,
    FINALFUNC = @extschema@.dyad_final, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = @extschema@.dyad_combine,
    SERIALFUNC = @extschema@.dyad_serial, DESERIALFUNC = @extschema@.dyad_deserial,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.dyad(timestamptz, numeric, numeric) IS
    'The client''s and the therapist''s series of one dyad keyed by timestamptz sessions, from numbers on one scale; a NULL side leaves that session to the other side alone';

CREATE AGGREGATE @extschema@.dyad(session timestamptz, client double precision, therapist double precision) (
    SFUNC = @extschema@.dyad_trans, STYPE = internal, SSPACE = 2048,
    FINALFUNC = @extschema@.dyad_final, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = @extschema@.dyad_combine,
    SERIALFUNC = @extschema@.dyad_serial, DESERIALFUNC = @extschema@.dyad_deserial,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.dyad(timestamptz, double precision, double precision) IS
    'The client''s and the therapist''s series of one dyad keyed by timestamptz sessions, from numbers on one scale; a NULL side leaves that session to the other side alone';

CREATE AGGREGATE @extschema@.dyad(session timestamptz, client @extschema@.response, therapist @extschema@.response) (
    SFUNC = @extschema@.dyad_trans, STYPE = internal, SSPACE = 2048,
    FINALFUNC = @extschema@.dyad_final, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = @extschema@.dyad_combine,
    SERIALFUNC = @extschema@.dyad_serial, DESERIALFUNC = @extschema@.dyad_deserial,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.dyad(timestamptz, @extschema@.response, @extschema@.response) IS
    'The client''s and the therapist''s series of one dyad keyed by timestamptz sessions, from responses, compared on POMP; a NULL side leaves that session to the other side alone';

CREATE FUNCTION @extschema@.paired_sessions(d @extschema@.dyad_trajectory) RETURNS integer
    AS 'MODULE_PATHNAME', 'dyad_paired_sessions' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.paired_sessions(@extschema@.dyad_trajectory) IS
    'Sessions both sides rated (a session rated by one side only is never paired)';
CREATE FUNCTION @extschema@.mean_gap(d @extschema@.dyad_trajectory) RETURNS double precision
    AS 'MODULE_PATHNAME', 'dyad_mean_gap' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.mean_gap(@extschema@.dyad_trajectory) IS
    'Mean gap (client − therapist) over the paired sessions; NULL when none is paired';
CREATE FUNCTION @extschema@.correlation(d @extschema@.dyad_trajectory) RETURNS double precision
    AS 'MODULE_PATHNAME', 'dyad_correlation' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.correlation(@extschema@.dyad_trajectory) IS
    'Pearson r of the client''s and the therapist''s ratings across the paired sessions (as corr()); NULL with fewer than 2 pairs or a side that does not vary';
CREATE FUNCTION @extschema@.gap_slope(d @extschema@.dyad_trajectory) RETURNS double precision
    AS 'MODULE_PATHNAME', 'dyad_gap_slope' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.gap_slope(@extschema@.dyad_trajectory) IS
    'Least-squares slope of the gap over the paired sessions, as slope(): per session number for int keys, per day for date and time keys; NULL with fewer than 2 pairs';
CREATE FUNCTION @extschema@.unseen(d @extschema@.dyad_trajectory,
        method text DEFAULT NULL, k numeric DEFAULT NULL, reference_sd numeric DEFAULT NULL,
        sd numeric DEFAULT NULL, reliability numeric DEFAULT NULL, points numeric DEFAULT NULL,
        cutoff numeric DEFAULT NULL, c1 numeric DEFAULT NULL, pct numeric DEFAULT 0.25,
        repair_window integer DEFAULT 3, eps numeric DEFAULT NULL)
    RETURNS TABLE (at_session bigint, at_time timestamptz, client_drop numeric, therapist_drop numeric)
    AS 'MODULE_PATHNAME', 'dyad_unseen' LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 2;
COMMENT ON FUNCTION @extschema@.unseen(@extschema@.dyad_trajectory, text, numeric, numeric, numeric, numeric, numeric, numeric, numeric, numeric, integer, numeric) IS
    'Over the sessions both sides rated: the client''s ruptures where the therapist''s series, judged by the same rule and parameters (those of ruptures(); the client instrument''s norms and cut-off on POMP by default), shows none; for PSQ pairs, the sessions the client reported a rupture and the therapist did not';

-- Agreement over any group: the figures of Tryon et al. (2007) for a clinic.
CREATE TYPE @extschema@.agreement AS (
    pairs bigint,
    unpaired bigint,
    r double precision,
    mean_difference double precision,
    sd_client double precision,
    sd_therapist double precision,
    d double precision
);
COMMENT ON TYPE @extschema@.agreement IS
    'Result of alliance.agreement(): pairs, sessions rated by one side only, Pearson r, mean difference (client − therapist), the sample SDs and d = mean difference / sqrt((SD_c² + SD_t²) / 2)';
CREATE FUNCTION @extschema@.agreement_trans(double precision[], "any", "any") RETURNS double precision[]
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1;
CREATE FUNCTION @extschema@.agreement_combine(double precision[], double precision[]) RETURNS double precision[]
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1;
CREATE FUNCTION @extschema@.agreement_final(double precision[]) RETURNS @extschema@.agreement
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1;
COMMENT ON FUNCTION @extschema@.agreement_trans(double precision[], "any", "any") IS
    'Transition function of alliance.agreement(client, therapist)';
COMMENT ON FUNCTION @extschema@.agreement_combine(double precision[], double precision[]) IS
    'Combine function of alliance.agreement (the merge of corr()''s sums)';
COMMENT ON FUNCTION @extschema@.agreement_final(double precision[]) IS
    'Final function of alliance.agreement';

CREATE AGGREGATE @extschema@.agreement(client numeric, therapist numeric) (
    SFUNC = @extschema@.agreement_trans, STYPE = double precision[], INITCOND = '{0,0,0,0,0,0,0}',
    FINALFUNC = @extschema@.agreement_final, COMBINEFUNC = @extschema@.agreement_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.agreement(numeric, numeric) IS
    'Agreement of client and therapist ratings over a group, from numbers on one scale: pairs, unpaired sessions, r, mean difference, SDs and d';

CREATE AGGREGATE @extschema@.agreement(client double precision, therapist double precision) (
    SFUNC = @extschema@.agreement_trans, STYPE = double precision[], INITCOND = '{0,0,0,0,0,0,0}',
    FINALFUNC = @extschema@.agreement_final, COMBINEFUNC = @extschema@.agreement_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.agreement(double precision, double precision) IS
    'Agreement of client and therapist ratings over a group, from numbers on one scale: pairs, unpaired sessions, r, mean difference, SDs and d';

CREATE AGGREGATE @extschema@.agreement(client @extschema@.response, therapist @extschema@.response) (
    SFUNC = @extschema@.agreement_trans, STYPE = double precision[], INITCOND = '{0,0,0,0,0,0,0}',
    FINALFUNC = @extschema@.agreement_final, COMBINEFUNC = @extschema@.agreement_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.agreement(@extschema@.response, @extschema@.response) IS
    'Agreement of client and therapist ratings over a group, from responses, compared on POMP: pairs, unpaired sessions, r, mean difference, SDs and d';

-- ------------------------------------------------------------ alerts
-- Alerts that reach the therapist (doc/alerts.md).  watch() puts three
-- statement-level triggers on a table of sessions; every INSERT, UPDATE,
-- DELETE or COPY judges the clients it touched with rupture_alert (the
-- prospective rule: one definition for the window function and the
-- triggers) and keeps the user's alerts table in step: new alerts raised and
-- notified on commit, alerts the data no longer supports resolved as
-- 'data changed', rupture alerts whose series shows the repair resolved as
-- 'repair'.  Nothing here is SECURITY DEFINER: the triggers run with the
-- rights of the role that writes the sessions.
--
-- What is watched lives in the triggers themselves: their arguments hold the
-- columns, the alerts table and the rules, so pg_dump dumps them with the
-- user's table and a restore keeps it watched, with no configuration table
-- that every role would need to write (alliance.watched reads them back).

-- The arguments of a trigger (pg_trigger.tgargs: each argument followed by
-- a zero byte) as text.
CREATE FUNCTION @extschema@.trigger_arguments(args bytea) RETURNS text[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp
    RETURN ARRAY(
        WITH RECURSIVE part(rest, arg, n) AS (
            SELECT args, NULL::bytea, 0
            UNION ALL
            SELECT substring(rest FROM position('\x00'::bytea IN rest) + 1),
                   substring(rest FROM 1 FOR position('\x00'::bytea IN rest) - 1), n + 1
            FROM part WHERE position('\x00'::bytea IN rest) > 0)
        SELECT convert_from(arg, pg_encoding_to_char((SELECT encoding FROM pg_database WHERE datname = current_database())))
        FROM part WHERE n > 0 ORDER BY n);
COMMENT ON FUNCTION @extschema@.trigger_arguments(bytea) IS
    'The arguments of a trigger (pg_trigger.tgargs) as text; alliance.watched reads the watch triggers with it';

-- The trigger body: judge the clients of the changed rows.  The rows a
-- statement changed arrive as the transition tables alliance_new and
-- alliance_old.
CREATE FUNCTION @extschema@.watch_judge() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $body$
DECLARE
    -- the arguments watch() gave the trigger: client, session and response
    -- columns, the alerts table, the methods
    w record;
    changed text;
    lock_key text;
    -- the rupture_alert rules (every method but sudden and reliable_change)
    window_methods text[];
    rupture_methods text[];
    has_sudden boolean;
    has_unseen boolean;
    -- the cut-off rule judges the instruments that have a cut-off: those
    -- codes, and the response argument of its window column
    cut_codes text[];
    cutoff_response text;
    therapist_column name;
    -- an unseen rupture's session as the source's session type, from unseen()'s columns
    unseen_key text;
    has_reliable boolean;
    alert_columns text;
    alert_values text;
    any_fired text;
    fired_parts text;
    kind_of text;
    extra_ctes text;
    work boolean;
    locks bigint;
    rows_changed numeric;
BEGIN
    SELECT TG_RELID::regclass AS source, TG_ARGV[0]::name AS client_column, TG_ARGV[1]::name AS session_column,
           TG_ARGV[2]::name AS response_column, to_regclass(TG_ARGV[3]) AS alerts, TG_ARGV[4]::text[] AS methods
    INTO w;
    IF w.alerts IS NULL THEN
        RAISE EXCEPTION 'the alerts table % of watched table % is gone', TG_ARGV[3], w.source
            USING ERRCODE = 'undefined_table',
            DETAIL = 'Sessions written now would raise no alert, so they are refused.',
            HINT = format('Run alliance.unwatch(%L) to stop watching, then alliance.watch again to start with a new alerts table.', w.source::text);
    END IF;
    window_methods := ARRAY(SELECT m FROM unnest(w.methods) m WHERE m NOT IN ('sudden', 'reliable_change', 'unseen'));
    rupture_methods := ARRAY(SELECT m FROM unnest(w.methods) m WHERE m NOT IN ('reliable_change', 'unseen'));
    has_sudden := 'sudden' = ANY (w.methods);
    has_reliable := 'reliable_change' = ANY (w.methods);
    has_unseen := 'unseen' = ANY (w.methods);
    IF 'cutoff' = ANY (w.methods) THEN
        -- a column of one instrument (response(srs)) keeps the rule only when
        -- that form has a cut-off (watch() decided); an open column is judged
        -- row by row: a form without a cut-off gets no cut-off alert
        SELECT substring(format_type(a.atttypid, a.atttypmod) FROM '\((.*)\)$') INTO cutoff_response
        FROM pg_catalog.pg_attribute a WHERE a.attrelid = TG_RELID AND a.attname = w.response_column;
        IF cutoff_response IS NULL THEN
            SELECT array_agg(i.code) INTO cut_codes
            FROM (SELECT b.code, b.cutoff FROM @extschema@.builtin_instruments() b
                  UNION ALL SELECT c.code, c.cutoff FROM @extschema@.custom_instruments c) i
            WHERE i.cutoff IS NOT NULL;
            cutoff_response := format('CASE WHEN @extschema@.instrument(t.%1$I) = ANY (%2$L::text[]) THEN t.%1$I END',
                                      w.response_column, cut_codes);
        ELSE
            cutoff_response := format('t.%I', w.response_column);
        END IF;
    END IF;
    therapist_column := nullif(TG_ARGV[7], '');
    IF has_unseen THEN
        SELECT CASE a.atttypid WHEN 'date'::regtype THEN '(u.at_time AT TIME ZONE ''UTC'')::date'
                               WHEN 'timestamp'::regtype THEN 'u.at_time AT TIME ZONE ''UTC'''
                               WHEN 'timestamptz'::regtype THEN 'u.at_time'
                               ELSE 'u.at_session' END
        INTO unseen_key
        FROM pg_catalog.pg_attribute a WHERE a.attrelid = TG_RELID AND a.attname = w.session_column;
    END IF;
    -- (client, session) of every row the statement changed, old and new
    changed := CASE TG_OP
        WHEN 'INSERT' THEN format('SELECT %1$I AS c, %2$I AS s FROM alliance_new', w.client_column, w.session_column)
        WHEN 'DELETE' THEN format('SELECT %1$I AS c, %2$I AS s FROM alliance_old', w.client_column, w.session_column)
        ELSE format('SELECT %1$I AS c, %2$I AS s FROM alliance_new UNION ALL SELECT %1$I, %2$I FROM alliance_old',
                    w.client_column, w.session_column) END;
    -- one writer per client at a time, locks taken in one order: two sessions
    -- of a client written at once are judged one after the other.  Clients
    -- share 256 locks per table (by hash), so a COPY of many thousand clients
    -- takes at most 256 locks, not one per client (the lock table is shared
    -- and small), and two writers of different clients rarely meet.
    lock_key := format('(%s::bigint << 32) | (pg_catalog.hashtext(c::text)::bigint & 255)', w.source::oid);
    EXECUTE format('SELECT count(pg_catalog.pg_advisory_xact_lock(k)), coalesce(sum(n), 0) FROM
                      (SELECT %s AS k, count(*) AS n FROM (%s) x WHERE c IS NOT NULL GROUP BY 1 ORDER BY 1) y',
                   lock_key, changed)
    INTO locks, rows_changed;
    -- one rupture_alert column per rule over one window: the client's
    -- sessions come in (client, session) order from the index, unsorted
    SELECT coalesce(string_agg(format(', @extschema@.rupture_alert(t.%I, %s, %L) OVER w AS f%s',
                                      w.session_column,
                                      CASE WHEN m = 'cutoff' THEN cutoff_response ELSE format('t.%I', w.response_column) END,
                                      m, i), '' ORDER BY i), ''),
           string_agg(format('(%L, j.f%s)', m, i), ', ' ORDER BY i),
           string_agg(format('j.f%s', i), ' OR ' ORDER BY i)
    INTO alert_columns, alert_values, any_fired
    FROM unnest(window_methods) WITH ORDINALITY u(m, i);
    -- Most writes of a session or a few raise nothing and find no alert to
    -- look after: a short query tells, and the long one below runs only when
    -- there is work.  (A bulk write nearly always has work: no need to ask;
    -- a sudden loss or a reliable deterioration is judged by the long one.)
    IF rows_changed <= 100 AND NOT has_sudden AND NOT has_reliable AND NOT has_unseen THEN
        EXECUTE format($q$
          WITH changed AS (
              SELECT c AS client, min(s) AS s0 FROM (%1$s) x WHERE c IS NOT NULL GROUP BY c),
          judged AS (
              SELECT t.%2$I AS client, t.%3$I AS session %6$s
              FROM %4$s t JOIN changed ch ON t.%2$I = ch.client
              WHERE t.%3$I IS NOT NULL AND t.%5$I IS NOT NULL
              WINDOW w AS (PARTITION BY t.%2$I ORDER BY t.%3$I))
          SELECT EXISTS (SELECT 1 FROM judged j JOIN changed ch ON ch.client = j.client
                         CROSS JOIN LATERAL (VALUES %7$s) m(method, f) WHERE m.f AND j.session >= ch.s0)
              OR EXISTS (SELECT 1 FROM %8$s a JOIN changed ch ON ch.client = a.client WHERE a.status <> 'resolved')
        $q$, changed, w.client_column, w.session_column, w.source, w.response_column, alert_columns, alert_values, w.alerts)
        INTO work;
        IF NOT work THEN
            RETURN NULL;
        END IF;
    END IF;
    -- the kind of alert each rule raises, as an expression over a method column
    kind_of := $k$CASE %s WHEN 'cutoff' THEN 'below_cutoff' WHEN 'sudden' THEN 'sudden_loss'
                      WHEN 'reliable_change' THEN 'reliable_deterioration' WHEN 'unseen' THEN 'unseen_rupture'
                      ELSE 'rupture' END$k$;
    -- the alerts that hold from each client's earliest changed session on:
    -- (client, session, pos, response, method, detail), detail NULL where
    -- ruptures() gives the numbers
    fired_parts := concat_ws(' UNION ALL ',
        CASE WHEN cardinality(window_methods) > 0 THEN format($f$
          SELECT j.client, j.session, j.pos, j.response, m.method, NULL::jsonb AS detail
          FROM judged j JOIN changed ch ON ch.client = j.client
          CROSS JOIN LATERAL (VALUES %s) m(method, f)
          -- the sessions where some rule fired, before the one row per rule
          WHERE (%s) AND m.f AND j.session >= ch.s0$f$, alert_values, any_fired) END,
        -- a reliable deterioration: reliably below the client's first session
        -- (reliable_change), raised where it begins
        CASE WHEN has_reliable THEN $f$
          SELECT d.client, d.session, d.pos, d.response, 'reliable_change', jsonb_strip_nulls(jsonb_build_object(
                     'score', @extschema@.score(d.response), 'baseline', @extschema@.score(d.baseline),
                     'delta', d.delta, 'rci', round(d.rci::numeric, 3)))
          FROM deteriorated d JOIN changed ch ON ch.client = d.client
          WHERE d.worse AND NOT d.worse_before AND d.session >= ch.s0$f$ END,
        -- a sudden loss: ruptures(…, 'sudden') over the sessions so far, when
        -- the session after the drop or the one after that is written
        CASE WHEN has_sudden THEN $f$
          SELECT * FROM (
              SELECT DISTINCT ON (s.client, s.seq) s.client, j.session, j.pos, j.response, 'sudden',
                     jsonb_build_object('score', @extschema@.score(j.response), 'level', s.previous_score,
                                        'drop', s.drop, 'threshold', round(s.threshold, 3))
              FROM sudden s JOIN judged j ON j.client = s.client AND j.pos = s.seq
              ORDER BY s.client, s.seq, s.upto) l$f$ END,
        -- an unseen rupture: unseen() of the dyad of the sessions so far
        CASE WHEN has_unseen THEN $f$
          SELECT * FROM (
              SELECT DISTINCT ON (u.client, u.session) u.client, u.session, NULL::bigint, u.response, 'unseen',
                     jsonb_strip_nulls(jsonb_build_object(
                         'client_drop', CASE WHEN scale(u.client_drop) > 3 THEN round(u.client_drop, 3) ELSE u.client_drop END,
                         'therapist_drop', CASE WHEN scale(u.therapist_drop) > 3 THEN round(u.therapist_drop, 3) ELSE u.therapist_drop END,
                         'client_pomp', @extschema@.pomp(u.response), 'therapist_pomp', @extschema@.pomp(u.therapist)))
              FROM unseen u
              ORDER BY u.client, u.session, u.upto) l$f$ END);
    -- the CTEs of the two rules that are not rupture_alert's, only when used
    -- (a watch with the defaults runs the short query it always ran)
    extra_ctes := concat(
        CASE WHEN has_reliable THEN $c$
      deteriorated AS (
          SELECT x.*, coalesce(lag(x.worse) OVER (PARTITION BY x.client ORDER BY x.pos), false) AS worse_before
          FROM (SELECT j.client, j.session, j.pos, j.response, j.baseline, rc.delta, rc.rci,
                       coalesce(rc.reliable AND rc.direction = 'deteriorated', false) AS worse
                FROM judged j CROSS JOIN LATERAL @extschema@.reliable_change(j.baseline, j.response) rc) x),$c$ END,
        CASE WHEN has_sudden THEN $c$
      -- from which session a client's sudden losses are judged again: two
      -- sessions before the earliest changed one (key0 NULL: all of them)
      sudden_scope AS (
          SELECT s.client, s.p0, (SELECT j.session FROM judged j WHERE j.client = s.client AND j.pos = s.p0) AS key0
          FROM (SELECT ch.client, coalesce(min(j.pos) FILTER (WHERE j.session >= ch.s0), max(j.pos) + 1, 1) - 2 AS p0
                FROM changed ch LEFT JOIN judged j ON j.client = ch.client
                GROUP BY ch.client, ch.s0) s),
      sudden AS (
          SELECT p.client, p.pos AS upto, r.seq, r.previous_score, r.drop, r.threshold
          FROM sudden_scope sc
          JOIN judged p ON p.client = sc.client AND p.pos >= sc.p0 + 1
          CROSS JOIN LATERAL (SELECT @extschema@.trajectory(k.session, k.response) AS t FROM judged k
                              WHERE k.client = p.client AND k.pos <= p.pos) x
          CROSS JOIN LATERAL @extschema@.ruptures(x.t, 'sudden') r
          WHERE r.seq IN (p.pos - 1, p.pos - 2) AND r.seq >= sc.p0),$c$ END,
        CASE WHEN has_unseen THEN format($c$
      -- the sessions either side rated, for the dyads
      rated AS MATERIALIZED (
          SELECT t.%1$I AS client, t.%2$I AS session, t.%3$I AS response, t.%4$I AS therapist,
                 row_number() OVER (PARTITION BY t.%1$I ORDER BY t.%2$I) AS pos
          FROM %5$s t JOIN changed ch ON t.%1$I = ch.client
          WHERE t.%2$I IS NOT NULL AND (t.%3$I IS NOT NULL OR t.%4$I IS NOT NULL)),
      -- from which session a client's unseen ruptures are judged again: one
      -- before the earliest changed one (the default rule reports a drop held
      -- over two sessions at the first); key0 NULL: all of them
      unseen_scope AS (
          SELECT s.client, s.p0, (SELECT r.session FROM rated r WHERE r.client = s.client AND r.pos = s.p0) AS key0
          FROM (SELECT ch.client, coalesce(min(r.pos) FILTER (WHERE r.session >= ch.s0), max(r.pos) + 1, 1) - 1 AS p0
                FROM changed ch LEFT JOIN rated r ON r.client = ch.client
                GROUP BY ch.client, ch.s0) s),
      unseen AS (
          SELECT p.client, p.pos AS upto, j.session, j.response, j.therapist, u.client_drop, u.therapist_drop
          FROM unseen_scope sc
          JOIN rated p ON p.client = sc.client AND p.pos >= sc.p0
          CROSS JOIN LATERAL (SELECT @extschema@.dyad(k.session, k.response, k.therapist) AS d FROM rated k
                              WHERE k.client = p.client AND k.pos <= p.pos) x
          CROSS JOIN LATERAL @extschema@.unseen(x.d) u
          JOIN rated j ON j.client = p.client AND j.session = %6$s
          WHERE j.pos >= sc.p0),$c$, w.client_column, w.session_column, w.response_column, therapist_column, w.source, unseen_key) END);
    -- Judge every session from the earliest changed one on (the rules look
    -- only backwards, so earlier sessions' decisions cannot change; a sudden
    -- loss looks two sessions ahead, so from two sessions before); raise
    -- what holds and is not raised, resolve what no longer holds, resolve by
    -- repair the alerts whose series shows the repair.
    EXECUTE format($q$
      WITH changed AS (
          SELECT c AS client, min(s) AS s0 FROM (%1$s) x WHERE c IS NOT NULL GROUP BY c),
      judged AS MATERIALIZED (
          SELECT t.%2$I AS client, t.%3$I AS session, t.%4$I AS response, row_number() OVER w AS pos %10$s %9$s
          FROM %5$s t JOIN changed ch ON t.%2$I = ch.client
          WHERE t.%3$I IS NOT NULL AND t.%4$I IS NOT NULL
          WINDOW w AS (PARTITION BY t.%2$I ORDER BY t.%3$I)),%11$s
      fired AS (
          SELECT f.*, %12$s AS kind FROM (%14$s) f (client, session, pos, response, method, detail)),
      current_alerts AS (
          SELECT a.id, a.client, a.session_key, a.kind, a.method,
                 %13$s
                 AND NOT EXISTS (
                     SELECT 1 FROM fired f WHERE f.client = a.client AND f.session = a.session_key
                                             AND f.method = a.method AND f.kind = a.kind) AS gone
          FROM %7$s a JOIN changed ch ON ch.client = a.client
          WHERE a.status <> 'resolved' AND a.method = ANY (%6$L::text[]) AND a.kind = %16$s),
      -- ruptures() of the clients with an alert to raise or to look after: the
      -- numbers of the alert and whether the series shows the repair
      rupt AS (
          SELECT x.client, m.method, r.seq, r.previous_score, r.drop, r.threshold, r.state
          FROM (SELECT j.client, @extschema@.trajectory(j.session, j.response) AS t,
                       min(@extschema@.instrument(j.response)) AS code FROM judged j
                WHERE j.client IN (SELECT client FROM fired UNION SELECT client FROM current_alerts)
                GROUP BY j.client) x
          CROSS JOIN unnest(%15$L::text[]) m(method)
          -- a sudden loss is found from the sessions up to two after it; its
          -- repair is ruptures()' repair rule for the fall at its session
          -- (the drop rule reports every fall, with that repair)
          CROSS JOIN LATERAL @extschema@.ruptures(x.t, CASE m.method WHEN 'sudden' THEN 'drop' ELSE m.method END) r
          WHERE m.method <> 'cutoff' OR %19$L::text[] IS NULL OR x.code = ANY (%19$L::text[])),
      -- an alert's rupture: ruptures() reports it at the alert's session, or
      -- for a drop held over two sessions at the one before (a sudden loss:
      -- at its session)
      hits AS (
          SELECT DISTINCT ON (f.client, f.method, f.session)
                 f.client, f.session, f.method, f.kind, f.detail,
                 @extschema@.score(f.response) AS score, r.previous_score, r.drop, r.threshold, r.state
          FROM fired f
          LEFT JOIN rupt r ON r.client = f.client AND r.method = f.method
                          AND r.seq BETWEEN f.pos - CASE f.method WHEN 'sudden' THEN 0 ELSE 1 END AND f.pos
          ORDER BY f.client, f.method, f.session, r.seq DESC),
      -- the alerts whose series shows the repair: a rupture's or a sudden
      -- loss's by ruptures(); a reliable deterioration is over at the first
      -- later session that is not reliably below the first one
      repairs AS (
          SELECT x.id FROM (
              SELECT DISTINCT ON (c.id) c.id, r.state
              FROM current_alerts c
              JOIN judged j ON j.client = c.client AND j.session = c.session_key
              JOIN rupt r ON r.client = c.client AND r.method = c.method
                         AND r.seq BETWEEN j.pos - CASE c.method WHEN 'sudden' THEN 0 ELSE 1 END AND j.pos
              WHERE NOT c.gone AND c.kind IN ('rupture', 'sudden_loss')
              ORDER BY c.id, r.seq DESC) x
          WHERE x.state = 'repaired'%17$s),
      -- a rupture already repaired by the same statement's later sessions is
      -- raised resolved by the repair (it happened; it needs no action now)
      raised AS (
          INSERT INTO %7$s AS a (client, session_key, kind, method, detail, status, resolved_by, resolved_at)
          SELECT h.client, h.session, h.kind, h.method,
                 -- the level of a mean is shown to 3 decimals, not to the last binary digit
                 coalesce(h.detail, jsonb_strip_nulls(jsonb_build_object(
                     'score', h.score,
                     'level', CASE WHEN scale(h.previous_score) > 3 THEN round(h.previous_score, 3) ELSE h.previous_score END,
                     'drop', CASE WHEN scale(h.drop) > 3 THEN round(h.drop, 3) ELSE h.drop END,
                     'threshold', CASE WHEN scale(h.threshold) > 3 THEN round(h.threshold, 3) ELSE h.threshold END))),
                 CASE WHEN h.over THEN 'resolved' ELSE 'open' END,
                 CASE WHEN h.over THEN 'repair' END,
                 CASE WHEN h.over THEN pg_catalog.now() END
          FROM (SELECT h.*, (h.kind IN ('rupture', 'sudden_loss') AND h.state IS NOT DISTINCT FROM 'repaired')%18$s AS over
                FROM hits h) h
          ON CONFLICT (client, session_key, kind, method) DO UPDATE
              SET status = EXCLUDED.status, detail = EXCLUDED.detail, raised_at = pg_catalog.now(),
                  acknowledged_by = NULL, acknowledged_at = NULL,
                  resolved_by = EXCLUDED.resolved_by, resolved_at = EXCLUDED.resolved_at
              WHERE a.status = 'resolved' AND a.resolved_by = 'data changed'
          RETURNING a.id, a.client),
      dropped AS (
          UPDATE %7$s a SET status = 'resolved', resolved_by = 'data changed', resolved_at = pg_catalog.now()
          FROM current_alerts c WHERE a.id = c.id AND c.gone
          RETURNING a.id),
      repaired AS (
          UPDATE %7$s a SET status = 'resolved', resolved_by = 'repair', resolved_at = pg_catalog.now()
          FROM repairs r WHERE a.id = r.id
          RETURNING a.id)
      SELECT (SELECT count(pg_catalog.pg_notify('alliance_alert',
                         jsonb_build_object('alert', id, 'table', %8$L, 'client', to_jsonb(client))::text)) FROM raised),
             (SELECT count(*) FROM dropped), (SELECT count(*) FROM repaired)
    $q$, changed, w.client_column, w.session_column, w.response_column, w.source, w.methods, w.alerts,
         w.alerts::text, alert_columns,
         CASE WHEN has_reliable THEN format(', first_value(t.%I) OVER w AS baseline', w.response_column) END,
         extra_ctes, format(kind_of, 'f.method'),
         -- which open alerts the changed sessions may have made wrong
         CASE WHEN NOT (has_sudden OR has_unseen) THEN 'a.session_key >= ch.s0' ELSE
         format('CASE %s %s ELSE a.session_key >= ch.s0 END',
                CASE WHEN has_sudden THEN $g$WHEN a.kind = 'sudden_loss'
                      THEN (SELECT sc.key0 IS NULL OR a.session_key >= sc.key0 FROM sudden_scope sc WHERE sc.client = a.client)$g$ END,
                CASE WHEN has_unseen THEN $g$WHEN a.kind = 'unseen_rupture'
                      THEN (SELECT sc.key0 IS NULL OR a.session_key >= sc.key0 FROM unseen_scope sc WHERE sc.client = a.client)$g$ END) END,
         fired_parts, rupture_methods, format(kind_of, 'a.method'),
         CASE WHEN has_reliable THEN $r$
          UNION
          SELECT c.id FROM current_alerts c
          WHERE NOT c.gone AND c.kind = 'reliable_deterioration'
            AND EXISTS (SELECT 1 FROM deteriorated d WHERE d.client = c.client AND d.session > c.session_key AND NOT d.worse)$r$ END,
         CASE WHEN has_reliable THEN $r$
                   OR (h.kind = 'reliable_deterioration' AND EXISTS (
                       SELECT 1 FROM deteriorated d WHERE d.client = h.client AND d.session > h.session AND NOT d.worse))$r$ END,
         cut_codes);
    RETURN NULL;
END
$body$;
COMMENT ON FUNCTION @extschema@.watch_judge() IS
    'Trigger of a watched table (alliance.watch): judges the clients of the changed rows with rupture_alert and keeps the alerts table in step';

-- What is watched, read back from the triggers watch() made.
CREATE VIEW @extschema@.watched AS
SELECT t.tgrelid::regclass AS source, to_regclass(a[4]) AS alerts, a[1]::name AS client_column,
       a[2]::name AS session_column, a[3]::name AS response_column, a[5]::text[] AS methods,
       a[6]::name AS watched_by, a[7]::timestamptz AS watched_at, nullif(a[8], '')::name AS therapist_column
FROM pg_catalog.pg_trigger t, LATERAL (SELECT @extschema@.trigger_arguments(t.tgargs) AS a) x
WHERE t.tgname = 'alliance_watch_insert' AND t.tgfoid = '@extschema@.watch_judge()'::regprocedure;
COMMENT ON VIEW @extschema@.watched IS
    'The tables of sessions alliance.watch() watches: their alerts table (NULL when it is gone), columns, rules, who started watching and when; read from the watch triggers, so pg_dump keeps them with the tables';
GRANT SELECT ON @extschema@.watched TO PUBLIC;

-- The rules an alert can use: the rupture_alert methods that need no
-- parameter beyond the instrument's norms and cut-off, the sudden loss and
-- the reliable deterioration from the first session (doc/alerts.md).
CREATE FUNCTION @extschema@.watch(source regclass, client name, session_key name, response name,
        alerts regclass DEFAULT NULL, methods text[] DEFAULT NULL, therapist name DEFAULT NULL) RETURNS regclass
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $body$
DECLARE
    src record;
    client_att record;
    session_att record;
    response_att record;
    therapist_att record;
    typed_code text;
    -- the clinical defaults; with the therapist's form, the unseen rupture too
    ms text[] := coalesce(methods, CASE WHEN therapist IS NULL THEN ARRAY['level', 'cutoff']
                                        ELSE ARRAY['level', 'cutoff', 'unseen'] END);
    m text;
    alerts_schema name;
    alerts_name name;
    target regclass := alerts;
    missing text;
    args text;
BEGIN
    IF source IS NULL OR client IS NULL OR session_key IS NULL OR response IS NULL THEN
        RAISE EXCEPTION 'watch needs a table and its client, session and response columns'
            USING ERRCODE = 'null_value_not_allowed';
    END IF;
    SELECT c.oid, c.relname, n.nspname, c.relkind, c.relowner INTO src
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = source;
    IF src.relkind NOT IN ('r', 'p') THEN
        RAISE EXCEPTION '% is not a table', source USING ERRCODE = 'wrong_object_type',
            HINT = 'Watch the table the sessions are written to.';
    END IF;
    IF EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = source AND t.tgname = 'alliance_watch_insert') THEN
        RAISE EXCEPTION 'table % is already watched', source USING ERRCODE = 'duplicate_object',
            HINT = format('To change how, run alliance.unwatch(%L) first; its alerts are kept.', source::text);
    END IF;
    SELECT attnum, atttypid INTO client_att FROM pg_attribute
    WHERE attrelid = source AND attname = client AND attnum > 0 AND NOT attisdropped;
    SELECT attnum, atttypid INTO session_att FROM pg_attribute
    WHERE attrelid = source AND attname = session_key AND attnum > 0 AND NOT attisdropped;
    SELECT attnum, atttypid, atttypmod INTO response_att FROM pg_attribute
    WHERE attrelid = source AND attname = response AND attnum > 0 AND NOT attisdropped;
    IF client_att.attnum IS NULL OR session_att.attnum IS NULL OR response_att.attnum IS NULL THEN
        RAISE EXCEPTION 'table % has no column %', source,
            quote_ident(CASE WHEN client_att.attnum IS NULL THEN client
                             WHEN session_att.attnum IS NULL THEN session_key ELSE response END)
            USING ERRCODE = 'undefined_column';
    END IF;
    IF therapist IS NOT NULL THEN
        SELECT attnum, atttypid INTO therapist_att FROM pg_attribute
        WHERE attrelid = source AND attname = therapist AND attnum > 0 AND NOT attisdropped;
        IF therapist_att.attnum IS NULL THEN
            RAISE EXCEPTION 'table % has no column %', source, quote_ident(therapist) USING ERRCODE = 'undefined_column';
        END IF;
        IF therapist_att.atttypid <> '@extschema@.response'::regtype THEN
            RAISE EXCEPTION 'column % of % is %, not alliance.response', quote_ident(therapist), source,
                format_type(therapist_att.atttypid, NULL) USING ERRCODE = 'datatype_mismatch',
                HINT = 'The therapist''s rating of the session is a response of the therapist''s form.';
        END IF;
    END IF;
    IF response_att.atttypid <> '@extschema@.response'::regtype THEN
        RAISE EXCEPTION 'column % of % is %, not alliance.response', quote_ident(response), source,
            format_type(response_att.atttypid, NULL) USING ERRCODE = 'datatype_mismatch',
            HINT = 'Alerts judge the scores of alliance.response values (the instrument gives the norms and the cut-off).';
    END IF;
    IF session_att.atttypid NOT IN ('smallint'::regtype, 'integer'::regtype, 'bigint'::regtype, 'date'::regtype,
                                    'timestamp'::regtype, 'timestamptz'::regtype) THEN
        RAISE EXCEPTION 'column % of % is %; a session key is an integer, a date or a timestamp', quote_ident(session_key),
            source, format_type(session_att.atttypid, NULL) USING ERRCODE = 'datatype_mismatch';
    END IF;
    IF cardinality(ms) = 0 THEN
        RAISE EXCEPTION 'methods is empty' USING ERRCODE = 'invalid_parameter_value',
            HINT = 'Leave it NULL for the clinical defaults: the default rupture rule (level) and the cut-off.';
    END IF;
    FOREACH m IN ARRAY ms LOOP
        IF m = 'unseen' AND therapist IS NULL THEN
            RAISE EXCEPTION 'method unseen needs the therapist''s rating' USING ERRCODE = 'invalid_parameter_value',
                HINT = 'Name the column of the therapist''s form: therapist => ''column''.';
        END IF;
        IF m IS NULL OR m NOT IN ('level', 'stiles', 'strauss', 'rci', 'cutoff', 'sudden', 'reliable_change', 'unseen') THEN
            IF m = 'drop' THEN
                RAISE EXCEPTION 'an alert cannot use method %', quote_literal(m)
                    USING ERRCODE = 'invalid_parameter_value',
                    DETAIL = 'drop needs a points threshold, which a watch does not take.',
                    HINT = 'Methods: level (the default rule), stiles, strauss, rci, cutoff, sudden, reliable_change, unseen.';
            END IF;
            RAISE EXCEPTION 'an alert cannot use method %', coalesce(quote_literal(m), 'NULL')
                USING ERRCODE = 'invalid_parameter_value',
                HINT = 'Methods: level (the default rule), stiles, strauss, rci, cutoff, sudden, reliable_change, unseen.';
        END IF;
    END LOOP;
    -- a column of one instrument without a cut-off: no cut-off rule
    typed_code := substring(format_type(response_att.atttypid, response_att.atttypmod) FROM '\((.*)\)$');
    IF typed_code IS NOT NULL AND 'cutoff' = ANY (ms) AND NOT EXISTS (
            SELECT 1 FROM (SELECT b.code, b.cutoff FROM @extschema@.builtin_instruments() b
                           UNION ALL SELECT c.code, c.cutoff FROM @extschema@.custom_instruments c) i
            WHERE i.code = typed_code AND i.cutoff IS NOT NULL) THEN
        IF methods IS NOT NULL THEN
            RAISE EXCEPTION 'an alert cannot use method ''cutoff'' on %: % has no cut-off', quote_ident(response), typed_code
                USING ERRCODE = 'invalid_parameter_value',
                HINT = 'Leave methods NULL for the default rule alone, or name the rules.';
        END IF;
        ms := array_remove(ms, 'cutoff');
    END IF;
    ms := ARRAY(SELECT DISTINCT x FROM unnest(ms) x ORDER BY 1);
    -- reading a client's earlier sessions must not scan the table
    IF NOT EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = source AND i.indisvalid AND i.indpred IS NULL
                   AND i.indnkeyatts >= 2 AND i.indkey[0] = client_att.attnum AND i.indkey[1] = session_att.attnum) THEN
        RAISE EXCEPTION 'table % has no index on (%, %)', source, quote_ident(client), quote_ident(session_key)
            USING ERRCODE = 'object_not_in_prerequisite_state',
            DETAIL = 'Every write judges the client''s earlier sessions; without the index each write reads the whole table.',
            HINT = format('CREATE INDEX ON %s (%I, %I);', source, client, session_key);
    END IF;
    IF target IS NULL THEN
        alerts_schema := src.nspname;
        alerts_name := left(src.relname, 56) || '_alerts';
        target := to_regclass(format('%I.%I', alerts_schema, alerts_name));
        IF target IS NULL THEN
            EXECUTE format($t$
                CREATE TABLE %I.%I (
                    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    client %s NOT NULL,
                    session_key %s NOT NULL,
                    kind text NOT NULL CHECK (kind IN ('rupture', 'sudden_loss', 'below_cutoff', 'reliable_deterioration',
                                                       'unseen_rupture')),
                    method text NOT NULL,
                    detail jsonb NOT NULL DEFAULT '{}',
                    raised_at timestamptz NOT NULL DEFAULT now(),
                    status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'acknowledged', 'resolved')),
                    acknowledged_by name,
                    acknowledged_at timestamptz,
                    note text,
                    resolved_by text,
                    resolved_at timestamptz,
                    UNIQUE (client, session_key, kind, method))$t$,
                alerts_schema, alerts_name, format_type(client_att.atttypid, NULL), format_type(session_att.atttypid, NULL));
            target := format('%I.%I', alerts_schema, alerts_name)::regclass;
            EXECUTE format('COMMENT ON TABLE %s IS %L', target,
                           format('Alerts of %s, raised by alliance.watch (doc/alerts.md)', source::text));
        END IF;
    END IF;
    -- an alerts table the user made: the columns and the one-alert-per-key constraint the triggers rely on
    SELECT string_agg(quote_ident(col), ', ' ORDER BY i) INTO missing
    FROM unnest(ARRAY['id', 'client', 'session_key', 'kind', 'method', 'detail', 'raised_at', 'status',
                      'acknowledged_by', 'acknowledged_at', 'note', 'resolved_by', 'resolved_at']) WITH ORDINALITY u(col, i)
    WHERE NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = target AND a.attname = col
                      AND a.attnum > 0 AND NOT a.attisdropped);
    IF missing IS NOT NULL THEN
        RAISE EXCEPTION 'alerts table % lacks column(s) %', target, missing USING ERRCODE = 'invalid_table_definition',
            HINT = 'Leave alerts NULL and watch() creates the table (doc/alerts.md lists its columns).';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = target AND i.indisunique AND i.indnkeyatts = 4
                   AND (SELECT array_agg(a.attname::text ORDER BY a.attname) FROM pg_attribute a
                        WHERE a.attrelid = target AND a.attnum = ANY (i.indkey::int2[]))
                       = ARRAY['client', 'kind', 'method', 'session_key']) THEN
        RAISE EXCEPTION 'alerts table % has no unique constraint on (client, session_key, kind, method)', target
            USING ERRCODE = 'invalid_table_definition',
            HINT = 'One alert per client, session, kind and method: add UNIQUE (client, session_key, kind, method).';
    END IF;
    args := format('%L, %L, %L, %L, %L, %L, %L, %L', client, session_key, response, target::text, ms::text,
                   current_user, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), coalesce(therapist, ''));
    EXECUTE format('CREATE TRIGGER alliance_watch_insert AFTER INSERT ON %s REFERENCING NEW TABLE AS alliance_new
                    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.watch_judge(%s)', source, args);
    EXECUTE format('CREATE TRIGGER alliance_watch_update AFTER UPDATE ON %s REFERENCING OLD TABLE AS alliance_old NEW TABLE AS alliance_new
                    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.watch_judge(%s)', source, args);
    EXECUTE format('CREATE TRIGGER alliance_watch_delete AFTER DELETE ON %s REFERENCING OLD TABLE AS alliance_old
                    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.watch_judge(%s)', source, args);
    RAISE NOTICE 'watching %: alerts go to %', source, target
        USING DETAIL = format('Rules: %s. Sessions written from now on are judged; earlier ones are not.', array_to_string(ms, ', ')),
              HINT = format('Every role that writes %s needs SELECT on it and SELECT, INSERT, UPDATE on %s.', source, target);
    RETURN target;
END
$body$;
COMMENT ON FUNCTION @extschema@.watch(regclass, name, name, name, regclass, text[], name) IS
    'Start watching a table of sessions: statement-level triggers judge every written session with rupture_alert (methods NULL: level and cutoff, and unseen when the therapist''s column is named) and keep an alerts table (default <source>_alerts) in step; returns the alerts table';

CREATE FUNCTION @extschema@.unwatch(source regclass) RETURNS void
    LANGUAGE plpgsql STRICT SET search_path = pg_catalog, pg_temp AS $body$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = source AND t.tgname = 'alliance_watch_insert') THEN
        RAISE EXCEPTION 'table % is not watched', source USING ERRCODE = 'undefined_object';
    END IF;
    EXECUTE format('DROP TRIGGER IF EXISTS alliance_watch_insert ON %s', source);
    EXECUTE format('DROP TRIGGER IF EXISTS alliance_watch_update ON %s', source);
    EXECUTE format('DROP TRIGGER IF EXISTS alliance_watch_delete ON %s', source);
END
$body$;
COMMENT ON FUNCTION @extschema@.unwatch(regclass) IS
    'Stop watching a table of sessions: its triggers go, its alerts table and alerts stay';

-- acknowledge and resolve: the person who did it and when
CREATE FUNCTION @extschema@.acknowledge(alerts regclass, id bigint, note text DEFAULT NULL) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $body$
DECLARE
    st text;
BEGIN
    IF alerts IS NULL OR id IS NULL THEN
        RAISE EXCEPTION 'acknowledge needs an alerts table and an alert id' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    EXECUTE format('SELECT status FROM %s WHERE id = $1 FOR UPDATE', alerts) INTO st USING id;
    IF st IS NULL THEN
        RAISE EXCEPTION 'alert % is not in %', id, alerts USING ERRCODE = 'no_data_found';
    END IF;
    IF st = 'resolved' THEN
        RAISE EXCEPTION 'alert % is resolved; it cannot be acknowledged', id USING ERRCODE = 'object_not_in_prerequisite_state',
            HINT = 'A resolved alert stays as it was; a new rupture raises a new alert.';
    END IF;
    EXECUTE format('UPDATE %s SET status = ''acknowledged'', acknowledged_by = current_user, acknowledged_at = now(),
                    note = coalesce($2, note) WHERE id = $1', alerts) USING id, note;
END
$body$;
COMMENT ON FUNCTION @extschema@.acknowledge(regclass, bigint, text) IS
    'Acknowledge an open alert: records current_user, the time and an optional note; a resolved alert cannot be acknowledged';

CREATE FUNCTION @extschema@.resolve(alerts regclass, id bigint, note text DEFAULT NULL) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $body$
DECLARE
    st text;
BEGIN
    IF alerts IS NULL OR id IS NULL THEN
        RAISE EXCEPTION 'resolve needs an alerts table and an alert id' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    EXECUTE format('SELECT status FROM %s WHERE id = $1 FOR UPDATE', alerts) INTO st USING id;
    IF st IS NULL THEN
        RAISE EXCEPTION 'alert % is not in %', id, alerts USING ERRCODE = 'no_data_found';
    END IF;
    IF st = 'resolved' THEN
        RAISE EXCEPTION 'alert % is already resolved', id USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    EXECUTE format('UPDATE %s SET status = ''resolved'', resolved_by = current_user, resolved_at = now(),
                    note = coalesce($2, note) WHERE id = $1', alerts) USING id, note;
END
$body$;
COMMENT ON FUNCTION @extschema@.resolve(regclass, bigint, text) IS
    'Resolve an open or acknowledged alert by hand: records current_user as resolved_by, the time and an optional note';
