/**
 * Watermarks are stored as text: a number (an id, a row version) or a date / date-time string
 * as connectors normalise them ("2024-05-31", "2024-05-31 17:02:11"), which compare correctly
 * as strings. The overlap re-reads late-arriving rows; the upsert makes re-reads harmless.
 */
export type Watermark = string | number;

const NUMBER = /^-?\d+(\.\d+)?$/;
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}:\d{2})(\.\d+)?)?$/;

const ROW_VERSION = /^(0x[0-9a-fA-F]+|\d+)$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}:\d{2}(\.\d+)?Z?)?$/;

/**
 * Whether a value can be a watermark: a finite number, a row version ("0x…" or digits), or a
 * date / date-time as connectors write them. Anything else ("2099-12-01 08:26:NaN") would
 * compare as text and could skip every later row.
 */
export function isWatermark(v: unknown): v is Watermark {
	if (typeof v === "number") return Number.isFinite(v);
	return typeof v === "string" && (ROW_VERSION.test(v) || INSTANT.test(v));
}

export function parseWatermark(text: string | null): Watermark | null {
	if (text === null) return null;
	return NUMBER.test(text) ? Number(text) : text;
}

/** The larger of two watermarks (null is smallest). */
export function maxWatermark(
	a: Watermark | null,
	b: Watermark | null,
): Watermark | null {
	if (a === null) return b;
	if (b === null) return a;
	if (typeof a === "number" && typeof b === "number") return a >= b ? a : b;
	return String(a) >= String(b) ? a : b;
}

const UNIT_MS: Record<string, number> = {
	minute: 60_000,
	hour: 3_600_000,
	day: 86_400_000,
};

/** Steps a watermark back by the overlap: "2 days" for dates/date-times, a number for numeric ids. */
export function applyOverlap(
	w: Watermark | null,
	overlap: string | number | undefined,
): Watermark | null {
	if (w === null || overlap === undefined) return w;
	if (typeof w === "number")
		return typeof overlap === "number" ? w - overlap : w;
	const m = DATE_TIME.exec(w);
	const d = /^(\d+)\s*(minute|hour|day)s?$/.exec(String(overlap));
	if (!m || !d) return w;
	const t =
		new Date(`${m[1]}T${m[2] ?? "00:00:00"}Z`).getTime() -
		Number(d[1]) * (UNIT_MS[d[2] ?? "day"] ?? 0);
	const iso = new Date(t).toISOString();
	return m[2] ? `${iso.slice(0, 10)} ${iso.slice(11, 19)}` : iso.slice(0, 10);
}
