-- FHIR functions: labels, signatures and the SQLSTATEs a user can cause.
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
\pset pager off
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS alliance;
SELECT plan(35);

-- signatures and labels
SELECT has_function('alliance', 'from_fhir', ARRAY['jsonb', 'text'], 'from_fhir(jsonb, text) exists');
SELECT has_function('alliance', 'from_fhir_row', ARRAY['jsonb', 'text'], 'from_fhir_row(jsonb, text) exists');
SELECT has_function('alliance', 'to_fhir', ARRAY['alliance.response', 'text', 'timestamp with time zone', 'text', 'text', 'text', 'text'],
                    'to_fhir(response, text, timestamptz, text, text, text, text) exists');
SELECT function_returns('alliance', 'from_fhir', ARRAY['jsonb', 'text'], 'alliance.response', 'from_fhir returns a response');
SELECT function_returns('alliance', 'to_fhir', ARRAY['alliance.response', 'text', 'timestamp with time zone', 'text', 'text', 'text', 'text'],
                        'jsonb', 'to_fhir returns jsonb');
SELECT is((SELECT array_agg(proname::text || ':' || provolatile::text ORDER BY proname) FROM pg_proc
           WHERE pronamespace = 'alliance'::regnamespace AND proname IN ('from_fhir', 'from_fhir_row', 'to_fhir')
             AND proparallel = 's' AND NOT proisstrict),
          ARRAY['from_fhir:s', 'from_fhir_row:s', 'to_fhir:s'],
          'from_fhir and from_fhir_row are STABLE (a later custom fhir_url can change which instrument a canonical names), to_fhir too (the code system is a setting); all PARALLEL SAFE and not STRICT');
SELECT is((SELECT pronargdefaults::int FROM pg_proc WHERE oid = 'alliance.to_fhir(alliance.response, text, timestamptz, text, text, text, text)'::regprocedure),
          6, 'to_fhir: everything but the response is optional');
SELECT is((SELECT pg_get_function_arguments('alliance.to_fhir(alliance.response, text, timestamptz, text, text, text, text)'::regprocedure)),
          'r alliance.response, subject text DEFAULT NULL::text, effective timestamp with time zone DEFAULT NULL::timestamp with time zone, derived_from text DEFAULT NULL::text, code_system text DEFAULT NULL::text, encounter text DEFAULT NULL::text, performer text DEFAULT NULL::text',
          'to_fhir parameters (code_system NULL: alliance.fhir_base_url''s, else the placeholder)');
SELECT is((SELECT pg_get_function_result('alliance.from_fhir_row(jsonb, text)'::regprocedure)),
          'record', 'from_fhir_row returns a row');
SELECT is((SELECT array_agg(a ORDER BY n) FROM unnest((SELECT proargnames FROM pg_proc WHERE oid = 'alliance.from_fhir_row(jsonb, text)'::regprocedure)) WITH ORDINALITY AS t(a, n)),
          ARRAY['questionnaire_response', 'instrument', 'response', 'subject', 'authored', 'encounter', 'questionnaire', 'status'],
          'from_fhir_row columns: response, subject, authored, encounter, questionnaire, status');
SELECT isnt(obj_description('alliance.from_fhir(jsonb, text)'::regprocedure, 'pg_proc'), NULL, 'from_fhir has a comment');
SELECT isnt(obj_description('alliance.to_fhir(alliance.response, text, timestamptz, text, text, text, text)'::regprocedure, 'pg_proc'), NULL, 'to_fhir has a comment');

-- NULL in, NULL out
SELECT ok(alliance.from_fhir(NULL) IS NULL, 'from_fhir(NULL) is NULL');
SELECT is(alliance.to_fhir(NULL), NULL, 'to_fhir(NULL) is NULL');

-- a good document
CREATE TEMP TABLE doc AS SELECT '{"resourceType": "QuestionnaireResponse", "status": "completed",
  "questionnaire": "https://example.org/fhir/Questionnaire/srs|3.0", "authored": "2025-03-04T15:55:00+01:00",
  "subject": {"reference": "Patient/p1"},
  "item": [{"linkId": "srs-relationship", "answer": [{"valueDecimal": 9.4}]},
           {"linkId": "srs-goals", "answer": [{"valueDecimal": 8.1}]},
           {"linkId": "srs-approach", "answer": [{"valueDecimal": 9.0}]},
           {"linkId": "srs-overall", "answer": [{"valueDecimal": 8.7}]}]}'::jsonb AS d;
SELECT is(alliance.from_fhir((SELECT d FROM doc))::text, 'srs(9.4,8.1,9.0,8.7)', 'the SRS example reads');
SELECT is((SELECT authored FROM alliance.from_fhir_row((SELECT d FROM doc))), '2025-03-04 14:55:00+00'::timestamptz,
          'authored with an offset');
SELECT is((SELECT alliance.to_fhir(response, subject, authored) ->> 'effectiveDateTime'
           FROM alliance.from_fhir_row((SELECT d FROM doc))),
          '2025-03-04T14:55:00Z', 'from_fhir_row feeds to_fhir: authored becomes effectiveDateTime in UTC');

-- SQLSTATEs
SELECT throws_ok($$ SELECT alliance.from_fhir('{"resourceType": "QuestionnaireResponse", "status": "in-progress",
                    "questionnaire": "srs", "item": []}') $$,
                 '22023', 'QuestionnaireResponse status is "in-progress"', 'a wrong status is 22023 naming it');
SELECT throws_ok($$ SELECT alliance.from_fhir('{"resourceType": "Observation", "status": "final"}') $$,
                 '22023', 'resourceType is "Observation", not "QuestionnaireResponse"', 'another resource is 22023');
SELECT throws_ok($$ SELECT alliance.from_fhir('{"resourceType": "QuestionnaireResponse", "status": "completed",
                    "questionnaire": "https://x.example/Questionnaire/77", "item": []}') $$,
                 '22023', 'cannot tell the instrument of questionnaire "https://x.example/Questionnaire/77"',
                 'no instrument determinable is 22023');
SELECT throws_ok($$ SELECT alliance.from_fhir('{"resourceType": "QuestionnaireResponse", "status": "completed",
                    "questionnaire": "wai-sr", "item": [{"linkId": "g1", "item": [{"linkId": "3", "answer": {"valueInteger": 4}}]}]}') $$,
                 '22023', 'malformed QuestionnaireResponse: item[0].item[0].answer is an object, not an array',
                 'a malformed document is 22023 naming the path');
SELECT throws_ok($$ SELECT alliance.from_fhir('{"resourceType": "QuestionnaireResponse", "status": "completed",
                    "questionnaire": "wai-sr", "item": [{"linkId": "3", "answer": [{"valueInteger": 4}]},
                    {"linkId": "g1", "item": [{"linkId": "waisr_3", "answer": [{"valueInteger": 4}]}]}]}') $$,
                 '22023', 'wai_sr item 3 is answered twice: at item[0].answer[0] and at item[1].item[0].answer[0]',
                 'duplicates are 22023 naming both paths');
SELECT throws_ok($$ SELECT alliance.from_fhir('{"resourceType": "QuestionnaireResponse", "status": "completed",
                    "questionnaire": "wai-sr", "item": [{"linkId": "comment", "answer": [{"valueString": "x"}]}]}') $$,
                 '22023', 'no item of this QuestionnaireResponse matches an item of wai_sr',
                 'nothing matching is 22023');
SELECT throws_ok($$ SELECT alliance.from_fhir('{"resourceType": "QuestionnaireResponse", "status": "completed",
                    "questionnaire": "wai-sr", "item": [{"linkId": "3", "answer": [{"valueInteger": 6}]}]}') $$,
                 '22003', 'wai_sr item 3 is 6; answers run 1 to 5', 'an out-of-range answer is 22003');
SELECT throws_ok($$ SELECT alliance.from_fhir('{"resourceType": "QuestionnaireResponse", "status": "completed",
                    "questionnaire": "wai-sr", "item": [{"linkId": "3", "answer": [{"valueString": "4"}]}]}') $$,
                 '22023', 'wai_sr item 3 has no numeric answer at item[0].answer[0]', 'a non-numeric answer is 22023');
SELECT throws_ok($$ SELECT alliance.from_fhir('{"resourceType": "QuestionnaireResponse", "status": "completed",
                    "item": []}', instrument => 'nope') $$,
                 '22023', 'unknown instrument "nope"', 'an unknown instrument argument is 22023');
SELECT throws_ok($$ SELECT * FROM alliance.from_fhir_row('{"resourceType": "QuestionnaireResponse", "status": "completed",
                    "questionnaire": "srs", "authored": "2025-03-04T15:55:00",
                    "item": [{"linkId": "1", "answer": [{"valueDecimal": 9}]}]}') $$,
                 '22023', 'malformed QuestionnaireResponse: authored "2025-03-04T15:55:00" is not a FHIR dateTime',
                 'a time without a zone is 22023');
SELECT throws_ok($$ SELECT alliance.to_fhir('srs(9,9,9,9)', effective => 'infinity') $$,
                 '22008', NULL, 'an infinite effective is 22008');

-- to_fhir is the same whatever TimeZone says (IMMUTABLE is honest)
CREATE TEMP TABLE obs (tz text, o jsonb);
SET LOCAL TimeZone = 'Pacific/Auckland';
INSERT INTO obs SELECT 'auckland', alliance.to_fhir('wai_sr(5,3,5,4,5,4,null,3,5,4,4,3)', 'Patient/p1', '2025-03-04 15:50:00+00');
SET LOCAL TimeZone = 'America/Los_Angeles';
INSERT INTO obs SELECT 'los_angeles', alliance.to_fhir('wai_sr(5,3,5,4,5,4,null,3,5,4,4,3)', 'Patient/p1', '2025-03-04 15:50:00+00');
SELECT is((SELECT count(DISTINCT o)::int FROM obs), 1, 'to_fhir output does not depend on TimeZone');
SELECT is((SELECT o ->> 'effectiveDateTime' FROM obs LIMIT 1), '2025-03-04T15:50:00Z', 'effectiveDateTime in UTC');
SELECT is((SELECT (o -> 'valueQuantity' ->> 'value')::numeric FROM obs LIMIT 1),
          alliance.total('wai_sr(5,3,5,4,5,4,null,3,5,4,4,3)'), 'the prorated value is total() exactly');
SELECT is((SELECT o -> 'category' -> 0 -> 'coding' -> 0 ->> 'code' FROM obs LIMIT 1), 'survey', 'category survey');
SELECT is((SELECT o -> 'valueQuantity' ->> 'code' FROM obs LIMIT 1), '{score}', 'UCUM {score}');
SELECT is((SELECT jsonb_array_length(o -> 'component') FROM obs LIMIT 1), 3, 'one component per subscale');
SELECT is((SELECT authored FROM alliance.from_fhir_row((SELECT d FROM doc))), '2025-03-04 14:55:00+00'::timestamptz,
          'authored does not depend on TimeZone either');
RESET TimeZone;

SELECT * FROM finish();
ROLLBACK;
