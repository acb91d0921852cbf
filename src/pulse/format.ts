/** Wording helpers for the human sentences evaluation returns. */
import type { Operator } from "./model.ts";

const plain = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });
const onePlace = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });

/** Default number format: up to two decimals, thousands separators ("12,345.6"). */
export function formatNumber(n: number): string {
	if (Number.isNaN(n)) return "not a number";
	if (!Number.isFinite(n)) return n > 0 ? "infinity" : "minus infinity";
	return plain.format(n);
}

/** A percentage with one decimal ("23.5%"). */
export function formatPercent(n: number): string {
	return `${onePlace.format(n)}%`;
}

/** "1 row", "3 rows". */
export function plural(n: number, one: string, many = `${one}s`): string {
	return `${formatNumber(n)} ${n === 1 ? one : many}`;
}

/** How each operator reads when it holds and when it does not ("is below" / "is not below"). */
export const OPERATOR_WORDS: Record<
	Operator,
	{ holds: string; fails: string }
> = {
	">": { holds: "is above", fails: "is not above" },
	">=": { holds: "is at or above", fails: "is below" },
	"<": { holds: "is below", fails: "is not below" },
	"<=": { holds: "is at or below", fails: "is above" },
	"=": { holds: "equals", fails: "does not equal" },
	"!=": { holds: "differs from", fails: "equals" },
};

/** Relative tolerance for `=` and `!=` so 0.1 + 0.2 equals 0.3. */
export const EQUAL_TOLERANCE = 1e-9;

/** Applies a comparison operator; `=`/`!=` compare within EQUAL_TOLERANCE (relative). */
export function compare(a: number, op: Operator, b: number): boolean {
	const equal =
		Math.abs(a - b) <= EQUAL_TOLERANCE * Math.max(1, Math.abs(a), Math.abs(b));
	switch (op) {
		case ">":
			return a > b;
		case ">=":
			return a >= b;
		case "<":
			return a < b;
		case "<=":
			return a <= b;
		case "=":
			return equal;
		case "!=":
			return !equal;
	}
}
