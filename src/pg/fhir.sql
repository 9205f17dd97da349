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
