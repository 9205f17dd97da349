-- Every member object of the extension with the properties an upgrade must
-- reproduce, one line each, sorted: run on an upgraded and on a fresh install,
-- the outputs must be identical (test/shell/upgrade.sh).  Names, not OIDs:
-- the two databases number their objects differently.
\pset tuples_only on
\pset format unaligned
WITH ext AS (SELECT oid, extconfig FROM pg_catalog.pg_extension WHERE extname = 'alliance'),
members AS (
    SELECT d.classid, d.objid, pg_catalog.pg_describe_object(d.classid, d.objid, 0) AS obj
    FROM pg_catalog.pg_depend d, ext
    WHERE d.refclassid = 'pg_catalog.pg_extension'::regclass AND d.refobjid = ext.oid AND d.deptype = 'e'),
props AS (
    SELECT m.obj, m.classid::regclass::text AS catalog,
           pg_catalog.obj_description(m.objid, m.classid::regclass::text) AS comment,
           CASE m.classid
           WHEN 'pg_catalog.pg_proc'::regclass THEN (
               SELECT CASE WHEN p.prokind = 'a' THEN
                          (SELECT pg_catalog.concat_ws(' ', 'agg', a.aggkind, a.aggnumdirectargs, a.aggtransfn::regprocedure,
                                  a.aggfinalfn::regprocedure, a.aggcombinefn::regprocedure, a.aggserialfn::regprocedure,
                                  a.aggdeserialfn::regprocedure, a.aggmtransfn::regprocedure, a.aggminvtransfn::regprocedure,
                                  a.aggmfinalfn::regprocedure, a.aggfinalextra, a.aggmfinalextra, a.aggfinalmodify,
                                  a.aggmfinalmodify, a.aggsortop::regoperator, a.aggtranstype::regtype, a.aggtransspace,
                                  a.aggmtranstype::regtype, a.aggmtransspace, a.agginitval, a.aggminitval)
                           FROM pg_catalog.pg_aggregate a WHERE a.aggfnoid = p.oid)
                          || ' ' || pg_catalog.concat_ws(' ', p.provolatile, p.proparallel, p.proisstrict, p.procost,
                                                         pg_catalog.pg_get_function_arguments(p.oid),
                                                         pg_catalog.pg_get_function_result(p.oid))
                      ELSE pg_catalog.pg_get_functiondef(p.oid) END
                      || ' acl=' || coalesce(p.proacl::text, 'default') || ' owner=' || (p.proowner = (SELECT nspowner FROM pg_catalog.pg_namespace WHERE nspname = 'pg_catalog'))::text
               FROM pg_catalog.pg_proc p WHERE p.oid = m.objid)
           WHEN 'pg_catalog.pg_type'::regclass THEN (
               SELECT pg_catalog.concat_ws(' ', t.typtype, t.typlen, t.typbyval, t.typalign, t.typstorage, t.typcategory,
                      t.typispreferred, t.typinput::regprocedure, t.typoutput::regprocedure, t.typreceive::regprocedure,
                      t.typsend::regprocedure, t.typmodin::regprocedure, t.typmodout::regprocedure,
                      t.typanalyze::regprocedure, t.typelem::regtype, t.typarray::regtype, t.typbasetype::regtype,
                      t.typtypmod, t.typnotnull, t.typdefault, t.typacl,
                      (SELECT pg_catalog.string_agg(a.attname || ' ' || pg_catalog.format_type(a.atttypid, a.atttypmod), ', ' ORDER BY a.attnum)
                       FROM pg_catalog.pg_attribute a WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped),
                      (SELECT pg_catalog.string_agg(e.enumlabel, ', ' ORDER BY e.enumsortorder)
                       FROM pg_catalog.pg_enum e WHERE e.enumtypid = t.oid))
               FROM pg_catalog.pg_type t WHERE t.oid = m.objid)
           WHEN 'pg_catalog.pg_operator'::regclass THEN (
               SELECT pg_catalog.concat_ws(' ', o.oprkind, o.oprcanmerge, o.oprcanhash, o.oprresult::regtype,
                      o.oprcom::regoperator, o.oprnegate::regoperator, o.oprcode::regprocedure, o.oprrest::regprocedure,
                      o.oprjoin::regprocedure)
               FROM pg_catalog.pg_operator o WHERE o.oid = m.objid)
           WHEN 'pg_catalog.pg_opclass'::regclass THEN (
               SELECT pg_catalog.concat_ws(' ', am.amname, c.opcdefault, c.opcintype::regtype, f.opfname,
                      (SELECT pg_catalog.string_agg(ao.amopstrategy || ':' || ao.amopopr::regoperator, ', ' ORDER BY ao.amopstrategy)
                       FROM pg_catalog.pg_amop ao WHERE ao.amopfamily = c.opcfamily),
                      (SELECT pg_catalog.string_agg(ap.amprocnum || ':' || ap.amproc::regprocedure, ', ' ORDER BY ap.amprocnum)
                       FROM pg_catalog.pg_amproc ap WHERE ap.amprocfamily = c.opcfamily))
               FROM pg_catalog.pg_opclass c JOIN pg_catalog.pg_am am ON am.oid = c.opcmethod
                    JOIN pg_catalog.pg_opfamily f ON f.oid = c.opcfamily WHERE c.oid = m.objid)
           WHEN 'pg_catalog.pg_cast'::regclass THEN (
               SELECT pg_catalog.concat_ws(' ', c.castfunc::regprocedure, c.castcontext, c.castmethod)
               FROM pg_catalog.pg_cast c WHERE c.oid = m.objid)
           WHEN 'pg_catalog.pg_class'::regclass THEN (
               SELECT pg_catalog.concat_ws(' ', r.relkind, r.relacl::text, r.relrowsecurity,
                      CASE WHEN r.relkind = 'v' THEN pg_catalog.pg_get_viewdef(r.oid) END,
                      (SELECT pg_catalog.string_agg(a.attname || ' ' || pg_catalog.format_type(a.atttypid, a.atttypmod)
                              || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
                              || coalesce(' default ' || pg_catalog.pg_get_expr(ad.adbin, ad.adrelid), '')
                              || coalesce(' comment ' || pg_catalog.col_description(r.oid, a.attnum), ''), ', ' ORDER BY a.attnum)
                       FROM pg_catalog.pg_attribute a LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
                       WHERE a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped),
                      (SELECT pg_catalog.string_agg(pg_catalog.pg_get_constraintdef(k.oid), ', ' ORDER BY k.conname)
                       FROM pg_catalog.pg_constraint k WHERE k.conrelid = r.oid),
                      (SELECT pg_catalog.string_agg(pg_catalog.pg_get_indexdef(i.indexrelid), ', ' ORDER BY 1)
                       FROM pg_catalog.pg_index i WHERE i.indrelid = r.oid),
                      (SELECT pg_catalog.string_agg(pg_catalog.pg_get_triggerdef(g.oid), ', ' ORDER BY g.tgname)
                       FROM pg_catalog.pg_trigger g WHERE g.tgrelid = r.oid AND NOT g.tgisinternal),
                      (SELECT pg_catalog.string_agg(pg_catalog.pg_get_ruledef(u.oid), ', ' ORDER BY u.rulename)
                       FROM pg_catalog.pg_rewrite u WHERE u.ev_class = r.oid AND u.rulename <> '_RETURN'),
                      (SELECT r.oid = ANY (ext.extconfig) FROM ext))
               FROM pg_catalog.pg_class r WHERE r.oid = m.objid)
           END AS detail
    FROM members m)
SELECT obj || E'\n    catalog ' || catalog || E'\n    comment ' || coalesce(comment, '(none)') || E'\n    ' || coalesce(detail, '')
FROM props ORDER BY obj;
-- the schema's own privileges (the schema is not a member, but the install sets them)
SELECT 'schema alliance acl ' || coalesce(nspacl::text, 'default') FROM pg_catalog.pg_namespace WHERE nspname = 'alliance';
