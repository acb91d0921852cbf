-- Every salesperson name written on an order line or a quote of one source. $1 source.
select salesperson as alias from transaction_data where source = $1 and salesperson is not null
union
select salesperson from sales_quotes where source = $1 and salesperson is not null
