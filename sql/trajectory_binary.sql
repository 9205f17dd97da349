-- Binary receive validates like text input: crafted COPY BINARY payloads.
SET search_path = public, alliance;
\set SHOW_CONTEXT never
CREATE TEMP TABLE recv_t (t trajectory);
-- write one binary COPY row holding payload, and read it back through trajectory_recv
CREATE FUNCTION pg_temp.recv(payload bytea) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    o oid;
    f text := '/tmp/alliance_traj_recv.copy';
BEGIN
    o := lo_from_bytea(0, '\x5047434f50590aff0d0a00'::bytea || '\x0000000000000000'::bytea
                          || '\x0001'::bytea || int4send(length(payload)) || payload || '\xffff'::bytea);
    PERFORM lo_export(o, f);
    PERFORM lo_unlink(o);
    TRUNCATE recv_t;
    EXECUTE format('COPY recv_t FROM %L WITH (FORMAT binary)', f);
    RETURN (SELECT t::text FROM recv_t);
END $$;
-- point = int8 key, float8 score
CREATE FUNCTION pg_temp.pt(k bigint, s float8) RETURNS bytea LANGUAGE sql AS $$ SELECT int8send(k) || float8send(s) $$;

-- what send produces, received back
SELECT pg_temp.recv(trajectory_send('int:srs{1=38.5,2=34}'));
SELECT pg_temp.recv(trajectory_send('timestamptz{2024-01-01T10:00:00.5Z=1}'));
SELECT pg_temp.recv(trajectory_send('int{}'));
-- hand-made: version 1, kind int, no code, 2 points
SELECT pg_temp.recv('\x010100'::bytea || int4send(2) || pg_temp.pt(1, 44) || pg_temp.pt(2, 45));
-- rejected: the checks of text input and of the layout
SELECT pg_temp.recv('\x020100'::bytea || int4send(1) || pg_temp.pt(1, 44));                           -- version
SELECT pg_temp.recv('\x010900'::bytea || int4send(1) || pg_temp.pt(1, 44));                           -- kind
SELECT pg_temp.recv('\x010103535253'::bytea || int4send(1) || pg_temp.pt(1, 44));                     -- code SRS not lower case
SELECT pg_temp.recv('\x010102733a'::bytea || int4send(1) || pg_temp.pt(1, 44));                       -- code s: invalid
SELECT pg_temp.recv('\x010100'::bytea || int4send(2) || pg_temp.pt(2, 44) || pg_temp.pt(1, 45));      -- unsorted
SELECT pg_temp.recv('\x010100'::bytea || int4send(2) || pg_temp.pt(1, 44) || pg_temp.pt(1, 45));      -- duplicate
SELECT pg_temp.recv('\x010100'::bytea || int4send(1) || pg_temp.pt(1, 'NaN'));                        -- NaN
SELECT pg_temp.recv('\x010100'::bytea || int4send(1) || pg_temp.pt(1, 'Infinity'));                   -- infinite
SELECT pg_temp.recv('\x010200'::bytea || int4send(1) || pg_temp.pt(2145031949, 1));                   -- date out of range
SELECT pg_temp.recv('\x010100'::bytea || int4send(2) || pg_temp.pt(1, 44));                           -- count too large
SELECT pg_temp.recv('\x010100'::bytea || int4send(1) || pg_temp.pt(1, 44) || '\x00'::bytea);          -- trailing byte
SELECT pg_temp.recv('\x010100'::bytea || int4send(-1));                                               -- negative count
