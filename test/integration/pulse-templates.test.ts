import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { plantedEvents } from "../../src/demo/events.ts";
import { generateDemoErp } from "../../src/demo/index.ts";
import { runIngest } from "../../src/ingest/run.ts";
import {
	createMetricCatalog,
	fetchSeries,
	type MetricDefinition,
} from "../../src/metrics/index.ts";
import { pulseTemplatesDir } from "../../src/paths.ts";
import { createPgAlertActions } from "../../src/pulse/engine/chat-actions.ts";
import { monitorFromText } from "../../src/pulse/engine/natural-create.ts";
import { runMonitor } from "../../src/pulse/engine/run.ts";
import {
	addFromTemplate,
	loadTemplates,
	type MonitorTemplate,
	syncTemplates,
} from "../../src/pulse/engine/templates.ts";
import { clean } from "../../src/quality/clean.ts";
import { memoryLogger } from "../helpers/log.ts";
import { type PulseTestEnv, pulseTestEnv } from "../helpers/pulse.ts";
import { sourceFrom } from "../helpers/warehouse.ts";

/** The templates that should catch the planted events of the demo ERP. */
const MATCHING = {
	margin_drop: "margin-drop-by-region",
	stock_out: "stock-out-regular-seller",
	silent_customer: "key-customer-silent",
} as const;

/** An instant in the afternoon of a day, so the as-of date is that day in UTC. */
const day = (d: string) => new Date(`${d}T12:00:00Z`);

function addDays(d: string, n: number): string {
	const t = new Date(`${d}T00:00:00Z`);
	t.setUTCDate(t.getUTCDate() + n);
	return t.toISOString().slice(0, 10);
}

/**
 * The templates, on the default demo ERP (seed 42, 150k lines): each planted event is caught by
 * its template with the default parameters when run as of the right date, and a normal week
 * raises no alert from those templates.
 */
describe("Pulse templates on the demo ERP", () => {
	let env: PulseTestEnv;
	let dir: string;
	let templates: MonitorTemplate[];
	const events = plantedEvents(42, undefined, 150_000);
	const event = (type: keyof typeof MATCHING) => {
		const e = events.find((x) => x.type === type);
		if (!e) throw new Error(`no planted ${type}`);
		return e;
	};

	beforeAll(async () => {
		dir = mkdtempSync(path.join(tmpdir(), "erp-pulse-templates-"));
		const file = path.join(dir, "erp.sqlite");
		await generateDemoErp({ file, seed: 42, lines: 150_000 });
		env = await pulseTestEnv("pulse_templates");
		const { log } = memoryLogger();
		await runIngest(
			env.deps.pool,
			sourceFrom(
				`connection: {kind: sqlite, file: ${file}}\nmapping: demo-erp`,
				"demo",
			),
			{ log },
		);
		await clean(env.deps.pool, env.deps.sql, "salespeople", {
			source: "demo",
			execute: true,
		});
		templates = loadTemplates(pulseTemplatesDir, env.deps.catalog);
	}, 600_000);

	afterAll(async () => {
		await env?.close();
		if (dir) rmSync(dir, { recursive: true, force: true });
	});

	async function alertsOf(
		name: string,
		params: Record<string, unknown>,
		dates: string[],
	) {
		const m = await addFromTemplate(env.deps, templates, name, params);
		const runs = [];
		for (const d of dates)
			runs.push(await runMonitor(env.deps, m.row.id, { now: day(d) }));
		const errors = runs.flatMap((r) => (r.error ? [r.error] : []));
		const { rows } = await env.deps.pool.query<{
			message: string;
			headline: string | null;
			detected_at: Date;
		}>(
			"select message, data -> 'rows' -> 0 ->> 'headline' as headline, detected_at from pulse_alerts where monitor_id = $1 order by detected_at",
			[m.row.id],
		);
		return { alerts: rows, errors, runs };
	}

	it("loads at least 11 templates for CFO, supply chain and sales into the table, once", async () => {
		expect(templates.length).toBeGreaterThanOrEqual(11);
		expect(new Set(templates.map((t) => t.audience))).toEqual(
			new Set(["cfo", "supply_chain", "sales"]),
		);
		expect(await syncTemplates(env.deps, templates)).toBe(templates.length);
		expect(await syncTemplates(env.deps, templates)).toBe(0);
		const { rows } = await env.deps.pool.query(
			"select count(*)::int as n from pulse_monitor_templates",
		);
		expect(rows[0].n).toBe(templates.length);
	});

	it("names a bad template parameter and an unknown template", async () => {
		await expect(
			addFromTemplate(env.deps, templates, "key-customer-silent", {
				silent_days: "soon",
			}),
		).rejects.toThrow(
			'parameter silent_days: expected a whole number from 1 to 365; got "soon"',
		);
		await expect(
			addFromTemplate(env.deps, templates, "margin-drop-by-region", {
				colour: "red",
			}),
		).rejects.toThrow(
			"parameter colour: template margin-drop-by-region has no such parameter; it has drop_points",
		);
		await expect(
			addFromTemplate(env.deps, templates, "margin-drop-by-regoin", {}),
		).rejects.toThrow(
			'No template "margin-drop-by-regoin". Did you mean margin-drop-by-region?',
		);
	});

	it("catches the West region's margin drop in October as of 1 November", async () => {
		const e = event("margin_drop");
		const { alerts, errors } = await alertsOf(MATCHING.margin_drop, {}, [
			addDays(e.to, 1),
		]);
		expect(errors).toEqual([]);
		expect(alerts).toHaveLength(1);
		expect(alerts[0]?.message).toMatch(
			new RegExp(`^${e.entityIds[0]} gross margin drop`),
		);
		// The sentence a manager reads: what, where, when, how far from normal, and the rule.
		const headline = alerts[0]?.headline ?? "";
		const m =
			/^(\w+) gross margin fell to (\d+\.\d)% in October 2026, (\d+\.\d) points below its average of (\d+\.\d)% over the 12 months before \(the alert is for a drop of more than 5 points\)$/.exec(
				headline,
			);
		expect(m, headline).not.toBeNull();
		expect(m?.[1]).toBe(e.entityIds[0]);
		// The same figure the catalog's margin % gives for that region and month (one definition).
		const series = await fetchSeries(
			env.deps.pool,
			createMetricCatalog(),
			createMetricCatalog().get("margin_pct") as MetricDefinition,
			{
				since: "2025-10-01",
				until: "2026-10-31",
				filter: { dimension: "region", value: String(m?.[1]) },
			},
		);
		const october = series.points.find((p) => p.period === "2026-10-01");
		expect(Number(m?.[2])).toBe(Math.round((october?.value ?? 0) * 10) / 10);
		const before = series.points.filter((p) => p.period < "2026-10-01");
		expect(before).toHaveLength(12);
	});

	it(`catches the stock-out of the planted item during its stock-out`, async () => {
		const e = event("stock_out");
		const { alerts, errors, runs } = await alertsOf(MATCHING.stock_out, {}, [
			addDays(e.from, 10),
			addDays(e.from, 24),
		]);
		expect(errors).toEqual([]);
		expect(alerts).toHaveLength(1);
		expect(alerts[0]?.message).toContain(`${e.entityIds[0]} `);
		expect(alerts[0]?.headline).toMatch(
			new RegExp(
				`^${e.entityIds[0]} .+ is out of stock as of \\d{1,2} \\w+ 2026; it sold in \\d+ of the last 13 weeks, about \\d+ units a week(; \\d+ other regular sellers? (is|are) out of stock too)?$`,
			),
		);
		expect(runs.map((r) => r.evaluation?.breached)).toEqual([true, true]);
	});

	it("catches the silent top customer once its silence is long", async () => {
		const e = event("silent_customer");
		const { alerts, errors } = await alertsOf(MATCHING.silent_customer, {}, [
			e.to,
		]);
		expect(errors).toEqual([]);
		expect(alerts).toHaveLength(1);
		expect(alerts[0]?.message).toContain(
			`(${e.entityIds[0]}) has not ordered for`,
		);
		expect(alerts[0]?.headline).toMatch(
			/^.+ \((Champions|Can't Lose Them|a top customer)\) has not ordered since \d{1,2} \w+ 2026: \d+ days as of \d{1,2} \w+ 2026, where it ordered every \d+ days on average over the year before$/,
		);
	});

	it("raises no alert from those templates in a normal week (1–7 June 2026)", async () => {
		const week = Array.from({ length: 7 }, (_, i) => addDays("2026-06-01", i));
		const perTemplate: Record<string, number> = {};
		for (const t of templates) {
			const { alerts, errors } = await alertsOf(t.name, {}, week);
			expect(errors, t.name).toEqual([]);
			perTemplate[t.name] = alerts.length;
		}
		console.log(
			`alerts per template, 1–7 June 2026: ${JSON.stringify(perTemplate)}`,
		);
		for (const name of Object.values(MATCHING))
			expect(perTemplate[name], name).toBe(0);
	}, 300_000);

	it("opens every template's alert with a manager's sentence: what, where, when (named), how big, in the unit", async () => {
		// Loose parameters, so each template fires somewhere on the demo; the sentence is the point.
		const LOOSE: Record<
			string,
			{ params: Record<string, unknown>; sentence: RegExp }
		> = {
			"days-on-hand-above-target": {
				params: { target_days: 1 },
				sentence:
					/^Days on hand stood at \d+(\.\d)? days in \w+ 2026, \d+(\.\d)? days above the 1 day limit; its median over the 12 months before was \d+(\.\d)? days$/,
			},
			"excess-inventory-value-up": {
				params: { rise_pct: 1 },
				sentence:
					/^Inventory value rose \d+(\.\d)?% in \w+ 2026, from [\d,]+ USD in \w+ 2026 to [\d,]+ USD; the alert is for a 1% rise or more$/,
			},
			"gross-margin-below-target": {
				params: { target_pct: 100 },
				sentence:
					/^Margin % stood at (\d+\.\d)% in October 2026, \d+\.\d points below the 100% limit; its median over the 12 months before was \d+(\.\d)?%$/,
			},
			"items-below-reorder-point": {
				params: { safety_days: 90 },
				sentence:
					/^\d+ items are at or below the reorder point as of \d{1,2} \w+ 2026; the fastest seller among them, ITM-\d+ .+, has a stock position \(on hand plus on order\) of \d+ units against a reorder point of \d+ and sells about \d+ a week$/,
			},
			"key-customer-silent": {
				params: {},
				sentence:
					/^.+ has not ordered since \d{1,2} \w+ 2026: \d+ days as of \d{1,2} \w+ 2026, where it ordered every \d+ days on average over the year before$/,
			},
			"margin-drop-by-region": {
				params: { drop_points: 1 },
				sentence:
					/^\w+ gross margin fell to \d+\.\d% in \w+ 2026, \d+\.\d points below its average of \d+\.\d% over the 12 months before \(the alert is for a drop of more than 1 point\)$/,
			},
			"projected-stockout-within-lead-time": {
				params: { min_weeks_sold: 1 },
				sentence:
					/^\d+ regular sellers? will run out before a new order could arrive, as of \d{1,2} \w+ 2026; the soonest, ITM-\d+ .+, has \d+ units on hand, \d+ days of cover against a lead time of \d+ days, and nothing on order$/,
			},
			"quote-win-rate-drop": {
				params: { drop_points: 1 },
				sentence:
					/^The quote win rate fell to \d+\.\d% in the 90 days to \d{1,2} \w+ 2026, \d+\.\d points below the \d+\.\d% of the year before \(the alert is for a drop of more than 1 point\)$/,
			},
			"revenue-down-week-over-week": {
				params: { drop_pct: 1 },
				sentence:
					/^Revenue fell \d+(\.\d)?% in the week of \d{1,2} \w+ 2026, from [\d,]+ USD in the week of \d{1,2} \w+ 2026 to [\d,]+ USD; the alert is for a 1% fall or more$/,
			},
			"salesperson-revenue-anomaly": {
				params: { drop_pct: 1, min_monthly_revenue: 0 },
				sentence:
					/^.+'s revenue was [\d,]+ USD in \w+ 2026, \d+\.\d% below a usual month of [\d,]+ USD \(the median of the \d+ months before; the alert is for a fall of more than 1%\)$/,
			},
			"stock-out-regular-seller": {
				params: { min_weeks_sold: 1 },
				sentence:
					/^ITM-\d+ .+ is out of stock as of \d{1,2} \w+ 2026; it sold in \d+ of the last 13 weeks, about \d+ units a week(; \d+ other regular sellers? (is|are) out of stock too)?$/,
			},
			"top-customer-concentration": {
				params: { max_share_pct: 1 },
				sentence:
					/^The top 10 customers brought in (\d+\.\d)% of revenue in the 90 days to 1 November 2026 \(([\d,]+) of ([\d,]+) USD; the alert is for more than 1%\)$/,
			},
		};
		const dates = ["2026-05-04", "2026-07-01", "2026-09-07", "2026-11-01"];
		const sentences: Record<string, string> = {};
		for (const t of templates) {
			if (t.name === "new-customers-below-trend") continue; // an anomaly: unit-tested (pulse-headline)
			const loose = LOOSE[t.name];
			expect(loose, `a case for template ${t.name}`).toBeDefined();
			const m = await addFromTemplate(
				env.deps,
				templates,
				t.name,
				loose?.params ?? {},
			);
			for (const d of dates)
				await runMonitor(env.deps, m.row.id, { now: day(d) });
			const { rows } = await env.deps.pool.query<{
				headline: string | null;
				observed: string | null;
			}>(
				`select coalesce(data ->> 'headline', data -> 'rows' -> 0 ->> 'headline') as headline,
					coalesce(data ->> 'observed', data -> 'rows' -> 0 ->> 'observed') as observed
				from pulse_alerts where monitor_id = $1 order by detected_at desc limit 1`,
				[m.row.id],
			);
			const a = rows[0];
			expect(a?.headline, t.name).toMatch(loose?.sentence as RegExp);
			// "Observed" carries a unit or a noun, never a bare number.
			expect(a?.observed, t.name).toMatch(/[a-z%]/);
			sentences[t.name] = a?.headline ?? "";
		}
		// Two figures checked against the warehouse by hand-written SQL, not the catalog.
		const margin = /stood at (\d+\.\d)%/.exec(
			sentences["gross-margin-below-target"] ?? "",
		);
		const { rows: october } = await env.deps.pool.query<{ pct: number }>(
			`select round(100 * sum(gross_margin) / sum(net_sales), 1)::float8 as pct from transaction_data
			where posting_date >= '2026-10-01' and posting_date < '2026-11-01' and gross_margin is not null`,
		);
		expect(Number(margin?.[1])).toBe(october[0]?.pct);
		const share =
			/brought in (\d+\.\d)% of revenue .* \(([\d,]+) of ([\d,]+) USD/.exec(
				sentences["top-customer-concentration"] ?? "",
			);
		const { rows: top } = await env.deps.pool.query<{
			top: number;
			total: number;
		}>(
			`with c as (select customer, sum(net_sales) as r from transaction_data
				where posting_date > date '2026-11-01' - 90 and posting_date <= '2026-11-01' and customer is not null group by 1)
			select (select round(sum(r)) from (select r from c order by r desc limit 10) x)::float8 as top, round(sum(r))::float8 as total from c`,
		);
		expect(share?.[2]?.replaceAll(",", "")).toBe(String(top[0]?.top));
		expect(share?.[3]?.replaceAll(",", "")).toBe(String(top[0]?.total));
		expect(Number(share?.[1])).toBe(
			Math.round((1000 * (top[0]?.top ?? 0)) / (top[0]?.total ?? 1)) / 10,
		);
	}, 300_000);

	it("gives a metric monitor's alert the reason the metric moved: the dimension and member that explain it", async () => {
		const text = "alert me when margin % falls below 30%";
		const { saved } = await monitorFromText(env.deps, templates, text, {
			save: true,
			userId: "U1",
		});
		const id = saved?.row.id as string;
		const run = await runMonitor(env.deps, id, { now: day("2026-11-01") });
		expect(run.actions[0]?.type).toBe("open_alert");
		const west = events.find((e) => e.type === "margin_drop")?.entityIds[0];
		expect(run.evaluation?.drivers).toMatch(
			new RegExp(
				`^by region, (mostly|led by) ${west}: −[\\d.]+ points of −[\\d.]+ points \\(rate −[\\d.]+ points, mix [+−][\\d.]+ points\\)`,
			),
		);
		const { rows } = await env.deps.pool.query<{ id: string; drivers: string }>(
			"select id, data->>'drivers' as drivers from pulse_alerts where monitor_id = $1",
			[id],
		);
		expect(rows[0]?.drivers).toBe(run.evaluation?.drivers);
		const message = await createPgAlertActions(env.deps).render(
			rows[0]?.id as string,
			day("2026-11-01"),
		);
		expect(message?.facts).toContainEqual({
			label: "Why",
			value: run.evaluation?.drivers,
		});
	}, 120_000);

	it("understands a sentence as a metric monitor and it catches the West margin drop", async () => {
		const text =
			"alert me when gross margin falls below 28% in the West region";
		const preview = await monitorFromText(env.deps, templates, text, {
			save: false,
		});
		expect(preview.saved).toBeNull();
		expect(preview.definition).toMatchObject({
			target: {
				metric: "margin_pct",
				filter: { dimension: "region", value: "West" },
			},
			condition: { kind: "threshold", operator: "<", value: 28 },
		});
		const { saved } = await monitorFromText(env.deps, templates, text, {
			save: true,
			userId: "U1",
		});
		const id = saved?.row.id as string;
		expect(saved?.row.natural_language_query).toBe(text);
		const before = await runMonitor(env.deps, id, { now: day("2026-08-01") });
		const after = await runMonitor(env.deps, id, { now: day("2026-11-01") });
		expect(before.evaluation?.breached).toBe(false);
		expect(after.actions[0]?.type).toBe("open_alert");
		expect(after.evaluation?.detail).toMatch(
			/^margin % \(region West\) 13\.\d% is below 28%/,
		);
		const { rows } = await env.deps.pool.query(
			"select count(*)::int as n from pulse_query_history where query_text = $1",
			[text],
		);
		expect(rows[0].n).toBe(2);
	});
});
