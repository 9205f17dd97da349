-- The FHIR walk (which reads jsonb in the server, so libFuzzer cannot reach
-- it) fuzzed from SQL: 3000 QuestionnaireResponses made by 1 to 4 random
-- mutations of valid SRS, WAI-SR and PSQ responses (a value at a random path
-- replaced by a hostile one, or removed), each read by from_fhir with and
-- without an instrument and by from_fhir_row.  Every call returns a value or
-- fails with a precise SQLSTATE; none is an internal error, none crashes.
SET search_path = public, alliance;
SELECT setseed(0.13);
-- every path of a jsonb value, as text[]
CREATE FUNCTION pg_temp.paths(j jsonb, prefix text[] DEFAULT '{}') RETURNS SETOF text[] LANGUAGE plpgsql AS $$
DECLARE
    k text;
    i int;
BEGIN
    IF jsonb_typeof(j) = 'object' THEN
        FOR k IN SELECT jsonb_object_keys(j) LOOP
            RETURN NEXT prefix || k;
            RETURN QUERY SELECT * FROM pg_temp.paths(j -> k, prefix || k);
        END LOOP;
    ELSIF jsonb_typeof(j) = 'array' THEN
        FOR i IN 0 .. jsonb_array_length(j) - 1 LOOP
            RETURN NEXT prefix || i::text;
            RETURN QUERY SELECT * FROM pg_temp.paths(j -> i, prefix || i::text);
        END LOOP;
    END IF;
END $$;
CREATE TEMP TABLE seeds (doc jsonb);
INSERT INTO seeds VALUES
  ('{"resourceType": "QuestionnaireResponse", "status": "completed", "questionnaire": "https://example.org/Questionnaire/srs|3.0",
     "subject": {"reference": "Patient/p1"}, "authored": "2025-03-04T15:50:00+01:00",
     "item": [{"linkId": "1", "answer": [{"valueDecimal": 9.1}]}, {"linkId": "2", "answer": [{"valueDecimal": 8.4}]},
              {"linkId": "3", "answer": [{"valueDecimal": 7.9}]}, {"linkId": "4", "answer": [{"valueDecimal": 8.8}]}]}'),
  ('{"resourceType": "QuestionnaireResponse", "status": "completed", "questionnaire": "Questionnaire/wai-sr",
     "item": [{"linkId": "g", "item": [{"linkId": "1", "answer": [{"valueCoding": {"code": "4", "extension": [{"url": "http://hl7.org/fhir/StructureDefinition/itemWeight", "valueDecimal": 4}]}}]},
                                      {"linkId": "2", "answer": [{"valueInteger": 3}]}]},
              {"linkId": "3", "answer": [{"valueInteger": 5}]}, {"linkId": "4", "answer": [{"valueInteger": 4}]},
              {"linkId": "5", "answer": [{"valueInteger": 5}]}, {"linkId": "6", "answer": [{"valueInteger": 4}]},
              {"linkId": "7", "answer": [{"valueInteger": 4}]}, {"linkId": "8", "answer": [{"valueInteger": 3}]},
              {"linkId": "9", "answer": [{"valueInteger": 5}]}, {"linkId": "10", "answer": [{"valueInteger": 4}]},
              {"linkId": "11", "answer": [{"valueInteger": 4}]}, {"linkId": "12", "answer": [{"valueInteger": 3}]}]}'),
  ('{"resourceType": "QuestionnaireResponse", "status": "completed", "questionnaire": "Questionnaire/psq",
     "item": [{"linkId": "1", "answer": [{"valueBoolean": true}]}, {"linkId": "2", "answer": [{"valueInteger": 4}]},
              {"linkId": "3", "answer": [{"valueInteger": 2}]}]}');
CREATE TEMP TABLE hostile_values (v jsonb);
INSERT INTO hostile_values VALUES ('null'), ('true'), ('0'), ('-1'), ('1e300'), ('9.95'), ('"x"'), ('""'), ('[]'), ('{}'),
  ('[null]'), ('[{}]'), ('[{"linkId": "1"}]'), ('{"linkId": 1}'), ('"2024-13-45T99:99:99Z"'), ('"99999-01-01"'),
  ('{"valueDecimal": "9"}'), ('[{"valueCoding": {"code": "x"}}]'), ('"srs"'), ('"Observation"'), ('"https://pgxn.org/dist/alliance/fhir/Questionnaire/srs"'),
  ('[{"valueInteger": 2147483648}]'), ('[{"valueDecimal": -0.0}]'), ('{"reference": null}'), ('[[[[[[]]]]]]');
CREATE TEMP TABLE mutants AS
SELECT i, s.doc AS doc FROM generate_series(1, 3000) i,
       LATERAL (SELECT doc FROM seeds OFFSET (i % 3) LIMIT 1) s;
DO $$
DECLARE
    m record;
    p text[];
    v jsonb;
    d jsonb;
BEGIN
    FOR m IN SELECT i, doc FROM mutants ORDER BY i LOOP
        d := m.doc;
        FOR n IN 1 .. 1 + (m.i % 4) LOOP
            SELECT x INTO p FROM pg_temp.paths(d) x ORDER BY random() LIMIT 1;
            EXIT WHEN p IS NULL;
            IF random() < 0.25 THEN
                d := d #- p;
            ELSE
                SELECT hv.v INTO v FROM hostile_values hv ORDER BY random() LIMIT 1;
                d := jsonb_set(d, p, v);
            END IF;
        END LOOP;
        UPDATE mutants SET doc = d WHERE i = m.i;
    END LOOP;
END $$;
CREATE FUNCTION pg_temp.outcome(q text, d jsonb) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE q USING d;
    RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE;
END $$;
CREATE TEMP TABLE outcomes AS
SELECT i, pg_temp.outcome('SELECT from_fhir($1)', doc) AS plain,
          pg_temp.outcome('SELECT from_fhir($1, ''srs'')', doc) AS as_srs,
          pg_temp.outcome('SELECT from_fhir_row($1, ''wai_sr'')', doc) AS row_wai_sr
FROM mutants;
SELECT count(*) * 3 AS calls,
       count(*) FILTER (WHERE plain LIKE 'XX%' OR as_srs LIKE 'XX%' OR row_wai_sr LIKE 'XX%') AS internal_errors,
       count(DISTINCT doc) > 2500 AS mutants_differ,
       count(*) FILTER (WHERE plain = 'ok') > 100 AND count(*) FILTER (WHERE plain <> 'ok') > 100 AS both_outcomes_common
FROM outcomes JOIN mutants USING (i);
-- every outcome is a value or one of the documented errors
SELECT DISTINCT o AS sqlstate FROM outcomes, LATERAL (VALUES (plain), (as_srs), (row_wai_sr)) v(o)
WHERE o NOT IN ('ok', '22023', '22003', '22P02', '54001') ORDER BY 1;
