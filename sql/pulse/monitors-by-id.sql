-- The monitors of one batch of runs, unlocked (each run locks its own row when it stores results).
select * from pulse_monitors where id = any($1::uuid[])
