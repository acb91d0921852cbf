import type { CleanPoint } from "./data.ts";
import {
	formatDate,
	formatValue,
	type TimeGrain,
	type ValueFormat,
} from "./format.ts";
import { oneLine } from "./text.ts";

/** Longest alt text kept; Slack accepts far more, but a screen reader user wants the gist. */
export const MAX_ALT_LENGTH = 1000;

/** Joins sentences and keeps the result within `MAX_ALT_LENGTH`. */
export function altText(...sentences: (string | undefined)[]): string {
	const text = sentences
		.filter((s): s is string => Boolean(s))
		.map(oneLine)
		.join(" ");
	return text.length <= MAX_ALT_LENGTH
		? text
		: `${text.slice(0, MAX_ALT_LENGTH - 1).trimEnd()}…`;
}

/**
 * One sentence about a series: its time range, low and high with when they happened, and the
 * latest value. "Revenue, Jan 2023 to Dec 2025: low $1.0M (Jan 2023), high $2.1M (Oct 2025), latest $2.0M (Dec 2025)."
 */
export function describeSeries(
	name: string,
	points: readonly CleanPoint[],
	format: ValueFormat,
	grain: TimeGrain,
): string {
	const valued = points.filter((p) => p.value !== null);
	if (valued.length === 0) return `${name}: no data.`;
	const at = (p: CleanPoint) => formatDate(p.t, grain, "long");
	const val = (p: CleanPoint) => formatValue(p.value, format, true);
	const first = valued[0] as CleanPoint;
	const last = valued[valued.length - 1] as CleanPoint;
	if (valued.length === 1)
		return `${name}: one value, ${val(first)} (${at(first)}).`;
	let lo = first;
	let hi = first;
	for (const p of valued) {
		if ((p.value ?? 0) < (lo.value ?? 0)) lo = p;
		if ((p.value ?? 0) > (hi.value ?? 0)) hi = p;
	}
	const gaps = points.length - valued.length;
	const gapNote = gaps > 0 ? ` ${gaps} missing.` : "";
	return (
		`${name}, ${at(first)} to ${at(last)}: low ${val(lo)} (${at(lo)}), ` +
		`high ${val(hi)} (${at(hi)}), latest ${val(last)} (${at(last)}).${gapNote}`
	);
}
