-- Quotes that name an order the warehouse does not have (at most 50), for the report's skipped lines.
select q.quote_number, q.order_number from sales_quotes q
 where q.source = $1 and q.order_number is not null
   and not exists (select 1 from transaction_data t where t.source = q.source and t.order_number = q.order_number)
 order by q.quote_number limit 50
