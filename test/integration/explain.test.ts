import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { explainChartInput } from "../../commands/charts.ts";
import { explainCommand } from "../../commands/explain.ts";
import { renderChart } from "../../src/charts/index.ts";
import { migrate } from "../../src/db/migrate.ts";
import { createPool, type Pool } from "../../src/db/pool.ts";
import type { DemoSummary } from "../../src/demo/generate.ts";
import { generateDemoErp } from "../../src/demo/index.ts";
import { createMetricCatalog } from "../../src/metrics/catalog.ts";
import {
	type Explanation,
	explainMetric,
	OTHERS,
} from "../../src/metrics/explain.ts";
import { explanationSentence } from "../../src/metrics/explain-text.ts";
import { fetchSeries } from "../../src/metrics/fetch.ts";
import { addPeriods, periodStart } from "../../src/metrics/periods.ts";
import {
	combinedStatement,
	groupedRows,
	seriesStatement,
} from "../../src/metrics/sql.ts";
import { migrationsDir } from "../../src/paths.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import { memoryLogger } from "../helpers/log.ts";
import { runCli } from "../helpers/process.ts";
import { loadDemoWarehouse } from "../helpers/warehouse.ts";

/**
 * `explain` on the demo ERP, whose generator plants three changes and says where (src/demo/
 * events.ts): a region's margin falls in the last month, one category's order lines triple for a
 * week, a top customer stops ordering. Each must come out as the driver of its metric's change.
 */
describe("explain on the demo ERP's planted events", () => {
	const { log } = memoryLogger();
	const catalog = createMetricCatalog();
	const metric = (id: string) => {
		const m = catalog.metrics.find((x) => x.id === id);
		if (!m) throw new Error(`no metric ${id}`);
		return m;
	};
	let dir: string;
	let file: string;
	let db: TestDatabase;
	let pool: Pool;
	let demo: DemoSummary;
	const event = (type: string) => {
		const e = demo.events.find((x) => x.type === type);
		if (!e) throw new Error(`no planted ${type}`);
		return e;
	};

	beforeAll(async () => {
		dir = mkdtempSync(path.join(tmpdir(), "erp-pulse-explain-"));
		file = path.join(dir, "erp.sqlite");
		demo = await generateDemoErp({ file, seed: 42, lines: 60_000 });
		db = await createTestDatabase("explain");
		pool = createPool(db.url, log, { max: 2 });
		await migrate(pool, migrationsDir, log);
		await loadDemoWarehouse(pool, file, { log });
	}, 180_000);
	afterAll(async () => {
		await pool?.end();
		await db?.drop();
		rmSync(dir, { recursive: true, force: true });
	});

	it("names the planted region first for the margin-drop month and puts the fall on that region's own margin, not on mix", async () => {
		const drop = event("margin_drop");
		const e = await explainMetric(pool, catalog, metric("margin_pct"), {
			grain: "month",
		});
		expect(e.current).toBe(periodStart(drop.from, "month"));
		expect(e.total.change).toBeLessThan(0);
		const [top] = e.dimensions;
		expect(top?.dimension).toBe("region");
		expect(top?.lead?.member).toBe(drop.entityIds[0]);
		expect(Math.abs(top?.lead?.rate ?? 0)).toBeGreaterThan(
			Math.abs(top?.lead?.mix ?? 0),
		);
		expect(top?.breakdown.dominant).toBe("rate");
		// Rate and mix over every member (the rest as "all others") add up to the change exactly.
		const b = top?.breakdown;
		expect((b?.rate ?? 0) + (b?.mix ?? 0)).toBeCloseTo(e.total.change, 9);
		expect(b?.members.some((m) => m.member === OTHERS)).toBe(false);
	});

	it("names the planted category first for the demand-spike week", async () => {
		const spike = event("demand_spike");
		const e = await explainMetric(pool, catalog, metric("order_lines"), {
			grain: "week",
			period: spike.from,
		});
		expect(e.current).toBe(periodStart(spike.from, "week"));
		expect(e.total.change).toBeGreaterThan(0);
		expect(e.dimensions[0]?.dimension).toBe("category");
		expect(e.dimensions[0]?.lead?.member).toBe(spike.entityIds[0]);
	});

	it("shows the silent customer among the top negative contributors to revenue in the month it went quiet", async () => {
		const silent = event("silent_customer");
		// The first whole month without its orders, against the month before.
		const september = addPeriods(periodStart(silent.from, "month"), "month", 1);
		const e = await explainMetric(pool, catalog, metric("revenue"), {
			grain: "month",
			by: "customer",
			period: september,
		});
		const negatives = e.dimensions[0]?.breakdown.members
			.filter((m) => m.contribution < 0 && m.member !== OTHERS)
			.slice(0, 3)
			.map((m) => m.member);
		expect(negatives).toContain(silent.entityIds[0]);
		const row = e.dimensions[0]?.breakdown.members.find(
			(m) => m.member === silent.entityIds[0],
		);
		expect(row?.current).toBe(0);
		expect(row?.status).toBe("gone");
	});

	it("splits revenue by region so the parts add up to the catalog's own total change, to the cent", async () => {
		const e = await explainMetric(pool, catalog, metric("revenue"), {
			grain: "month",
			by: "region",
		});
		const total = await fetchSeries(pool, catalog, metric("revenue"), {
			grain: "month",
			since: e.previous,
			until: e.current,
		});
		const [a, b] = total.points.map((p) => p.value ?? 0);
		const parts = e.dimensions[0]?.breakdown.members.reduce(
			(s, m) => s + m.contribution,
			0,
		);
		expect(Math.round((parts ?? 0) * 100)).toBe(
			Math.round(((b ?? 0) - (a ?? 0)) * 100),
		);
		expect(e.total.change).toBeCloseTo((b ?? 0) - (a ?? 0), 6);
	});

	it("reads every dimension's members in one grouped statement with the same figures as the catalog's series filtered to each member", async () => {
		// The grouped statement (grouping sets, one per component) is how explain reads members;
		// each figure must be what `metric … --by dimension=member` shows, for every kind of SQL
		// the catalog groups: a lines aggregate, distinct orders, revenue per distinct order, quotes.
		const range = {
			grain: "month" as const,
			from: "2026-08-01",
			to: "2026-11-01",
		};
		for (const id of [
			"revenue",
			"orders",
			"average_order_value",
			"quote_value",
		]) {
			const m = metric(id);
			const dims = m.dimensions.filter((d) => d !== "segment");
			const st = seriesStatement(m, { ...range, groupBy: dims });
			const { rows } = await pool.query(st.text, st.values);
			const grouped = groupedRows(dims, rows);
			const plain = seriesStatement(m, range);
			const total = await pool.query<{ period: string; value: number }>(
				plain.text,
				plain.values,
			);
			expect(Object.fromEntries(grouped.total), id).toEqual(
				Object.fromEntries(total.rows.map((r) => [r.period, r.value])),
			);
			for (const d of dims) {
				const members = [...(grouped.members.get(d)?.entries() ?? [])]
					.sort(([, x], [, y]) => y.size - x.size)
					.slice(0, 2);
				// Every fact carries a region and a customer; the demo's quotes carry no branch.
				if (d === "region" || d === "customer")
					expect(members.length, `${id} by ${d}`).toBeGreaterThan(0);
				for (const [member, periods] of members) {
					const one = seriesStatement(m, {
						...range,
						filter: { dimension: d, value: member },
					});
					const { rows: own } = await pool.query<{
						period: string;
						value: number;
					}>(one.text, one.values);
					for (const r of own)
						expect(
							periods.get(r.period),
							`${id} ${d}=${member} ${r.period}`,
						).toBeCloseTo(r.value, 6);
				}
			}
		}
	});

	it("reads a ratio's numerator and denominator in one pass with the same figures as their own statements", async () => {
		const range = {
			grain: "month" as const,
			from: "2026-08-01",
			to: "2026-11-01",
			groupBy: ["region", "category", "customer"] as const,
		};
		const parts = [metric("gross_margin"), metric("revenue")];
		const combined = combinedStatement(parts, {
			...range,
			groupBy: [...range.groupBy],
		});
		if (!combined)
			throw new Error("expected one statement for two lines aggregates");
		const { rows } = await pool.query(combined.text, combined.values);
		for (const [i, m] of parts.entries()) {
			const own = seriesStatement(m, { ...range, groupBy: [...range.groupBy] });
			const { rows: alone } = await pool.query(own.text, own.values);
			const a = groupedRows([...range.groupBy], rows, `value${i}`);
			const b = groupedRows([...range.groupBy], alone);
			expect(Object.fromEntries(a.total), m.id).toEqual(
				Object.fromEntries(b.total),
			);
			for (const d of range.groupBy)
				for (const [member, periods] of b.members.get(d) ?? [])
					for (const [period, value] of periods)
						expect(
							a.members.get(d)?.get(member)?.get(period),
							`${m.id} ${d}=${member} ${period}`,
						).toBeCloseTo(value, 6);
		}
		// A metric that is not a plain lines aggregate cannot join the pass.
		expect(
			combinedStatement([metric("orders"), metric("revenue")], range),
		).toBeNull();
	});

	it("looks inside the member that carries the change: within the planted region, explained by the other dimensions", async () => {
		const drop = event("margin_drop");
		const west = drop.entityIds[0] as string;
		const e = await explainMetric(pool, catalog, metric("margin_pct"), {
			grain: "month",
			drill: true,
		});
		expect(e.dimensions[0]?.lead?.member).toBe(west);
		expect(e.dimensions[0]?.lead?.share).toBeGreaterThanOrEqual(0.5);
		const drill = e.drill;
		expect(drill?.within).toEqual({ dimension: "region", value: west });
		expect(drill?.dimensions.map((d) => d.dimension)).not.toContain("region");
		// The drill's change is the region's own margin change, from the catalog's filtered series.
		const own = await fetchSeries(pool, catalog, metric("margin_pct"), {
			grain: "month",
			since: e.previous,
			until: e.current,
			filter: { dimension: "region", value: west },
		});
		const [a, b] = own.points.map((p) => p.value ?? 0);
		expect(drill?.total.change).toBeCloseTo((b ?? 0) - (a ?? 0), 9);
		// Asked for directly, "in region=West" gives the same explanation.
		const deps = {
			catalog,
			library: {} as never,
			withPool: <T>(fn: (p: Pool) => Promise<T>) => fn(pool),
		};
		const direct = await explainCommand.run(
			deps,
			explainCommand.parse(["margin_pct", "in", `region=${west}`]),
		);
		expect((direct.data as Explanation | undefined)?.total.change).toBeCloseTo(
			drill?.total.change ?? 0,
			9,
		);
		expect(direct.text.split("\n")[0]).toMatch(
			new RegExp(`^Margin % in region ${west} fell in `),
		);
		const whole = await explainCommand.run(
			deps,
			explainCommand.parse(["margin_pct"]),
		);
		expect(whole.text).toContain(direct.text.split("\n")[0]);
		expect(explanationSentence(e, (x) => x.toFixed(1)) ?? "").toMatch(
			new RegExp(
				`^by region, mostly ${west}: .*; within region ${west}, by \\w+`,
			),
		);
	});

	it("charts the answer as a waterfall that closes: the previous total, each member's step, the current total", async () => {
		for (const [id, by] of [
			["margin_pct", undefined],
			["revenue", "region"],
			["orders", "category"],
		] as const) {
			const e = await explainMetric(pool, catalog, metric(id), {
				grain: "month",
				...(by ? { by } : {}),
			});
			const input = explainChartInput(e);
			if (!input) throw new Error(`no chart for ${id}`);
			const sum = input.steps.reduce((a, s) => a + (s.value ?? 0), 0);
			// The steps bridge the two totals exactly, overlap included (orders span categories).
			expect(
				(input.start.value ?? 0) + sum,
				`${id}: start + steps = end`,
			).toBeCloseTo(input.end.value ?? 0, 9);
			expect(input.steps.length).toBeLessThanOrEqual(10);
			const chart = await renderChart(input);
			if (!chart.ok) throw new Error(chart.error);
			expect(chart.alt).toMatch(/^Waterfall chart: /);
		}
	});

	it("answers bad requests with a sentence: an unknown dimension, a period without data, no comparison period, a metric it cannot split, an unfinished period", async () => {
		const deps = {
			catalog,
			library: {} as never,
			withPool: <T>(fn: (p: Pool) => Promise<T>) => fn(pool),
		};
		const ask = (text: string) =>
			Promise.resolve()
				.then(() =>
					explainCommand.run(deps, explainCommand.parse(text.split(" "))),
				)
				.then(
					(r) => r.text,
					(err: Error) => err.message,
				);
		expect(await ask("revenue by colour")).toMatch(
			/^unknown dimension 'colour' — dimensions are region/,
		);
		expect(await ask("revenue 2031-01")).toMatch(
			/^no data for revenue in 2031-01: the data run from \d{4}-\d{2} to \d{4}-\d{2} \(complete months\)$/,
		);
		expect(await ask("revenue 2014-11")).toBe(
			"revenue has no period before 2014-11 to compare with: the data start in 2014-11",
		);
		expect(await ask("margin_pct by region in region=West")).toBe(
			"explain within region West cannot split by region again; pick another dimension",
		);
		expect(await ask("margin_pct in West")).toBe(
			'"in" expects dimension=member, e.g. explain margin % in region=West; got "West"',
		);
		expect(await ask("days_on_hand")).toMatch(
			/^days on hand cannot be split into contributions yet: explain works for totals/,
		);
		await expect(async () =>
			explainCommand.parse(["revenue", "this", "month"]),
		).rejects.toThrow('"this month" is not over yet');
	});

	it("runs from the CLI and from chat with the same answer", async () => {
		const config = path.join(dir, "erp-pulse.yaml");
		writeFileSync(
			config,
			`demo: {enabled: false}\nsources:\n  erp:\n    connection: {kind: sqlite, file: ${file}}\n    mapping: demo-erp\n`,
		);
		const cli = await runCli(
			["--config", config, "explain", "margin", "%", "by", "region"],
			{ DATABASE_URL: db.url },
		);
		expect(cli.stderr).toBe("");
		expect(cli.code).toBe(0);
		const lines = cli.stdout.split("\n");
		expect(lines[0]).toMatch(
			/^Margin % fell in \w{3} 2026 vs \w{3} 2026: [\d.]+% → [\d.]+% \(−[\d.]+ points\)\.$/,
		);
		expect(lines[1]).toMatch(
			/^By region: rate −[\d.]+ points, mix [+−][\d.]+ points — members' own figures moved/,
		);
		expect(lines[2]).toMatch(
			new RegExp(
				`^by region, (mostly|led by) ${event("margin_drop").entityIds[0]}: −[\\d.]+ points of −[\\d.]+ points \\(rate −`,
			),
		);
		const chat = await runCli(
			["--config", config, "chat", "/explain margin % by region"],
			{ DATABASE_URL: db.url },
		);
		expect(chat.code).toBe(0);
		expect(chat.stdout).toContain(lines[2] as string);
		// In chat the answer comes with the waterfall of the leading dimension's contributions.
		expect(chat.stdout).toMatch(
			new RegExp(
				`!\\[Waterfall chart: Margin %: what moved it, by region\\. From \\w{3} 2026 [\\d.]+% to \\w{3} 2026 [\\d.]+%: ${event("margin_drop").entityIds[0]} −[\\d.]+ pts;`,
			),
		);
		const png = /\]\((\S+\.png)\)/.exec(chat.stdout)?.[1];
		expect(
			readFileSync(png as string)
				.subarray(1, 4)
				.toString(),
		).toBe("PNG");
	}, 60_000);
});
