import { describe, expect, it } from "vitest";
import { health } from "../../src/main.ts";
import type { QueueRuntime } from "../../src/queue/boss.ts";

const timers = () =>
	process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;

/**
 * /healthz runs every check against a 2 s limit. Probes come every few seconds (Docker's
 * healthcheck, a load balancer), so a check that settles must take its timer with it.
 */
describe("the health report's time limits", () => {
	it("leave no timer behind once every check has answered", async () => {
		const failing = () => Promise.reject(new Error("down for the test"));
		const queue = { queues: failing } as unknown as QueueRuntime;
		const before = timers();
		const report = await health(
			failing,
			queue,
			"external",
			failing,
			failing,
			failing,
		);
		expect(report.ok).toBe(false);
		expect(report.db).toEqual({
			ok: false,
			kind: "external",
			error: "down for the test",
		});
		expect(timers()).toBe(before);
	});
});
