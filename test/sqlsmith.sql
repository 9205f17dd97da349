-- The database sqlsmith works on (test/sqlsmith.sh): the extension, two custom
-- instruments, and tables of every alliance type.
CREATE EXTENSION alliance;
SELECT alliance.define_instrument('sform', 'Smith form', 6, 1, 5, reversed => '{2,5}',
       scales => '{"bond": [1,2,3], "task": [4,5,6]}', cutoff => 3.5, score => 'mean');
SELECT alliance.define_instrument('svas', 'Sliders', 3, 0, 10, step => 0.5);
CREATE TABLE responses (id int, client int, session int, day date, r alliance.response, s alliance.response(srs),
                        f alliance.response(sform), rs alliance.response[], doc jsonb);
INSERT INTO responses
SELECT i, i % 20, i / 20, date '2024-01-01' + i / 20,
       (ARRAY['wai_sr(4,3,5,4,5,4,4,3,5,4,4,3)', 'srs(9.1,8.4,7.9,8.8)', 'ors(4,5,6,4.5)', 'psq(1,4,2)',
              'haq2(1,2,3,4,5,6,1,2,3,4,5,6,1,2,3,4,5,6,1)', 'arm5(4,4,4,4,4)', 'tasc_r(1,2,3,4,4,3,2,1,1,2,3,4)',
              'sform(5,1,4,null,2,5)', 'svas(9.5,0,10)', 'wai_s(7,6,5,4,3,2,1,2,3,4,5,6)'])[1 + i % 10]::alliance.response,
       alliance.response('srs', ARRAY[i % 11, 9, 8, 7]::numeric[]),
       alliance.response('sform', ARRAY[1 + i % 5, 2, 3, 4, 5, 1]::numeric[]),
       ARRAY['srs(9,9,9,9)'::alliance.response, NULL],
       alliance.to_fhir(alliance.response('srs', ARRAY[i % 11, 9, 8, 7]::numeric[]))
FROM generate_series(1, 400) i;
CREATE TABLE trajectories AS SELECT client, alliance.trajectory(session, s) AS t, alliance.trajectory(day, f) AS tf
FROM responses GROUP BY client;
CREATE TABLE states (s alliance.stats_state);
INSERT INTO states VALUES ('{}'), ('srs{unscored=0,at_risk=2,ceiling=1,scale=1,a4=3/892/299464}');
ANALYZE;
