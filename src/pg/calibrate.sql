-- A clinic's own norms (0.2.0): calibrate() estimates, per instrument, the
-- error SD of one session's score from the clinic's series and stores it as
-- the instrument's active norms, which the rupture rules and reliable_change
-- then use by default (doc/trajectory.md, "Calibration").  The library reads
-- alliance.calibrated_norms with the custom definitions (src/pg/catalog.c),
-- so a change reaches every backend through the same invalidation trigger.

CREATE TABLE @extschema@.calibrated_norms (
    instrument text PRIMARY KEY,
    sd numeric NOT NULL CHECK (sd > 0),
    reliability numeric NOT NULL CHECK (reliability >= 0 AND reliability < 1),
    error_sd numeric NOT NULL CHECK (error_sd > 0),
    retest_r numeric,
    alpha numeric,
    clients integer NOT NULL CHECK (clients > 0),
    sessions integer NOT NULL CHECK (sessions > 0),
    source text NOT NULL,
    calibrated_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
    calibrated_by name NOT NULL DEFAULT CURRENT_USER
);
COMMENT ON TABLE @extschema@.calibrated_norms IS
    'A clinic''s calibrated norms, one row per instrument (alliance.calibrate); dumped by pg_dump; the rupture rules and reliable_change use sd and reliability (error SD = sd * sqrt(1 - reliability)) in place of the published norms';
SELECT pg_catalog.pg_extension_config_dump('@extschema@.calibrated_norms', '');

CREATE TRIGGER calibrated_norms_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.calibrated_norms
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.instruments_changed();

-- The estimates, per instrument, over the clients with at least 4 scored
-- sessions:
--   error_sd     the error SD in the unit the default rule measures in: a
--                session's residual from its level (the mean of the 3
--                sessions before) has variance 4/3 e^2, so
--                e = sqrt(3/4 * mean residual^2) over the clients' sessions,
--                leaving out every residual whose window holds a rupture
--                or repair that the rule finds (with a first estimate
--                from the mean squared successive difference, von Neumann
--                et al. 1941, then a second; two passes) and every one
--                with a score within one error SD of the lowest or highest
--                possible score (the scale cuts the error off there). Slow
--                drift that successive differences miss is in it, as it
--                is in what the rule judges;
--   sd           the SD of one session's score over all clients and
--                sessions (never below error_sd);
--   reliability  1 - (error_sd / sd)^2, so that sd * sqrt(1 - reliability)
--                is error_sd exactly;
--   retest_r     the correlation of successive scores (for comparison with
--                published test-retest figures);
--   alpha        Cronbach's alpha over the complete responses.
CREATE FUNCTION @extschema@.calibrate(source regclass, client name, session_key name,
        response name,
        OUT instrument text, OUT clients integer, OUT sessions integer, OUT error_sd numeric,
        OUT sd numeric, OUT reliability numeric, OUT retest_r numeric, OUT alpha numeric,
        OUT published_error_sd numeric)
    RETURNS SETOF record
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE STRICT
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    min_clients CONSTANT integer := 30;
    min_sessions CONSTANT integer := 4;
    typ oid;
    col name;
    rec record;
    found_any boolean := false;
    src text := pg_catalog.format('%s(%I, %I, %I)', source, client, session_key, response);
BEGIN
    -- a calibration changes the ruptures every role sees: say so before reading anything
    IF NOT pg_catalog.has_table_privilege('@extschema@.calibrated_norms', 'INSERT, UPDATE') THEN
        RAISE EXCEPTION 'permission denied to calibrate: the role needs INSERT and UPDATE on alliance.calibrated_norms'
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'A calibration changes the rupture rule for every role in the database; the extension''s owner grants that right.';
    END IF;
    FOREACH col IN ARRAY ARRAY[client, session_key, response] LOOP
        SELECT a.atttypid INTO typ FROM pg_catalog.pg_attribute a
         WHERE a.attrelid OPERATOR(pg_catalog.=) source AND a.attname OPERATOR(pg_catalog.=) col
           AND a.attnum OPERATOR(pg_catalog.>) 0 AND NOT a.attisdropped;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'column "%" of relation % does not exist', col, source
                USING ERRCODE = 'undefined_column';
        END IF;
    END LOOP;
    -- the response column: alliance.response or a domain over it
    WHILE (SELECT t.typtype FROM pg_catalog.pg_type t WHERE t.oid OPERATOR(pg_catalog.=) typ) OPERATOR(pg_catalog.=) 'd' LOOP
        SELECT t.typbasetype INTO typ FROM pg_catalog.pg_type t WHERE t.oid OPERATOR(pg_catalog.=) typ;
    END LOOP;
    IF typ OPERATOR(pg_catalog.<>) '@extschema@.response'::pg_catalog.regtype THEN
        RAISE EXCEPTION 'column "%" of relation % is not of type alliance.response', response, source
            USING ERRCODE = 'datatype_mismatch',
                  HINT = 'calibrate reads the answers themselves; give the column that holds alliance.response values.';
    END IF;

    FOR rec IN EXECUTE pg_catalog.format($q$
        WITH scored AS (
            SELECT %2$I AS c, %3$I AS k, @extschema@.instrument(%4$I) AS inst,
                   @extschema@.score(%4$I)::float8 AS x, %4$I AS r
              FROM %1$s
             WHERE %2$I IS NOT NULL AND %3$I IS NOT NULL AND %4$I IS NOT NULL
        ), per_client AS (
            SELECT inst, c, count(*) AS n FROM scored WHERE x IS NOT NULL GROUP BY inst, c
        ), used AS (
            SELECT s.* FROM scored s JOIN per_client p USING (inst, c)
             WHERE s.x IS NOT NULL AND p.n >= %5$s
        ), bounds AS (
            SELECT code AS inst,
                   (CASE score WHEN 'mean' THEN min ELSE min * items END)::float8 AS lo,
                   (CASE score WHEN 'mean' THEN max ELSE max * items END)::float8 AS hi
              FROM @extschema@.instruments
        ), ordered AS (
            SELECT inst, c, row_number() OVER w AS pos, x, lag(x) OVER w AS prev
              FROM used WINDOW w AS (PARTITION BY inst, c ORDER BY k)
        ), band AS (
            SELECT o.inst, sqrt(avg((o.x - o.prev) ^ 2) / 2) AS w
              FROM ordered o JOIN bounds b USING (inst)
             WHERE o.x > b.lo AND o.x < b.hi AND o.prev > b.lo AND o.prev < b.hi
             GROUP BY o.inst
        ), diffs AS (
            SELECT o.inst, o.c, o.pos, o.x, o.prev,
                   CASE WHEN o.x > b.lo + w.w AND o.x < b.hi - w.w AND o.prev > b.lo + w.w AND o.prev < b.hi - w.w
                        THEN o.x - o.prev END AS d
              FROM ordered o JOIN bounds b USING (inst) JOIN band w USING (inst)
        ), trajs AS (
            SELECT inst, c, @extschema@.trajectory(pos, x) AS t FROM diffs GROUP BY inst, c
        ), e0 AS (
            SELECT inst, sqrt(avg(d * d) / 2) AS e FROM diffs WHERE d IS NOT NULL GROUP BY inst
        ), out0 AS (
            SELECT tr.inst, tr.c, p.pos
              FROM trajs tr JOIN e0 USING (inst),
                   LATERAL @extschema@.ruptures(tr.t, 'level', sd => e0.e::numeric, reliability => 0) x,
                   LATERAL (VALUES (x.seq), (x.repaired_seq)) p(pos)
             WHERE e0.e > 0 AND p.pos IS NOT NULL
        ), e1 AS (
            SELECT d.inst, sqrt(avg(d.d * d.d) / 2) AS e FROM diffs d
             WHERE d.d IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM out0 o WHERE o.inst = d.inst AND o.c = d.c AND o.pos = d.pos)
             GROUP BY d.inst
        ), out1 AS (
            SELECT tr.inst, tr.c, p.pos
              FROM trajs tr JOIN e1 USING (inst),
                   LATERAL @extschema@.ruptures(tr.t, 'level', sd => e1.e::numeric, reliability => 0) x,
                   LATERAL (VALUES (x.seq), (x.repaired_seq)) p(pos)
             WHERE e1.e > 0 AND p.pos IS NOT NULL
        ), resid AS (
            SELECT o.inst, o.c, o.pos, o.x - avg(o.prev) OVER w3 AS r, count(o.prev) OVER w3 AS nb,
                   bool_and(dd.d IS NOT NULL) OVER w3 AS inside
              FROM ordered o JOIN diffs dd USING (inst, c, pos)
            WINDOW w3 AS (PARTITION BY o.inst, o.c ORDER BY o.pos ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)
        ), err AS (
            SELECT r.inst, sqrt(0.75 * avg(r.r * r.r)) AS e
              FROM resid r
             WHERE r.nb = 3 AND r.inside
               AND NOT EXISTS (SELECT 1 FROM out1 o WHERE o.inst = r.inst AND o.c = r.c
                                                      AND o.pos IN (r.pos, r.pos - 1, r.pos - 2, r.pos - 3))
             GROUP BY r.inst
        ), totals AS (
            SELECT inst, count(DISTINCT c)::integer AS clients, count(*)::integer AS sessions,
                   stddev_samp(x) AS sd, @extschema@.alpha(r) AS alpha
              FROM used GROUP BY inst
        ), retest AS (
            SELECT inst, corr(x, prev) AS r FROM diffs WHERE prev IS NOT NULL GROUP BY inst
        ), everyone AS (
            SELECT inst, count(*)::integer AS eligible
              FROM (SELECT inst, c FROM per_client WHERE n >= %5$s) e GROUP BY inst
        )
        SELECT i.inst, coalesce(v.eligible, 0) AS eligible, t.clients, t.sessions,
               err.e, t.sd, rt.r, t.alpha
          FROM (SELECT DISTINCT inst FROM scored) i
          LEFT JOIN everyone v USING (inst)
          LEFT JOIN totals t USING (inst)
          LEFT JOIN err USING (inst)
          LEFT JOIN retest rt USING (inst)
         ORDER BY i.inst
    $q$, source, client, session_key, response, min_sessions)
    LOOP
        IF rec.eligible OPERATOR(pg_catalog.<) min_clients OR rec.e IS NULL OR rec.e OPERATOR(pg_catalog.<=) 0 THEN
            RAISE WARNING 'instrument "%" not calibrated: % clients with % or more scored sessions; calibration needs at least %',
                rec.inst, rec.eligible, min_sessions, min_clients
                USING DETAIL = 'Its norms stay as they were (see alliance.instruments).';
            CONTINUE;
        END IF;
        found_any := true;
        instrument := rec.inst;
        clients := rec.clients;
        sessions := rec.sessions;
        error_sd := pg_catalog.round(rec.e::numeric, 4);
        sd := pg_catalog.round(GREATEST(rec.sd, rec.e)::numeric, 4);
        -- not rounded: sd * sqrt(1 - reliability) must give error_sd back
        reliability := 1 OPERATOR(pg_catalog.-) ((error_sd OPERATOR(pg_catalog./) sd) OPERATOR(pg_catalog.^) 2);
        IF reliability OPERATOR(pg_catalog.>=) 1 THEN
            reliability := 0.9999;
        END IF;
        retest_r := pg_catalog.round(rec.r::numeric, 4);
        alpha := pg_catalog.round(rec.alpha, 4);
        SELECT pg_catalog.round(((i.norms OPERATOR(pg_catalog.->>) 'sd')::numeric
                                 OPERATOR(pg_catalog.*) pg_catalog.sqrt(1 OPERATOR(pg_catalog.-) (i.norms OPERATOR(pg_catalog.->>) 'reliability')::numeric)), 4)
          INTO published_error_sd
          FROM @extschema@.builtin_instruments() i WHERE i.code OPERATOR(pg_catalog.=) rec.inst;
        INSERT INTO @extschema@.calibrated_norms AS n
               (instrument, sd, reliability, error_sd, retest_r, alpha, clients, sessions, source)
        VALUES (rec.inst, sd, reliability, error_sd, retest_r, alpha, clients, sessions, src)
        ON CONFLICT ON CONSTRAINT calibrated_norms_pkey DO UPDATE
           SET sd = excluded.sd, reliability = excluded.reliability, error_sd = excluded.error_sd,
               retest_r = excluded.retest_r, alpha = excluded.alpha, clients = excluded.clients,
               sessions = excluded.sessions, source = excluded.source,
               calibrated_at = pg_catalog.now(), calibrated_by = CURRENT_USER;
        RETURN NEXT;
    END LOOP;
    IF NOT found_any THEN
        RAISE EXCEPTION 'too little data to calibrate from %', src
            USING ERRCODE = 'data_exception',
                  DETAIL = pg_catalog.format('Calibration needs, per instrument, at least %s clients with %s or more scored sessions.', min_clients, min_sessions),
                  HINT = 'Keep the published norms until the clinic has that much data (alliance.instruments shows them).';
    END IF;
END $$;
COMMENT ON FUNCTION @extschema@.calibrate(regclass, name, name, name) IS
    'Estimates each instrument''s norms from a table of sessions (client, session key and response columns): the error SD of a session around its 3-session level, which ruptures do not inflate (the sessions around the ruptures the default rule finds are left out), the SD of a session''s score, reliability = 1 - (error_sd/sd)^2, the correlation of successive sessions and alpha, with the numbers of clients and sessions; stores them in alliance.calibrated_norms as the instrument''s active norms. Needs at least 30 clients with 4 or more scored sessions per instrument';

CREATE FUNCTION @extschema@.reset_norms(instrument text) RETURNS boolean
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE STRICT
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM @extschema@.builtin_instruments() b WHERE b.code OPERATOR(pg_catalog.=) reset_norms.instrument)
       AND NOT EXISTS (SELECT 1 FROM @extschema@.custom_instruments c WHERE c.code OPERATOR(pg_catalog.=) reset_norms.instrument)
       AND NOT EXISTS (SELECT 1 FROM @extschema@.calibrated_norms n WHERE n.instrument OPERATOR(pg_catalog.=) reset_norms.instrument) THEN
        RAISE EXCEPTION 'instrument "%" is not defined', reset_norms.instrument
            USING ERRCODE = 'undefined_object';
    END IF;
    DELETE FROM @extschema@.calibrated_norms n WHERE n.instrument OPERATOR(pg_catalog.=) reset_norms.instrument;
    RETURN FOUND;
END $$;
COMMENT ON FUNCTION @extschema@.reset_norms(text) IS
    'Removes the clinic''s calibration of an instrument, so that its published (or defined) norms apply again; true when there was one';

CREATE VIEW @extschema@.instruments AS
    SELECT i.*,
           CASE WHEN n.instrument IS NOT NULL THEN 'clinic'
                WHEN i.norms ? 'sd' AND i.norms ? 'reliability' THEN CASE WHEN i.builtin THEN 'published' ELSE 'definition' END
           END AS norms_source,
           coalesce(n.sd, (i.norms ->> 'sd')::numeric) AS active_sd,
           coalesce(n.reliability, (i.norms ->> 'reliability')::numeric) AS active_reliability,
           coalesce(n.error_sd,
                    round((i.norms ->> 'sd')::numeric * sqrt(1 - (i.norms ->> 'reliability')::numeric), 4)) AS active_error_sd,
           CASE WHEN n.instrument IS NOT NULL THEN
               jsonb_build_object('clients', n.clients, 'sessions', n.sessions, 'retest_r', n.retest_r,
                                  'alpha', n.alpha, 'source', n.source, 'calibrated_at', n.calibrated_at,
                                  'calibrated_by', n.calibrated_by)
           END AS calibration
    FROM (SELECT * FROM @extschema@.builtin_instruments()
          UNION ALL
          SELECT c.code, c.name, c.items, c.min, c.max, c.step, c.reversed, c.scales, c.bordin, c.cutoff,
                 c.min_answered, c.score, c.norms, c.item_labels, c.link_ids, c.fhir_url, c.citation,
                 false, NULL::text, c.fingerprint, NULL::jsonb
          FROM @extschema@.custom_instruments c) i
    LEFT JOIN @extschema@.calibrated_norms n ON n.instrument = i.code;
COMMENT ON VIEW @extschema@.instruments IS
    'Every instrument this database knows, built-in and custom: code, items, range and step, reversed items, scales, Bordin mapping, cut-off, missing-item rule, score, norms (as published or defined), labels, citation, evidence mark (V verified, S secondary, D derived, R recalled; NULL for custom), definition fingerprint, item ranges, and the norms the rules use now: their source (clinic, published, definition), sd, reliability and error SD, with the calibration''s clients, sessions and date';

GRANT SELECT ON @extschema@.instruments TO PUBLIC;
GRANT SELECT ON @extschema@.calibrated_norms TO PUBLIC;
GRANT INSERT, UPDATE, DELETE, TRUNCATE ON @extschema@.calibrated_norms TO @extowner@ WITH GRANT OPTION;
