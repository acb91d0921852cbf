import { writeFileSync } from "node:fs";
import path from "node:path";
import { metricCommand } from "../../commands/metric.ts";
import { renderChart } from "../charts/index.ts";
import { metricChart } from "../charts/metric-chart.ts";
import type { LoadedConfig } from "../config/load.ts";
import { AppError } from "../errors.ts";
import {
	type Breakdown,
	type MetricSeries,
	resolveMetric,
} from "../metrics/index.ts";
import { commandDeps } from "./analytics.ts";
import { checkOutFile, type Io, type Values } from "./io.ts";

/** The eight bytes every PNG file starts with. */
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The metric options of `chart`, handed on as words like the other analytics commands. */
export function chartOptionWords(values: Values): string[] {
	const words: string[] = [];
	for (const name of ["grain", "since", "until", "by", "source"]) {
		const v = values[name];
		for (const one of Array.isArray(v) ? v : typeof v === "string" ? [v] : [])
			words.push(`--${name}`, one);
	}
	return words;
}

/** `chart <metric> [by <dim>] [last N months] --out file.png`: the metric as a PNG, its alt text printed. */
export async function chartMetric(
	loaded: LoadedConfig,
	args: string[],
	values: Values,
	io: Io,
): Promise<number> {
	const out = values.out;
	if (typeof out !== "string" || !out.endsWith(".png"))
		throw new AppError(
			"usage",
			"chart needs --out <file>.png, e.g. erp-pulse chart revenue by region --out revenue.png",
		);
	checkOutFile("out", out, PNG_MAGIC, "PNG");
	const input = metricCommand.parse(args);
	if (input.kind !== "show")
		throw new AppError(
			"usage",
			"chart needs a metric name, e.g. erp-pulse chart revenue --out revenue.png",
		);
	const deps = commandDeps(loaded, io);
	const reply = await metricCommand.run(deps, input);
	const data = reply.data as MetricSeries | Breakdown | undefined;
	const missing =
		data && ("members" in data ? data.total.missing : data.missing);
	if (!data || missing)
		throw new AppError("data_unavailable", missing ?? "no data to chart");
	const r = resolveMetric(deps.catalog, input.name);
	if (!r.ok) throw new AppError("usage", r.message);
	const result = await renderChart(metricChart(r.value, data));
	if (!result.ok) {
		io.err(`chart could not be drawn: ${result.error}`);
		io.out(reply.text);
		return 1;
	}
	writeFileSync(out, result.png);
	io.out(`wrote ${path.resolve(out)} (${result.width}×${result.height} px)`);
	io.out(result.alt);
	return 0;
}
