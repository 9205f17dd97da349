-- FHIR in and out: from_fhir / from_fhir_row read QuestionnaireResponses
-- (doc/fhir.md shapes, linkId rules, value precedence, groups, errors with
-- JSON paths); to_fhir writes Observations (exact values, dataAbsentReason,
-- UTC effectiveDateTime whatever TimeZone says).
SET search_path = public, alliance;
SET TimeZone = 'UTC';

-- try(): the response, or SQLSTATE: message (detail)
CREATE FUNCTION pg_temp.try(doc jsonb, inst text DEFAULT NULL) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  d text;
BEGIN
  RETURN alliance.from_fhir(doc, inst)::text;
EXCEPTION WHEN others THEN
  GET STACKED DIAGNOSTICS d = PG_EXCEPTION_DETAIL;
  RETURN SQLSTATE || ': ' || SQLERRM || CASE WHEN d <> '' THEN ' (' || d || ')' ELSE '' END;
END $$;

-- try_to(): a query's one value, or SQLSTATE: message
CREATE FUNCTION pg_temp.try_to(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  v text;
BEGIN
  EXECUTE q INTO v;
  RETURN 'ok: ' || left(v, 60);
EXCEPTION WHEN others THEN
  RETURN SQLSTATE || ': ' || SQLERRM;
END $$;

-- qr(): a completed QuestionnaireResponse with these items
CREATE FUNCTION pg_temp.qr(items jsonb,
    questionnaire text DEFAULT 'https://example.org/fhir/Questionnaire/wai-sr|1.0.0',
    status text DEFAULT 'completed') RETURNS jsonb LANGUAGE sql AS $$
  SELECT jsonb_build_object('resourceType', 'QuestionnaireResponse', 'questionnaire', questionnaire,
                            'status', status, 'item', items)
$$;

-- ---------------------------------------------------------------------------
-- 1. The WAI-SR example of doc/fhir.md: item 1 an itemWeight coding, item 2
-- valueInteger, item 8 a coding with its itemWeight on the answer; waisr-7 (and items
-- 3-6, 9-12) absent.  Three items of twelve: the items are read, the total is
-- NULL (fewer than 75% answered), never a partial sum.
CREATE TEMP TABLE ex (name text PRIMARY KEY, doc jsonb);
INSERT INTO ex VALUES ('wai-sr', '{
  "resourceType": "QuestionnaireResponse",
  "id": "qr-123",
  "questionnaire": "https://example.org/fhir/Questionnaire/wai-sr|1.0.0",
  "status": "completed",
  "subject": {"reference": "Patient/p1"},
  "encounter": {"reference": "Encounter/e42"},
  "authored": "2025-03-04T15:50:00Z",
  "author": {"reference": "Patient/p1"},
  "item": [
    {"linkId": "waisr-1", "answer": [{"valueCoding": {
      "system": "https://example.org/fhir/CodeSystem/waisr-freq", "code": "4",
      "extension": [{"url": "http://hl7.org/fhir/StructureDefinition/itemWeight",
                     "valueDecimal": 4}]}}]},
    {"linkId": "waisr-2", "answer": [{"valueInteger": 5}]},
    {"linkId": "waisr-8", "answer": [{"valueCoding": {
      "system": "https://example.org/fhir/CodeSystem/waisr-freq", "code": "2"},
      "extension": [{"url": "http://hl7.org/fhir/StructureDefinition/itemWeight", "valueDecimal": 3}]}]}
  ]
}');
-- 2. The SRS example: decimals, linkIds by label.
INSERT INTO ex VALUES ('srs', '{
  "resourceType": "QuestionnaireResponse",
  "questionnaire": "https://example.org/fhir/Questionnaire/srs|3.0",
  "status": "completed",
  "subject": {"reference": "Patient/p1"},
  "authored": "2025-03-04T15:55:00Z",
  "item": [
    {"linkId": "srs-relationship", "answer": [{"valueDecimal": 9.4}]},
    {"linkId": "srs-goals",        "answer": [{"valueDecimal": 8.1}]},
    {"linkId": "srs-approach",     "answer": [{"valueDecimal": 9.0}]},
    {"linkId": "srs-overall",      "answer": [{"valueDecimal": 8.7}]}
  ]
}');

SELECT name, r, total(r), answered(r) FROM ex, LATERAL from_fhir(doc) AS r ORDER BY name;
SELECT item(from_fhir(doc), 7) AS waisr_7, subscale(from_fhir(doc), 'bond') AS bond
FROM ex WHERE name = 'wai-sr';

SELECT * FROM from_fhir_row((SELECT doc FROM ex WHERE name = 'wai-sr'));
SELECT * FROM from_fhir_row((SELECT doc FROM ex WHERE name = 'srs'));

-- ---------------------------------------------------------------------------
-- Value precedence: itemWeight over ordinalValue over the code; the weight
-- over valueInteger; valueInteger/valueDecimal over a numeric code; a code
-- alone is no value (answer codes are often positions counted from 0).
SELECT n, left(note, 60) AS note, pg_temp.try(pg_temp.qr(jsonb_build_array(a), 'Questionnaire/psq')) AS result
FROM (VALUES
  (1, 'itemWeight wins over the code',
   '{"linkId": "1", "answer": [{"valueCoding": {"code": "0", "extension": [
      {"url": "http://hl7.org/fhir/StructureDefinition/itemWeight", "valueDecimal": 1}]}}]}'::jsonb),
  (2, 'legacy ordinalValue',
   '{"linkId": "1", "answer": [{"valueCoding": {"code": "yes", "extension": [
      {"url": "http://hl7.org/fhir/StructureDefinition/ordinalValue", "valueDecimal": 0}]}}]}'),
  (3, 'itemWeight wins over ordinalValue, whatever the order',
   '{"linkId": "1", "answer": [{"valueCoding": {"code": "x", "extension": [
      {"url": "http://hl7.org/fhir/StructureDefinition/ordinalValue", "valueDecimal": 0},
      {"url": "http://example.org/other", "valueString": "ignored"},
      {"url": "http://hl7.org/fhir/StructureDefinition/itemWeight", "valueDecimal": 1}]}}]}'),
  (4, 'a weight as valueInteger',
   '{"linkId": "1", "answer": [{"valueCoding": {"code": "x", "extension": [
      {"url": "http://hl7.org/fhir/StructureDefinition/itemWeight", "valueInteger": 1}]}}]}'),
  (5, 'the weight wins over valueInteger',
   '{"linkId": "1", "answer": [{"valueInteger": 0, "valueCoding": {"code": "x", "extension": [
      {"url": "http://hl7.org/fhir/StructureDefinition/itemWeight", "valueDecimal": 1}]}}]}'),
  (6, 'valueInteger wins over a numeric code',
   '{"linkId": "1", "answer": [{"valueInteger": 0, "valueCoding": {"code": "1"}}]}'),
  (7, 'a numeric code alone is no value',
   '{"linkId": "1", "answer": [{"valueCoding": {"code": "1"}}]}'),
  (8, 'valueBoolean on a 0/1 item',
   '{"linkId": "psq-present", "answer": [{"valueBoolean": false}]}'),
  (9, 'a non-numeric code and no weight',
   '{"linkId": "1", "answer": [{"valueCoding": {"system": "http://loinc.org", "code": "LA33-6"}}]}'),
  (10, 'valueString is no number',
   '{"linkId": "1", "answer": [{"valueString": "1"}]}'),
  (11, 'an answer without a value',
   '{"linkId": "1", "answer": [{}]}')
) AS t(n, note, a) ORDER BY n;

-- valueBoolean counts only on a 0/1 item: on a 1-5 item it is no answer
SELECT pg_temp.try(pg_temp.qr('[{"linkId": "1", "answer": [{"valueInteger": 1}]},
                                {"linkId": "psq-intensity", "answer": [{"valueBoolean": true}]}]', 'Questionnaire/psq'));
-- an itemWeight on the answer itself (not on its coding) is read too
SELECT pg_temp.try(pg_temp.qr('[{"linkId": "waisr-3", "answer": [{"valueCoding": {"code": "LA-often"},
  "extension": [{"url": "http://hl7.org/fhir/StructureDefinition/itemWeight", "valueDecimal": 4}]}]}]'));

-- integers and decimals, each through the usual range and step checks (22003)
SELECT n, pg_temp.try(pg_temp.qr(jsonb_build_array(a), 'Questionnaire/srs')) AS result
FROM (VALUES
  (1, '{"linkId": "1", "answer": [{"valueDecimal": 9.4}]}'::jsonb),
  (2, '{"linkId": "1", "answer": [{"valueInteger": 9}]}'),
  (3, '{"linkId": "1", "answer": [{"valueDecimal": 9.45}]}'),
  (4, '{"linkId": "1", "answer": [{"valueDecimal": 10.1}]}'),
  (5, '{"linkId": "1", "answer": [{"valueDecimal": 1e30}]}'),
  (6, '{"linkId": "1", "answer": [{"valueCoding": {"code": "-1"}}]}')
) AS t(n, a) ORDER BY n;
SELECT pg_temp.try(pg_temp.qr('[{"linkId": "waisr-7", "answer": [{"valueInteger": 6}]}]'));
SELECT pg_temp.try(pg_temp.qr('[{"linkId": "waisr-7", "answer": [{"valueCoding": {"code": "4", "extension": [
  {"url": "http://hl7.org/fhir/StructureDefinition/itemWeight", "valueDecimal": 4.5}]}}]}]'));

-- ---------------------------------------------------------------------------
-- linkId matching: numbers ("7", "waisr-7", "waisr_7"), labels, groups.
SELECT pg_temp.try(pg_temp.qr('[
  {"linkId": "1", "answer": [{"valueInteger": 1}]},
  {"linkId": "waisr-2", "answer": [{"valueInteger": 2}]},
  {"linkId": "WAISR_3", "answer": [{"valueInteger": 3}]},
  {"linkId": "q-04", "answer": [{"valueInteger": 4}]},
  {"linkId": "comment", "answer": [{"valueString": "ignored: matches nothing"}]},
  {"linkId": "date", "answer": [{"valueDate": "2025-03-04"}]},
  {"linkId": "waisr-13", "answer": [{"valueInteger": 99}]},
  {"linkId": "/44250-9", "answer": [{"valueCoding": {"system": "http://loinc.org", "code": "LA6570-1"}}]}
]'));
SELECT pg_temp.try(pg_temp.qr('[
  {"linkId": "relationship", "answer": [{"valueDecimal": 9}]},
  {"linkId": "SRS_Goals", "answer": [{"valueDecimal": 8}]},
  {"linkId": "srs-3", "answer": [{"valueDecimal": 7}]},
  {"linkId": "q-overall", "answer": [{"valueDecimal": 6}]}
]', 'https://example.org/Questionnaire/SRS'));
-- evidence that belongs to the instrument: "form-overall" (a prefix naming
-- something else) is not item 4, nor "comment-7" item 7
SELECT pg_temp.try(pg_temp.qr('[
  {"linkId": "srs-relationship", "answer": [{"valueDecimal": 9}]},
  {"linkId": "form-overall", "answer": [{"valueDecimal": 6}]}
]', 'https://example.org/Questionnaire/SRS'));
SELECT pg_temp.try(pg_temp.qr('[
  {"linkId": "waisr-1", "answer": [{"valueInteger": 4}]},
  {"linkId": "comment-7", "answer": [{"valueInteger": 5}]}
]'));
-- an intake form with a PHQ-9 section and no WAI-SR item: refused, not read
SELECT pg_temp.try(pg_temp.qr('[
  {"linkId": "phq9", "item": [{"linkId": "1", "answer": [{"valueInteger": 2}]},
                              {"linkId": "phq9-2", "answer": [{"valueInteger": 3}]}]},
  {"linkId": "intake-7", "answer": [{"valueInteger": 1}]}
]', 'https://clinic.example/Questionnaire/intake'), 'wai_sr');
-- a PCOMS session: the SRS and the ORS in one response, each read by its own
-- items; bare numbers at the top belong to the questionnaire's instrument
SELECT i, pg_temp.try(pg_temp.qr('[
  {"linkId": "1", "answer": [{"valueDecimal": 9}]}, {"linkId": "2", "answer": [{"valueDecimal": 8}]},
  {"linkId": "3", "answer": [{"valueDecimal": 7}]}, {"linkId": "4", "answer": [{"valueDecimal": 9}]},
  {"linkId": "ors", "item": [{"linkId": "1", "answer": [{"valueDecimal": 5}]}, {"linkId": "2", "answer": [{"valueDecimal": 6}]},
                             {"linkId": "3", "answer": [{"valueDecimal": 4}]}, {"linkId": "ors-overall", "answer": [{"valueDecimal": 5.5}]}]}
]', 'https://clinic.example/Questionnaire/srs'), i) AS result
FROM (VALUES ('srs'), ('ors')) v(i);
-- answer weights given only in a contained Questionnaire (0-based codes)
SELECT pg_temp.try(pg_temp.qr('[{"linkId": "waisr-1", "answer": [{"valueCoding": {"system": "urn:x", "code": "3"}}]},
                                {"linkId": "waisr-2", "answer": [{"valueCoding": {"system": "urn:x", "code": "0"}}]}]')
  || '{"contained": [{"resourceType": "Questionnaire", "status": "active", "item": [
        {"linkId": "waisr-1", "type": "coding", "answerOption": [
          {"valueCoding": {"system": "urn:x", "code": "0", "extension": [{"url": "http://hl7.org/fhir/StructureDefinition/itemWeight", "valueDecimal": 1}]}},
          {"valueCoding": {"system": "urn:x", "code": "3", "extension": [{"url": "http://hl7.org/fhir/StructureDefinition/itemWeight", "valueDecimal": 4}]}}]},
        {"linkId": "waisr-2", "type": "coding", "answerOption": [
          {"valueCoding": {"system": "urn:x", "code": "0"},
           "extension": [{"url": "http://hl7.org/fhir/StructureDefinition/ordinalValue", "valueDecimal": 1}]}]}]}]}');

-- nested groups with ids g1, g2 (never read as items 1 and 2); an empty
-- answer and an item without answer are missing, never 0; questions nested
-- under an answer are walked too
SELECT r, total(r), answered(r) FROM from_fhir(pg_temp.qr('[
  {"linkId": "g1", "text": "first page", "item": [
    {"linkId": "waisr-1", "answer": [{"valueInteger": 5}]},
    {"linkId": "waisr-2", "answer": [{"valueInteger": 3}]},
    {"linkId": "g2", "item": [
      {"linkId": "waisr-3", "answer": [{"valueInteger": 5}]},
      {"linkId": "waisr-4", "answer": [{"valueInteger": 4}]},
      {"linkId": "waisr-5", "answer": [{"valueInteger": 5}]}
    ]}
  ]},
  {"linkId": "g3", "item": [
    {"linkId": "waisr-6", "answer": [{"valueInteger": 4}]},
    {"linkId": "waisr-7", "answer": []},
    {"linkId": "waisr-8", "answer": [{"valueInteger": 3}]},
    {"linkId": "waisr-9", "answer": [{"valueInteger": 5}]},
    {"linkId": "waisr-10"},
    {"linkId": "waisr-11", "answer": [{"valueInteger": 4}]},
    {"linkId": "waisr-12", "answer": [{"valueInteger": 3}]}
  ]}
]')) AS r;
-- a group with an empty answer array is still a group: g2 is not item 2
SELECT r FROM from_fhir(pg_temp.qr('[
  {"linkId": "g1", "item": [{"linkId": "7", "answer": [{"valueInteger": 2}]}]},
  {"linkId": "g2", "answer": [], "item": [{"linkId": "1", "answer": [{"valueInteger": 1}]}]}
]')) AS r;
-- answer.item: PSQ intensity and resolution asked under "rupture present"
SELECT r, at_risk(r) FROM from_fhir(pg_temp.qr('[
  {"linkId": "psq-present", "answer": [{"valueBoolean": true, "item": [
    {"linkId": "psq-intensity", "answer": [{"valueInteger": 4}]},
    {"linkId": "psq-resolution", "answer": [{"valueInteger": 2}]}
  ]}]}
]', 'https://example.org/Questionnaire/psq')) AS r;

-- ---------------------------------------------------------------------------
-- The instrument: the canonical's last segment (version stripped, - as _,
-- any case), or instrument => (which wins over the canonical).
SELECT q, pg_temp.try(pg_temp.qr('[{"linkId": "1", "answer": [{"valueInteger": 1}]}]', q)) AS result
FROM (VALUES ('https://example.org/fhir/Questionnaire/wai-sr|1.0.0'),
             ('https://example.org/fhir/Questionnaire/WAI-SR'),
             ('https://example.org/fhir/Questionnaire/wai_sr|2/3'),
             ('Questionnaire/haq2|1'),
             ('https://example.org/fhir/Questionnaire/tasc-r')) AS t(q);
-- instrument => wins, but the bare numbers of a response to the WAI-SR's
-- questionnaire are the WAI-SR's, never the ARM-5's
SELECT pg_temp.try(pg_temp.qr('[{"linkId": "1", "answer": [{"valueInteger": 1}]}]',
                              'https://example.org/fhir/Questionnaire/wai-sr|1.0.0'), 'ARM5') AS override;
SELECT pg_temp.try(pg_temp.qr('[{"linkId": "arm5-1", "answer": [{"valueInteger": 1}]}]',
                              'https://example.org/fhir/Questionnaire/wai-sr|1.0.0'), 'ARM5') AS override;
SELECT from_fhir(pg_temp.qr('[{"linkId": "1", "answer": [{"valueInteger": 1}]}]',
                            'https://example.org/fhir/Questionnaire/8812'), instrument => 'tasc_r') AS override;
\set VERBOSITY default
SELECT from_fhir(pg_temp.qr('[{"linkId": "1", "answer": [{"valueInteger": 1}]}]',
                            'https://example.org/fhir/Questionnaire/8812|4'));
SELECT from_fhir('{"resourceType": "QuestionnaireResponse", "status": "completed",
                   "item": [{"linkId": "1", "answer": [{"valueInteger": 1}]}]}');
SELECT from_fhir(pg_temp.qr('[]'), instrument => 'nope');
SELECT from_fhir(pg_temp.qr('[]'), instrument => 'wai-sr');

-- ---------------------------------------------------------------------------
-- Errors.  Two answers for one item name both paths:
SELECT from_fhir(pg_temp.qr('[
  {"linkId": "waisr-7", "answer": [{"valueInteger": 4}]},
  {"linkId": "comment", "answer": [{"valueString": "x"}]},
  {"linkId": "other"},
  {"linkId": "g1", "item": [
    {"linkId": "waisr-1", "answer": [{"valueInteger": 4}]},
    {"linkId": "7", "answer": [{"valueInteger": 5}]}
  ]}
]'));
SELECT from_fhir(pg_temp.qr('[{"linkId": "waisr-7", "answer": [{"valueInteger": 4}, {"valueInteger": 5}]}]'));
-- a repeated group (sdcqr-2) repeats its items
SELECT from_fhir(pg_temp.qr('[
  {"linkId": "g1", "item": [{"linkId": "srs-overall", "answer": [{"valueDecimal": 9}]}]},
  {"linkId": "g1", "item": [{"linkId": "srs-overall", "answer": [{"valueDecimal": 8}]}]}
]', 'srs'));
-- status
SELECT from_fhir(pg_temp.qr('[{"linkId": "1", "answer": [{"valueInteger": 1}]}]', status => 'in-progress'));
SELECT pg_temp.try(pg_temp.qr('[{"linkId": "1", "answer": [{"valueInteger": 1}]}]', status => s)) AS result, s
FROM (VALUES ('completed'), ('amended'), ('stopped'), ('entered-in-error'), ('Completed')) AS t(s);
-- nothing matches
SELECT from_fhir(pg_temp.qr('[{"linkId": "g1", "item": [{"linkId": "comment", "answer": [{"valueString": "x"}]}]}]'));
SELECT from_fhir(pg_temp.qr('[]'));
-- PSQ rules still apply (item 1 required)
SELECT from_fhir(pg_temp.qr('[{"linkId": "psq-intensity", "answer": [{"valueInteger": 3}]}]', 'psq'));

-- Malformed documents: 22023, naming the JSON path.
SELECT n, pg_temp.try(d) AS result FROM (VALUES
  (1, '[]'::jsonb),
  (2, '"QuestionnaireResponse"'),
  (3, '{"status": "completed", "item": []}'),
  (4, '{"resourceType": "Observation", "status": "final"}'),
  (5, '{"resourceType": 7, "status": "completed"}'),
  (6, '{"resourceType": "QuestionnaireResponse", "status": 1}'),
  (7, '{"resourceType": "QuestionnaireResponse", "status": "completed", "questionnaire": {"x": 1}}'),
  (8, '{"resourceType": "QuestionnaireResponse", "status": "completed", "questionnaire": "wai-sr", "item": {"linkId": "1"}}'),
  (9, '{"resourceType": "QuestionnaireResponse", "status": "completed", "questionnaire": "wai-sr", "item": ["waisr-1"]}'),
  (10, '{"resourceType": "QuestionnaireResponse", "status": "completed", "questionnaire": "wai-sr", "item": [{"answer": []}]}'),
  (11, '{"resourceType": "QuestionnaireResponse", "status": "completed", "questionnaire": "wai-sr", "item": [{"linkId": 1}]}'),
  (12, '{"resourceType": "QuestionnaireResponse", "status": "completed", "questionnaire": "wai-sr", "item": [
        {"linkId": "1", "answer": [{"valueInteger": 1}]}, {"linkId": "2"}, {"linkId": "3"},
        {"linkId": "4", "answer": {"valueInteger": 4}}]}'),
  (13, '{"resourceType": "QuestionnaireResponse", "status": "completed", "questionnaire": "wai-sr", "item": [
        {"linkId": "1", "answer": [4]}]}'),
  (14, '{"resourceType": "QuestionnaireResponse", "status": "completed", "questionnaire": "wai-sr", "item": [
        {"linkId": "g1", "item": [{"linkId": "1"}, {"linkId": "2", "answer": [{"valueInteger": "4"}]}]}]}'),
  (15, '{"resourceType": "QuestionnaireResponse", "status": "completed", "questionnaire": "wai-sr", "item": [
        {"linkId": "3", "answer": [{"valueDecimal": null}]}]}'),
  (16, '{"resourceType": "QuestionnaireResponse", "status": "completed", "questionnaire": "wai-sr", "item": [
        {"linkId": "3", "answer": [{"valueCoding": "4"}]}]}'),
  (17, '{"resourceType": "QuestionnaireResponse", "status": "completed", "questionnaire": "wai-sr", "item": [
        {"linkId": "3", "answer": [{"valueCoding": {"code": 4}}]}]}'),
  (18, '{"resourceType": "QuestionnaireResponse", "status": "completed", "questionnaire": "wai-sr", "item": [
        {"linkId": "3", "answer": [{"valueCoding": {"code": "4", "extension": {"url": "x"}}}]}]}'),
  (19, '{"resourceType": "QuestionnaireResponse", "status": "completed", "questionnaire": "wai-sr", "item": [
        {"linkId": "3", "answer": [{"valueCoding": {"code": "4", "extension": [{"valueDecimal": 4}]}}]}]}'),
  (20, '{"resourceType": "QuestionnaireResponse", "status": "completed", "questionnaire": "wai-sr", "item": [
        {"linkId": "3", "answer": [{"valueCoding": {"code": "4", "extension": [
          {"url": "http://hl7.org/fhir/StructureDefinition/itemWeight", "valueDecimal": "4"}]}}]}]}'),
  (21, '{"resourceType": "QuestionnaireResponse", "status": "completed", "questionnaire": "wai-sr", "item": [
        {"linkId": "3", "answer": [{"valueCoding": {"code": "4", "extension": [
          {"url": "http://hl7.org/fhir/StructureDefinition/ordinalValue"}]}}]}]}'),
  (22, '{"resourceType": "QuestionnaireResponse", "status": "completed", "questionnaire": "wai-sr", "item": [
        {"linkId": "g1", "item": {"linkId": "1"}}]}'),
  (23, '{"resourceType": "QuestionnaireResponse", "status": "completed", "questionnaire": "wai-sr", "item": [
        {"linkId": "1", "answer": [{"valueInteger": 1, "item": [{"linkId": "2", "answer": "5"}]}]}]}'),
  (24, '{"resourceType": "QuestionnaireResponse", "status": "completed", "questionnaire": "wai-sr", "subject": "Patient/p1", "item": []}'),
  (25, '{"resourceType": "QuestionnaireResponse", "status": "completed", "questionnaire": "wai-sr", "subject": {"reference": 5}, "item": []}'),
  -- an unmatched item is ignored, but its structure is still checked
  (26, '{"resourceType": "QuestionnaireResponse", "status": "completed", "questionnaire": "wai-sr", "item": [
        {"linkId": "1", "answer": [{"valueInteger": 1}]}, {"linkId": "comment", "answer": "x"}]}'),
  (27, '{"resourceType": "QuestionnaireResponse", "status": "completed", "questionnaire": "wai-sr", "item": [
        {"linkId": "1", "answer": [{"valueInteger": 1}]}, {"linkId": "comment", "answer": [{"valueBoolean": "yes"}]}]}')
) AS t(n, d) ORDER BY n;

-- from_fhir_row: fields, authored parsed as a FHIR dateTime whatever the
-- session's TimeZone and DateStyle
SET TimeZone = 'America/New_York';
SET DateStyle = 'SQL, DMY';
SELECT a, (from_fhir_row(pg_temp.qr('[{"linkId": "1", "answer": [{"valueInteger": 1}]}]')
                         || jsonb_build_object('authored', a))).authored AT TIME ZONE 'UTC' AS authored_utc
FROM (VALUES ('2025-03-04T15:50:00Z'), ('2025-03-04T15:50:00+02:00'), ('2025-03-04T15:50:00.123456-05:30'),
             ('2025-03-04T23:59:60Z'), ('2025-03-04'), ('2025-03'), ('2025'), ('2024-02-29')) AS t(a);
-- from_fhir does not read authored; from_fhir_row parses it strictly
SELECT pg_temp.try(pg_temp.qr('[{"linkId": "1", "answer": [{"valueInteger": 1}]}]')
                   || '{"authored": "2025-03-04T15:50:00"}') AS from_fhir_ignores_authored;
CREATE FUNCTION pg_temp.try_row(doc jsonb) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  RETURN (alliance.from_fhir_row(doc)).authored::text;
EXCEPTION WHEN others THEN
  RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
SELECT a, pg_temp.try_row(pg_temp.qr('[{"linkId": "1", "answer": [{"valueInteger": 1}]}]')
                          || jsonb_build_object('authored', a)) AS result
FROM (VALUES ('2025-03-04T15:50:00'), ('2025-03-04T15:50Z'), ('2025-02-29'), ('2025-13'), ('0000'),
             ('2025-03-04 15:50:00Z'), ('now'), ('2025-03-04T15:50:00+15:00'), ('2025-03-04T24:00:00Z'),
             ('2025-03-04T15:50:00.Z')) AS t(a);
RESET DateStyle;
SELECT (r).response, (r).subject, (r).authored, (r).encounter, (r).questionnaire, (r).status
FROM (SELECT from_fhir_row(doc) AS r FROM ex WHERE name = 'wai-sr') s;
SET TimeZone = 'UTC';
SELECT * FROM from_fhir_row(pg_temp.qr('[{"linkId": "1", "answer": [{"valueInteger": 1}]}]',
                                       'https://example.org/fhir/Questionnaire/8812', 'amended'), 'tasc_r');
SELECT from_fhir(NULL), from_fhir(NULL, 'srs'), (from_fhir_row(NULL)).response IS NULL AS row_null;

-- the EHR engineer's INSERT ... SELECT
CREATE TEMP TABLE questionnaire_responses (id text PRIMARY KEY, resource jsonb);
INSERT INTO questionnaire_responses SELECT name, doc FROM ex;
CREATE TEMP TABLE scores AS
  SELECT id, (f).response AS r, (f).subject, (f).authored
  FROM (SELECT id, from_fhir_row(resource) AS f FROM questionnaire_responses) s;
SELECT id, r, score(r), subject, authored FROM scores ORDER BY id;

-- ---------------------------------------------------------------------------
-- to_fhir: Observations.  Complete WAI-SR: total 48 (task 14, goal 15, bond 19).
SET TimeZone = 'Asia/Kolkata';
SELECT jsonb_pretty(to_fhir('wai_sr(4,3,5,4,5,4,4,3,5,4,4,3)', subject => 'Patient/p1',
                            effective => '2025-03-04 21:20:00+05:30',
                            derived_from => 'QuestionnaireResponse/qr-123',
                            code_system => 'https://example.org/alliance-codes'));
-- prorated: item 7 missing; bond 20 = (5+5+5)/3 x 4, total 45/11 x 12 with
-- numeric's full precision, equal to total(); fractional seconds kept
SELECT jsonb_pretty(to_fhir('wai_sr(5,3,5,4,5,4,null,3,5,4,4,3)', 'Patient/p1',
                            '2025-03-04 15:50:00.25+00', 'QuestionnaireResponse/qr-124'));
SELECT (to_fhir('wai_sr(5,3,5,4,5,4,null,3,5,4,4,3)') -> 'valueQuantity' ->> 'value')::numeric
       = total('wai_sr(5,3,5,4,5,4,null,3,5,4,4,3)') AS exact_total;
-- too few answered: dataAbsentReason on the total and on the short subscales;
-- no subject, effective, derivedFrom keys when not given
SELECT jsonb_pretty(to_fhir(from_fhir(doc))) FROM ex WHERE name = 'wai-sr';
-- SRS: items are the subscales; a missing item leaves no total (VAS forms)
SELECT jsonb_pretty(to_fhir(from_fhir(doc), effective => '2025-03-04T15:55:00Z')) FROM ex WHERE name = 'srs';
SELECT to_fhir('srs(9.4,null,9.0,8.7)') -> 'dataAbsentReason' AS srs_missing;
SELECT c -> 'code' -> 'coding' -> 0 ->> 'code' AS component, c - 'code' AS value
FROM jsonb_array_elements(to_fhir('srs(9.4,null,9.0,8.7)') -> 'component') AS c;
-- no subscales: no component key; the code names the instrument's score
-- (total for every built-in, ARM-5 included)
SELECT to_fhir('haq2(6,5,6,1,5,6,5,2,6,5,1,6,5,6,5,2,4,6,1)') ? 'component' AS haq2_has_components,
       to_fhir('haq2(6,5,6,1,5,6,5,2,6,5,1,6,5,6,5,2,4,6,1)') -> 'valueQuantity' ->> 'value' AS haq2_total,
       to_fhir('arm5(6,6,2,7,5)') -> 'code' -> 'coding' -> 0 ->> 'code' AS arm5_code;
-- PSQ: no total (not-applicable), components per item
SELECT jsonb_pretty(to_fhir('psq(1,4,null)'));
SELECT c -> 'code' -> 'coding' -> 0 ->> 'code' AS component, c - 'code' AS value
FROM jsonb_array_elements(to_fhir('psq(0,null,null)') -> 'component') AS c;
-- round trip: Observation value equals the score for every built-in example
SELECT r, (to_fhir(r::alliance.response) -> 'valueQuantity' ->> 'value')::numeric = score(r::alliance.response) AS same
FROM (VALUES ('wai(2,6,3,6,6,6,2,6,3,2,2,2,6,7,2,6,7,6,7,2,6,6,6,6,6,7,2,6,2,6,2,6,2,3,6,6)'),
             ('wai_s(6,5,7,2,6,6,7,6,6,5,5,6)'), ('ors(4.0,5.5,6.0,4.5)'), ('tasc_r(4,1,4,3,2,4,1,1,3,4,2,4)'),
             ('arm5(4,3,5,4,4)')) AS t(r);
-- bad effective, NULL arguments
SELECT to_fhir('srs(9,9,9,9)', effective => 'infinity');
SELECT to_fhir('srs(9,9,9,9)', effective => '10000-01-01 00:00:00+00');
SELECT to_fhir(NULL), to_fhir('srs(9,9,9,9)', code_system => NULL) -> 'code' AS null_code_system_is_default;

-- to_fhir writes valid FHIR only: an empty or padded reference, or a code
-- system that is no absolute URI, is refused (22023), naming the argument
SELECT pg_temp.try_to(a) FROM (VALUES
  ($$SELECT to_fhir('srs(9,9,9,9)', subject => '')$$),
  ($$SELECT to_fhir('srs(9,9,9,9)', subject => ' Patient/p1')$$),
  ($$SELECT to_fhir('srs(9,9,9,9)', derived_from => '')$$),
  ($$SELECT to_fhir('srs(9,9,9,9)', code_system => 'not a uri')$$),
  ($$SELECT to_fhir('srs(9,9,9,9)', code_system => 'codes')$$),
  ($$SELECT to_fhir('srs(9,9,9,9)', code_system => 'https://fhir.example/Code System')$$),
  ($$SELECT to_fhir('srs(9,9,9,9)', code_system => 'urn:oid:2.16.840.1.113883.1')->'code'->'coding'->0->>'system'$$)
) v(a);
-- a subject given as an identifier is read as system|value; one with neither
-- a reference nor an identifier would pool clients, and is refused
SELECT (from_fhir_row(pg_temp.qr('[{"linkId": "1", "answer": [{"valueInteger": 1}]}]')
        || '{"subject": {"identifier": {"system": "urn:oid:1.2.3", "value": "p-7"}}}')).subject;
SELECT (from_fhir_row(pg_temp.qr('[{"linkId": "1", "answer": [{"valueInteger": 1}]}]')
        || '{"subject": {"display": "Ann"}}')).subject;

-- the code system: the setting alliance.fhir_base_url, else the placeholder;
-- an instrument with a cut-off gets referenceRange and interpretation
SELECT to_fhir('srs(9.1,8.4,7.9,8.8)')->'interpretation' AS at_risk_srs,
       to_fhir('srs(9,9,9,9)')->'interpretation'->0->'coding'->0->>'code' AS srs_36,
       to_fhir('ors(6,6,6,6)')->'referenceRange' AS ors_range,
       to_fhir('wai_sr(4,4,4,4,4,4,4,4,4,4,4,4)') ?| ARRAY['interpretation', 'referenceRange'] AS wai_sr_has_none,
       to_fhir('srs(9,9,null,9)') ? 'interpretation' AS unscored_has_none;
SELECT to_fhir('srs(9,9,9,9)', encounter => 'Encounter/e1', performer => 'Patient/p1') -> 'encounter' AS encounter,
       to_fhir('srs(9,9,9,9)', encounter => 'Encounter/e1', performer => 'Patient/p1') -> 'performer' AS performer;
SELECT pg_temp.try_to($$SELECT to_fhir('srs(9,9,9,9)', encounter => '')$$);
SET alliance.fhir_base_url = 'https://fhir.clinic.example/fhir';
SELECT to_fhir('srs(9,9,9,9)')->'code'->'coding'->0->>'system' AS from_the_setting,
       to_fhir('srs(9,9,9,9)', code_system => 'urn:oid:1.2.3')->'code'->'coding'->0->>'system' AS given;
SET alliance.fhir_base_url = 'https://fhir.clinic.example/fhir/';
SET alliance.fhir_base_url = 'fhir server';
RESET alliance.fhir_base_url;
SELECT fhir_code_system_url();
-- the CodeSystem lists every code to_fhir writes, for every instrument known
SELECT c->>'resourceType' AS type, c->>'url' AS url, c->>'status' AS status, c->>'content' AS content,
       (c->>'count')::int = jsonb_array_length(c->'concept') AS count_right,
       (SELECT count(*) FROM jsonb_array_elements(c->'concept') x
        WHERE x->>'code' ~ '-(total|mean)$' OR x->>'code' = 'psq-rupture') = (SELECT count(*) FROM instruments) AS one_score_code_each
FROM fhir_codesystem('https://fhir.clinic.example/fhir/CodeSystem/alliance') c;
SELECT count(*) AS observation_codes_missing_from_the_codesystem
FROM (SELECT DISTINCT x->>'code' AS code
      FROM instruments i,
           LATERAL to_fhir(response(i.code, ARRAY(SELECT i.min FROM generate_series(1, i.items)))) o,
           LATERAL jsonb_path_query(o, '$.**.coding[*] ? (@.system == "urn:alliance:placeholder:code-system")') x
      WHERE i.code <> 'psq') o
WHERE code NOT IN (SELECT jsonb_array_elements(fhir_codesystem()->'concept')->>'code');
SELECT * FROM fhir_concepts('srs');
SELECT pg_temp.try_to($$SELECT fhir_codesystem('not a uri')$$);

-- Questionnaires: one for every instrument; a response to it, as a form
-- renderer writes one (the chosen answerOption's coding, or the number), is
-- read back exactly
CREATE FUNCTION pg_temp.answer(q jsonb, r alliance.response) RETURNS jsonb LANGUAGE sql AS $$
  SELECT jsonb_build_object('resourceType', 'QuestionnaireResponse', 'status', 'completed',
                            'questionnaire', q->>'url',
                            'item', jsonb_agg(jsonb_build_object('linkId', it->>'linkId', 'answer',
     CASE WHEN alliance.item(r, n::int) IS NULL THEN '[]'::jsonb
          WHEN it->>'type' = 'choice' THEN jsonb_build_array(jsonb_build_object('valueCoding',
               (SELECT o->'valueCoding' FROM jsonb_array_elements(it->'answerOption') o
                WHERE (o->'valueCoding'->>'code')::numeric = alliance.item(r, n::int))))
          WHEN it->>'type' = 'integer' THEN jsonb_build_array(jsonb_build_object('valueInteger', alliance.item(r, n::int)))
          ELSE jsonb_build_array(jsonb_build_object('valueDecimal', alliance.item(r, n::int))) END) ORDER BY n))
  FROM jsonb_array_elements(q->'item') WITH ORDINALITY x(it, n)
$$;
SELECT define_instrument(code => 'qform', name => 'Questionnaire test form', items => 3, min => 0, max => 4.5, step => 0.5,
                         link_ids => '{first,second,third}');
CREATE TEMP TABLE answered AS
SELECT r FROM (VALUES ('wai_sr(4,3,5,4,5,4,1,3,5,4,4,3)'::response), ('wai_sr(4,null,5,4,5,4,null,3,5,4,4,3)'),
                      ('wai(2,6,3,6,6,6,2,6,3,2,2,2,6,7,2,6,7,6,7,2,6,6,6,6,6,7,2,6,2,6,2,6,2,3,6,6)'),
                      ('wai_s(6,5,7,2,6,6,7,6,6,5,5,6)'), ('srs(9.1,8.4,7.9,8.8)'), ('ors(4.0,5.5,6.0,4.5)'),
                      ('haq2(6,5,6,1,5,6,5,2,6,5,1,6,5,6,5,2,4,6,1)'), ('arm5(6,6,2,7,5)'),
                      ('tasc_r(4,1,4,3,2,4,1,1,3,4,2,4)'), ('psq(1,4,2)'), ('psq(0,null,null)'), ('qform(0,2.5,4.5)')) v(r);
SELECT instrument(r) AS instrument, q->>'url' AS url, q->'item'->0->>'linkId' AS first_link_id, q->'item'->0->>'type' AS type,
       jsonb_array_length(coalesce(q->'item'->0->'answerOption', '[]')) AS options,
       from_fhir(pg_temp.answer(q, r)) = r AS read_back_exactly
FROM answered, LATERAL fhir_questionnaire(instrument(r)) q ORDER BY 1, 6;
SELECT q->>'resourceType' AS type, q->>'name' AS name, q->>'status' AS status, length(q->>'version') AS version_digits,
       q->'item'->0->'answerOption'->4 AS fifth_option
FROM fhir_questionnaire('wai_sr') q;
SELECT fhir_questionnaire('srs')->'item'->0 AS srs_item_1;
SET alliance.fhir_base_url = 'https://fhir.clinic.example/fhir';
SELECT fhir_questionnaire('qform')->>'url' AS custom_url_from_the_setting,
       from_fhir(pg_temp.answer(fhir_questionnaire('qform'), 'qform(1,2,3)')) AS read_back;
RESET alliance.fhir_base_url;
SELECT fhir_questionnaire('nope');
DROP TABLE answered;
SELECT drop_instrument('qform');

-- Ruptures and alerts as DetectedIssue: status by the alert's (open
-- preliminary, acknowledged or resolved final, data changed cancelled),
-- severity by kind, mitigation when acknowledged, repaired or resolved
SELECT a->>'status' AS alert_status, a->>'resolved_by' AS resolved_by, i->>'status' AS status, i->>'severity' AS severity,
       i->'code'->'coding'->0->>'code' AS code, i->>'detail' AS detail,
       (SELECT string_agg(m->'action'->'coding'->0->>'code' || ' ' || (m->>'date'), ', ') FROM jsonb_array_elements(i->'mitigation') m) AS mitigation
FROM (VALUES
  ('{"kind": "rupture", "method": "level", "status": "open", "detail": {"drop": 9.0, "level": 36.0, "score": 27.0, "threshold": 7.2}}'::jsonb),
  ('{"kind": "rupture", "method": "level", "status": "acknowledged", "acknowledged_at": "2025-03-05T10:00:00+00", "note": "talked", "detail": {"drop": 9.0, "level": 36.0, "score": 27.0, "threshold": 7.2}}'),
  ('{"kind": "rupture", "method": "level", "status": "resolved", "resolved_by": "repair", "resolved_at": "2025-03-11T09:00:00+00", "detail": {"drop": 9.0, "level": 36.0, "score": 27.0, "threshold": 7.2}}'),
  ('{"kind": "below_cutoff", "method": "cutoff", "status": "resolved", "resolved_by": "data changed", "resolved_at": "2025-03-06T09:00:00+00", "detail": {"score": 27.0, "threshold": 36.0}}'),
  ('{"kind": "sudden_loss", "method": "sudden", "status": "resolved", "resolved_by": "ann", "resolved_at": "2025-03-07T09:00:00+00", "detail": {"drop": 12.0, "level": 36.0, "score": 24.0, "threshold": 6.652}}'),
  ('{"kind": "reliable_deterioration", "method": "reliable_change", "status": "open", "detail": {"score": 24.0, "baseline": 36.0, "delta": -12.0}}'),
  ('{"kind": "unseen_rupture", "method": "unseen", "status": "open", "detail": {"client_drop": 50.694, "therapist_drop": 0}}')
) v(a), LATERAL to_fhir_detected_issue(a, patient => 'Patient/p7', identified => '2025-03-04 15:50+00',
                                       implicated => ARRAY['Observation/o4', 'Observation/o5']) i;
SELECT to_fhir_detected_issue('{"kind": "rupture"}'::jsonb) ?| ARRAY['patient', 'implicated', 'mitigation', 'identifiedDateTime'] AS has_what_was_not_given;
SELECT pg_temp.try_to(q) FROM (VALUES ($$SELECT to_fhir_detected_issue('{"kind": "drop"}'::jsonb)$$),
                                      ($$SELECT to_fhir_detected_issue('[1]'::jsonb)$$),
                                      ($$SELECT to_fhir_detected_issue('{"kind": "rupture", "status": "closed"}'::jsonb)$$),
                                      ($$SELECT to_fhir_detected_issue('{"kind": "rupture"}'::jsonb, patient => '')$$)) v(q);
-- from ruptures(): the session's time, the repair as mitigation
SELECT i->>'identifiedDateTime' AS identified, i->>'status' AS status, i->>'detail' AS detail,
       i->'mitigation'->0->>'date' AS repaired
FROM ruptures('date:srs{2025-01-06=36,2025-01-13=36,2025-01-20=36,2025-01-27=27,2025-02-03=36}') r,
     LATERAL to_fhir_detected_issue(r, patient => 'Patient/p1') i;
-- from current(): an open rupture, a recent repair, below the cut-off; none for a stable client
SELECT t, c.state, i->>'status' AS status, i->'code'->'coding'->0->>'code' AS code, i->>'identifiedDateTime' AS identified,
       i->'mitigation'->0->'action'->'coding'->0->>'code' AS mitigation
FROM (VALUES ('date:srs{2025-01-06=38,2025-01-13=38,2025-01-20=38,2025-01-27=30}'::trajectory),
             ('date:srs{2025-01-06=38,2025-01-13=38,2025-01-20=38,2025-01-27=30,2025-02-03=38}'),
             ('date:srs{2025-01-06=35,2025-01-13=35.5,2025-01-20=35}'),
             ('date:srs{2025-01-06=38,2025-01-13=38,2025-01-20=38}')) v(t),
     LATERAL current(t) c, LATERAL (SELECT to_fhir_detected_issue(c, patient => 'Patient/p1') AS i) x;
-- an alerts-table row, as it is
CREATE TEMP TABLE some_alerts (id bigint, client int, session_key int, kind text, method text, detail jsonb, raised_at timestamptz,
                               status text, acknowledged_by name, acknowledged_at timestamptz, note text, resolved_by text, resolved_at timestamptz);
INSERT INTO some_alerts VALUES (1, 7, 5, 'rupture', 'level', '{"drop": 9.0, "level": 36.0, "score": 27.0, "threshold": 7.2}', now(),
                                'open', NULL, NULL, NULL, NULL, NULL);
SELECT to_fhir_detected_issue(to_jsonb(a), patient => 'Patient/' || a.client)->>'detail' FROM some_alerts a;
-- Bundles: collection (the default), transaction with a request per entry
SET alliance.fhir_base_url = 'https://fhir.clinic.example/fhir';
SELECT b->>'type' AS type, jsonb_array_length(b->'entry') AS entries,
       b->'entry'->0->'request' AS first_request, b->'entry'->1->>'fullUrl' AS second_full_url,
       b->'entry'->0->>'fullUrl' LIKE 'urn:uuid:%' AS new_resource_gets_a_uuid
FROM fhir_bundle(ARRAY[to_fhir('srs(9,9,9,9)'), '{"resourceType": "Patient", "id": "p1"}'::jsonb], 'transaction') b;
SELECT b->>'type' AS type, jsonb_array_length(b->'entry') AS entries, b->'entry'->1 ? 'request' AS has_request
FROM (SELECT fhir_bundle(to_fhir(r)) AS b FROM (VALUES ('srs(9,9,9,9)'::response), ('ors(5,5,5,5)')) v(r)) x;
RESET alliance.fhir_base_url;
-- an empty group: a Bundle without entries (FHIR has no empty arrays)
SELECT fhir_bundle(x) AS bundle FROM (SELECT NULL::jsonb WHERE false) v(x);
-- the same resources make the same Bundle
SELECT fhir_bundle(ARRAY[to_fhir('srs(9,9,9,9)')], 'batch') = fhir_bundle(ARRAY[to_fhir('srs(9,9,9,9)')], 'batch') AS same;
SELECT pg_temp.try_to(q) FROM (VALUES ($$SELECT fhir_bundle(ARRAY['{"resourceType": "Patient"}'::jsonb], 'document')$$),
                                      ($$SELECT fhir_bundle(ARRAY['{"id": "x"}'::jsonb])$$),
                                      ($$SELECT fhir_bundle(ARRAY[NULL::jsonb])$$)) v(q);

-- Every instrument a response holds: a PCOMS session with the SRS on top (its
-- questionnaire) and the ORS in its own group; items of a third form are
-- read only where a prefix or group names it
SELECT * FROM from_fhir_all(pg_temp.qr('[
  {"linkId": "1", "answer": [{"valueDecimal": 9}]}, {"linkId": "2", "answer": [{"valueDecimal": 8}]},
  {"linkId": "3", "answer": [{"valueDecimal": 7}]}, {"linkId": "4", "answer": [{"valueDecimal": 9}]},
  {"linkId": "ors", "item": [{"linkId": "1", "answer": [{"valueDecimal": 5}]}, {"linkId": "2", "answer": [{"valueDecimal": 6}]},
                             {"linkId": "3", "answer": [{"valueDecimal": 4}]}, {"linkId": "ors-overall", "answer": [{"valueDecimal": 5.5}]}]},
  {"linkId": "psq-present", "answer": [{"valueBoolean": false}]}
]', 'https://clinic.example/Questionnaire/srs'));
-- an intake form that names none: nothing
SELECT count(*) AS held FROM from_fhir_all(pg_temp.qr('[{"linkId": "1", "answer": [{"valueInteger": 2}]}]',
                                                      'https://clinic.example/Questionnaire/intake'));
-- what it holds is checked as from_fhir checks it
SELECT pg_temp.try_to($$SELECT response::text FROM alliance.from_fhir_all('{"resourceType": "QuestionnaireResponse",
  "status": "completed", "questionnaire": "https://clinic.example/Questionnaire/intake",
  "item": [{"linkId": "ors-1", "answer": [{"valueDecimal": 11}]}]}')$$);
