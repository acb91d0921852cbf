/**
 * Feedback that tunes. After enough false alarms (default: at least 3, and precision
 * TP / (TP + FP) below 50%), find the threshold, change limit or z cut-off that would have kept
 * every alert marked real and dropped as many false alarms as possible on the monitor's own
 * history, and explain it. Only loosening is ever proposed: the limit moves past the false
 * alarms towards the real ones, so runs that did not alert would not start to.
 *
 * Every condition is mapped to a score that fires at or above a limit (`<` on the value is
 * `>` on its negation); the limit is chosen as the roundest number between the worst droppable
 * false alarm and the mildest real alert, then re-checked against the history.
 */
import type { Verdict } from "./alert.ts";
import { zCutoff } from "./anomaly.ts";
import { formatNumber } from "./format.ts";
import { type Condition, SENSITIVITY_Z, type Sensitivity } from "./model.ts";
import { directed } from "./stats.ts";

/** One logged run of a monitor. */
export interface LoggedRun {
	/** The evaluation's observed value: the value (threshold) or the % change (change); null for a change from zero. */
	observed: number | null;
	/** Anomaly runs: the robust z-score the evaluation returned as `score`. */
	score?: number | null;
	breached: boolean;
	feedback: Verdict | null;
}

/** When tuning kicks in. */
export interface TuningOptions {
	/** Minimum number of false alarms before proposing anything (default 3). */
	minFalseAlarms?: number;
	/** Propose only while precision is below this (default 0.5). */
	precisionBelow?: number;
}

/** A proposed new limit, in the condition's own units, with what it would have done. */
export interface TuningProposal {
	from: number;
	to: number;
	/** The condition with the new limit, ready to save. */
	condition: Condition;
	keptReal: number;
	droppedFalse: number;
	remainingFalse: number;
	/** Alerts nobody gave feedback on that the new limit would also have dropped. */
	droppedUnmarked: number;
	explanation: string;
}

export type TuningResult =
	| { proposal: TuningProposal }
	| { proposal: null; reason: string };

/** TP / (TP + FP); null before any feedback. */
export function precision(
	truePositives: number,
	falsePositives: number,
): number | null {
	const n = truePositives + falsePositives;
	return n === 0 ? null : truePositives / n;
}

/** A condition seen as "score at (or above, when !strict) limit fires". */
interface Scale {
	limit: number;
	strict: boolean;
	score: (run: LoggedRun) => number | null;
	toCondition: (limit: number) => Condition;
	fromLimit: (limit: number) => number;
	noun: string;
}

function scaleOf(c: Condition): Scale | string {
	if (c.kind === "threshold") {
		const sign = c.operator === ">" || c.operator === ">=" ? 1 : -1;
		if (c.operator === "=" || c.operator === "!=")
			return `a threshold with ${c.operator} has no direction to loosen`;
		return {
			limit: sign * c.value,
			strict: c.operator === ">" || c.operator === "<",
			score: (r) => (r.observed === null ? null : sign * r.observed),
			toCondition: (l) => ({ ...c, value: sign * l }),
			fromLimit: (l) => sign * l,
			noun: "threshold",
		};
	}
	if (c.kind === "change")
		return {
			limit: c.percent,
			strict: false,
			score: (r) =>
				r.observed === null
					? Number.POSITIVE_INFINITY
					: directed(c.direction, r.observed),
			toCondition: (l) => ({ ...c, percent: l }),
			fromLimit: (l) => l,
			noun: "change limit (%)",
		};
	if (c.kind === "anomaly")
		return {
			limit: zCutoff(c),
			strict: false,
			score: (r) =>
				r.score === null || r.score === undefined
					? null
					: directed(c.direction, r.score),
			toCondition: (l) => anomalyWithCutoff(c, l),
			fromLimit: (l) => l,
			noun: "z cut-off",
		};
	return `"${c.kind}" conditions have no threshold to tune`;
}

function anomalyWithCutoff(
	c: Extract<Condition, { kind: "anomaly" }>,
	z: number,
): Condition {
	const named = (Object.keys(SENSITIVITY_Z) as Sensitivity[]).find(
		(k) => SENSITIVITY_Z[k] === z,
	);
	const { zThreshold: _, ...rest } = c;
	return named ? { ...rest, sensitivity: named } : { ...rest, zThreshold: z };
}

const fires = (s: Scale, score: number, limit: number) =>
	s.strict ? score > limit : score >= limit;

/** Proposes a looser limit from a monitor's logged runs, or says why not. */
export function proposeTuning(
	condition: Condition,
	history: readonly LoggedRun[],
	options: TuningOptions = {},
): TuningResult {
	const minFalse = options.minFalseAlarms ?? 3;
	const below = options.precisionBelow ?? 0.5;
	const alerts = history.filter((r) => r.breached);
	const tp = alerts.filter((r) => r.feedback === "real").length;
	const fp = alerts.filter((r) => r.feedback === "false_alarm").length;
	if (fp < minFalse)
		return {
			proposal: null,
			reason: `${fp} false alarm${fp === 1 ? "" : "s"} so far; tuning waits for ${minFalse}`,
		};
	const p = precision(tp, fp) ?? 0;
	if (p >= below)
		return {
			proposal: null,
			reason: `precision is ${pct(p)}, not below ${pct(below)}; no tuning needed`,
		};
	const scale = scaleOf(condition);
	if (typeof scale === "string") return { proposal: null, reason: scale };
	const scored = (v: Verdict | null) =>
		alerts
			.filter((r) => r.feedback === v)
			.flatMap((r) => {
				const s = scale.score(r);
				return s === null ? [] : [s];
			});
	const real = scored("real");
	const falses = scored("false_alarm");
	const minReal = real.length ? Math.min(...real) : Number.POSITIVE_INFINITY;
	const droppable = falses.filter((f) => f < minReal);
	if (droppable.length === 0)
		return {
			proposal: null,
			reason: `every false alarm was at least as extreme as the mildest real alert (${formatNumber(scale.fromLimit(minReal))}), so no ${scale.noun} keeps all real alerts and drops a false one`,
		};
	const worstFalse = Math.max(...droppable);
	const upper = Number.isFinite(minReal)
		? minReal
		: worstFalse + Math.max(Math.abs(worstFalse) * 0.25, 1);
	const limit = chooseLimit(
		condition,
		scale,
		worstFalse,
		upper,
		Number.isFinite(minReal),
	);
	return { proposal: describe(scale, limit, alerts, tp, fp) };
}

/** The roundest limit that drops `worstFalse` and keeps `upper` (when `keepUpper`). */
function chooseLimit(
	c: Condition,
	s: Scale,
	worstFalse: number,
	upper: number,
	keepUpper: boolean,
): number {
	// strict (score > L): L in [worstFalse, upper); otherwise (score >= L): L in (worstFalse, upper].
	const ok = (l: number) =>
		(s.strict ? l >= worstFalse : l > worstFalse) &&
		(s.strict || !keepUpper ? l < upper : l <= upper);
	if (c.kind === "anomaly") {
		const named = Object.values(SENSITIVITY_Z).filter(ok);
		if (named.length) return Math.max(...named);
	}
	return niceBetween(worstFalse, upper, ok);
}

/** The value with the fewest significant digits that `ok` accepts, nearest the middle of [lo, hi]. */
export function niceBetween(
	lo: number,
	hi: number,
	ok: (x: number) => boolean,
): number {
	const mid = (lo + hi) / 2;
	const top =
		Math.ceil(Math.log10(Math.max(Math.abs(lo), Math.abs(hi), 1e-9))) + 1;
	for (let k = top; k > top - 15; k--) {
		for (const m of [1, 0.5]) {
			const step = m * 10 ** k;
			const near = Math.round(mid / step);
			const found = [
				near,
				near - 1,
				near + 1,
				Math.ceil(lo / step),
				Math.floor(hi / step),
			]
				.map((i) => Number((i * step).toPrecision(12)))
				.filter(ok)
				.sort((a, b) => Math.abs(a - mid) - Math.abs(b - mid));
			if (found.length) return found[0] as number;
		}
	}
	return ok(mid) ? mid : hi;
}

function describe(
	s: Scale,
	limit: number,
	alerts: readonly LoggedRun[],
	tp: number,
	fp: number,
): TuningProposal {
	let keptReal = 0;
	let droppedFalse = 0;
	let droppedUnmarked = 0;
	for (const r of alerts) {
		const score = s.score(r);
		const kept = score === null || fires(s, score, limit);
		if (r.feedback === "real" && kept) keptReal++;
		if (r.feedback === "false_alarm" && !kept) droppedFalse++;
		if (r.feedback === null && !kept) droppedUnmarked++;
	}
	const from = s.fromLimit(s.limit);
	const to = s.fromLimit(limit);
	const remainingFalse = fp - droppedFalse;
	const verb = to > from ? "Raising" : "Lowering";
	const after = precision(keptReal, remainingFalse) ?? 0;
	const unmarked = droppedUnmarked
		? ` It would also have dropped ${droppedUnmarked} alert${droppedUnmarked === 1 ? "" : "s"} nobody marked.`
		: "";
	const left = remainingFalse
		? ` ${remainingFalse} false alarm${remainingFalse === 1 ? " was" : "s were"} as extreme as a real alert and would remain.`
		: "";
	return {
		from,
		to,
		condition: s.toCondition(limit),
		keptReal,
		droppedFalse,
		remainingFalse,
		droppedUnmarked,
		explanation: `${verb} the ${s.noun} from ${formatNumber(from)} to ${formatNumber(to)} would have kept all ${tp} real alert${tp === 1 ? "" : "s"} and dropped ${droppedFalse} of ${fp} false alarms, taking precision from ${pct(precision(tp, fp) ?? 0)} to ${pct(after)} on this history.${left}${unmarked}`,
	};
}

function pct(p: number): string {
	return `${Math.round(p * 100)}%`;
}
