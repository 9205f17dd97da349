-- FHIR with a custom instrument: its fhir_url names it (version ignored), its
-- link_ids win over the number and label rules, and to_fhir names the
-- instrument's score (here the mean) and its own missing-item rule.  The
-- definition is dropped at the end (values are never stored), so later test
-- files see the catalogue as before.
SET search_path = public, alliance;
SET TimeZone = 'UTC';
\set SHOW_CONTEXT never

SELECT define_instrument(code => 'fhirchk', name => 'FHIR test checklist', items => 5, min => 0, max => 3,
    scales => '{"mood": [1, 2], "body": [3, 4, 5]}', min_answered => 0.6, score => 'mean',
    item_labels => '{mood,low-mood,sleep,energy,appetite}', link_ids => '{a-1,b-2,c-3,d-4,chk-1}',
    fhir_url => 'https://clinic.example/fhir/Questionnaire/5521');

CREATE FUNCTION pg_temp.qr(items jsonb, questionnaire text) RETURNS jsonb LANGUAGE sql AS $$
  SELECT jsonb_build_object('resourceType', 'QuestionnaireResponse', 'questionnaire', questionnaire,
                            'status', 'completed', 'item', items)
$$;

-- the opaque canonical is the definition's fhir_url: with or without |version
SELECT from_fhir(pg_temp.qr('[{"linkId": "a-1", "answer": [{"valueInteger": 3}]}]',
                            'https://clinic.example/fhir/Questionnaire/5521|2.1')) AS by_fhir_url_versioned,
       from_fhir(pg_temp.qr('[{"linkId": "a-1", "answer": [{"valueInteger": 3}]}]',
                            'https://clinic.example/fhir/Questionnaire/5521')) AS by_fhir_url;
-- another canonical whose last segment is the code
SELECT from_fhir(pg_temp.qr('[{"linkId": "a-1", "answer": [{"valueInteger": 3}]}]',
                            'https://other.example/Questionnaire/FHIRCHK|7')) AS by_code;
-- a fhir_url is matched exactly: another host is not it
SELECT from_fhir(pg_temp.qr('[{"linkId": "a-1", "answer": [{"valueInteger": 3}]}]',
                            'https://other.example/fhir/Questionnaire/5521'));

-- link_ids first: "chk-1" is item 5's linkId, not item 1 by the number rule;
-- then numbers ("2"), then labels after a prefix naming the instrument (its
-- code, or its canonical's last segment "5521"), the longest fitting
-- ("fhirchk-low-mood" is low-mood, item 2, though it also ends in "-mood");
-- a prefix naming something else ("x-low-mood", "form-sleep") is no item
SELECT from_fhir(pg_temp.qr('[
  {"linkId": "chk-1", "answer": [{"valueInteger": 0}]},
  {"linkId": "a-1", "answer": [{"valueInteger": 3}]},
  {"linkId": "c-3", "answer": [{"valueInteger": 2}]},
  {"linkId": "g1", "item": [{"linkId": "d-4", "answer": [{"valueDecimal": 1}]}]}
]', 'https://clinic.example/fhir/Questionnaire/5521')) AS by_link_ids;
SELECT from_fhir(pg_temp.qr('[
  {"linkId": "2", "answer": [{"valueInteger": 1}]},
  {"linkId": "5521-sleep", "answer": [{"valueInteger": 2}]},
  {"linkId": "form-energy", "answer": [{"valueInteger": 3}]}
]', 'https://clinic.example/fhir/Questionnaire/5521')) AS by_number_and_label;
SELECT from_fhir(pg_temp.qr('[{"linkId": "fhirchk-low-mood", "answer": [{"valueInteger": 1}]}]',
                            'https://clinic.example/fhir/Questionnaire/5521')) AS longest_label;
SELECT from_fhir(pg_temp.qr('[{"linkId": "x-low-mood", "answer": [{"valueInteger": 1}]}]',
                            'https://clinic.example/fhir/Questionnaire/5521')) AS other_prefix;
-- the same item by its linkId and by its label is answered twice
SELECT from_fhir(pg_temp.qr('[
  {"linkId": "b-2", "answer": [{"valueInteger": 1}]},
  {"linkId": "low-mood", "answer": [{"valueInteger": 2}]}
]', 'https://clinic.example/fhir/Questionnaire/5521'));
-- instrument => overrides the fhir_url; the bare numbers of a response to
-- fhirchk's questionnaire stay fhirchk's
SELECT from_fhir(pg_temp.qr('[{"linkId": "arm5-1", "answer": [{"valueInteger": 3}]}]',
                            'https://clinic.example/fhir/Questionnaire/5521'), 'arm5') AS override;
SELECT from_fhir(pg_temp.qr('[{"linkId": "1", "answer": [{"valueInteger": 3}]}]',
                            'https://clinic.example/fhir/Questionnaire/5521'), 'arm5') AS override;

-- to_fhir: the score is the mean (code fhirchk-mean), components are
-- subscale means, the rule names 60%; body has 2 of 3 answered (prorated),
-- mood 1 of 2 (not scored)
SELECT r, score(r), subscale(r, 'body') AS body_total, answered(r)
FROM (VALUES ('fhirchk(3,null,2,null,1)'::response)) t(r);
SELECT jsonb_pretty(to_fhir('fhirchk(3,null,2,null,1)', 'Patient/p9', '2026-01-02 03:04:05+01',
                            'QuestionnaireResponse/qr-9', 'https://clinic.example/codes'));
SELECT to_fhir('fhirchk(3,null,null,null,1)') -> 'dataAbsentReason' ->> 'text' AS too_few;

-- Canonicals of built-ins: each has its own, and no custom definition can
-- take a built-in's QuestionnaireResponses over (by its canonical, by a
-- canonical whose last segment spells its code, or by one already taken)
SELECT code, fhir_url FROM alliance.instruments WHERE builtin ORDER BY code;
SELECT define_instrument('takeover', 'Takes SRS over', 4, 0, 10, step => 0.1,
                         link_ids => '{1,2,3,4}', fhir_url => 'https://pgxn.org/dist/alliance/fhir/Questionnaire/srs');
SELECT define_instrument('takeover', 'Takes SRS over', 4, 0, 10, step => 0.1,
                         fhir_url => 'https://example.org/fhir/Questionnaire/SRS|3.0');
SELECT define_instrument('second5521', 'Same canonical', 2, 0, 4,
                         fhir_url => 'https://clinic.example/fhir/Questionnaire/5521|9');
INSERT INTO alliance.custom_instruments (code, name, items, min, max, fhir_url)
VALUES ('takeover', 'x', 4, 0, 10, 'https://pgxn.org/dist/alliance/fhir/Questionnaire/wai-sr|1.0');
-- and every form of the built-in's canonical reads as the built-in
SELECT from_fhir(pg_temp.qr('[{"linkId": "1", "answer": [{"valueDecimal": 9}]}, {"linkId": "2", "answer": [{"valueDecimal": 8}]},
                              {"linkId": "3", "answer": [{"valueDecimal": 7}]}, {"linkId": "4", "answer": [{"valueDecimal": 6}]}]', q)) AS srs
FROM (VALUES ('https://pgxn.org/dist/alliance/fhir/Questionnaire/srs'), ('https://pgxn.org/dist/alliance/fhir/Questionnaire/srs|3.0'),
             ('https://example.org/Questionnaire/SRS')) v(q);

-- clean up: never stored, so droppable
SELECT drop_instrument('fhirchk');
