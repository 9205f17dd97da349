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
        method text DEFAULT 'stiles', k numeric DEFAULT NULL, reference_sd numeric DEFAULT NULL,
        sd numeric DEFAULT NULL, reliability numeric DEFAULT NULL, points numeric DEFAULT NULL,
        cutoff numeric DEFAULT NULL, c1 numeric DEFAULT NULL, pct numeric DEFAULT 0.25,
        repair_window integer DEFAULT 3, eps numeric DEFAULT 0) RETURNS @extschema@.current_state
    AS 'MODULE_PATHNAME', 'trajectory_current' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.current(@extschema@.trajectory, text, numeric, numeric, numeric, numeric, numeric, numeric, numeric, numeric, integer, numeric) IS
    'Where the client stands at the latest session, apart from the history status() and ruptures() describe: open_rupture (the latest rupture unrepaired or open), repaired_recently (repaired within the last repair_window sessions), below_cutoff, declining, improving or stable; ruptures by the parameters of ruptures(); NULL for no sessions';
