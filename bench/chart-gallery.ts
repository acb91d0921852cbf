/**
 * Renders every sample chart (each kind plus the edge cases) into a folder, as PNG, SVG and alt
 * text, for eyeballing: node bench/chart-gallery.ts [outDir] (bench/out/charts unless given).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createChartRenderer } from "../src/charts/index.ts";
import { chartSamples } from "../test/fixtures/chart-samples.ts";

const outDir = path.resolve(process.argv[2] ?? "bench/out/charts");
mkdirSync(outDir, { recursive: true });
const renderer = createChartRenderer();
let failed = 0;
for (const [name, input] of Object.entries(chartSamples())) {
	const started = performance.now();
	const result = await renderer.render(input);
	const ms = (performance.now() - started).toFixed(0);
	writeFileSync(path.join(outDir, `${name}.alt.txt`), `${result.alt}\n`);
	if (!result.ok) {
		failed++;
		console.log(`${name}: FAILED ${result.error}`);
		continue;
	}
	writeFileSync(path.join(outDir, `${name}.png`), result.png);
	writeFileSync(path.join(outDir, `${name}.svg`), result.svg);
	console.log(
		`${name}: ${result.width}×${result.height} px, ${result.png.length} bytes, ${ms} ms`,
	);
}
await renderer.close();
console.log(`wrote ${outDir}`);
process.exitCode = failed ? 1 : 0;
