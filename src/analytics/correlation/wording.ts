/**
 * Numbers and units in words. Deterministic: fixed en-US formatting, no locale from the machine.
 */
import { currencyPrefix, isCurrency } from "../../currency.ts";
import { GRAIN_WORDS } from "./periods.ts";
import type {
	Grain,
	MetricMeta,
	MetricMetaMap,
	Series,
	SeriesRef,
} from "./types.ts";

const PERCENT_UNITS = new Set(["%", "percent", "pct"]);

function isPercent(unit: string): boolean {
	return PERCENT_UNITS.has(unit.toLowerCase());
}

/** The metric's catalog entry, or an empty one. */
export function metaFor(meta: MetricMetaMap, metric: string): MetricMeta {
	return meta[metric] ?? {};
}

/** The series as a result shows it. */
export function seriesRef(s: Series, meta: MetricMetaMap): SeriesRef {
	return {
		metric: s.metric,
		label: metaFor(meta, s.metric).label ?? s.metric,
		unit: s.unit,
	};
}

/** A business number: whole with thousands separators from 1,000 up, else 3 significant digits. */
export function formatNumber(v: number): string {
	if (v === 0) return "0";
	const abs = Math.abs(v);
	const body =
		abs >= 1000
			? Math.round(abs).toLocaleString("en-US")
			: Number(abs.toPrecision(3)).toLocaleString("en-US", {
					maximumFractionDigits: 10,
				});
	return v < 0 ? `−${body}` : body;
}

/** A coefficient to two decimals, "0.97", "−0.41". */
export function formatR(r: number): string {
	const s = r.toFixed(2);
	return s.startsWith("-") ? `−${s.slice(1)}` : s;
}

/** A p-value: three decimals, or two significant digits in scientific notation below 0.001. */
export function formatP(p: number): string {
	if (p === 0) return "< 1e-300";
	if (p < 0.001) return p.toExponential(1).replace("e-", "e−");
	return p.toFixed(3);
}

/** An amount in a unit: "$1,234", "3.5 percentage points", "12 orders". */
export function formatAmount(v: number, unit: string): string {
	const sign = v < 0 ? "−" : "";
	const body = formatNumber(Math.abs(v));
	if (isCurrency(unit)) return `${sign}${currencyPrefix(unit)}${body}`;
	if (isPercent(unit))
		return `${sign}${body} percentage point${body === "1" ? "" : "s"}`;
	return `${sign}${body} ${unit}`;
}

/** "each extra active customer", "each extra $1 of ad spend", "each extra unit of orders (orders)". */
function perUnitOf(x: SeriesRef, meta: MetricMeta): string {
	if (meta.unitNoun) return `each extra ${meta.unitNoun}`;
	if (isCurrency(x.unit))
		return `each extra ${formatAmount(1, x.unit)} of ${x.label}`;
	if (isPercent(x.unit)) return `each extra percentage point of ${x.label}`;
	return `each extra unit of ${x.label} (${x.unit})`;
}

/**
 * The regression slope as a sentence in business units, e.g.
 * "each extra active customer ≈ $1,234 revenue per month". "per month" is added when y is a
 * total over the period (`flow`, by default true for currencies).
 */
export function slopeSentence(
	slope: number,
	x: SeriesRef,
	y: SeriesRef,
	grain: Grain,
	meta: MetricMetaMap,
): string {
	const yMeta = metaFor(meta, y.metric);
	const flow = yMeta.flow ?? isCurrency(y.unit);
	const amount = formatAmount(slope, y.unit);
	const what = isCurrency(y.unit)
		? `${amount} ${y.label}`
		: y.label.toLowerCase().includes(y.unit.toLowerCase())
			? `${slope < 0 ? "−" : ""}${formatNumber(Math.abs(slope))} ${y.label}`
			: `${amount} of ${y.label}`;
	const per = flow ? ` per ${GRAIN_WORDS[grain].one}` : "";
	return `${perUnitOf(x, metaFor(meta, x.metric))} ≈ ${what}${per}`;
}
