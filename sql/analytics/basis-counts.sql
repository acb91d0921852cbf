-- The basis's customers with orders and without (customers known only from the master), for the
-- compute summary. Reads the compute_customers temp table basis-customers built.
select count(*) filter (where frequency > 0)::int as customers,
       count(*) filter (where frequency = 0)::int as no_orders
  from compute_customers
