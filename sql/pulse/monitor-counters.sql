-- Feedback counters move by the deltas the core's feedback() returns.
update pulse_monitors
set true_positives = true_positives + $2, false_positives = false_positives + $3, updated_at = now()
where id = $1
returning true_positives, false_positives
