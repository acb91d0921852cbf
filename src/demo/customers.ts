/** AR_CUSTOMER: acquisition over time, Pareto sizes, churn. */
import { BRANCHES, type Customer, INDUSTRY_SHARE, type Slot } from "./model.ts";
import { customerName } from "./names.ts";
import { cumulative, type Rng } from "./rng.ts";

/** Share of the customers that already existed when the history starts (migrated accounts). */
const INITIAL_SHARE = 0.42;
/** Yearly growth of new-customer acquisition. */
const ACQUISITION_GROWTH = 0.05;
/** Key accounts (by weight) that never churn. */
const RETAINED_TOP = 30;
/** Days between the last order and the account being flagged inactive. */
export const CHURN_FLAG_LAG = 90;

interface Draft {
	createdDay: number;
	weight: number;
	industry: number;
	branch: number;
	slot: number;
}

export function buildCustomers(
	rng: Rng,
	count: number,
	slots: Slot[],
	startDay: number,
	endDay: number,
): Customer[] {
	const industryCum = cumulative(INDUSTRY_SHARE);
	const branchCum = cumulative(BRANCHES.map((b) => b.weight));
	const slotsByBranch = BRANCHES.map((_, b) =>
		slots.flatMap((s, i) => (s.branch === b ? [i] : [])),
	);
	const drafts: Draft[] = [];
	for (let i = 0; i < count; i++) {
		const branch = rng.pickCumulative(branchCum);
		drafts.push({
			createdDay: createdDay(rng, startDay, endDay),
			weight: Math.min(150, (1 - rng.next()) ** (-1 / 1.2)),
			industry: rng.pickCumulative(industryCum),
			branch,
			slot: rng.pick(slotsByBranch[branch] ?? [0]),
		});
	}
	drafts.sort((a, b) => a.createdDay - b.createdDay);
	const retained = new Set(
		drafts
			.map((d, i) => [d.weight, i] as const)
			.sort((a, b) => b[0] - a[0])
			.slice(0, RETAINED_TOP)
			.map(([, i]) => i),
	);
	const names = new Set<string>();
	let number = rng.int(100, 900);
	return drafts.map((d, idx) => {
		number += rng.int(1, 3);
		return finish(
			rng,
			d,
			idx,
			`C${String(number).padStart(6, "0")}`,
			uniqueName(rng, d.industry, names),
			{
				retained: retained.has(idx),
				startDay,
				endDay,
			},
		);
	});
}

function createdDay(rng: Rng, startDay: number, endDay: number): number {
	if (rng.chance(INITIAL_SHARE)) return startDay - rng.int(1, 8 * 365);
	const span = endDay - startDay;
	const k = Math.log(1 + ACQUISITION_GROWTH) / 365;
	return (
		startDay +
		Math.floor(Math.log(1 + rng.next() * (Math.exp(k * span) - 1)) / k)
	);
}

function uniqueName(rng: Rng, industry: number, used: Set<string>): string {
	let name = customerName(rng, industry);
	for (let n = 2; used.has(name); n++)
		name = `${customerName(rng, industry)}${n > 4 ? ` #${n}` : ""}`;
	used.add(name);
	return name;
}

function finish(
	rng: Rng,
	d: Draft,
	idx: number,
	custNo: string,
	name: string,
	ctx: { retained: boolean; startDay: number; endDay: number },
): Customer {
	const tier = Math.min(1, Math.log(d.weight) / Math.log(150));
	const lifeYears = 9 * (1 + 0.6 * tier);
	const stop = ctx.retained
		? Number.POSITIVE_INFINITY
		: Math.max(d.createdDay, ctx.startDay) +
			Math.round(rng.exp(lifeYears * 365));
	const stopDay = stop > ctx.endDay ? Number.POSITIVE_INFINITY : stop;
	const flag = stopDay + CHURN_FLAG_LAG;
	return {
		idx,
		custNo,
		name,
		industry: d.industry,
		branch: d.branch,
		slot: d.slot,
		createdDay: d.createdDay,
		stopDay,
		churnDay: flag <= ctx.endDay ? flag : null,
		weight: d.weight,
		sizeFactor: 1 + 1.5 * tier,
		meanLines: 2.2 + 3 * tier + rng.range(-0.4, 0.4),
		discount: 0.02 + 0.07 * tier + rng.range(0, 0.03),
		creditLimit:
			Math.round((2500 * d.weight ** 0.7 * rng.range(0.8, 1.3)) / 500) * 500,
	};
}
