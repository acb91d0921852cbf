import type { ColumnProfile, Row, TableProfile, Value } from "./types.ts";

/** Distinct values kept per column while profiling a CSV table; past this, `distinct` is a lower bound. */
export const DISTINCT_KEPT = 100_000;

/** Reads the one row of `buildProfileSql` (n, c{i}, lo{i}, hi{i}, d{i}), already normalised by the driver mapping. */
export function profileFromRow(
	table: string,
	cols: readonly { name: string; type: string }[],
	row: Row,
): TableProfile {
	const rows = Number(row.n ?? 0);
	return {
		table,
		rows,
		columns: cols.map((c, i): ColumnProfile => {
			const d = row[`d${i}`];
			return {
				name: c.name,
				type: c.type,
				nulls: rows - Number(row[`c${i}`] ?? 0),
				min: scalar(row[`lo${i}`]),
				max: scalar(row[`hi${i}`]),
				distinct: d === null || d === undefined ? 0 : Number(d),
				distinctExact: d !== null && d !== undefined,
			};
		}),
	};
}

function scalar(v: Value | undefined): string | number | null {
	return typeof v === "string" || typeof v === "number" ? v : null;
}

const SHAPES = [
	["boolean", /^(true|false)$/i],
	["integer", /^[+-]?\d+$/],
	["decimal", /^[+-]?(\d+\.?\d*|\.\d+)$/],
	["date", /^\d{4}-\d{2}-\d{2}$/],
	["timestamp", /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/],
] as const;

type Shape = (typeof SHAPES)[number][0];

/** Profiles one column of text values as they stream by, inferring its type from what it sees. */
class ColumnTally {
	nulls = 0;
	readonly #shapes = new Set<Shape>(SHAPES.map(([s]) => s));
	readonly #distinct = new Set<string>();
	#overflow = false;
	#min: string | undefined;
	#max: string | undefined;
	#minNum = Number.POSITIVE_INFINITY;
	#maxNum = Number.NEGATIVE_INFINITY;
	#minNumText: string | undefined;
	#maxNumText: string | undefined;

	add(v: Value): void {
		if (v === null) {
			this.nulls += 1;
			return;
		}
		const s = String(v);
		for (const [shape, re] of SHAPES)
			if (this.#shapes.has(shape) && !re.test(s)) this.#shapes.delete(shape);
		if (this.#distinct.size < DISTINCT_KEPT) this.#distinct.add(s);
		else if (!this.#distinct.has(s)) this.#overflow = true;
		if (this.#min === undefined || s < this.#min) this.#min = s;
		if (this.#max === undefined || s > this.#max) this.#max = s;
		const n = Number(s);
		if (n < this.#minNum) [this.#minNum, this.#minNumText] = [n, s];
		if (n > this.#maxNum) [this.#maxNum, this.#maxNumText] = [n, s];
	}

	profile(name: string): ColumnProfile {
		const type = SHAPES.find(([s]) => this.#shapes.has(s))?.[0] ?? "text";
		const numeric =
			this.#min !== undefined && (type === "integer" || type === "decimal");
		return {
			name,
			type: this.#min === undefined ? "text" : type,
			nulls: this.nulls,
			min: (numeric ? this.#minNumText : this.#min) ?? null,
			max: (numeric ? this.#maxNumText : this.#max) ?? null,
			distinct: this.#distinct.size,
			distinctExact: !this.#overflow,
		};
	}
}

/** A whole-table profile computed in one pass over streamed rows (CSV, where no engine does it). */
export class RowProfiler {
	readonly #columns: string[];
	readonly #tallies: ColumnTally[];
	#rows = 0;

	constructor(columns: readonly string[]) {
		this.#columns = [...columns];
		this.#tallies = columns.map(() => new ColumnTally());
	}

	add(row: Row): void {
		this.#rows += 1;
		this.#columns.forEach((c, i) => {
			this.#tallies[i]?.add(row[c] ?? null);
		});
	}

	result(table: string): TableProfile {
		return {
			table,
			rows: this.#rows,
			columns: this.#columns.map((c, i) =>
				(this.#tallies[i] as ColumnTally).profile(c),
			),
		};
	}
}
