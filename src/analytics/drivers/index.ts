/**
 * "Why did it change?": the pure driver engine. Given a metric's figures per member of one
 * dimension (region, category, customer …) in a current and a comparison period, it says how much
 * of the change each member accounts for, ranked, and — for a ratio — how much is each member's
 * own rate moving versus weight shifting between members (mix). No I/O: the caller fetches the
 * per-member figures and hands them in.
 *
 * Definitions (every decomposition sums exactly to the change of the total):
 * - **Additive metrics** (revenue, margin, units, orders …): a member's contribution is its own
 *   change, Δtotal = Σ Δmember.
 * - **Ratio metrics** (margin %, average order value, win rate …), total R = ΣN ÷ ΣD with member
 *   weights w = D ÷ ΣD and rates r = N ÷ D, so R = Σ w·r. With w̄, r̄ the midpoints of the two
 *   periods and R̄ the midpoint of the totals, the symmetric shift-share split is exact:
 *   ΔR = Σ w̄·Δr (rate: members' own ratios moved) + Σ (r̄ − R̄)·Δw (mix: weight moved towards
 *   members above or below the average). A member new in the current period (or gone from it)
 *   has no rate of its own in the other period: its rate there is taken as equal, so all of its
 *   effect is mix.
 * - **Distinct counts** (active customers …) are split like additive metrics by member; members
 *   can overlap (a customer buying in two regions), so their changes need not sum to the total's
 *   and the result says so (`overlap`).
 * - A dimension's **concentration** is Σ sᵢ² over the members' shares sᵢ of the summed absolute
 *   contributions: 1 when one member explains everything, 1/n when n members share it evenly.
 * - A member's **surprise** is its contribution minus what it would contribute if every member had
 *   moved alike (its mid-period weight × the total's change: the share of the two periods' total
 *   for an additive metric, the mean weight w̄ for a ratio). Surprises sum to 0. A dimension's
 *   **specificity** is Σ|surprise| ÷ (2·|Δtotal|): 0 when every member moved in proportion (the
 *   dimension says nothing — a big member merely carries a big share), up to 1 when the change sits
 *   in members that moved against the rest. Dimensions are ranked by it, then by concentration: a
 *   dominant segment that fell like everyone else does not outrank the one region that fell alone.
 * - A member's change is **within normal variation** when it is no larger than twice the median
 *   absolute period-to-period change of its own history (at least 4 earlier changes needed).
 */

import { median } from "../../pulse/stats.ts";

/** One member's figures in the comparison (previous) and current periods. */
export interface AdditiveMember {
	member: string;
	previous: number;
	current: number;
	/** Earlier periods' values, oldest first, for the noise check (optional). */
	history?: readonly number[];
}

/** A ratio member: numerator and denominator in both periods (margin and net sales, …). */
export interface RatioMember {
	member: string;
	previous: { numerator: number; denominator: number };
	current: { numerator: number; denominator: number };
	history?: readonly number[];
}

export type MemberStatus = "both" | "new" | "gone";

export interface Contribution {
	member: string;
	status: MemberStatus;
	previous: number | null;
	current: number | null;
	/** What this member adds to the change of the total, in the metric's unit. */
	contribution: number;
	/** contribution ÷ the total's change; null when the total did not change. */
	share: number | null;
	/** Ratios only: the parts of `contribution` from the member's own rate and from mix. */
	rate?: number;
	mix?: number;
	/** The member's usual period-to-period change (2 × median |Δ| of its history), when known. */
	typicalChange?: number;
	/** True when the change is within the member's usual variation: not a driver to act on. */
	withinNormal?: boolean;
	/** The member's volume in each period (the ratio's denominator, or its own value). */
	volume: { previous: number; current: number };
	/** contribution − (the member's mid-period weight × the total's change): what is specific to it. */
	surprise: number;
}

export interface Breakdown {
	kind: "additive" | "ratio" | "distinct";
	total: { previous: number | null; current: number | null; change: number };
	/** Members by |contribution|, largest first. */
	members: Contribution[];
	/** Ratios: the sum of all members' rate and mix effects. */
	rate?: number;
	mix?: number;
	/** Ratios: which effect is larger in size. */
	dominant?: "rate" | "mix";
	concentration: number;
	/** Σ|surprise| ÷ (2·|Δtotal|): how far the change is from every member moving alike (0 to 1). */
	specificity: number;
	/** Distinct counts: Σ member changes − the total's change (0 when members do not overlap). */
	overlap?: number;
}

const NOISE_FACTOR = 2;
const MIN_HISTORY_CHANGES = 4;

/** 2 × the median absolute change between consecutive earlier values, or undefined. */
export function typicalChange(
	history: readonly number[] | undefined,
): number | undefined {
	if (!history || history.length < MIN_HISTORY_CHANGES + 1) return undefined;
	const changes: number[] = [];
	for (let i = 1; i < history.length; i++)
		changes.push(Math.abs((history[i] as number) - (history[i - 1] as number)));
	return NOISE_FACTOR * median(changes);
}

function status(previous: number, current: number): MemberStatus {
	if (previous === 0 && current !== 0) return "new";
	if (current === 0 && previous !== 0) return "gone";
	return "both";
}

/** A member that appeared or vanished is news whatever its history: never "within normal". */
function noise(
	change: number,
	history: readonly number[] | undefined,
	was: MemberStatus,
): Pick<Contribution, "typicalChange" | "withinNormal"> {
	const typical = typicalChange(history);
	return typical === undefined
		? {}
		: {
				typicalChange: typical,
				withinNormal: was === "both" && Math.abs(change) <= typical,
			};
}

/** Σ s² of the members' shares of the summed absolute contributions (0 when nothing moved). */
export function concentration(contributions: readonly number[]): number {
	const total = contributions.reduce((a, c) => a + Math.abs(c), 0);
	if (total === 0) return 0;
	return contributions.reduce((a, c) => a + (Math.abs(c) / total) ** 2, 0);
}

function ranked(members: Contribution[]): Contribution[] {
	return members.sort(
		(a, b) =>
			Math.abs(b.contribution) - Math.abs(a.contribution) ||
			a.member.localeCompare(b.member),
	);
}

/** An additive metric (or, with `distinct`, a distinct count whose members may overlap). */
export function additiveBreakdown(
	members: readonly AdditiveMember[],
	opts: { distinct?: { previous: number; current: number } } = {},
): Breakdown {
	const previous = members.reduce((a, m) => a + m.previous, 0);
	const current = members.reduce((a, m) => a + m.current, 0);
	const total = opts.distinct ?? { previous, current };
	const change = total.current - total.previous;
	const both = previous + current;
	const memberChange = current - previous;
	const out = members.map(
		(m): Contribution => ({
			member: m.member,
			status: status(m.previous, m.current),
			previous: m.previous,
			current: m.current,
			contribution: m.current - m.previous,
			share: change === 0 ? null : (m.current - m.previous) / change,
			volume: { previous: m.previous, current: m.current },
			surprise:
				m.current -
				m.previous -
				(both === 0 ? 0 : ((m.previous + m.current) / both) * memberChange),
			...noise(
				m.current - m.previous,
				m.history,
				status(m.previous, m.current),
			),
		}),
	);
	return {
		kind: opts.distinct ? "distinct" : "additive",
		total: { previous: total.previous, current: total.current, change },
		members: ranked(out),
		concentration: concentration(out.map((m) => m.contribution)),
		specificity: specificity(out, memberChange),
		...(opts.distinct ? { overlap: current - previous - change } : {}),
	};
}

/** A ratio metric: each member's rate and mix effects, summing exactly to the total's change. */
export function ratioBreakdown(members: readonly RatioMember[]): Breakdown {
	const sum = (k: "previous" | "current", part: "numerator" | "denominator") =>
		members.reduce((a, m) => a + m[k][part], 0);
	const D0 = sum("previous", "denominator");
	const D1 = sum("current", "denominator");
	const R0 = D0 === 0 ? null : sum("previous", "numerator") / D0;
	const R1 = D1 === 0 ? null : sum("current", "numerator") / D1;
	if (R0 === null || R1 === null)
		return {
			kind: "ratio",
			total: { previous: R0, current: R1, change: 0 },
			members: [],
			concentration: 0,
			specificity: 0,
		};
	const change = R1 - R0;
	const Rbar = (R0 + R1) / 2;
	let rateTotal = 0;
	let mixTotal = 0;
	const out = members.map((m): Contribution => {
		const w0 = m.previous.denominator / D0;
		const w1 = m.current.denominator / D1;
		const own0 =
			m.previous.denominator === 0
				? null
				: m.previous.numerator / m.previous.denominator;
		const own1 =
			m.current.denominator === 0
				? null
				: m.current.numerator / m.current.denominator;
		// A member present in one period only has no rate in the other: take it as unchanged.
		const r0 = own0 ?? own1 ?? 0;
		const r1 = own1 ?? own0 ?? 0;
		const rate = ((w0 + w1) / 2) * (r1 - r0);
		const mix = ((r0 + r1) / 2 - Rbar) * (w1 - w0);
		rateTotal += rate;
		mixTotal += mix;
		return {
			member: m.member,
			status: status(m.previous.denominator, m.current.denominator),
			previous: own0,
			current: own1,
			contribution: rate + mix,
			share: change === 0 ? null : (rate + mix) / change,
			rate,
			mix,
			volume: {
				previous: m.previous.denominator,
				current: m.current.denominator,
			},
			surprise: rate + mix - ((w0 + w1) / 2) * change,
			...noise(
				r1 - r0,
				m.history,
				status(m.previous.denominator, m.current.denominator),
			),
		};
	});
	return {
		kind: "ratio",
		total: { previous: R0, current: R1, change },
		members: ranked(out),
		rate: rateTotal,
		mix: mixTotal,
		dominant: Math.abs(rateTotal) >= Math.abs(mixTotal) ? "rate" : "mix",
		concentration: concentration(out.map((m) => m.contribution)),
		specificity: specificity(out, change),
	};
}

/** Σ|surprise| ÷ (2·|change|), 0 when nothing changed. */
function specificity(members: readonly Contribution[], change: number): number {
	if (change === 0) return 0;
	return (
		members.reduce((a, m) => a + Math.abs(m.surprise), 0) /
		(2 * Math.abs(change))
	);
}

/** Dimensions ranked by how specific their change is, then how concentrated (the one that explains it best first). */
export function rankDimensions<T extends { breakdown: Breakdown }>(
	dimensions: readonly T[],
): T[] {
	return [...dimensions].sort(
		(a, b) =>
			b.breakdown.specificity - a.breakdown.specificity ||
			b.breakdown.concentration - a.breakdown.concentration,
	);
}
