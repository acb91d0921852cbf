/**
 * Worker thread that turns SVG into PNG with resvg, so neither rasterising nor PNG encoding runs on
 * the bot's event loop. Started by `raster.ts`; one request at a time.
 *
 * resvg-js keeps each rendered bitmap in native memory that V8 cannot see, so V8 feels no pressure
 * to collect the small JS wrappers that own it, and RSS climbs by megabytes per chart until an
 * unrelated major GC. After each render this worker runs a minor GC on its own small heap (under a
 * millisecond) and yields once so Node runs the native finalisers; if `gc` cannot be had, the host
 * replaces the worker every few renders instead, which frees the same memory when the thread ends.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { parentPort, workerData } from "node:worker_threads";
import { Resvg } from "@resvg/resvg-js";
import {
	type RasterReply,
	type RasterRequest,
	resvgOptions,
} from "./raster.ts";

function minorGc(): (() => void) | null {
	try {
		setFlagsFromString("--expose-gc");
		const gc: unknown = runInNewContext("gc");
		if (typeof gc !== "function") return null;
		return () => gc({ type: "minor" });
	} catch {
		return null;
	}
}

const gc = minorGc();
const { fontFiles } = workerData as {
	fontFiles: { regular: string; bold: string };
};

parentPort?.on("message", async (req: RasterRequest) => {
	let reply: RasterReply;
	try {
		const image = new Resvg(
			req.svg,
			resvgOptions(fontFiles, req.scale),
		).render();
		const png = image.asPng();
		reply = {
			id: req.id,
			ok: true,
			png,
			width: image.width,
			height: image.height,
			gc: gc !== null,
		};
	} catch (err) {
		reply = {
			id: req.id,
			ok: false,
			error: err instanceof Error ? err.message : String(err),
			gc: gc !== null,
		};
	}
	gc?.();
	await new Promise((resolve) => setImmediate(resolve));
	parentPort?.postMessage(reply);
});
