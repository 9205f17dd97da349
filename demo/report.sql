-- The main job: who needs attention now (first), and how the clinic's alliance is doing.
-- psql variables: min_n (groups with fewer clients are suppressed), max_listed
-- (clients listed in the report; the rest are counted), html (path
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

-- The clinic's own norms first (alliance.calibrate): every rule below uses them.
CREATE TEMP TABLE calibration AS SELECT * FROM calibrate('sessions', 'client', 'session', 'srs');
INSERT INTO calibration SELECT * FROM calibrate('sessions', 'client', 'session', 'wai');

CREATE TEMP TABLE trajectories AS
SELECT client, therapist, trajectory(session, srs) AS t, trajectory(held_on, srs) AS dated,
       current(trajectory(session, srs)) AS now
FROM sessions JOIN clients USING (client)
GROUP BY client, therapist;

-- Who needs attention now: an open rupture (the most recent first), then below the cut-off,
-- then declining.
CREATE TEMP TABLE attention AS
SELECT client, therapist, (now).state, (now).since_session AS since, (now).sessions AS for_sessions,
       (now).last_score AS last_srs, sparkline(t) AS sparkline, dated,
       CASE (now).state WHEN 'open_rupture' THEN 1 WHEN 'below_cutoff' THEN 2 ELSE 3 END AS priority
FROM trajectories WHERE (now).state IN ('open_rupture', 'below_cutoff', 'declining');

\echo
\echo '=== Who needs attention now, by therapist (alliance.current at the latest session; * repaired, ! unrepaired, ? open rupture) ==='
SELECT coalesce(therapist, 'all') AS therapist, count(*) AS clients,
       count(*) FILTER (WHERE state = 'open_rupture') AS open_rupture,
       count(*) FILTER (WHERE state = 'below_cutoff') AS below_cutoff,
       count(*) FILTER (WHERE state = 'declining') AS declining
FROM attention GROUP BY ROLLUP (therapist) ORDER BY therapist NULLS FIRST;
SELECT therapist, client, state, since, for_sessions, last_srs, sparkline
FROM (SELECT *, row_number() OVER (ORDER BY therapist, priority, since DESC, client) AS n FROM attention) x
WHERE n <= :max_listed ORDER BY therapist, priority, since DESC, client;
SELECT CASE WHEN count(*) > :max_listed
            THEN format('%s clients need attention; %s are listed above, the other %s are in clients.txt',
                        count(*), :max_listed, count(*) - :max_listed)
            ELSE format('all %s clients who need attention are listed above', count(*)) END AS listed
FROM attention;

\echo
\echo '=== Where each client stands now (alliance.current): the state at the latest session, by therapist ==='
SELECT coalesce(therapist, 'all') AS therapist, count(*) AS clients,
       count(*) FILTER (WHERE (now).state = 'open_rupture') AS open_rupture,
       count(*) FILTER (WHERE (now).state = 'repaired_recently') AS repaired_recently,
       count(*) FILTER (WHERE (now).state = 'below_cutoff') AS below_cutoff,
       count(*) FILTER (WHERE (now).state = 'declining') AS declining,
       count(*) FILTER (WHERE (now).state IN ('improving', 'stable')) AS improving_or_stable
FROM trajectories
GROUP BY ROLLUP (therapist)
HAVING therapist IS NULL OR count(*) >= :min_n   -- small caseloads only in the total (suppressed)
ORDER BY therapist NULLS LAST;

-- The same clinic as the EHR writes it: every session, in the order the
-- sessions were held, into a watched table (alliance.watch), so each alert is
-- raised by the write that made it known.  Therapists acknowledge the alerts
-- of their clients seen in the last four weeks.
CREATE TABLE visits (client int, session int, held_on date, srs response(srs), PRIMARY KEY (client, session));
SET client_min_messages = warning;
SELECT watch('visits', 'client', 'session', 'srs') \g /dev/null
RESET client_min_messages;
DO $$
DECLARE s record;
BEGIN
  FOR s IN SELECT client, session, held_on, srs FROM sessions ORDER BY held_on, client LOOP
    INSERT INTO visits VALUES (s.client, s.session, s.held_on, s.srs);
  END LOOP;
END $$;
SELECT count(acknowledge('visits_alerts', a.id, 'seen at the team meeting')) AS acknowledged
FROM visits_alerts a JOIN visits v ON v.client = a.client AND v.session = a.session_key
WHERE a.status = 'open' AND v.held_on >= (SELECT max(held_on) FROM visits) - 28 \g /dev/null

\echo
\echo '=== Alerts raised as the sessions were written (alliance.watch; the default rule and the SRS cut-off) ==='
SELECT coalesce(kind, 'all') AS kind, count(*) AS raised,
       count(*) FILTER (WHERE status = 'open') AS open,
       count(*) FILTER (WHERE status = 'acknowledged') AS acknowledged,
       count(*) FILTER (WHERE resolved_by = 'repair') AS resolved_by_repair,
       count(*) FILTER (WHERE status = 'resolved' AND resolved_by <> 'repair') AS resolved_otherwise
FROM visits_alerts GROUP BY ROLLUP (kind) ORDER BY kind NULLS LAST;
SELECT CASE WHEN count(*) = 0 THEN 'yes' ELSE 'no: ' || count(*) || ' differ' END
       AS alerts_equal_rupture_alert_on_the_same_series
FROM ((SELECT client, session, m FROM (SELECT client, session, m,
         rupture_alert(session, srs, m) OVER (PARTITION BY client, m ORDER BY session) AS f
       FROM visits, unnest(ARRAY['level', 'cutoff']) m) x WHERE f
       EXCEPT SELECT client, session_key, method FROM visits_alerts)
      UNION ALL
      (SELECT client, session_key, method FROM visits_alerts
       EXCEPT SELECT client, session, m FROM (SELECT client, session, m,
         rupture_alert(session, srs, m) OVER (PARTITION BY client, m ORDER BY session) AS f
       FROM visits, unnest(ARRAY['level', 'cutoff']) m) x WHERE f)) d;
\echo 'Open rupture alerts, the most recent first:'
SELECT a.id AS alert, c.therapist, a.client, a.session_key AS session, v.held_on, a.status,
       a.detail->>'level' AS level, a.detail->>'score' AS score, a.detail->>'threshold' AS threshold
FROM visits_alerts a JOIN clients c USING (client) JOIN visits v ON v.client = a.client AND v.session = a.session_key
WHERE a.kind = 'rupture' AND a.status <> 'resolved'
ORDER BY v.held_on DESC, a.client LIMIT :max_listed;

\echo
\echo '=== Client and therapist: the gap and agreement by therapist (long-term programme: WAI-SR and the therapist''s form, on POMP) ==='
-- one dyad per client; agreement across dyads on each dyad's mean of its
-- paired sessions, as Tryon et al. (2007) compared them (r .36, d .63)
CREATE TEMP TABLE dyads AS
SELECT c.therapist, s.client, dyad(s.session, s.wai, s.therapist_wai) AS d,
       avg(pomp(s.wai)) FILTER (WHERE pomp(s.therapist_wai) IS NOT NULL) AS client_mean,
       avg(pomp(s.therapist_wai)) FILTER (WHERE pomp(s.wai) IS NOT NULL) AS therapist_mean
FROM sessions s JOIN clients c USING (client)
WHERE s.wai IS NOT NULL OR s.therapist_wai IS NOT NULL
GROUP BY c.therapist, s.client;
SELECT coalesce(therapist, 'all') AS therapist, count(*) AS dyads, sum(paired_sessions(d)) AS paired_sessions,
       round(avg(mean_gap(d))::numeric, 1) AS mean_gap,
       round((agreement(client_mean, therapist_mean)).r::numeric, 2) AS r_across_dyads,
       round((agreement(client_mean, therapist_mean)).d::numeric, 2) AS d_across_dyads,
       round(avg(correlation(d))::numeric, 2) AS mean_r_within,
       'r .36, d .63' AS tryon_2007
FROM dyads GROUP BY ROLLUP (therapist)
HAVING therapist IS NULL OR count(*) >= :min_n
ORDER BY therapist NULLS LAST;

\echo
\echo '=== Ruptures the client reported that the therapist''s own rating did not show (alliance.unseen, the default rule on POMP) ==='
SELECT coalesce(x.therapist, 'all') AS therapist, count(*) AS unseen_ruptures, count(DISTINCT x.client) AS clients
FROM dyads x, unseen(x.d) u GROUP BY ROLLUP (x.therapist) ORDER BY x.therapist NULLS LAST;
SELECT x.therapist, x.client, u.at_session AS session, round(u.client_drop, 1) AS client_drop,
       round(u.therapist_drop, 1) AS therapist_drop
FROM dyads x, unseen(x.d) u ORDER BY x.therapist, x.client, u.at_session LIMIT :max_listed;
-- and as alerts: the same sessions written one by one into a watched table
-- with the therapist's column, raising unseen_rupture alerts as they come
CREATE TABLE rated (client int, session int, wai response(wai_sr), therapist_wai response(wsr_t), PRIMARY KEY (client, session));
SET client_min_messages = warning;
SELECT watch('rated', 'client', 'session', 'wai', methods => ARRAY['unseen'], therapist => 'therapist_wai') \g /dev/null
RESET client_min_messages;
DO $$
DECLARE s record;
BEGIN
  FOR s IN SELECT client, session, wai, therapist_wai FROM sessions
           WHERE wai IS NOT NULL OR therapist_wai IS NOT NULL ORDER BY held_on, client LOOP
    INSERT INTO rated VALUES (s.client, s.session, s.wai, s.therapist_wai);
  END LOOP;
END $$;
SELECT count(*) AS unseen_rupture_alerts,
       count(*) FILTER (WHERE EXISTS (SELECT 1 FROM dyads x, unseen(x.d) u
                                      WHERE x.client = a.client AND u.at_session = a.session_key)) AS also_on_the_finished_series
FROM rated_alerts a WHERE kind = 'unseen_rupture';

\echo
\echo '=== Norms behind the rupture rule: published, and calibrated on this clinic (alliance.calibrate) ==='
\echo 'error SD = the session-to-session noise of one score; a rupture is a session 3 error SDs below the mean of the 3 before it'
SELECT instrument, clients, sessions, published_error_sd, round(error_sd, 2) AS clinic_error_sd,
       round(retest_r, 2) AS clinic_retest_r, round(alpha, 2) AS clinic_alpha
FROM calibration ORDER BY instrument;
\echo '(every rupture in this report is found with the clinic''s norms; alliance.reset_norms(instrument) goes back to the published ones)'


\echo
\echo '=== Alliance status of every client: the course as a whole (alliance.status, the default rule) ==='
SELECT status(t) AS status, count(*) AS clients FROM trajectories GROUP BY 1 ORDER BY 2 DESC;

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

\echo
\echo '=== Ruptures found (the default rule) and what became of them ==='
SELECT r.state, count(*) AS ruptures, round(avg(r.drop), 2) AS mean_drop
FROM trajectories x, ruptures(x.t) r GROUP BY r.state ORDER BY r.state;

\echo
\echo '=== Do clients'' own PSQ reports agree?  Detected ruptures with a PSQ rupture report that session ==='
SELECT count(*) AS detected, count(*) FILTER (WHERE item(s.psq, 1) = 1) AS client_reported_too
FROM trajectories x CROSS JOIN LATERAL ruptures(x.t) r
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
SELECT x.client, x.therapist, (x.now).state AS now, status(x.t) AS status, sessions(x.t) AS sessions, sparkline(x.t) AS sparkline,
       coalesce((SELECT string_agg(format('session %s: %s -> %s (%s)%s', r.at_session, r.previous_score, r.score, r.state,
                                          CASE WHEN r.state = 'repaired' THEN ' at session ' || r.repaired_at ELSE '' END),
                                   '; ' ORDER BY r.seq)
                 FROM ruptures(x.t) r), '') AS ruptures
FROM trajectories x ORDER BY x.client;
\o

-- The page: one chart per client who needs attention, dated sessions on the x-axis, the
-- SRS cut-off as a dashed line, ruptures and repairs marked.
\pset format unaligned
\pset tuples_only on
\o :html
SELECT '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>alliance: who needs attention now</title>'
    || '<style>body{font-family:sans-serif;margin:2em;max-width:60em} figure{margin:1.5em 0} figcaption{font-size:0.9em;color:#444}</style>'
    || '</head><body><h1>Who needs attention now</h1><p>' || count(*) || ' clients: an open alliance rupture (the most recent first), '
    || 'then an SRS total below the cut-off of 36, then a declining course. Each chart''s y-axis is the SRS total over that client''s own range; '
    || 'the default rupture rule with this clinic''s calibrated norms. Synthetic data.</p>'
FROM attention;
SELECT format('<figure><figcaption>Client %s (therapist %s): %s since session %s (%s sessions), latest SRS total %s</figcaption>%s</figure>',
              client, therapist, replace(state, '_', ' '), since, for_sessions, last_srs,
              svg(dated, width => 720, height => 260))
FROM attention ORDER BY priority, since DESC, client;
SELECT '</body></html>';
\o
