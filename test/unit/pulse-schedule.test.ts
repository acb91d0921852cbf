import { describe, expect, it } from "vitest";
import type { Frequency } from "../../src/pulse/model.ts";
import {
	dueRuns,
	isCronExpression,
	nextRun,
} from "../../src/pulse/schedule.ts";

const at = (iso: string) => new Date(iso);
const london = (frequency: Frequency) => ({
	frequency,
	timeZone: "Europe/London",
});

describe("pulse scheduling", () => {
	it("anchors daily runs at 07:00 local time on both sides of the spring DST change", () => {
		expect(
			nextRun(
				"daily",
				at("2025-03-29T08:00:00Z"),
				"Europe/London",
			).toISOString(),
		).toBe("2025-03-30T06:00:00.000Z");
		expect(
			nextRun(
				"daily",
				at("2025-03-28T08:00:00Z"),
				"Europe/London",
			).toISOString(),
		).toBe("2025-03-29T07:00:00.000Z");
	});

	it("returns the tick strictly after the given instant, not the instant itself", () => {
		expect(
			nextRun(
				"daily",
				at("2025-03-28T07:00:00Z"),
				"Europe/London",
			).toISOString(),
		).toBe("2025-03-29T07:00:00.000Z");
	});

	it("anchors weekly runs on Monday 07:00 and monthly runs on the 1st at 07:00", () => {
		expect(
			nextRun(
				"weekly",
				at("2025-03-27T12:00:00Z"),
				"Europe/London",
			).toISOString(),
		).toBe("2025-03-31T06:00:00.000Z");
		expect(
			nextRun(
				"monthly",
				at("2025-03-15T12:00:00Z"),
				"America/New_York",
			).toISOString(),
		).toBe("2025-04-01T11:00:00.000Z");
	});

	it("runs hourly at minute 0 local, so a half-hour zone runs at :30 UTC", () => {
		expect(
			nextRun(
				"hourly",
				at("2025-03-29T23:10:00Z"),
				"Asia/Kolkata",
			).toISOString(),
		).toBe("2025-03-29T23:30:00.000Z");
	});

	it("neither skips nor doubles an hourly run when the clocks go back", () => {
		let t = at("2025-10-25T23:30:00Z");
		const runs: string[] = [];
		for (let i = 0; i < 4; i++) {
			t = nextRun("hourly", t, "Europe/London");
			runs.push(t.toISOString());
		}
		expect(runs).toEqual([
			"2025-10-26T00:00:00.000Z",
			"2025-10-26T01:00:00.000Z",
			"2025-10-26T02:00:00.000Z",
			"2025-10-26T03:00:00.000Z",
		]);
	});

	it("uses a cron frequency's own time zone rather than the default", () => {
		const f = { cron: "30 9 * * 1-5", timeZone: "America/New_York" };
		expect(
			nextRun(f, at("2025-03-07T15:00:00Z"), "Europe/London").toISOString(),
		).toBe("2025-03-10T13:30:00.000Z");
	});

	it("is not due before the stored next run and keeps it", () => {
		const d = dueRuns(
			at("2025-03-28T07:00:00Z"),
			at("2025-03-29T07:00:00Z"),
			at("2025-03-29T06:59:00Z"),
			london("daily"),
		);
		expect(d).toEqual({
			runNow: false,
			scheduledFor: null,
			skipped: 0,
			nextRun: at("2025-03-29T07:00:00Z"),
		});
	});

	it("runs a due monitor once and schedules the next tick", () => {
		const d = dueRuns(
			at("2025-03-28T07:00:00Z"),
			at("2025-03-29T07:00:00Z"),
			at("2025-03-29T07:00:05Z"),
			london("daily"),
		);
		expect(d).toEqual({
			runNow: true,
			scheduledFor: at("2025-03-29T07:00:00Z"),
			skipped: 0,
			nextRun: at("2025-03-30T06:00:00Z"),
		});
	});

	it("catches up once after downtime across the DST change in Europe/London, not once per missed day", () => {
		// Down from Friday 28 March 2025 (GMT) to Monday 31 March 09:00 BST: four 07:00 runs fell due; one run stands for all of them.
		const d = dueRuns(
			at("2025-03-27T07:00:00Z"),
			at("2025-03-28T07:00:00Z"),
			at("2025-03-31T08:00:00Z"),
			london("daily"),
		);
		expect(d.runNow).toBe(true);
		expect(d.scheduledFor).toEqual(at("2025-03-28T07:00:00Z"));
		expect(d.skipped).toBe(3);
		expect(d.nextRun.toISOString()).toBe("2025-04-01T06:00:00.000Z");
		// Applying the decision leaves nothing due until the next 07:00 BST.
		const after = dueRuns(
			at("2025-03-31T08:00:00Z"),
			d.nextRun,
			at("2025-03-31T08:05:00Z"),
			london("daily"),
		);
		expect(after.runNow).toBe(false);
	});

	it("does not run a tick twice when the last run already covered it", () => {
		// Crashed after running at 07:00:03 but before storing next_run.
		const d = dueRuns(
			at("2025-03-29T07:00:03Z"),
			at("2025-03-29T07:00:00Z"),
			at("2025-03-29T07:01:00Z"),
			london("daily"),
		);
		expect(d).toEqual({
			runNow: false,
			scheduledFor: null,
			skipped: 0,
			nextRun: at("2025-03-30T06:00:00Z"),
		});
	});

	it("runs a new monitor at once", () => {
		const d = dueRuns(null, null, at("2025-03-29T10:00:00Z"), london("hourly"));
		expect(d).toEqual({
			runNow: true,
			scheduledFor: at("2025-03-29T10:00:00Z"),
			skipped: 0,
			nextRun: at("2025-03-29T11:00:00Z"),
		});
	});

	it("accepts 5-field cron expressions only", () => {
		expect(isCronExpression("0 7 * * 1-5")).toBe(true);
		expect(isCronExpression("0 0 7 * * 1-5")).toBe(false);
		expect(isCronExpression("every day")).toBe(false);
	});
});
