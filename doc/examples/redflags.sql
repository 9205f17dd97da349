-- Example custom instrument: a client red-flag checklist (not a built-in).
-- 12 items answered 1 (noticed / felt) or 0 (not).  All items are reversed so
-- that, as for every other instrument, a higher score is a better alliance:
-- 12 = no red flag, 0 = every flag.  At risk: any flag at all (score < 12).
SELECT alliance.define_instrument(
    code => 'redflags',
    name => 'Client red-flag checklist (example)',
    items => 12, min => 0, max => 1,
    reversed => '{1,2,3,4,5,6,7,8,9,10,11,12}',
    scales => '{"behaviours": [1,2,3,4,5,6], "feelings": [7,8,9,10,11,12]}',
    bordin => '{"bond": "feelings"}',
    cutoff => 12,
    min_answered => 1,
    item_labels => '{interrupting,dismissing_ideas,invalidating_experience,blaming,fear_or_shame,lecturing,unsafe,dismissed,disrespected,misunderstood,powerless,unimportant}',
    citation => 'Example definition shipped with alliance; not a validated instrument.');

-- A client who felt lectured and dismissed:
SELECT alliance.total('redflags(0,0,0,0,0,1,0,1,0,0,0,0)') AS total,          -- 10
       alliance.at_risk('redflags(0,0,0,0,0,1,0,1,0,0,0,0)') AS at_risk,      -- true
       alliance.flagged_items('redflags(0,0,0,0,0,1,0,1,0,0,0,0)', item_cutoff => 1) AS flags;  -- {6,8}
