/**
 * The driver sentence of an explanation, one definition for the `explain` command and for metric
 * alerts: "by region, led by West: −1.0 points of −2.5 points (rate −1.4 points, mix +0.4 points);
 * then North −1.0 points, Central −0.4 points". Pure; the caller says how to write an amount.
 */
import { type DimensionDrivers, type Explanation, OTHERS } from "./explain.ts";

/** A signed change in the metric's unit: "−6.1 points" for a percent, else the amount written by `amount`. */
export function signedChange(
	v: number,
	e: Explanation,
	amount: (magnitude: number) => string,
): string {
	const sign = v < 0 ? "−" : "+";
	if (e.metric.unit === "percent")
		return `${sign}${Math.abs(v).toFixed(1)} points`;
	return `${sign}${amount(Math.abs(v))}`;
}

/** The lead member of a dimension and the next two that moved the same way as the total. */
export function driverSentence(
	e: Explanation,
	d: DimensionDrivers,
	amount: (magnitude: number) => string,
): string {
	const delta = (v: number) => signedChange(v, e, amount);
	const b = d.breakdown;
	const top = d.lead;
	if (!top) return `by ${d.dimension}: no member moved with the total`;
	const same = b.members.filter(
		(m) =>
			m !== top &&
			m.member !== OTHERS &&
			Math.sign(m.contribution) === Math.sign(e.total.change),
	);
	const lead = (top.share ?? 0) >= 0.5 ? "mostly" : "led by";
	const rest = same
		.slice(0, 2)
		.map((m) => `${m.member} ${delta(m.contribution)}`);
	const ratio =
		b.kind === "ratio" && top.rate !== undefined && top.mix !== undefined
			? ` (rate ${delta(top.rate)}, mix ${delta(top.mix)})`
			: "";
	const noise = top.withinNormal ? " — within its usual variation" : "";
	return `by ${d.dimension}, ${lead} ${top.member}: ${delta(top.contribution)} of ${delta(e.total.change)}${ratio}${noise}${rest.length ? `; then ${rest.join(", ")}` : ""}`;
}

/** "West" or "region West" for the member an explanation is within. */
export function withinName(e: Explanation): string {
	return e.within ? `${e.within.dimension} ${e.within.value}` : "";
}

/**
 * The explanation in one sentence, for an alert's Why line: the best dimension's driver sentence
 * and, when one member carried most of the change, the best dimension within it ("…; within
 * region West, by category, led by Janitorial: −$30,100 of −$41,200"). An explanation within a
 * member (an alert about West) says so first.
 */
export function explanationSentence(
	e: Explanation,
	amount: (magnitude: number) => string,
): string | null {
	const top = e.dimensions[0];
	if (!top || e.total.change === 0) return null;
	const own = `${e.within ? `within ${withinName(e)}, ` : ""}${driverSentence(e, top, amount)}`;
	const inner = e.drill?.dimensions[0];
	if (!e.drill || !inner) return own;
	return `${own}; within ${withinName(e.drill)}, ${driverSentence(e.drill, inner, amount)}`;
}
