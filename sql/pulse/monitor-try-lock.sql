-- A scheduled run's lock: no row back when another run of the same monitor holds it (the tick is
-- then coalesced with that run, not queued behind it holding a connection). NO KEY UPDATE, so the
-- execution log's foreign key check (KEY SHARE) can still account for a skipped tick meanwhile.
select * from pulse_monitors where id = $1 for no key update skip locked
