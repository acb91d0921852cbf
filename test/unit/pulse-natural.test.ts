import { describe, expect, it } from "vitest";
import { createMetricCatalog } from "../../src/metrics/index.ts";
import { parseMonitorText } from "../../src/pulse/natural.ts";

const catalog = createMetricCatalog();
const templates = [
	{
		name: "items-below-reorder-point",
		words: "Items at or below their reorder point stock position",
	},
	{
		name: "key-customer-silent",
		words: "Champion customer gone silent has not ordered",
	},
	{
		name: "margin-drop-by-region",
		words: "Margin anomaly by region gross margin drop",
	},
];
const parse = (text: string) => parseMonitorText(text, catalog, templates);

describe("understanding a monitor written as a sentence", () => {
	it("reads a threshold on a percent metric narrowed to a region", () => {
		const r = parse(
			"alert me when gross margin falls below 28% in the West region",
		);
		expect(r).toMatchObject({
			ok: true,
			understood: {
				kind: "monitor",
				target: {
					metric: "margin_pct",
					grain: "month",
					filter: { dimension: "region", value: "West" },
				},
				condition: { kind: "threshold", operator: "<", value: 28 },
			},
		});
	});

	it("reads the region wherever it sits in the sentence", () => {
		const a = parse(
			"alert me when gross margin falls below 28% in the West region",
		);
		const b = parse(
			"Alert me when gross margin in the West region falls below 28%.",
		);
		expect(b).toEqual(a);
	});

	it("reads a week-over-week fall as a change condition on weekly figures", () => {
		expect(
			parse("tell me if revenue drops more than 15% week over week"),
		).toMatchObject({
			ok: true,
			understood: {
				target: { metric: "revenue", grain: "week" },
				condition: {
					kind: "change",
					period: "week_over_week",
					direction: "down",
					percent: 15,
				},
				frequency: "weekly",
			},
		});
	});

	it("routes a reorder-point sentence to its template", () => {
		expect(
			parse("warn when any item is below its reorder point"),
		).toMatchObject({
			ok: true,
			understood: { kind: "template", template: "items-below-reorder-point" },
		});
	});

	it("reads rises, 'go above' and anomalies", () => {
		expect(
			parse("notify me if orders rise more than 20% month over month"),
		).toMatchObject({
			understood: {
				condition: {
					kind: "change",
					direction: "up",
					percent: 20,
					period: "month_over_month",
				},
			},
		});
		expect(parse("alert me when days on hand go above 90")).toMatchObject({
			understood: {
				target: { metric: "days_on_hand" },
				condition: { kind: "threshold", operator: ">", value: 90 },
			},
		});
		expect(parse("tell me when active customers look unusual")).toMatchObject({
			understood: {
				target: { metric: "active_customers" },
				condition: { kind: "anomaly" },
			},
		});
	});

	it("answers a misspelt metric with did-you-mean", () => {
		expect(parse("alert me when revnue falls below 100000")).toMatchObject({
			ok: false,
			reason: "unknown metric 'revnue' — did you mean revenue?",
			suggestions: expect.arrayContaining(["revenue"]),
		});
	});

	it("offers the closest templates for text it cannot read", () => {
		const r = parse(
			"let me know when a champion customer goes strangely quiet on us",
		);
		expect(r.ok).toBe(false);
		expect(r.ok === false && r.suggestions[0]).toBe("key-customer-silent");
	});

	it("is deterministic", () => {
		const text = "tell me if revenue drops more than 15% week over week";
		expect(parse(text)).toEqual(parse(text));
	});
});
