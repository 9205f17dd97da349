-- Rupture rules against the truth of generate.sql: per instrument and rule,
-- false alarms, detection by planted size, and what became of the repairs.
CREATE TABLE sig_traj AS
SELECT code, client, alliance.trajectory(session, r) AS t FROM sig_session GROUP BY code, client;

-- The rules: label, method and parameters (NULL: the method's default).
CREATE TABLE sig_rule AS
SELECT i.code, x.* FROM sig_instrument i JOIN sig_error e USING (code),
LATERAL (VALUES
    ('stiles, k 2, own SD (0.1.0 default)', 'stiles', NULL::numeric, NULL::numeric, NULL::numeric, NULL::numeric, NULL::numeric, 0::numeric),
    ('stiles, k 2, max(own SD, between SD)', 'stiles', NULL, i.sd, NULL, NULL, NULL, 0),
    ('strauss, k 1, own SD', 'strauss', NULL, NULL, NULL, NULL, NULL, 0),
    ('rci, between SD and reliability', 'rci', NULL, NULL, i.sd, i.reliability, NULL, 0),
    ('drop >= 2.5 SEM', 'drop', NULL, NULL, NULL, NULL, round(2.5 * e.sem, 2), 0),
    ('drop >= 3 SEM', 'drop', NULL, NULL, NULL, NULL, round(3 * e.sem, 2), 0),
    ('drop >= 3.5 SEM', 'drop', NULL, NULL, NULL, NULL, round(3.5 * e.sem, 2), 0),
    ('drop >= 4 SEM', 'drop', NULL, NULL, NULL, NULL, round(4 * e.sem, 2), 0),
    ('drop >= 4 SEM, repair within 1 SEM', 'drop', NULL, NULL, NULL, NULL, round(4 * e.sem, 2), round(e.sem, 2))
) x(label, method, k, reference_sd, sd, reliability, points, eps);

CREATE TABLE sig_found AS
SELECT c.code, c.client, c.has_rupture, c.size_sem, c.repaired, c.at, c.length, c.level, r.label,
       (SELECT count(*) FROM alliance.ruptures(t.t, r.method, k => r.k, reference_sd => r.reference_sd, sd => r.sd,
                                               reliability => r.reliability, points => r.points, eps => r.eps)) AS n_found,
       (SELECT x.state FROM alliance.ruptures(t.t, r.method, k => r.k, reference_sd => r.reference_sd, sd => r.sd,
                                              reliability => r.reliability, points => r.points, eps => r.eps) x
        WHERE x.at_session IN (c.at, c.at + 1) ORDER BY x.at_session LIMIT 1) AS state_at_planted
FROM sig_client c JOIN sig_traj t USING (code, client) JOIN sig_rule r USING (code);

\echo
\echo 'False alarms: share of clients without a planted rupture that get any; stable: those whose level is within 2 SEM of the ceiling'
\echo 'Found: share of planted ruptures reported at their session or the next, by size in SEM'
\echo 'Repaired: share of found repaired ruptures reported repaired; kept open: share of found unrepaired ones reported unrepaired or open'
SELECT f.code AS instrument, f.label AS rule,
       round(100.0 * avg((f.n_found > 0)::int) FILTER (WHERE NOT f.has_rupture), 1) AS false_alarm_pct,
       round(100.0 * avg((f.n_found > 0)::int) FILTER (WHERE NOT f.has_rupture AND f.level > i.hi * i.k - 2 * e.sem), 1) AS near_ceiling_fa_pct,
       round(100.0 * avg((f.state_at_planted IS NOT NULL)::int) FILTER (WHERE f.has_rupture AND f.size_sem = 2), 0) AS found_2,
       round(100.0 * avg((f.state_at_planted IS NOT NULL)::int) FILTER (WHERE f.has_rupture AND f.size_sem = 3), 0) AS found_3,
       round(100.0 * avg((f.state_at_planted IS NOT NULL)::int) FILTER (WHERE f.has_rupture AND f.size_sem = 4), 0) AS found_4,
       round(100.0 * avg((f.state_at_planted IS NOT NULL)::int) FILTER (WHERE f.has_rupture AND f.size_sem = 6), 0) AS found_6,
       round(100.0 * avg((f.state_at_planted = 'repaired')::int) FILTER (WHERE f.has_rupture AND f.repaired AND f.state_at_planted IS NOT NULL), 0) AS repaired_pct,
       round(100.0 * avg((f.state_at_planted IN ('unrepaired', 'open'))::int) FILTER (WHERE f.has_rupture AND NOT f.repaired AND f.state_at_planted IS NOT NULL), 0) AS kept_open_pct
FROM sig_found f JOIN sig_instrument i USING (code) JOIN sig_error e USING (code)
GROUP BY f.code, f.label ORDER BY f.code, min(f.label);
