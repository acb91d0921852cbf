import path from "node:path";
import type { Command, CommandDeps } from "../../commands/command.ts";
import type { LoadedConfig } from "../config/load.ts";
import { migrate } from "../db/migrate.ts";
import { loadQueryLibrary } from "../library/library.ts";
import { createMetricCatalog } from "../metrics/index.ts";
import { migrationsDir, sqlDir } from "../paths.ts";
import { type Io, type Values, withDatabase } from "./io.ts";

/** The CLI options the analytics commands read, handed to them as `--name value` words. */
export const ANALYTICS_OPTIONS = [
	"grain",
	"since",
	"until",
	"by",
	"param",
	"source",
] as const;

function optionWords(values: Values): string[] {
	const words: string[] = [];
	for (const name of ANALYTICS_OPTIONS) {
		const v = values[name];
		for (const one of Array.isArray(v) ? v : v === undefined ? [] : [v])
			words.push(`--${name}`, String(one));
	}
	return words;
}

/** What commands run against from the CLI: the catalog in the configured currency, the query library, the database opened (and migrated) on first use. */
export function commandDeps(loaded: LoadedConfig, io: Io): CommandDeps {
	return {
		catalog: createMetricCatalog({ currency: loaded.config.currency }),
		library: loadQueryLibrary(path.join(sqlDir, "library")),
		withPool: (fn) =>
			withDatabase(loaded, io, async (pool, log) => {
				await migrate(pool, migrationsDir, log);
				return fn(pool);
			}),
	};
}

/**
 * Runs a chat/CLI command from the command line: the same parsing and reply as in chat, the
 * database opened (and migrated) only when the command needs it, the reply printed.
 */
export async function runCommand<I>(
	command: Command<I>,
	loaded: LoadedConfig,
	args: string[],
	values: Values,
	io: Io,
): Promise<number> {
	const input = command.parse([...args, ...optionWords(values)]);
	const deps = commandDeps(loaded, io);
	const reply = await command.run(deps, input);
	io.out(reply.text);
	return 0;
}
