-- Every branch code or name written on order lines, quotes or customers of one source. $1 source.
select branch as alias from transaction_data where source = $1 and branch is not null
union
select branch from sales_quotes where source = $1 and branch is not null
union
select branch from customer_master where source = $1 and branch is not null
