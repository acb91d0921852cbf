import type { Config } from "../config/schema.ts";
import type { Logger } from "../log.ts";
import { startEmbeddedPostgres } from "./embedded.ts";

export interface Database {
	url: string;
	/** "env" (DATABASE_URL), "config" (database.url) or "embedded". */
	kind: "env" | "config" | "embedded";
	stop(): Promise<void>;
}

/** DATABASE_URL wins, then database.url; with neither, the embedded Postgres under dataDir. */
export async function openDatabase(
	config: Config,
	log: Logger,
	env: NodeJS.ProcessEnv = process.env,
): Promise<Database> {
	if (env.DATABASE_URL)
		return { url: env.DATABASE_URL, kind: "env", stop: async () => {} };
	if (config.database.url)
		return { url: config.database.url, kind: "config", stop: async () => {} };
	const embedded = await startEmbeddedPostgres(
		config.dataDir,
		config.database.embedded.port,
		log,
	);
	return { url: embedded.url, kind: "embedded", stop: embedded.stop };
}
