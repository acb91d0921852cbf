import { statSync } from "node:fs";
import { isIP } from "node:net";
import path from "node:path";
import { CronExpressionParser } from "cron-parser";
import { z } from "zod";
import { CHANNEL_KINDS } from "../chat/registry.ts";
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

/** An IP address or a DNS host name (RFC 1123 labels), as the HTTP server can listen on. */
function isHost(host: string): boolean {
	if (isIP(host) !== 0) return true;
	return (
		host.length <= 253 &&
		host
			.split(".")
			.every((label) =>
				/^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(label),
			)
	);
}

/** True unless the path names something that exists and is not a folder (a file, a device). */
function isFolderOrMissing(dir: string): boolean {
	try {
		return statSync(path.resolve(dir)).isDirectory();
	} catch {
		return true;
	}
}

/** A folder erp-pulse writes into (created when missing); refused when it is a file. */
const folder = (what: string) =>
	z
		.string()
		.min(1)
		.refine(isFolderOrMissing, {
			error: `expected a folder (${what}; it is created when missing), but that path is a file`,
		});

/**
 * A mapping by name (a file templates/mappings/<name>.yaml) or a path to a .yaml/.yml file. The
 * suffix rule keeps a typo or a hostile path (`../../etc/passwd`) from being read as a mapping.
 */
export const mappingRef = z
	.string()
	.regex(/^([a-z0-9][a-z0-9_-]*|.*\.ya?ml)$/, {
		error:
			'expected a mapping name from templates/mappings/ such as "demo-erp", or a path to a .yaml file',
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
	mapping: mappingRef,
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

/** Jobs scheduled unless `schedules.<job>` overrides them: nightly housekeeping, the Pulse tick every minute, the digest on Monday 08:00 (in timeZone). */
const DEFAULT_SCHEDULES: Record<string, { cron: string; enabled: boolean }> = {
	housekeeping: { cron: "15 3 * * *", enabled: true },
	"pulse-tick": { cron: "* * * * *", enabled: true },
	"weekly-digest": { cron: "0 8 * * 1", enabled: true },
};

/**
 * A chat channel as "<kind>:<id>": slack:C0123, discord:1234, local:pulse. The kind is "local" or a
 * registered chat adapter's (src/chat/registry.ts); one the bot has no adapter for is reported at
 * start-up.
 */
export const channelRef = z
	.string()
	.regex(/^[a-z][a-z0-9]*:\S+$/, {
		error:
			'expected a channel as "<kind>:<id>", e.g. "slack:C0123ABC", "discord:112233" or "local:pulse"',
	})
	.refine((ref) => CHANNEL_KINDS.includes(ref.slice(0, ref.indexOf(":"))), {
		error: (issue) =>
			`"${String(issue.input).slice(0, String(issue.input).indexOf(":"))}" is not a chat platform erp-pulse has; expected one of ${CHANNEL_KINDS.map((k) => `${k}:`).join(", ")}`,
	});

/** Pulse monitor execution: the safety limits on monitor SQL, error pausing, feedback tuning. */
const pulseSchema = z
	.strictObject({
		/** Monitor SQL is cancelled after this long. */
		statementTimeoutMs: z.int().min(100).max(300_000).default(30_000),
		/** Monitor SQL returns at most this many rows; more is reported as capped. */
		rowCap: z.int().min(1).max(1_000_000).default(10_000),
		/** A monitor that fails this many runs in a row is paused and its channel told why. */
		maxConsecutiveErrors: z.int().min(1).max(100).default(3),
		/** Where alerts of monitors without channels go. */
		defaultChannel: channelRef.default("local:pulse"),
		/** Connections for monitor SQL (a pool of its own, so monitors cannot starve the engine). */
		poolSize: z.int().min(1).max(100).default(4),
		tuning: z
			.strictObject({
				minFalseAlarms: z.int().min(1).default(3),
				precisionBelow: z.number().gt(0).max(1).default(0.5),
			})
			.prefault({}),
	})
	.prefault({});
export type PulseConfig = z.output<typeof pulseSchema>;

/** A Slack user (U…/W…) or user-group (S…) id, or a Discord user or role id as "discord:<id>". */
const chatPrincipal = z
	.string()
	.regex(/^([UWS][A-Z0-9]{2,}|discord:\d{17,20})$/, {
		error:
			'expected a Slack user id ("U0123ABCD"), a Slack user-group id ("S0123ABCD") or a Discord user or role id as "discord:1234567890123456789"',
	});

/**
 * Chat delivery and permissions. Tokens are never here: SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET,
 * SLACK_APP_TOKEN, DISCORD_BOT_TOKEN and DISCORD_PUBLIC_KEY come from the environment only.
 */
const chatSchema = z
	.strictObject({
		slack: z
			.strictObject({
				/** The Events/interactivity path on the bot's HTTP server (http.port). */
				path: z
					.string()
					.regex(/^\/[a-z0-9/_-]*$/, {
						error: 'expected a URL path like "/slack/events"',
					})
					.default("/slack/events"),
				/** Public base URL Slack reaches the bot at; used only by `erp-pulse slack manifest`. */
				publicUrl: z.url({ error: "expected an https:// URL" }).optional(),
			})
			.prefault({}),
		discord: z
			.strictObject({
				/** The interactions endpoint path on the bot's HTTP server (http.port). */
				path: z
					.string()
					.regex(/^\/[a-z0-9/_-]*$/, {
						error: 'expected a URL path like "/discord/interactions"',
					})
					.default("/discord/interactions"),
			})
			.prefault({}),
		/** Who may create, edit and pause monitors: Slack user or user-group ids, "discord:<user or role id>". Empty: everyone. */
		monitorAdmins: z.array(chatPrincipal).default([]),
		/** The local channel's folder (Markdown + PNG per message); default <dataDir>/outbox. */
		outboxDir: folder("the local channel's messages").optional(),
		/**
		 * The web page at /playground: type commands, see replies, alerts and the digest live, click
		 * the alert buttons. Served only when http.host is a loopback address (it has no login).
		 */
		playground: z
			.strictObject({
				/** Default: on in demo mode (demo.enabled), off otherwise. */
				enabled: z.boolean().optional(),
				/** A command typed in the page is answered with a timeout error after this long. */
				commandTimeoutSeconds: z.number().min(1).max(600).default(60),
			})
			.prefault({}),
		delivery: z
			.strictObject({
				/** A delivery that failed this many times is marked dead (shown by `pulse status`, /healthz, doctor). */
				maxAttempts: z.int().min(1).max(100).default(8),
				/** How often the bot checks the outbox for due deliveries. */
				pollSeconds: z.number().min(0.2).max(60).default(2),
			})
			.prefault({}),
	})
	.prefault({});
export type ChatConfig = z.output<typeof chatSchema>;

/**
 * The whole configuration file. Every key has a default, so an empty file (or none) gives the
 * zero-config demo: embedded Postgres under `dataDir`, the demo ERP, the local chat channel.
 * Secrets never live here as literals: reference them as `${ENV_VAR}`.
 */
export const configShape = z.strictObject({
	dataDir: folder(
		"the embedded Postgres, the demo ERP and the outbox live there",
	).default("./.data"),
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
			host: z
				.string()
				.refine(isHost, {
					error:
						'expected an IP address or a host name to listen on, such as "127.0.0.1", "0.0.0.0" or "::"',
				})
				.default("127.0.0.1"),
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
	/** Cron jobs by job name; the defaults below apply unless a key overrides (or disables) them. */
	schedules: z
		.record(z.string(), scheduleSchema)
		.default({})
		.transform((s) => ({ ...DEFAULT_SCHEDULES, ...s })),
	retention: z
		.strictObject({
			ingestRejectsDays: z.int().min(1).default(30),
			executionLogDays: z.int().min(1).default(90),
			deliveriesDays: z.int().min(1).default(30),
		})
		.prefault({}),
	pulse: pulseSchema,
	demo: z
		.strictObject({
			/** Default: on while no source is configured, off once one is (see configSchema). */
			enabled: z.boolean().optional(),
			seed: z.int().min(0).default(42),
			lines: z.int().min(1000).max(10_000_000).default(150_000),
		})
		.prefault({}),
	/** ISO 4217 code money is reported in (the warehouse stores amounts as the ERP has them). */
	currency: z
		.string()
		.regex(/^[A-Z]{3}$/, {
			error: 'expected a 3-letter ISO currency code such as "USD" or "GBP"',
		})
		.default("USD"),
	sources: z
		.record(
			z.string().regex(/^[a-z][a-z0-9_-]{0,39}$/, {
				error: "expected a short lower-case source name",
			}),
			sourceSchema,
		)
		.default({}),
	digest: z
		.strictObject({
			/** Skip the digest (with a note) when no ingest delivered data for this many days. */
			staleAfterDays: z.int().min(1).max(365).default(8),
			/** Where the digest is posted ("slack:C0123", "discord:…", "local:digest"). */
			channels: z.array(channelRef).min(1).default(["local:digest"]),
		})
		.prefault({}),
	chat: chatSchema,
	/** Inventory (Stox) policy defaults, health thresholds and projection settings. */
	stox: stoxConfigSchema.prefault({}),
	shutdownTimeoutMs: z.int().min(1000).max(600_000).default(15_000),
});

/**
 * The configuration with the defaults that depend on other keys resolved: the demo ERP runs
 * while no source is configured and stops once one is (a newcomer's first real figures must not
 * include the synthetic company's), unless `demo.enabled` says otherwise.
 */
export const configSchema = configShape.transform((c) => ({
	...c,
	demo: {
		...c.demo,
		enabled: c.demo.enabled ?? Object.keys(c.sources).length === 0,
	},
}));

export type Config = z.output<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
