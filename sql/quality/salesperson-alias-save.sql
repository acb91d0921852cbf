-- Records a matched spelling of a salesperson; a row only when it is new or changed ($1 source, $2 alias, $3 id, $4 method).
insert into salesperson_aliases (source, alias, salesperson_id, method) values ($1, $2, $3, $4)
on conflict (source, alias) do update set salesperson_id = excluded.salesperson_id, method = excluded.method
where (salesperson_aliases.salesperson_id, salesperson_aliases.method) is distinct from (excluded.salesperson_id, excluded.method)
