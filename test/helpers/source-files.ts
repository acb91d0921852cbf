import { readdirSync } from "node:fs";
import path from "node:path";
import { projectRoot } from "../../src/paths.ts";

/** Every .ts file under `dir`, relative to the project root (for tests that read the code itself). */
export function sourceFiles(dir: string): string[] {
	return readdirSync(path.join(projectRoot, dir), {
		recursive: true,
		withFileTypes: true,
	})
		.filter((e) => e.isFile() && e.name.endsWith(".ts"))
		.map((e) => path.relative(projectRoot, path.join(e.parentPath, e.name)));
}
