import { defineConfig } from "vitest/config";

export default defineConfig({
	test: {
		include: ["test/**/*.test.ts"],
		globalSetup: ["test/global-setup.ts"],
		testTimeout: 60_000,
		hookTimeout: 120_000,
		// Each integration file makes its own database; two cores here, so keep the pool small.
		maxWorkers: 2,
		// expect.poll waits for something to happen (a reply, a chart loading); on a loaded machine
		// that can take longer than vitest's 1 s default. It asserts no time, so wait generously.
		expect: { poll: { timeout: 30_000 } },
		reporters: ["default", ["json", { outputFile: ".vitest/report.json" }]],
	},
});
