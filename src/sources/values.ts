/**
 * The canonical forms every connector produces, so the same data in SQLite, PostgreSQL, MariaDB,
 * SQL Server and CSV comes out the same:
 *
 * - integers: a number when within ±(2^53 − 1), otherwise the exact decimal string ("9007199254740993");
 * - DECIMAL/NUMERIC/MONEY: an exact decimal string in shortest form: no exponent, no "+", no leading
 *   zeros beyond one, no trailing fractional zeros, no "." without digits after it, "-0" is "0"
 *   (numeric(18,2) 10.50 → "10.5", 12.00 → "12", 0.050 → "0.05");
 * - floats: numbers;
 * - DATE: "YYYY-MM-DD"; DATETIME/TIMESTAMP without zone: the stored wall clock "YYYY-MM-DD HH:MM:SS",
 *   with ".f…" only when the fraction is not zero, trailing zeros dropped ("…10:00:00.25");
 * - TIMESTAMPTZ / DATETIMEOFFSET / MySQL TIMESTAMP (instants): ISO-8601 UTC "YYYY-MM-DDTHH:MM:SS(.f…)Z";
 * - TIME: "HH:MM:SS(.f…)"; binary: "\x" + lowercase hex (PostgreSQL's bytea text form);
 *   UUIDs: lowercase; booleans: booleans; text: strings. Values outside these shapes (infinity,
 *   BC dates) pass through as the source prints them.
 */

import type { Value } from "./types.ts";

const DECIMAL_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** Canonical decimal string from a driver's decimal text ("10.50" → "10.5", "-0.00" → "0", "1e3" → "1000"). Non-numbers ("NaN") pass through. */
export function canonicalDecimal(text: string): string {
	const m = DECIMAL_TEXT.exec(text.trim());
	if (!m || (!m[2] && !m[3])) return text;
	const [, sign, intPart = "", fracPart = "", exp] = m;
	let digits = intPart + fracPart;
	let point = intPart.length + Number(exp ?? 0);
	if (point < 0) {
		digits = "0".repeat(-point) + digits;
		point = 0;
	}
	if (point > digits.length) digits += "0".repeat(point - digits.length);
	const int = digits.slice(0, point).replace(/^0+/, "") || "0";
	const frac = digits.slice(point).replace(/0+$/, "");
	const body = frac ? `${int}.${frac}` : int;
	return sign === "-" && body !== "0" ? `-${body}` : body;
}

/** Canonical decimal from a number a driver already parsed (SQLite REAL, tedious decimal/money), rounded to the column's scale when known. */
export function decimalFromNumber(n: number, scale?: number): string {
	if (!Number.isFinite(n)) return String(n);
	if (scale !== undefined && scale >= 0 && scale <= 100 && Math.abs(n) < 1e21)
		return canonicalDecimal(n.toFixed(scale));
	return canonicalDecimal(String(n));
}

/** Integers: a number when it is safe, else the exact string. */
export function integer(v: bigint | number | string): number | string {
	if (typeof v === "number") return v;
	const big = typeof v === "bigint" ? v : BigInt(v.trim());
	return big >= BigInt(Number.MIN_SAFE_INTEGER) &&
		big <= BigInt(Number.MAX_SAFE_INTEGER)
		? Number(big)
		: big.toString();
}

const LOCAL_TS =
	/^(\d{4,}-\d{2}-\d{2})[ T](\d{2}:\d{2})(?::(\d{2}))?(?:\.(\d+))?$/;

/** "2024-01-05T10:00:00.500" → "2024-01-05 10:00:00.5"; "2024-01-05 10:00" → "2024-01-05 10:00:00". Anything else passes through. */
export function canonicalDateTime(text: string): string {
	const m = LOCAL_TS.exec(text);
	if (!m) return text;
	return `${m[1]} ${m[2]}:${m[3] ?? "00"}${fraction(m[4])}`;
}

/** "10:00:00.000" → "10:00:00". */
export function canonicalTime(text: string): string {
	const m = /^(\d{2}:\d{2}:\d{2})(?:\.(\d+))?$/.exec(text);
	return m ? `${m[1]}${fraction(m[2])}` : text;
}

const OFFSET_TS =
	/^(\d{4,}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}(?::?\d{2})?)$/;

/** A timestamp with an offset as text ("2024-01-05 10:00:00.25+00", "…+02:00") → "2024-01-05T10:00:00.25Z" / the UTC instant. */
export function isoUtcFromText(text: string): string {
	const m = OFFSET_TS.exec(text);
	if (!m) return text;
	const [, date, time, frac, offset = "Z"] = m;
	const o = /^([+-])(\d{2}):?(\d{2})?$/.exec(offset);
	const minutes = o
		? (o[1] === "-" ? -1 : 1) * (Number(o[2]) * 60 + Number(o[3] ?? 0))
		: 0;
	if (minutes === 0) return `${date}T${time}${fraction(frac)}Z`;
	const utc = new Date(Date.parse(`${date}T${time}Z`) - minutes * 60_000);
	return `${utc.toISOString().slice(0, 19)}${fraction(frac)}Z`;
}

/** "YYYY-MM-DD" of a Date read with UTC getters (tedious with useUTC returns the stored wall clock as UTC). */
export function utcDate(d: Date): string {
	return d.toISOString().slice(0, 10);
}

/** "YYYY-MM-DD HH:MM:SS(.f…)" of a Date read in UTC; `extra100ns` adds the sub-millisecond digits tedious keeps in `nanosecondsDelta`. */
export function utcDateTime(d: Date, extra100ns = 0): string {
	return `${d.toISOString().slice(0, 10)} ${utcClock(d, extra100ns)}`;
}

/** ISO-8601 UTC of an instant, with sub-millisecond digits when given. */
export function utcInstant(d: Date, extra100ns = 0): string {
	return `${d.toISOString().slice(0, 10)}T${utcClock(d, extra100ns)}Z`;
}

/** "HH:MM:SS(.f…)" of a Date read in UTC (SQL Server `time`). */
export function utcClock(d: Date, extra100ns = 0): string {
	const units = d.getUTCMilliseconds() * 10_000 + Math.round(extra100ns);
	return `${d.toISOString().slice(11, 19)}${fraction(String(units).padStart(7, "0"))}`;
}

/** ".25" for "250000", "" for "000" or nothing. */
function fraction(digits: string | undefined): string {
	const kept = (digits ?? "").replace(/0+$/, "");
	return kept ? `.${kept}` : "";
}

/** Binary as PostgreSQL prints bytea: "\x0102ff". */
export function hexBytes(bytes: Uint8Array): string {
	return `\\x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex")}`;
}

/**
 * Whether a value read from a file is past the watermark (a file has no index: the watermark is
 * applied while reading): numerically when both are numbers, else as text (dates sort as text).
 */
export function valueIsAfter(v: Value, mark: string | number): boolean {
	if (v === null) return false;
	const n = Number(v);
	if (typeof mark === "number" && v !== "" && Number.isFinite(n))
		return n > mark;
	return String(v) > String(mark);
}
