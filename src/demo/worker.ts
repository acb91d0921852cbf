/** Worker-thread entry of `generateDemoErp`: runs the generator, reports progress and the summary. */
import { parentPort, workerData } from "node:worker_threads";
import { type DemoSummary, writeDemoErp } from "./generate.ts";
import type { DemoOptions } from "./options.ts";

export type WorkerMessage =
	| { type: "progress"; lines: number }
	| { type: "done"; summary: DemoSummary };

const port = parentPort;
if (port) {
	const o = workerData as Omit<DemoOptions, "onProgress">;
	const post = (m: WorkerMessage) => port.postMessage(m);
	const summary = await writeDemoErp({
		...o,
		onProgress: (lines) => post({ type: "progress", lines }),
	});
	post({ type: "done", summary });
}
