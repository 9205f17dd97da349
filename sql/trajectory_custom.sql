-- Trajectories of a clinic's own (custom) instrument: its score (here the
-- mean), cut-off and norms become the defaults of the rupture methods.
SET search_path = public, alliance;
SELECT define_instrument(
    code => 'traj_form', name => 'Trajectory test form', items => 6, min => 1, max => 5,
    reversed => '{2,5}', cutoff => 3.5, score => 'mean',
    norms => '{"sd": 0.8, "reliability": 0.85}');
CREATE TEMP TABLE traj_cv (s int, r response);
INSERT INTO traj_cv VALUES (1, 'traj_form(5,1,5,5,1,5)'), (2, 'traj_form(5,1,5,5,1,4)'),
                           (3, 'traj_form(3,3,3,3,3,3)'), (4, 'traj_form(4,2,4,4,2,4)');
SELECT trajectory(s, r) FROM traj_cv;
-- cutoff 3.5 on the mean, from the definition
SELECT seq, previous_score, score, drop, threshold, state FROM ruptures((SELECT trajectory(s, r) FROM traj_cv), 'cutoff');
-- rci from the definition's norms: 1.96 * 0.8 * sqrt(2) * sqrt(0.15) = 0.8588
SELECT seq, round(drop, 4) AS drop, round(threshold, 4) AS threshold, state
FROM ruptures((SELECT trajectory(s, r) FROM traj_cv), 'rci');
SELECT s, rupture_alert(s, r, 'rci') OVER (ORDER BY s), rupture_alert(s, r, 'cutoff') OVER (ORDER BY s) FROM traj_cv;
-- a trajectory names its instrument by code: its text form reads back, defaults and all
SELECT seq, threshold FROM ruptures((SELECT trajectory(s, r)::text FROM traj_cv)::trajectory, 'cutoff');
-- a code that is not defined here is refused, as for responses ...
SELECT 'int:not_defined_here{1=5,2=3}'::trajectory;
-- ... except during a restore (pg_restore runs with check_function_bodies
-- off), when trajectories may arrive before the definitions; such a value has
-- no defaults until its instrument is defined
SET check_function_bodies = off;
SELECT 'int:not_defined_here{1=5,2=3}'::trajectory;
SELECT * FROM ruptures('int:not_defined_here{1=5,2=3}'::trajectory, 'cutoff');
RESET check_function_bodies;
-- a defined instrument's trajectory holds only scores the instrument can give
SELECT 'int:traj_form{1=5,2=3}'::trajectory;
SELECT 'int:traj_form{1=5,2=6}'::trajectory;  -- a mean of items 1..5 cannot be 6
DROP TABLE traj_cv;
SELECT drop_instrument('traj_form');
