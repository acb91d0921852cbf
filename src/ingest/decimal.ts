/**
 * Exact decimal arithmetic for money and quantities on their way into `numeric` columns.
 * Values are parsed from strings or numbers into a scaled BigInt, so 6 × 2.55 is 15.30, not
 * 15.299999999999999. Rounding is half away from zero, as Postgres rounds numeric.
 */
export interface Decimal {
	units: bigint;
	scale: number;
}

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
const THOUSANDS = /^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$/;

/**
 * Parsed decimals by their text: a column repeats its values (prices, quantities, customer ids
 * written "17850.0"), and a BigInt per row is most of the cost. Decimals are never mutated, so
 * one can be handed out twice. Cleared when full, so it stays small whatever the data.
 */
const PARSED = new Map<string, Decimal | undefined>();
const PARSED_MAX = 8192;

/** Parses "12", "-0.5", "1e3", "1,200.5", 12.5; undefined for anything else (NaN, "", "1,5"). */
export function parseDecimal(value: unknown): Decimal | undefined {
	if (typeof value === "number") {
		if (!Number.isFinite(value)) return undefined;
		return parseDecimal(String(value));
	}
	if (typeof value !== "string") return undefined;
	const hit = PARSED.get(value);
	if (hit !== undefined || PARSED.has(value)) return hit;
	const d = parseText(value);
	if (PARSED.size >= PARSED_MAX) PARSED.clear();
	PARSED.set(value, d);
	return d;
}

function parseText(value: string): Decimal | undefined {
	const text = value.trim();
	// Commas only as thousands separators ("1,200.50"); "1,5" is a decimal comma, not fifteen.
	if (text.includes(",") && !THOUSANDS.test(text)) return undefined;
	const m = DECIMAL.exec(text.replace(/,/g, ""));
	if (!m || (m[2] === "" && (m[3] ?? "") === "")) return undefined;
	const [, sign, int = "", frac = "", exp] = m;
	let units = BigInt(`${int}${frac}` || "0");
	let scale = frac.length - Number(exp ?? 0);
	if (scale < 0) {
		units *= 10n ** BigInt(-scale);
		scale = 0;
	}
	return { units: sign === "-" ? -units : units, scale };
}

const PLAIN = /^(-?)(\d{1,15})(?:\.(\d{0,15}))?$/;

/**
 * The fast path of `formatDecimal(parseDecimal(v), scale)` for the values almost every row holds:
 * a plain decimal with no more fraction digits than the scale, so no rounding and no BigInt is
 * needed. Undefined means "take the exact path"; where defined, the result is the same string.
 */
export function plainFixed(value: unknown, scale: number): string | undefined {
	const text =
		typeof value === "number"
			? Number.isFinite(value)
				? String(value)
				: ""
			: typeof value === "string"
				? value.trim()
				: "";
	const m = PLAIN.exec(text);
	if (!m) return undefined;
	const [, sign, int = "", frac = ""] = m;
	if (frac.length > scale) return undefined;
	const whole = int.replace(/^0+(?=\d)/, "");
	const body = scale === 0 ? whole : `${whole}.${frac.padEnd(scale, "0")}`;
	return sign && /[1-9]/.test(body) ? `-${body}` : body;
}

/**
 * The fast path of `formatDecimal(subtract(parseDecimal(a), parseDecimal(b)), scale)` for two
 * values already written at that scale ("12.3400", as the field checks write them) with at most
 * 15 digits each: as whole units their difference is exact in a double, so no BigInt is needed
 * (a line's margin from its amount and cost). Undefined means "take the exact path".
 */
export function subtractFixed(
	a: string,
	b: string,
	scale: number,
): string | undefined {
	const x = fixedUnits(a, scale);
	const y = x === undefined ? undefined : fixedUnits(b, scale);
	if (x === undefined || y === undefined) return undefined;
	const diff = x - y;
	const abs = diff < 0 ? -diff : diff;
	const unit = 10 ** scale;
	const frac = abs % unit;
	const whole = (abs - frac) / unit;
	const body =
		scale === 0
			? String(whole)
			: `${whole}.${String(frac).padStart(scale, "0")}`;
	return diff < 0 ? `-${body}` : body;
}

const FIXED = new Map<number, RegExp>();

/** "-12.3400" at scale 4 → -123400, when written with exactly `scale` decimals and ≤ 15 digits. */
function fixedUnits(text: string, scale: number): number | undefined {
	if (scale > 14) return undefined;
	let re = FIXED.get(scale);
	if (!re) {
		re = new RegExp(
			`^-?\\d{1,${15 - scale}}${scale === 0 ? "" : `\\.\\d{${scale}}`}$`,
		);
		FIXED.set(scale, re);
	}
	if (!re.test(text)) return undefined;
	return Number(scale === 0 ? text : text.replace(".", ""));
}

function rescale(d: Decimal, scale: number): Decimal {
	if (scale >= d.scale)
		return { units: d.units * 10n ** BigInt(scale - d.scale), scale };
	const div = 10n ** BigInt(d.scale - scale);
	const q = d.units / div;
	const r = d.units % div;
	const away = (r < 0n ? -r : r) * 2n >= div;
	return { units: away ? q + (d.units < 0n ? -1n : 1n) : q, scale };
}

/** "15.30" for (15.299…, 2): a fixed-scale string ready for a numeric column. */
export function formatDecimal(d: Decimal, scale: number): string {
	const { units } = rescale(d, scale);
	const neg = units < 0n;
	const digits = (neg ? -units : units).toString().padStart(scale + 1, "0");
	const body =
		scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
	return neg && /[1-9]/.test(body) ? `-${body}` : body;
}

export function multiply(a: Decimal, b: Decimal): Decimal {
	return { units: a.units * b.units, scale: a.scale + b.scale };
}

export function subtract(a: Decimal, b: Decimal): Decimal {
	const scale = Math.max(a.scale, b.scale);
	return { units: rescale(a, scale).units - rescale(b, scale).units, scale };
}

export function add(a: Decimal, b: Decimal): Decimal {
	const scale = Math.max(a.scale, b.scale);
	return { units: rescale(a, scale).units + rescale(b, scale).units, scale };
}

export function isNegative(d: Decimal): boolean {
	return d.units < 0n;
}
