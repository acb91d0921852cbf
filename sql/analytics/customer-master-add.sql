-- analytics/customer-master-add: customers seen on order lines but missing from customer_master
-- (sources deliver lines before their customer, or have no customer table) get a row with only
-- their key, so every customer with lines carries its RFM/ABC values. Their raw attributes stay
-- null (ingest_run_id null marks them) until an ingest delivers the customer, whose upsert fills them.
insert into customer_master (source, customer)
select c.source, c.customer
from compute_customers c
on conflict (source, customer) do nothing
