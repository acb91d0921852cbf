-- How many materials have inventory figures (a reorder point), for "No material X among the N".
select count(distinct material_number)::int as n from stox_reorder_point
