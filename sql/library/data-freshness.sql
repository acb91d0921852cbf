-- title: Data freshness
-- description: Rows and the newest date of each warehouse table per source, to see at a glance what has arrived.
-- category: operational
select source, 'order lines' as data, count(*) as rows, max(posting_date) as newest from transaction_data group by 1
union all
select source, 'stock snapshots', count(*), max(snapshot_date) from stox_stock_levels group by 1
union all
select source, 'quotes', count(*), max(quote_date) from sales_quotes group by 1
union all
select source, 'customers', count(*), max(created_date) from customer_master group by 1
order by 1, 2
