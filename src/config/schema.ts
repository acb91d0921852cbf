import { CronExpressionParser } from "cron-parser";
import { z } from "zod";
import { ENTITY_NAMES } from "../ingest/entities.ts";
import { stoxConfigSchema } from "../inventory/config.ts";
import { sourceConnectionSchema } from "../sources/config.ts";

function isTimeZone(tz: string): boolean {
	try {
		new Intl.DateTimeFormat("en", { timeZone: tz });
		return true;
	} catch {
		return false;
	}
}

function isCron(expr: string): boolean {
	try {
		CronExpressionParser.parse(expr);
		return expr.trim().split(/\s+/).length === 5;
	} catch {
		return false;
	}
}

const port = (what: string) =>
	z
		.int({ error: `expected a whole number (${what})` })
		.min(0, { error: "expected a port from 0 to 65535" })
		.max(65535, { error: "expected a port from 0 to 65535" });

const cron = z.string().refine(isCron, {
	error:
		'expected a 5-field cron expression such as "15 3 * * *" (minute hour day month weekday)',
});

const timeZone = z.string().refine(isTimeZone, {
	error: 'expected an IANA time zone such as "Europe/London" or "UTC"',
});

const identifier = z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, {
	error: "expected a lower-case SQL identifier (letters, digits, underscore)",
});

/** A cron-driven job: the job name is the key under `schedules`. */
const scheduleSchema = z.strictObject({
	cron,
	enabled: z.boolean().default(true),
});

const duration = z.string().regex(/^\d+\s*(minutes?|hours?|days?)$/, {
	error: 'expected a duration like "2 days" or "6 hours"',
});

/** One ERP source: how to connect (secrets as ${ENV} references), which mapping, how often. */
const sourceSchema = z.strictObject({
	connection: sourceConnectionSchema,
	/** A file in templates/mappings/ by name, or a path to a mapping YAML. */
	mapping: z.string().min(1),
	/** When to ingest (5-field cron in timeZone); omit to ingest only on demand. */
	schedule: cron.optional(),
	/** Share of rows (0–1) that may fail validation before a run is refused whole. */
	maxRejectShare: z.number().min(0).max(1).default(0.05),
	/** Canonical columns replaced by a keyed HMAC (joins still work); the key is read from the env var named. */
	anonymise: z
		.strictObject({
			columns: z.array(z.string().min(1)).min(1),
			keyEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, {
				error: "expected an environment variable name like ERP_PULSE_ANON_KEY",
			}),
		})
		.optional(),
	/** How old each entity's newest data may get before it is reported stale. */
	freshness: z.partialRecord(z.enum(ENTITY_NAMES), duration).default({}),
});

export type SourceConfig = z.output<typeof sourceSchema>;

/**
 * The whole configuration file. Every key has a default, so an empty file (or none) gives the
 * zero-config demo: embedded Postgres under `dataDir`, the demo ERP, the local chat channel.
 * Secrets never live here as literals: reference them as `${ENV_VAR}`.
 */
export const configSchema = z.strictObject({
	dataDir: z.string().min(1).default("./.data"),
	timeZone: timeZone.default("UTC"),
	database: z
		.strictObject({
			/** Overridden by the DATABASE_URL environment variable when that is set. */
			url: z
				.string()
				.startsWith("postgres", {
					error: "expected a postgres:// connection URL",
				})
				.optional(),
			poolSize: z.int().min(2).max(200).default(10),
			statementTimeoutMs: z.int().min(0).default(60_000),
			embedded: z
				.strictObject({
					port: port(
						"a TCP port for the embedded Postgres, e.g. 54329",
					).default(54329),
				})
				.prefault({}),
		})
		.prefault({}),
	http: z
		.strictObject({
			host: z.string().min(1).default("127.0.0.1"),
			port: port("a TCP port, e.g. 8080").default(8080),
		})
		.prefault({}),
	log: z
		.strictObject({
			level: z
				.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
				.default("info"),
		})
		.prefault({}),
	queue: z
		.strictObject({
			schema: identifier.default("pgboss"),
			pollingIntervalSeconds: z.number().min(0.5).max(60).default(2),
		})
		.prefault({}),
	schedules: z
		.record(z.string(), scheduleSchema)
		.default({ housekeeping: { cron: "15 3 * * *", enabled: true } }),
	retention: z
		.strictObject({
			ingestRejectsDays: z.int().min(1).default(30),
			executionLogDays: z.int().min(1).default(90),
			deliveriesDays: z.int().min(1).default(30),
		})
		.prefault({}),
	demo: z
		.strictObject({
			enabled: z.boolean().default(true),
			seed: z.int().min(0).default(42),
			lines: z.int().min(1000).max(10_000_000).default(150_000),
		})
		.prefault({}),
	sources: z
		.record(
			z.string().regex(/^[a-z][a-z0-9_-]{0,39}$/, {
				error: "expected a short lower-case source name",
			}),
			sourceSchema,
		)
		.default({}),
	/** Inventory (Stox) policy defaults, health thresholds and projection settings. */
	stox: stoxConfigSchema.prefault({}),
	shutdownTimeoutMs: z.int().min(1000).max(600_000).default(15_000),
});

export type Config = z.output<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
