-- ------------------------------------------------------------ FHIR issues and bundles
-- Ruptures and alerts as FHIR DetectedIssues, and Bundles of resources
-- (doc/fhir.md, "Ruptures as DetectedIssue" and "Bundles").

-- The codes of the issues alliance finds, with the severity each is written
-- with: one list for to_fhir_detected_issue and the CodeSystem.
CREATE FUNCTION @extschema@.fhir_issue_concepts(OUT code text, OUT display text, OUT definition text, OUT severity text)
    RETURNS SETOF record
    LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT * FROM (VALUES
        ('rupture', 'Alliance rupture',
         'A fall of the alliance score by a rupture rule (the default: at least k error SDs below the level of the sessions before).',
         'moderate'),
        ('sudden_loss', 'Sudden loss of the alliance',
         'A large, lasting fall by the three sudden-loss criteria (Tang & DeRubeis), confirmed by the sessions after it.',
         'high'),
        ('below_cutoff', 'Alliance below the cut-off',
         'The score fell below the instrument''s cut-off (SRS 36): the alliance is at risk.',
         'low'),
        ('reliable_deterioration', 'Reliable deterioration',
         'The score is reliably below the client''s first session (Jacobson & Truax''s reliable change).',
         'high'),
        ('unseen_rupture', 'Rupture the therapist did not see',
         'The client''s rating shows a rupture that the therapist''s own rating of the same session, judged by the same rule, does not.',
         'moderate'),
        ('repaired', 'Repaired',
         'Mitigation: the series shows the repair (the score came back within the repair window).',
         NULL),
        ('acknowledged', 'Acknowledged',
         'Mitigation: a clinician acknowledged the issue.',
         NULL),
        ('resolved', 'Resolved by a clinician',
         'Mitigation: a clinician resolved the issue.',
         NULL)) v(code, display, definition, severity);
END;
COMMENT ON FUNCTION @extschema@.fhir_issue_concepts() IS
    'The codes of the issues alliance writes as DetectedIssue (rupture kinds, with their severity) and of their mitigations, as fhir_codesystem lists them';

-- A DetectedIssue from an alert row (to_jsonb of a row of a watched table's
-- alerts table) or from the same keys built by hand.
CREATE FUNCTION @extschema@.to_fhir_detected_issue(alert jsonb, patient text DEFAULT NULL,
        identified timestamptz DEFAULT NULL, implicated text[] DEFAULT NULL, code_system text DEFAULT NULL)
    RETURNS jsonb
    LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $body$
DECLARE
    cs text := @extschema@.fhir_code_system_url(code_system);
    c record;
    kind text;
    st text;
    words text;
    d jsonb;
    mitigation jsonb := '[]';
    issue jsonb;
BEGIN
    IF alert IS NULL THEN
        RETURN NULL;
    END IF;
    IF jsonb_typeof(alert) <> 'object' THEN
        RAISE EXCEPTION 'alert is a JSON %, not an object', jsonb_typeof(alert) USING ERRCODE = 'invalid_parameter_value',
            HINT = 'Pass to_jsonb(a) for a row a of an alerts table.';
    END IF;
    kind := alert->>'kind';
    SELECT * INTO c FROM @extschema@.fhir_issue_concepts() x WHERE x.code = kind AND x.severity IS NOT NULL;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'alert kind % is not one alliance writes', coalesce(quote_literal(kind), 'NULL')
            USING ERRCODE = 'invalid_parameter_value',
            HINT = 'Kinds: rupture, sudden_loss, below_cutoff, reliable_deterioration, unseen_rupture.';
    END IF;
    st := coalesce(alert->>'status', 'open');
    IF st NOT IN ('open', 'acknowledged', 'resolved') THEN
        RAISE EXCEPTION 'alert status % is not open, acknowledged or resolved', quote_literal(st)
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF patient = '' OR array_position(implicated, '') IS NOT NULL OR array_position(implicated, NULL) IS NOT NULL THEN
        RAISE EXCEPTION 'patient and implicated references may not be empty' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    d := coalesce(alert->'detail', '{}');
    words := c.display || coalesce(' (' || (alert->>'method') || ' rule)', '') || CASE
        WHEN d = '{}' THEN ''
        ELSE ': ' || CASE
        WHEN kind = 'unseen_rupture' THEN
            format('the client''s rating fell by %s POMP points, the therapist''s by %s', d->>'client_drop', coalesce(d->>'therapist_drop', 'nothing'))
        WHEN kind = 'reliable_deterioration' THEN
            format('score %s against %s at the first session (change %s)', d->>'score', d->>'baseline', d->>'delta')
        WHEN kind = 'below_cutoff' THEN
            format('score %s below the cut-off of %s', d->>'score', d->>'threshold')
        ELSE
            format('score %s, %s below the level of %s (threshold %s)', d->>'score', d->>'drop', d->>'level', d->>'threshold')
        END END || '.';
    IF alert->>'acknowledged_at' IS NOT NULL THEN
        mitigation := mitigation || jsonb_build_array(jsonb_strip_nulls(jsonb_build_object(
            'action', jsonb_build_object('coding', jsonb_build_array(jsonb_build_object('system', cs, 'code', 'acknowledged', 'display', 'Acknowledged')),
                                         'text', 'acknowledged' || coalesce(': ' || (alert->>'note'), '')),
            'date', to_char((alert->>'acknowledged_at')::timestamptz AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))));
    END IF;
    IF st = 'resolved' AND alert->>'resolved_by' IS DISTINCT FROM 'data changed' THEN
        mitigation := mitigation || jsonb_build_array(jsonb_strip_nulls(jsonb_build_object(
            'action', jsonb_build_object('coding', jsonb_build_array(jsonb_build_object('system', cs,
                                                   'code', CASE WHEN alert->>'resolved_by' = 'repair' THEN 'repaired' ELSE 'resolved' END,
                                                   'display', CASE WHEN alert->>'resolved_by' = 'repair' THEN 'Repaired' ELSE 'Resolved by a clinician' END)),
                                         'text', CASE WHEN alert->>'resolved_by' = 'repair' THEN 'the series shows the repair'
                                                      ELSE 'resolved' || coalesce(': ' || (alert->>'note'), '') END),
            'date', to_char((alert->>'resolved_at')::timestamptz AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))));
    END IF;
    issue := jsonb_build_object(
        'resourceType', 'DetectedIssue',
        -- open: not reviewed yet; acknowledged or resolved: reviewed; no
        -- longer supported by the data: cancelled
        'status', CASE WHEN st = 'open' THEN 'preliminary'
                       WHEN st = 'resolved' AND alert->>'resolved_by' = 'data changed' THEN 'cancelled'
                       ELSE 'final' END,
        'code', jsonb_build_object('coding', jsonb_build_array(jsonb_build_object('system', cs, 'code', kind, 'display', c.display)),
                                   'text', c.display),
        'severity', c.severity,
        'detail', words);
    IF patient IS NOT NULL THEN
        issue := issue || jsonb_build_object('patient', jsonb_build_object('reference', patient));
    END IF;
    IF identified IS NOT NULL THEN
        issue := issue || jsonb_build_object('identifiedDateTime', to_char(identified AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'));
    END IF;
    IF cardinality(implicated) > 0 THEN
        issue := issue || jsonb_build_object('implicated',
            (SELECT jsonb_agg(jsonb_build_object('reference', x) ORDER BY n) FROM unnest(implicated) WITH ORDINALITY u(x, n)));
    END IF;
    IF jsonb_array_length(mitigation) > 0 THEN
        issue := issue || jsonb_build_object('mitigation', mitigation);
    END IF;
    RETURN issue;
END
$body$;
COMMENT ON FUNCTION @extschema@.to_fhir_detected_issue(jsonb, text, timestamptz, text[], text) IS
    'A rupture alert (to_jsonb of an alerts-table row) as a FHIR R4 DetectedIssue: status preliminary (open), final (acknowledged or resolved), cancelled (no longer supported by the data); code the kind in the code system; severity by kind; detail in words; patient, identifiedDateTime (the session''s time) and implicated (the Observations of the sessions before and at the drop) when given; mitigation when acknowledged, repaired or resolved';

-- ... and from a rupture of ruptures()
CREATE FUNCTION @extschema@.to_fhir_detected_issue(r @extschema@.rupture, patient text DEFAULT NULL,
        implicated text[] DEFAULT NULL, method text DEFAULT NULL, code_system text DEFAULT NULL)
    RETURNS jsonb
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT @extschema@.to_fhir_detected_issue(
        jsonb_build_object('kind', CASE WHEN method = 'cutoff' THEN 'below_cutoff'
                                        WHEN method = 'sudden' THEN 'sudden_loss' ELSE 'rupture' END,
                           'method', coalesce(method, 'level'),
                           'status', CASE WHEN (r).state = 'repaired' THEN 'resolved' ELSE 'open' END,
                           'resolved_by', CASE WHEN (r).state = 'repaired' THEN 'repair' END,
                           'resolved_at', (r).repaired_time,
                           -- to 3 decimals, not to the last binary digit
                           'detail', jsonb_build_object(
                               'score', (r).score,
                               'level', CASE WHEN scale((r).previous_score) > 3 THEN round((r).previous_score, 3) ELSE (r).previous_score END,
                               'drop', CASE WHEN scale((r).drop) > 3 THEN round((r).drop, 3) ELSE (r).drop END,
                               'threshold', CASE WHEN scale((r).threshold) > 3 THEN round((r).threshold, 3) ELSE (r).threshold END)),
        patient, (r).at_time, implicated, code_system)
    -- a NULL rupture (every field NULL) is none
    WHERE (r).seq IS NOT NULL;
END;
COMMENT ON FUNCTION @extschema@.to_fhir_detected_issue(@extschema@.rupture, text, text[], text, text) IS
    'A rupture of ruptures() as a FHIR R4 DetectedIssue (see the alert form): repaired ruptures carry the repair as mitigation; identifiedDateTime is the session''s time for date and time keys; method names the rule the rupture was found by (NULL: level)';

-- ... and from where a client stands now (current())
CREATE FUNCTION @extschema@.to_fhir_detected_issue(c @extschema@.current_state, patient text DEFAULT NULL,
        implicated text[] DEFAULT NULL, code_system text DEFAULT NULL)
    RETURNS jsonb
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT @extschema@.to_fhir_detected_issue(
        jsonb_build_object('kind', CASE WHEN (c).state = 'below_cutoff' THEN 'below_cutoff' ELSE 'rupture' END,
                           'method', CASE WHEN (c).state = 'below_cutoff' THEN 'cutoff' ELSE 'level' END,
                           'status', CASE WHEN (c).state = 'repaired_recently' THEN 'resolved' ELSE 'open' END,
                           'resolved_by', CASE WHEN (c).state = 'repaired_recently' THEN 'repair' END),
        patient, (c).since_time, implicated, code_system)
    -- only the states that are an issue: an open rupture, a recent repair, below the cut-off
    WHERE (c).state IN ('open_rupture', 'repaired_recently', 'below_cutoff');
END;
COMMENT ON FUNCTION @extschema@.to_fhir_detected_issue(@extschema@.current_state, text, text[], text) IS
    'Where a client stands now (current()) as a FHIR R4 DetectedIssue: an open rupture (preliminary), a recent repair (final, with the repair as mitigation) or a score below the cut-off; identifiedDateTime the session it began at (date and time keys); NULL for declining, improving or stable';

-- Bundles: a night's resources in one request
CREATE FUNCTION @extschema@.fhir_bundle(resources jsonb[], type text DEFAULT 'collection') RETURNS jsonb
    LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $body$
DECLARE
    base text;
    entries jsonb;
BEGIN
    IF type IS NULL OR type NOT IN ('collection', 'transaction', 'batch') THEN
        RAISE EXCEPTION 'bundle type % is not collection, transaction or batch', coalesce(quote_literal(type), 'NULL')
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF EXISTS (SELECT 1 FROM unnest(resources) r WHERE r IS NULL OR jsonb_typeof(r) <> 'object'
                                                       OR jsonb_typeof(r->'resourceType') IS DISTINCT FROM 'string') THEN
        RAISE EXCEPTION 'every resource of a bundle is a JSON object with a resourceType'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    base := nullif(current_setting('alliance.fhir_base_url', true), '');
    SELECT jsonb_agg(e ORDER BY n) INTO entries
    FROM (SELECT n, jsonb_strip_nulls(jsonb_build_object(
                 -- a resource with an id has its URL on the server; one without gets a
                 -- urn:uuid the other entries of a transaction can refer to, made from
                 -- its place and content, so the same resources make the same Bundle
                 'fullUrl', CASE WHEN r ? 'id' AND base IS NOT NULL THEN base || '/' || (r->>'resourceType') || '/' || (r->>'id')
                                 ELSE 'urn:uuid:' || md5(n::text || ':' || r::text)::uuid END,
                 'resource', r,
                 'request', CASE WHEN type <> 'collection' THEN
                     CASE WHEN r ? 'id' THEN jsonb_build_object('method', 'PUT', 'url', (r->>'resourceType') || '/' || (r->>'id'))
                          ELSE jsonb_build_object('method', 'POST', 'url', r->>'resourceType') END END)) AS e
          FROM unnest(resources) WITH ORDINALITY u(r, n)) x;
    -- FHIR JSON has no empty arrays: no resources, no entry
    RETURN jsonb_strip_nulls(jsonb_build_object('resourceType', 'Bundle', 'type', type, 'entry', entries));
END
$body$;
COMMENT ON FUNCTION @extschema@.fhir_bundle(jsonb[], text) IS
    'A FHIR R4 Bundle of the resources: collection (the default), transaction or batch (with a request per entry: PUT <type>/<id> for a resource with an id, else POST <type>); fullUrl <alliance.fhir_base_url>/<type>/<id>, else a urn:uuid made from the entry''s place and content';

CREATE FUNCTION @extschema@.fhir_bundle_final(resources jsonb[]) RETURNS jsonb
    LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT @extschema@.fhir_bundle(coalesce(resources, '{}'), 'collection');
END;
COMMENT ON FUNCTION @extschema@.fhir_bundle_final(jsonb[]) IS
    'Final function of the aggregate alliance.fhir_bundle(resource)';
-- array_append appends in place to the aggregate's expanded array: linear in
-- the number of resources.  A transaction: fhir_bundle(array_agg(r), 'transaction').
CREATE AGGREGATE @extschema@.fhir_bundle(resource jsonb) (
    SFUNC = pg_catalog.array_append, STYPE = jsonb[],
    FINALFUNC = @extschema@.fhir_bundle_final, PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.fhir_bundle(jsonb) IS
    'The resources of a group as one FHIR R4 Bundle of type collection; for a transaction, fhir_bundle(array_agg(resource), ''transaction'')';
