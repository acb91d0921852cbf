/**
 * Benchmark of `erp-pulse demo-data`: speed and peak memory at several scales.
 *
 *   node bench/demo-data.ts                      # 150k and 1M order lines
 *   node bench/demo-data.ts --lines 150000,10000000
 *
 * Each scale runs in its own child process so peak RSS is that run's alone; files go to a temp
 * folder that is removed afterwards. The last line compares peak RSS at the largest scale with
 * the smallest: near 1 means memory stays flat as the number of lines grows.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { generateDemoErp } from "../src/demo/index.ts";

interface Result {
	lines: number;
	seconds: number;
	peakRss: number;
	fileBytes: number;
}

const MB = 1024 * 1024;

async function child(lines: number, file: string): Promise<void> {
	let peak = process.memoryUsage().rss;
	const timer = setInterval(() => {
		peak = Math.max(peak, process.memoryUsage().rss);
	}, 20);
	const started = performance.now();
	const summary = await generateDemoErp({ file, lines });
	const seconds = (performance.now() - started) / 1000;
	clearInterval(timer);
	peak = Math.max(
		peak,
		process.memoryUsage().rss,
		process.resourceUsage().maxRSS * 1024,
	);
	const result: Result = {
		lines: summary.lines,
		seconds,
		peakRss: peak,
		fileBytes: statSync(file).size,
	};
	process.stdout.write(`${JSON.stringify(result)}\n`);
}

function runScale(lines: number, dir: string): Result {
	const file = path.join(dir, `demo-${lines}.sqlite`);
	const out = execFileSync(
		process.execPath,
		[fileURLToPath(import.meta.url), "--child", String(lines), file],
		{
			encoding: "utf8",
			stdio: ["ignore", "pipe", "inherit"],
		},
	);
	rmSync(file, { force: true });
	return JSON.parse(out.trim().split("\n").at(-1) ?? "{}") as Result;
}

function row(cells: string[]): string {
	const widths = [12, 9, 12, 11, 10];
	return cells.map((c, i) => c.padStart(widths[i] ?? 10)).join("  ");
}

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: { lines: { type: "string" }, child: { type: "string" } },
		allowPositionals: true,
		strict: false,
	});
	if (typeof values.child === "string")
		return child(Number(values.child), process.argv.at(-1) ?? "");
	const scales = (
		typeof values.lines === "string" ? values.lines : "150000,1000000"
	)
		.split(",")
		.map((s) => Number(s.trim()));
	const dir = mkdtempSync(path.join(tmpdir(), "erp-pulse-bench-"));
	console.log(
		`demo-data bench: node ${process.version}, ${availableParallelism()} cpus`,
	);
	console.log(row(["lines", "seconds", "lines/s", "peak RSS", "file"]));
	const results: Result[] = [];
	try {
		for (const lines of scales) {
			const r = runScale(lines, dir);
			results.push(r);
			const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
			console.log(
				row([
					fmt(r.lines),
					r.seconds.toFixed(2),
					fmt(r.lines / r.seconds),
					`${(r.peakRss / MB).toFixed(0)} MB`,
					`${(r.fileBytes / MB).toFixed(1)} MB`,
				]),
			);
		}
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
	const first = results[0];
	const last = results.at(-1);
	if (first && last && results.length > 1) {
		const ratio = last.peakRss / first.peakRss;
		const label = (n: number) =>
			n >= 1e6 ? `${+(n / 1e6).toFixed(1)}M` : `${Math.round(n / 1e3)}k`;
		console.log(
			`peak RSS ${label(last.lines)} vs ${label(first.lines)}: ${ratio.toFixed(2)}x (${ratio < 1.25 ? "flat" : "GROWS with lines"})`,
		);
	}
}

await main();
