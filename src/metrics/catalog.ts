/**
 * The metric catalog: every metric the bot can name, and what the correlation engine needs to
 * know about each (label, unit noun, flow, builtFrom). Static data plus pure look-ups; the
 * caller hands a catalog to whatever needs one, so tests can build their own.
 */
import type { MetricMetaMap } from "../analytics/correlation/index.ts";
import { CUSTOMER_METRICS } from "./definitions/customers.ts";
import { INVENTORY_METRICS } from "./definitions/inventory.ts";
import { QUOTE_METRICS } from "./definitions/quotes.ts";
import { SALES_METRICS } from "./definitions/sales.ts";
import type { MetricDefinition } from "./types.ts";

/** A set of metrics with look-ups by id. */
export interface MetricCatalog {
	readonly metrics: readonly MetricDefinition[];
	/** The metric with this exact id, or undefined. */
	get(id: string): MetricDefinition | undefined;
	/** Label, unit noun, flow and builtFrom of every metric, for `correlateSeries`/`rankAgainst`. */
	meta(): MetricMetaMap;
	/** The unit a series of this metric carries: the currency code, "%", or a plural noun. */
	unitOf(metric: MetricDefinition): string;
	/** The ISO code money metrics are in ("USD"). */
	readonly currency: string;
}

/** Options of a catalog. */
export interface CatalogOptions {
	/** ISO currency code of money metrics; default "USD". */
	currency?: string;
	/** The metrics; default every metric this folder defines. */
	metrics?: readonly MetricDefinition[];
}

/** Every metric the catalog defines, in the order they are listed to users. */
export const DEFAULT_METRICS: readonly MetricDefinition[] = [
	...SALES_METRICS,
	...CUSTOMER_METRICS,
	...QUOTE_METRICS,
	...INVENTORY_METRICS,
];

/** Builds a catalog; checks ids are unique and every builtFrom names a metric of the catalog. */
export function createMetricCatalog(opts: CatalogOptions = {}): MetricCatalog {
	const metrics = opts.metrics ?? DEFAULT_METRICS;
	const currency = opts.currency ?? "USD";
	const byId = new Map(metrics.map((m) => [m.id, m]));
	if (byId.size !== metrics.length)
		throw new Error("metric catalog: two metrics share an id");
	for (const m of metrics)
		for (const b of m.builtFrom)
			if (!byId.has(b))
				throw new Error(`metric catalog: ${m.id} is built from unknown ${b}`);
	const unitOf = (m: MetricDefinition): string => {
		switch (m.unit) {
			case "currency":
				return currency;
			case "percent":
				return "%";
			case "units":
				return "units";
			case "days":
				return "days";
			default:
				return m.noun?.many ?? m.unit;
		}
	};
	const meta: MetricMetaMap = Object.fromEntries(
		metrics.map((m) => [
			m.id,
			{
				label: m.label,
				...(m.noun ? { unitNoun: m.noun.one } : {}),
				flow: m.flow,
				builtFrom: m.builtFrom,
			},
		]),
	);
	return {
		metrics,
		get: (id) => byId.get(id),
		meta: () => meta,
		unitOf,
		currency,
	};
}
