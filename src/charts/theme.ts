import type { Config } from "vega-lite";
import { CHART_FONT_FAMILY } from "./font.ts";

/** How serious a highlighted point or threshold is; matches the alert severities. */
export type Severity = "info" | "warning" | "critical" | "ok";

/**
 * The one look of every chart. Drawn on an opaque white card so it reads the same in Slack's and
 * Discord's light and dark themes; series colours are a colour-blind-safe set that keeps contrast
 * against white.
 */
export const THEME = {
	background: "#ffffff",
	text: "#1f2933",
	mutedText: "#52606d",
	grid: "#e4e7eb",
	domain: "#9aa5b1",
	series: [
		"#2563eb",
		"#e8590c",
		"#0f9d58",
		"#7c3aed",
		"#d6336c",
		"#0b7285",
		"#8a6d00",
		"#495057",
	],
	severity: {
		info: "#2563eb",
		warning: "#d97706",
		critical: "#dc2626",
		ok: "#16a34a",
	} satisfies Record<Severity, string>,
	positive: "#15803d",
	negative: "#dc2626",
	bandOpacity: 0.18,
	heatmapScheme: ["#eff6ff", "#bfdbfe", "#60a5fa", "#2563eb", "#1e3a8a"],
	fontSize: { title: 15, subtitle: 12, axisTitle: 12, label: 12, mark: 11 },
	/** Default canvas in CSS pixels; the PNG is twice this. Legible when Slack shows it 360 px wide. */
	size: { width: 480, height: 280 },
	padding: 10,
} as const;

export function seriesColor(i: number): string {
	return THEME.series[i % THEME.series.length] ?? THEME.series[0];
}

/** The vega-lite `config` every builder uses: font, colours, axis and title style. */
export function chartConfig(): Config {
	const fs = THEME.fontSize;
	return {
		font: CHART_FONT_FAMILY,
		background: THEME.background,
		padding: THEME.padding,
		customFormatTypes: true,
		view: { stroke: null },
		title: {
			fontSize: fs.title,
			fontWeight: "bold",
			color: THEME.text,
			subtitleFontSize: fs.subtitle,
			subtitleColor: THEME.mutedText,
			anchor: "start",
			offset: 8,
			limit: 0,
		},
		axis: {
			labelFontSize: fs.label,
			titleFontSize: fs.axisTitle,
			labelColor: THEME.mutedText,
			titleColor: THEME.mutedText,
			titleFontWeight: "normal",
			gridColor: THEME.grid,
			domainColor: THEME.domain,
			tickColor: THEME.domain,
			labelLimit: 160,
		},
		axisX: { grid: false, labelAngle: 0 },
		legend: {
			labelFontSize: fs.label,
			titleFontSize: fs.label,
			labelColor: THEME.text,
			orient: "top",
			direction: "horizontal",
			title: null,
			labelLimit: 150,
			symbolStrokeWidth: 3,
			offset: 8,
			padding: 0,
		},
		line: { strokeWidth: 2.25 },
		point: { filled: true, size: 36 },
		text: { fontSize: fs.mark, color: THEME.text },
		range: { category: [...THEME.series] },
	};
}
