import pg from "pg";
import Cursor from "pg-cursor";
import { WaitBudget } from "./budget.ts";
import type { PostgresConnection } from "./config.ts";
import { failure, type SourceLabel, sourceError } from "./errors.ts";
import {
	classifyPgError,
	pgDistinctByValue,
	pgOrdered,
	pgTypeParser,
} from "./postgres-values.ts";
import { profileFromRow } from "./profile.ts";
import {
	buildColumnsSql,
	buildProfileSql,
	buildStreamSql,
	quoteTable,
} from "./sql.ts";
import type {
	Expected,
	Row,
	SourceConnector,
	SourceRelation,
	StreamRequest,
	TableInfo,
	TableProfile,
} from "./types.ts";

/** Tables whose planner estimate is below this are counted exactly; larger ones report the estimate. */
const EXACT_COUNT_BELOW = 100_000;

const types = {
	getTypeParser: (oid: number) => pgTypeParser(oid),
} as unknown as pg.CustomTypesConfig;

/**
 * PostgreSQL through `pg`: every read in a READ ONLY transaction on a session with
 * default_transaction_read_only, TimeZone=UTC and statement_timeout; streams through a
 * server-side cursor, `batchSize` rows per FETCH.
 */
export class PostgresConnector implements SourceConnector {
	readonly kind = "postgres";
	readonly #pool: pg.Pool;
	readonly #label: SourceLabel;
	readonly #conn: PostgresConnection;

	constructor(conn: PostgresConnection) {
		this.#conn = conn;
		const target = conn.url
			? urlTarget(conn.url)
			: {
					host: conn.host ?? "localhost",
					port: conn.port ?? 5432,
					database: conn.database ?? "",
					password: conn.password ?? "",
				};
		this.#label = {
			kind: "postgres",
			where: `${target.host}:${target.port}/${target.database}`,
			secrets: [target.password],
		};
		this.#pool = new pg.Pool({
			...(conn.url
				? { connectionString: conn.url }
				: {
						host: target.host,
						port: target.port,
						database: target.database,
						user: conn.user,
						password: conn.password,
					}),
			...(conn.ssl ? { ssl: true } : {}),
			types,
			max: 4,
			idleTimeoutMillis: 10_000,
			connectionTimeoutMillis: 15_000,
			statement_timeout: conn.queryTimeoutMs,
			query_timeout: conn.queryTimeoutMs + 5_000,
			application_name: "erp-pulse",
			options: "-c default_transaction_read_only=on -c TimeZone=UTC",
		});
		// An idle connection the server drops must not crash the process; the next read reconnects.
		this.#pool.on("error", () => {});
	}

	async test(): Promise<string> {
		const r = await this.#read((c) =>
			c.query<{ v: string }>("SELECT current_setting('server_version') AS v"),
		);
		return `PostgreSQL ${r.rows[0]?.v.split(" ")[0] ?? "?"}`;
	}

	async listTables(): Promise<TableInfo[]> {
		return this.#read(async (c) => {
			const { rows } = await c.query<{
				schema: string;
				name: string;
				kind: string;
				estimate: number;
			}>(
				`SELECT n.nspname AS schema, c.relname AS name, c.relkind AS kind, c.reltuples::float8 AS estimate
				   FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
				  WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND NOT c.relispartition
				    AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
				  ORDER BY 1, 2`,
			);
			const out: TableInfo[] = [];
			for (const t of rows) {
				const name = `${t.schema}.${t.name}`;
				if (t.kind === "v" || t.kind === "f") out.push({ name, rows: null });
				else if (t.estimate >= EXACT_COUNT_BELOW)
					out.push({ name, rows: Math.round(t.estimate), estimated: true });
				else {
					const r = await c.query<{ n: number }>(
						`SELECT count(*) AS n FROM ${quoteTable("postgres", name)}`,
					);
					out.push({ name, rows: Number(r.rows[0]?.n ?? 0) });
				}
			}
			return out;
		});
	}

	async columns(from: SourceRelation): Promise<string[]> {
		const rel = await this.#resolve(from);
		const r = await this.#read((c) =>
			c.query(buildColumnsSql("postgres", rel)),
		);
		return r.fields.map((f) => f.name);
	}

	async profile(name: string): Promise<TableProfile> {
		const rel = await this.#resolve({ table: name });
		const table = "table" in rel ? rel.table : name;
		return this.#read(async (c) => {
			const meta = await c.query<{
				name: string;
				type: string;
				category: string;
			}>(
				`SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, t.typcategory AS category
				   FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
				  WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped
				  ORDER BY a.attnum`,
				[quoteTable("postgres", table)],
			);
			if (!meta.rows.length)
				throw sourceError(
					this.#label,
					"source_missing_object",
					`no table or view ${table}`,
				);
			const cols = meta.rows.map((m) => ({
				name: m.name,
				type: m.type,
				ordered: pgOrdered(m.category),
				distinct: pgDistinctByValue(m.category)
					? ("value" as const)
					: ("text" as const),
			}));
			const r = await c.query(buildProfileSql("postgres", table, cols));
			return profileFromRow(table, cols, r.rows[0] ?? {});
		});
	}

	async sample(from: SourceRelation, n: number): Promise<Row[]> {
		const q = buildStreamSql("postgres", {
			from: await this.#resolve(from),
			limit: n,
		});
		const r = await this.#read((c) => c.query<Row>(q.text, q.values));
		return r.rows;
	}

	/**
	 * The planner's estimate of the rows the read will bring (EXPLAIN of the very statement, with the
	 * watermark bound): no rows are read, so a progress line can give a percent and the time left.
	 */
	async expected(req: StreamRequest): Promise<Expected | undefined> {
		const q = buildStreamSql("postgres", {
			...req,
			from: await this.#resolve(req.from),
		});
		const r = await this.#read((c) =>
			c.query<{ "QUERY PLAN": string }>(
				`EXPLAIN (FORMAT JSON) ${q.text}`,
				q.values,
			),
		);
		// The source's type parsers leave json as text.
		const plan = JSON.parse(r.rows[0]?.["QUERY PLAN"] ?? "[]") as {
			Plan?: { "Plan Rows"?: number };
		}[];
		const rows = plan[0]?.Plan?.["Plan Rows"];
		return typeof rows === "number" && rows > 0
			? { rows, estimated: true }
			: undefined;
	}

	async *stream(req: StreamRequest, signal?: AbortSignal): AsyncIterable<Row> {
		const q = buildStreamSql("postgres", {
			...req,
			from: await this.#resolve(req.from),
		});
		signal?.throwIfAborted();
		const client = await this.#connect();
		const pid = (client as unknown as { processID: number }).processID;
		let cancelled = false;
		const cancel = () => {
			cancelled = true;
			void this.#cancel(pid);
		};
		const budget = new WaitBudget(this.#conn.queryTimeoutMs, cancel);
		signal?.addEventListener("abort", cancel, { once: true });
		let cursor: Cursor<Row> | undefined;
		let clean = false;
		try {
			await budget.during(client.query("BEGIN TRANSACTION READ ONLY"));
			cursor = client.query(new Cursor<Row>(q.text, q.values, { types }));
			for (;;) {
				const rows = await budget.during(cursor.read(this.#conn.batchSize));
				if (!rows.length) break;
				for (const row of rows) {
					signal?.throwIfAborted();
					yield row;
				}
			}
			clean = true;
		} catch (err) {
			throw failure(this.#label, err, classifyPgError, {
				signal,
				timedOut: budget.expired,
				timeoutMs: this.#conn.queryTimeoutMs,
			});
		} finally {
			signal?.removeEventListener("abort", cancel);
			budget.pause();
			await this.#finish(client, cursor, clean && !cancelled, cancelled);
		}
	}

	async close(): Promise<void> {
		await this.#pool.end();
	}

	/**
	 * A mapped table name as the catalog has it. Mappings written for an ERP's upper-case names
	 * ("SYS_BRANCH") must find the tables a Postgres copy created unquoted (sys_branch): the exact
	 * name wins, else the one table whose name matches ignoring case.
	 */
	async #resolve(from: SourceRelation): Promise<SourceRelation> {
		if (!("table" in from)) return from;
		const parts = from.table.split(".");
		const name = parts.pop() ?? "";
		const schema = parts.pop() ?? null;
		const { rows } = await this.#read((c) =>
			c.query<{ schema: string; name: string; exact: boolean }>(
				`SELECT n.nspname AS schema, c.relname AS name, (c.relname = $1 AND ($2::text IS NULL OR n.nspname = $2)) AS exact
				   FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
				  WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND lower(c.relname) = lower($1)
				    AND (CASE WHEN $2::text IS NULL THEN pg_table_is_visible(c.oid) ELSE lower(n.nspname) = lower($2) END)
				  ORDER BY 3 DESC`,
				[name, schema],
			),
		);
		const exact = rows.find((r) => r.exact);
		if (exact || rows.length !== 1) return from;
		const only = rows[0] as { schema: string; name: string };
		return {
			table: schema === null ? only.name : `${only.schema}.${only.name}`,
		};
	}

	/**
	 * Ends a read's transaction and returns the connection. One that cannot be cleaned is dropped, and
	 * so is one a cancel was sent to: a late cancel must not hit the next borrower's query.
	 */
	async #finish(
		client: pg.PoolClient,
		cursor: Cursor<Row> | undefined,
		clean: boolean,
		drop = false,
	): Promise<void> {
		if (drop) {
			client.release(true);
			return;
		}
		try {
			await cursor?.close();
			await client.query(clean ? "COMMIT" : "ROLLBACK");
			client.release();
		} catch (err) {
			client.release(err instanceof Error ? err : new Error(String(err)));
		}
	}

	/** Asks the server to cancel the query running on backend `pid`, from another connection. */
	async #cancel(pid: number): Promise<void> {
		try {
			await this.#pool.query("SELECT pg_cancel_backend($1)", [pid]);
		} catch {
			// The stream still ends: its own read fails or completes and the caller sees the abort.
		}
	}

	async #connect(): Promise<pg.PoolClient> {
		try {
			return await this.#pool.connect();
		} catch (err) {
			throw failure(this.#label, err, classifyPgError, {});
		}
	}

	/** Runs `fn` in a READ ONLY transaction on a pooled connection. */
	async #read<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
		const client = await this.#connect();
		let clean = false;
		try {
			await client.query("BEGIN TRANSACTION READ ONLY");
			const out = await fn(client);
			clean = true;
			return out;
		} catch (err) {
			throw failure(this.#label, err, classifyPgError, {});
		} finally {
			await this.#finish(client, undefined, clean);
		}
	}
}

function urlTarget(url: string): {
	host: string;
	port: number;
	database: string;
	password: string;
} {
	const u = new URL(url);
	return {
		host: u.hostname || "localhost",
		port: Number(u.port || 5432),
		database: decodeURIComponent(u.pathname.slice(1)),
		password: decodeURIComponent(u.password),
	};
}
