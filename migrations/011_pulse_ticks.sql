-- Every scheduled tick of every monitor is accounted for: it ran, or it was skipped with a reason.
alter table pulse_execution_log
	add column outcome text not null default 'ran' check (outcome in ('ran', 'skipped')),
	add column skip_reason text,
	add column missed_ticks integer not null default 0 check (missed_ticks >= 0);
alter table pulse_execution_log
	add constraint pulse_execution_log_skip_reason_check
	check ((outcome = 'skipped') = (skip_reason is not null));
create index pulse_execution_log_skipped_idx on pulse_execution_log (executed_at)
	where outcome = 'skipped';
comment on column pulse_execution_log.outcome is
	'ran: the monitor was evaluated (error_message says when that failed); skipped: the tick was accounted for without a run (skip_reason says why).';
comment on column pulse_execution_log.skip_reason is
	'Why a tick did not run: coalesced with a still-running run, monitor paused or disabled, could not run.';
comment on column pulse_execution_log.missed_ticks is
	'Earlier ticks folded into this run because no bot process was running at their time.';
