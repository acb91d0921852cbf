import type * as VegaModule from "vega";
import type { compile as compileVegaLite } from "vega-lite";
import { errorMessage } from "../errors.ts";
import { altText } from "./alt.ts";
import { buildChart } from "./build.ts";
import {
	type ChartFontFiles,
	chartFontFiles,
	loadTextMeasurer,
	type TextMeasurer,
} from "./font.ts";
import {
	formatDate,
	formatValue,
	type TimeGrain,
	type ValueFormat,
} from "./format.ts";
import { createRasterizer } from "./raster.ts";
import { tameSetToJson } from "./set-tojson.ts";
import { FORMAT_FUNCTION } from "./specs/common.ts";
import type { ChartInput, ChartResult } from "./types.ts";

type Vega = typeof VegaModule;

/** vega and vega-lite, loaded on the first render: a command that draws nothing never pays for them. */
let engines:
	| Promise<{ vega: Vega; compile: typeof compileVegaLite }>
	| undefined;
function loadEngines() {
	engines ??= Promise.all([import("vega"), import("vega-lite")]).then(
		([vega, vegaLite]) => {
			// vega-lite has just patched Set.prototype.toJSON: keep the Discord libraries loadable.
			tameSetToJson();
			return { vega, compile: vegaLite.compile };
		},
	);
	return engines;
}

/** How a renderer renders. Every field has a default. */
export interface ChartRendererOptions {
	/** Give up on one chart after this long and return an error result; 10 s unless given. */
	timeoutMs?: number;
	/** Device pixels per CSS pixel in the PNG; 2 unless given, for sharp display on high-DPI screens. */
	scale?: number;
	/** The TTF files to draw with; DejaVu Sans from its npm package unless given. */
	fontFiles?: ChartFontFiles;
}

/** Per-call options: a signal to cancel the render (a shutting-down job, a user who left). */
export interface RenderCallOptions {
	signal?: AbortSignal;
}

/**
 * Turns chart inputs into PNGs. Build one at start-up and share it: it holds the parsed font and a
 * worker thread for rasterising; `close()` it on shutdown (it never keeps the process alive).
 */
export interface ChartRenderer {
	render(input: ChartInput, options?: RenderCallOptions): Promise<ChartResult>;
	close(): Promise<void>;
}

function isTimeout(signal: AbortSignal): boolean {
	return (
		signal.reason instanceof DOMException &&
		signal.reason.name === "TimeoutError"
	);
}

function throwIfAborted(signal: AbortSignal): void {
	if (signal.aborted) throw signal.reason;
}

/** Rejects as soon as the signal fires; vega's work, which cannot be interrupted, finishes unseen. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
	return new Promise<T>((resolve, reject) => {
		const onAbort = () => reject(signal.reason);
		if (signal.aborted) return onAbort();
		signal.addEventListener("abort", onAbort, { once: true });
		work
			.then(resolve, reject)
			.finally(() => signal.removeEventListener("abort", onAbort));
	});
}

/** Formats axis labels inside vega the same way `format.ts` writes alt text. */
function vegaFormat(value: unknown, spec: unknown): string {
	const s = (spec ?? {}) as Partial<ValueFormat> & { grain?: TimeGrain };
	const n = value instanceof Date ? value.getTime() : Number(value);
	if (s.grain) return formatDate(n, s.grain);
	return formatValue(n, {
		style: s.style ?? "number",
		unit: s.unit,
		symbol: s.symbol,
	});
}

function isBold(weight: unknown): boolean {
	return (
		weight === "bold" ||
		(typeof weight === "number" && weight >= 600) ||
		weight === "600" ||
		weight === "700"
	);
}

/**
 * Points vega's text measurement at the chart font. Without a canvas vega guesses 0.8 em per
 * character, which leaves wide gaps around labels; measuring the real advance widths makes the
 * layout match what resvg draws. Vega keeps this hook process-wide, so it is set before each render.
 */
function useFontMetrics(vega: Vega, measure: TextMeasurer): void {
	// Exported by vega (from vega-scenegraph) but missing from its typings.
	const { textMetrics } = vega as unknown as {
		textMetrics: { width: (item: object, text?: unknown) => number };
	};
	textMetrics.width = (item, text) => {
		const raw = text ?? (item as { text?: unknown }).text;
		const s = raw === null || raw === undefined ? "" : String(raw).trim();
		const size = (item as { fontSize?: number }).fontSize ?? 11;
		return measure.width(
			s,
			size,
			isBold((item as { fontWeight?: unknown }).fontWeight),
		);
	};
	if (!vega.expressionFunction(FORMAT_FUNCTION)) {
		vega.expressionFunction(FORMAT_FUNCTION, vegaFormat);
	}
}

/** Vega logs dataflow errors instead of throwing them; collect them so a broken chart is an error result. */
function errorCollector(vega: Vega): {
	logger: ReturnType<typeof vega.logger>;
	errors: string[];
} {
	const errors: string[] = [];
	const logger = vega.logger(vega.Error, undefined, (_method, _level, args) => {
		errors.push(args.map((a) => errorMessage(a)).join(" "));
	});
	return { logger, errors };
}

async function specToSvg(
	vega: Vega,
	spec: ReturnType<typeof compileVegaLite>["spec"],
	signal: AbortSignal,
): Promise<string> {
	const { logger, errors } = errorCollector(vega);
	const view = new vega.View(vega.parse(spec), { renderer: "none", logger });
	try {
		const svg = await view.toSVG();
		throwIfAborted(signal);
		if (errors.length > 0) throw new Error(`vega: ${errors[0]}`);
		return svg;
	} finally {
		view.finalize();
	}
}

/** Builds a renderer: parses the font once; every render after that is independent. */
export function createChartRenderer(
	options: ChartRendererOptions = {},
): ChartRenderer {
	const fontFiles = options.fontFiles ?? chartFontFiles();
	const measure = loadTextMeasurer(fontFiles);
	const timeoutMs = options.timeoutMs ?? 10_000;
	const scale = options.scale ?? 2;
	const rasterizer = createRasterizer(fontFiles);

	return {
		async render(input, callOptions = {}) {
			const signals = [AbortSignal.timeout(timeoutMs)];
			if (callOptions.signal) signals.push(callOptions.signal);
			const signal = AbortSignal.any(signals);
			let alt = altText(
				`Chart: ${String((input as { title?: unknown } | null)?.title ?? "untitled")}.`,
			);
			try {
				const built = buildChart({ measure }, input);
				alt = built.alt;
				if (!built.ok) return { ok: false, error: built.error, alt };
				const { vega, compile } = await loadEngines();
				throwIfAborted(signal);
				useFontMetrics(vega, measure);
				const vgSpec = compile(built.spec, {
					logger: vega.logger(vega.None),
				}).spec;
				const svg = await untilAborted(specToSvg(vega, vgSpec, signal), signal);
				const png = await rasterizer.rasterize(svg, scale, signal);
				return { ok: true, svg, alt, ...png };
			} catch (err) {
				const reason = signal.aborted
					? isTimeout(signal)
						? `rendering took longer than ${timeoutMs} ms`
						: "rendering was cancelled"
					: errorMessage(err);
				return { ok: false, error: `chart could not be drawn: ${reason}`, alt };
			}
		},
		close: () => rasterizer.close(),
	};
}

/**
 * Renders one chart with a renderer made for the call. Handy for scripts; a long-running process
 * should make one renderer with `createChartRenderer` and keep it.
 */
export async function renderChart(
	input: ChartInput,
	options: ChartRendererOptions & RenderCallOptions = {},
): Promise<ChartResult> {
	try {
		const renderer = createChartRenderer(options);
		try {
			return await renderer.render(input, { signal: options.signal });
		} finally {
			await renderer.close();
		}
	} catch (err) {
		return {
			ok: false,
			error: `chart could not be drawn: ${errorMessage(err)}`,
			alt: "",
		};
	}
}
