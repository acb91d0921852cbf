import type { ChartInput, TimePoint } from "./types.ts";

/**
 * Fixed example inputs: one per chart kind plus the awkward cases (empty, one point, gaps,
 * negatives, extreme magnitudes, thousands of points, long and non-Latin labels). The gallery
 * script draws them for eyeballing and the golden tests compare them byte for byte, so the data is
 * computed from fixed formulas, never from the clock or a random source.
 */
export type SampleName = keyof ReturnType<typeof chartSamples>;

/** A deterministic wobble in [-1, 1] (a small LCG), so samples look organic but never change. */
function wobble(seed: number): (i: number) => number {
	return (i) => {
		let x = (seed * 7919 + i * 104_729) >>> 0;
		x = (Math.imul(x ^ (x >>> 15), 2_246_822_507) >>> 0) ^ (x >>> 13);
		return ((x >>> 0) % 2001) / 1000 - 1;
	};
}

function monthly(
	n: number,
	from: [number, number],
	f: (i: number) => number | null,
): TimePoint[] {
	return Array.from({ length: n }, (_, i) => ({
		t: new Date(Date.UTC(from[0], from[1] + i, 1)),
		value: f(i),
	}));
}

function daily(
	n: number,
	from: [number, number, number],
	f: (i: number) => number | null,
): TimePoint[] {
	return Array.from({ length: n }, (_, i) => ({
		t: Date.UTC(from[0], from[1], from[2] + i),
		value: f(i),
	}));
}

const REGIONS = ["North", "South", "East", "West", "Central", "Online"];

export function chartSamples() {
	const w = wobble(1);
	const revenue = (i: number) =>
		1_050_000 + i * 28_000 + 90_000 * Math.sin(i / 1.9) + 25_000 * w(i);
	const revenuePoints = monthly(36, [2023, 0], revenue);
	const customers = (i: number) =>
		Math.round(410 + i * 9.5 + 30 * Math.sin(i / 1.9) + 12 * wobble(2)(i));
	const dip = revenuePoints[33] as TimePoint;
	return {
		"timeseries-alert": {
			kind: "timeseries",
			title: "Revenue by month",
			subtitle: "All regions · alert: revenue below $1.9M",
			grain: "month",
			format: { style: "currency" },
			series: [
				{
					name: "Revenue",
					points: revenuePoints.map((p, i) =>
						i === 33 ? { ...p, value: 1_640_000 } : p,
					),
				},
			],
			highlights: [
				{ t: dip.t, value: 1_640_000, label: "$1.64M", severity: "critical" },
			],
			thresholds: [
				{ value: 1_900_000, label: "Alert below", severity: "warning" },
			],
		},
		"timeseries-multi": {
			kind: "timeseries",
			title: "Weekly orders by channel",
			grain: "week",
			format: { style: "count", unit: "orders" },
			series: ["Distributors", "Retail", "Web shop"].map((name, s) => ({
				name,
				points: Array.from({ length: 52 }, (_, i) => ({
					t: Date.UTC(2024, 0, 1 + 7 * i),
					value: Math.round(
						(900 - s * 280) * (1 + 0.25 * Math.sin((i + s * 5) / 6)) +
							40 * wobble(10 + s)(i),
					),
				})),
			})),
		},
		"dual-axis": {
			kind: "dual-axis",
			title: "Revenue and active customers",
			subtitle: "r = 0.97 on 36 months",
			grain: "month",
			left: {
				name: "Revenue",
				format: { style: "currency" },
				points: revenuePoints,
			},
			right: {
				name: "Active customers",
				format: { style: "count", unit: "customers" },
				points: monthly(36, [2023, 0], customers),
			},
		},
		scatter: {
			kind: "scatter",
			title: "Revenue vs active customers",
			subtitle: "Monthly, 2023–2025",
			x: { title: "Active customers", format: { style: "count" } },
			y: { title: "Revenue", format: { style: "currency" } },
			points: Array.from({ length: 36 }, (_, i) => ({
				x: customers(i) + 40 * wobble(3)(i),
				y: revenue(i),
			})),
		},
		"bar-top": {
			kind: "bar",
			title: "Top customers by revenue, last 12 months",
			format: { style: "currency" },
			limit: 10,
			items: [
				["Northwind Traders", 2_450_000],
				[
					"Contoso Pharmaceuticals International Holdings Group (Europe, Middle East & Africa)",
					1_980_000,
				],
				["Fabrikam", 1_720_000],
				["ООО «Северный ветер»", 1_310_000],
				["Ελληνικά Τρόφιμα Α.Ε.", 990_000],
				["Adventure Works", 870_000],
				["Tailspin Toys", 640_000],
				["Wide World Importers", 515_000],
				["Litware", 402_000],
				["Proseware", 318_000],
				["Lucerne Publishing", 240_000],
				["Coho Winery", 120_000],
			].map(([label, value]) => ({
				label: String(label),
				value: Number(value),
			})),
		},
		"waterfall-explain": {
			kind: "waterfall",
			title: "Margin % in West: what moved it, by category",
			subtitle: "Sep 2026 → Oct 2026 (month), change −14.8 points",
			format: { style: "percent" },
			start: { label: "Sep 2026", value: 0.285 },
			steps: [
				["Paper & Disposables", -0.031],
				["Janitorial & Sanitation", -0.025],
				["Safety & PPE", -0.02],
				["Frozen Foods", -0.019],
				["Beverages", 0.004],
				["all others", -0.057],
			].map(([label, value]) => ({
				label: String(label),
				value: Number(value),
			})),
			end: { label: "Oct 2026", value: 0.137 },
		},
		cohort: {
			kind: "cohort",
			title: "Customer retention by first-order month",
			grain: "month",
			cohorts: Array.from({ length: 8 }, (_, c) => ({
				start: Date.UTC(2025, c, 1),
				size: 120 + c * 13,
				retention: Array.from({ length: 8 - c }, (_, p) =>
					p === 0
						? 1
						: Math.max(
								0.05,
								0.58 * 0.9 ** (p - 1) - 0.02 * c + 0.03 * wobble(20 + c)(p),
							),
				),
			})),
		},
		forecast: {
			kind: "forecast",
			title: "Revenue forecast, next 6 months",
			grain: "month",
			format: { style: "currency" },
			actuals: revenuePoints.slice(12),
			forecast: Array.from({ length: 6 }, (_, k) => {
				const v = revenue(36 + k);
				const spread = 60_000 + k * 35_000;
				return {
					t: Date.UTC(2026, k, 1),
					value: v,
					lower: v - spread,
					upper: v + spread,
				};
			}),
		},
		sparkline: {
			kind: "sparkline",
			title: "Revenue this week",
			grain: "day",
			format: { style: "currency" },
			points: daily(
				28,
				[2025, 5, 2],
				(i) => 48_000 + 6_000 * Math.sin(i / 2) + 2_000 * w(i) + i * 300,
			),
			delta: {
				value: 0.124,
				format: { style: "percent" },
				label: "vs last week",
			},
		},
		"small-multiples": {
			kind: "small-multiples",
			title: "Gross margin by region",
			grain: "month",
			format: { style: "percent" },
			panels: REGIONS.map((name, r) => ({
				name,
				points: monthly(
					24,
					[2024, 0],
					(i) =>
						0.29 +
						0.03 * Math.sin((i + r * 2) / 3) -
						0.002 * i * (r % 2) +
						0.008 * wobble(30 + r)(i),
				),
			})),
		},
		"edge-empty": {
			kind: "timeseries",
			title: "Returns by month",
			grain: "month",
			format: { style: "count", unit: "returns" },
			series: [{ name: "Returns", points: [] }],
		},
		"edge-one-point": {
			kind: "timeseries",
			title: "Revenue, first month of data",
			grain: "month",
			format: { style: "currency" },
			series: [
				{ name: "Revenue", points: monthly(1, [2025, 5], () => 1_234_567) },
			],
		},
		"edge-gaps-negative": {
			kind: "timeseries",
			title: "Net cash flow (missing weeks left blank)",
			grain: "week",
			format: { style: "currency" },
			series: [
				{
					name: "Net cash flow",
					points: Array.from({ length: 20 }, (_, i) => ({
						t: Date.UTC(2025, 0, 6 + 7 * i),
						value: [4, 5, 11, 12, 16].includes(i)
							? null
							: i === 14
								? Number.NaN
								: -40_000 + 9_000 * i + 30_000 * w(i),
					})),
				},
			],
		},
		"edge-huge": {
			kind: "bar",
			title: "National debt by country (USD)",
			format: { style: "currency" },
			items: [
				{ label: "United States", value: 3.4e13 },
				{ label: "Japan", value: 9.2e12 },
				{ label: "Tiny island", value: 4.2e7 },
				{ label: "Negative fund", value: -2.5e12 },
			],
		},
		"edge-tiny": {
			kind: "timeseries",
			title: "Defect rate per unit",
			grain: "day",
			format: { style: "number" },
			series: [
				{
					name: "Defect rate",
					points: daily(
						30,
						[2025, 2, 1],
						(i) => 0.00012 + 0.00004 * Math.sin(i / 3),
					),
				},
			],
		},
		"edge-5000-points": {
			kind: "timeseries",
			title: "Sensor-grade series: 5,000 hourly points",
			grain: "hour",
			format: { style: "number" },
			series: [
				{
					name: "Load",
					points: Array.from({ length: 5000 }, (_, i) => ({
						t: Date.UTC(2025, 0, 1, i),
						value:
							i === 3210
								? 400
								: i === 1234
									? -150
									: 100 + 20 * Math.sin(i / 24) + 5 * w(i),
					})),
				},
			],
		},
		"edge-non-latin": {
			kind: "timeseries",
			title: "Выручка по регионам — Έσοδα ανά περιοχή — 地区收入",
			grain: "month",
			format: { style: "currency", symbol: "€" },
			series: ["Москва", "Αθήνα", "東京", "Zürich"].map((name, s) => ({
				name,
				points: monthly(
					12,
					[2025, 0],
					(i) => 200_000 + s * 50_000 + 20_000 * Math.sin((i + s) / 2),
				),
			})),
		},
	} satisfies Record<string, ChartInput>;
}
