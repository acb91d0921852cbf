/**
 * Charts for the text commands' data in chat: `correlate a b` as the two series on a dual axis,
 * `metric …` as its line(s). A chart that cannot be drawn is left out; the text reply stands.
 */
import { type ChartRenderer, renderChart } from "../src/charts/index.ts";
import { metricChart, metricFormat } from "../src/charts/metric-chart.ts";
import type { ChatChart } from "../src/chat/message.ts";
import type { Explanation } from "../src/metrics/explain.ts";
import type {
	Breakdown,
	CorrelateOutcome,
	MetricCatalog,
	MetricSeries,
} from "../src/metrics/index.ts";

/** Turns a command's reply data into a chart, or undefined when it has none. */
export type DataChart = (
	catalog: MetricCatalog,
	data: unknown,
	charts?: ChartRenderer,
) => Promise<ChatChart | undefined>;

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

async function draw(
	input: Parameters<typeof renderChart>[0],
	filename: string,
	charts?: ChartRenderer,
): Promise<ChatChart | undefined> {
	const r = await (charts ? charts.render(input) : renderChart(input));
	return r.ok ? { filename, alt: r.alt, png: r.png } : undefined;
}

/** `correlate a b`: both series over time, each on its own axis, the verdict's r in the subtitle. */
export const correlateChart: DataChart = async (catalog, data, charts) => {
	const outcome = data as CorrelateOutcome | undefined;
	if (outcome?.kind !== "pair") return undefined;
	const ym = catalog.get(outcome.y.metric);
	const xm = catalog.get(outcome.x.metric);
	if (!ym || !xm) return undefined;
	const side = (m: typeof ym, s: MetricSeries) => ({
		name: cap(m.label),
		format: metricFormat(m, s.unit),
		points: s.points.map((p) => ({
			t: p.period,
			value:
				p.value === null
					? null
					: m.unit === "percent"
						? p.value / 100
						: p.value,
		})),
	});
	const r = outcome.result;
	const verdict =
		r.status === "ok"
			? `r = ${r.pearson.r.toFixed(2)} on ${r.pearson.n} ${outcome.y.grain}s · ${r.verdict.primary.replace(/_/g, " ")}`
			: r.reason;
	const subtitle = outcome.scope
		? `Only ${outcome.scope} · ${verdict}`
		: verdict;
	return draw(
		{
			kind: "dual-axis",
			title: `${cap(ym.label)} and ${xm.label}${outcome.scope ? ` (${outcome.scope})` : ""}`,
			subtitle,
			grain: outcome.y.grain,
			left: side(ym, outcome.y),
			right: side(xm, outcome.x),
		},
		`correlate-${ym.id}-${xm.id}.png`,
		charts,
	);
};

/** `metric …`: the series, or the breakdown's top members. */
export const metricDataChart: DataChart = async (catalog, data, charts) => {
	const d = data as MetricSeries | Breakdown | undefined;
	if (!d) return undefined;
	const series = "members" in d ? d.total : d;
	if (series.missing || series.points.length === 0) return undefined;
	const m = catalog.get(series.metric);
	if (!m) return undefined;
	return draw(metricChart(m, d), `metric-${m.id}.png`, charts);
};

/**
 * `explain …`: the leading dimension's members as diverging bars — each member's contribution to
 * the change, down in red and up in green, in the order the answer lists them (largest first).
 */
export const explainChart: DataChart = async (_catalog, data, charts) => {
	const e = data as Explanation | undefined;
	const top = e?.dimensions[0];
	if (!e || !top || e.total.change === 0) return undefined;
	// A percent metric's contributions are percentage points, not percents of anything.
	const points = e.metric.unit === "percent";
	const items = top.breakdown.members.map((m) => ({
		label: m.member,
		value: m.contribution,
		severity: m.contribution < 0 ? ("critical" as const) : ("ok" as const),
	}));
	const change = `${e.total.change < 0 ? "−" : "+"}${Math.abs(e.total.change).toLocaleString("en-US", { maximumFractionDigits: points ? 1 : 0 })}`;
	return draw(
		{
			kind: "bar",
			title: `${cap(e.metric.label)}${e.within ? ` in ${e.within.dimension} ${e.within.value}` : ""}: what moved it, by ${top.dimension}`,
			subtitle: `${e.previous} → ${e.current} (${e.grain}), change ${change}${points ? " points" : ""}`,
			format: points
				? { style: "number", unit: "points" }
				: metricFormat(e.metric, e.unit),
			items,
			order: "input",
			limit: 10,
		},
		`explain-${e.metric.id}.png`,
		charts,
	);
};
