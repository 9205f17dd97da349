-- a clinic's EHR writing responses of a custom instrument and of SRS
\set client random(1, 200)
\set a random(1, 7)
\set b random(1, 7)
\set s random(0, 100)
INSERT INTO visits (client, c, srs)
VALUES (:client, alliance.response('cform', ARRAY[:a, :b, 4, :a, :b]::numeric[]),
        alliance.response('srs', ARRAY[:s / 10.0, 9, 9, 9]::numeric[]));
