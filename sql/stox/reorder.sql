-- stox/reorder: materials to reorder now, fewest days of cover first; $1 = row limit.
-- Position = latest on hand + on order. A material is listed when its stock is known and
--   at_reorder_point: position ≤ reorder point; or
--   stockout_in_lead_time: the projection runs out on or before calculation date + lead time; or
--   inbound_overdue: an order has been open (same on-order quantity) longer than the lead time
--     and on hand alone is at or below the reorder point — the order it counts on is late.
-- Materials the master marks inactive (discontinued) are never listed: they are not replenished.
with flagged as (
	select
		r.*,
		coalesce(r.on_hand_units, 0) + coalesce(r.on_order_units, 0) as position,
		coalesce(r.on_hand_units, 0) + coalesce(r.on_order_units, 0) <= r.reorder_point
			as at_reorder_point,
		coalesce(
			r.projected_stockout_date <= r.calculation_date + ceil(r.lead_time_days)::integer,
			false
		) as stockout_in_lead_time,
		coalesce(
			r.on_order_units > 0
				and r.calculation_date - r.on_order_since > r.lead_time_days
				and r.on_hand_units <= r.reorder_point,
			false
		) as inbound_overdue
	from stox_reorder_point r
	left join stox_material_master m using (source, material_number)
	where r.on_hand_units is not null and coalesce(m.active, true)
)
select
	f.source,
	f.material_number,
	mm.material_description as description,
	f.on_hand_units::double precision as on_hand,
	f.on_order_units::double precision as on_order,
	f.position::double precision as position,
	f.reorder_point::double precision as reorder_point,
	f.days_of_cover::double precision as days_of_cover,
	f.lead_time_days::double precision as lead_time_days,
	f.on_order_since::text as on_order_since,
	f.projected_stockout_date::text as projected_stockout_date,
	l.economic_order_quantity::double precision as order_quantity,
	f.at_reorder_point,
	f.stockout_in_lead_time,
	f.inbound_overdue,
	f.calculation_date::text as calculation_date
from flagged f
left join stox_material_master mm using (source, material_number)
left join stox_lot_size l using (source, material_number)
where f.at_reorder_point or f.stockout_in_lead_time or f.inbound_overdue
order by f.days_of_cover nulls last, f.source, f.material_number
limit $1
