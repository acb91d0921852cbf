-- Records a matched spelling of a branch; a row only when it is new or changed ($1 source, $2 alias, $3 code).
insert into branch_aliases (source, alias, branch_code) values ($1, $2, $3)
on conflict (source, alias) do update set branch_code = excluded.branch_code
where branch_aliases.branch_code is distinct from excluded.branch_code
