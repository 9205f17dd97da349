-- The catalogue of instruments.

CREATE FUNCTION @extschema@.builtin_instruments(
    OUT code text, OUT name text, OUT items integer, OUT min numeric, OUT max numeric,
    OUT step numeric, OUT reversed integer[], OUT scales jsonb, OUT bordin jsonb,
    OUT cutoff numeric, OUT min_answered numeric, OUT score text, OUT norms jsonb,
    OUT item_labels text[], OUT link_ids text[], OUT fhir_url text, OUT citation text,
    OUT builtin boolean, OUT evidence text, OUT fingerprint text, OUT item_ranges jsonb)
    RETURNS SETOF record
    AS 'MODULE_PATHNAME', 'builtin_instruments' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 9;
COMMENT ON FUNCTION @extschema@.builtin_instruments() IS
    'The nine built-in instruments, one row each (see the alliance.instruments view)';

-- Custom instruments: one configuration table, dumped by pg_dump
-- (pg_extension_config_dump), guarded by triggers so that a definition that
-- values use never changes or disappears, whatever route the change takes.

CREATE TABLE @extschema@.custom_instruments (
    code text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]{0,30}$'),
    name text NOT NULL,
    items integer NOT NULL,
    min numeric NOT NULL,
    max numeric NOT NULL,
    step numeric NOT NULL DEFAULT 1,
    reversed integer[] NOT NULL DEFAULT '{}',
    scales jsonb NOT NULL DEFAULT '{}',
    bordin jsonb,
    cutoff numeric,
    min_answered numeric NOT NULL DEFAULT 0.75,
    score text NOT NULL DEFAULT 'total',
    norms jsonb,
    item_labels text[],
    link_ids text[],
    fhir_url text,
    citation text,
    fingerprint text NOT NULL DEFAULT ''
);
COMMENT ON TABLE @extschema@.custom_instruments IS
    'Custom instrument definitions (alliance.define_instrument); dumped by pg_dump; immutable once values use them';
SELECT pg_catalog.pg_extension_config_dump('@extschema@.custom_instruments', '');

CREATE FUNCTION @extschema@.instrument_fingerprint(code text, name text, items integer, min numeric,
    max numeric, step numeric, reversed integer[], scales jsonb, bordin jsonb, cutoff numeric,
    min_answered numeric, score text, norms jsonb, item_labels text[], link_ids text[],
    fhir_url text, citation text) RETURNS text
    AS 'MODULE_PATHNAME', 'instrument_fingerprint' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.instrument_fingerprint(text, text, integer, numeric, numeric, numeric, integer[], jsonb, jsonb, numeric, numeric, text, jsonb, text[], text[], text, text) IS
    'Validates an instrument definition and returns its fingerprint (16 hex digits): equal on every server exactly when the definitions score alike';

CREATE FUNCTION @extschema@.code_typmod(code text) RETURNS integer
    AS 'MODULE_PATHNAME', 'code_typmod' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.code_typmod(text) IS
    'The type modifier of alliance.response(code), computed from the code alone';

-- Where is a code used?  The columns that can hold responses: typed
-- alliance.response, a domain over it (at any depth), or an array of either,
-- in this database's tables and materialized views (not foreign tables, whose
-- rows live on servers with their own definitions; not other sessions'
-- temporary tables, which cannot be read).
CREATE FUNCTION @extschema@.response_columns(OUT nspname name, OUT relname name, OUT attname name,
    OUT relkind "char", OUT atttypmod integer, OUT is_array boolean)
    RETURNS SETOF record
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    WITH RECURSIVE types(oid, is_array) AS (
        SELECT '@extschema@.response'::regtype::oid, false
        UNION
        SELECT t.oid, (types.is_array OR t.typtype OPERATOR(pg_catalog.<>) 'd')
        FROM pg_type t JOIN types
          ON (t.typtype OPERATOR(pg_catalog.=) 'd' AND t.typbasetype OPERATOR(pg_catalog.=) types.oid)
          OR (NOT types.is_array AND t.typelem OPERATOR(pg_catalog.=) types.oid
              AND t.typsubscript OPERATOR(pg_catalog.=) 'pg_catalog.array_subscript_handler'::regproc))
    SELECT n.nspname, c.relname, a.attname, c.relkind, a.atttypmod, types.is_array
    FROM pg_attribute a
    JOIN types ON types.oid OPERATOR(pg_catalog.=) a.atttypid
    JOIN pg_class c ON c.oid OPERATOR(pg_catalog.=) a.attrelid
    JOIN pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace
    WHERE a.attnum OPERATOR(pg_catalog.>) 0 AND NOT a.attisdropped
      AND c.relkind IN ('r', 'p', 'm') AND NOT c.relispartition
      AND NOT pg_catalog.pg_is_other_temp_schema(n.oid)
    ORDER BY 1, 2, 3;
END;
COMMENT ON FUNCTION @extschema@.response_columns() IS
    'Every column that can hold alliance.response values (directly, through domains or in arrays), in tables and materialized views';

-- Returns 'schema.table.column' (or 'domain name') of the first use found, or
-- NULL.  Row-level security is switched off so that rows hidden from the
-- caller cannot make a used code look unused: a caller subject to a policy
-- gets an error instead (fails closed).
CREATE FUNCTION @extschema@.instrument_use(code text) RETURNS text
    LANGUAGE plpgsql STABLE PARALLEL SAFE STRICT
    SET search_path = pg_catalog, pg_temp
    SET row_security = off
AS $$
DECLARE
    col record;
    found boolean;
    typmod integer := @extschema@.code_typmod(code);
    dom text;
BEGIN
    WITH RECURSIVE types(oid) AS (
        SELECT '@extschema@.response'::regtype::oid
        UNION
        SELECT t.oid FROM pg_type t JOIN types
          ON (t.typtype = 'd' AND t.typbasetype = types.oid)
          OR (t.typelem = types.oid AND t.typsubscript = 'pg_catalog.array_subscript_handler'::regproc))
    SELECT format('domain %s', t.oid::regtype) INTO dom
    FROM pg_type t JOIN types USING (oid)
    WHERE t.typtype = 'd' AND t.typtypmod = typmod
    ORDER BY 1 LIMIT 1;
    IF dom IS NOT NULL THEN
        RETURN dom;
    END IF;
    FOR col IN SELECT * FROM @extschema@.response_columns() LOOP
        IF col.atttypmod = typmod THEN
            RETURN format('%I.%I.%I', col.nspname, col.relname, col.attname);
        END IF;
        IF NOT col.is_array THEN
            EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I.%I WHERE @extschema@.instrument(%I::@extschema@.response) OPERATOR(pg_catalog.=) $1)',
                           col.nspname, col.relname, col.attname) INTO found USING code;
        ELSE
            EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I.%I, LATERAL pg_catalog.unnest(%I::@extschema@.response[]) v WHERE @extschema@.instrument(v) OPERATOR(pg_catalog.=) $1)',
                           col.nspname, col.relname, col.attname) INTO found USING code;
        END IF;
        IF found THEN
            RETURN format('%I.%I.%I', col.nspname, col.relname, col.attname);
        END IF;
    END LOOP;
    RETURN NULL;
END $$;
COMMENT ON FUNCTION @extschema@.instrument_use(text) IS
    'The first column (schema.table.column) that stores a value of this instrument or is typed response(code), or a domain typed response(code); NULL when unused';

-- For the guards: lock every table that can hold responses in SHARE mode
-- (until the end of the transaction) before looking, so that no session can
-- store a value of a code while its definition is being dropped or changed.
CREATE FUNCTION @extschema@.instrument_use_locked(code text) RETURNS text
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE STRICT
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    rel record;
BEGIN
    FOR rel IN SELECT DISTINCT nspname, relname FROM @extschema@.response_columns()
               WHERE relkind IN ('r', 'p') ORDER BY 1, 2 LOOP
        EXECUTE format('LOCK TABLE %I.%I IN SHARE MODE', rel.nspname, rel.relname);
    END LOOP;
    RETURN @extschema@.instrument_use(code);
END $$;
COMMENT ON FUNCTION @extschema@.instrument_use_locked(text) IS
    'instrument_use after locking every table that can hold responses in SHARE mode (used by the guards on alliance.custom_instruments)';

CREATE FUNCTION @extschema@.instrument_use_detail(used text, code text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT CASE WHEN used LIKE 'domain %'
                THEN pg_catalog.format('The %s is typed response(%s).', used, code)
                ELSE pg_catalog.format('Column %s holds its values or is typed response(%s).', used, code) END;
END;
COMMENT ON FUNCTION @extschema@.instrument_use_detail(text, text) IS
    'The error detail of the guards: which column or domain uses a code';

-- Row trigger: validate, fingerprint, refuse clashes and changes of used definitions.
CREATE FUNCTION @extschema@.custom_instruments_check() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    used text;
    clash text;
BEGIN
    IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND (OLD.code IS DISTINCT FROM NEW.code)) THEN
        used := @extschema@.instrument_use_locked(OLD.code);
        IF used IS NOT NULL THEN
            RAISE EXCEPTION 'instrument "%" is in use and cannot be %', OLD.code,
                  CASE TG_OP WHEN 'DELETE' THEN 'dropped' ELSE 'renamed' END
                USING ERRCODE = 'dependent_objects_still_exist',
                      DETAIL = @extschema@.instrument_use_detail(used, OLD.code),
                      HINT = 'A changed rule gets a new code: define the new form under another code.';
        END IF;
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
    END IF;

    IF EXISTS (SELECT 1 FROM @extschema@.builtin_instruments() b WHERE b.code OPERATOR(pg_catalog.=) NEW.code) THEN
        RAISE EXCEPTION 'instrument "%" is built in', NEW.code
            USING ERRCODE = 'duplicate_object', HINT = 'Choose another code for a custom form.';
    END IF;
    IF NEW.fhir_url IS NOT NULL THEN
        -- one canonical, one instrument ("|version" suffixes aside, as from_fhir reads them)
        SELECT c.code INTO clash FROM @extschema@.custom_instruments c
         WHERE c.code OPERATOR(pg_catalog.<>) NEW.code
           AND (TG_OP = 'INSERT' OR c.code OPERATOR(pg_catalog.<>) OLD.code)
           AND pg_catalog.split_part(c.fhir_url, '|', 1) OPERATOR(pg_catalog.=) pg_catalog.split_part(NEW.fhir_url, '|', 1);
        IF clash IS NOT NULL THEN
            RAISE EXCEPTION 'fhir_url "%" is already the canonical of instrument "%"', NEW.fhir_url, clash
                USING ERRCODE = 'duplicate_object',
                      HINT = 'A questionnaire canonical names one instrument: give this form a canonical of its own.';
        END IF;
    END IF;
    NEW.fingerprint := @extschema@.instrument_fingerprint(NEW.code, NEW.name, NEW.items, NEW.min, NEW.max,
        NEW.step, NEW.reversed, NEW.scales, NEW.bordin, NEW.cutoff, NEW.min_answered, NEW.score,
        NEW.norms, NEW.item_labels, NEW.link_ids, NEW.fhir_url, NEW.citation);
    SELECT c.code INTO clash FROM @extschema@.custom_instruments c
     WHERE c.code OPERATOR(pg_catalog.<>) NEW.code
       AND @extschema@.code_typmod(c.code) OPERATOR(pg_catalog.=) @extschema@.code_typmod(NEW.code)
       AND (TG_OP = 'INSERT' OR c.code OPERATOR(pg_catalog.<>) OLD.code);
    IF clash IS NOT NULL THEN
        RAISE EXCEPTION 'instrument code "%" collides with "%"', NEW.code, clash
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = 'Both codes hash to the same type modifier.',
                  HINT = 'Choose another code.';
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.fingerprint IS DISTINCT FROM OLD.fingerprint THEN
        used := @extschema@.instrument_use_locked(OLD.code);
        IF used IS NOT NULL THEN
            RAISE EXCEPTION 'instrument "%" is in use; its definition cannot change', OLD.code
                USING ERRCODE = 'dependent_objects_still_exist',
                      DETAIL = @extschema@.instrument_use_detail(used, OLD.code),
                      HINT = 'A changed rule gets a new code: define the new form under another code.';
        END IF;
    END IF;
    RETURN NEW;
END $$;
COMMENT ON FUNCTION @extschema@.custom_instruments_check() IS
    'Trigger on alliance.custom_instruments: validates and fingerprints definitions; refuses built-in codes, hash collisions, a fhir_url another definition has, and changes or drops of used definitions';

CREATE FUNCTION @extschema@.custom_instruments_truncate() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    def record;
    used text;
BEGIN
    FOR def IN SELECT code FROM @extschema@.custom_instruments ORDER BY code LOOP
        used := @extschema@.instrument_use_locked(def.code);
        IF used IS NOT NULL THEN
            RAISE EXCEPTION 'instrument "%" is in use; alliance.custom_instruments cannot be truncated', def.code
                USING ERRCODE = 'dependent_objects_still_exist',
                      DETAIL = @extschema@.instrument_use_detail(used, def.code);
        END IF;
    END LOOP;
    RETURN NULL;
END $$;
COMMENT ON FUNCTION @extschema@.custom_instruments_truncate() IS
    'Trigger on alliance.custom_instruments: refuses TRUNCATE while any definition is in use';

CREATE FUNCTION @extschema@.instruments_changed() RETURNS trigger
    AS 'MODULE_PATHNAME', 'instruments_changed' LANGUAGE C;
COMMENT ON FUNCTION @extschema@.instruments_changed() IS
    'Trigger on alliance.custom_instruments: invalidates every backend''s cache of definitions';

CREATE TRIGGER custom_instruments_check
    BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.custom_instruments
    FOR EACH ROW EXECUTE FUNCTION @extschema@.custom_instruments_check();
CREATE TRIGGER custom_instruments_truncate
    BEFORE TRUNCATE ON @extschema@.custom_instruments
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.custom_instruments_truncate();
CREATE TRIGGER custom_instruments_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.custom_instruments
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.instruments_changed();

CREATE FUNCTION @extschema@.define_instrument(code text, name text, items integer, min numeric,
    max numeric, step numeric DEFAULT 1, reversed integer[] DEFAULT '{}', scales jsonb DEFAULT '{}',
    bordin jsonb DEFAULT NULL, cutoff numeric DEFAULT NULL, min_answered numeric DEFAULT 0.75,
    score text DEFAULT 'total', norms jsonb DEFAULT NULL, item_labels text[] DEFAULT NULL,
    link_ids text[] DEFAULT NULL, fhir_url text DEFAULT NULL, citation text DEFAULT NULL)
    RETURNS void
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM @extschema@.custom_instruments c WHERE c.code OPERATOR(pg_catalog.=) define_instrument.code) THEN
        RAISE EXCEPTION 'instrument "%" is already defined', define_instrument.code
            USING ERRCODE = 'duplicate_object',
                  HINT = 'Definitions never change: a changed rule gets a new code.';
    END IF;
    BEGIN
    INSERT INTO @extschema@.custom_instruments (code, name, items, min, max, step, reversed, scales,
        bordin, cutoff, min_answered, score, norms, item_labels, link_ids, fhir_url, citation)
    VALUES (define_instrument.code, define_instrument.name, define_instrument.items,
        define_instrument.min, define_instrument.max, COALESCE(define_instrument.step, 1),
        COALESCE(define_instrument.reversed, '{}'), COALESCE(define_instrument.scales, '{}'),
        define_instrument.bordin, define_instrument.cutoff, COALESCE(define_instrument.min_answered, 0.75),
        COALESCE(define_instrument.score, 'total'), define_instrument.norms,
        define_instrument.item_labels, define_instrument.link_ids, define_instrument.fhir_url,
        define_instrument.citation);
    EXCEPTION WHEN unique_violation THEN
        -- another session defined the same code between the check above and this insert
        RAISE EXCEPTION 'instrument "%" is already defined', define_instrument.code
            USING ERRCODE = 'duplicate_object',
                  HINT = 'Definitions never change: a changed rule gets a new code.';
    END;
END $$;
COMMENT ON FUNCTION @extschema@.define_instrument(text, text, integer, numeric, numeric, numeric, integer[], jsonb, jsonb, numeric, numeric, text, jsonb, text[], text[], text, text) IS
    'Registers a custom instrument (a licensed or local form): items, range and step, reversed items, scales {"name": [items]}, Bordin mapping {"goal": "scale"}, cut-off, missing-item rule, score total|mean, norms {"sd", "reliability", "rc_points"}, labels, FHIR linkIds and canonical URL';

CREATE FUNCTION @extschema@.drop_instrument(code text) RETURNS void
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE STRICT
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM @extschema@.builtin_instruments() b WHERE b.code OPERATOR(pg_catalog.=) drop_instrument.code) THEN
        RAISE EXCEPTION 'instrument "%" is built in and cannot be dropped', drop_instrument.code
            USING ERRCODE = 'wrong_object_type';
    END IF;
    DELETE FROM @extschema@.custom_instruments c WHERE c.code OPERATOR(pg_catalog.=) drop_instrument.code;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'instrument "%" is not defined', drop_instrument.code
            USING ERRCODE = 'undefined_object';
    END IF;
END $$;
COMMENT ON FUNCTION @extschema@.drop_instrument(text) IS
    'Drops an unused custom instrument; one that values use (or a column typed response(code)) is refused';

-- The alliance.instruments view, with each instrument's active norms: src/pg/calibrate.sql.

-- Privileges.  After a trusted CREATE EXTENSION by a non-superuser the
-- objects belong to the bootstrap superuser: grant the installing role what
-- it needs to define instruments (and to pass that on), and everyone what
-- scoring and pg_dump read.  No SECURITY DEFINER anywhere.
GRANT USAGE ON SCHEMA @extschema@ TO PUBLIC;
GRANT SELECT ON @extschema@.custom_instruments TO PUBLIC;
GRANT INSERT, UPDATE, DELETE, TRUNCATE ON @extschema@.custom_instruments TO @extowner@ WITH GRANT OPTION;
