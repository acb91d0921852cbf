import { describe, expect, it } from "vitest";
import { scrubSecrets } from "../../src/log.ts";
import { memoryLogger } from "../helpers/log.ts";

describe("logging", () => {
	it("never writes passwords or tokens, by key or inside URLs", () => {
		const { log, text } = memoryLogger(["xoxb-123456-secret-token"]);
		log.info(
			{ password: "hunter22", source: { password: "p4ssw0rd!", host: "erp" } },
			"connecting",
		);
		log.info({ url: "postgres://bot:topsecret@db:5432/erp" }, "pool ready");
		log.info("token is xoxb-123456-secret-token");
		const out = text();
		for (const secret of [
			"hunter22",
			"p4ssw0rd!",
			"topsecret",
			"xoxb-123456-secret-token",
		])
			expect(out).not.toContain(secret);
		expect(out).toContain("postgres://bot:***@db:5432/erp");
		expect(out).toContain('"host":"erp"');
	});

	it("scrubs credentials from any URL scheme but leaves URLs without them alone", () => {
		expect(
			scrubSecrets("mysql://root:pw@h/db and http://example.test/a", []),
		).toBe("mysql://root:***@h/db and http://example.test/a");
	});
});
