-- an analyst reading aggregates while others write
SELECT (alliance.summary(c)).n, alliance.alpha(c), (alliance.summary(srs)).mean FROM visits;
SELECT alliance.status(alliance.trajectory(id, c), points => 1) FROM visits WHERE client = 1;
