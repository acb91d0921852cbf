-- The source's salespeople, the names a variant is matched against.
select salesperson_id as id, name from salespeople where source = $1
