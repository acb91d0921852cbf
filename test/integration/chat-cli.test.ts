import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/process.ts";

describe("erp-pulse chat and slack manifest", () => {
	it("prints the help of the chat commands without opening a database", async () => {
		const r = await runCli(["chat", "help"], {
			DATABASE_URL: "postgres://nobody@127.0.0.1:1/none",
		});
		expect(r.code).toBe(0);
		expect(r.stdout).toContain("# erp-pulse commands");
		expect(r.stdout).toContain(
			"`pulse status [--errors N]` Delivery and scheduler health",
		);
	});

	it("exits 2 with a fix-suggesting message for an unknown command, without starting a database", async () => {
		const dir = mkdtempSync(path.join(tmpdir(), "erp-pulse-chat-cli-"));
		try {
			// No DATABASE_URL: a command that needed the database would start the embedded one here.
			const r = await runCli(["chat", "pulse stauts"], {}, dir);
			expect(r.code).toBe(2);
			expect(r.stdout).toContain("`pulse` needs one of: `pulse status`");
			expect(existsSync(path.join(dir, ".data", "postgres"))).toBe(false);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});

	it("prints an app manifest with the slash commands, interactivity and scopes", async () => {
		const r = await runCli(["slack", "manifest"]);
		expect(r.code).toBe(0);
		const manifest = JSON.parse(r.stdout);
		expect(manifest.oauth_config.scopes.bot).toEqual(
			expect.arrayContaining([
				"commands",
				"chat:write",
				"files:write",
				"channels:history",
			]),
		);
		const names = manifest.features.slash_commands.map(
			(c: { command: string }) => c.command,
		);
		expect(names).toEqual(
			expect.arrayContaining([
				"/erp-pulse",
				"/pulse",
				"/correlate",
				"/metric",
				"/query",
			]),
		);
		expect(manifest.settings.socket_mode_enabled).toBe(true);
	});
});
