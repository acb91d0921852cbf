import { describe, expect, it } from "vitest";
import { chartSamples } from "../fixtures/chart-samples.ts";

describe("loading the Discord libraries", () => {
	it("works after the charts have patched Set.prototype.toJSON", async () => {
		// The charts load vega-lite (which patches Set.prototype.toJSON) on their first render.
		const { renderChart } = await import("../../src/charts/index.ts");
		expect((await renderChart(chartSamples()["timeseries-alert"])).ok).toBe(
			true,
		);
		expect(JSON.stringify(new Set([1, 2]))).toBe('"Set(1,2)"');
		const { createDiscordRest } = await import(
			"../../src/chat/discord/rest.ts"
		);
		const { createDiscordGateway } = await import(
			"../../src/chat/discord/gateway.ts"
		);
		expect(typeof createDiscordRest).toBe("function");
		expect(typeof createDiscordGateway).toBe("function");
		expect(JSON.stringify(new Set([1, 2]))).toBe('"Set(1,2)"');
	});
});
