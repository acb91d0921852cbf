import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { AppError } from "../errors.ts";

/** Named SQL from `sql/<domain>/<name>.sql`, read once at start-up. */
export interface SqlCatalog {
	/** The text of `sql/<name>.sql` (name like "housekeeping/prune"). */
	get(name: string): string;
	/** Throws at start-up, naming every missing file, rather than at 3 a.m. when a job first runs. */
	requireAll(names: readonly string[]): void;
	names(): string[];
}

export function loadSqlCatalog(dir: string): SqlCatalog {
	const texts = new Map<string, string>();
	for (const entry of readdirSync(dir, { recursive: true, encoding: "utf8" })) {
		if (!entry.endsWith(".sql")) continue;
		const name = entry.slice(0, -4).split(path.sep).join("/");
		texts.set(name, readFileSync(path.join(dir, entry), "utf8"));
	}
	const missing = (names: readonly string[]) =>
		names.filter((n) => !texts.has(n));
	return {
		get(name) {
			const text = texts.get(name);
			if (text === undefined)
				throw new AppError(
					"config_invalid",
					`No SQL named "${name}" (expected ${dir}/${name}.sql).`,
				);
			return text;
		},
		requireAll(names) {
			const gone = missing(names);
			if (gone.length > 0) {
				throw new AppError(
					"config_invalid",
					`Missing SQL files: ${gone.map((n) => `${dir}/${n}.sql`).join(", ")}.`,
				);
			}
		},
		names: () => [...texts.keys()].sort(),
	};
}
