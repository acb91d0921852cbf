/**
 * How a measure reads: `currency` → $1.2M, `percent` (values are fractions, 0.34) → 34%,
 * `count` → 1,234 (with `unit`: "1,234 units" in labels and alt text), `number` → 1.23K.
 */
export interface ValueFormat {
	style: "currency" | "percent" | "count" | "number";
	/** Word after a count or number in labels and alt text ("units", "orders"); never on axis ticks. */
	unit?: string;
	/** Currency symbol put before the amount; "$" unless given. */
	symbol?: string;
}

/** The period one data point stands for; decides how its date is written. */
export type TimeGrain = "hour" | "day" | "week" | "month" | "quarter" | "year";

const MINUS = "\u2212";
const COMPACT: ReadonlyArray<readonly [number, string]> = [
	[1e12, "T"],
	[1e9, "B"],
	[1e6, "M"],
	[1e3, "K"],
];

/** Three significant digits at most, trailing zeros dropped: 1.23, 12.3, 123. */
function sig3(n: number): string {
	if (n === 0) return "0";
	const digits = Math.max(0, 2 - Math.floor(Math.log10(Math.abs(n))));
	return trimZeros(n.toFixed(Math.min(digits, 20)));
}

function trimZeros(s: string): string {
	return s.includes(".") ? s.replace(/\.?0+$/, "") : s;
}

function grouped(n: number, decimals: number): string {
	const [int = "0", frac] = n.toFixed(decimals).split(".");
	const withCommas = int.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
	return frac && Number(frac) !== 0 ? `${withCommas}.${frac}` : withCommas;
}

/** A magnitude without sign: compact above 10,000 (or 1,000 for money), tiny values kept readable. */
function magnitude(abs: number, compactFrom: number, integer: boolean): string {
	if (!Number.isFinite(abs)) return "∞";
	// Pick the unit from the rounded value, so 999,999 reads "1M" rather than "1000K".
	const rounded = Number(abs.toPrecision(3));
	if (rounded >= 1e15) return abs.toExponential(1).replace("+", "");
	for (const [size, suffix] of COMPACT) {
		if (rounded >= size && rounded >= compactFrom)
			return `${sig3(abs / size)}${suffix}`;
	}
	if (abs >= 1000) return grouped(Math.round(abs), 0);
	if (integer && Number.isInteger(abs)) return String(abs);
	if (abs === 0) return "0";
	if (abs < 1e-6) return abs.toExponential(1);
	if (abs < 1) return trimZeros(abs.toPrecision(2));
	return trimZeros(abs.toFixed(abs < 100 ? 2 : 0));
}

function percentText(abs: number): string {
	const p = abs * 100;
	if (p === 0) return "0%";
	if (p >= 10) return `${grouped(Math.round(p), 0)}%`;
	if (p >= 1) return `${trimZeros(p.toFixed(1))}%`;
	if (p >= 0.01) return `${trimZeros(p.toFixed(2))}%`;
	return `${p.toExponential(1)}%`;
}

/**
 * Writes a value the way the charts show it. `withUnit` adds the count unit ("1,234 units");
 * axis ticks leave it off because the axis title names it.
 */
export function formatValue(
	value: number | null | undefined,
	format: ValueFormat,
	withUnit = false,
): string {
	if (value === null || value === undefined || Number.isNaN(value)) return "–";
	const sign = value < 0 ? MINUS : "";
	const abs = Math.abs(value);
	const unit = withUnit && format.unit ? ` ${format.unit}` : "";
	switch (format.style) {
		case "currency":
			return `${sign}${format.symbol ?? "$"}${magnitude(abs, 1000, false)}`;
		case "percent":
			return `${sign}${percentText(abs)}`;
		case "count":
			return `${sign}${abs < 1e6 && abs >= 1000 ? grouped(Math.round(abs), 0) : magnitude(abs, 1e6, true)}${unit}`;
		default:
			return `${sign}${magnitude(abs, 10_000, false)}${unit}`;
	}
}

/** A signed change: "+12%", "−$3.4K". */
export function formatDelta(value: number, format: ValueFormat): string {
	const text = formatValue(value, format);
	return value > 0 ? `+${text}` : text;
}

/** Month abbreviations, January first; shared by every date the bot writes. */
export const MONTHS = [
	"Jan",
	"Feb",
	"Mar",
	"Apr",
	"May",
	"Jun",
	"Jul",
	"Aug",
	"Sep",
	"Oct",
	"Nov",
	"Dec",
];

/**
 * Writes a date for its grain, always in UTC so a chart reads the same on every server.
 * `short` is for axis ticks ("Jun 3", "Jan 2024"), `long` for alt text ("3 Jun 2024").
 */
export function formatDate(
	t: number | Date,
	grain: TimeGrain,
	style: "short" | "long" = "short",
): string {
	const d = typeof t === "number" ? new Date(t) : t;
	if (Number.isNaN(d.getTime())) return "–";
	const y = d.getUTCFullYear();
	const mon = MONTHS[d.getUTCMonth()] ?? "";
	const day = d.getUTCDate();
	switch (grain) {
		case "hour": {
			const hh = String(d.getUTCHours()).padStart(2, "0");
			const mm = String(d.getUTCMinutes()).padStart(2, "0");
			return style === "long"
				? `${day} ${mon} ${y} ${hh}:${mm} UTC`
				: `${hh}:${mm}`;
		}
		case "day":
		case "week":
			return style === "long" ? `${day} ${mon} ${y}` : `${mon} ${day}`;
		case "month":
			return `${mon} ${y}`;
		case "quarter":
			return `Q${Math.floor(d.getUTCMonth() / 3) + 1} ${y}`;
		default:
			return String(y);
	}
}
