import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dispatch } from "../../commands/dispatch.ts";
import { commands } from "../../commands/index.ts";
import {
	type CommandServices,
	commandServices,
} from "../../commands/services.ts";
import type { CommandContext, Reply } from "../../commands/types.ts";
import { parseConfig } from "../../src/config/load.ts";
import { migrate } from "../../src/db/migrate.ts";
import { createPool, type Pool } from "../../src/db/pool.ts";
import { generateDemoErp } from "../../src/demo/index.ts";
import { migrationsDir } from "../../src/paths.ts";
import {
	type MonitorDefinition,
	updateMonitor,
} from "../../src/pulse/engine/store.ts";
import { insertAlert } from "../helpers/chat.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import { memoryLogger } from "../helpers/log.ts";
import { pngHeaderSize } from "../helpers/png.ts";
import { loadDemoWarehouse } from "../helpers/warehouse.ts";

describe("the chat commands on a computed demo ERP", () => {
	const { log } = memoryLogger();
	let dir: string;
	let db: TestDatabase;
	let pool: Pool;
	const config = parseConfig("demo: {enabled: false}\n", "t.yaml", {}).config;

	// Built once, in beforeAll once the pool exists, as a root builds them.
	let services: CommandServices;
	const base = (): Omit<CommandContext, "commands"> => ({
		...services,
		user: { id: "U1" },
		channel: { kind: "local", id: "cli" },
		now: new Date(),
		log,
	});
	const run = (text: string, over: Partial<CommandContext> = {}) =>
		dispatch(commands, text, { ...base(), ...over });
	const all = (r: Reply) =>
		[
			r.message.title,
			r.message.text ?? "",
			...(r.message.facts ?? []).map((f) => `${f.label}: ${f.value}`),
			...(r.message.table?.rows ?? []).map((row) => row.join(" | ")),
			...(r.message.context ?? []),
		].join("\n");

	beforeAll(async () => {
		dir = mkdtempSync(path.join(tmpdir(), "erp-pulse-cmds-"));
		const erp = path.join(dir, "erp.sqlite");
		await generateDemoErp({ file: erp, seed: 5, lines: 5_000 });
		db = await createTestDatabase("cmds");
		pool = createPool(db.url, log, { max: 4 });
		services = commandServices({ pool, config, log });
		await migrate(pool, migrationsDir, log);
	}, 120_000);
	afterAll(async () => {
		await pool?.end();
		await db?.drop();
		rmSync(dir, { recursive: true, force: true });
	});

	it("says segments are not computed yet before the first compute", async () => {
		const r = await run("segment");
		expect(r.ephemeral).toBe(true);
		expect(r.message.text).toBe(
			"segments not computed yet — run erp-pulse compute",
		);
	});

	it("loads and computes the demo ERP", async () => {
		const r = await loadDemoWarehouse(pool, path.join(dir, "erp.sqlite"), {
			log,
			stox: config.stox,
		});
		expect(r.customers).toBeGreaterThan(0);
	}, 240_000);

	it("answers correlate with the verdict and a dual-axis chart of both series", async () => {
		const r = await run("correlate revenue customers");
		expect(r.problem).toBeUndefined();
		expect(r.message.title).toMatch(
			/^revenue \(USD\) vs active customers \(customers\): \d+ months/,
		);
		// The verdict and its reasons are prose that wraps; only the statistics keep the CLI's
		// columns, in a fixed-width block.
		expect(r.message.text).toMatch(/^Verdict: /);
		expect(r.message.pre).not.toContain("Verdict: ");
		expect(r.message.pre).toMatch(/^Pearson r {2,}[-+−]?\d/);
		const png = Buffer.from(r.message.chart?.png ?? []);
		expect(pngHeaderSize(png)).toEqual({ width: 960, height: 560 });
		expect(r.message.chart?.alt).toMatch(
			/^Dual-axis line chart: Revenue and active customers\./,
		);
	});

	it("answers metric with its chart", async () => {
		const r = await run("metric revenue by region last 12 months");
		expect(r.message.text).toBeUndefined();
		expect(r.message.pre).toMatch(/^period {2,}\S.* {2,}all$/m);
		expect(r.message.chart?.alt).toMatch(/^Line chart: Revenue by region\./);
	});

	it("lists the RFM segments with customers, revenue share and frequency", async () => {
		const r = await run("segment");
		expect(r.problem).toBeUndefined();
		expect(r.message.table?.columns).toEqual([
			"Segment",
			"Customers",
			"Revenue share",
			"Avg frequency",
		]);
		const { rows } = await pool.query<{ n: number }>(
			`select count(*)::int as n from segment_performance where segment_type = 'RFM_Segment'`,
		);
		expect(r.message.table?.rows.length).toBe(rows[0]?.n);
	});

	it("shows the top 10 customers of a segment named loosely", async () => {
		const r = await run("segment champions");
		expect(r.problem).toBeUndefined();
		expect(r.message.title).toBe("Champions: top customers by monetary");
		const { rows } = await pool.query<{ customer: string }>(
			`select customer from customer_master where rfm_segment = 'Champions'
			  order by monetary desc nulls last, customer limit 10`,
		);
		expect(r.message.table?.rows.map((x) => x[0])).toEqual(
			rows.map((x) => x.customer),
		);
		const lose = await run("segment cant lose");
		expect(lose.message.title).toBe(
			"Can't Lose Them: top customers by monetary",
		);
	});

	it("answers an unknown segment with the segment names", async () => {
		const r = await run("segment platinum");
		expect(r.problem).toBe(true);
		expect(r.ephemeral).toBe(true);
		expect(r.message.text).toContain("`champions`");
	});

	it("shows the size and retention of the last cohorts", async () => {
		const r = await run("cohort 3");
		expect(r.problem).toBeUndefined();
		expect(r.message.table?.columns).toEqual([
			"Cohort",
			"Customers",
			"M0",
			"M1",
			"M2",
			"M3",
			"M4",
			"M5",
			"M6",
		]);
		expect(r.message.table?.rows.length).toBe(3);
		const byDefault = await run("cohort");
		expect(byDefault.message.table?.rows.length).toBeLessThanOrEqual(6);
		expect(byDefault.message.table?.rows.at(-1)?.[0]).toBe(
			r.message.table?.rows.at(-1)?.[0],
		);
	});

	it("refuses a cohort count that is not a number", async () => {
		const r = await run("cohort six");
		expect(r.problem).toBe(true);
		expect(r.message.text).toContain("expected the number of cohorts");
	});

	it("shows the stox summary, reorder list, excess list and one material", async () => {
		const summary = await run("stox summary");
		expect(summary.problem).toBeUndefined();
		expect(summary.message.title).toContain("Inventory as of");
		expect(summary.message.facts?.[0]?.label).toBe("Materials (SKUs)");
		const reorder = await run("stox reorder --limit 5");
		expect(reorder.problem).toBeUndefined();
		expect(reorder.message.title).toMatch(/^Reorder now/);
		expect(reorder.message.table?.rows.length ?? 0).toBeLessThanOrEqual(5);
		const excess = await run("stox excess");
		expect(excess.problem).toBeUndefined();
		const { rows } = await pool.query<{ m: string }>(
			"select material_number as m from stox_reorder_point order by 1 limit 1",
		);
		const material = rows[0]?.m as string;
		const item = await run(`stox item ${material}`);
		expect(item.problem).toBeUndefined();
		expect(all(item)).toContain(material);
	});

	it("answers a stox item without a material and an unknown report with the fix", async () => {
		const item = await run("stox item");
		expect(item.problem).toBe(true);
		expect(item.message.text).toContain("e.g. `stox item");
		const bad = await run("stox forecast");
		expect(bad.problem).toBe(true);
		expect(bad.message.text).toContain("`stox reorder [--limit N]`");
		const none = await run("stox item NO-SUCH-THING");
		expect(none.problem).toBe(true);
	});

	it("previews the weekly digest", async () => {
		const r = await run("digest --as-of 2026-10-31");
		expect(r.problem).toBeUndefined();
		expect(r.message.context).toContain("Preview: not posted.");
		expect(r.message.title).not.toContain("skipped");
	});

	it("refuses a digest date that is not a date", async () => {
		const r = await run("digest --as-of yesterday");
		expect(r.problem).toBe(true);
		expect(r.message.text).toContain("expected a date like 2026-10-31");
	});
	it("lists no monitors yet and says how to add one", async () => {
		const r = await run("pulse list");
		expect(r.problem).toBeUndefined();
		expect(r.message.text).toContain("No monitors yet");
	});

	it("shows the understood monitor without --yes and saves it with --yes", async () => {
		const text = "alert me when revenue drops more than 15% week over week";
		const preview = await run(`pulse create "${text}"`);
		expect(preview.problem).toBeUndefined();
		expect(preview.ephemeral).toBe(true);
		expect(preview.message.title).toBe("Monitor not saved yet");
		expect(preview.message.text).toContain("--yes");
		const none = await pool.query("select 1 from pulse_monitors");
		expect(none.rowCount).toBe(0);
		const saved = await run(`pulse create "${text}" --yes`);
		expect(saved.problem).toBeUndefined();
		expect(saved.message.title).toMatch(/^Monitor created: /);
		const one = await pool.query("select 1 from pulse_monitors");
		expect(one.rowCount).toBe(1);
	});

	it("adds a monitor from a template, then lists, shows, pauses and resumes it", async () => {
		const added = await run("pulse add revenue-down-week-over-week");
		expect(added.problem).toBeUndefined();
		const id = added.message.facts?.find((f) => f.label === "Id")
			?.value as string;
		expect(id).toBeTruthy();
		const list = await run("pulse list");
		expect(list.message.table?.rows.map((r) => r[0])).toContain(id);
		const show = await run(`pulse show ${id}`);
		expect(show.problem).toBeUndefined();
		expect(show.message.facts?.find((f) => f.label === "Id")?.value).toBe(id);
		const history = await run(`pulse history ${id}`);
		expect(history.problem).toBeUndefined();
		expect(history.message.text).toContain("*v1*");
		const paused = await run(`pulse pause ${id}`);
		expect(paused.message.title).toMatch(/: paused$/);
		const row = await pool.query<{ paused_reason: string | null }>(
			"select paused_reason from pulse_monitors where id::text = $1",
			[id],
		);
		expect(row.rows[0]?.paused_reason).toBe("paused by U1");
		// The list says why a paused monitor is paused.
		const listed = await run("pulse list");
		const status = listed.message.table?.columns.indexOf("Status") ?? -1;
		expect(listed.message.table?.rows.find((r) => r[0] === id)?.[status]).toBe(
			"paused: paused by U1",
		);
		const resumed = await run(`pulse resume ${id}`);
		expect(resumed.message.title).toMatch(/: resumed$/);
	});

	it("lists the templates, tests, runs, rolls back and tunes a monitor: the verbs the CLI shares", async () => {
		const templates = await run("pulse templates");
		expect(templates.problem).toBeUndefined();
		expect(templates.message.table?.rows.map((r) => r[0])).toContain(
			"margin-drop-by-region",
		);
		const added = await run(
			"pulse add revenue-down-week-over-week drop_pct=20",
		);
		const id = added.message.facts?.find((f) => f.label === "Id")
			?.value as string;
		const runs = async () =>
			(
				await pool.query(
					"select 1 from pulse_execution_log where monitor_id::text = $1",
					[id],
				)
			).rowCount;
		const tested = await run(`pulse test ${id} --as-of 2026-10-31`);
		expect(tested.problem).toBeUndefined();
		expect(tested.failed).toBeUndefined();
		expect(tested.message.title).toMatch(/: test (ok|BREACH)$/);
		expect(tested.message.context).toContain(
			"A test stores nothing and alerts no one.",
		);
		expect(await runs()).toBe(0);
		const ran = await run(`pulse run ${id} --as-of 2026-10-31`);
		expect(ran.problem).toBeUndefined();
		expect(ran.message.title).toMatch(
			new RegExp(`^pulse run ${id}: (ok|BREACH)$`),
		);
		expect(await runs()).toBe(1);
		const history = await run(`pulse history ${id}`);
		expect(history.message.table?.rows.length).toBe(1);
		const same = await run(`pulse rollback ${id} 1`);
		expect(same.message.text).toBe(
			"Version 1 has the same query and rule as the current version 1; nothing changed.",
		);
		await updateMonitor(
			services.pulse,
			id,
			{
				condition: {
					kind: "change",
					period: "week_over_week",
					direction: "down",
					percent: 30,
				},
			} as Partial<MonitorDefinition>,
			"a stricter drop",
		);
		const back = await run(`pulse rollback ${id} 1`);
		expect(back.problem).toBeUndefined();
		expect(back.message.text).toBe("Version 1 restored as version 3.");
		const condition = await pool.query<{ c: { percent: number } }>(
			"select alert_condition as c from pulse_monitors where id::text = $1",
			[id],
		);
		expect(condition.rows[0]?.c.percent).toBe(20);
		const noSuch = await run(`pulse rollback ${id} 7`);
		expect(noSuch.problem).toBe(true);
		expect(noSuch.message.text).toContain("has no version 7; it has 1, 2, 3");
		const tune = await run(`pulse tune ${id}`);
		expect(tune.problem).toBeUndefined();
		expect(tune.message.text).toContain("No proposal: ");
		const accept = await run(`pulse tune ${id} --accept`);
		expect(accept.problem).toBe(true);
		expect(accept.message.text).toContain("Nothing to accept: ");
		const stray = await run(`pulse show ${id} --as-of 2026-10-31`);
		expect(stray.problem).toBe(true);
		expect(stray.message.text).toContain(
			"`--as-of` goes only with `pulse test` and `pulse run`.",
		);
		// Only the admins change monitors; anyone may look, test and read a tuning proposal.
		const restricted = {
			config: {
				...config,
				chat: { ...config.chat, monitorAdmins: ["U0ADMIN"] },
			},
		};
		for (const line of [
			`pulse run ${id}`,
			`pulse rollback ${id} 1`,
			`pulse tune ${id} --accept`,
		]) {
			const r = await run(line, restricted);
			expect(r.message.text, line).toContain("Only the monitor admins");
		}
		for (const line of [
			`pulse test ${id}`,
			`pulse tune ${id}`,
			"pulse templates",
		]) {
			const r = await run(line, restricted);
			expect(r.problem, line).toBeUndefined();
		}
		// The operator at the CLI is not in the list, and may.
		const operator = await run(`pulse rollback ${id} 1`, {
			...restricted,
			user: { id: "cli:ops", operator: true },
		});
		expect(operator.message.text).toBe(
			"Version 1 has the same query and rule as the current version 3; nothing changed.",
		);
		expect(await runs()).toBe(1);
	});

	it("records feedback on an alert", async () => {
		const { alertId } = await insertAlert(pool);
		const r = await run(`pulse feedback ${alertId} real`);
		expect(r.problem).toBeUndefined();
		const row = await pool.query<{ feedback: string | null }>(
			"select feedback from pulse_alerts where id::text = $1",
			[alertId],
		);
		expect(row.rows[0]?.feedback).toBe("true_positive");
		const bad = await run(`pulse feedback ${alertId} maybe`);
		expect(bad.problem).toBe(true);
		expect(bad.message.text).toContain("`false_alarm`");
	});

	it("answers an unknown verb, an unknown monitor and a missing sentence with the fix", async () => {
		const verb = await run("pulse stauts");
		expect(verb.problem).toBe(true);
		expect(verb.message.text).toContain("`pulse` needs one of: `pulse status`");
		const missing = await run("pulse show 999999");
		expect(missing.problem).toBe(true);
		expect(missing.message.text).toContain("`pulse list` shows the monitors");
		const create = await run("pulse create");
		expect(create.problem).toBe(true);
		expect(create.message.text).toContain("put the sentence in quotes");
		const template = await run("pulse add no-such-template");
		expect(template.problem).toBe(true);
	});

	it("lets only the monitor admins create, add, pause and resume when admins are set", async () => {
		const restricted = {
			config: {
				...config,
				chat: { ...config.chat, monitorAdmins: ["U0ADMIN", "S0ADMINS"] },
			},
		};
		const r = await run("pulse add revenue-down-week-over-week", restricted);
		expect(r.problem).toBe(true);
		expect(r.ephemeral).toBe(true);
		expect(r.message.text).toContain("Only the monitor admins");
		const admin = await run("pulse list", {
			...restricted,
			user: { id: "U0ADMIN" },
		});
		expect(admin.problem).toBeUndefined();
		const byGroup = await run("pulse pause 999999", {
			...restricted,
			user: { id: "U2", groups: ["S0ADMINS"] },
		});
		expect(byGroup.message.text).not.toContain("Only the monitor admins");
	});

	it("takes Discord users and roles as discord:<id> monitor admins, never a bare Slack-looking id", async () => {
		const restricted = (over: Partial<CommandContext>) => ({
			config: {
				...config,
				chat: {
					...config.chat,
					monitorAdmins: ["discord:123456789012345678", "U0ADMIN"],
				},
			},
			channel: { kind: "discord" as const, id: "998877665544332211" },
			...over,
		});
		const byRole = await run(
			"pulse pause 999999",
			restricted({ user: { id: "555", groups: ["123456789012345678"] } }),
		);
		expect(byRole.message.text).not.toContain("Only the monitor admins");
		// A Discord user whose id happens to equal a Slack admin's string is not that admin.
		const lookalike = await run(
			"pulse pause 999999",
			restricted({ user: { id: "U0ADMIN" } }),
		);
		expect(lookalike.message.text).toContain("Only the monitor admins");
	});
});
