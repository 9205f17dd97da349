-- Clinic reporting: the aggregates summary(response), alpha(response [,
-- subscale]) and norms(response), their result types, and their state type
-- alliance.stats_state.  C: src/pg/reporting.c; the statistics:
-- src/core/stats.c; docs: doc/reporting.md.
--
-- The state is a concrete type (not internal), so the aggregates are
-- combinable without serial/deserial functions and Citus can split them;
-- its text form is the wire format.

-- ---------------------------------------------------------------- the state
CREATE TYPE @extschema@.stats_state;

CREATE FUNCTION @extschema@.stats_state_in(cstring) RETURNS @extschema@.stats_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.stats_state_out(@extschema@.stats_state) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE @extschema@.stats_state (
    INPUT = @extschema@.stats_state_in,
    OUTPUT = @extschema@.stats_state_out,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = extended
);

COMMENT ON TYPE @extschema@.stats_state IS
    'Transition state of alliance.summary, alpha and norms: exact integer sums (scores by answered-item count; per-item and total sums and sums of squares); text form code[:subscale]{...}, or {} before the first row';
COMMENT ON FUNCTION @extschema@.stats_state_in(cstring) IS
    'Text input of alliance.stats_state; resolves the instrument and validates every field';
COMMENT ON FUNCTION @extschema@.stats_state_out(@extschema@.stats_state) IS
    'Canonical, lossless text output of alliance.stats_state (the wire format of partial aggregates)';

-- ------------------------------------------------------------- the results
CREATE TYPE @extschema@.summary AS (
    n bigint,
    n_unscored bigint,
    mean numeric,
    sd numeric,
    at_risk_share numeric,
    ceiling_share numeric
);
COMMENT ON TYPE @extschema@.summary IS
    'Result of alliance.summary: n scored responses, n_unscored (too many missing items), mean and sample sd of the instrument''s score, share (0-1) at risk by the published cut-off (NULL without one), share at the maximum possible score';

CREATE TYPE @extschema@.norms AS (
    n bigint,
    sd numeric,
    alpha numeric,
    alpha_n bigint
);
COMMENT ON TYPE @extschema@.norms IS
    'Result of alliance.norms: n scored responses, the sample sd of their score, Cronbach''s alpha over the complete ones, and alpha_n, how many complete responses alpha used (0.2.0 on)';

-- ------------------------------------------------ aggregate support functions
CREATE FUNCTION @extschema@.summary_trans(@extschema@.stats_state, @extschema@.response)
    RETURNS @extschema@.stats_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1;
CREATE FUNCTION @extschema@.alpha_trans(@extschema@.stats_state, @extschema@.response)
    RETURNS @extschema@.stats_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1;
CREATE FUNCTION @extschema@.alpha_trans(@extschema@.stats_state, @extschema@.response, text)
    RETURNS @extschema@.stats_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1;
CREATE FUNCTION @extschema@.norms_trans(@extschema@.stats_state, @extschema@.response)
    RETURNS @extschema@.stats_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1;
CREATE FUNCTION @extschema@.stats_combine(@extschema@.stats_state, @extschema@.stats_state)
    RETURNS @extschema@.stats_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1;
CREATE FUNCTION @extschema@.summary_final(@extschema@.stats_state) RETURNS @extschema@.summary
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1;
CREATE FUNCTION @extschema@.alpha_final(@extschema@.stats_state) RETURNS numeric
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1;
CREATE FUNCTION @extschema@.norms_final(@extschema@.stats_state) RETURNS @extschema@.norms
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1;

COMMENT ON FUNCTION @extschema@.summary_trans(@extschema@.stats_state, @extschema@.response) IS
    'Transition function of alliance.summary(response): NULL responses are skipped';
COMMENT ON FUNCTION @extschema@.alpha_trans(@extschema@.stats_state, @extschema@.response) IS
    'Transition function of alliance.alpha(response): complete responses only';
COMMENT ON FUNCTION @extschema@.alpha_trans(@extschema@.stats_state, @extschema@.response, text) IS
    'Transition function of alliance.alpha(response, subscale): complete responses only; a NULL subscale means all items';
COMMENT ON FUNCTION @extschema@.norms_trans(@extschema@.stats_state, @extschema@.response) IS
    'Transition function of alliance.norms(response)';
COMMENT ON FUNCTION @extschema@.stats_combine(@extschema@.stats_state, @extschema@.stats_state) IS
    'Combine function of alliance.summary, alpha and norms (parallel, partitionwise and distributed aggregation): adds the exact sums';
COMMENT ON FUNCTION @extschema@.summary_final(@extschema@.stats_state) IS
    'Final function of alliance.summary: exact numeric mean and sample sd (as avg and stddev_samp), shares at risk and at ceiling';
COMMENT ON FUNCTION @extschema@.alpha_final(@extschema@.stats_state) IS
    'Final function of alliance.alpha: Cronbach''s alpha from exact sums, NULL with fewer than 2 complete responses or no total variance';
COMMENT ON FUNCTION @extschema@.norms_final(@extschema@.stats_state) IS
    'Final function of alliance.norms: (n, sd, alpha)';

-- ------------------------------------------------------------ the aggregates
CREATE AGGREGATE @extschema@.summary(@extschema@.response) (
    SFUNC = @extschema@.summary_trans, STYPE = @extschema@.stats_state, SSPACE = 320,
    INITCOND = '{}',
    FINALFUNC = @extschema@.summary_final, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = @extschema@.stats_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.summary(@extschema@.response) IS
    'Clinic summary of one instrument''s responses: (n, n_unscored, mean, sd, at_risk_share, ceiling_share) of the instrument''s score; equals count, avg and stddev_samp of alliance.score(r); mixing instruments is an error';

CREATE AGGREGATE @extschema@.alpha(@extschema@.response) (
    SFUNC = @extschema@.alpha_trans, STYPE = @extschema@.stats_state, SSPACE = 640,
    INITCOND = '{}',
    FINALFUNC = @extschema@.alpha_final, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = @extschema@.stats_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.alpha(@extschema@.response) IS
    'Cronbach''s alpha of all items of one instrument over its complete responses, after reverse keying; NULL with fewer than 2 complete responses';

CREATE AGGREGATE @extschema@.alpha(@extschema@.response, text) (
    SFUNC = @extschema@.alpha_trans, STYPE = @extschema@.stats_state, SSPACE = 640,
    INITCOND = '{}',
    FINALFUNC = @extschema@.alpha_final, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = @extschema@.stats_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.alpha(@extschema@.response, text) IS
    'Cronbach''s alpha of one subscale (NULL: all items) over the complete responses, after reverse keying; an unknown or one-item subscale is an error';

CREATE AGGREGATE @extschema@.norms(@extschema@.response) (
    SFUNC = @extschema@.norms_trans, STYPE = @extschema@.stats_state, SSPACE = 960,
    INITCOND = '{}',
    FINALFUNC = @extschema@.norms_final, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = @extschema@.stats_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.norms(@extschema@.response) IS
    'The clinic''s own norms for reliable change: (n, sd, alpha) of the instrument''s score; use one response per client (for example the first session), since an sd over all sessions mixes within- and between-client variance';

-- ------------------------------------------------------------ sparkline
CREATE FUNCTION @extschema@.sparkline(t @extschema@.trajectory,
        method text DEFAULT NULL, k numeric DEFAULT NULL, reference_sd numeric DEFAULT NULL,
        sd numeric DEFAULT NULL, reliability numeric DEFAULT NULL, points numeric DEFAULT NULL,
        cutoff numeric DEFAULT NULL, c1 numeric DEFAULT NULL, pct numeric DEFAULT 0.25,
        repair_window integer DEFAULT 3, eps numeric DEFAULT NULL) RETURNS text
    AS 'MODULE_PATHNAME', 'reporting_sparkline' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.sparkline(@extschema@.trajectory, text, numeric, numeric, numeric, numeric, numeric, numeric, numeric, numeric, integer, numeric) IS
    'One line of text: a block glyph per session (U+2581-U+2588, scaled to the series'' own range), each rupture''s session followed by * (repaired), ! (unrepaired) or ? (open); ruptures by method and parameters as in ruptures()';
