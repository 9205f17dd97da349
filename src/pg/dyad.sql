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
