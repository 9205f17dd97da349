-- an administrator defining and dropping unused forms, concurrently
SELECT alliance.define_instrument(pg_catalog.format('tmp_%s_%s', pg_backend_pid(), txid_current()), 'Scratch form', 3, 0, 4);
SELECT alliance.drop_instrument(code) FROM alliance.custom_instruments WHERE code LIKE pg_catalog.format('tmp_%s_%%', pg_backend_pid());
