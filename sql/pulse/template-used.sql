update pulse_monitor_templates set usage_count = usage_count + 1 where name = $1
