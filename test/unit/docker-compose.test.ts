import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { projectRoot } from "../../src/paths.ts";

interface Service {
	build?: string;
	image?: string;
	environment?: Record<string, string>;
	volumes?: string[];
	healthcheck?: { test: string[] };
	depends_on?: Record<string, { condition: string }>;
	ports?: string[];
}

/**
 * The compose file cannot be run here (no Docker engine): these checks hold it to what the README
 * says of it — the bot and its Postgres, health checks, secrets only from the environment, the
 * bot's login made by the init script rather than the postgres superuser.
 */
describe("docker-compose.yml", () => {
	const compose = parse(
		readFileSync(path.join(projectRoot, "docker-compose.yml"), "utf8"),
	) as { services: Record<string, Service>; volumes: Record<string, unknown> };
	const { bot, postgres } = compose.services;

	it("runs the bot built from this folder beside a Postgres it waits for", () => {
		expect(bot?.build).toBe(".");
		expect(postgres?.image).toMatch(/^postgres:\d+$/);
		expect(bot?.depends_on?.postgres?.condition).toBe("service_healthy");
		expect(postgres?.healthcheck?.test.join(" ")).toContain("pg_isready");
		expect(bot?.ports).toEqual(["8080:8080"]);
	});

	it("keeps data in named volumes, the bot's where the image expects it", () => {
		expect(bot?.volumes).toContain("erp-pulse-data:/data");
		expect(postgres?.volumes).toContain(
			"postgres-data:/var/lib/postgresql/data",
		);
		expect(Object.keys(compose.volumes).sort()).toEqual([
			"erp-pulse-data",
			"postgres-data",
		]);
	});

	it("takes every secret from the environment, none written in the file", () => {
		for (const [name, s] of Object.entries(compose.services))
			for (const [key, value] of Object.entries(s.environment ?? {}))
				if (/PASSWORD|TOKEN|SECRET|KEY/.test(key))
					expect(value, `${name}.${key}`).toMatch(
						/^\$\{[A-Z_]+(:[?-][^}]*)?\}$/,
					);
		expect(bot?.environment?.DATABASE_URL).toBe(
			// biome-ignore lint/suspicious/noTemplateCurlyInString: compose's own ${VAR} syntax
			"postgres://erp_pulse:${ERP_PULSE_DB_PASSWORD}@postgres:5432/erp_pulse",
		);
	});

	it("makes the bot's own login with the init script it mounts", () => {
		const mount = postgres?.volumes?.find((v) =>
			v.endsWith(":/docker-entrypoint-initdb.d:ro"),
		);
		const dir = path.join(projectRoot, String(mount?.split(":")[0]));
		const script = path.join(dir, "01-erp-pulse.sh");
		expect(existsSync(script)).toBe(true);
		// Executable, and the role it creates can create roles but is no superuser.
		expect(statSync(script).mode & 0o111).not.toBe(0);
		// The SQL it runs, whole: a login that may create roles, and its own database.
		const sql = readFileSync(script, "utf8").split("<<'SQL'\n")[1] ?? "";
		expect(sql.trim().split("\n")).toEqual([
			"create role erp_pulse login createrole password :'pw';",
			"create database erp_pulse owner erp_pulse;",
			"SQL",
		]);
	});
});
