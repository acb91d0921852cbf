-- Serialises runs and edits of one monitor. NO KEY UPDATE: the execution log's foreign key check
-- (KEY SHARE) is not blocked, so a tick that finds a run in progress can be logged as skipped.
select * from pulse_monitors where id = $1 for no key update
