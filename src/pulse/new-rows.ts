/**
 * The new_rows condition: fire when the query returns rows whose key was not seen in earlier
 * runs. The first run only records a baseline. Keys that appear without firing (fewer than
 * `minNew`) stay unseen, so they add up until the condition fires.
 */
import { formatNumber, plural } from "./format.ts";
import type { ConditionState, Evaluation, EvaluationInput } from "./input.ts";
import type { NewRowsCondition } from "./model.ts";

/**
 * Keys remembered between runs, newest first. 10,000 short keys is well under a megabyte of
 * jsonb; a query that returns more distinct keys than this should be narrowed (a date window),
 * or keys that fall off the end will be reported as new again.
 */
export const MAX_SEEN_KEYS = 10_000;
/** New keys named in the sentence; the rest are counted. */
const SHOWN_KEYS = 5;

function keyText(v: unknown): string | null {
	if (v === null || v === undefined) return null;
	if (v instanceof Date) return v.toISOString();
	return typeof v === "object" ? JSON.stringify(v) : String(v);
}

export function evaluateNewRows(
	c: NewRowsCondition,
	input: EvaluationInput,
): Evaluation {
	const col = input.keyColumn;
	const rows = input.rows ?? [];
	if (!col)
		return {
			breached: false,
			observed: null,
			detail: "new rows cannot be told apart without a key column",
			error: "no keyColumn",
		};
	const first = rows[0];
	if (first && !(col in first))
		return {
			breached: false,
			observed: null,
			detail: `the query has no column "${col}"`,
			error: `the query has no column "${col}"`,
		};
	const keys = [...new Set(rows.flatMap((r) => keyText(r[col]) ?? []))];
	const note =
		keys.length > MAX_SEEN_KEYS
			? ` (only the first ${formatNumber(MAX_SEEN_KEYS)} keys are remembered)`
			: "";
	if (!input.previous)
		return {
			breached: false,
			observed: 0,
			expected: c.minNew,
			state: { seenKeys: keys.slice(0, MAX_SEEN_KEYS) },
			detail: `first run: recorded ${plural(keys.length, "key")} of ${col} as the baseline; later runs fire on keys not seen before${note}`,
		};
	const seen = new Set(input.previous.seenKeys);
	const newKeys = keys.filter((k) => !seen.has(k));
	const breached = newKeys.length >= c.minNew;
	const remembered = breached ? keys : keys.filter((k) => seen.has(k));
	return {
		breached,
		observed: newKeys.length,
		expected: c.minNew,
		newKeys,
		state: nextState(remembered, input.previous),
		detail: sentence(newKeys, col, c.minNew, breached) + note,
	};
}

function nextState(
	current: string[],
	previous: ConditionState,
): ConditionState {
	const now = new Set(current);
	const older = previous.seenKeys.filter((k) => !now.has(k));
	return { seenKeys: [...current, ...older].slice(0, MAX_SEEN_KEYS) };
}

function sentence(
	newKeys: string[],
	col: string,
	minNew: number,
	breached: boolean,
): string {
	if (newKeys.length === 0) return `no new rows by ${col}`;
	const shown = newKeys.slice(0, SHOWN_KEYS).join(", ");
	const more =
		newKeys.length > SHOWN_KEYS
			? ` and ${formatNumber(newKeys.length - SHOWN_KEYS)} more`
			: "";
	const head = `${plural(newKeys.length, "new row")} by ${col}: ${shown}${more}`;
	return breached
		? head
		: `${head}; fewer than the ${formatNumber(minNew)} needed to fire`;
}
