-- The main job: who needs attention, and how the clinic's alliance is doing.
\set ON_ERROR_STOP 1
\pset footer off
\pset null '-'
SET search_path = public, alliance;
\set min_n 5

\echo
\echo '=== Clinic at a glance ==='
SELECT count(DISTINCT client) AS clients, count(DISTINCT therapist) AS therapists, count(*) AS sessions,
       count(wai) AS wai_sr_forms, count(*) FILTER (WHERE item(psq, 1) = 1) AS psq_ruptures_reported
FROM sessions JOIN clients USING (client);

\echo
\echo '=== Scores by instrument (the instrument''s total; share below its published cut-off) ==='
SELECT 'srs' AS instrument, count(total(srs)) AS n, round(avg(total(srs)), 2) AS mean,
       round(stddev_samp(total(srs)), 2) AS sd, round(avg(at_risk(srs)::int), 3) AS share_at_risk
FROM sessions
UNION ALL
SELECT 'ors', count(total(ors)), round(avg(total(ors)), 2), round(stddev_samp(total(ors)), 2), round(avg(at_risk(ors)::int), 3)
FROM sessions
UNION ALL
SELECT 'wai_sr', count(total(wai)), round(avg(total(wai)), 2), round(stddev_samp(total(wai)), 2), NULL
FROM sessions;

\echo
\echo '=== SRS by therapist (groups below' :min_n 'clients are suppressed) ==='
SELECT therapist, count(DISTINCT client) AS clients, count(*) AS sessions,
       CASE WHEN count(DISTINCT client) >= :min_n THEN round(avg(total(srs)), 2)::text ELSE 'suppressed' END AS mean_srs,
       CASE WHEN count(DISTINCT client) >= :min_n THEN round(avg(at_risk(srs)::int), 3)::text ELSE 'suppressed' END AS share_at_risk
FROM sessions JOIN clients USING (client)
GROUP BY therapist ORDER BY therapist;

CREATE TEMP TABLE trajectories AS
SELECT client, therapist, trajectory(session, srs) AS t
FROM sessions JOIN clients USING (client)
GROUP BY client, therapist;

\echo
\echo '=== Alliance status of every client (method stiles: a drop of 2 SD of the client''s own series) ==='
SELECT status(t) AS status, count(*) AS clients FROM trajectories GROUP BY 1 ORDER BY 2 DESC;

\echo
\echo '=== Who needs attention: an unrepaired or open rupture at the latest drop ==='
SELECT x.client, x.therapist, sessions(x.t) AS sessions, last_score(x.t) AS last_srs,
       r.at_session AS rupture_at, r.previous_score AS before, r.score AS at_rupture, r.drop, r.state
FROM trajectories x, LATERAL (SELECT * FROM ruptures(x.t) ORDER BY seq DESC LIMIT 1) r
WHERE status(x.t) = 'open_rupture'
ORDER BY r.state DESC, r.drop DESC, x.client
LIMIT 25;

\echo
\echo '=== Ruptures found (stiles) and what became of them ==='
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
