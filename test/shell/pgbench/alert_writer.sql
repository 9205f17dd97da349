-- a session for one of 30 clients, written as an EHR would: the next session
-- number of that client, mostly a steady score, sometimes a drop
\set c random(1, 30)
\set low random(1, 8)
INSERT INTO sessions (client, session, r)
SELECT :c, coalesce(max(session), 0) + 1,
       alliance.response('srs', CASE WHEN :low = 1 THEN ARRAY[6, 6, 6, 6.5] ELSE ARRAY[9, 9, 8.5, 9] END::numeric[])
FROM sessions WHERE client = :c
ON CONFLICT (client, session) DO NOTHING;
