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

CREATE VIEW @extschema@.instruments AS
    SELECT * FROM @extschema@.builtin_instruments();
COMMENT ON VIEW @extschema@.instruments IS
    'Every instrument this database knows: code, items, range and step, reversed items, scales, Bordin mapping, cut-off, missing-item rule, score, norms, labels, citation, evidence mark (V verified, S secondary, D derived, R recalled) and definition fingerprint';
GRANT SELECT ON @extschema@.instruments TO PUBLIC;
