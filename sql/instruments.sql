-- The catalogue view.
SET search_path = public, alliance;
SELECT code, items, min, max, step, reversed, cutoff, min_answered, score, builtin, evidence, item_ranges
FROM instruments WHERE builtin ORDER BY code;
SELECT code, scales, bordin, norms, item_labels FROM instruments WHERE builtin ORDER BY code;
SELECT code, fingerprint ~ '^[0-9a-f]{16}$' AS fingerprint_ok, length(citation) > 40 AS cited FROM instruments WHERE builtin ORDER BY code;
-- the fingerprint is a pure function of the definition: the same on every server and every run
SELECT code, fingerprint FROM instruments WHERE builtin ORDER BY code;
