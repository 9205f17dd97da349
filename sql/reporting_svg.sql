-- alliance.svg(trajectory [, width, height, method, ...]): a self-contained,
-- deterministic SVG chart.  Exact text of a small chart (any change to the
-- drawing shows here), the worked series' markers, the cut-off of an SRS
-- response trajectory, time keys in UTC, edge cases, parameter errors.
SET search_path = public, alliance;

-- a small chart, exactly: 'drop' finds 34 -> 27 at session 3, repaired at 4
\pset format unaligned
\pset tuples_only on
SELECT svg('int{1=30,2=34,3=27,4=35}'::trajectory, 320, 160, 'drop');
\pset format aligned
\pset tuples_only off

-- WAI-SR worked series (stiles, the default): ruptures at 4 (repaired at 5) and 8 (open)
CREATE TEMP TABLE worked (session int, total numeric);
INSERT INTO worked SELECT s, (array[44, 45, 46, 38, 46, 47, 47, 41, 42, 43])[s] FROM generate_series(1, 10) s;
CREATE TEMP TABLE worked_svg AS SELECT svg(trajectory(session, total), method => 'stiles') AS s FROM worked;
SELECT xml_is_well_formed_document(s) AS well_formed, length(s) FROM worked_svg;
-- every marker with its tooltip, in series order
SELECT m[1] AS marker FROM worked_svg, regexp_matches(s, '<g class="(?:rupture [a-z]+|repair)"><title>[^<]*</title><circle cx="[0-9.]+" cy="[0-9.]+"', 'g') m;
SELECT regexp_count(s, 'class="rupture repaired"') AS repaired, regexp_count(s, 'class="rupture unrepaired"') AS unrepaired,
       regexp_count(s, 'class="rupture open"') AS open, regexp_count(s, 'class="repair"') AS repairs,
       regexp_count(s, 'class="point"') AS points, regexp_count(s, 'class="cutoff"') AS cutoff
FROM worked_svg;
-- the same ruptures as ruptures(); none with reference SD 6.0; strauss finds the same two
SELECT seq, state FROM (SELECT trajectory(session, total) t FROM worked) x, ruptures(x.t, 'stiles') ORDER BY seq;
SELECT regexp_count(svg(t, method => 'stiles', reference_sd => 6.0), 'class="rupture ') AS ref_sd_6,
       regexp_count(svg(t, method => 'strauss'), 'class="rupture ') AS strauss,
       regexp_count(svg(t, method => 'stiles', repair_window => 1), 'class="rupture unrepaired"') AS unrepaired_window_1
FROM (SELECT trajectory(session, total) t FROM worked) x;
-- the accessible name
SELECT substring(s from '<title>[^<]*</title>') AS title, s ~ 'role="img" aria-label="Alliance chart' AS aria FROM worked_svg;

-- an SRS response trajectory: the instrument's cut-off (36.0) is a dashed line,
-- scores show the instrument's decimal
CREATE TEMP TABLE srs_svg AS
SELECT svg(trajectory(s, r)) AS s
FROM (VALUES (1, 'srs(9.5,9.5,9.5,9.5)'::response), (2, 'srs(9,9,9,9.5)'), (3, 'srs(8,8,9,9)'),
             (4, 'srs(9,9,9,9)'), (5, 'srs(9.1,8.4,7.9,8.8)')) v(s, r);
SELECT xml_is_well_formed_document(s) AS well_formed, substring(s from '<line class="cutoff"[^>]*><title>[^<]*</title></line>') AS cutoff,
       substring(s from '<title>[^<]*</title>') AS title
FROM srs_svg;
-- a numeric trajectory has a cut-off line only when given one
SELECT regexp_count(svg(t, method => 'stiles'), 'class="cutoff"') AS without, substring(svg(t, method => 'stiles', cutoff => 40) from 'class="cutoff"[^>]*><title>[^<]*') AS with_cutoff
FROM (SELECT trajectory(session, total) t FROM worked) x;

-- time keys label the axis with ISO dates in UTC, whatever TimeZone says
SET TimeZone = 'America/Los_Angeles';
CREATE TEMP TABLE tz_svg AS SELECT svg(trajectory(ts, x), method => 'drop') AS s
FROM (VALUES ('2024-03-01 23:30:00+00'::timestamptz, 30.0), ('2024-03-08 23:30:00+00', 20.0),
             ('2024-03-15 23:30:00+00', 31.0)) v(ts, x);
SELECT m[1] AS label FROM tz_svg, regexp_matches(s, '<text x="[0-9.]+" y="[0-9.]+">([0-9-]+)</text>', 'g') m;
SELECT substring(s from '<g class="rupture [a-z]+"><title>[^<]*</title>') AS rupture FROM tz_svg;
SET TimeZone = 'Asia/Tokyo';
SELECT (SELECT s FROM tz_svg) = svg(trajectory(ts, x), method => 'drop') AS same_in_tokyo
FROM (VALUES ('2024-03-01 23:30:00+00'::timestamptz, 30.0), ('2024-03-08 23:30:00+00', 20.0),
             ('2024-03-15 23:30:00+00', 31.0)) v(ts, x);
RESET TimeZone;
-- date keys: the x labels are the dates
SELECT m[1] AS date_label
FROM (SELECT svg(trajectory('2024-01-01'::date + 7 * g, 30.0 + g), method => 'stiles') AS s FROM generate_series(0, 2) g) x,
     regexp_matches(s, '<text x="[0-9.]+" y="[0-9.]+">([0-9]{4}-[0-9-]+)</text>', 'g') m;

-- edge cases: one session, two, a flat series, none; all well formed
SELECT name, xml_is_well_formed_document(s) AS well_formed, regexp_count(s, 'class="point"') AS points,
       substring(s from 'points="[^"]*"') AS polyline, substring(s from '<g class="tick" fill="#555555" text-anchor="end">.*?</g>') AS y_ticks
FROM (VALUES ('one', svg('int{7=12}'::trajectory, method => 'stiles')), ('two', svg('int{1=10,2=20}'::trajectory, method => 'stiles')),
             ('flat', svg('int{1=40,2=40,3=40}'::trajectory, method => 'stiles')), ('none', svg('int{}'::trajectory, method => 'stiles')),
             ('zero', svg('int{1=0,2=0}'::trajectory, method => 'stiles')), ('tiny', svg('int{1=0.001,2=0.002}'::trajectory, method => 'stiles')),
             ('huge', svg('int{1=1e150,2=-1e150}'::trajectory, method => 'stiles'))) v(name, s);
SELECT svg(NULL::trajectory) IS NULL AS null_t,
       svg('int{1=1,2=2}'::trajectory, NULL, NULL, 'stiles') = svg('int{1=1,2=2}'::trajectory, method => 'stiles') AS null_size_is_default,
       substring(svg('int{1=1,2=2}'::trajectory, 120, 4000, 'stiles') from '^<svg[^>]*viewBox="[^"]*"') AS smallest_tallest;

-- a long series stays small: 100 000 sessions draw at most 4 vertices per pixel
-- column (568 columns at the default width), no dots; markers stay one per rupture
SELECT length(s) < 60000 AS bounded, xml_is_well_formed_document(s) AS well_formed,
       regexp_count(substring(s from 'points="[^"]*"'), ',') <= 4 * 568 AS vertices_bounded,
       regexp_count(s, 'class="point"') AS points, regexp_count(s, 'class="rupture ') AS ruptures
FROM (SELECT svg(trajectory(g, (40 + 5 * sin(g / 5000.0))::numeric), method => 'stiles') AS s FROM generate_series(1, 100000) g) x;
SELECT regexp_count(s, 'class="rupture unrepaired"') AS ruptures, length(s) < 300 * 14285 + 60000 AS linear_in_ruptures
FROM (SELECT svg(trajectory(g, 40 + (g % 7) * 0.5), method => 'stiles') AS s FROM generate_series(1, 100000) g) x;

-- parameters are checked
SELECT svg('int{1=1,2=2}'::trajectory, 119, method => 'stiles');
SELECT svg('int{1=1,2=2}'::trajectory, 640, 4001, 'stiles');
SELECT svg('int{1=1,2=2}'::trajectory, height => 0, method => 'stiles');
SELECT svg('int{1=1,2=2}'::trajectory, method => 'rci');
SELECT svg('int{1=1,2=2}'::trajectory, method => 'nosuch');
SELECT svg('int{1=1,2=2}'::trajectory, method => 'cutoff');
