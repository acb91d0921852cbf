/** IC_ITEM: the product master, with launches and discontinuations over the years. */
import { CATEGORIES, type Item, round2 } from "./model.ts";
import { itemDescription } from "./names.ts";
import { cumulative, type Rng } from "./rng.ts";

/** Share of the items already sold when the history starts. */
const INITIAL_SHARE = 0.72;
const DISCONTINUED_SHARE = 0.12;

export function buildItems(
	rng: Rng,
	count: number,
	startDay: number,
	endDay: number,
): Item[] {
	const categoryCum = cumulative(CATEGORIES.map((c) => c.share));
	const used = new Set<string>();
	const drafts: Omit<Item, "idx" | "itemNo">[] = [];
	for (let i = 0; i < count; i++) {
		const category = rng.pickCumulative(categoryCum);
		drafts.push(
			draftItem(
				rng,
				category,
				uniqueDescription(rng, category, used),
				startDay,
				endDay,
			),
		);
	}
	drafts.sort((a, b) => a.launchDay - b.launchDay);
	let number = 10000 + rng.int(0, 99);
	return drafts.map((d, idx) => {
		number += rng.int(1, 7);
		return { idx, itemNo: `ITM-${number}`, ...d };
	});
}

function uniqueDescription(
	rng: Rng,
	category: number,
	used: Set<string>,
): string {
	let text = itemDescription(rng, category);
	for (let n = 2; used.has(text); n++)
		text =
			n > 6
				? `${itemDescription(rng, category)} V${n}`
				: itemDescription(rng, category);
	used.add(text);
	return text;
}

function draftItem(
	rng: Rng,
	category: number,
	description: string,
	startDay: number,
	endDay: number,
): Omit<Item, "idx" | "itemNo"> {
	const c =
		CATEGORIES[category] ?? (CATEGORIES[0] as (typeof CATEGORIES)[number]);
	const launchDay = rng.chance(INITIAL_SHARE)
		? startDay - rng.int(30, 10 * 365)
		: rng.int(startDay, endDay - 30);
	const disc = rng.chance(DISCONTINUED_SHARE)
		? Math.max(launchDay, startDay) + rng.int(365, 9 * 365)
		: Number.POSITIVE_INFINITY;
	const baseCost = round2(
		Math.exp(rng.range(Math.log(c.cost[0]), Math.log(c.cost[1]))),
	);
	const leadTimeStdDays = rng.int(c.leadTime[0], c.leadTime[1]);
	const troubled = rng.chance(0.08);
	return {
		description,
		category,
		baseCost,
		baseList: round2(baseCost / (1 - c.listMargin - rng.range(-0.04, 0.04))),
		leadTimeDays:
			leadTimeStdDays + (troubled ? rng.int(7, 14) : rng.int(-2, 3)),
		leadTimeStdDays,
		storageCostPct: round2(rng.range(c.storagePct[0], c.storagePct[1])),
		orderCost: round2(rng.range(35, 120)),
		launchDay,
		discontinueDay: disc < endDay ? disc : Number.POSITIVE_INFINITY,
		popularity: Math.min(40, (1 - rng.next()) ** (-1 / 1.4)),
		baseQty: rng.range(c.qty[0], c.qty[1]),
		fractional: category !== 8 && rng.chance(0.15),
		safetyDays: rng.int(3, 10),
	};
}
