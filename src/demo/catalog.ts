/**
 * Master data of the demo ERP: branches, sales reps, customers and items. Small (tens of
 * thousands of rows at most), built in memory from (seed, lines, endDate) before the invoices
 * stream; `plantedEvents` rebuilds it to name the same entities the generator uses.
 */
import { buildCustomers } from "./customers.ts";
import { historyStart } from "./dates.ts";
import { buildItems } from "./items.ts";
import {
	BRANCHES,
	type Customer,
	DEFAULT_LINES,
	HISTORY_YEARS,
	type Item,
	type Rep,
	type Slot,
} from "./model.ts";
import {
	FIRST_NAMES,
	LAST_NAMES,
	repNameKey,
	repNameVariants,
	repVariantWeights,
} from "./names.ts";
import { cumulative, Rng } from "./rng.ts";

export interface Catalog {
	seed: number;
	lines: number;
	startDay: number;
	endDay: number;
	reps: Rep[];
	slots: Slot[];
	customers: Customer[];
	items: Item[];
}

/** Customers grow with the square root of the order lines; items and sales territories more slowly. */
export function scaleCounts(lines: number): {
	customers: number;
	items: number;
	salesSlots: number;
} {
	const f = lines / DEFAULT_LINES;
	return {
		customers: Math.max(60, Math.round(2900 * Math.sqrt(f))),
		items: Math.min(3000, Math.max(60, Math.round(400 * f ** 0.3))),
		salesSlots: Math.min(
			60,
			Math.max(BRANCHES.length, Math.round(24 * f ** 0.15)),
		),
	};
}

export function buildCatalog(
	seed: number,
	lines: number,
	endDay: number,
): Catalog {
	const startDay = historyStart(endDay, HISTORY_YEARS);
	const counts = scaleCounts(lines);
	const slots = buildSlots(
		new Rng(seed, "reps"),
		counts.salesSlots,
		startDay,
		endDay,
	);
	const customers = buildCustomers(
		new Rng(seed, "customers"),
		counts.customers,
		slots,
		startDay,
		endDay,
	);
	const items = buildItems(
		new Rng(seed, "items"),
		counts.items,
		startDay,
		endDay,
	);
	return {
		seed,
		lines,
		startDay,
		endDay,
		reps: slots.flatMap((s) => s.reps),
		slots,
		customers,
		items,
	};
}

/**
 * Sales territories per branch (by branch size, at least one each). A third of them change
 * hands once during the history, a few twice: ~32 reps at the default scale.
 */
function buildSlots(
	rng: Rng,
	total: number,
	startDay: number,
	endDay: number,
): Slot[] {
	const weightSum = BRANCHES.reduce((sum, b) => sum + b.weight, 0);
	const slots: Slot[] = [];
	const usedKeys = new Set<string>();
	let nextId = 101;
	for (let b = 0; b < BRANCHES.length; b++) {
		const perBranch = Math.max(
			1,
			Math.round(((BRANCHES[b]?.weight ?? 1) * total) / weightSum),
		);
		for (let s = 0; s < perBranch; s++) {
			const changes = rng.chance(0.33) ? (rng.chance(0.15) ? 2 : 1) : 0;
			const terms = Array.from({ length: changes }, () =>
				rng.int(startDay + 365, endDay - 60),
			)
				.sort((x, y) => x - y)
				.filter((t, i, all) => i === 0 || t - (all[i - 1] ?? 0) > 180);
			const reps: Rep[] = [];
			let hire = startDay - rng.int(180, 3650);
			for (const term of terms) {
				reps.push(newRep(rng, nextId++, b, hire, term, usedKeys));
				hire = term + 1;
			}
			reps.push(newRep(rng, nextId++, b, hire, null, usedKeys));
			slots.push({ branch: b, reps });
		}
	}
	return slots;
}

function newRep(
	rng: Rng,
	id: number,
	branch: number,
	hireDay: number,
	termDay: number | null,
	used: Set<string>,
): Rep {
	let first: string;
	let last: string;
	do {
		first = rng.pick(FIRST_NAMES);
		last = rng.pick(LAST_NAMES);
	} while (used.has(repNameKey(`${first} ${last}`)));
	used.add(repNameKey(`${first} ${last}`));
	const variants = repNameVariants(first, last);
	return {
		id,
		name: variants[0] ?? first,
		branch,
		hireDay,
		termDay,
		variants,
		variantCum: cumulative(repVariantWeights(rng)),
	};
}

/** The rep holding `slot` on `day` (the first one before their hire date, the last one after). */
export function repAt(slot: Slot, day: number): Rep {
	const reps = slot.reps;
	for (let i = reps.length - 1; i > 0; i--) {
		const r = reps[i] as Rep;
		if (r.hireDay <= day) return r;
	}
	return reps[0] as Rep;
}
