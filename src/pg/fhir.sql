-- FHIR in and out (doc/fhir.md).  Nothing reads the session's TimeZone or
-- DateStyle (authored is parsed as a FHIR dateTime by hand, effectiveDateTime
-- printed in UTC).  Every function is STABLE: from_fhir and from_fhir_row
-- because which instrument a questionnaire canonical names depends on the
-- custom definitions present (a later fhir_url can claim a canonical that
-- matched a built-in code before), to_fhir and the CodeSystem because the
-- code system is the setting alliance.fhir_base_url's.  Not STRICT: every
-- function has optional parameters, and returns NULL for a NULL resource or
-- response itself.

CREATE FUNCTION @extschema@.from_fhir(questionnaire_response jsonb, instrument text DEFAULT NULL)
    RETURNS @extschema@.response
    AS 'MODULE_PATHNAME', 'alliance_from_fhir' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.from_fhir(jsonb, text) IS
    'A FHIR QuestionnaireResponse (jsonb) as a response. The instrument is the argument, else the questionnaire canonical (a custom fhir_url, else its last path segment as a code, version ignored). Items are matched by evidence that belongs to the instrument: its link_ids, a linkId prefix naming it (waisr-7, srs-overall), or a bare number or label at the top of its own response or in a group named for it; groups are walked; values come from itemWeight/ordinalValue (on the coding or the answer), valueInteger/valueDecimal, or the weight a contained Questionnaire gives a code (a code alone is no value). Only completed or amended responses; malformed resources are 22023 errors naming the JSON path';

CREATE FUNCTION @extschema@.from_fhir_row(questionnaire_response jsonb, instrument text DEFAULT NULL,
    OUT response @extschema@.response, OUT subject text, OUT authored timestamptz,
    OUT encounter text, OUT questionnaire text, OUT status text)
    RETURNS record
    AS 'MODULE_PATHNAME', 'alliance_from_fhir_row' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.from_fhir_row(jsonb, text) IS
    'from_fhir plus the fields a trajectory needs: subject and encounter references, authored (a date without a time is midnight UTC), the questionnaire canonical as given, and status';

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
