-- ------------------------------------------------------------ svg
-- alliance.svg(trajectory [, width, height, method, ...]): a self-contained
-- SVG chart (src/core/svg.h, src/pg/reporting_svg.c).  Not STRICT: the
-- optional parameters may be NULL (NULL width/height: the default size;
-- the rupture parameters as in ruptures()); a NULL trajectory gives NULL.
CREATE FUNCTION @extschema@.svg(t @extschema@.trajectory,
        width integer DEFAULT 640, height integer DEFAULT 240,
        method text DEFAULT NULL, k numeric DEFAULT NULL, reference_sd numeric DEFAULT NULL,
        sd numeric DEFAULT NULL, reliability numeric DEFAULT NULL, points numeric DEFAULT NULL,
        cutoff numeric DEFAULT NULL, c1 numeric DEFAULT NULL, pct numeric DEFAULT 0.25,
        repair_window integer DEFAULT 3, eps numeric DEFAULT NULL) RETURNS text
    AS 'MODULE_PATHNAME', 'reporting_svg' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.svg(@extschema@.trajectory, integer, integer, text, numeric, numeric, numeric, numeric, numeric, numeric, numeric, numeric, integer, numeric) IS
    'A self-contained, deterministic SVG chart (width and height 120-4000 px): the series by session, the cut-off as a dashed line when known (the cutoff argument, else the instrument''s), ruptures marked by repair state (classes "rupture repaired|unrepaired|open") and repairs ("repair"), with tooltips; ruptures by method and parameters as in ruptures()';
