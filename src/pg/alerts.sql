-- ------------------------------------------------------------ alerts
-- Alerts that reach the therapist (doc/alerts.md).  watch() puts three
-- statement-level triggers on a table of sessions; every INSERT, UPDATE,
-- DELETE or COPY judges the clients it touched with rupture_alert (the
-- prospective rule: one definition for the window function and the
-- triggers) and keeps the user's alerts table in step: new alerts raised and
-- notified on commit, alerts the data no longer supports resolved as
-- 'data changed', rupture alerts whose series shows the repair resolved as
-- 'repair'.  Nothing here is SECURITY DEFINER: the triggers run with the
-- rights of the role that writes the sessions.
--
-- What is watched lives in the triggers themselves: their arguments hold the
-- columns, the alerts table and the rules, so pg_dump dumps them with the
-- user's table and a restore keeps it watched, with no configuration table
-- that every role would need to write (alliance.watched reads them back).

-- The arguments of a trigger (pg_trigger.tgargs: each argument followed by
-- a zero byte) as text.
CREATE FUNCTION @extschema@.trigger_arguments(args bytea) RETURNS text[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp
    RETURN ARRAY(
        WITH RECURSIVE part(rest, arg, n) AS (
            SELECT args, NULL::bytea, 0
            UNION ALL
            SELECT substring(rest FROM position('\x00'::bytea IN rest) + 1),
                   substring(rest FROM 1 FOR position('\x00'::bytea IN rest) - 1), n + 1
            FROM part WHERE position('\x00'::bytea IN rest) > 0)
        SELECT convert_from(arg, pg_encoding_to_char((SELECT encoding FROM pg_database WHERE datname = current_database())))
        FROM part WHERE n > 0 ORDER BY n);
COMMENT ON FUNCTION @extschema@.trigger_arguments(bytea) IS
    'The arguments of a trigger (pg_trigger.tgargs) as text; alliance.watched reads the watch triggers with it';

-- The trigger body: judge the clients of the changed rows.  The rows a
-- statement changed arrive as the transition tables alliance_new and
-- alliance_old.
CREATE FUNCTION @extschema@.watch_judge() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $body$
DECLARE
    -- the arguments watch() gave the trigger: client, session and response
    -- columns, the alerts table, the methods
    w record;
    changed text;
    lock_key text;
    -- the rupture_alert rules (every method but sudden and reliable_change)
    window_methods text[];
    rupture_methods text[];
    has_sudden boolean;
    has_unseen boolean;
    -- the cut-off rule judges the instruments that have a cut-off: those
    -- codes, and the response argument of its window column
    cut_codes text[];
    cutoff_response text;
    therapist_column name;
    -- an unseen rupture's session as the source's session type, from unseen()'s columns
    unseen_key text;
    has_reliable boolean;
    alert_columns text;
    alert_values text;
    any_fired text;
    fired_parts text;
    kind_of text;
    extra_ctes text;
    work boolean;
    locks bigint;
    rows_changed numeric;
BEGIN
    SELECT TG_RELID::regclass AS source, TG_ARGV[0]::name AS client_column, TG_ARGV[1]::name AS session_column,
           TG_ARGV[2]::name AS response_column, to_regclass(TG_ARGV[3]) AS alerts, TG_ARGV[4]::text[] AS methods
    INTO w;
    IF w.alerts IS NULL THEN
        RAISE EXCEPTION 'the alerts table % of watched table % is gone', TG_ARGV[3], w.source
            USING ERRCODE = 'undefined_table',
            DETAIL = 'Sessions written now would raise no alert, so they are refused.',
            HINT = format('Run alliance.unwatch(%L) to stop watching, then alliance.watch again to start with a new alerts table.', w.source::text);
    END IF;
    window_methods := ARRAY(SELECT m FROM unnest(w.methods) m WHERE m NOT IN ('sudden', 'reliable_change', 'unseen'));
    rupture_methods := ARRAY(SELECT m FROM unnest(w.methods) m WHERE m NOT IN ('reliable_change', 'unseen'));
    has_sudden := 'sudden' = ANY (w.methods);
    has_reliable := 'reliable_change' = ANY (w.methods);
    has_unseen := 'unseen' = ANY (w.methods);
    IF 'cutoff' = ANY (w.methods) THEN
        -- a column of one instrument (response(srs)) keeps the rule only when
        -- that form has a cut-off (watch() decided); an open column is judged
        -- row by row: a form without a cut-off gets no cut-off alert
        SELECT substring(format_type(a.atttypid, a.atttypmod) FROM '\((.*)\)$') INTO cutoff_response
        FROM pg_catalog.pg_attribute a WHERE a.attrelid = TG_RELID AND a.attname = w.response_column;
        IF cutoff_response IS NULL THEN
            SELECT array_agg(i.code) INTO cut_codes
            FROM (SELECT b.code, b.cutoff FROM @extschema@.builtin_instruments() b
                  UNION ALL SELECT c.code, c.cutoff FROM @extschema@.custom_instruments c) i
            WHERE i.cutoff IS NOT NULL;
            cutoff_response := format('CASE WHEN @extschema@.instrument(t.%1$I) = ANY (%2$L::text[]) THEN t.%1$I END',
                                      w.response_column, cut_codes);
        ELSE
            cutoff_response := format('t.%I', w.response_column);
        END IF;
    END IF;
    therapist_column := nullif(TG_ARGV[7], '');
    IF has_unseen THEN
        SELECT CASE a.atttypid WHEN 'date'::regtype THEN '(u.at_time AT TIME ZONE ''UTC'')::date'
                               WHEN 'timestamp'::regtype THEN 'u.at_time AT TIME ZONE ''UTC'''
                               WHEN 'timestamptz'::regtype THEN 'u.at_time'
                               ELSE 'u.at_session' END
        INTO unseen_key
        FROM pg_catalog.pg_attribute a WHERE a.attrelid = TG_RELID AND a.attname = w.session_column;
    END IF;
    -- (client, session) of every row the statement changed, old and new
    changed := CASE TG_OP
        WHEN 'INSERT' THEN format('SELECT %1$I AS c, %2$I AS s FROM alliance_new', w.client_column, w.session_column)
        WHEN 'DELETE' THEN format('SELECT %1$I AS c, %2$I AS s FROM alliance_old', w.client_column, w.session_column)
        ELSE format('SELECT %1$I AS c, %2$I AS s FROM alliance_new UNION ALL SELECT %1$I, %2$I FROM alliance_old',
                    w.client_column, w.session_column) END;
    -- one writer per client at a time, locks taken in one order: two sessions
    -- of a client written at once are judged one after the other.  Clients
    -- share 256 locks per table (by hash), so a COPY of many thousand clients
    -- takes at most 256 locks, not one per client (the lock table is shared
    -- and small), and two writers of different clients rarely meet.
    lock_key := format('(%s::bigint << 32) | (pg_catalog.hashtext(c::text)::bigint & 255)', w.source::oid);
    EXECUTE format('SELECT count(pg_catalog.pg_advisory_xact_lock(k)), coalesce(sum(n), 0) FROM
                      (SELECT %s AS k, count(*) AS n FROM (%s) x WHERE c IS NOT NULL GROUP BY 1 ORDER BY 1) y',
                   lock_key, changed)
    INTO locks, rows_changed;
    -- one rupture_alert column per rule over one window: the client's
    -- sessions come in (client, session) order from the index, unsorted
    SELECT coalesce(string_agg(format(', @extschema@.rupture_alert(t.%I, %s, %L) OVER w AS f%s',
                                      w.session_column,
                                      CASE WHEN m = 'cutoff' THEN cutoff_response ELSE format('t.%I', w.response_column) END,
                                      m, i), '' ORDER BY i), ''),
           string_agg(format('(%L, j.f%s)', m, i), ', ' ORDER BY i),
           string_agg(format('j.f%s', i), ' OR ' ORDER BY i)
    INTO alert_columns, alert_values, any_fired
    FROM unnest(window_methods) WITH ORDINALITY u(m, i);
    -- Most writes of a session or a few raise nothing and find no alert to
    -- look after: a short query tells, and the long one below runs only when
    -- there is work.  (A bulk write nearly always has work: no need to ask;
    -- a sudden loss or a reliable deterioration is judged by the long one.)
    IF rows_changed <= 100 AND NOT has_sudden AND NOT has_reliable AND NOT has_unseen THEN
        EXECUTE format($q$
          WITH changed AS (
              SELECT c AS client, min(s) AS s0 FROM (%1$s) x WHERE c IS NOT NULL GROUP BY c),
          judged AS (
              SELECT t.%2$I AS client, t.%3$I AS session %6$s
              FROM %4$s t JOIN changed ch ON t.%2$I = ch.client
              WHERE t.%3$I IS NOT NULL AND t.%5$I IS NOT NULL
              WINDOW w AS (PARTITION BY t.%2$I ORDER BY t.%3$I))
          SELECT EXISTS (SELECT 1 FROM judged j JOIN changed ch ON ch.client = j.client
                         CROSS JOIN LATERAL (VALUES %7$s) m(method, f) WHERE m.f AND j.session >= ch.s0)
              OR EXISTS (SELECT 1 FROM %8$s a JOIN changed ch ON ch.client = a.client WHERE a.status <> 'resolved')
        $q$, changed, w.client_column, w.session_column, w.source, w.response_column, alert_columns, alert_values, w.alerts)
        INTO work;
        IF NOT work THEN
            RETURN NULL;
        END IF;
    END IF;
    -- the kind of alert each rule raises, as an expression over a method column
    kind_of := $k$CASE %s WHEN 'cutoff' THEN 'below_cutoff' WHEN 'sudden' THEN 'sudden_loss'
                      WHEN 'reliable_change' THEN 'reliable_deterioration' WHEN 'unseen' THEN 'unseen_rupture'
                      ELSE 'rupture' END$k$;
    -- the alerts that hold from each client's earliest changed session on:
    -- (client, session, pos, response, method, detail), detail NULL where
    -- ruptures() gives the numbers
    fired_parts := concat_ws(' UNION ALL ',
        CASE WHEN cardinality(window_methods) > 0 THEN format($f$
          SELECT j.client, j.session, j.pos, j.response, m.method, NULL::jsonb AS detail
          FROM judged j JOIN changed ch ON ch.client = j.client
          CROSS JOIN LATERAL (VALUES %s) m(method, f)
          -- the sessions where some rule fired, before the one row per rule
          WHERE (%s) AND m.f AND j.session >= ch.s0$f$, alert_values, any_fired) END,
        -- a reliable deterioration: reliably below the client's first session
        -- (reliable_change), raised where it begins
        CASE WHEN has_reliable THEN $f$
          SELECT d.client, d.session, d.pos, d.response, 'reliable_change', jsonb_strip_nulls(jsonb_build_object(
                     'score', @extschema@.score(d.response), 'baseline', @extschema@.score(d.baseline),
                     'delta', d.delta, 'rci', round(d.rci::numeric, 3)))
          FROM deteriorated d JOIN changed ch ON ch.client = d.client
          WHERE d.worse AND NOT d.worse_before AND d.session >= ch.s0$f$ END,
        -- a sudden loss: ruptures(…, 'sudden') over the sessions so far, when
        -- the session after the drop or the one after that is written
        CASE WHEN has_sudden THEN $f$
          SELECT * FROM (
              SELECT DISTINCT ON (s.client, s.seq) s.client, j.session, j.pos, j.response, 'sudden',
                     jsonb_build_object('score', @extschema@.score(j.response), 'level', s.previous_score,
                                        'drop', s.drop, 'threshold', round(s.threshold, 3))
              FROM sudden s JOIN judged j ON j.client = s.client AND j.pos = s.seq
              ORDER BY s.client, s.seq, s.upto) l$f$ END,
        -- an unseen rupture: unseen() of the dyad of the sessions so far
        CASE WHEN has_unseen THEN $f$
          SELECT * FROM (
              SELECT DISTINCT ON (u.client, u.session) u.client, u.session, NULL::bigint, u.response, 'unseen',
                     jsonb_strip_nulls(jsonb_build_object(
                         'client_drop', CASE WHEN scale(u.client_drop) > 3 THEN round(u.client_drop, 3) ELSE u.client_drop END,
                         'therapist_drop', CASE WHEN scale(u.therapist_drop) > 3 THEN round(u.therapist_drop, 3) ELSE u.therapist_drop END,
                         'client_pomp', @extschema@.pomp(u.response), 'therapist_pomp', @extschema@.pomp(u.therapist)))
              FROM unseen u
              ORDER BY u.client, u.session, u.upto) l$f$ END);
    -- the CTEs of the two rules that are not rupture_alert's, only when used
    -- (a watch with the defaults runs the short query it always ran)
    extra_ctes := concat(
        CASE WHEN has_reliable THEN $c$
      deteriorated AS (
          SELECT x.*, coalesce(lag(x.worse) OVER (PARTITION BY x.client ORDER BY x.pos), false) AS worse_before
          FROM (SELECT j.client, j.session, j.pos, j.response, j.baseline, rc.delta, rc.rci,
                       coalesce(rc.reliable AND rc.direction = 'deteriorated', false) AS worse
                FROM judged j CROSS JOIN LATERAL @extschema@.reliable_change(j.baseline, j.response) rc) x),$c$ END,
        CASE WHEN has_sudden THEN $c$
      -- from which session a client's sudden losses are judged again: two
      -- sessions before the earliest changed one (key0 NULL: all of them)
      sudden_scope AS (
          SELECT s.client, s.p0, (SELECT j.session FROM judged j WHERE j.client = s.client AND j.pos = s.p0) AS key0
          FROM (SELECT ch.client, coalesce(min(j.pos) FILTER (WHERE j.session >= ch.s0), max(j.pos) + 1, 1) - 2 AS p0
                FROM changed ch LEFT JOIN judged j ON j.client = ch.client
                GROUP BY ch.client, ch.s0) s),
      sudden AS (
          SELECT p.client, p.pos AS upto, r.seq, r.previous_score, r.drop, r.threshold
          FROM sudden_scope sc
          JOIN judged p ON p.client = sc.client AND p.pos >= sc.p0 + 1
          CROSS JOIN LATERAL (SELECT @extschema@.trajectory(k.session, k.response) AS t FROM judged k
                              WHERE k.client = p.client AND k.pos <= p.pos) x
          CROSS JOIN LATERAL @extschema@.ruptures(x.t, 'sudden') r
          WHERE r.seq IN (p.pos - 1, p.pos - 2) AND r.seq >= sc.p0),$c$ END,
        CASE WHEN has_unseen THEN format($c$
      -- the sessions either side rated, for the dyads
      rated AS MATERIALIZED (
          SELECT t.%1$I AS client, t.%2$I AS session, t.%3$I AS response, t.%4$I AS therapist,
                 row_number() OVER (PARTITION BY t.%1$I ORDER BY t.%2$I) AS pos
          FROM %5$s t JOIN changed ch ON t.%1$I = ch.client
          WHERE t.%2$I IS NOT NULL AND (t.%3$I IS NOT NULL OR t.%4$I IS NOT NULL)),
      -- from which session a client's unseen ruptures are judged again: one
      -- before the earliest changed one (the default rule reports a drop held
      -- over two sessions at the first); key0 NULL: all of them
      unseen_scope AS (
          SELECT s.client, s.p0, (SELECT r.session FROM rated r WHERE r.client = s.client AND r.pos = s.p0) AS key0
          FROM (SELECT ch.client, coalesce(min(r.pos) FILTER (WHERE r.session >= ch.s0), max(r.pos) + 1, 1) - 1 AS p0
                FROM changed ch LEFT JOIN rated r ON r.client = ch.client
                GROUP BY ch.client, ch.s0) s),
      unseen AS (
          SELECT p.client, p.pos AS upto, j.session, j.response, j.therapist, u.client_drop, u.therapist_drop
          FROM unseen_scope sc
          JOIN rated p ON p.client = sc.client AND p.pos >= sc.p0
          CROSS JOIN LATERAL (SELECT @extschema@.dyad(k.session, k.response, k.therapist) AS d FROM rated k
                              WHERE k.client = p.client AND k.pos <= p.pos) x
          CROSS JOIN LATERAL @extschema@.unseen(x.d) u
          JOIN rated j ON j.client = p.client AND j.session = %6$s
          WHERE j.pos >= sc.p0),$c$, w.client_column, w.session_column, w.response_column, therapist_column, w.source, unseen_key) END);
    -- Judge every session from the earliest changed one on (the rules look
    -- only backwards, so earlier sessions' decisions cannot change; a sudden
    -- loss looks two sessions ahead, so from two sessions before); raise
    -- what holds and is not raised, resolve what no longer holds, resolve by
    -- repair the alerts whose series shows the repair.
    EXECUTE format($q$
      WITH changed AS (
          SELECT c AS client, min(s) AS s0 FROM (%1$s) x WHERE c IS NOT NULL GROUP BY c),
      judged AS MATERIALIZED (
          SELECT t.%2$I AS client, t.%3$I AS session, t.%4$I AS response, row_number() OVER w AS pos %10$s %9$s
          FROM %5$s t JOIN changed ch ON t.%2$I = ch.client
          WHERE t.%3$I IS NOT NULL AND t.%4$I IS NOT NULL
          WINDOW w AS (PARTITION BY t.%2$I ORDER BY t.%3$I)),%11$s
      fired AS (
          SELECT f.*, %12$s AS kind FROM (%14$s) f (client, session, pos, response, method, detail)),
      current_alerts AS (
          SELECT a.id, a.client, a.session_key, a.kind, a.method,
                 %13$s
                 AND NOT EXISTS (
                     SELECT 1 FROM fired f WHERE f.client = a.client AND f.session = a.session_key
                                             AND f.method = a.method AND f.kind = a.kind) AS gone
          FROM %7$s a JOIN changed ch ON ch.client = a.client
          WHERE a.status <> 'resolved' AND a.method = ANY (%6$L::text[]) AND a.kind = %16$s),
      -- ruptures() of the clients with an alert to raise or to look after: the
      -- numbers of the alert and whether the series shows the repair
      rupt AS (
          SELECT x.client, m.method, r.seq, r.previous_score, r.drop, r.threshold, r.state
          FROM (SELECT j.client, @extschema@.trajectory(j.session, j.response) AS t,
                       min(@extschema@.instrument(j.response)) AS code FROM judged j
                WHERE j.client IN (SELECT client FROM fired UNION SELECT client FROM current_alerts)
                GROUP BY j.client) x
          CROSS JOIN unnest(%15$L::text[]) m(method)
          -- a sudden loss is found from the sessions up to two after it; its
          -- repair is ruptures()' repair rule for the fall at its session
          -- (the drop rule reports every fall, with that repair)
          CROSS JOIN LATERAL @extschema@.ruptures(x.t, CASE m.method WHEN 'sudden' THEN 'drop' ELSE m.method END) r
          WHERE m.method <> 'cutoff' OR %19$L::text[] IS NULL OR x.code = ANY (%19$L::text[])),
      -- an alert's rupture: ruptures() reports it at the alert's session, or
      -- for a drop held over two sessions at the one before (a sudden loss:
      -- at its session)
      hits AS (
          SELECT DISTINCT ON (f.client, f.method, f.session)
                 f.client, f.session, f.method, f.kind, f.detail,
                 @extschema@.score(f.response) AS score, r.previous_score, r.drop, r.threshold, r.state
          FROM fired f
          LEFT JOIN rupt r ON r.client = f.client AND r.method = f.method
                          AND r.seq BETWEEN f.pos - CASE f.method WHEN 'sudden' THEN 0 ELSE 1 END AND f.pos
          ORDER BY f.client, f.method, f.session, r.seq DESC),
      -- the alerts whose series shows the repair: a rupture's or a sudden
      -- loss's by ruptures(); a reliable deterioration is over at the first
      -- later session that is not reliably below the first one
      repairs AS (
          SELECT x.id FROM (
              SELECT DISTINCT ON (c.id) c.id, r.state
              FROM current_alerts c
              JOIN judged j ON j.client = c.client AND j.session = c.session_key
              JOIN rupt r ON r.client = c.client AND r.method = c.method
                         AND r.seq BETWEEN j.pos - CASE c.method WHEN 'sudden' THEN 0 ELSE 1 END AND j.pos
              WHERE NOT c.gone AND c.kind IN ('rupture', 'sudden_loss')
              ORDER BY c.id, r.seq DESC) x
          WHERE x.state = 'repaired'%17$s),
      -- a rupture already repaired by the same statement's later sessions is
      -- raised resolved by the repair (it happened; it needs no action now)
      raised AS (
          INSERT INTO %7$s AS a (client, session_key, kind, method, detail, status, resolved_by, resolved_at)
          SELECT h.client, h.session, h.kind, h.method,
                 -- the level of a mean is shown to 3 decimals, not to the last binary digit
                 coalesce(h.detail, jsonb_strip_nulls(jsonb_build_object(
                     'score', h.score,
                     'level', CASE WHEN scale(h.previous_score) > 3 THEN round(h.previous_score, 3) ELSE h.previous_score END,
                     'drop', CASE WHEN scale(h.drop) > 3 THEN round(h.drop, 3) ELSE h.drop END,
                     'threshold', CASE WHEN scale(h.threshold) > 3 THEN round(h.threshold, 3) ELSE h.threshold END))),
                 CASE WHEN h.over THEN 'resolved' ELSE 'open' END,
                 CASE WHEN h.over THEN 'repair' END,
                 CASE WHEN h.over THEN pg_catalog.now() END
          FROM (SELECT h.*, (h.kind IN ('rupture', 'sudden_loss') AND h.state IS NOT DISTINCT FROM 'repaired')%18$s AS over
                FROM hits h) h
          ON CONFLICT (client, session_key, kind, method) DO UPDATE
              SET status = EXCLUDED.status, detail = EXCLUDED.detail, raised_at = pg_catalog.now(),
                  acknowledged_by = NULL, acknowledged_at = NULL,
                  resolved_by = EXCLUDED.resolved_by, resolved_at = EXCLUDED.resolved_at
              WHERE a.status = 'resolved' AND a.resolved_by = 'data changed'
          RETURNING a.id, a.client),
      dropped AS (
          UPDATE %7$s a SET status = 'resolved', resolved_by = 'data changed', resolved_at = pg_catalog.now()
          FROM current_alerts c WHERE a.id = c.id AND c.gone
          RETURNING a.id),
      repaired AS (
          UPDATE %7$s a SET status = 'resolved', resolved_by = 'repair', resolved_at = pg_catalog.now()
          FROM repairs r WHERE a.id = r.id
          RETURNING a.id)
      SELECT (SELECT count(pg_catalog.pg_notify('alliance_alert',
                         jsonb_build_object('alert', id, 'table', %8$L, 'client', to_jsonb(client))::text)) FROM raised),
             (SELECT count(*) FROM dropped), (SELECT count(*) FROM repaired)
    $q$, changed, w.client_column, w.session_column, w.response_column, w.source, w.methods, w.alerts,
         w.alerts::text, alert_columns,
         CASE WHEN has_reliable THEN format(', first_value(t.%I) OVER w AS baseline', w.response_column) END,
         extra_ctes, format(kind_of, 'f.method'),
         -- which open alerts the changed sessions may have made wrong
         CASE WHEN NOT (has_sudden OR has_unseen) THEN 'a.session_key >= ch.s0' ELSE
         format('CASE %s %s ELSE a.session_key >= ch.s0 END',
                CASE WHEN has_sudden THEN $g$WHEN a.kind = 'sudden_loss'
                      THEN (SELECT sc.key0 IS NULL OR a.session_key >= sc.key0 FROM sudden_scope sc WHERE sc.client = a.client)$g$ END,
                CASE WHEN has_unseen THEN $g$WHEN a.kind = 'unseen_rupture'
                      THEN (SELECT sc.key0 IS NULL OR a.session_key >= sc.key0 FROM unseen_scope sc WHERE sc.client = a.client)$g$ END) END,
         fired_parts, rupture_methods, format(kind_of, 'a.method'),
         CASE WHEN has_reliable THEN $r$
          UNION
          SELECT c.id FROM current_alerts c
          WHERE NOT c.gone AND c.kind = 'reliable_deterioration'
            AND EXISTS (SELECT 1 FROM deteriorated d WHERE d.client = c.client AND d.session > c.session_key AND NOT d.worse)$r$ END,
         CASE WHEN has_reliable THEN $r$
                   OR (h.kind = 'reliable_deterioration' AND EXISTS (
                       SELECT 1 FROM deteriorated d WHERE d.client = h.client AND d.session > h.session AND NOT d.worse))$r$ END,
         cut_codes);
    RETURN NULL;
END
$body$;
COMMENT ON FUNCTION @extschema@.watch_judge() IS
    'Trigger of a watched table (alliance.watch): judges the clients of the changed rows with rupture_alert and keeps the alerts table in step';

-- What is watched, read back from the triggers watch() made.
CREATE VIEW @extschema@.watched AS
SELECT t.tgrelid::regclass AS source, to_regclass(a[4]) AS alerts, a[1]::name AS client_column,
       a[2]::name AS session_column, a[3]::name AS response_column, a[5]::text[] AS methods,
       a[6]::name AS watched_by, a[7]::timestamptz AS watched_at, nullif(a[8], '')::name AS therapist_column
FROM pg_catalog.pg_trigger t, LATERAL (SELECT @extschema@.trigger_arguments(t.tgargs) AS a) x
WHERE t.tgname = 'alliance_watch_insert' AND t.tgfoid = '@extschema@.watch_judge()'::regprocedure;
COMMENT ON VIEW @extschema@.watched IS
    'The tables of sessions alliance.watch() watches: their alerts table (NULL when it is gone), columns, rules, who started watching and when; read from the watch triggers, so pg_dump keeps them with the tables';
GRANT SELECT ON @extschema@.watched TO PUBLIC;

-- The rules an alert can use: the rupture_alert methods that need no
-- parameter beyond the instrument's norms and cut-off, the sudden loss and
-- the reliable deterioration from the first session (doc/alerts.md).
CREATE FUNCTION @extschema@.watch(source regclass, client name, session_key name, response name,
        alerts regclass DEFAULT NULL, methods text[] DEFAULT NULL, therapist name DEFAULT NULL) RETURNS regclass
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $body$
DECLARE
    src record;
    client_att record;
    session_att record;
    response_att record;
    therapist_att record;
    typed_code text;
    -- the clinical defaults; with the therapist's form, the unseen rupture too
    ms text[] := coalesce(methods, CASE WHEN therapist IS NULL THEN ARRAY['level', 'cutoff']
                                        ELSE ARRAY['level', 'cutoff', 'unseen'] END);
    m text;
    alerts_schema name;
    alerts_name name;
    target regclass := alerts;
    missing text;
    args text;
BEGIN
    IF source IS NULL OR client IS NULL OR session_key IS NULL OR response IS NULL THEN
        RAISE EXCEPTION 'watch needs a table and its client, session and response columns'
            USING ERRCODE = 'null_value_not_allowed';
    END IF;
    SELECT c.oid, c.relname, n.nspname, c.relkind, c.relowner INTO src
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = source;
    IF src.relkind NOT IN ('r', 'p') THEN
        RAISE EXCEPTION '% is not a table', source USING ERRCODE = 'wrong_object_type',
            HINT = 'Watch the table the sessions are written to.';
    END IF;
    IF EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = source AND t.tgname = 'alliance_watch_insert') THEN
        RAISE EXCEPTION 'table % is already watched', source USING ERRCODE = 'duplicate_object',
            HINT = format('To change how, run alliance.unwatch(%L) first; its alerts are kept.', source::text);
    END IF;
    SELECT attnum, atttypid INTO client_att FROM pg_attribute
    WHERE attrelid = source AND attname = client AND attnum > 0 AND NOT attisdropped;
    SELECT attnum, atttypid INTO session_att FROM pg_attribute
    WHERE attrelid = source AND attname = session_key AND attnum > 0 AND NOT attisdropped;
    SELECT attnum, atttypid, atttypmod INTO response_att FROM pg_attribute
    WHERE attrelid = source AND attname = response AND attnum > 0 AND NOT attisdropped;
    IF client_att.attnum IS NULL OR session_att.attnum IS NULL OR response_att.attnum IS NULL THEN
        RAISE EXCEPTION 'table % has no column %', source,
            quote_ident(CASE WHEN client_att.attnum IS NULL THEN client
                             WHEN session_att.attnum IS NULL THEN session_key ELSE response END)
            USING ERRCODE = 'undefined_column';
    END IF;
    IF therapist IS NOT NULL THEN
        SELECT attnum, atttypid INTO therapist_att FROM pg_attribute
        WHERE attrelid = source AND attname = therapist AND attnum > 0 AND NOT attisdropped;
        IF therapist_att.attnum IS NULL THEN
            RAISE EXCEPTION 'table % has no column %', source, quote_ident(therapist) USING ERRCODE = 'undefined_column';
        END IF;
        IF therapist_att.atttypid <> '@extschema@.response'::regtype THEN
            RAISE EXCEPTION 'column % of % is %, not alliance.response', quote_ident(therapist), source,
                format_type(therapist_att.atttypid, NULL) USING ERRCODE = 'datatype_mismatch',
                HINT = 'The therapist''s rating of the session is a response of the therapist''s form.';
        END IF;
    END IF;
    IF response_att.atttypid <> '@extschema@.response'::regtype THEN
        RAISE EXCEPTION 'column % of % is %, not alliance.response', quote_ident(response), source,
            format_type(response_att.atttypid, NULL) USING ERRCODE = 'datatype_mismatch',
            HINT = 'Alerts judge the scores of alliance.response values (the instrument gives the norms and the cut-off).';
    END IF;
    IF session_att.atttypid NOT IN ('smallint'::regtype, 'integer'::regtype, 'bigint'::regtype, 'date'::regtype,
                                    'timestamp'::regtype, 'timestamptz'::regtype) THEN
        RAISE EXCEPTION 'column % of % is %; a session key is an integer, a date or a timestamp', quote_ident(session_key),
            source, format_type(session_att.atttypid, NULL) USING ERRCODE = 'datatype_mismatch';
    END IF;
    IF cardinality(ms) = 0 THEN
        RAISE EXCEPTION 'methods is empty' USING ERRCODE = 'invalid_parameter_value',
            HINT = 'Leave it NULL for the clinical defaults: the default rupture rule (level) and the cut-off.';
    END IF;
    FOREACH m IN ARRAY ms LOOP
        IF m = 'unseen' AND therapist IS NULL THEN
            RAISE EXCEPTION 'method unseen needs the therapist''s rating' USING ERRCODE = 'invalid_parameter_value',
                HINT = 'Name the column of the therapist''s form: therapist => ''column''.';
        END IF;
        IF m IS NULL OR m NOT IN ('level', 'stiles', 'strauss', 'rci', 'cutoff', 'sudden', 'reliable_change', 'unseen') THEN
            IF m = 'drop' THEN
                RAISE EXCEPTION 'an alert cannot use method %', quote_literal(m)
                    USING ERRCODE = 'invalid_parameter_value',
                    DETAIL = 'drop needs a points threshold, which a watch does not take.',
                    HINT = 'Methods: level (the default rule), stiles, strauss, rci, cutoff, sudden, reliable_change, unseen.';
            END IF;
            RAISE EXCEPTION 'an alert cannot use method %', coalesce(quote_literal(m), 'NULL')
                USING ERRCODE = 'invalid_parameter_value',
                HINT = 'Methods: level (the default rule), stiles, strauss, rci, cutoff, sudden, reliable_change, unseen.';
        END IF;
    END LOOP;
    -- a column of one instrument without a cut-off: no cut-off rule
    typed_code := substring(format_type(response_att.atttypid, response_att.atttypmod) FROM '\((.*)\)$');
    IF typed_code IS NOT NULL AND 'cutoff' = ANY (ms) AND NOT EXISTS (
            SELECT 1 FROM (SELECT b.code, b.cutoff FROM @extschema@.builtin_instruments() b
                           UNION ALL SELECT c.code, c.cutoff FROM @extschema@.custom_instruments c) i
            WHERE i.code = typed_code AND i.cutoff IS NOT NULL) THEN
        IF methods IS NOT NULL THEN
            RAISE EXCEPTION 'an alert cannot use method ''cutoff'' on %: % has no cut-off', quote_ident(response), typed_code
                USING ERRCODE = 'invalid_parameter_value',
                HINT = 'Leave methods NULL for the default rule alone, or name the rules.';
        END IF;
        ms := array_remove(ms, 'cutoff');
    END IF;
    ms := ARRAY(SELECT DISTINCT x FROM unnest(ms) x ORDER BY 1);
    -- reading a client's earlier sessions must not scan the table
    IF NOT EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = source AND i.indisvalid AND i.indpred IS NULL
                   AND i.indnkeyatts >= 2 AND i.indkey[0] = client_att.attnum AND i.indkey[1] = session_att.attnum) THEN
        RAISE EXCEPTION 'table % has no index on (%, %)', source, quote_ident(client), quote_ident(session_key)
            USING ERRCODE = 'object_not_in_prerequisite_state',
            DETAIL = 'Every write judges the client''s earlier sessions; without the index each write reads the whole table.',
            HINT = format('CREATE INDEX ON %s (%I, %I);', source, client, session_key);
    END IF;
    IF target IS NULL THEN
        alerts_schema := src.nspname;
        alerts_name := left(src.relname, 56) || '_alerts';
        target := to_regclass(format('%I.%I', alerts_schema, alerts_name));
        IF target IS NULL THEN
            EXECUTE format($t$
                CREATE TABLE %I.%I (
                    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    client %s NOT NULL,
                    session_key %s NOT NULL,
                    kind text NOT NULL CHECK (kind IN ('rupture', 'sudden_loss', 'below_cutoff', 'reliable_deterioration',
                                                       'unseen_rupture')),
                    method text NOT NULL,
                    detail jsonb NOT NULL DEFAULT '{}',
                    raised_at timestamptz NOT NULL DEFAULT now(),
                    status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'acknowledged', 'resolved')),
                    acknowledged_by name,
                    acknowledged_at timestamptz,
                    note text,
                    resolved_by text,
                    resolved_at timestamptz,
                    UNIQUE (client, session_key, kind, method))$t$,
                alerts_schema, alerts_name, format_type(client_att.atttypid, NULL), format_type(session_att.atttypid, NULL));
            target := format('%I.%I', alerts_schema, alerts_name)::regclass;
            EXECUTE format('COMMENT ON TABLE %s IS %L', target,
                           format('Alerts of %s, raised by alliance.watch (doc/alerts.md)', source::text));
        END IF;
    END IF;
    -- an alerts table the user made: the columns and the one-alert-per-key constraint the triggers rely on
    SELECT string_agg(quote_ident(col), ', ' ORDER BY i) INTO missing
    FROM unnest(ARRAY['id', 'client', 'session_key', 'kind', 'method', 'detail', 'raised_at', 'status',
                      'acknowledged_by', 'acknowledged_at', 'note', 'resolved_by', 'resolved_at']) WITH ORDINALITY u(col, i)
    WHERE NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = target AND a.attname = col
                      AND a.attnum > 0 AND NOT a.attisdropped);
    IF missing IS NOT NULL THEN
        RAISE EXCEPTION 'alerts table % lacks column(s) %', target, missing USING ERRCODE = 'invalid_table_definition',
            HINT = 'Leave alerts NULL and watch() creates the table (doc/alerts.md lists its columns).';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = target AND i.indisunique AND i.indnkeyatts = 4
                   AND (SELECT array_agg(a.attname::text ORDER BY a.attname) FROM pg_attribute a
                        WHERE a.attrelid = target AND a.attnum = ANY (i.indkey::int2[]))
                       = ARRAY['client', 'kind', 'method', 'session_key']) THEN
        RAISE EXCEPTION 'alerts table % has no unique constraint on (client, session_key, kind, method)', target
            USING ERRCODE = 'invalid_table_definition',
            HINT = 'One alert per client, session, kind and method: add UNIQUE (client, session_key, kind, method).';
    END IF;
    args := format('%L, %L, %L, %L, %L, %L, %L, %L', client, session_key, response, target::text, ms::text,
                   current_user, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), coalesce(therapist, ''));
    EXECUTE format('CREATE TRIGGER alliance_watch_insert AFTER INSERT ON %s REFERENCING NEW TABLE AS alliance_new
                    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.watch_judge(%s)', source, args);
    EXECUTE format('CREATE TRIGGER alliance_watch_update AFTER UPDATE ON %s REFERENCING OLD TABLE AS alliance_old NEW TABLE AS alliance_new
                    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.watch_judge(%s)', source, args);
    EXECUTE format('CREATE TRIGGER alliance_watch_delete AFTER DELETE ON %s REFERENCING OLD TABLE AS alliance_old
                    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.watch_judge(%s)', source, args);
    RAISE NOTICE 'watching %: alerts go to %', source, target
        USING DETAIL = format('Rules: %s. Sessions written from now on are judged; earlier ones are not.', array_to_string(ms, ', ')),
              HINT = format('Every role that writes %s needs SELECT on it and SELECT, INSERT, UPDATE on %s.', source, target);
    RETURN target;
END
$body$;
COMMENT ON FUNCTION @extschema@.watch(regclass, name, name, name, regclass, text[], name) IS
    'Start watching a table of sessions: statement-level triggers judge every written session with rupture_alert (methods NULL: level and cutoff, and unseen when the therapist''s column is named) and keep an alerts table (default <source>_alerts) in step; returns the alerts table';

CREATE FUNCTION @extschema@.unwatch(source regclass) RETURNS void
    LANGUAGE plpgsql STRICT SET search_path = pg_catalog, pg_temp AS $body$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = source AND t.tgname = 'alliance_watch_insert') THEN
        RAISE EXCEPTION 'table % is not watched', source USING ERRCODE = 'undefined_object';
    END IF;
    EXECUTE format('DROP TRIGGER IF EXISTS alliance_watch_insert ON %s', source);
    EXECUTE format('DROP TRIGGER IF EXISTS alliance_watch_update ON %s', source);
    EXECUTE format('DROP TRIGGER IF EXISTS alliance_watch_delete ON %s', source);
END
$body$;
COMMENT ON FUNCTION @extschema@.unwatch(regclass) IS
    'Stop watching a table of sessions: its triggers go, its alerts table and alerts stay';

-- acknowledge and resolve: the person who did it and when
CREATE FUNCTION @extschema@.acknowledge(alerts regclass, id bigint, note text DEFAULT NULL) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $body$
DECLARE
    st text;
BEGIN
    IF alerts IS NULL OR id IS NULL THEN
        RAISE EXCEPTION 'acknowledge needs an alerts table and an alert id' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    EXECUTE format('SELECT status FROM %s WHERE id = $1 FOR UPDATE', alerts) INTO st USING id;
    IF st IS NULL THEN
        RAISE EXCEPTION 'alert % is not in %', id, alerts USING ERRCODE = 'no_data_found';
    END IF;
    IF st = 'resolved' THEN
        RAISE EXCEPTION 'alert % is resolved; it cannot be acknowledged', id USING ERRCODE = 'object_not_in_prerequisite_state',
            HINT = 'A resolved alert stays as it was; a new rupture raises a new alert.';
    END IF;
    EXECUTE format('UPDATE %s SET status = ''acknowledged'', acknowledged_by = current_user, acknowledged_at = now(),
                    note = coalesce($2, note) WHERE id = $1', alerts) USING id, note;
END
$body$;
COMMENT ON FUNCTION @extschema@.acknowledge(regclass, bigint, text) IS
    'Acknowledge an open alert: records current_user, the time and an optional note; a resolved alert cannot be acknowledged';

CREATE FUNCTION @extschema@.resolve(alerts regclass, id bigint, note text DEFAULT NULL) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $body$
DECLARE
    st text;
BEGIN
    IF alerts IS NULL OR id IS NULL THEN
        RAISE EXCEPTION 'resolve needs an alerts table and an alert id' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    EXECUTE format('SELECT status FROM %s WHERE id = $1 FOR UPDATE', alerts) INTO st USING id;
    IF st IS NULL THEN
        RAISE EXCEPTION 'alert % is not in %', id, alerts USING ERRCODE = 'no_data_found';
    END IF;
    IF st = 'resolved' THEN
        RAISE EXCEPTION 'alert % is already resolved', id USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    EXECUTE format('UPDATE %s SET status = ''resolved'', resolved_by = current_user, resolved_at = now(),
                    note = coalesce($2, note) WHERE id = $1', alerts) USING id, note;
END
$body$;
COMMENT ON FUNCTION @extschema@.resolve(regclass, bigint, text) IS
    'Resolve an open or acknowledged alert by hand: records current_user as resolved_by, the time and an optional note';
