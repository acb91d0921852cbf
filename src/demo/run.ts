/**
 * `generateDemoErp`: validates the options here, then runs the generator in a worker thread.
 *
 * Why a worker: the generator allocates briskly and V8 keeps doubling the young generation the
 * longer a process allocates, so peak memory would creep up with `lines`. A worker with a capped
 * young generation keeps peak RSS flat from 150k to 10M lines at almost no cost in speed; the
 * live data itself (catalog, per-item stock, quotes in flight) is small and bounded.
 */
import { Worker } from "node:worker_threads";
import type { DemoSummary } from "./generate.ts";
import { type DemoOptions, resolveOptions } from "./options.ts";
import type { WorkerMessage } from "./worker.ts";

const WORKER_LIMITS = { maxYoungGenerationSizeMb: 8 };

/** Writes the demo ERP to `opts.file` (atomically) and resolves to what was written. */
export async function generateDemoErp(opts: DemoOptions): Promise<DemoSummary> {
	const { onProgress, file, seed, lines, endDate } = resolveOptions(opts);
	const data: Omit<DemoOptions, "onProgress"> = { file, seed, lines, endDate };
	return new Promise<DemoSummary>((resolve, reject) => {
		const worker = new Worker(new URL("./worker.ts", import.meta.url), {
			workerData: data,
			resourceLimits: WORKER_LIMITS,
		});
		let summary: DemoSummary | undefined;
		worker.on("message", (m: WorkerMessage) => {
			if (m.type === "progress") onProgress?.(m.lines);
			else summary = m.summary;
		});
		worker.once("error", reject);
		worker.once("exit", (code) => {
			if (summary) resolve(summary);
			else
				reject(
					new Error(
						`demo-data generator stopped (exit code ${code}) before finishing`,
					),
				);
		});
	});
}
