/**
 * The digest's reads that are its own: the week's alerts and the materials below their reorder
 * point. ./collect.ts assembles the digest from these, the metric catalog and the ingest's
 * watermarks; it holds no SQL (README, "SQL").
 */
import type { Pool } from "../db/pool.ts";

/** An alert of the week, with its monitor's name and the headline it was posted with. */
export interface WeekAlertRow {
	monitor: string;
	severity: string;
	message: string;
	detected_at: Date;
	feedback: string | null;
	acknowledged_by: string | null;
}

/** The alerts detected in the Monday–Sunday week from `week` (YYYY-MM-DD), in `timeZone`'s days. */
export async function weekAlerts(
	pool: Pool,
	week: string,
	timeZone: string,
): Promise<WeekAlertRow[]> {
	const { rows } = await pool.query<WeekAlertRow>(
		`select m.name as monitor, a.severity,
		        coalesce(nullif(a.data ->> 'headline', ''), nullif(a.data -> 'rows' -> 0 ->> 'headline', ''), a.message) as message,
		        a.detected_at, a.feedback, a.acknowledged_by
		   from pulse_alerts a join pulse_monitors m on m.id = a.monitor_id
		  where (a.detected_at at time zone $2::text)::date between $1::date and $1::date + 6
		  order by a.detected_at`,
		[week, timeZone],
	);
	return rows;
}

/** A material whose latest position (on hand + on order) is at or below its reorder point. */
export interface AtRiskRow {
	material: string;
	description: string | null;
	on_hand: string;
	on_order: string;
	position: string;
	rop: string;
	cover: number | null;
}

/** The materials at or below their reorder point, least cover first, at most `limit`. */
export async function belowReorderPoint(
	pool: Pool,
	limit: number,
): Promise<AtRiskRow[]> {
	const { rows } = await pool.query<AtRiskRow>(
		`with latest as (
		   select distinct on (material_number) material_number, on_hand_units, on_order_units
		     from stox_stock_levels order by material_number, snapshot_date desc)
		 select r.material_number as material, m.material_description as description,
		        coalesce(l.on_hand_units, 0)::text as on_hand, coalesce(l.on_order_units, 0)::text as on_order,
		        (coalesce(l.on_hand_units, 0) + coalesce(l.on_order_units, 0))::text as position, r.reorder_point::text as rop,
		        case when r.avg_daily_demand > 0 then (coalesce(l.on_hand_units, 0) / r.avg_daily_demand)::float8 end as cover
		   from stox_reorder_point r
		   join latest l on l.material_number = r.material_number
		   left join lateral (select material_description from stox_material_master mm where mm.material_number = r.material_number limit 1) m on true
		  where coalesce(l.on_hand_units, 0) + coalesce(l.on_order_units, 0) <= r.reorder_point
		  order by cover nulls last, r.material_number limit $1`,
		[limit],
	);
	return rows;
}

/** How many reorder points the last stox compute wrote (0: not computed yet). */
export async function reorderPolicies(pool: Pool): Promise<number> {
	const { rows } = await pool.query<{ n: number }>(
		"select count(*)::int as n from stox_reorder_point",
	);
	return rows[0]?.n ?? 0;
}
