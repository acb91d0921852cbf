import { parsePeriod } from "./periods.ts";
import type { RefusalCode, Series } from "./types.ts";

/**
 * Values on a grain's calendar, sorted by period. `index` holds each value's `PeriodIndex`,
 * so gaps are visible: two values are consecutive only when their indices differ by 1.
 */
export interface Indexed {
	index: number[];
	value: number[];
	period: string[];
}

/** Two series joined on the periods where both have a value. */
export interface AlignedPair {
	n: number;
	index: number[];
	period: string[];
	x: number[];
	y: number[];
}

/** Paired values, e.g. x(t) with y(t + lag), or the changes of both at the same periods. */
export interface Pairs {
	x: number[];
	y: number[];
	/** Index of each pair (of the x side for lagged pairs). */
	index: number[];
}

/** The two series on the calendar and their inner join, or why they cannot be joined. */
export type Alignment =
	| { ok: true; x: Indexed; y: Indexed; aligned: AlignedPair }
	| { ok: false; code: RefusalCode; reason: string };

/**
 * Puts one series on its grain's calendar. Null and non-finite values are dropped (a missing
 * month is not a zero). Fails on a malformed period, a repeated period, or weeks that do not
 * all start on the same weekday.
 */
export function indexSeries(
	s: Series,
):
	| { ok: true; indexed: Indexed }
	| { ok: false; code: RefusalCode; reason: string } {
	const seen = new Set<number>();
	const rows: { index: number; value: number; period: string }[] = [];
	let weekday: number | null = null;
	for (const point of s.points) {
		const parsed = parsePeriod(point.period, s.grain);
		if (!parsed.ok)
			return {
				ok: false,
				code: "invalid_period",
				reason: `${s.metric}: ${parsed.reason}`,
			};
		if (s.grain === "week") {
			weekday ??= parsed.weekday;
			if (parsed.weekday !== weekday)
				return {
					ok: false,
					code: "invalid_period",
					reason: `${s.metric}: week ${point.period} starts on a different weekday from the others`,
				};
		}
		if (seen.has(parsed.index))
			return {
				ok: false,
				code: "duplicate_period",
				reason: `${s.metric} has more than one value for ${point.period}`,
			};
		seen.add(parsed.index);
		if (point.value === null || !Number.isFinite(point.value)) continue;
		rows.push({
			index: parsed.index,
			value: point.value,
			period: point.period,
		});
	}
	rows.sort((a, b) => a.index - b.index);
	return {
		ok: true,
		indexed: {
			index: rows.map((r) => r.index),
			value: rows.map((r) => r.value),
			period: rows.map((r) => r.period),
		},
	};
}

/** Aligns two series of the same grain on their common periods (inner join, nulls dropped). */
export function alignSeries(x: Series, y: Series): Alignment {
	if (x.grain !== y.grain)
		return {
			ok: false,
			code: "grain_mismatch",
			reason: `${x.metric} is by ${x.grain} but ${y.metric} is by ${y.grain}; compare them on one grain`,
		};
	const ix = indexSeries(x);
	if (!ix.ok) return ix;
	const iy = indexSeries(y);
	if (!iy.ok) return iy;
	const pairs = lagPairs(ix.indexed, iy.indexed, 0);
	const position = new Map(ix.indexed.index.map((k, i) => [k, i]));
	return {
		ok: true,
		x: ix.indexed,
		y: iy.indexed,
		aligned: {
			n: pairs.x.length,
			index: pairs.index,
			period: pairs.index.map(
				(k) => ix.indexed.period[position.get(k) ?? 0] ?? "",
			),
			x: pairs.x,
			y: pairs.y,
		},
	};
}

/** Pairs x at each period t with y at period t + lag, where both exist. */
export function lagPairs(x: Indexed, y: Indexed, lag: number): Pairs {
	const yAt = new Map(y.index.map((k, i) => [k, y.value[i] ?? 0]));
	const out: Pairs = { x: [], y: [], index: [] };
	x.index.forEach((k, i) => {
		const yv = yAt.get(k + lag);
		if (yv === undefined) return;
		out.x.push(x.value[i] ?? 0);
		out.y.push(yv);
		out.index.push(k);
	});
	return out;
}

/**
 * Changes over `step` periods, v(t) − v(t − step), kept only where both periods are present:
 * a gap never turns a two-month change into a "month-to-month" one.
 */
export function differences(
	index: readonly number[],
	value: readonly number[],
	step: number,
): { index: number[]; value: number[] } {
	const at = new Map(index.map((k, i) => [k, value[i] ?? 0]));
	const out = { index: [] as number[], value: [] as number[] };
	index.forEach((k, i) => {
		const before = at.get(k - step);
		if (before === undefined) return;
		out.index.push(k);
		out.value.push((value[i] ?? 0) - before);
	});
	return out;
}

/** Changes over `step` periods of both aligned series, at the periods where both are defined. */
export function pairedDifferences(a: AlignedPair, step: number): Pairs {
	const dx = differences(a.index, a.x, step);
	const dy = differences(a.index, a.y, step);
	// Both come from the same aligned index, so they are defined at the same periods.
	return { x: dx.value, y: dy.value, index: dx.index };
}
