import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { projectRoot } from "../../src/paths.ts";
import { NODE_FLAGS } from "../../src/runtime.ts";

const read = (file: string) =>
	readFileSync(path.join(projectRoot, file), "utf8");

/**
 * Every way of starting erp-pulse passes the same V8 flags (src/runtime.ts says why): the CLI run as
 * a program (`npx erp-pulse`, its shebang), the package scripts, and the Docker image.
 */
describe("the product's Node flags", () => {
	const flags = NODE_FLAGS.join(" ");

	it("are on the CLI's shebang", () => {
		expect(read("src/cli.ts").split("\n", 1)[0]).toBe(
			`#!/usr/bin/env -S node ${flags}`,
		);
	});

	it("are on every package script that starts the CLI", () => {
		const scripts = (
			JSON.parse(read("package.json")) as { scripts: Record<string, string> }
		).scripts;
		const starting = Object.entries(scripts).filter(([, s]) =>
			s.includes("src/cli.ts"),
		);
		expect(starting.map(([name]) => name).sort()).toEqual([
			"erp-pulse",
			"start",
		]);
		for (const [name, script] of starting)
			expect(script, name).toMatch(new RegExp(`^node ${flags} src/cli\\.ts`));
	});

	it("are on the Docker image's entry point", () => {
		const entry = /^ENTRYPOINT (.*)$/m.exec(read("Dockerfile"))?.[1];
		expect(JSON.parse(entry ?? "[]")).toEqual([
			"/usr/bin/tini",
			"--",
			"node",
			...NODE_FLAGS,
			"src/cli.ts",
		]);
	});
});
