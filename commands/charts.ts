/**
 * Charts for the text commands' data in chat: `correlate a b` as the two series on a dual axis,
 * `metric …` as its line(s), `explain …` as a waterfall. A chart that cannot be drawn is left out;
 * the text reply stands.
 */
import {
	type ChartRenderer,
	renderChart,
	stepText,
} from "../src/charts/index.ts";
import { metricChart, metricFormat } from "../src/charts/metric-chart.ts";
import type { WaterfallInput } from "../src/charts/types.ts";
import type { ChatChart } from "../src/chat/message.ts";
import { type Explanation, OTHERS } from "../src/metrics/explain.ts";
import type {
	Breakdown,
	CorrelateOutcome,
	MetricCatalog,
	MetricSeries,
} from "../src/metrics/index.ts";
import { periodName } from "./explain.ts";

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

/** Members of the leading dimension shown one by one in explain's chart; the rest are "all others". */
const EXPLAIN_STEPS = 8;

/**
 * `explain …` as a waterfall: the comparison period's total, the leading dimension's members'
 * contributions in the order the answer lists them (down in red, up in green), "all others", the
 * current total. For distinct counts whose members overlap (a customer in two regions), a last
 * step says so, so the bridge still closes on the real total. Pure.
 */
export function explainChartInput(e: Explanation): WaterfallInput | undefined {
	const top = e.dimensions[0];
	if (!top || e.total.change === 0) return undefined;
	// A percent is drawn as a fraction (the chart's percent format); its steps read in points.
	const scale = e.metric.unit === "percent" ? 0.01 : 1;
	const named = top.breakdown.members.filter((m) => m.member !== OTHERS);
	const shown = named.slice(0, EXPLAIN_STEPS);
	const rest = top.breakdown.members
		.filter((m) => !shown.includes(m))
		.reduce((a, m) => a + m.contribution, 0);
	const steps = [
		...shown.map((m) => ({ label: m.member, value: m.contribution * scale })),
		...(rest === 0 ? [] : [{ label: OTHERS, value: rest * scale }]),
	];
	const closing =
		e.total.change * scale - steps.reduce((a, x) => a + x.value, 0);
	if (Math.abs(closing) > 1e-9 * Math.max(1, Math.abs(e.total.change)))
		steps.push({ label: "counted in several members", value: closing });
	const format = metricFormat(e.metric, e.unit);
	return {
		kind: "waterfall",
		title: `${cap(e.metric.label)}${e.within ? ` in ${e.within.value}` : ""}: what moved it, by ${top.dimension}`,
		subtitle: `${periodName(e.previous, e.grain)} → ${periodName(e.current, e.grain)}, change ${stepText(e.total.change * scale, format)}`,
		format,
		start: {
			label: periodName(e.previous, e.grain),
			value: (e.total.previous ?? 0) * scale,
		},
		steps,
		end: {
			label: periodName(e.current, e.grain),
			value: (e.total.current ?? 0) * scale,
		},
	};
}

/** `explain …`: its waterfall (explainChartInput). */
export const explainChart: DataChart = async (_catalog, data, charts) => {
	const e = data as Explanation | undefined;
	const input = e ? explainChartInput(e) : undefined;
	if (!e || !input) return undefined;
	return draw(input, `explain-${e.metric.id}.png`, charts);
};
