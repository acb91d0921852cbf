/**
 * The header block of a library query (sql/library/<name>.sql): leading `-- key: value` comment
 * lines that say what the query is and which parameters it takes, and the `:name` placeholders
 * of its body turned into `$n` parameters. Pure: text in, definition out.
 *
 *   -- title: Revenue by month
 *   -- description: Net sales, orders and customers per month.
 *   -- category: revenue
 *   -- param: since date = 1900-01-01 | First day included
 *   -- param: limit int(1..1000) = 20 | Rows to show
 *   -- param: region text = null | Only this region (default: every region)
 *
 * A parameter without a default is required; `= null` makes it optional and null when absent.
 */

/** The categories of the analytics library (the seed's list, plus inventory and pipeline). */
export const QUERY_CATEGORIES = [
	"segmentation",
	"revenue",
	"benchmarking",
	"customer-behavior",
	"forecasting",
	"geographic",
	"operational",
	"profitability",
	"inventory",
	"pipeline",
] as const;

export type QueryCategory = (typeof QUERY_CATEGORIES)[number];

/** The types a parameter can have, with the Postgres type its placeholder is cast to. */
export const PARAM_TYPES = {
	text: "text",
	int: "int",
	number: "numeric",
	date: "date",
	boolean: "boolean",
} as const;

export type ParamType = keyof typeof PARAM_TYPES;

/** One declared parameter. `default` is the text form; null means optional-and-null. */
export interface QueryParam {
	name: string;
	type: ParamType;
	/** undefined: required; null: optional, null when absent; a string: the default value. */
	default: string | null | undefined;
	min?: number;
	max?: number;
	description: string;
}

/** A parsed library query. */
export interface QueryDefinition {
	name: string;
	title: string;
	description: string;
	category: QueryCategory;
	params: QueryParam[];
	/** The body with `$n::type` placeholders, in the order of `order`. */
	text: string;
	/** Parameter names by placeholder number − 1. */
	order: string[];
}

const PARAM_LINE =
	/^([a-z_][a-z0-9_]*)\s+(text|int|number|date|boolean)(?:\((-?\d+)\.\.(-?\d+)\))?\s*(?:=\s*([^|]*?))?\s*(?:\|\s*(.*))?$/;

function fail(name: string, message: string): never {
	throw new Error(`sql/library/${name}.sql: ${message}`);
}

function parseParam(name: string, line: string): QueryParam {
	const m = PARAM_LINE.exec(line.trim());
	if (!m)
		fail(
			name,
			`bad param line "${line}" (expected "<name> <type>[(min..max)] [= default] [| description]")`,
		);
	const [, pname = "", type = "text", min, max, def, description = ""] = m;
	const d = def === undefined || def === "" ? undefined : def.trim();
	return {
		name: pname,
		type: type as ParamType,
		default: d === "null" ? null : d,
		...(min === undefined ? {} : { min: Number(min), max: Number(max) }),
		description: description.trim(),
	};
}

/** Reads the header and rewrites the body's placeholders; throws naming the file and the problem. */
export function parseQuery(name: string, source: string): QueryDefinition {
	const lines = source.split("\n");
	const meta: Record<string, string> = {};
	const params: QueryParam[] = [];
	let i = 0;
	for (; i < lines.length; i++) {
		const m = /^--\s*([a-z]+):\s*(.*)$/.exec(lines[i]?.trim() ?? "");
		if (!m) break;
		const [, key = "", value = ""] = m;
		if (key === "param") params.push(parseParam(name, value));
		else meta[key] = meta[key] ? `${meta[key]} ${value.trim()}` : value.trim();
	}
	for (const key of ["title", "description", "category"])
		if (!meta[key]) fail(name, `header has no "-- ${key}:" line`);
	const category = meta.category as QueryCategory;
	if (!QUERY_CATEGORIES.includes(category))
		fail(
			name,
			`unknown category "${category}" (one of ${QUERY_CATEGORIES.join(", ")})`,
		);
	const { text, order } = placeholders(name, lines.slice(i).join("\n"), params);
	return {
		name,
		title: meta.title ?? name,
		description: meta.description ?? "",
		category,
		params,
		text: text.trim().replace(/;\s*$/, ""),
		order,
	};
}

/**
 * Replaces `:name` with `$n::type`, skipping string literals, comments and `::` casts. Every
 * placeholder must be declared and every declared parameter used.
 */
function placeholders(
	name: string,
	body: string,
	params: readonly QueryParam[],
): { text: string; order: string[] } {
	const declared = new Map(params.map((p) => [p.name, p]));
	const order: string[] = [];
	let out = "";
	let k = 0;
	while (k < body.length) {
		const ch = body[k] as string;
		if (ch === "'") {
			const end = body.indexOf("'", k + 1);
			const stop = end < 0 ? body.length : end + 1;
			out += body.slice(k, stop);
			k = stop;
		} else if (ch === "-" && body[k + 1] === "-") {
			const end = body.indexOf("\n", k);
			const stop = end < 0 ? body.length : end;
			out += body.slice(k, stop);
			k = stop;
		} else if (ch === ":" && body[k + 1] === ":") {
			out += "::";
			k += 2;
		} else if (ch === ":" && /[a-z_]/.test(body[k + 1] ?? "")) {
			const m = /^[a-z_][a-z0-9_]*/.exec(body.slice(k + 1));
			const pname = m?.[0] ?? "";
			const p = declared.get(pname);
			if (!p) fail(name, `placeholder :${pname} is not declared in the header`);
			if (!order.includes(pname)) order.push(pname);
			out += `$${order.indexOf(pname) + 1}::${PARAM_TYPES[p.type]}`;
			k += 1 + pname.length;
		} else {
			out += ch;
			k++;
		}
	}
	const unused = params.filter((p) => !order.includes(p.name));
	if (unused.length)
		fail(name, `declared but unused: ${unused.map((p) => p.name).join(", ")}`);
	return { text: out, order };
}
