-- alliance 0.1.0: the released install script, kept so that CREATE EXTENSION
-- alliance VERSION '0.1.0' and the upgrade chain from it work and are tested.
-- Never edit it: later changes are upgrade scripts in sql/upgrade/.  (Since
-- the release it gained only the install guard at the top, a security fix
-- that creates nothing: doc/security.md.)
\echo Use "CREATE EXTENSION alliance" to load this file. \quit

-- ---- src/pg/install_guard.sql ----
-- Refuse to install into a schema that another role could have prepared.
--
-- alliance.control names its schema.  CREATE EXTENSION creates it when it is
-- missing, but happily uses one that already exists, whoever owns it.  A role
-- with nothing but CREATE on the database could then make schema "alliance"
-- first and plant, say, alliance.total(text) in it: every later
-- alliance.total('srs(...)') would run that role's code with the caller's
-- rights, and the owner could DROP SCHEMA ... CASCADE the extension (and the
-- response columns of everybody's tables) at will.  So the schema must be
-- owned by the role that installs the extension (or by a superuser, who
-- cannot gain from it), must be empty, and must let nobody else create in it.
-- doc/security.md explains the rule and what to do when it fires.
--
-- Everything is schema-qualified: the script's search_path starts with the
-- very schema being checked.
DO $alliance_guard$
DECLARE
    target      pg_catalog.oid;
    target_name pg_catalog.text;
    owner_name  pg_catalog.text;
    installer   pg_catalog.text;
    planted     pg_catalog.int8;
    grantees    pg_catalog.text;
BEGIN
    SELECT n.oid, n.nspname, pg_catalog.pg_get_userbyid(n.nspowner),
           pg_catalog.pg_get_userbyid(e.extowner)
      INTO target, target_name, owner_name, installer
      FROM pg_catalog.pg_extension e
      JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) e.extnamespace
     WHERE e.extname OPERATOR(pg_catalog.=) 'alliance';

    IF owner_name OPERATOR(pg_catalog.<>) installer
       AND NOT (SELECT r.rolsuper FROM pg_catalog.pg_roles r
                 WHERE r.rolname OPERATOR(pg_catalog.=) owner_name) THEN
        RAISE EXCEPTION 'schema % is owned by role %, not by %, the role installing alliance',
                        pg_catalog.quote_ident(target_name), pg_catalog.quote_ident(owner_name),
                        pg_catalog.quote_ident(installer)
            USING ERRCODE = '42501',
                  DETAIL = 'The owner of the extension''s schema can put functions there that '
                           'run with the rights of whoever calls alliance''s functions.',
                  HINT = 'If that schema is not yours, ask an administrator to drop it. When restoring '
                         'a dump, restore as the schema''s owner (pg_restore --role) or with --no-owner. '
                         'See doc/security.md.';
    END IF;

    -- Every object in a schema depends on it; the extension itself is the
    -- only dependant an empty schema may have.
    SELECT pg_catalog.count(*) INTO planted
      FROM pg_catalog.pg_depend d
     WHERE d.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_namespace'::pg_catalog.regclass
       AND d.refobjid OPERATOR(pg_catalog.=) target
       AND d.classid OPERATOR(pg_catalog.<>) 'pg_catalog.pg_extension'::pg_catalog.regclass;
    IF planted OPERATOR(pg_catalog.>) 0 THEN
        RAISE EXCEPTION 'schema % already holds % object(s); alliance installs only into an empty schema',
                        pg_catalog.quote_ident(target_name), planted
            USING ERRCODE = '42P06',
                  DETAIL = 'Objects already in the extension''s schema could take the place of '
                           'alliance''s own functions and operators.',
                  HINT = 'Move or drop those objects, or drop the schema, then run CREATE EXTENSION again. '
                         'See doc/security.md.';
    END IF;

    SELECT pg_catalog.string_agg(CASE WHEN a.grantee OPERATOR(pg_catalog.=) 0 THEN 'PUBLIC'
                                      ELSE pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(a.grantee)) END,
                                 ', ')
      INTO grantees
      FROM pg_catalog.pg_namespace n,
           LATERAL pg_catalog.aclexplode(n.nspacl) a
     WHERE n.oid OPERATOR(pg_catalog.=) target
       AND a.privilege_type OPERATOR(pg_catalog.=) 'CREATE'
       AND a.grantee OPERATOR(pg_catalog.<>) n.nspowner;
    IF grantees IS NOT NULL THEN
        RAISE EXCEPTION 'other roles may create objects in schema %: %',
                        pg_catalog.quote_ident(target_name), grantees
            USING ERRCODE = '42501',
                  DETAIL = 'A role with CREATE on the extension''s schema can put functions there that '
                           'run with the rights of whoever calls alliance''s functions.',
                  HINT = pg_catalog.format('REVOKE CREATE ON SCHEMA %s FROM those roles first. See doc/security.md.',
                                           pg_catalog.quote_ident(target_name));
    END IF;
END
$alliance_guard$;

-- ---- src/pg/response.sql ----
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

-- ---- src/pg/scoring.sql ----
-- Scoring functions.  IMMUTABLE PARALLEL SAFE; STRICT only where every
-- parameter is required (a STRICT function returns NULL when a defaulted
-- argument is NULL).  Results are exact numeric, never rounded.

CREATE FUNCTION @extschema@.instrument(r @extschema@.response) RETURNS text
    AS 'MODULE_PATHNAME', 'response_instrument' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.instrument(@extschema@.response) IS
    'The instrument code of a response (lower case)';

CREATE FUNCTION @extschema@.items(r @extschema@.response) RETURNS numeric[]
    AS 'MODULE_PATHNAME', 'response_items' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.items(@extschema@.response) IS
    'The raw answers in item order, NULL for a missing item (not reverse-keyed)';

CREATE FUNCTION @extschema@.item(r @extschema@.response, n integer) RETURNS numeric
    AS 'MODULE_PATHNAME', 'response_item' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.item(@extschema@.response, integer) IS
    'The raw answer to item n (1-based), NULL when missing';

CREATE FUNCTION @extschema@.answered(r @extschema@.response) RETURNS integer
    AS 'MODULE_PATHNAME', 'response_answered' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.answered(@extschema@.response) IS
    'How many items were answered';

CREATE FUNCTION @extschema@.total(r @extschema@.response, prorate boolean DEFAULT true) RETURNS numeric
    AS 'MODULE_PATHNAME', 'response_total' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.total(@extschema@.response, boolean) IS
    'Keyed sum of all items; with missing items prorated (mean of answered x items) when at least min_answered (75%) are answered, else NULL; prorate => false: NULL on any missing item';

CREATE FUNCTION @extschema@.mean(r @extschema@.response, prorate boolean DEFAULT true) RETURNS numeric
    AS 'MODULE_PATHNAME', 'response_mean' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.mean(@extschema@.response, boolean) IS
    'total / number of items, under the same missing-item rule';

CREATE FUNCTION @extschema@.score(r @extschema@.response, prorate boolean DEFAULT true) RETURNS numeric
    AS 'MODULE_PATHNAME', 'response_score' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.score(@extschema@.response, boolean) IS
    'The instrument''s named score (total for every built-in; total or mean for custom ones): what trajectories and summaries use';

CREATE FUNCTION @extschema@.subscale(r @extschema@.response, name text, prorate boolean DEFAULT true) RETURNS numeric
    AS 'MODULE_PATHNAME', 'response_subscale' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.subscale(@extschema@.response, text, boolean) IS
    'Raw keyed sum of one subscale, prorated like total; an unknown name is an error';

CREATE FUNCTION @extschema@.subscales(r @extschema@.response, prorate boolean DEFAULT true,
    OUT name text, OUT total numeric, OUT mean numeric, OUT answered integer) RETURNS SETOF record
    AS 'MODULE_PATHNAME', 'response_subscales' LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 4;
COMMENT ON FUNCTION @extschema@.subscales(@extschema@.response, boolean) IS
    'One row per subscale: name, total, mean, answered items';

CREATE FUNCTION @extschema@.pomp(r @extschema@.response, prorate boolean DEFAULT true) RETURNS numeric
    AS 'MODULE_PATHNAME', 'response_pomp' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.pomp(@extschema@.response, boolean) IS
    'Percent of maximum possible, 0-100: 100 x (total - min) / (max - min). A common scale, not equated distributions';

CREATE FUNCTION @extschema@.goal(r @extschema@.response, prorate boolean DEFAULT true) RETURNS numeric
    AS 'MODULE_PATHNAME', 'response_goal' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.goal(@extschema@.response, boolean) IS
    'Bordin''s goal agreement as POMP 0-100 of the mapped subscale; NULL when the instrument does not measure it';
CREATE FUNCTION @extschema@.task(r @extschema@.response, prorate boolean DEFAULT true) RETURNS numeric
    AS 'MODULE_PATHNAME', 'response_task' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.task(@extschema@.response, boolean) IS
    'Bordin''s task agreement as POMP 0-100 of the mapped subscale; NULL when the instrument does not measure it';
CREATE FUNCTION @extschema@.bond(r @extschema@.response, prorate boolean DEFAULT true) RETURNS numeric
    AS 'MODULE_PATHNAME', 'response_bond' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.bond(@extschema@.response, boolean) IS
    'Bordin''s bond as POMP 0-100 of the mapped subscale; NULL when the instrument does not measure it';

CREATE FUNCTION @extschema@.at_risk(r @extschema@.response, cutoff numeric DEFAULT NULL,
    inclusive boolean DEFAULT false, resolution_cutoff numeric DEFAULT 4,
    prorate boolean DEFAULT true) RETURNS boolean
    AS 'MODULE_PATHNAME', 'response_at_risk' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.at_risk(@extschema@.response, numeric, boolean, numeric, boolean) IS
    'Score below the cut-off (the instrument''s published one unless cutoff is given; inclusive => true puts the boundary at risk); NULL without a cut-off. PSQ: rupture present and resolution below resolution_cutoff';

CREATE FUNCTION @extschema@.flagged_items(r @extschema@.response, item_cutoff numeric DEFAULT NULL) RETURNS integer[]
    AS 'MODULE_PATHNAME', 'response_flagged_items' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.flagged_items(@extschema@.response, numeric) IS
    'Items whose keyed answer is below item_cutoff (SRS default 9); NULL when the instrument has no per-item rule and none is given';

CREATE TYPE @extschema@.reliable_change AS (
    delta numeric,
    rci numeric,
    reliable boolean,
    direction text,
    clinically_significant boolean
);
COMMENT ON TYPE @extschema@.reliable_change IS
    'Result of alliance.reliable_change: delta = after - before; rci NULL under a points rule; direction improved | deteriorated | unchanged';

CREATE FUNCTION @extschema@.reliable_change(before @extschema@.response, after @extschema@.response,
    sd numeric DEFAULT NULL, reliability numeric DEFAULT NULL, points numeric DEFAULT NULL)
    RETURNS @extschema@.reliable_change
    AS 'MODULE_PATHNAME', 'response_reliable_change' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.reliable_change(@extschema@.response, @extschema@.response, numeric, numeric, numeric) IS
    'Jacobson & Truax (1991) reliable change: sd and reliability given -> RCI; else points (or the instrument''s, ORS 5) -> |delta| >= points; else the instrument''s norms; else an error';

-- ---- src/pg/instruments.sql ----
-- The catalogue of instruments.

CREATE FUNCTION @extschema@.builtin_instruments(
    OUT code text, OUT name text, OUT items integer, OUT min numeric, OUT max numeric,
    OUT step numeric, OUT reversed integer[], OUT scales jsonb, OUT bordin jsonb,
    OUT cutoff numeric, OUT min_answered numeric, OUT score text, OUT norms jsonb,
    OUT item_labels text[], OUT link_ids text[], OUT fhir_url text, OUT citation text,
    OUT builtin boolean, OUT evidence text, OUT fingerprint text, OUT item_ranges jsonb)
    RETURNS SETOF record
    AS 'MODULE_PATHNAME', 'builtin_instruments' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 9;
COMMENT ON FUNCTION @extschema@.builtin_instruments() IS
    'The nine built-in instruments, one row each (see the alliance.instruments view)';

-- Custom instruments: one configuration table, dumped by pg_dump
-- (pg_extension_config_dump), guarded by triggers so that a definition that
-- values use never changes or disappears, whatever route the change takes.

CREATE TABLE @extschema@.custom_instruments (
    code text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]{0,30}$'),
    name text NOT NULL,
    items integer NOT NULL,
    min numeric NOT NULL,
    max numeric NOT NULL,
    step numeric NOT NULL DEFAULT 1,
    reversed integer[] NOT NULL DEFAULT '{}',
    scales jsonb NOT NULL DEFAULT '{}',
    bordin jsonb,
    cutoff numeric,
    min_answered numeric NOT NULL DEFAULT 0.75,
    score text NOT NULL DEFAULT 'total',
    norms jsonb,
    item_labels text[],
    link_ids text[],
    fhir_url text,
    citation text,
    fingerprint text NOT NULL DEFAULT ''
);
COMMENT ON TABLE @extschema@.custom_instruments IS
    'Custom instrument definitions (alliance.define_instrument); dumped by pg_dump; immutable once values use them';
SELECT pg_catalog.pg_extension_config_dump('@extschema@.custom_instruments', '');

CREATE FUNCTION @extschema@.instrument_fingerprint(code text, name text, items integer, min numeric,
    max numeric, step numeric, reversed integer[], scales jsonb, bordin jsonb, cutoff numeric,
    min_answered numeric, score text, norms jsonb, item_labels text[], link_ids text[],
    fhir_url text, citation text) RETURNS text
    AS 'MODULE_PATHNAME', 'instrument_fingerprint' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.instrument_fingerprint(text, text, integer, numeric, numeric, numeric, integer[], jsonb, jsonb, numeric, numeric, text, jsonb, text[], text[], text, text) IS
    'Validates an instrument definition and returns its fingerprint (16 hex digits): equal on every server exactly when the definitions score alike';

CREATE FUNCTION @extschema@.code_typmod(code text) RETURNS integer
    AS 'MODULE_PATHNAME', 'code_typmod' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.code_typmod(text) IS
    'The type modifier of alliance.response(code), computed from the code alone';

-- Where is a code used?  The columns that can hold responses: typed
-- alliance.response, a domain over it (at any depth), or an array of either,
-- in this database's tables and materialized views (not foreign tables, whose
-- rows live on servers with their own definitions; not other sessions'
-- temporary tables, which cannot be read).
CREATE FUNCTION @extschema@.response_columns(OUT nspname name, OUT relname name, OUT attname name,
    OUT relkind "char", OUT atttypmod integer, OUT is_array boolean)
    RETURNS SETOF record
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    WITH RECURSIVE types(oid, is_array) AS (
        SELECT '@extschema@.response'::regtype::oid, false
        UNION
        SELECT t.oid, (types.is_array OR t.typtype OPERATOR(pg_catalog.<>) 'd')
        FROM pg_type t JOIN types
          ON (t.typtype OPERATOR(pg_catalog.=) 'd' AND t.typbasetype OPERATOR(pg_catalog.=) types.oid)
          OR (NOT types.is_array AND t.typelem OPERATOR(pg_catalog.=) types.oid
              AND t.typsubscript OPERATOR(pg_catalog.=) 'pg_catalog.array_subscript_handler'::regproc))
    SELECT n.nspname, c.relname, a.attname, c.relkind, a.atttypmod, types.is_array
    FROM pg_attribute a
    JOIN types ON types.oid OPERATOR(pg_catalog.=) a.atttypid
    JOIN pg_class c ON c.oid OPERATOR(pg_catalog.=) a.attrelid
    JOIN pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace
    WHERE a.attnum OPERATOR(pg_catalog.>) 0 AND NOT a.attisdropped
      AND c.relkind IN ('r', 'p', 'm') AND NOT c.relispartition
      AND NOT pg_catalog.pg_is_other_temp_schema(n.oid)
    ORDER BY 1, 2, 3;
END;
COMMENT ON FUNCTION @extschema@.response_columns() IS
    'Every column that can hold alliance.response values (directly, through domains or in arrays), in tables and materialized views';

-- Returns 'schema.table.column' (or 'domain name') of the first use found, or
-- NULL.  Row-level security is switched off so that rows hidden from the
-- caller cannot make a used code look unused: a caller subject to a policy
-- gets an error instead (fails closed).
CREATE FUNCTION @extschema@.instrument_use(code text) RETURNS text
    LANGUAGE plpgsql STABLE PARALLEL SAFE STRICT
    SET search_path = pg_catalog, pg_temp
    SET row_security = off
AS $$
DECLARE
    col record;
    found boolean;
    typmod integer := @extschema@.code_typmod(code);
    dom text;
BEGIN
    WITH RECURSIVE types(oid) AS (
        SELECT '@extschema@.response'::regtype::oid
        UNION
        SELECT t.oid FROM pg_type t JOIN types
          ON (t.typtype = 'd' AND t.typbasetype = types.oid)
          OR (t.typelem = types.oid AND t.typsubscript = 'pg_catalog.array_subscript_handler'::regproc))
    SELECT format('domain %s', t.oid::regtype) INTO dom
    FROM pg_type t JOIN types USING (oid)
    WHERE t.typtype = 'd' AND t.typtypmod = typmod
    ORDER BY 1 LIMIT 1;
    IF dom IS NOT NULL THEN
        RETURN dom;
    END IF;
    FOR col IN SELECT * FROM @extschema@.response_columns() LOOP
        IF col.atttypmod = typmod THEN
            RETURN format('%I.%I.%I', col.nspname, col.relname, col.attname);
        END IF;
        IF NOT col.is_array THEN
            EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I.%I WHERE @extschema@.instrument(%I::@extschema@.response) OPERATOR(pg_catalog.=) $1)',
                           col.nspname, col.relname, col.attname) INTO found USING code;
        ELSE
            EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I.%I, LATERAL pg_catalog.unnest(%I::@extschema@.response[]) v WHERE @extschema@.instrument(v) OPERATOR(pg_catalog.=) $1)',
                           col.nspname, col.relname, col.attname) INTO found USING code;
        END IF;
        IF found THEN
            RETURN format('%I.%I.%I', col.nspname, col.relname, col.attname);
        END IF;
    END LOOP;
    RETURN NULL;
END $$;
COMMENT ON FUNCTION @extschema@.instrument_use(text) IS
    'The first column (schema.table.column) that stores a value of this instrument or is typed response(code), or a domain typed response(code); NULL when unused';

-- For the guards: lock every table that can hold responses in SHARE mode
-- (until the end of the transaction) before looking, so that no session can
-- store a value of a code while its definition is being dropped or changed.
CREATE FUNCTION @extschema@.instrument_use_locked(code text) RETURNS text
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE STRICT
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    rel record;
BEGIN
    FOR rel IN SELECT DISTINCT nspname, relname FROM @extschema@.response_columns()
               WHERE relkind IN ('r', 'p') ORDER BY 1, 2 LOOP
        EXECUTE format('LOCK TABLE %I.%I IN SHARE MODE', rel.nspname, rel.relname);
    END LOOP;
    RETURN @extschema@.instrument_use(code);
END $$;
COMMENT ON FUNCTION @extschema@.instrument_use_locked(text) IS
    'instrument_use after locking every table that can hold responses in SHARE mode (used by the guards on alliance.custom_instruments)';

CREATE FUNCTION @extschema@.instrument_use_detail(used text, code text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT CASE WHEN used LIKE 'domain %'
                THEN pg_catalog.format('The %s is typed response(%s).', used, code)
                ELSE pg_catalog.format('Column %s holds its values or is typed response(%s).', used, code) END;
END;
COMMENT ON FUNCTION @extschema@.instrument_use_detail(text, text) IS
    'The error detail of the guards: which column or domain uses a code';

-- Row trigger: validate, fingerprint, refuse clashes and changes of used definitions.
CREATE FUNCTION @extschema@.custom_instruments_check() RETURNS trigger
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
    'Trigger on alliance.custom_instruments: validates and fingerprints definitions; refuses built-in codes, hash collisions and changes or drops of used definitions';

CREATE FUNCTION @extschema@.custom_instruments_truncate() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    def record;
    used text;
BEGIN
    FOR def IN SELECT code FROM @extschema@.custom_instruments ORDER BY code LOOP
        used := @extschema@.instrument_use_locked(def.code);
        IF used IS NOT NULL THEN
            RAISE EXCEPTION 'instrument "%" is in use; alliance.custom_instruments cannot be truncated', def.code
                USING ERRCODE = 'dependent_objects_still_exist',
                      DETAIL = @extschema@.instrument_use_detail(used, def.code);
        END IF;
    END LOOP;
    RETURN NULL;
END $$;
COMMENT ON FUNCTION @extschema@.custom_instruments_truncate() IS
    'Trigger on alliance.custom_instruments: refuses TRUNCATE while any definition is in use';

CREATE FUNCTION @extschema@.instruments_changed() RETURNS trigger
    AS 'MODULE_PATHNAME', 'instruments_changed' LANGUAGE C;
COMMENT ON FUNCTION @extschema@.instruments_changed() IS
    'Trigger on alliance.custom_instruments: invalidates every backend''s cache of definitions';

CREATE TRIGGER custom_instruments_check
    BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.custom_instruments
    FOR EACH ROW EXECUTE FUNCTION @extschema@.custom_instruments_check();
CREATE TRIGGER custom_instruments_truncate
    BEFORE TRUNCATE ON @extschema@.custom_instruments
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.custom_instruments_truncate();
CREATE TRIGGER custom_instruments_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.custom_instruments
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.instruments_changed();

CREATE FUNCTION @extschema@.define_instrument(code text, name text, items integer, min numeric,
    max numeric, step numeric DEFAULT 1, reversed integer[] DEFAULT '{}', scales jsonb DEFAULT '{}',
    bordin jsonb DEFAULT NULL, cutoff numeric DEFAULT NULL, min_answered numeric DEFAULT 0.75,
    score text DEFAULT 'total', norms jsonb DEFAULT NULL, item_labels text[] DEFAULT NULL,
    link_ids text[] DEFAULT NULL, fhir_url text DEFAULT NULL, citation text DEFAULT NULL)
    RETURNS void
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM @extschema@.custom_instruments c WHERE c.code OPERATOR(pg_catalog.=) define_instrument.code) THEN
        RAISE EXCEPTION 'instrument "%" is already defined', define_instrument.code
            USING ERRCODE = 'duplicate_object',
                  HINT = 'Definitions never change: a changed rule gets a new code.';
    END IF;
    BEGIN
    INSERT INTO @extschema@.custom_instruments (code, name, items, min, max, step, reversed, scales,
        bordin, cutoff, min_answered, score, norms, item_labels, link_ids, fhir_url, citation)
    VALUES (define_instrument.code, define_instrument.name, define_instrument.items,
        define_instrument.min, define_instrument.max, COALESCE(define_instrument.step, 1),
        COALESCE(define_instrument.reversed, '{}'), COALESCE(define_instrument.scales, '{}'),
        define_instrument.bordin, define_instrument.cutoff, COALESCE(define_instrument.min_answered, 0.75),
        COALESCE(define_instrument.score, 'total'), define_instrument.norms,
        define_instrument.item_labels, define_instrument.link_ids, define_instrument.fhir_url,
        define_instrument.citation);
    EXCEPTION WHEN unique_violation THEN
        -- another session defined the same code between the check above and this insert
        RAISE EXCEPTION 'instrument "%" is already defined', define_instrument.code
            USING ERRCODE = 'duplicate_object',
                  HINT = 'Definitions never change: a changed rule gets a new code.';
    END;
END $$;
COMMENT ON FUNCTION @extschema@.define_instrument(text, text, integer, numeric, numeric, numeric, integer[], jsonb, jsonb, numeric, numeric, text, jsonb, text[], text[], text, text) IS
    'Registers a custom instrument (a licensed or local form): items, range and step, reversed items, scales {"name": [items]}, Bordin mapping {"goal": "scale"}, cut-off, missing-item rule, score total|mean, norms {"sd", "reliability", "rc_points"}, labels, FHIR linkIds and canonical URL';

CREATE FUNCTION @extschema@.drop_instrument(code text) RETURNS void
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE STRICT
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM @extschema@.builtin_instruments() b WHERE b.code OPERATOR(pg_catalog.=) drop_instrument.code) THEN
        RAISE EXCEPTION 'instrument "%" is built in and cannot be dropped', drop_instrument.code
            USING ERRCODE = 'wrong_object_type';
    END IF;
    DELETE FROM @extschema@.custom_instruments c WHERE c.code OPERATOR(pg_catalog.=) drop_instrument.code;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'instrument "%" is not defined', drop_instrument.code
            USING ERRCODE = 'undefined_object';
    END IF;
END $$;
COMMENT ON FUNCTION @extschema@.drop_instrument(text) IS
    'Drops an unused custom instrument; one that values use (or a column typed response(code)) is refused';

CREATE VIEW @extschema@.instruments AS
    SELECT * FROM @extschema@.builtin_instruments()
    UNION ALL
    SELECT c.code, c.name, c.items, c.min, c.max, c.step, c.reversed, c.scales, c.bordin, c.cutoff,
           c.min_answered, c.score, c.norms, c.item_labels, c.link_ids, c.fhir_url, c.citation,
           false, NULL::text, c.fingerprint, NULL::jsonb
    FROM @extschema@.custom_instruments c;
COMMENT ON VIEW @extschema@.instruments IS
    'Every instrument this database knows, built-in and custom: code, items, range and step, reversed items, scales, Bordin mapping, cut-off, missing-item rule, score, norms, labels, citation, evidence mark (V verified, S secondary, D derived, R recalled; NULL for custom) and definition fingerprint';

-- Privileges.  After a trusted CREATE EXTENSION by a non-superuser the
-- objects belong to the bootstrap superuser: grant the installing role what
-- it needs to define instruments (and to pass that on), and everyone what
-- scoring and pg_dump read.  No SECURITY DEFINER anywhere.
GRANT USAGE ON SCHEMA @extschema@ TO PUBLIC;
GRANT SELECT ON @extschema@.instruments TO PUBLIC;
GRANT SELECT ON @extschema@.custom_instruments TO PUBLIC;
GRANT INSERT, UPDATE, DELETE, TRUNCATE ON @extschema@.custom_instruments TO @extowner@ WITH GRANT OPTION;

-- ---- src/pg/trajectory.sql ----
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
CREATE AGGREGATE @extschema@.trajectory(session integer, score numeric) (
    SFUNC = @extschema@.trajectory_trans, STYPE = internal, SSPACE = 1024,
    FINALFUNC = @extschema@.trajectory_final, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = @extschema@.trajectory_combine,
    SERIALFUNC = @extschema@.trajectory_serial, DESERIALFUNC = @extschema@.trajectory_deserial,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.trajectory(integer, numeric) IS
    'A client''s series keyed by integer sessions, from numeric scores; NULLs are skipped; a duplicate session is an error (see the on_duplicate overload)';
CREATE AGGREGATE @extschema@.trajectory(session integer, score numeric, on_duplicate text) (
    SFUNC = @extschema@.trajectory_trans, STYPE = internal, SSPACE = 1024,
    FINALFUNC = @extschema@.trajectory_final, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = @extschema@.trajectory_combine,
    SERIALFUNC = @extschema@.trajectory_serial, DESERIALFUNC = @extschema@.trajectory_deserial,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.trajectory(integer, numeric, text) IS
    'A client''s series keyed by integer sessions, from numeric scores; NULLs are skipped; on_duplicate is ''error'', ''mean'', ''min'' or ''max''';
CREATE AGGREGATE @extschema@.trajectory(session integer, score double precision) (
    SFUNC = @extschema@.trajectory_trans, STYPE = internal, SSPACE = 1024,
    FINALFUNC = @extschema@.trajectory_final, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = @extschema@.trajectory_combine,
    SERIALFUNC = @extschema@.trajectory_serial, DESERIALFUNC = @extschema@.trajectory_deserial,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.trajectory(integer, double precision) IS
    'A client''s series keyed by integer sessions, from float8 scores; NULLs are skipped; a duplicate session is an error (see the on_duplicate overload)';
CREATE AGGREGATE @extschema@.trajectory(session integer, score double precision, on_duplicate text) (
    SFUNC = @extschema@.trajectory_trans, STYPE = internal, SSPACE = 1024,
    FINALFUNC = @extschema@.trajectory_final, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = @extschema@.trajectory_combine,
    SERIALFUNC = @extschema@.trajectory_serial, DESERIALFUNC = @extschema@.trajectory_deserial,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.trajectory(integer, double precision, text) IS
    'A client''s series keyed by integer sessions, from float8 scores; NULLs are skipped; on_duplicate is ''error'', ''mean'', ''min'' or ''max''';
CREATE AGGREGATE @extschema@.trajectory(session integer, score @extschema@.response) (
    SFUNC = @extschema@.trajectory_trans, STYPE = internal, SSPACE = 1024,
    FINALFUNC = @extschema@.trajectory_final, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = @extschema@.trajectory_combine,
    SERIALFUNC = @extschema@.trajectory_serial, DESERIALFUNC = @extschema@.trajectory_deserial,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.trajectory(integer, @extschema@.response) IS
    'A client''s series keyed by integer sessions, from the instrument''s score of each response (its total); the instrument''s cut-off and norms become the accessors'' defaults; NULLs are skipped; a duplicate session is an error (see the on_duplicate overload)';
CREATE AGGREGATE @extschema@.trajectory(session integer, score @extschema@.response, on_duplicate text) (
    SFUNC = @extschema@.trajectory_trans, STYPE = internal, SSPACE = 1024,
    FINALFUNC = @extschema@.trajectory_final, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = @extschema@.trajectory_combine,
    SERIALFUNC = @extschema@.trajectory_serial, DESERIALFUNC = @extschema@.trajectory_deserial,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.trajectory(integer, @extschema@.response, text) IS
    'A client''s series keyed by integer sessions, from the instrument''s score of each response (its total); the instrument''s cut-off and norms become the accessors'' defaults; NULLs are skipped; on_duplicate is ''error'', ''mean'', ''min'' or ''max''';
CREATE AGGREGATE @extschema@.trajectory(session bigint, score numeric) (
    SFUNC = @extschema@.trajectory_trans, STYPE = internal, SSPACE = 1024,
    FINALFUNC = @extschema@.trajectory_final, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = @extschema@.trajectory_combine,
    SERIALFUNC = @extschema@.trajectory_serial, DESERIALFUNC = @extschema@.trajectory_deserial,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.trajectory(bigint, numeric) IS
    'A client''s series keyed by bigint sessions, from numeric scores; NULLs are skipped; a duplicate session is an error (see the on_duplicate overload)';
CREATE AGGREGATE @extschema@.trajectory(session bigint, score numeric, on_duplicate text) (
    SFUNC = @extschema@.trajectory_trans, STYPE = internal, SSPACE = 1024,
    FINALFUNC = @extschema@.trajectory_final, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = @extschema@.trajectory_combine,
    SERIALFUNC = @extschema@.trajectory_serial, DESERIALFUNC = @extschema@.trajectory_deserial,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.trajectory(bigint, numeric, text) IS
    'A client''s series keyed by bigint sessions, from numeric scores; NULLs are skipped; on_duplicate is ''error'', ''mean'', ''min'' or ''max''';
CREATE AGGREGATE @extschema@.trajectory(session bigint, score double precision) (
    SFUNC = @extschema@.trajectory_trans, STYPE = internal, SSPACE = 1024,
    FINALFUNC = @extschema@.trajectory_final, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = @extschema@.trajectory_combine,
    SERIALFUNC = @extschema@.trajectory_serial, DESERIALFUNC = @extschema@.trajectory_deserial,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.trajectory(bigint, double precision) IS
    'A client''s series keyed by bigint sessions, from float8 scores; NULLs are skipped; a duplicate session is an error (see the on_duplicate overload)';
CREATE AGGREGATE @extschema@.trajectory(session bigint, score double precision, on_duplicate text) (
    SFUNC = @extschema@.trajectory_trans, STYPE = internal, SSPACE = 1024,
    FINALFUNC = @extschema@.trajectory_final, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = @extschema@.trajectory_combine,
    SERIALFUNC = @extschema@.trajectory_serial, DESERIALFUNC = @extschema@.trajectory_deserial,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.trajectory(bigint, double precision, text) IS
    'A client''s series keyed by bigint sessions, from float8 scores; NULLs are skipped; on_duplicate is ''error'', ''mean'', ''min'' or ''max''';
CREATE AGGREGATE @extschema@.trajectory(session bigint, score @extschema@.response) (
    SFUNC = @extschema@.trajectory_trans, STYPE = internal, SSPACE = 1024,
    FINALFUNC = @extschema@.trajectory_final, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = @extschema@.trajectory_combine,
    SERIALFUNC = @extschema@.trajectory_serial, DESERIALFUNC = @extschema@.trajectory_deserial,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.trajectory(bigint, @extschema@.response) IS
    'A client''s series keyed by bigint sessions, from the instrument''s score of each response (its total); the instrument''s cut-off and norms become the accessors'' defaults; NULLs are skipped; a duplicate session is an error (see the on_duplicate overload)';
CREATE AGGREGATE @extschema@.trajectory(session bigint, score @extschema@.response, on_duplicate text) (
    SFUNC = @extschema@.trajectory_trans, STYPE = internal, SSPACE = 1024,
    FINALFUNC = @extschema@.trajectory_final, FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = @extschema@.trajectory_combine,
    SERIALFUNC = @extschema@.trajectory_serial, DESERIALFUNC = @extschema@.trajectory_deserial,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.trajectory(bigint, @extschema@.response, text) IS
    'A client''s series keyed by bigint sessions, from the instrument''s score of each response (its total); the instrument''s cut-off and norms become the accessors'' defaults; NULLs are skipped; on_duplicate is ''error'', ''mean'', ''min'' or ''max''';
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
CREATE FUNCTION @extschema@.slope(t @extschema@.trajectory) RETURNS double precision
    AS 'MODULE_PATHNAME', 'trajectory_slope' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.slope(@extschema@.trajectory) IS
    'Least-squares slope of score on session: per session number for int keys, per day for date and time keys; equals regr_slope on the same rows; NULL with fewer than 2 sessions';

CREATE FUNCTION @extschema@.status(t @extschema@.trajectory,
        method text DEFAULT 'stiles', k numeric DEFAULT NULL, reference_sd numeric DEFAULT NULL,
        sd numeric DEFAULT NULL, reliability numeric DEFAULT NULL, points numeric DEFAULT NULL,
        cutoff numeric DEFAULT NULL, c1 numeric DEFAULT NULL, pct numeric DEFAULT 0.25,
        repair_window integer DEFAULT 3, eps numeric DEFAULT 0) RETURNS text
    AS 'MODULE_PATHNAME', 'trajectory_status' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.status(@extschema@.trajectory, text, numeric, numeric, numeric, numeric, numeric, numeric, numeric, numeric, integer, numeric) IS
    'open_rupture (latest rupture unrepaired or open), repaired, improving, declining or stable; ruptures by method (default stiles) with the parameters of ruptures()';

CREATE FUNCTION @extschema@.ruptures(t @extschema@.trajectory,
        method text DEFAULT 'stiles', k numeric DEFAULT NULL, reference_sd numeric DEFAULT NULL,
        sd numeric DEFAULT NULL, reliability numeric DEFAULT NULL, points numeric DEFAULT NULL,
        cutoff numeric DEFAULT NULL, c1 numeric DEFAULT NULL, pct numeric DEFAULT 0.25,
        repair_window integer DEFAULT 3, eps numeric DEFAULT 0)
    RETURNS SETOF @extschema@.rupture
    AS 'MODULE_PATHNAME', 'trajectory_ruptures' LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 3;
COMMENT ON FUNCTION @extschema@.ruptures(@extschema@.trajectory, text, numeric, numeric, numeric, numeric, numeric, numeric, numeric, numeric, integer, numeric) IS
    'Ruptures of a trajectory by method stiles (drop >= k*SD, k 2), strauss (k 1), rci (1.96*S_diff; sd, reliability), sudden (Tang & DeRubeis; c1, pct), drop (>= points) or cutoff (falls below cutoff), each with its repair within repair_window sessions (score back to the previous one - eps)';

-- ------------------------------------------------------ prospective alert
CREATE FUNCTION @extschema@.rupture_alert(session bigint, score numeric,
        method text DEFAULT 'stiles', k numeric DEFAULT NULL, reference_sd numeric DEFAULT NULL,
        sd numeric DEFAULT NULL, reliability numeric DEFAULT NULL, points numeric DEFAULT NULL,
        cutoff numeric DEFAULT NULL) RETURNS boolean
    AS 'MODULE_PATHNAME', 'rupture_alert' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.rupture_alert(bigint, numeric, text, numeric, numeric, numeric, numeric, numeric, numeric) IS
    'Window function: is this session a rupture, judged only from the sessions before it in OVER (PARTITION BY client ORDER BY session)? NULL without enough history (no earlier session; fewer than 3 for stiles/strauss unless reference_sd is given)';
CREATE FUNCTION @extschema@.rupture_alert(session bigint, score double precision,
        method text DEFAULT 'stiles', k numeric DEFAULT NULL, reference_sd numeric DEFAULT NULL,
        sd numeric DEFAULT NULL, reliability numeric DEFAULT NULL, points numeric DEFAULT NULL,
        cutoff numeric DEFAULT NULL) RETURNS boolean
    AS 'MODULE_PATHNAME', 'rupture_alert' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.rupture_alert(bigint, double precision, text, numeric, numeric, numeric, numeric, numeric, numeric) IS
    'Window function: is this session a rupture, judged only from the sessions before it in OVER (PARTITION BY client ORDER BY session)? NULL without enough history (no earlier session; fewer than 3 for stiles/strauss unless reference_sd is given)';
CREATE FUNCTION @extschema@.rupture_alert(session bigint, score @extschema@.response,
        method text DEFAULT 'stiles', k numeric DEFAULT NULL, reference_sd numeric DEFAULT NULL,
        sd numeric DEFAULT NULL, reliability numeric DEFAULT NULL, points numeric DEFAULT NULL,
        cutoff numeric DEFAULT NULL) RETURNS boolean
    AS 'MODULE_PATHNAME', 'rupture_alert' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.rupture_alert(bigint, @extschema@.response, text, numeric, numeric, numeric, numeric, numeric, numeric) IS
    'Window function: is this session a rupture, judged only from the sessions before it in OVER (PARTITION BY client ORDER BY session)? NULL without enough history (no earlier session; fewer than 3 for stiles/strauss unless reference_sd is given)';
CREATE FUNCTION @extschema@.rupture_alert(session date, score numeric,
        method text DEFAULT 'stiles', k numeric DEFAULT NULL, reference_sd numeric DEFAULT NULL,
        sd numeric DEFAULT NULL, reliability numeric DEFAULT NULL, points numeric DEFAULT NULL,
        cutoff numeric DEFAULT NULL) RETURNS boolean
    AS 'MODULE_PATHNAME', 'rupture_alert' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.rupture_alert(date, numeric, text, numeric, numeric, numeric, numeric, numeric, numeric) IS
    'Window function: is this session a rupture, judged only from the sessions before it in OVER (PARTITION BY client ORDER BY session)? NULL without enough history (no earlier session; fewer than 3 for stiles/strauss unless reference_sd is given)';
CREATE FUNCTION @extschema@.rupture_alert(session date, score double precision,
        method text DEFAULT 'stiles', k numeric DEFAULT NULL, reference_sd numeric DEFAULT NULL,
        sd numeric DEFAULT NULL, reliability numeric DEFAULT NULL, points numeric DEFAULT NULL,
        cutoff numeric DEFAULT NULL) RETURNS boolean
    AS 'MODULE_PATHNAME', 'rupture_alert' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.rupture_alert(date, double precision, text, numeric, numeric, numeric, numeric, numeric, numeric) IS
    'Window function: is this session a rupture, judged only from the sessions before it in OVER (PARTITION BY client ORDER BY session)? NULL without enough history (no earlier session; fewer than 3 for stiles/strauss unless reference_sd is given)';
CREATE FUNCTION @extschema@.rupture_alert(session date, score @extschema@.response,
        method text DEFAULT 'stiles', k numeric DEFAULT NULL, reference_sd numeric DEFAULT NULL,
        sd numeric DEFAULT NULL, reliability numeric DEFAULT NULL, points numeric DEFAULT NULL,
        cutoff numeric DEFAULT NULL) RETURNS boolean
    AS 'MODULE_PATHNAME', 'rupture_alert' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.rupture_alert(date, @extschema@.response, text, numeric, numeric, numeric, numeric, numeric, numeric) IS
    'Window function: is this session a rupture, judged only from the sessions before it in OVER (PARTITION BY client ORDER BY session)? NULL without enough history (no earlier session; fewer than 3 for stiles/strauss unless reference_sd is given)';
CREATE FUNCTION @extschema@.rupture_alert(session timestamp, score numeric,
        method text DEFAULT 'stiles', k numeric DEFAULT NULL, reference_sd numeric DEFAULT NULL,
        sd numeric DEFAULT NULL, reliability numeric DEFAULT NULL, points numeric DEFAULT NULL,
        cutoff numeric DEFAULT NULL) RETURNS boolean
    AS 'MODULE_PATHNAME', 'rupture_alert' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.rupture_alert(timestamp, numeric, text, numeric, numeric, numeric, numeric, numeric, numeric) IS
    'Window function: is this session a rupture, judged only from the sessions before it in OVER (PARTITION BY client ORDER BY session)? NULL without enough history (no earlier session; fewer than 3 for stiles/strauss unless reference_sd is given)';
CREATE FUNCTION @extschema@.rupture_alert(session timestamp, score double precision,
        method text DEFAULT 'stiles', k numeric DEFAULT NULL, reference_sd numeric DEFAULT NULL,
        sd numeric DEFAULT NULL, reliability numeric DEFAULT NULL, points numeric DEFAULT NULL,
        cutoff numeric DEFAULT NULL) RETURNS boolean
    AS 'MODULE_PATHNAME', 'rupture_alert' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.rupture_alert(timestamp, double precision, text, numeric, numeric, numeric, numeric, numeric, numeric) IS
    'Window function: is this session a rupture, judged only from the sessions before it in OVER (PARTITION BY client ORDER BY session)? NULL without enough history (no earlier session; fewer than 3 for stiles/strauss unless reference_sd is given)';
CREATE FUNCTION @extschema@.rupture_alert(session timestamp, score @extschema@.response,
        method text DEFAULT 'stiles', k numeric DEFAULT NULL, reference_sd numeric DEFAULT NULL,
        sd numeric DEFAULT NULL, reliability numeric DEFAULT NULL, points numeric DEFAULT NULL,
        cutoff numeric DEFAULT NULL) RETURNS boolean
    AS 'MODULE_PATHNAME', 'rupture_alert' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.rupture_alert(timestamp, @extschema@.response, text, numeric, numeric, numeric, numeric, numeric, numeric) IS
    'Window function: is this session a rupture, judged only from the sessions before it in OVER (PARTITION BY client ORDER BY session)? NULL without enough history (no earlier session; fewer than 3 for stiles/strauss unless reference_sd is given)';
CREATE FUNCTION @extschema@.rupture_alert(session timestamptz, score numeric,
        method text DEFAULT 'stiles', k numeric DEFAULT NULL, reference_sd numeric DEFAULT NULL,
        sd numeric DEFAULT NULL, reliability numeric DEFAULT NULL, points numeric DEFAULT NULL,
        cutoff numeric DEFAULT NULL) RETURNS boolean
    AS 'MODULE_PATHNAME', 'rupture_alert' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.rupture_alert(timestamptz, numeric, text, numeric, numeric, numeric, numeric, numeric, numeric) IS
    'Window function: is this session a rupture, judged only from the sessions before it in OVER (PARTITION BY client ORDER BY session)? NULL without enough history (no earlier session; fewer than 3 for stiles/strauss unless reference_sd is given)';
CREATE FUNCTION @extschema@.rupture_alert(session timestamptz, score double precision,
        method text DEFAULT 'stiles', k numeric DEFAULT NULL, reference_sd numeric DEFAULT NULL,
        sd numeric DEFAULT NULL, reliability numeric DEFAULT NULL, points numeric DEFAULT NULL,
        cutoff numeric DEFAULT NULL) RETURNS boolean
    AS 'MODULE_PATHNAME', 'rupture_alert' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.rupture_alert(timestamptz, double precision, text, numeric, numeric, numeric, numeric, numeric, numeric) IS
    'Window function: is this session a rupture, judged only from the sessions before it in OVER (PARTITION BY client ORDER BY session)? NULL without enough history (no earlier session; fewer than 3 for stiles/strauss unless reference_sd is given)';
CREATE FUNCTION @extschema@.rupture_alert(session timestamptz, score @extschema@.response,
        method text DEFAULT 'stiles', k numeric DEFAULT NULL, reference_sd numeric DEFAULT NULL,
        sd numeric DEFAULT NULL, reliability numeric DEFAULT NULL, points numeric DEFAULT NULL,
        cutoff numeric DEFAULT NULL) RETURNS boolean
    AS 'MODULE_PATHNAME', 'rupture_alert' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.rupture_alert(timestamptz, @extschema@.response, text, numeric, numeric, numeric, numeric, numeric, numeric) IS
    'Window function: is this session a rupture, judged only from the sessions before it in OVER (PARTITION BY client ORDER BY session)? NULL without enough history (no earlier session; fewer than 3 for stiles/strauss unless reference_sd is given)';

-- ---- src/pg/reporting.sql ----
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
    alpha numeric
);
COMMENT ON TYPE @extschema@.norms IS
    'Result of alliance.norms: n scored responses, the sample sd of their score and Cronbach''s alpha over the complete ones; pass (x).sd and (x).alpha to reliable_change';

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
        method text DEFAULT 'stiles', k numeric DEFAULT NULL, reference_sd numeric DEFAULT NULL,
        sd numeric DEFAULT NULL, reliability numeric DEFAULT NULL, points numeric DEFAULT NULL,
        cutoff numeric DEFAULT NULL, c1 numeric DEFAULT NULL, pct numeric DEFAULT 0.25,
        repair_window integer DEFAULT 3, eps numeric DEFAULT 0) RETURNS text
    AS 'MODULE_PATHNAME', 'reporting_sparkline' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.sparkline(@extschema@.trajectory, text, numeric, numeric, numeric, numeric, numeric, numeric, numeric, numeric, integer, numeric) IS
    'One line of text: a block glyph per session (U+2581-U+2588, scaled to the series'' own range), each rupture''s session followed by * (repaired), ! (unrepaired) or ? (open); ruptures by method and parameters as in ruptures()';

-- ---- src/pg/svg.sql ----
-- ------------------------------------------------------------ svg
-- alliance.svg(trajectory [, width, height, method, ...]): a self-contained
-- SVG chart (src/core/svg.h, src/pg/reporting_svg.c).  Not STRICT: the
-- optional parameters may be NULL (NULL width/height: the default size;
-- the rupture parameters as in ruptures()); a NULL trajectory gives NULL.
CREATE FUNCTION @extschema@.svg(t @extschema@.trajectory,
        width integer DEFAULT 640, height integer DEFAULT 240,
        method text DEFAULT 'stiles', k numeric DEFAULT NULL, reference_sd numeric DEFAULT NULL,
        sd numeric DEFAULT NULL, reliability numeric DEFAULT NULL, points numeric DEFAULT NULL,
        cutoff numeric DEFAULT NULL, c1 numeric DEFAULT NULL, pct numeric DEFAULT 0.25,
        repair_window integer DEFAULT 3, eps numeric DEFAULT 0) RETURNS text
    AS 'MODULE_PATHNAME', 'reporting_svg' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.svg(@extschema@.trajectory, integer, integer, text, numeric, numeric, numeric, numeric, numeric, numeric, numeric, numeric, integer, numeric) IS
    'A self-contained, deterministic SVG chart (width and height 120-4000 px): the series by session, the cut-off as a dashed line when known (the cutoff argument, else the instrument''s), ruptures marked by repair state (classes "rupture repaired|unrepaired|open") and repairs ("repair"), with tooltips; ruptures by method and parameters as in ruptures()';

-- ---- src/pg/fhir.sql ----
-- FHIR in and out (doc/fhir.md).  Nothing reads the session's TimeZone or
-- DateStyle (authored is parsed as a FHIR dateTime by hand, effectiveDateTime
-- printed in UTC).  to_fhir is IMMUTABLE; from_fhir and from_fhir_row are
-- STABLE, because which instrument a questionnaire canonical names depends on
-- the custom definitions present (a later fhir_url can claim a canonical that
-- matched a built-in code before).  Not STRICT: every function has optional
-- parameters, and returns NULL for a NULL resource or response itself.

CREATE FUNCTION @extschema@.from_fhir(questionnaire_response jsonb, instrument text DEFAULT NULL)
    RETURNS @extschema@.response
    AS 'MODULE_PATHNAME', 'alliance_from_fhir' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.from_fhir(jsonb, text) IS
    'A FHIR QuestionnaireResponse (jsonb) as a response. The instrument is the argument, else the questionnaire canonical (a custom fhir_url, else its last path segment as a code, version ignored). Items are matched by linkId (link_ids, item number, item label); groups are walked; values come from itemWeight/ordinalValue, valueInteger/valueDecimal, or a numeric valueCoding.code. Only completed or amended responses; malformed resources are 22023 errors naming the JSON path';

CREATE FUNCTION @extschema@.from_fhir_row(questionnaire_response jsonb, instrument text DEFAULT NULL,
    OUT response @extschema@.response, OUT subject text, OUT authored timestamptz,
    OUT encounter text, OUT questionnaire text, OUT status text)
    RETURNS record
    AS 'MODULE_PATHNAME', 'alliance_from_fhir_row' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.from_fhir_row(jsonb, text) IS
    'from_fhir plus the fields a trajectory needs: subject and encounter references, authored (a date without a time is midnight UTC), the questionnaire canonical as given, and status';

CREATE FUNCTION @extschema@.to_fhir(r @extschema@.response, subject text DEFAULT NULL,
    effective timestamptz DEFAULT NULL, derived_from text DEFAULT NULL,
    code_system text DEFAULT 'urn:alliance:placeholder:code-system')
    RETURNS jsonb
    AS 'MODULE_PATHNAME', 'alliance_to_fhir' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.to_fhir(@extschema@.response, text, timestamptz, text, text) IS
    'The response''s score as a FHIR R4 Observation (category survey): code <instrument>-total (or -mean), an exact valueQuantity in {score} or a dataAbsentReason, one component per subscale, the scoring rule in method, effectiveDateTime in UTC, derivedFrom when given. No LOINC codes exist for these instruments: code_system defaults to a placeholder a vendor replaces with a system it owns';
