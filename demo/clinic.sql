-- A synthetic clinic with a fixed seed: therapists, clients, up to 20 sessions
-- each, SRS after every session, ORS before it, WAI-SR for the clients of the
-- long-term programme, and the PSQ rupture items.  Ruptures (a sharp SRS
-- drop) are built into about a third of the clients; two in three of them are
-- repaired within three sessions.  The long-term programme's therapists
-- rate the alliance too, on their own form (a custom instrument, as a
-- clinic's licensed therapist form would be): lower than their clients and
-- only moderately in step with them, as Tryon et al. (2007) found (d .63,
-- r .36), and they see only some of the ruptures.  Nothing here is real data.
\set ON_ERROR_STOP 1
SET search_path = public, alliance;
SELECT setseed(0.4242);

SELECT define_instrument(code => 'wsr_t', name => 'Therapist working alliance form (synthetic)', items => 12,
                         min => 1, max => 5, step => 1);

CREATE TABLE therapists (therapist text PRIMARY KEY, programme text);
INSERT INTO therapists
SELECT 'T' || lpad(i::text, 2, '0'), CASE WHEN i <= 4 THEN 'long-term' ELSE 'brief' END
FROM generate_series(1, 9) i;
-- one therapist with only three clients: below the reporting minimum
CREATE TABLE clients (client int PRIMARY KEY, therapist text REFERENCES therapists, n_sessions int,
                      base numeric, trend numeric, rupture_at int, repaired boolean, depth numeric,
                      t_level numeric, t_sees boolean);
INSERT INTO clients
SELECT c,
       CASE WHEN c <= 3 THEN 'T09' ELSE 'T0' || (1 + (c % 8)) END,
       6 + floor(random() * 15)::int,
       33 + random() * 6,                       -- alliance level (SRS total)
       random() * 0.25,                         -- slow improvement per session
       NULL, NULL, NULL, NULL, NULL
FROM generate_series(1, 320) c;
-- the therapist's view of each dyad (WAI items, 1-5): 0.4 of an item below
-- the client's, loosely tied to it (0.15 x the client's deviation plus
-- independent noise; with the course both share, r comes out near .36 across
-- dyads); a rupture is seen in its own rating by the therapist of two
-- clients in three
UPDATE clients SET t_level = 3.9 - 0.4 + 0.15 * (base - 36) * 0.25 + sqrt(1 - 0.15 ^ 2) * (random() - 0.5) * 1.6,
                   t_sees = random() < 0.66;
UPDATE clients SET rupture_at = 3 + floor(random() * (n_sessions - 3))::int,
                   repaired = random() < 0.66,
                   depth = 7 + random() * 6
WHERE random() < 0.35 AND n_sessions >= 6;

CREATE TABLE sessions (client int REFERENCES clients, session int, held_on date,
                       srs response(srs), ors response(ors), wai response(wai_sr), psq response(psq),
                       therapist_wai response(wsr_t),
                       PRIMARY KEY (client, session));

WITH s AS (
  SELECT c.*, k AS session,
         -- SRS total before noise: level + trend, a dip at the rupture, recovery after it if repaired
         c.base + c.trend * k
           - CASE WHEN c.rupture_at IS NULL OR k < c.rupture_at THEN 0
                  WHEN k = c.rupture_at THEN c.depth
                  WHEN c.repaired AND k >= c.rupture_at + 1 + (c.client % 2) THEN 0
                  ELSE c.depth * 0.8 END AS srs_level,
         CASE WHEN k = c.rupture_at THEN 1 ELSE 0 END AS rupture_now
  FROM clients c, generate_series(1, c.n_sessions) k
)
INSERT INTO sessions
SELECT client, session, date '2026-01-05' + 7 * (session - 1) + (client % 5),
       response('srs', ARRAY(SELECT least(10, greatest(0, round((srs_level / 4 + (random() - 0.5) * 0.8)::numeric, 1)))
                             FROM generate_series(1, 4))),
       -- ORS: the client's own outcome level (partly tied to the alliance), rising with the trend; item noise
       response('ors', ARRAY(SELECT least(10, greatest(0, round((4.6 + ((client * 7919) % 100) / 40.0 - 1.25
                                                               + (base - 36) * 0.3 + session * trend * 1.2
                                                               + (random() - 0.5) * 1.5)::numeric, 1)))
                             FROM generate_series(1, 4))),
       CASE WHEN therapist <= 'T04' THEN
         -- WAI-SR: items around the same alliance level as the SRS; 2% of answers missing
         response('wai_sr', ARRAY(SELECT CASE WHEN random() < 0.02 THEN NULL
                                              ELSE least(5, greatest(1, round(3.9 + (srs_level - 36) * 0.25 + (random() - 0.5) * 1.4)))::numeric END
                                  FROM generate_series(1, 12)))
       END,
       CASE WHEN rupture_now = 1 OR random() < 0.04 THEN
         response('psq', ARRAY[1, 2 + floor(random() * 4), CASE WHEN repaired THEN 4 + floor(random() * 2) ELSE 1 + floor(random() * 3) END]::numeric[])
       ELSE 'psq(0,null,null)'::response END,
       CASE WHEN therapist <= 'T04' AND random() < 0.95 THEN
         -- the therapist's form: the dyad's level, the client's course when the therapist sees it
         response('wsr_t', ARRAY(SELECT least(5, greatest(1, round(t_level + trend * session * 0.25
                                        + CASE WHEN t_sees THEN (srs_level - base - trend * session) * 0.25 ELSE 0 END
                                        + (random() - 0.5) * 1.4)))::numeric
                                 FROM generate_series(1, 12)))
       END
FROM s;
ANALYZE sessions;
