-- Alerts of a watched table (doc/alerts.md): watch(), the triggers, the
-- alerts table, acknowledge and resolve, and the rule that the alerts equal
-- what rupture_alert reports for the same series.
SET search_path = public, alliance;
SET client_min_messages = notice;
\set SHOW_CONTEXT never
CREATE TABLE visits (client int, session int, r alliance.response(srs));
-- no index on (client, session): refused, with the index to create
SELECT watch('visits', 'client', 'session', 'r');
CREATE INDEX ON visits (client, session);
SELECT watch('visits', 'client', 'session', 'r');
SELECT source, alerts, client_column, session_column, response_column, methods, watched_by = current_user AS by_me,
       watched_at BETWEEN now() - interval '1 minute' AND now() + interval '1 minute' AS just_now
FROM watched;
SELECT attname, format_type(atttypid, atttypmod) AS type, attnotnull AS not_null, pg_get_expr(d.adbin, d.adrelid) AS default
FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE a.attrelid = 'visits_alerts'::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum;
SELECT attidentity FROM pg_attribute WHERE attrelid = 'visits_alerts'::regclass AND attname = 'id';
SELECT contype, pg_get_constraintdef(oid) FROM pg_constraint
WHERE conrelid = 'visits_alerts'::regclass AND contype IN ('p', 'u', 'c') ORDER BY contype, conname;

-- client 1, one session per statement: 36, 36, 36, 36, then 27 (a drop of 9,
-- over the SRS threshold of 3 x 2.4 = 7.2, and below the cut-off 36), then 36
INSERT INTO visits VALUES (1, 1, 'srs(9,9,9,9)');
INSERT INTO visits VALUES (1, 2, 'srs(9,9,9,9)');
INSERT INTO visits VALUES (1, 3, 'srs(9,9,9,9)');
INSERT INTO visits VALUES (1, 4, 'srs(9,9,9,9)');
SELECT count(*) AS alerts_before_the_drop FROM visits_alerts;
INSERT INTO visits VALUES (1, 5, 'srs(7,7,7,6)');
SELECT id, client, session_key, kind, method, detail, status FROM visits_alerts ORDER BY id;
-- the next session is back at the level: the rupture alert is resolved by the repair
INSERT INTO visits VALUES (1, 6, 'srs(9,9,9,9)');
SELECT id, session_key, kind, status, resolved_by FROM visits_alerts ORDER BY id;

-- client 2: the same series in one statement (as a COPY would write it)
INSERT INTO visits VALUES (2, 1, 'srs(9,9,9,9)'), (2, 2, 'srs(9,9,9,9)'), (2, 3, 'srs(9,9,9,9)'),
                          (2, 4, 'srs(9,9,9,9)'), (2, 5, 'srs(7,7,7,6)'), (2, 6, 'srs(9,9,9,9)');
-- client 3 by COPY, with a lasting fall
COPY visits FROM STDIN;
3	1	srs(8,8,8,8)
3	2	srs(8.5,8,8,8)
3	3	srs(8,8,8,8.5)
3	4	srs(8,8,8,8)
3	5	srs(6,6,6,6)
3	6	srs(6,6,6,6.5)
\.
SELECT client, session_key, kind, method, status, resolved_by FROM visits_alerts ORDER BY client, session_key, kind;

-- the rule: the alerts equal what rupture_alert reports for the same series
SELECT count(*) AS disagreements FROM (
  (SELECT client, session, m FROM (
     SELECT client, session, m, rupture_alert(session, r, m) OVER (PARTITION BY client, m ORDER BY session) AS fired
     FROM visits, unnest(ARRAY['level', 'cutoff']) m) x WHERE fired
   EXCEPT SELECT client, session_key, method FROM visits_alerts)
  UNION ALL
  (SELECT client, session_key, method FROM visits_alerts
   EXCEPT SELECT client, session, m FROM (
     SELECT client, session, m, rupture_alert(session, r, m) OVER (PARTITION BY client, m ORDER BY session) AS fired
     FROM visits, unnest(ARRAY['level', 'cutoff']) m) x WHERE fired)) d;

-- writing a session again or changing nothing never doubles an alert
UPDATE visits SET r = r WHERE client = 1;
DELETE FROM visits WHERE client = 1 AND session = 6;
INSERT INTO visits VALUES (1, 6, 'srs(9,9,9,9)');
SELECT client, session_key, kind, count(*) FROM visits_alerts GROUP BY 1, 2, 3 HAVING count(*) > 1;

-- an UPDATE that removes client 2's drop resolves its alerts as 'data changed'; nothing is deleted
SELECT count(*) AS alerts_before FROM visits_alerts;
UPDATE visits SET r = 'srs(9,9,9,9)' WHERE client = 2 AND session = 5;
SELECT client, session_key, kind, status, resolved_by FROM visits_alerts WHERE client = 2 ORDER BY session_key, kind;
SELECT count(*) AS alerts_after FROM visits_alerts;
-- and the drop written back reopens them (the rupture as repaired at once:
-- session 6 is back at the level)
UPDATE visits SET r = 'srs(7,7,7,6)' WHERE client = 2 AND session = 5;
SELECT client, session_key, kind, status, resolved_by FROM visits_alerts WHERE client = 2 ORDER BY session_key, kind;
-- a session inserted late changes the decisions after it: an earlier session
-- of 28 makes session 5 no longer a drop from its level
INSERT INTO visits VALUES (4, 1, 'srs(9,9,9,9)'), (4, 2, 'srs(9,9,9,9)'), (4, 4, 'srs(9,9,9,9)'), (4, 5, 'srs(9,9,9,9)'),
                          (4, 6, 'srs(7,7,7,6)');
SELECT session_key, kind, status FROM visits_alerts WHERE client = 4 ORDER BY session_key, kind;
INSERT INTO visits VALUES (4, 3, 'srs(7,7,7,7)');
SELECT session_key, kind, status, resolved_by FROM visits_alerts WHERE client = 4 ORDER BY session_key, kind;

-- a rolled-back session raises nothing
BEGIN;
INSERT INTO visits VALUES (5, 1, 'srs(9,9,9,9)'), (5, 2, 'srs(9,9,9,9)'), (5, 3, 'srs(9,9,9,9)'), (5, 4, 'srs(9,9,9,9)'),
                          (5, 5, 'srs(5,5,5,5)');
SELECT count(*) AS inside FROM visits_alerts WHERE client = 5;
ROLLBACK;
SELECT count(*) AS after_rollback FROM visits_alerts WHERE client = 5;

-- acknowledge and resolve
SELECT acknowledge('visits_alerts', (SELECT id FROM visits_alerts WHERE client = 3 AND kind = 'rupture'), 'talked about it');
SELECT status, acknowledged_by = current_user AS by_me, acknowledged_at IS NOT NULL AS dated, note
FROM visits_alerts WHERE client = 3 AND kind = 'rupture';
SELECT resolve('visits_alerts', (SELECT id FROM visits_alerts WHERE client = 3 AND kind = 'rupture'));
SELECT status, resolved_by = current_user::text AS by_me, resolved_at IS NOT NULL AS dated, note
FROM visits_alerts WHERE client = 3 AND kind = 'rupture';
SELECT acknowledge('visits_alerts', (SELECT id FROM visits_alerts WHERE client = 3 AND kind = 'rupture'));
SELECT resolve('visits_alerts', (SELECT id FROM visits_alerts WHERE client = 3 AND kind = 'rupture'));
SELECT acknowledge('visits_alerts', 999999);

-- what watch refuses
SELECT watch('visits', 'client', 'session', 'r');
CREATE VIEW visits_view AS SELECT * FROM visits;
SELECT watch('visits_view', 'client', 'session', 'r');
CREATE TABLE other (client int, session int, r alliance.response, t text, score numeric);
CREATE INDEX ON other (client, session);
SELECT watch('other', 'client', 'session', 'nope');
SELECT watch('other', 'client', 'session', 'score');
SELECT watch('other', 'client', 't', 'r');
SELECT watch('other', 'client', 'session', 'r', methods => ARRAY['sudden_loss']);
SELECT watch('other', 'client', 'session', 'r', methods => ARRAY['drop']);
SELECT watch('other', 'client', 'session', 'r', methods => '{}');
SELECT watch(NULL, 'client', 'session', 'r');
CREATE TABLE bad_alerts (id bigint, client int);
SELECT watch('other', 'client', 'session', 'r', alerts => 'bad_alerts');
-- a date-keyed table with its own alerts table name and the stiles rule
CREATE TABLE dated (who text, seen date, r alliance.response(srs), PRIMARY KEY (who, seen));
SELECT watch('dated', 'who', 'seen', 'r', methods => ARRAY['stiles', 'level']);
INSERT INTO dated SELECT 'ann', date '2025-01-06' + 7 * i,
       (CASE WHEN i = 5 THEN 'srs(6,6,6,6)' ELSE 'srs(9,9,9,9)' END)::alliance.response
FROM generate_series(0, 7) i;
SELECT client, session_key, kind, method, status FROM dated_alerts ORDER BY session_key, method;

-- unwatch: the triggers go, the alerts stay
SELECT unwatch('visits');
SELECT count(*) AS watch_triggers FROM pg_trigger WHERE tgrelid = 'visits'::regclass AND tgname LIKE 'alliance_watch%';
SELECT count(*) AS alerts_kept FROM visits_alerts;
INSERT INTO visits VALUES (6, 1, 'srs(9,9,9,9)'), (6, 2, 'srs(9,9,9,9)'), (6, 3, 'srs(9,9,9,9)'), (6, 4, 'srs(9,9,9,9)'),
                          (6, 5, 'srs(5,5,5,5)');
SELECT count(*) AS alerts_for_an_unwatched_write FROM visits_alerts WHERE client = 6;
SELECT unwatch('visits');
SELECT source FROM watched ORDER BY 1;
-- a watched table's alerts table dropped: writes fail, saying what to do
DROP TABLE dated_alerts;
INSERT INTO dated VALUES ('bob', date '2025-01-06', 'srs(9,9,9,9)');
SELECT unwatch('dated');
INSERT INTO dated VALUES ('bob', date '2025-01-06', 'srs(9,9,9,9)');
-- what is watched lives in the table's triggers: a watched table dropped is
-- simply no longer listed
SELECT watch('other', 'client', 'session', 'r');
SELECT source FROM watched ORDER BY 1;
DROP TABLE other;
SELECT count(*) AS watched_now FROM watched;
DROP VIEW visits_view;
DROP TABLE visits, visits_alerts, bad_alerts, dated, other_alerts;
-- NULL arguments
SELECT acknowledge(NULL, 1);
SELECT resolve('pg_class', NULL);
SELECT unwatch(NULL) IS NULL AS nothing_to_unwatch;
-- a partitioned table of sessions is watched like a plain one; TRUNCATE judges
-- nothing and leaves the alerts
CREATE TABLE parted (client int, session int, r alliance.response(srs), PRIMARY KEY (client, session)) PARTITION BY HASH (client);
CREATE TABLE parted_0 PARTITION OF parted FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE parted_1 PARTITION OF parted FOR VALUES WITH (MODULUS 2, REMAINDER 1);
SET client_min_messages = warning;
SELECT watch('parted', 'client', 'session', 'r');
RESET client_min_messages;
INSERT INTO parted SELECT c, s, (CASE WHEN s = 5 THEN 'srs(5,5,5,5)' ELSE 'srs(9,9,9,9)' END)::alliance.response
FROM generate_series(1, 4) c, generate_series(1, 6) s;
SELECT client, session_key, kind, status, resolved_by FROM parted_alerts ORDER BY 1, 2, 3;
TRUNCATE parted;
SELECT count(*) AS alerts_after_truncate FROM parted_alerts;
DROP TABLE parted, parted_alerts;
-- a sudden loss and a reliable deterioration.  A sudden loss is raised when
-- the session after the drop, or the one after that, is written and the
-- series so far shows it (ruptures(..., 'sudden') of the sessions up to it),
-- with the session of the drop as its session; a reliable deterioration is
-- raised at the first session that is reliably below the client's first one
-- (reliable_change), and again only after the client was back.
CREATE TABLE courses (client int, session int, r alliance.response(srs), PRIMARY KEY (client, session));
CREATE TABLE courses_bulk (LIKE courses INCLUDING ALL);
SET client_min_messages = warning;
SELECT watch('courses', 'client', 'session', 'r', methods => ARRAY['sudden', 'reliable_change']);
SELECT watch('courses_bulk', 'client', 'session', 'r', methods => ARRAY['sudden', 'reliable_change']);
RESET client_min_messages;
-- 30 clients of 12 sessions: every third client falls by 3 points an item
-- from session 6 on, every fifth dips at session 6 only, every seventh
-- falls at session 9 and comes back at 11
CREATE TEMP TABLE course_data AS
SELECT c AS client, s AS session, format('srs(%s)', (SELECT string_agg(round(least(10, greatest(0,
           8 + ((c * 37 + s * 11 + i * 5) % 5) * 0.3
             - CASE WHEN c % 3 = 0 AND s >= 6 THEN 3 ELSE 0 END
             - CASE WHEN c % 5 = 0 AND s = 6 THEN 3 ELSE 0 END
             - CASE WHEN c % 7 = 0 AND s IN (9, 10) THEN 4 ELSE 0 END)), 1)::text, ',')
         FROM generate_series(1, 4) i))::alliance.response AS r
FROM generate_series(1, 30) c, generate_series(1, 12) s;
-- one session per statement, in session order
DO $$
DECLARE x record;
BEGIN
    FOR x IN SELECT * FROM course_data ORDER BY session, client LOOP
        INSERT INTO courses VALUES (x.client, x.session, x.r);
    END LOOP;
END
$$;
-- the same data in one statement
INSERT INTO courses_bulk SELECT * FROM course_data;
SELECT kind, count(*) AS alerts, count(*) FILTER (WHERE status = 'resolved') AS resolved_by_repair
FROM courses_alerts GROUP BY kind ORDER BY kind;
SELECT client, session_key, kind, detail, status, resolved_by FROM courses_alerts WHERE client IN (3, 5, 7) ORDER BY 1, 2, 3;
-- what the rules say: a sudden loss where ruptures() of some series so far
-- reports one; a reliable deterioration where one begins
CREATE TEMP VIEW course_truth AS
SELECT DISTINCT d.client, r.at_session AS session, 'sudden_loss' AS kind
FROM course_data d
CROSS JOIN LATERAL (SELECT trajectory(e.session, e.r) AS t FROM course_data e
                    WHERE e.client = d.client AND e.session <= d.session) x
CROSS JOIN LATERAL ruptures(x.t, 'sudden') r
UNION ALL
SELECT client, session, 'reliable_deterioration' FROM (
    SELECT client, session, worse, lag(worse, 1, false) OVER (PARTITION BY client ORDER BY session) AS worse_before
    FROM (SELECT d.client, d.session, coalesce(rc.reliable AND rc.direction = 'deteriorated', false) AS worse
          FROM (SELECT client, session, r, first_value(r) OVER (PARTITION BY client ORDER BY session) AS first FROM course_data) d
          CROSS JOIN LATERAL reliable_change(d.first, d.r) rc) y) z
WHERE worse AND NOT worse_before;
SELECT count(*) AS truth, count(*) FILTER (WHERE kind = 'sudden_loss') AS sudden FROM course_truth;
SELECT count(*) AS disagreements_one_by_one FROM (
    (SELECT client, session, kind FROM course_truth EXCEPT SELECT client, session_key, kind FROM courses_alerts)
    UNION ALL
    (SELECT client, session_key, kind FROM courses_alerts EXCEPT SELECT client, session, kind FROM course_truth)) d;
SELECT count(*) AS disagreements_bulk FROM (
    (SELECT client, session_key, kind, status, resolved_by FROM courses_alerts
     EXCEPT SELECT client, session_key, kind, status, resolved_by FROM courses_bulk_alerts)
    UNION ALL
    (SELECT client, session_key, kind, status, resolved_by FROM courses_bulk_alerts
     EXCEPT SELECT client, session_key, kind, status, resolved_by FROM courses_alerts)) d;
-- a corrected score that removes client 3's fall resolves its alerts as 'data changed'
UPDATE courses SET r = (SELECT r FROM course_data WHERE client = 1 AND session = courses.session) WHERE client = 3;
SELECT session_key, kind, status, resolved_by FROM courses_alerts WHERE client = 3 ORDER BY 1, 2;
DROP TABLE courses, courses_alerts, courses_bulk, courses_bulk_alerts;
-- one instrument per client: a client whose sessions mix two is refused, naming both
CREATE TABLE mixed (client int, session int, r alliance.response, PRIMARY KEY (client, session));
SET client_min_messages = warning;
SELECT watch('mixed', 'client', 'session', 'r');
RESET client_min_messages;
INSERT INTO mixed VALUES (1, 1, 'srs(9,9,9,9)'), (1, 2, 'srs(9,9,9,9)');
INSERT INTO mixed VALUES (1, 3, 'ors(9,9,9,9)');
SELECT count(*) AS sessions_kept FROM mixed;
DROP TABLE mixed, mixed_alerts;
-- an unseen rupture: the client's form and the therapist's in one row per
-- session; with the therapist's column named, the defaults add 'unseen'
CREATE TABLE paired (client int, session int, by_client alliance.response(wai_sr), by_therapist alliance.response,
                     PRIMARY KEY (client, session));
SELECT watch('paired', 'client', 'session', 'by_client', methods => ARRAY['unseen']);
SELECT watch('paired', 'client', 'session', 'by_client', therapist => 'nope');
SELECT watch('paired', 'client', 'session', 'by_client', therapist => 'session');
SET client_min_messages = warning;
SELECT watch('paired', 'client', 'session', 'by_client', therapist => 'by_therapist');
RESET client_min_messages;
SELECT methods, therapist_column FROM watched WHERE source = 'paired'::regclass;
-- client 1: the client's rating falls at session 5, the therapist's does not
-- (one session per statement); client 2: the same, the therapist's rating of
-- session 5 written later; client 3: the therapist's rating falls too
INSERT INTO paired VALUES (1, 1, 'wai_sr(4,4,4,4,4,4,4,4,4,4,4,4)', 'wai_sr(3,3,3,3,3,3,3,3,3,3,3,3)');
INSERT INTO paired VALUES (1, 2, 'wai_sr(4,4,4,4,4,4,4,4,4,4,4,4)', 'wai_sr(3,3,3,3,3,3,3,3,3,3,3,3)');
INSERT INTO paired VALUES (1, 3, 'wai_sr(4,4,4,4,4,4,4,5,4,4,4,4)', 'wai_sr(3,3,3,3,3,3,3,3,3,3,3,4)');
INSERT INTO paired VALUES (1, 4, 'wai_sr(4,4,4,4,4,4,4,4,4,4,4,4)', 'wai_sr(3,3,3,3,3,3,3,3,3,3,3,3)');
INSERT INTO paired VALUES (1, 5, 'wai_sr(2,2,2,2,2,2,2,2,2,2,2,2)', 'wai_sr(3,3,3,3,3,3,3,3,3,3,3,3)');
SELECT client, session_key, kind, method, detail, status FROM paired_alerts ORDER BY client, session_key, kind;
INSERT INTO paired SELECT 2, session, by_client, CASE WHEN session < 5 THEN by_therapist END FROM paired WHERE client = 1;
SELECT count(*) AS unseen_before_the_therapists_rating FROM paired_alerts WHERE client = 2 AND kind = 'unseen_rupture';
UPDATE paired SET by_therapist = 'wai_sr(3,3,3,3,3,3,3,3,3,3,3,3)' WHERE client = 2 AND session = 5;
SELECT client, session_key, kind, status FROM paired_alerts WHERE client = 2 AND kind = 'unseen_rupture';
INSERT INTO paired SELECT 3, session, by_client, CASE WHEN session < 5 THEN by_therapist ELSE 'wai_sr(1,1,1,1,1,1,1,1,1,1,1,1)' END
FROM paired WHERE client = 1;
SELECT count(*) AS unseen_for_client_3 FROM paired_alerts WHERE client = 3 AND kind = 'unseen_rupture';
-- the rule: the alerts equal unseen() of every series so far
SELECT count(*) AS disagreements FROM (
    (SELECT DISTINCT p.client, u.at_session AS session
     FROM paired p
     CROSS JOIN LATERAL (SELECT dyad(q.session, q.by_client, q.by_therapist) AS d FROM paired q
                         WHERE q.client = p.client AND q.session <= p.session) x
     CROSS JOIN LATERAL unseen(x.d) u
     EXCEPT SELECT client, session_key FROM paired_alerts WHERE kind = 'unseen_rupture')
    UNION ALL
    (SELECT client, session_key FROM paired_alerts WHERE kind = 'unseen_rupture'
     EXCEPT
     SELECT DISTINCT p.client, u.at_session
     FROM paired p
     CROSS JOIN LATERAL (SELECT dyad(q.session, q.by_client, q.by_therapist) AS d FROM paired q
                         WHERE q.client = p.client AND q.session <= p.session) x
     CROSS JOIN LATERAL unseen(x.d) u)) d;
-- the therapist's rating corrected to show the drop: the alert no longer holds
UPDATE paired SET by_therapist = 'wai_sr(1,1,1,1,1,1,1,1,1,1,1,1)' WHERE client = 1 AND session = 5;
SELECT client, session_key, kind, status, resolved_by FROM paired_alerts WHERE client = 1 AND kind = 'unseen_rupture';
DROP TABLE paired, paired_alerts;
-- the cut-off rule judges forms that have a cut-off: in an open column a
-- WAI-SR client (no cut-off) gets rupture alerts only, an SRS client both;
-- a WAI-SR column drops the rule from the defaults and refuses it by name
CREATE TABLE open_forms (client int, session int, r alliance.response, PRIMARY KEY (client, session));
SET client_min_messages = warning;
SELECT watch('open_forms', 'client', 'session', 'r');
RESET client_min_messages;
INSERT INTO open_forms SELECT 1, s, (CASE WHEN s = 5 THEN 'wai_sr(2,2,2,2,2,2,2,2,2,2,2,2)' ELSE 'wai_sr(4,4,4,4,4,4,4,4,4,4,4,4)' END)::alliance.response
FROM generate_series(1, 6) s;
INSERT INTO open_forms SELECT 2, s, (CASE WHEN s = 5 THEN 'srs(6,6,6,6)' ELSE 'srs(9,9,9,9)' END)::alliance.response
FROM generate_series(1, 6) s;
SELECT client, session_key, kind, method, detail FROM open_forms_alerts ORDER BY 1, 2, 3;
CREATE TABLE wai_only (client int, session int, r alliance.response(wai_sr), PRIMARY KEY (client, session));
SELECT watch('wai_only', 'client', 'session', 'r', methods => ARRAY['level', 'cutoff']);
SET client_min_messages = warning;
SELECT watch('wai_only', 'client', 'session', 'r');
RESET client_min_messages;
SELECT methods FROM watched WHERE source = 'wai_only'::regclass;
DROP TABLE open_forms, open_forms_alerts, wai_only, wai_only_alerts;
