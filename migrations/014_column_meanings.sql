-- What each canonical column means, for the columns that had no comment: the mapping reference
-- (erp-pulse sources reference, docs/mapping-reference.md) is generated from these comments, so a
-- person writing a mapping reads the same words as \d+ shows.

comment on column transaction_data.order_number is 'Invoice or order number; with line_number the natural key (per source).';
comment on column transaction_data.line_number is 'Line number within the order (0 or more); for a file without one, map {recordNumber: true}.';
comment on column transaction_data.material_number is 'Item / SKU code (the materials entity''s material_number); null when the line has no item.';
comment on column transaction_data.posting_date is 'Invoice or posting date of the line; every metric period is placed by it. Not after tomorrow.';
comment on column transaction_data.net_sales is 'Line amount after discounts, before tax, in the configured currency; negative only on cancellations.';
comment on column transaction_data.sales_office_name is 'Sales office (or country) the line is booked to; the regional analytics group by it.';
comment on column transaction_data.region is 'Sales region of the line (West, EMEA, …); the region dimension of the metrics.';
comment on column transaction_data.salesperson is 'Salesperson as the source writes the name or code; clean salespeople matches variants.';
comment on column transaction_data.gross_margin is 'Gross margin as the source reports it; when it has none but has a cost, net_sales - total_cogs; null when unknown.';
comment on column transaction_data.branch is 'Branch code of the line (branches.branch_code).';

comment on column customer_master.customer is 'Customer id, as order lines carry it; the natural key (per source).';
comment on column customer_master.customer_name is 'Customer name shown in replies and alerts.';
comment on column customer_master.industry is 'Industry or customer group, free text.';
comment on column customer_master.region is 'Customer''s sales region; the region dimension of customer metrics.';
comment on column customer_master.sales_office_name is 'Sales office that serves the customer.';
comment on column customer_master.branch is 'Branch code that serves the customer (branches.branch_code).';
comment on column customer_master.created_date is 'Date the customer was created in the ERP.';
comment on column customer_master.status is 'Status as the ERP writes it (active, blocked, …), up to 50 characters.';
comment on column customer_master.churn_date is 'Date the ERP marks the customer as lost, when it does.';

comment on column stox_material_master.material_number is 'Item / SKU code; the natural key (per source).';
comment on column stox_material_master.material_description is 'Item description shown in replies and alerts.';
comment on column stox_material_master.category is 'Product category; the category dimension of the metrics.';
comment on column stox_material_master.uom is 'Unit of measure of quantities and stock (CS, EA, …), up to 50 characters.';
comment on column stox_material_master.unit_cost is 'Cost per unit (not negative); inventory value and the stox costs use it.';
comment on column stox_material_master.unit_price is 'List price per unit (not negative).';
comment on column stox_material_master.active is 'False for items no longer sold (the reorder-point and projected stock-out monitors skip them); default true.';
comment on column stox_material_master.launch_date is 'Date the item was first offered.';

comment on column stox_stock_levels.material_number is 'Item / SKU code of the snapshot.';
comment on column stox_stock_levels.snapshot_date is 'Day the stock was counted; with material and warehouse the natural key. Not after tomorrow.';
comment on column stox_stock_levels.on_hand_units is 'Units on hand that day (may be negative where the ERP allows it).';
comment on column stox_stock_levels.on_order_units is 'Units ordered from suppliers and not yet received (not negative).';

comment on column sales_quotes.quote_number is 'Quote number; the natural key (per source).';
comment on column sales_quotes.quote_date is 'Day the quote was issued. Not after tomorrow.';
comment on column sales_quotes.customer is 'Customer id the quote is for.';
comment on column sales_quotes.salesperson is 'Salesperson who owns the quote.';
comment on column sales_quotes.branch is 'Branch code of the quote.';
comment on column sales_quotes.amount is 'Quoted value (not negative).';
comment on column sales_quotes.status is 'won, lost or open (w/l/o, pending, closed_won and closed_lost are read as those); default open.';
comment on column sales_quotes.close_date is 'Day the quote was won or lost; the win rate is placed by it.';
comment on column sales_quotes.lead_source is 'Where the lead came from, as the source writes it; clean lead-sources merges variants.';

comment on column salespeople.salesperson_id is 'Salesperson id; the natural key (per source).';
comment on column salespeople.name is 'Salesperson name, as order lines and quotes may write it.';
comment on column salespeople.branch is 'Branch code the salesperson works from.';
comment on column salespeople.hire_date is 'Day the salesperson started.';
comment on column salespeople.term_date is 'Day the salesperson left, when they have.';

comment on column branches.branch_code is 'Branch code; the natural key (per source).';
comment on column branches.branch_name is 'Branch name shown in replies.';
comment on column branches.region is 'Region the branch belongs to.';
comment on column branches.sales_office_name is 'Sales office the branch reports to.';
