import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { projectRoot } from "../../src/paths.ts";
import { sourceFiles as sources } from "../helpers/source-files.ts";

/** The relative modules a file imports: static imports, `export … from`, and `import("…")`. */
function importsOf(file: string): string[] {
	const text = readFileSync(path.join(projectRoot, file), "utf8");
	const found: string[] = [];
	for (const m of text.matchAll(
		/(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)["'](\.{1,2}\/[^"']+)["']/gm,
	))
		found.push(
			path.relative(
				projectRoot,
				path.resolve(
					path.dirname(path.join(projectRoot, file)),
					m[1] as string,
				),
			),
		);
	return found;
}

/** The composition roots: the bot's (src/main.ts) and the CLI's one-shot roots. */
const isRoot = (file: string) =>
	file === "src/main.ts" ||
	file === "src/cli.ts" ||
	file.startsWith("src/cli/");

/**
 * The engine's layers (README, "Where things live"): `commands/` and `jobs/` sit on top of `src/`,
 * and only the composition roots wire them in. Chat adapters reach the commands through the inbound
 * port (src/chat/inbound.ts) that the root hands them.
 */
describe("the import graph", () => {
	const files = sources("src");

	it("finds the source files and their imports", () => {
		expect(files).toContain("src/chat/slack/listeners.ts");
		expect(importsOf("src/main.ts")).toContain("commands/index.ts");
	});

	it("has no import from src/ into commands/ or jobs/ outside the composition roots", () => {
		const upward = files
			.filter((f) => !isRoot(f))
			.flatMap((f) =>
				importsOf(f)
					.filter((to) => /^(commands|jobs)\//.test(to))
					.map((to) => `${f} → ${to}`),
			);
		expect(upward).toEqual([]);
	});
});
