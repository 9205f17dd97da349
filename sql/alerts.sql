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
SELECT watch('other', 'client', 'session', 'r', methods => ARRAY['sudden']);
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
