import {
	chmodSync,
	existsSync,
	mkdtempSync,
	readFileSync,
	rmSync,
	writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, runCli, startBot } from "../helpers/process.ts";

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

/** The README's first command, minus npm install: no DATABASE_URL, so the bot runs its own Postgres. */
describe("zero-config start on the embedded Postgres", () => {
	let dir: string;
	let config: string;

	beforeAll(async () => {
		// Under /tmp with mode 755: as root, Postgres runs as the 'postgres' user, who must reach the folder.
		dir = mkdtempSync(path.join(tmpdir(), "erp-pulse-embedded-"));
		chmodSync(dir, 0o755);
		config = path.join(dir, "erp-pulse.yaml");
		const port = await freePort();
		writeFileSync(
			config,
			`dataDir: ${dir}/data\nhttp: {port: 0}\ndatabase: {embedded: {port: ${port}}}\ndemo: {lines: 2000}\n`,
		);
	});
	afterAll(() => {
		// A failed test may leave its Postgres running: stop it before removing its folder.
		const pidFile = path.join(dir, "data", "postgres", "postmaster.pid");
		const pid = existsSync(pidFile)
			? Number.parseInt(readFileSync(pidFile, "utf8").split("\n")[0] ?? "", 10)
			: 0;
		if (pid && alive(pid)) process.kill(pid, "SIGINT");
		rmSync(dir, { recursive: true, force: true });
	});

	it("creates the cluster, answers /healthz, stops Postgres on Ctrl-C, and reuses the folder next time", async () => {
		const first = await startBot(["--config", config], {});
		const health = (await (
			await fetch(`http://127.0.0.1:${first.port}/healthz`)
		).json()) as { ok: boolean; db: { kind: string } };
		expect(health).toMatchObject({ ok: true, db: { kind: "embedded" } });
		const pidFile = path.join(dir, "data", "postgres", "postmaster.pid");
		const pgPid = Number.parseInt(
			readFileSync(pidFile, "utf8").split("\n")[0] ?? "",
			10,
		);
		expect(alive(pgPid)).toBe(true);
		expect(existsSync(path.join(dir, "data", "demo-erp.sqlite"))).toBe(true);
		// A CLI command beside the running bot uses the bot's Postgres and leaves it running.
		const cli = await runCli(["--config", config, "chat", "/pulse status"]);
		expect(cli.code).toBe(0);
		// The answer alone: a one-shot command logs nothing at the default level.
		expect(cli.stderr).toBe("");
		expect(cli.stdout).toContain("Delivery and scheduler status");
		// doctor checks the embedded database as it checks any other, here through the bot's.
		const running = await runCli(["--config", config, "doctor"]);
		expect(running.stdout).toMatch(
			/^ok +database: embedded Postgres in .*: postgres:\/\/erp_pulse:\*\*\*@127\.0\.0\.1:\d+\/erp_pulse answers; schema up to date$/m,
		);
		expect(running.stdout).toMatch(/^ok +monitor role: /m);
		expect(alive(pgPid)).toBe(true);
		expect((await fetch(`http://127.0.0.1:${first.port}/healthz`)).status).toBe(
			200,
		);
		expect(await first.stop("SIGINT")).toBe(0);
		expect(alive(pgPid)).toBe(false);
		expect(existsSync(pidFile)).toBe(false);
		// With the bot stopped, doctor starts the cluster for its checks and stops it again.
		const stopped = await runCli(["--config", config, "doctor"]);
		expect(stopped.stdout).toMatch(/^ok +database: embedded Postgres in /m);
		expect(stopped.stdout).toMatch(/^ok +monitor role: /m);
		expect(existsSync(pidFile)).toBe(false);
		const firstLogs = first.logs().map((l) => l.msg);
		expect(firstLogs).toContain(
			"creating embedded Postgres cluster (first run)",
		);
		expect(firstLogs).toContain("writing the demo ERP (first run)");

		const second = await startBot(["--config", config], {});
		expect(
			(await fetch(`http://127.0.0.1:${second.port}/healthz`)).status,
		).toBe(200);
		expect(await second.stop("SIGINT")).toBe(0);
		const again = second.logs();
		expect(again.map((l) => l.msg)).not.toContain(
			"creating embedded Postgres cluster (first run)",
		);
		expect(again.map((l) => l.msg)).not.toContain(
			"writing the demo ERP (first run)",
		);
		expect(again.find((l) => l.msg === "migrations checked")?.applied).toBe(0);
	});

	it("stops cleanly when Ctrl-C reaches the whole process group, Postgres included", async () => {
		const bot = await startBot(["--config", config], {});
		const pidFile = path.join(dir, "data", "postgres", "postmaster.pid");
		const pgPid = Number.parseInt(
			readFileSync(pidFile, "utf8").split("\n")[0] ?? "",
			10,
		);
		expect(await bot.interruptGroup()).toBe(0);
		expect(alive(pgPid)).toBe(false);
		const messages = bot.logs().map((l) => l.msg);
		// On failure, say which part did not stop and why: the warnings are the evidence.
		const warnings = JSON.stringify(
			bot.logs().filter((l) => Number(l.level) >= 40),
		);
		expect(messages, warnings).toContain("stopped cleanly");
		expect(messages).not.toContain("shutdown did not finish in time");
	});

	it("recovers after the bot is killed with SIGKILL, stopping the orphaned Postgres first", async () => {
		const bot = await startBot(["--config", config], {});
		expect(await bot.stop("SIGKILL")).toBe(null);
		const next = await startBot(["--config", config], {});
		expect(next.logs().map((l) => l.msg)).toContain(
			"an embedded Postgres from an earlier run is still running; stopping it",
		);
		expect((await fetch(`http://127.0.0.1:${next.port}/healthz`)).status).toBe(
			200,
		);
		expect(await next.stop("SIGTERM")).toBe(0);
	});
});
