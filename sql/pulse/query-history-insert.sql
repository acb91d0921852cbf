insert into pulse_query_history (user_id, query_text, data_source, rows_returned)
values ($1, $2, $3, $4)
