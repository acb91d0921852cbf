/** Plain-text rendering shared by the analytics commands: values in their units, periods, tables. */
import {
	formatAmount,
	formatNumber,
} from "../src/analytics/correlation/wording.ts";
import type { Grain, MetricDefinition } from "../src/metrics/index.ts";

/** Widest a table cell is shown before it is cut with "…". */
export const MAX_CELL = 40;

/** A metric value as people read it: "$12,345", "28.4%", "1,234 orders", "n/a" for no data. */
export function formatValue(
	v: number | null,
	metric: MetricDefinition,
	unit: string,
): string {
	if (v === null) return "n/a";
	switch (metric.unit) {
		case "currency":
			return formatAmount(v, unit);
		case "percent":
			return `${v.toFixed(1)}%`;
		case "days":
		case "ratio":
			return v.toFixed(1);
		default:
			return formatNumber(v);
	}
}

/** "2026-10" for months, the start date for weeks and days. */
export function periodLabel(period: string, grain: Grain): string {
	return grain === "month" ? period.slice(0, 7) : period;
}

/** One cell of a query result: dates as YYYY-MM-DD, numbers and text as they are, null as "". */
export function cellText(v: unknown): string {
	if (v === null || v === undefined) return "";
	if (v instanceof Date) {
		// pg reads a `date` as local midnight; take the local calendar day back out.
		const p = (n: number) => String(n).padStart(2, "0");
		return `${v.getFullYear()}-${p(v.getMonth() + 1)}-${p(v.getDate())}`;
	}
	const s = typeof v === "object" ? JSON.stringify(v) : String(v);
	return s.length > MAX_CELL ? `${s.slice(0, MAX_CELL - 1)}…` : s;
}

const NUMERIC = /^[−-]?[$€£¥]?[\d,.]+%?$|^n\/a$/;

/** Columns padded to their widest cell; columns whose cells are all numbers align right. */
export function renderTable(rows: readonly (readonly string[])[]): string[] {
	const [head, ...body] = rows;
	if (!head) return [];
	const widths = head.map((_, i) =>
		Math.max(...rows.map((r) => (r[i] ?? "").length)),
	);
	const right = head.map(
		(_, i) =>
			body.length > 0 &&
			body.every((r) => (r[i] ?? "") === "" || NUMERIC.test(r[i] ?? "")),
	);
	return rows.map((r) =>
		head
			.map((_, i) => {
				const c = r[i] ?? "";
				const w = widths[i] ?? 0;
				return right[i] ? c.padStart(w) : c.padEnd(w);
			})
			.join("  ")
			.trimEnd(),
	);
}
