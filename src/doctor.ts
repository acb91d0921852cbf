import { existsSync } from "node:fs";
import path from "node:path";
import {
	type DiscordCredentials,
	discordCredentials,
	type SlackCredentials,
	slackCredentials,
} from "./chat/credentials.ts";
import { deliveryHealth } from "./chat/health.ts";
import { loadConfig } from "./config/load.ts";
import type { Config } from "./config/schema.ts";
import { startEmbeddedPostgres } from "./db/embedded.ts";
import { appliedMigrations, readMigrations } from "./db/migrate.ts";
import { createPool, ping, redactUrl } from "./db/pool.ts";
import { errorMessage } from "./errors.ts";
import { freshness } from "./ingest/freshness.ts";
import {
	connectorFor,
	DEMO_SOURCE,
	effectiveSources,
} from "./ingest/sources.ts";
import { createLogger } from "./log.ts";
import { rollupBacklog } from "./metrics/rollups.ts";
import { migrationsDir } from "./paths.ts";
import {
	loginRights,
	monitorLoginProblems,
	monitorRoleProblems,
} from "./pulse/engine/monitor-login.ts";

export interface Check {
	name: string;
	status: "ok" | "warn" | "fail";
	detail: string;
}

const MIN_NODE = [22, 12] as const;

/**
 * Everything a first-time user gets wrong, checked without changing anything: Node version,
 * config, data folder, database reachability and pending migrations, sources, chat credentials.
 */
export async function runDoctor(
	configPath: string | undefined,
	env: NodeJS.ProcessEnv,
): Promise<Check[]> {
	const checks: Check[] = [nodeCheck()];
	let loaded: ReturnType<typeof loadConfig>;
	try {
		loaded = loadConfig(configPath, env);
		checks.push({
			name: "config",
			status: "ok",
			detail: `read from ${loaded.source}`,
		});
	} catch (err) {
		checks.push({ name: "config", status: "fail", detail: errorMessage(err) });
		return checks;
	}
	const { config } = loaded;
	const db = await doctorDatabase(config, env);
	try {
		checks.push(db.check);
		checks.push(...(await sourceChecks(config)));
		const url = db.url;
		if (url) checks.push(...(await freshnessChecks(url, config)));
		if (url) checks.push(...(await deliveryChecks(url)));
		if (url) checks.push(...(await rollupChecks(url)));
		if (url) checks.push(await monitorRoleCheck(url, env));
	} finally {
		await db.stop();
	}
	checks.push(...chatCheck(env));
	return checks;
}

/**
 * The database doctor checks: DATABASE_URL or database.url; else the embedded cluster, used where
 * the bot runs it or started for the checks and stopped after. A cluster that does not exist yet
 * is not created: that is the first start's job.
 */
async function doctorDatabase(
	config: Config,
	env: NodeJS.ProcessEnv,
): Promise<{ check: Check; url?: string; stop(): Promise<void> }> {
	const url = env.DATABASE_URL || config.database.url;
	if (url)
		return { check: await databaseCheck(url), url, stop: async () => {} };
	const cluster = path.resolve(config.dataDir, "postgres");
	const port = config.database.embedded.port;
	if (!existsSync(path.join(cluster, "PG_VERSION")))
		return {
			check: {
				name: "database",
				status: "ok",
				detail: `embedded Postgres in ${cluster} on 127.0.0.1:${port}, created on first start; set DATABASE_URL to use your own`,
			},
			stop: async () => {},
		};
	try {
		const embedded = await startEmbeddedPostgres(
			config.dataDir,
			port,
			createLogger({ level: "silent" }),
		);
		const check = await databaseCheck(embedded.url);
		check.detail = `embedded Postgres in ${cluster}: ${check.detail}`;
		return { check, url: embedded.url, stop: embedded.stop };
	} catch (err) {
		return {
			check: {
				name: "database",
				status: "fail",
				detail: errorMessage(err),
			},
			stop: async () => {},
		};
	}
}

/** Each source answers (connect and a trivial query); a missing demo file is only a note. */
async function sourceChecks(config: Config): Promise<Check[]> {
	const all = effectiveSources(config);
	if (Object.keys(all).length === 0)
		return [
			{
				name: "sources",
				status: "warn",
				detail: "none configured: add one under sources: in the config file",
			},
		];
	const checks: Check[] = [];
	for (const [name, src] of Object.entries(all)) {
		if (
			name === DEMO_SOURCE &&
			src.connection.kind === "sqlite" &&
			!existsSync(src.connection.file)
		) {
			checks.push({
				name: `source ${name}`,
				status: "ok",
				detail: `demo ERP will be written to ${src.connection.file} on first start`,
			});
			continue;
		}
		const conn = connectorFor(config, name);
		try {
			checks.push({
				name: `source ${name}`,
				status: "ok",
				detail: `${src.connection.kind}: ${await conn.test()}`,
			});
		} catch (err) {
			checks.push({
				name: `source ${name}`,
				status: "fail",
				detail: `${errorMessage(err)}. Check sources.${name}.connection and its credentials.`,
			});
		} finally {
			await conn.close().catch(() => undefined);
		}
	}
	return checks;
}

/** Entities whose newest data is older than their source's freshness allowance. */
async function freshnessChecks(url: string, config: Config): Promise<Check[]> {
	const pool = createPool(url, createLogger({ level: "silent" }), { max: 1 });
	try {
		const stale = (await freshness(pool, config)).filter((f) => f.stale);
		if (stale.length === 0)
			return [{ name: "data", status: "ok", detail: "no stale entities" }];
		return stale.map((f) => ({
			name: "data",
			status: "warn" as const,
			detail: `${f.source}/${f.entity} is stale: last data ${f.lastReceivedAt?.toISOString() ?? "never"}, allowed ${f.maxAge}`,
		}));
	} catch {
		return [];
	} finally {
		await pool.end();
	}
}

/** The sales rollups: stale after a write outside the ingest, until compute rebuilds them. */
async function rollupChecks(url: string): Promise<Check[]> {
	const pool = createPool(url, createLogger({ level: "silent" }), { max: 1 });
	try {
		const r = await rollupBacklog(pool);
		if (!r || r.writes === 0)
			return [
				{
					name: "rollups",
					status: "ok",
					detail: "up to date with the order lines",
				},
			];
		return [
			{
				name: "rollups",
				status: "warn",
				detail: `stale since ${r.since?.toISOString() ?? "?"} (${r.writes} write${r.writes === 1 ? "" : "s"} to transaction_data outside the ingest): metrics read the order lines, slower, until "erp-pulse compute" rebuilds them`,
			},
		];
	} catch {
		return [];
	} finally {
		await pool.end();
	}
}

/** The outbox: dead deliveries fail the check (they need a fix), failed ones that are retrying warn. */
async function deliveryChecks(url: string): Promise<Check[]> {
	const pool = createPool(url, createLogger({ level: "silent" }), { max: 1 });
	try {
		const h = await deliveryHealth(pool, new Date(), 1);
		const last = h.lastErrors[0];
		const why = last ? ` Last error (${last.channel}): ${last.error}` : "";
		if (h.dead > 0)
			return [
				{
					name: "deliveries",
					status: "fail",
					detail: `${h.dead} dead (gave up), ${h.failed} retrying, ${h.pending} pending.${why} See "erp-pulse chat 'pulse status'".`,
				},
			];
		return [
			{
				name: "deliveries",
				status: h.failed > 0 ? "warn" : "ok",
				detail: `${h.pending} pending, ${h.failed} retrying, ${h.sentLastDay} sent in the last day.${h.failed > 0 ? why : ""}`,
			},
		];
	} catch {
		return [];
	} finally {
		await pool.end();
	}
}

/**
 * Monitor SQL's login: MONITOR_DATABASE_URL's when set, else the role erp_pulse_monitor, which the
 * bot gives a login when it may manage roles. Fails when the login could become anything more
 * privileged than a reader of the warehouse.
 */
async function monitorRoleCheck(
	url: string,
	env: NodeJS.ProcessEnv,
): Promise<Check> {
	const name = "monitor role";
	try {
		const own = env.MONITOR_DATABASE_URL;
		const problems = own
			? await monitorLoginProblems(own)
			: await monitorRoleProblems(url);
		if (problems.length > 0)
			return {
				name,
				status: "fail",
				detail: `${problems.join("; ")}: monitor SQL could reach beyond SELECT on the warehouse. Fix: ${own ? "use a login without them for MONITOR_DATABASE_URL" : "as a superuser, remove them from erp_pulse_monitor"}.`,
			};
		if (own)
			return {
				name,
				status: "ok",
				detail:
					"MONITOR_DATABASE_URL logs in with no role attributes and no role memberships",
			};
		const manage = await withPool(url, async (pool) => {
			return (await loginRights(pool)).manage;
		});
		return manage
			? {
					name,
					status: "ok",
					detail:
						"erp_pulse_monitor has no role attributes and no memberships; the bot gives it a login of its own at start-up",
				}
			: {
					name,
					status: "warn",
					detail:
						"the bot's login may not manage roles and MONITOR_DATABASE_URL is unset, so monitor SQL shares the bot's login (SET ROLE). Fix: set MONITOR_DATABASE_URL to a login for erp_pulse_monitor.",
				};
	} catch (err) {
		return { name, status: "fail", detail: errorMessage(err) };
	}
}

async function withPool<T>(
	url: string,
	fn: (pool: ReturnType<typeof createPool>) => Promise<T>,
): Promise<T> {
	const pool = createPool(url, createLogger({ level: "silent" }), { max: 1 });
	try {
		return await fn(pool);
	} finally {
		await pool.end();
	}
}

function nodeCheck(): Check {
	const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
	const ok =
		major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1]);
	return {
		name: "node",
		status: ok ? "ok" : "fail",
		detail: ok
			? `v${process.versions.node}`
			: `v${process.versions.node} is too old: erp-pulse needs Node ${MIN_NODE.join(".")} or newer (24 LTS recommended).`,
	};
}

async function databaseCheck(url: string): Promise<Check> {
	const pool = createPool(url, createLogger({ level: "silent" }), { max: 1 });
	try {
		await ping(pool);
		const applied = await appliedMigrations(pool);
		const pending = readMigrations(migrationsDir).filter(
			(m) => !applied.has(m.name),
		).length;
		return {
			name: "database",
			status: pending ? "warn" : "ok",
			detail: `${redactUrl(url)} answers; ${pending ? `${pending} migration(s) pending: run "erp-pulse migrate" or start the bot` : "schema up to date"}`,
		};
	} catch (err) {
		return {
			name: "database",
			status: "fail",
			detail: `cannot reach ${redactUrl(url)}: ${errorMessage(err)}. Start Postgres or fix DATABASE_URL.`,
		};
	} finally {
		await pool.end();
	}
}

/** One platform's credentials, read by `read` (the function `start` uses); undefined when unset. */
function credentialCheck<C>(
	name: string,
	read: () => C | null,
	describe: (c: C) => string,
): Check | undefined {
	try {
		const creds = read();
		return creds ? { name, status: "ok", detail: describe(creds) } : undefined;
	} catch (err) {
		return { name, status: "fail", detail: errorMessage(err) };
	}
}

/**
 * Chat credentials through the very functions `start` builds the adapters from: a value that
 * would stop the bot fails here with the same sentence.
 */
function chatCheck(env: NodeJS.ProcessEnv): Check[] {
	const checks = [
		credentialCheck(
			"chat: Slack",
			() => slackCredentials(env),
			(c: SlackCredentials) =>
				c.signingSecret
					? "HTTP events (SLACK_SIGNING_SECRET); Slack checks the token on the first request"
					: "Socket Mode (SLACK_APP_TOKEN)",
		),
		credentialCheck(
			"chat: Discord",
			() => discordCredentials(env),
			(c: DiscordCredentials) =>
				`application ${c.applicationId}, ${c.publicKey ? "HTTP interactions (DISCORD_PUBLIC_KEY)" : "gateway"}${c.publicKey && c.gateway ? " and gateway" : ""}`,
		),
	].filter((c): c is Check => c !== undefined);
	if (checks.length > 0) return checks;
	return [
		{
			name: "chat",
			status: "warn",
			detail:
				"no chat credentials (SLACK_BOT_TOKEN + SLACK_SIGNING_SECRET or SLACK_APP_TOKEN; DISCORD_BOT_TOKEN + DISCORD_APPLICATION_ID): messages go to the local channel only",
		},
	];
}
