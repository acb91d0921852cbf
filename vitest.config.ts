import { defineConfig } from "vitest/config";

export default defineConfig({
	test: {
		include: ["test/**/*.test.ts"],
		globalSetup: ["test/global-setup.ts"],
		testTimeout: 60_000,
		hookTimeout: 120_000,
		// Each integration file makes its own database; two cores here, so keep the pool small.
		maxWorkers: 2,
		reporters: ["default", ["json", { outputFile: ".vitest/report.json" }]],
	},
});
