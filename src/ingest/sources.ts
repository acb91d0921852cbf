import path from "node:path";
import type { Config, SourceConfig } from "../config/schema.ts";
import { AppError } from "../errors.ts";
import { createConnector, type SourceConnector } from "../sources/index.ts";
import { loadMapping } from "./mapping-file.ts";
import type { BadRecord, IngestSource } from "./run.ts";

/** The name the zero-config demo source gets. */
export const DEMO_SOURCE = "demo";

/**
 * The sources the bot reads: those in config, plus (when demo mode is on and no source is
 * called "demo") the demo ERP file, re-read every hour.
 */
export function effectiveSources(config: Config): Record<string, SourceConfig> {
	const sources = { ...config.sources };
	if (config.demo.enabled && !sources[DEMO_SOURCE]) {
		sources[DEMO_SOURCE] = {
			connection: {
				kind: "sqlite",
				file: path.resolve(config.dataDir, "demo-erp.sqlite"),
			},
			mapping: "demo-erp",
			schedule: "0 * * * *",
			maxRejectShare: 0.05,
			freshness: {},
		} as SourceConfig;
	}
	return sources;
}

export function sourceConfig(config: Config, name: string): SourceConfig {
	const sources = effectiveSources(config);
	const found = sources[name];
	if (!found) {
		const known = Object.keys(sources);
		throw new AppError(
			"source_unknown",
			`No source named "${name}". ${known.length ? `Configured: ${known.join(", ")}.` : "No sources are configured (see sources: in the config file)."}`,
		);
	}
	return found;
}

export function connectorFor(
	config: Config,
	name: string,
	onBadRecord?: (r: BadRecord) => void,
): SourceConnector {
	return createConnector(
		sourceConfig(config, name).connection,
		onBadRecord ? { onBadRecord } : {},
	);
}

/** Everything one ingest run of a source needs; the anonymisation key is read from env here. */
export function ingestSource(
	config: Config,
	name: string,
	env: NodeJS.ProcessEnv,
): IngestSource {
	const src = sourceConfig(config, name);
	const mapping = loadMapping(src.mapping);
	let anonymise: IngestSource["anonymise"];
	if (src.anonymise) {
		const key = env[src.anonymise.keyEnv];
		if (!key || key.length < 16) {
			throw new AppError(
				"config_invalid",
				`sources.${name}.anonymise.keyEnv: environment variable ${src.anonymise.keyEnv} must hold a secret of at least 16 characters.`,
			);
		}
		anonymise = { columns: src.anonymise.columns, key };
	}
	return {
		name,
		kind: src.connection.kind,
		mapping,
		maxRejectShare: src.maxRejectShare,
		...(anonymise ? { anonymise } : {}),
		open: (onBadRecord) => connectorFor(config, name, onBadRecord),
	};
}
