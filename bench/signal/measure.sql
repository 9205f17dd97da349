-- Rupture rules against the truth of generate.py: per instrument and rule, false alarms,
-- detection by planted size, and what became of the repairs.  Every rule is the extension's
-- own alliance.ruptures(); "published" rules use the norms a fresh install has, "clinic" rules
-- the norms alliance.calibrate() estimates from this clinic's own series (no truth used).
-- Run from the directory that holds generate.py's CSV files.
\set ON_ERROR_STOP 1
SET client_min_messages = error;

CREATE TABLE sig_params (instrument text PRIMARY KEY, sd_total numeric, alpha numeric, retest numeric,
                         reliability numeric, err_sd numeric, sem_alpha numeric);
CREATE TABLE sig_truth (instrument text, client int, grp text, n_sessions int, has_rupture boolean,
                        rupture_session int, size_err_sd numeric, shape text, repaired boolean,
                        repair_session int, PRIMARY KEY (instrument, client));
CREATE TABLE sig_session (instrument text, client int, session int, items numeric[], true_total numeric);
\copy sig_params FROM 'params.csv' CSV HEADER
\copy sig_truth FROM 'truth.csv' CSV HEADER
\copy sig_session FROM 'sessions.csv' CSV HEADER

-- The extension scores the item answers (range, step and ceiling as on real forms).
CREATE TABLE sig_resp AS
SELECT instrument, client, session, alliance.response(instrument, items) AS r FROM sig_session;
CREATE TABLE sig_traj AS
SELECT instrument, client, alliance.trajectory(session::bigint, r) AS t FROM sig_resp GROUP BY instrument, client;

-- The rules.  e = the generator's session-to-session error SD of a total (params.csv).  NULL
-- parameters are the extension's defaults (for level: the active norms, eps one error SD).
CREATE TABLE sig_rule (ord int, label text, method text, k numeric, reference_sd numeric, points numeric,
                       norms text, instrument text);
INSERT INTO sig_rule
SELECT x.*, p.instrument
FROM sig_params p,
LATERAL (VALUES
    (1, '0.1.0 default: stiles k 2, own SD',     'stiles', 2::numeric, NULL::numeric, NULL::numeric, 'published'),
    (2, 'strauss k 1, own SD',                   'strauss', 1, NULL, NULL, 'published'),
    (3, 'stiles k 3, max(own SD, e)',            'stiles', 3, p.err_sd, NULL, 'published'),
    (4, 'rci (instrument norms)',                'rci', NULL, NULL, NULL, 'published'),
    (5, 'drop >= 3 e',                           'drop', NULL, NULL, round(3 * p.err_sd, 2), 'published'),
    (6, 'level k 2.5',                           'level', 2.5, NULL, NULL, 'published'),
    (7, 'DEFAULT: level k 3 (published norms)',  NULL, NULL, NULL, NULL, 'published'),
    (8, 'level k 3.5',                           'level', 3.5, NULL, NULL, 'published'),
    (9, 'level k 2.5 (clinic norms)',            'level', 2.5, NULL, NULL, 'clinic'),
    (10, 'DEFAULT after calibrate (clinic norms)', NULL, NULL, NULL, NULL, 'clinic'),
    (11, 'level k 3.5 (clinic norms)',           'level', 3.5, NULL, NULL, 'clinic')
) x(ord, label, method, k, reference_sd, points, norms);

-- Per client and rule: how many ruptures, and the state of the first one reported at the planted
-- session or the next.  Published rules first; then calibrate, then the clinic rules.
CREATE TABLE sig_eval (instrument text, ord int, client int, n_rupt bigint, state_at text);
CREATE FUNCTION sig_run(which text) RETURNS void LANGUAGE sql AS $$
INSERT INTO sig_eval
SELECT r.instrument, r.ord, c.client, count(x.seq),
       (array_agg(x.state ORDER BY x.at_session)
          FILTER (WHERE x.at_session IN (c.rupture_session, c.rupture_session + 1)))[1]
FROM sig_truth c
JOIN sig_traj t USING (instrument, client)
JOIN sig_rule r USING (instrument)
LEFT JOIN LATERAL alliance.ruptures(t.t, r.method, k => r.k, reference_sd => r.reference_sd,
                                    points => r.points) x ON true
WHERE r.norms = which
GROUP BY r.instrument, r.ord, c.client
$$;
SELECT sig_run('published');
CREATE TABLE sig_calibration AS SELECT * FROM alliance.calibrate('sig_resp', 'client', 'session', 'r');
SELECT sig_run('clinic');

CREATE VIEW sig_result AS
SELECT v.instrument, v.ord, min(r.label) AS rule,
       round(100.0 * avg((v.n_rupt > 0)::int) FILTER (WHERE NOT c.has_rupture), 1) AS fa,
       round(100.0 * avg((v.n_rupt > 0)::int) FILTER (WHERE NOT c.has_rupture AND c.grp = 'stable'), 1) AS fa_stable,
       round(100.0 * avg((v.state_at IS NOT NULL)::int) FILTER (WHERE c.size_err_sd = 2)) AS f2,
       round(100.0 * avg((v.state_at IS NOT NULL)::int) FILTER (WHERE c.size_err_sd = 3)) AS f3,
       round(100.0 * avg((v.state_at IS NOT NULL)::int) FILTER (WHERE c.size_err_sd = 4)) AS f4,
       round(100.0 * avg((v.state_at IS NOT NULL)::int) FILTER (WHERE c.size_err_sd = 6)) AS f6,
       round(100.0 * avg((v.state_at IS NOT NULL)::int) FILTER (WHERE c.size_err_sd >= 4), 1) AS f_ge4,
       round(100.0 * avg((v.state_at = 'repaired')::int) FILTER (WHERE c.repaired AND v.state_at IS NOT NULL)) AS rep,
       round(100.0 * avg((v.state_at IN ('unrepaired', 'open'))::int)
             FILTER (WHERE NOT c.repaired AND v.state_at IS NOT NULL)) AS unrep
FROM sig_eval v JOIN sig_truth c USING (instrument, client) JOIN sig_rule r USING (instrument, ord)
GROUP BY v.instrument, v.ord;

\echo
\echo 'Clients: no planted rupture / planted, stable near-ceiling clients without a rupture'
\echo 'e: the generator''s error SD; published_e: the extension''s norms; clinic_e: what calibrate() estimated'
SELECT c.instrument, count(*) FILTER (WHERE NOT has_rupture) AS no_rupture, count(*) FILTER (WHERE has_rupture) AS planted,
       count(*) FILTER (WHERE NOT has_rupture AND grp = 'stable') AS stable_no_rupture,
       min(p.err_sd) AS e, min(k.published_error_sd) AS published_e, min(k.error_sd) AS clinic_e,
       min(k.retest_r) AS clinic_retest_r, min(k.alpha) AS clinic_alpha
FROM sig_truth c JOIN sig_params p USING (instrument) LEFT JOIN sig_calibration k ON k.instrument = c.instrument
GROUP BY c.instrument ORDER BY 1;

\echo 'fa: % of clients without a planted rupture that get any; fa_stable: the same among stable near-ceiling clients'
\echo 'f2..f6, f_ge4: % of planted ruptures of 2..6 e (and of >= 4 e) reported at the planted session or the next'
\echo 'rep: % of found repaired ruptures reported repaired; unrep: % of found unrepaired ones reported unrepaired or open'
\echo '(each rule with its own repair tolerance: one error SD for level, 0 for the others)'
SELECT instrument, rule, fa, fa_stable, f2, f3, f4, f6, f_ge4, rep, unrep
FROM sig_result ORDER BY instrument, ord;

\echo 'Detection by shape (% found, sizes >= 4 e)'
SELECT v.instrument, min(r.label) AS rule,
       round(100.0 * avg((v.state_at IS NOT NULL)::int) FILTER (WHERE c.shape = 'dip')) AS dip,
       round(100.0 * avg((v.state_at IS NOT NULL)::int) FILTER (WHERE c.shape = 'sustained')) AS sustained,
       round(100.0 * avg((v.state_at IS NOT NULL)::int) FILTER (WHERE c.shape = 'lasting')) AS lasting
FROM sig_eval v JOIN sig_truth c USING (instrument, client) JOIN sig_rule r USING (instrument, ord)
WHERE c.size_err_sd >= 4 AND r.ord IN (1, 7, 10)
GROUP BY v.instrument, v.ord ORDER BY v.instrument, v.ord;
