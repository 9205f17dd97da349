-- The type alliance.response: one filled-in questionnaire.

CREATE TYPE @extschema@.response;

CREATE FUNCTION @extschema@.response_in(cstring, oid, integer) RETURNS @extschema@.response
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.response_out(@extschema@.response) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.response_recv(internal, oid, integer) RETURNS @extschema@.response
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.response_send(@extschema@.response) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.response_typmod_in(cstring[]) RETURNS integer
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.response_typmod_out(integer) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE @extschema@.response (
    INPUT = @extschema@.response_in,
    OUTPUT = @extschema@.response_out,
    RECEIVE = @extschema@.response_recv,
    SEND = @extschema@.response_send,
    TYPMOD_IN = @extschema@.response_typmod_in,
    TYPMOD_OUT = @extschema@.response_typmod_out,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = int4,
    STORAGE = extended
);

COMMENT ON TYPE @extschema@.response IS
    'One filled-in alliance questionnaire: instrument and item answers, e.g. srs(9.1,8.4,7.9,8.8); response(srs) restricts a column to one instrument';
COMMENT ON FUNCTION @extschema@.response_in(cstring, oid, integer) IS
    'Text input of alliance.response: code(v1,...,vn), null for a missing item; validates range and step';
COMMENT ON FUNCTION @extschema@.response_out(@extschema@.response) IS
    'Canonical text output of alliance.response: lower-case code, each item with the step''s decimals';
COMMENT ON FUNCTION @extschema@.response_recv(internal, oid, integer) IS
    'Binary input of alliance.response; validates exactly as text input does';
COMMENT ON FUNCTION @extschema@.response_send(@extschema@.response) IS
    'Binary output of alliance.response';
COMMENT ON FUNCTION @extschema@.response_typmod_in(cstring[]) IS
    'Type modifier of alliance.response(code): computed from the code alone';
COMMENT ON FUNCTION @extschema@.response_typmod_out(integer) IS
    'Prints the type modifier of alliance.response as (code)';

-- Enforcing the typmod on assignment: the length-coercion cast.
CREATE FUNCTION @extschema@.response(@extschema@.response, integer, boolean) RETURNS @extschema@.response
    AS 'MODULE_PATHNAME', 'response_enforce_typmod' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.response(@extschema@.response, integer, boolean) IS
    'Enforces a response(code) column''s instrument on assignment (length-coercion cast)';
CREATE CAST (@extschema@.response AS @extschema@.response)
    WITH FUNCTION @extschema@.response(@extschema@.response, integer, boolean) AS IMPLICIT;

-- Comparison: a total order (instrument code, then items; a missing item last).
CREATE FUNCTION @extschema@.response_cmp(@extschema@.response, @extschema@.response) RETURNS integer
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.response_eq(@extschema@.response, @extschema@.response) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.response_ne(@extschema@.response, @extschema@.response) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.response_lt(@extschema@.response, @extschema@.response) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.response_le(@extschema@.response, @extschema@.response) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.response_gt(@extschema@.response, @extschema@.response) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.response_ge(@extschema@.response, @extschema@.response) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.response_hash(@extschema@.response) RETURNS integer
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.response_hash_extended(@extschema@.response, bigint) RETURNS bigint
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.response_cmp(@extschema@.response, @extschema@.response) IS
    'Btree support: -1, 0 or 1 by instrument code, then items in order (missing last)';
COMMENT ON FUNCTION @extschema@.response_eq(@extschema@.response, @extschema@.response) IS 'Implements = for alliance.response';
COMMENT ON FUNCTION @extschema@.response_ne(@extschema@.response, @extschema@.response) IS 'Implements <> for alliance.response';
COMMENT ON FUNCTION @extschema@.response_lt(@extschema@.response, @extschema@.response) IS 'Implements < for alliance.response';
COMMENT ON FUNCTION @extschema@.response_le(@extschema@.response, @extschema@.response) IS 'Implements <= for alliance.response';
COMMENT ON FUNCTION @extschema@.response_gt(@extschema@.response, @extschema@.response) IS 'Implements > for alliance.response';
COMMENT ON FUNCTION @extschema@.response_ge(@extschema@.response, @extschema@.response) IS 'Implements >= for alliance.response';
COMMENT ON FUNCTION @extschema@.response_hash(@extschema@.response) IS 'Hash support for alliance.response (hash joins, GROUP BY)';
COMMENT ON FUNCTION @extschema@.response_hash_extended(@extschema@.response, bigint) IS 'Seeded 64-bit hash support for alliance.response';

CREATE OPERATOR @extschema@.= (
    LEFTARG = @extschema@.response, RIGHTARG = @extschema@.response,
    FUNCTION = @extschema@.response_eq, COMMUTATOR = OPERATOR(@extschema@.=),
    NEGATOR = OPERATOR(@extschema@.<>), RESTRICT = eqsel, JOIN = eqjoinsel,
    HASHES, MERGES
);
CREATE OPERATOR @extschema@.<> (
    LEFTARG = @extschema@.response, RIGHTARG = @extschema@.response,
    FUNCTION = @extschema@.response_ne, COMMUTATOR = OPERATOR(@extschema@.<>),
    NEGATOR = OPERATOR(@extschema@.=), RESTRICT = neqsel, JOIN = neqjoinsel
);
CREATE OPERATOR @extschema@.< (
    LEFTARG = @extschema@.response, RIGHTARG = @extschema@.response,
    FUNCTION = @extschema@.response_lt, COMMUTATOR = OPERATOR(@extschema@.>),
    NEGATOR = OPERATOR(@extschema@.>=), RESTRICT = scalarltsel, JOIN = scalarltjoinsel
);
CREATE OPERATOR @extschema@.<= (
    LEFTARG = @extschema@.response, RIGHTARG = @extschema@.response,
    FUNCTION = @extschema@.response_le, COMMUTATOR = OPERATOR(@extschema@.>=),
    NEGATOR = OPERATOR(@extschema@.>), RESTRICT = scalarlesel, JOIN = scalarlejoinsel
);
CREATE OPERATOR @extschema@.> (
    LEFTARG = @extschema@.response, RIGHTARG = @extschema@.response,
    FUNCTION = @extschema@.response_gt, COMMUTATOR = OPERATOR(@extschema@.<),
    NEGATOR = OPERATOR(@extschema@.<=), RESTRICT = scalargtsel, JOIN = scalargtjoinsel
);
CREATE OPERATOR @extschema@.>= (
    LEFTARG = @extschema@.response, RIGHTARG = @extschema@.response,
    FUNCTION = @extschema@.response_ge, COMMUTATOR = OPERATOR(@extschema@.<=),
    NEGATOR = OPERATOR(@extschema@.<), RESTRICT = scalargesel, JOIN = scalargejoinsel
);

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

CREATE OPERATOR CLASS @extschema@.response_ops
    DEFAULT FOR TYPE @extschema@.response USING btree AS
        OPERATOR 1 @extschema@.<,
        OPERATOR 2 @extschema@.<=,
        OPERATOR 3 @extschema@.=,
        OPERATOR 4 @extschema@.>=,
        OPERATOR 5 @extschema@.>,
        FUNCTION 1 @extschema@.response_cmp(@extschema@.response, @extschema@.response);

CREATE OPERATOR CLASS @extschema@.response_hash_ops
    DEFAULT FOR TYPE @extschema@.response USING hash AS
        OPERATOR 1 @extschema@.=,
        FUNCTION 1 @extschema@.response_hash(@extschema@.response),
        FUNCTION 2 @extschema@.response_hash_extended(@extschema@.response, bigint);
COMMENT ON OPERATOR CLASS @extschema@.response_ops USING btree IS
    'Default btree operator class of alliance.response: a total order (instrument code, then items), for ORDER BY, DISTINCT, merge joins and unique indexes';
COMMENT ON OPERATOR CLASS @extschema@.response_hash_ops USING hash IS
    'Default hash operator class of alliance.response: GROUP BY, DISTINCT and hash joins';

-- Building values.
CREATE FUNCTION @extschema@.response(instrument text, items numeric[]) RETURNS @extschema@.response
    AS 'MODULE_PATHNAME', 'response_from_array' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.response(text, numeric[]) IS
    'Builds a response from an instrument code and its answers in item order (NULL = missing)';

CREATE FUNCTION @extschema@.response(jsonb) RETURNS @extschema@.response
    AS 'MODULE_PATHNAME', 'response_from_jsonb' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.response(jsonb) IS
    'Reads {"instrument": "srs", "items": [9.1, 8.4, null, 8.8]} (also the jsonb -> response cast)';
CREATE CAST (jsonb AS @extschema@.response) WITH FUNCTION @extschema@.response(jsonb);

CREATE FUNCTION @extschema@.to_jsonb(@extschema@.response) RETURNS jsonb
    AS 'MODULE_PATHNAME', 'response_to_jsonb' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.to_jsonb(@extschema@.response) IS
    'Writes {"instrument": "srs", "items": [9.1, 8.4, null, 8.8]} (also the response -> jsonb cast)';
CREATE CAST (@extschema@.response AS jsonb) WITH FUNCTION @extschema@.to_jsonb(@extschema@.response);

CREATE FUNCTION @extschema@.response_agg_transfn(internal, text, integer, numeric) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1;
CREATE FUNCTION @extschema@.response_agg_finalfn(internal) RETURNS @extschema@.response
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1;
COMMENT ON FUNCTION @extschema@.response_agg_transfn(internal, text, integer, numeric) IS
    'Transition function of alliance.response_agg';
COMMENT ON FUNCTION @extschema@.response_agg_finalfn(internal) IS
    'Final function of alliance.response_agg';

CREATE AGGREGATE @extschema@.response_agg(instrument text, item integer, value numeric) (
    SFUNC = @extschema@.response_agg_transfn,
    STYPE = internal,
    SSPACE = 2400,
    FINALFUNC = @extschema@.response_agg_finalfn,
    FINALFUNC_MODIFY = READ_ONLY,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.response_agg(text, integer, numeric) IS
    'Builds one response from row-per-answer data: GROUP BY the form; a NULL value is a missing answer';
