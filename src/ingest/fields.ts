import { z } from "zod";
import { compileDateFormat } from "../sources/csv-dates.ts";
import {
	formatDecimal,
	isNegative,
	parseDecimal,
	plainFixed,
} from "./decimal.ts";

/**
 * Field parsers for canonical rows. Each accepts what sources and mappings produce (strings,
 * numbers, booleans, null) and yields exactly what the warehouse column stores, or fails with a
 * reason a person can act on ("expected a date like 2024-05-31, got \"31/05/24\"").
 */
type Value = string | number | boolean | null | undefined;

const blank = (v: unknown) =>
	v === null || v === undefined || (typeof v === "string" && v.trim() === "");
/** A value as a reason quotes it; a long one (a 309-digit product of 1e308) is cut, with its length. */
const shown = (v: unknown) => {
	const text = JSON.stringify(v) ?? String(v);
	return text.length > 42
		? `${text.slice(0, 30)}… (${text.length - 2} characters)`
		: text;
};

/** Where a field's check reports a problem: zod's refinement context has this shape too. */
export interface IssueSink {
	/** `path`: the column, where a whole-row check (a refinement) names one. */
	addIssue(issue: { code: "custom"; path?: string[]; message: string }): void;
}

/** A field's check: the stored value, or z.NEVER after reporting why the value cannot be stored. */
export type FieldCheck = (v: unknown, ctx: IssueSink) => unknown;

/** A canonical column's schema: the zod form, and its check as a plain function for the row validator. */
export type Field = z.ZodType & { check: FieldCheck };

/**
 * One field from its check. The same function is the zod transform (for anything that parses a
 * row with zod) and what an entity's compiled validator calls per value, without zod's machinery.
 */
export function field(check: FieldCheck): Field {
	return Object.assign(
		z.unknown().transform((v, ctx) => check(v, ctx)),
		{ check },
	);
}

export const text = (max = 500) =>
	field((v: Value | unknown, ctx) => {
		if (blank(v)) return null;
		// Legacy fixed-width fields pad with NULs; Postgres text cannot hold one anywhere.
		const s = String(v).replace(/\0+$/, "").trim();
		const nul = s.indexOf("\0");
		if (nul >= 0) {
			ctx.addIssue({
				code: "custom",
				message: `holds a NUL character at position ${nul + 1}, which the warehouse cannot store; got ${shown(v)}`,
			});
			return z.NEVER;
		}
		if (s.length > max) {
			ctx.addIssue({
				code: "custom",
				message: `longer than ${max} characters`,
			});
			return z.NEVER;
		}
		return s;
	});

export const requiredText = (max = 200) => {
	const inner = text(max).check;
	return field((raw, ctx) => {
		const v = inner(raw, ctx);
		if (v === z.NEVER) return v;
		if (v === null) {
			ctx.addIssue({
				code: "custom",
				message: "is missing (part of the natural key)",
			});
			return z.NEVER;
		}
		return v;
	});
};

export const integer = (opts: { min?: number } = {}) =>
	field((v: Value | unknown, ctx) => {
		if (
			typeof v === "number" &&
			Number.isSafeInteger(v) &&
			(opts.min === undefined || v >= opts.min)
		)
			return v;
		// Digits only (a ".0" as spreadsheets write whole numbers is fine): not "1e3", not "0x10".
		const t = typeof v === "string" ? v.trim() : "";
		const n = /^-?\d{1,16}(\.0*)?$/.test(t)
			? Number(t)
			: typeof v === "number"
				? v
				: Number.NaN;
		if (!Number.isSafeInteger(n) || (opts.min !== undefined && n < opts.min)) {
			ctx.addIssue({
				code: "custom",
				message: `expected a whole number${opts.min !== undefined ? ` ≥ ${opts.min}` : ""}, got ${shown(v)}`,
			});
			return z.NEVER;
		}
		return n;
	});

/** Formats an export commonly writes dates in, tried in this order to explain a date that failed. */
const COMMON_DATE_FORMATS = [
	"M/D/YYYY H:mm",
	"M/D/YYYY H:mm:ss",
	"M/D/YYYY",
	"D/M/YYYY H:mm",
	"D/M/YYYY H:mm:ss",
	"D/M/YYYY",
	"D.M.YYYY H:mm",
	"D.M.YYYY H:mm:ss",
	"D.M.YYYY",
	"YYYY/M/D",
	"YYYY/M/D H:mm:ss",
	"D-M-YYYY",
	"YYYYMMDD",
].map((f) => ({ format: f, parse: compileDateFormat(f) }));

/** The common export date formats (a CSV connection's dateFormat) that read `v`, best first. */
export function dateFormatsFitting(v: unknown): string[] {
	if (typeof v !== "string") return [];
	return COMMON_DATE_FORMATS.filter((f) => f.parse(v) !== undefined).map(
		(f) => f.format,
	);
}

/**
 * For a date written another way ("12/1/2010 8:26"), the CSV dateFormat that would read it;
 * both day-first and month-first when the value fits either. "" when no common format fits.
 */
export function dateFormatHint(v: unknown): string {
	const fits = dateFormatsFitting(v).map((f) => `"${f}"`);
	if (fits.length === 0) return "";
	return `; if the source writes dates this way, give its column a dateFormat in the CSV connection, e.g. dateFormat: {<column>: ${fits[0]}}${fits.length > 1 ? ` (it also fits ${fits.slice(1).join(" or ")}: check which comes first, day or month)` : ""}`;
}

/** Every warehouse amount and quantity is numeric(18, scale). */
export const DECIMAL_PRECISION = 18;

/** True when a formatted decimal fits numeric(18, scale): a larger value would fail the whole COPY. */
export function fitsPrecision(formatted: string, scale: number): boolean {
	// Digits before the point, leaving out a sign and leading zeros (a loop: this runs per value).
	let i = formatted.charCodeAt(0) === 45 ? 1 : 0;
	while (formatted.charCodeAt(i) === 48) i++;
	let digits = 0;
	for (; i < formatted.length && formatted.charCodeAt(i) !== 46; i++) digits++;
	return digits <= DECIMAL_PRECISION - scale;
}

function tooLarge(v: unknown, scale: number): string {
	return `is too large: at most ${DECIMAL_PRECISION - scale} digits before the decimal point, got ${shown(v)}`;
}

/** A decimal at a fixed scale as a string (exact); null when blank unless required. */
export const decimal = (
	scale: number,
	opts: { required?: boolean; nonNegative?: boolean } = {},
) =>
	field((v: Value | unknown, ctx) => {
		if (blank(v)) {
			if (!opts.required) return null;
			ctx.addIssue({ code: "custom", message: "is missing" });
			return z.NEVER;
		}
		const fast = plainFixed(v, scale);
		if (fast !== undefined && !(opts.nonNegative && fast.startsWith("-"))) {
			if (fitsPrecision(fast, scale)) return fast;
			ctx.addIssue({ code: "custom", message: tooLarge(v, scale) });
			return z.NEVER;
		}
		const d = parseDecimal(v);
		if (!d) {
			ctx.addIssue({
				code: "custom",
				message: `expected a number, got ${shown(v)}`,
			});
			return z.NEVER;
		}
		if (opts.nonNegative && isNegative(d)) {
			ctx.addIssue({
				code: "custom",
				message: `must not be negative, got ${shown(v)}`,
			});
			return z.NEVER;
		}
		const formatted = formatDecimal(d, scale);
		if (fitsPrecision(formatted, scale)) return formatted;
		ctx.addIssue({ code: "custom", message: tooLarge(v, scale) });
		return z.NEVER;
	});

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[ T].*)?$/;
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** True for a real calendar day from year 1 on (Postgres has no year 0000); no Date per value. */
function isCalendarDay(y: number, m: number, d: number): boolean {
	if (y < 1 || m < 1 || m > 12 || d < 1) return false;
	const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
	return d <= (m === 2 && leap ? 29 : (MONTH_DAYS[m - 1] ?? 0));
}

/** A calendar date as "YYYY-MM-DD"; accepts a date-time and keeps its date part. */
export const date = (opts: { required?: boolean; notAfter?: string } = {}) =>
	field((v: Value | unknown, ctx) => {
		if (blank(v)) {
			if (!opts.required) return null;
			ctx.addIssue({ code: "custom", message: "is missing" });
			return z.NEVER;
		}
		const m = ISO_DATE.exec(String(v).trim());
		const iso = m ? `${m[1]}-${m[2]}-${m[3]}` : "";
		// Year 0000 is a valid JavaScript date but not a Postgres one: it would fail the whole COPY.
		if (!m || !isCalendarDay(Number(m[1]), Number(m[2]), Number(m[3]))) {
			ctx.addIssue({
				code: "custom",
				message: `expected a date like 2024-05-31, got ${shown(v)}${dateFormatHint(v)}`,
			});
			return z.NEVER;
		}
		if (opts.notAfter && iso > opts.notAfter) {
			ctx.addIssue({
				code: "custom",
				message: `${iso} is in the future (after ${opts.notAfter})`,
			});
			return z.NEVER;
		}
		return iso;
	});

const TRUE = new Set(["true", "t", "yes", "y", "1"]);
const FALSE = new Set(["false", "f", "no", "n", "0"]);

export const bool = (fallback: boolean) =>
	field((v: Value | unknown, ctx) => {
		if (blank(v)) return fallback;
		if (typeof v === "boolean") return v;
		const s = String(v).trim().toLowerCase();
		if (TRUE.has(s)) return true;
		if (FALSE.has(s)) return false;
		ctx.addIssue({
			code: "custom",
			message: `expected true/false (or Y/N, 1/0), got ${shown(v)}`,
		});
		return z.NEVER;
	});

/** One of a fixed set, compared case-insensitively, with synonyms (e.g. "W" → "won"). */
export const oneOf = (
	values: readonly string[],
	synonyms: Record<string, string> = {},
	fallback?: string,
) =>
	field((v: Value | unknown, ctx) => {
		if (blank(v) && fallback !== undefined) return fallback;
		const s = String(v ?? "")
			.trim()
			.toLowerCase();
		const hit = values.includes(s) ? s : synonyms[s];
		if (!hit) {
			ctx.addIssue({
				code: "custom",
				message: `expected one of ${values.join(", ")}, got ${shown(v)}`,
			});
			return z.NEVER;
		}
		return hit;
	});
