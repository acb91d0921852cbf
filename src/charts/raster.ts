import { Worker } from "node:worker_threads";
import { CHART_FONT_FAMILY, type ChartFontFiles } from "./font.ts";
import { THEME } from "./theme.ts";

/** Renders a worker does before it is replaced when it cannot run a GC after each render. */
const RENDERS_PER_WORKER_WITHOUT_GC = 16;
/** Renders a worker does before it is replaced anyway, so nothing can pile up for ever. */
const RENDERS_PER_WORKER = 1000;

/** One SVG to draw. */
export interface RasterRequest {
	id: number;
	svg: string;
	scale: number;
}

/** What the worker sends back; `gc` says whether it could free memory after the render. */
export type RasterReply =
	| {
			id: number;
			ok: true;
			png: Uint8Array;
			width: number;
			height: number;
			gc: boolean;
	  }
	| { id: number; ok: false; error: string; gc: boolean };

/**
 * resvg options. The Node binding parses them as JSON and silently falls back to its defaults for
 * ALL of them when one is invalid (text then vanishes): the tests check the PNG size and that text
 * turns into pixels, which both fail if that happens. Fonts come only from `fontFiles`, never the
 * machine's, so the bytes are the same everywhere.
 */
export function resvgOptions(fontFiles: ChartFontFiles, scale: number) {
	return {
		fitTo: { mode: "zoom" as const, value: scale },
		background: THEME.background,
		font: {
			loadSystemFonts: false,
			fontFiles: [fontFiles.regular, fontFiles.bold],
			defaultFontFamily: CHART_FONT_FAMILY,
			sansSerifFamily: CHART_FONT_FAMILY,
		},
		logLevel: "off" as const,
	};
}

/** A PNG and its size in device pixels. */
export interface RasterImage {
	png: Buffer;
	width: number;
	height: number;
}

/** Draws SVGs into PNGs on a worker thread, one at a time, each cancellable. */
export interface Rasterizer {
	rasterize(
		svg: string,
		scale: number,
		signal?: AbortSignal,
	): Promise<RasterImage>;
	/** Stops the worker; later calls start a new one. */
	close(): Promise<void>;
}

interface Job {
	request: RasterRequest;
	resolve: (image: RasterImage) => void;
	reject: (err: unknown) => void;
	signal?: AbortSignal;
}

/**
 * Starts the worker lazily and replaces it when a render is cancelled mid-way (the only way to stop
 * native work), when it crashes, and every so many renders. The worker is unref'd, so a script
 * that forgets `close()` still exits.
 */
export function createRasterizer(fontFiles: ChartFontFiles): Rasterizer {
	let worker: Worker | null = null;
	let rendersOnWorker = 0;
	let current: Job | null = null;
	const queue: Job[] = [];
	let nextId = 1;

	const stopWorker = (): Promise<unknown> => {
		const w = worker;
		worker = null;
		rendersOnWorker = 0;
		return w ? w.terminate() : Promise.resolve();
	};

	const failCurrent = (err: unknown) => {
		const job = current;
		current = null;
		job?.reject(err);
		void stopWorker();
		pump();
	};

	const onReply = (reply: RasterReply) => {
		const job = current;
		if (!job || job.request.id !== reply.id) return;
		current = null;
		rendersOnWorker++;
		const limit = reply.gc ? RENDERS_PER_WORKER : RENDERS_PER_WORKER_WITHOUT_GC;
		if (rendersOnWorker >= limit) void stopWorker();
		if (reply.ok) {
			const png = Buffer.from(
				reply.png.buffer,
				reply.png.byteOffset,
				reply.png.byteLength,
			);
			job.resolve({ png, width: reply.width, height: reply.height });
		} else {
			job.reject(new Error(`resvg: ${reply.error}`));
		}
		pump();
	};

	const startWorker = (): Worker => {
		const w = new Worker(new URL("./raster-worker.ts", import.meta.url), {
			workerData: { fontFiles },
		});
		w.unref();
		w.on("message", onReply);
		w.on("error", (err) => worker === w && failCurrent(err));
		w.on(
			"exit",
			(code) =>
				worker === w &&
				failCurrent(new Error(`raster worker exited with code ${code}`)),
		);
		return w;
	};

	function pump(): void {
		while (!current) {
			const job = queue.shift();
			if (!job) return;
			if (job.signal?.aborted) {
				job.reject(job.signal.reason);
				continue;
			}
			current = job;
			worker ??= startWorker();
			worker.postMessage(job.request);
		}
	}

	return {
		rasterize(svg, scale, signal) {
			return new Promise<RasterImage>((resolve, reject) => {
				const onAbort = () => {
					if (current === job) return failCurrent(signal?.reason);
					const at = queue.indexOf(job);
					if (at >= 0) queue.splice(at, 1);
					reject(signal?.reason);
				};
				// Drop the listener once settled: the signal may outlive the job (a timeout signal
				// lives until its timer fires) and must not keep the SVG alive.
				const settle =
					<T>(fn: (v: T) => void) =>
					(v: T) => {
						signal?.removeEventListener("abort", onAbort);
						fn(v);
					};
				const job: Job = {
					request: { id: nextId++, svg, scale },
					resolve: settle(resolve),
					reject: settle(reject),
					signal,
				};
				signal?.addEventListener("abort", onAbort, { once: true });
				queue.push(job);
				pump();
			});
		},
		async close() {
			for (const job of queue.splice(0))
				job.reject(new Error("rasterizer closed"));
			current?.reject(new Error("rasterizer closed"));
			current = null;
			await stopWorker();
		},
	};
}
