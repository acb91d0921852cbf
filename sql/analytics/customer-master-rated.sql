-- Customers with an RFM segment after customer-master-update: the customer_master step's row count.
select count(*)::int as n from customer_master where rfm_segment is not null
