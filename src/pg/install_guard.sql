-- Refuse to install into a schema that another role could have prepared.
--
-- alliance.control names its schema.  CREATE EXTENSION creates it when it is
-- missing, but happily uses one that already exists, whoever owns it.  A role
-- with nothing but CREATE on the database could then make schema "alliance"
-- first and plant, say, alliance.total(text) in it: every later
-- alliance.total('srs(...)') would run that role's code with the caller's
-- rights, and the owner could DROP SCHEMA ... CASCADE the extension (and the
-- response columns of everybody's tables) at will.  So the schema must be
-- owned by the role that installs the extension (or by a superuser, who
-- cannot gain from it), must be empty, and must let nobody else create in it.
-- doc/security.md explains the rule and what to do when it fires.
--
-- Everything is schema-qualified: the script's search_path starts with the
-- very schema being checked.
DO $alliance_guard$
DECLARE
    target      pg_catalog.oid;
    target_name pg_catalog.text;
    owner_name  pg_catalog.text;
    installer   pg_catalog.text;
    planted     pg_catalog.int8;
    grantees    pg_catalog.text;
BEGIN
    SELECT n.oid, n.nspname, pg_catalog.pg_get_userbyid(n.nspowner),
           pg_catalog.pg_get_userbyid(e.extowner)
      INTO target, target_name, owner_name, installer
      FROM pg_catalog.pg_extension e
      JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) e.extnamespace
     WHERE e.extname OPERATOR(pg_catalog.=) 'alliance';

    IF owner_name OPERATOR(pg_catalog.<>) installer
       AND NOT (SELECT r.rolsuper FROM pg_catalog.pg_roles r
                 WHERE r.rolname OPERATOR(pg_catalog.=) owner_name) THEN
        RAISE EXCEPTION 'schema % is owned by role %, not by %, the role installing alliance',
                        pg_catalog.quote_ident(target_name), pg_catalog.quote_ident(owner_name),
                        pg_catalog.quote_ident(installer)
            USING ERRCODE = '42501',
                  DETAIL = 'The owner of the extension''s schema can put functions there that '
                           'run with the rights of whoever calls alliance''s functions.',
                  HINT = 'If that schema is not yours, ask an administrator to drop it. When restoring '
                         'a dump, restore as the schema''s owner (pg_restore --role) or with --no-owner. '
                         'See doc/security.md.';
    END IF;

    -- Every object in a schema depends on it; the extension itself is the
    -- only dependant an empty schema may have.
    SELECT pg_catalog.count(*) INTO planted
      FROM pg_catalog.pg_depend d
     WHERE d.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_namespace'::pg_catalog.regclass
       AND d.refobjid OPERATOR(pg_catalog.=) target
       AND d.classid OPERATOR(pg_catalog.<>) 'pg_catalog.pg_extension'::pg_catalog.regclass;
    IF planted OPERATOR(pg_catalog.>) 0 THEN
        RAISE EXCEPTION 'schema % already holds % object(s); alliance installs only into an empty schema',
                        pg_catalog.quote_ident(target_name), planted
            USING ERRCODE = '42P06',
                  DETAIL = 'Objects already in the extension''s schema could take the place of '
                           'alliance''s own functions and operators.',
                  HINT = 'Move or drop those objects, or drop the schema, then run CREATE EXTENSION again. '
                         'See doc/security.md.';
    END IF;

    SELECT pg_catalog.string_agg(CASE WHEN a.grantee OPERATOR(pg_catalog.=) 0 THEN 'PUBLIC'
                                      ELSE pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(a.grantee)) END,
                                 ', ')
      INTO grantees
      FROM pg_catalog.pg_namespace n,
           LATERAL pg_catalog.aclexplode(n.nspacl) a
     WHERE n.oid OPERATOR(pg_catalog.=) target
       AND a.privilege_type OPERATOR(pg_catalog.=) 'CREATE'
       AND a.grantee OPERATOR(pg_catalog.<>) n.nspowner;
    IF grantees IS NOT NULL THEN
        RAISE EXCEPTION 'other roles may create objects in schema %: %',
                        pg_catalog.quote_ident(target_name), grantees
            USING ERRCODE = '42501',
                  DETAIL = 'A role with CREATE on the extension''s schema can put functions there that '
                           'run with the rights of whoever calls alliance''s functions.',
                  HINT = pg_catalog.format('REVOKE CREATE ON SCHEMA %s FROM those roles first. See doc/security.md.',
                                           pg_catalog.quote_ident(target_name));
    END IF;
END
$alliance_guard$;
