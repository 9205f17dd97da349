-- Building responses: the array constructor and response_agg.
SET search_path = public, alliance;

SELECT response('srs', ARRAY[9.1, 8.4, 7.9, 8.8]);
SELECT response('WAI_SR', ARRAY[5,3,5,4,5,4,NULL,3,5,4,4,3]);
SELECT response('srs', ARRAY[9.1, 8.4, 7.9]);
SELECT response('srs', ARRAY[9.1, 8.4, 7.9, 10.1]);
SELECT response('srs', ARRAY[9.15, 8.4, 7.9, 10]);
SELECT response('srs', ARRAY['NaN'::numeric, 8.4, 7.9, 10]);
SELECT response('srs', ARRAY['Infinity'::numeric, 8.4, 7.9, 10]);
SELECT response('nope', ARRAY[1]);
SELECT response('srs', ARRAY[[1,2],[3,4]]::numeric[]);
SELECT response('psq', ARRAY[0, 3, NULL]);
SELECT response(NULL, ARRAY[1]) IS NULL AS strict_null;

-- row-per-answer tables
CREATE TABLE answers (form int, instrument text, item int, value numeric);
INSERT INTO answers VALUES
  (1, 'srs', 1, 9.1), (1, 'srs', 2, 8.4), (1, 'srs', 3, 7.9), (1, 'srs', 4, 8.8),
  (2, 'wai_sr', 1, 5), (2, 'wai_sr', 2, 3), (2, 'wai_sr', 3, 5), (2, 'wai_sr', 4, 4),
  (2, 'wai_sr', 5, 5), (2, 'wai_sr', 6, 4), (2, 'wai_sr', 7, NULL), (2, 'wai_sr', 8, 3),
  (2, 'wai_sr', 9, 5), (2, 'wai_sr', 10, 4), (2, 'wai_sr', 12, 3), (2, 'wai_sr', 11, 4),
  (3, 'psq', 1, 0);
SELECT form, response_agg(instrument, item, value) AS r, total(response_agg(instrument, item, value))
FROM answers GROUP BY form ORDER BY form;
-- empty group: NULL
SELECT response_agg(instrument, item, value) IS NULL AS empty_is_null FROM answers WHERE false;
-- errors
SELECT response_agg(instrument, item, value) FROM answers WHERE form IN (1, 2);
SELECT response_agg(i, n, v) FROM (VALUES ('srs', 1, 9.0), ('srs', 1, 8.0)) t(i, n, v);
SELECT response_agg(i, n, v) FROM (VALUES ('srs', 5, 9.0)) t(i, n, v);
SELECT response_agg(i, n, v) FROM (VALUES ('srs', NULL::int, 9.0)) t(i, n, v);
SELECT response_agg(i, n, v) FROM (VALUES ('srs', 1, 9.05)) t(i, n, v);
SELECT response_agg(i, n, v) FROM (VALUES ('psq', 2, 3)) t(i, n, v);
