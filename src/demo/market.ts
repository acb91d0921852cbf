/** The market the distributor sells into: how many order lines each day gets, and prices over the years. */
import type { Calendar } from "./dates.ts";
import type { EventPlan } from "./events.ts";
import { Rng } from "./rng.ts";

/** Volume growth per year (price increases come on top: revenue grows ~6–8%/yr). */
const VOLUME_GROWTH = 0.035;
/** Jan … Dec: Q4 peak, summer dip. */
const SEASON = [
	0.9, 0.92, 1.0, 1.0, 1.02, 0.93, 0.84, 0.88, 1.02, 1.1, 1.16, 1.12,
];
/** Sun … Sat: few orders at weekends. */
const WEEKDAY = [0.05, 1.12, 1.1, 1.06, 1.04, 0.95, 0.18];
/** Fixed-date holidays (MM-DD) with almost no orders. */
const HOLIDAYS = new Set(["01-01", "07-04", "12-25", "12-26"]);

/**
 * Cumulative order-line targets: the generator writes invoices on day `start + i` until it has
 * written `targets[i]` lines in total. The last entry equals `lines`.
 */
export function lineTargets(
	seed: number,
	cal: Calendar,
	lines: number,
	plan: EventPlan,
): Float64Array {
	const rng = new Rng(seed, "volume");
	const weights = new Float64Array(cal.days);
	let total = 0;
	for (let i = 0; i < cal.days; i++) {
		const day = cal.start + i;
		const iso = cal.iso(day);
		let w = (1 + VOLUME_GROWTH) ** (i / 365.25);
		w *=
			(SEASON[(cal.month[i] ?? 1) - 1] ?? 1) *
			(WEEKDAY[cal.weekday[i] ?? 0] ?? 1);
		if (HOLIDAYS.has(iso.slice(5))) w *= 0.05;
		if (day >= plan.spike.from && day <= plan.spike.to)
			w *= plan.spike.volumeFactor;
		w *= Math.exp(0.12 * rng.normal());
		weights[i] = w;
		total += w;
	}
	const targets = new Float64Array(cal.days);
	let sum = 0;
	for (let i = 0; i < cal.days; i++) {
		sum += weights[i] ?? 0;
		targets[i] = (sum / total) * lines;
	}
	targets[cal.days - 1] = lines;
	return targets;
}

/** Yearly list-price and unit-cost indexes, 1.0 in the first history year; increases take effect each 1 January. */
export interface PriceIndex {
	firstYear: number;
	price: Float64Array;
	cost: Float64Array;
}

/** 2021–2023 carry the inflation wave; costs run ahead of prices in 2021–2022 (a margin squeeze). */
const INFLATION: Record<number, [number, number]> = {
	2021: [0.05, 0.07],
	2022: [0.08, 0.09],
	2023: [0.05, 0.04],
};

export function priceIndex(
	seed: number,
	firstYear: number,
	lastYear: number,
): PriceIndex {
	const rng = new Rng(seed, "prices");
	const n = lastYear - firstYear + 1;
	const price = new Float64Array(n);
	const cost = new Float64Array(n);
	price[0] = 1;
	cost[0] = 1;
	for (let i = 1; i < n; i++) {
		const base = rng.range(0.022, 0.035);
		const [p, c] = INFLATION[firstYear + i] ?? [base, base - 0.002];
		price[i] = (price[i - 1] ?? 1) * (1 + p);
		cost[i] = (cost[i - 1] ?? 1) * (1 + c + rng.range(-0.004, 0.004));
	}
	return { firstYear, price, cost };
}
