/**
 * Reads of the tables compute derives (src/analytics/compute), for the commands and anything else
 * that shows them. Rows come back as Postgres gives them; numerics as text, so nothing is rounded
 * before it is formatted.
 */
import type { Pool } from "../db/pool.ts";

/** One RFM segment's row of segment_performance. */
export interface SegmentRow {
	segment_name: string;
	customer_count: number;
	revenue_percentage: string | null;
	frequency_mean: string | null;
	monetary_sum: string | null;
}

/** The RFM segments, the largest by revenue first; empty before the first compute. */
export async function rfmSegments(pool: Pool): Promise<SegmentRow[]> {
	const { rows } = await pool.query<SegmentRow>(
		`select segment_name, customer_count, revenue_percentage::text,
		        frequency_mean::text, monetary_sum::text
		   from segment_performance where segment_type = 'RFM_Segment'
		  order by segment_performance.monetary_sum desc nulls last`,
	);
	return rows;
}

/** One customer of customer_master, as a segment's top list shows it. */
export interface SegmentCustomer {
	customer: string;
	customer_name: string | null;
	region: string | null;
	monetary: string | null;
	frequency: number | null;
	recency: number | null;
}

/** A segment's customers with the largest monetary value (ties by customer id). */
export async function topCustomersOf(
	pool: Pool,
	segment: string,
	limit: number,
): Promise<SegmentCustomer[]> {
	const { rows } = await pool.query<SegmentCustomer>(
		`select customer, customer_name, region, monetary::text, frequency, recency
		   from customer_master where rfm_segment = $1
		  order by customer_master.monetary desc nulls last, customer limit $2`,
		[segment, limit],
	);
	return rows;
}

/** One cohort: its month (YYYY-MM), its size and its retention by month (key "1" is month 0). */
export interface CohortRow {
	cohort: string;
	customer_count: number;
	retention: Record<string, number | string> | null;
}

/** The `n` most recent cohorts, newest first; empty before the first compute. */
export async function recentCohorts(
	pool: Pool,
	n: number,
): Promise<CohortRow[]> {
	const { rows } = await pool.query<CohortRow>(
		`select to_char(s.cohort_month, 'YYYY-MM') as cohort, s.customer_count,
		        r.retention_data as retention
		   from cohort_sizes s left join cohort_retention r using (cohort_month)
		  order by s.cohort_month desc limit $1`,
		[n],
	);
	return rows;
}
