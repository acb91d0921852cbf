-- An alert with what its Explain button needs: the engine's explain request and the monitor's channels.
select a.*, a.data -> 'explain' as explain, m.name as monitor_name, m.channels
  from pulse_alerts a join pulse_monitors m on m.id = a.monitor_id
 where a.id = $1
