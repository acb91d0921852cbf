select settings -> 'chart' as chart from pulse_monitor_templates where name = $1
