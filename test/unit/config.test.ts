import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/load.ts";
import { editDistance } from "../../src/edit-distance.ts";
import { AppError } from "../../src/errors.ts";

function problems(yaml: string, env: NodeJS.ProcessEnv = {}): string {
	try {
		parseConfig(yaml, "test.yaml", env);
	} catch (err) {
		expect(err).toBeInstanceOf(AppError);
		expect((err as AppError).code).toBe("config_invalid");
		return (err as Error).message;
	}
	throw new Error("expected the config to be rejected");
}

describe("config", () => {
	it("gives the zero-config demo defaults for an empty file", () => {
		const { config } = parseConfig("", "test.yaml", {});
		expect(config.dataDir).toBe("./.data");
		expect(config.database.url).toBeUndefined();
		expect(config.database.embedded.port).toBe(54329);
		expect(config.http).toEqual({ host: "127.0.0.1", port: 8080 });
		expect(config.demo).toEqual({ enabled: true, seed: 42, lines: 150_000 });
		expect(config.schedules.housekeeping?.cron).toBe("15 3 * * *");
	});

	it("turns the demo off once a source is configured, unless demo.enabled says otherwise", () => {
		const source =
			"sources:\n  erp:\n    connection: {kind: sqlite, file: /x.sqlite}\n    mapping: demo-erp\n";
		expect(parseConfig("", "t.yaml", {}).config.demo.enabled).toBe(true);
		expect(parseConfig(source, "t.yaml", {}).config.demo.enabled).toBe(false);
		expect(
			parseConfig(`${source}demo: {enabled: true}\n`, "t.yaml", {}).config.demo
				.enabled,
		).toBe(true);
		expect(
			parseConfig("demo: {enabled: false}\n", "t.yaml", {}).config.demo.enabled,
		).toBe(false);
	});

	it("names the key path, what was expected and what it got", () => {
		const msg = problems("http:\n  port: eighty\n");
		expect(msg).toContain(
			"http.port: expected a whole number (a TCP port, e.g. 8080)",
		);
		expect(msg).toContain('got "eighty" (string)');
	});

	it("suggests the key meant when one is misspelt, and lists the allowed keys", () => {
		const msg = problems("htpp:\n  port: 80\n");
		expect(msg).toContain('htpp: unknown key, did you mean "http"?');
		expect(msg).toContain("Allowed here: dataDir, timeZone, database");
	});

	it("catches misspelt keys inside nested sections", () => {
		expect(problems("database:\n  embeded: {port: 1}\n")).toContain(
			'database.embeded: unknown key, did you mean "embedded"?',
		);
	});

	it("reports every problem at once", () => {
		const msg = problems(
			"timeZone: Mars/Olympus\nschedules:\n  housekeeping: {cron: 'every day'}\n",
		);
		expect(msg).toContain("timeZone: expected an IANA time zone");
		expect(msg).toContain(
			"schedules.housekeeping.cron: expected a 5-field cron expression",
		);
	});

	it("replaces $-brace references from the environment and re-reads a whole reference as a typed value", () => {
		const { config, secrets } = parseConfig(
			// biome-ignore lint/suspicious/noTemplateCurlyInString: ${VAR} is the config file's own syntax
			"database:\n  url: ${PG_URL}\nhttp:\n  port: ${PORT}\ndataDir: /srv/${NAME:-pulse}/data\n",
			"test.yaml",
			{ PG_URL: "postgres://u:s3cretpw@db/x", PORT: "9090" },
		);
		expect(config.database.url).toBe("postgres://u:s3cretpw@db/x");
		expect(config.http.port).toBe(9090);
		expect(config.dataDir).toBe("/srv/pulse/data");
		expect(secrets).toContain("postgres://u:s3cretpw@db/x");
	});

	it("says which variable is missing and where it is used", () => {
		// biome-ignore lint/suspicious/noTemplateCurlyInString: ${VAR} is the config file's own syntax
		expect(problems("database:\n  url: ${PG_URL}\n")).toContain(
			"database.url: environment variable PG_URL is not set. Fix: export PG_URL=",
		);
	});

	it("rejects a file that is not YAML, or not a mapping", () => {
		expect(() => parseConfig("a: [1,\n", "bad.yaml", {})).toThrow(
			/bad.yaml is not valid YAML/,
		);
		expect(() => parseConfig("- a\n- b\n", "list.yaml", {})).toThrow(
			/must be a YAML mapping/,
		);
	});

	it("measures edit distance (Levenshtein) for did-you-mean", () => {
		expect(editDistance("kitten", "sitting")).toBe(3);
		expect(editDistance("htpp", "http")).toBe(1);
		expect(editDistance("", "abc")).toBe(3);
	});
});

describe("the documented example config", () => {
	it("parses and spells out exactly the defaults", async () => {
		const { readFileSync } = await import("node:fs");
		const { projectRoot } = await import("../../src/paths.ts");
		const text = readFileSync(
			`${projectRoot}templates/erp-pulse.example.yaml`,
			"utf8",
		);
		expect(parseConfig(text, "example", {}).config).toEqual(
			parseConfig("", "empty", {}).config,
		);
	});
});
