/**
 * Lays the sparse histories `stox/history` returns out day by day, as `analyseMaterial` wants
 * them: demand with zeros on days without order lines, and stock carried forward from each
 * snapshot to the day before the next snapshot of the same warehouse, summed over warehouses.
 * Pure; offsets are days from the material's first day.
 */
import { dayNumber, isoDay } from "./periods.ts";

/** Units per day over `days` days; days without an entry are 0, offsets outside are ignored. */
export function dailyDemand(
	days: number,
	offsets: readonly number[] | null,
	units: readonly (number | null)[] | null,
): number[] {
	const out = new Array<number>(days).fill(0);
	if (!offsets || !units) return out;
	for (let i = 0; i < offsets.length; i++) {
		const d = offsets[i] ?? -1;
		const u = units[i];
		if (d >= 0 && d < days && u !== null && u !== undefined)
			out[d] = (out[d] ?? 0) + u;
	}
	return out;
}

/** Snapshots of one material, ordered by warehouse then date (parallel arrays). */
export interface SparseStock {
	offsets: readonly number[];
	warehouses: readonly string[];
	values: readonly (number | null)[];
}

/**
 * The stock level of each day: every snapshot holds from its day until the day before the next
 * snapshot of its warehouse (the last one to the end); warehouses are summed. A day that no
 * snapshot with a value covers is null. A snapshot before day 0 carries into the window.
 */
export function dailyStock(
	days: number,
	stock: SparseStock | null,
): (number | null)[] {
	const out = new Array<number | null>(days).fill(null);
	if (!stock) return out;
	const { offsets, warehouses, values } = stock;
	for (let i = 0; i < offsets.length; i++) {
		const v = values[i];
		if (v === null || v === undefined || !Number.isFinite(v)) continue;
		const sameNext =
			i + 1 < offsets.length && warehouses[i + 1] === warehouses[i];
		const end = Math.min(days, sameNext ? (offsets[i + 1] ?? days) : days);
		for (let d = Math.max(0, offsets[i] ?? 0); d < end; d++)
			out[d] = (out[d] ?? 0) + v;
	}
	return out;
}

/**
 * First day of the unbroken run of days, ending on the last day, with the last day's on-order
 * quantity (> 0): about when the open order was placed (or first seen, with weekly snapshots).
 * Null when nothing is on order; a run that reaches day 0 may have started earlier.
 */
export function onOrderSince(
	onOrder: readonly (number | null)[],
	firstDay: string,
): string | null {
	const last = onOrder.length - 1;
	const current = onOrder[last];
	if (current === null || current === undefined || !(current > 0)) return null;
	let start = last;
	while (start > 0 && onOrder[start - 1] === current) start--;
	return isoDay(dayNumber(firstDay) + start);
}
