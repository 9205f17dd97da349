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
