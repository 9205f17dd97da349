-- The main job: who needs attention, and how the clinic's alliance is doing.
-- psql variables: min_n (groups with fewer clients are suppressed), html (path
-- of the page with one chart per client who needs attention), clients (path of
-- the listing of every client's status and ruptures).
\set ON_ERROR_STOP 1
\pset footer off
\pset null '-'
SET search_path = public, alliance;

\echo
\echo '=== Clinic at a glance ==='
SELECT count(DISTINCT client) AS clients, count(DISTINCT therapist) AS therapists, count(*) AS sessions,
       count(wai) AS wai_sr_forms, count(*) FILTER (WHERE item(psq, 1) = 1) AS psq_ruptures_reported
FROM sessions JOIN clients USING (client);

\echo
\echo '=== Clinic summary by instrument (score = the instrument''s total; at_risk = share below its published cut-off; ceiling = share at the maximum) ==='
SELECT instrument, (s).n, (s).n_unscored AS unscored, round((s).mean, 2) AS mean, round((s).sd, 2) AS sd,
       round((s).at_risk_share, 3) AS at_risk, round((s).ceiling_share, 3) AS ceiling
FROM (SELECT 'srs' AS instrument, summary(srs) AS s FROM sessions
      UNION ALL SELECT 'ors', summary(ors) FROM sessions
      UNION ALL SELECT 'wai_sr', summary(wai) FROM sessions) x;

\echo
\echo '=== SRS by therapist (n = clients; figures for fewer than' :min_n 'clients are suppressed) ==='
SELECT therapist, count(DISTINCT client) AS n_clients, (summary(srs)).n AS n_forms,
       CASE WHEN count(DISTINCT client) >= :min_n THEN round((summary(srs)).mean, 2)::text ELSE 'suppressed' END AS mean_srs,
       CASE WHEN count(DISTINCT client) >= :min_n THEN round((summary(srs)).at_risk_share, 3)::text ELSE 'suppressed' END AS at_risk,
       CASE WHEN count(DISTINCT client) >= :min_n THEN round((summary(srs)).ceiling_share, 3)::text ELSE 'suppressed' END AS ceiling
FROM sessions JOIN clients USING (client)
GROUP BY therapist ORDER BY therapist;

\echo
\echo '=== Reliability on the clinic''s own data (Cronbach''s alpha, complete forms; first session of each client) ==='
SELECT 'srs' AS instrument, count(*) AS n, round(alpha(srs), 3) AS alpha FROM sessions WHERE session = 1
UNION ALL
SELECT 'ors', count(*), round(alpha(ors), 3) FROM sessions WHERE session = 1
UNION ALL
SELECT 'wai_sr', count(wai), round(alpha(wai), 3) FROM sessions WHERE session = 1
UNION ALL
SELECT 'wai_sr bond', count(wai), round(alpha(wai, 'bond'), 3) FROM sessions WHERE session = 1;

-- Ruptures use the stricter of the client's own SD and the clinic's between-client SD
-- (Gumz et al. 2012): the SD of first-session SRS totals, one per client.
SELECT round((norms(srs)).sd, 2) AS clinic_sd FROM sessions WHERE session = 1 \gset

CREATE TEMP TABLE trajectories AS
SELECT client, therapist, trajectory(session, srs) AS t
FROM sessions JOIN clients USING (client)
GROUP BY client, therapist;

\echo
\echo '=== Alliance status of every client (method stiles: a drop of 2 SD, the larger of the client''s own SD and the clinic''s' :clinic_sd ') ==='

SELECT status(t, reference_sd => :clinic_sd) AS status, count(*) AS clients FROM trajectories GROUP BY 1 ORDER BY 2 DESC;

\echo
\echo '=== Where each client stands now (alliance.current): the state at the latest session, by therapist ==='
SELECT coalesce(therapist, 'all') AS therapist, count(*) AS clients,
       count(*) FILTER (WHERE (c).state = 'open_rupture') AS open_rupture,
       count(*) FILTER (WHERE (c).state = 'repaired_recently') AS repaired_recently,
       count(*) FILTER (WHERE (c).state = 'below_cutoff') AS below_cutoff,
       count(*) FILTER (WHERE (c).state = 'declining') AS declining,
       count(*) FILTER (WHERE (c).state IN ('improving', 'stable')) AS improving_or_stable
FROM (SELECT therapist, current(t, reference_sd => :clinic_sd) AS c FROM trajectories) x
GROUP BY ROLLUP (therapist)
HAVING therapist IS NULL OR count(*) >= :min_n   -- small caseloads only in the total (suppressed)
ORDER BY therapist NULLS LAST;

\echo
\echo '=== Who needs attention: the latest rupture is not repaired (* repaired, ! unrepaired, ? open) ==='
CREATE TEMP TABLE attention AS
SELECT x.client, x.therapist, sessions(x.t) AS sessions, last_score(x.t) AS last_srs,
       r.at_session AS rupture_at, r.previous_score AS before, r.score AS at_rupture, r.drop, r.state,
       sparkline(x.t, reference_sd => :clinic_sd) AS sparkline, x.t
FROM trajectories x, LATERAL (SELECT * FROM ruptures(x.t, reference_sd => :clinic_sd) ORDER BY seq DESC LIMIT 1) r
WHERE status(x.t, reference_sd => :clinic_sd) = 'open_rupture';
SELECT client, therapist, sessions, last_srs, rupture_at, before, at_rupture, drop, state, sparkline
FROM attention ORDER BY state DESC, drop DESC, client LIMIT 25;
SELECT count(*) AS clients_needing_attention, count(*) FILTER (WHERE state = 'open') AS rupture_still_open
FROM attention;

\echo
\echo '=== Ruptures found (stiles) and what became of them ==='
SELECT r.state, count(*) AS ruptures, round(avg(r.drop), 2) AS mean_drop
FROM trajectories x, ruptures(x.t, reference_sd => :clinic_sd) r GROUP BY r.state ORDER BY r.state;

\echo
\echo '=== Do clients'' own PSQ reports agree?  Detected ruptures with a PSQ rupture report that session ==='
SELECT count(*) AS detected, count(*) FILTER (WHERE item(s.psq, 1) = 1) AS client_reported_too
FROM trajectories x CROSS JOIN LATERAL ruptures(x.t, reference_sd => :clinic_sd) r
JOIN sessions s ON s.client = x.client AND s.session = r.at_session;

\echo
\echo '=== Reliable change in outcome (ORS, first to last session; 5 points) ==='
SELECT rc.direction, count(*) AS clients, count(*) FILTER (WHERE rc.clinically_significant) AS clinically_significant
FROM (SELECT client, (array_agg(ors ORDER BY session))[1] AS first_ors,
             (array_agg(ors ORDER BY session DESC))[1] AS last_ors
      FROM sessions GROUP BY client) f,
     LATERAL reliable_change(f.first_ors, f.last_ors) rc
GROUP BY rc.direction ORDER BY rc.direction;

-- Every client: status, sparkline and each rupture with its repair state, in a file of its own.
\o :clients
\pset tuples_only off
\pset format aligned
SELECT x.client, x.therapist, status(x.t, reference_sd => :clinic_sd) AS status, sessions(x.t) AS sessions, sparkline(x.t, reference_sd => :clinic_sd) AS sparkline,
       coalesce((SELECT string_agg(format('session %s: %s -> %s (%s)%s', r.at_session, r.previous_score, r.score, r.state,
                                          CASE WHEN r.state = 'repaired' THEN ' at session ' || r.repaired_at ELSE '' END),
                                   '; ' ORDER BY r.seq)
                 FROM ruptures(x.t, reference_sd => :clinic_sd) r), '') AS ruptures
FROM trajectories x ORDER BY x.client;
\o

-- The page: one chart per client who needs attention.
\pset format unaligned
\pset tuples_only on
\o :html
SELECT '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>alliance: who needs attention</title>'
    || '<style>body{font-family:sans-serif;margin:2em;max-width:60em} figure{margin:1.5em 0} figcaption{font-size:0.9em;color:#444}</style>'
    || '</head><body><h1>Who needs attention</h1><p>Clients whose latest alliance rupture (SRS, method stiles) has not been repaired. '
    || 'Synthetic data.</p>';
SELECT format('<figure><figcaption>Client %s (therapist %s): %s sessions, rupture at session %s, %s → %s (%s)</figcaption>%s</figure>',
              client, therapist, sessions, rupture_at, before, at_rupture, state,
              svg(t, width => 720, height => 260, reference_sd => :clinic_sd))
FROM attention ORDER BY state DESC, drop DESC, client;
SELECT '</body></html>';
\o
