-- Links a quote to its order when it names none yet ($1 source, $2 quote, $3 order).
update sales_quotes set order_number = $3 where source = $1 and quote_number = $2 and order_number is null
