import mysql, { type Connection, type ConnectionOptions } from "mysql2";
import { WaitBudget } from "./budget.ts";
import type { MysqlConnection } from "./config.ts";
import { failure, type SourceLabel, sourceError } from "./errors.ts";
import {
	classifyMysqlError,
	mysqlOrdered,
	mysqlValue,
} from "./mysql-values.ts";
import { profileFromRow } from "./profile.ts";
import {
	buildColumnsSql,
	buildProfileSql,
	buildStreamSql,
	quoteTable,
	type SqlQuery,
} from "./sql.ts";
import type {
	Row,
	SourceConnector,
	SourceRelation,
	StreamRequest,
	TableInfo,
	TableProfile,
} from "./types.ts";

/** Tables whose statistic is below this are counted exactly; larger ones report the estimate. */
const EXACT_COUNT_BELOW = 100_000;

/**
 * MySQL and MariaDB through mysql2. Each read gets its own connection running a READ ONLY
 * transaction in UTC; rows stream with back-pressure (`batchSize` buffered at most) and every value
 * goes through `mysqlValue`. A stream the consumer leaves early, or that times out waiting on the
 * server, is ended by destroying its connection (the server then drops the query).
 */
export class MysqlConnector implements SourceConnector {
	readonly kind = "mysql";
	readonly #conn: MysqlConnection;
	readonly #label: SourceLabel;
	readonly #options: ConnectionOptions;

	constructor(conn: MysqlConnection) {
		this.#conn = conn;
		const u = conn.url ? new URL(conn.url) : undefined;
		const host = u ? u.hostname || "localhost" : (conn.host ?? "localhost");
		const port = u ? Number(u.port || 3306) : (conn.port ?? 3306);
		const database = u
			? decodeURIComponent(u.pathname.slice(1))
			: (conn.database ?? "");
		const password = u ? decodeURIComponent(u.password) : (conn.password ?? "");
		this.#label = {
			kind: "mysql",
			where: `${host}:${port}/${database}`,
			secrets: [password],
		};
		this.#options = {
			host,
			port,
			database,
			user: u ? decodeURIComponent(u.username) : conn.user,
			password,
			...(conn.ssl ? { ssl: {} } : {}),
			connectTimeout: 15_000,
			dateStrings: true,
			supportBigNumbers: true,
			bigNumberStrings: true,
			decimalNumbers: false,
			jsonStrings: true,
			timezone: "Z",
			typeCast: (field, next) => mysqlValue(field.type, field.length, next()),
		};
	}

	async test(): Promise<string> {
		const [row] = await this.#read<{ v: string }>({
			text: "SELECT VERSION() AS v",
			values: [],
		});
		const v = String(row?.v ?? "?");
		return /mariadb/i.test(v) ? `MariaDB ${v.split("-")[0]}` : `MySQL ${v}`;
	}

	async listTables(): Promise<TableInfo[]> {
		const tables = await this.#read<{
			name: string;
			type: string;
			estimate: number | null;
		}>({
			text: `SELECT TABLE_NAME AS name, TABLE_TYPE AS type, TABLE_ROWS AS estimate FROM information_schema.TABLES
			        WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME`,
			values: [],
		});
		const out: TableInfo[] = [];
		for (const t of tables) {
			if (t.type === "VIEW") out.push({ name: t.name, rows: null });
			else if (Number(t.estimate ?? 0) >= EXACT_COUNT_BELOW)
				out.push({ name: t.name, rows: Number(t.estimate), estimated: true });
			else {
				const [c] = await this.#read<{ n: number }>({
					text: `SELECT count(*) AS n FROM ${quoteTable("mysql", t.name)}`,
					values: [],
				});
				out.push({ name: t.name, rows: Number(c?.n ?? 0) });
			}
		}
		return out;
	}

	async columns(from: SourceRelation): Promise<string[]> {
		const conn = await this.#connect();
		try {
			const [, fields] = await conn
				.promise()
				.query(buildColumnsSql("mysql", from));
			return (fields ?? []).map((f) => f.name);
		} catch (err) {
			throw failure(this.#label, err, classifyMysqlError, {});
		} finally {
			conn.destroy();
		}
	}

	async profile(table: string): Promise<TableProfile> {
		const meta = await this.#read<{
			name: string;
			dataType: string;
			columnType: string;
		}>({
			text: `SELECT COLUMN_NAME AS name, DATA_TYPE AS dataType, COLUMN_TYPE AS columnType FROM information_schema.COLUMNS
			        WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION`,
			values: [table],
		});
		if (!meta.length)
			throw sourceError(
				this.#label,
				"source_missing_object",
				`no table or view ${table}`,
			);
		const cols = meta.map((m) => ({
			name: m.name,
			type: m.columnType,
			ordered: mysqlOrdered(m.dataType, m.columnType),
			distinct: /json|geometry/i.test(m.dataType)
				? ("none" as const)
				: ("value" as const),
		}));
		const [row] = await this.#read<Row>({
			text: buildProfileSql("mysql", table, cols),
			values: [],
		});
		return profileFromRow(table, cols, row ?? {});
	}

	async sample(from: SourceRelation, n: number): Promise<Row[]> {
		return this.#read<Row>(buildStreamSql("mysql", { from, limit: n }));
	}

	async *stream(req: StreamRequest, signal?: AbortSignal): AsyncIterable<Row> {
		const q = buildStreamSql("mysql", req);
		signal?.throwIfAborted();
		const conn = await this.#connect();
		const budget = new WaitBudget(this.#conn.queryTimeoutMs, () =>
			conn.destroy(),
		);
		const stop = () => conn.destroy();
		signal?.addEventListener("abort", stop, { once: true });
		let done = false;
		try {
			await budget.during(conn.promise().query("START TRANSACTION READ ONLY"));
			const rows = conn
				.query({ sql: q.text, values: q.values })
				.stream({ highWaterMark: this.#conn.batchSize });
			const it = (rows as AsyncIterable<Row>)[Symbol.asyncIterator]();
			for (;;) {
				const next = await budget.during(it.next());
				if (next.done) break;
				signal?.throwIfAborted();
				yield next.value;
			}
			done = true;
		} catch (err) {
			throw failure(this.#label, err, classifyMysqlError, {
				signal,
				timedOut: budget.expired,
				timeoutMs: this.#conn.queryTimeoutMs,
			});
		} finally {
			signal?.removeEventListener("abort", stop);
			budget.pause();
			if (done)
				await conn
					.promise()
					.end()
					.catch(() => conn.destroy());
			else conn.destroy();
		}
	}

	async close(): Promise<void> {}

	async #connect(): Promise<Connection> {
		const conn = mysql.createConnection(this.#options);
		// A connection the server drops while idle must not crash the process.
		conn.on("error", () => {});
		try {
			await conn.promise().query("SET SESSION TRANSACTION READ ONLY");
			await conn.promise().query("SET time_zone = '+00:00'");
			return conn;
		} catch (err) {
			conn.destroy();
			throw failure(this.#label, err, classifyMysqlError, {});
		}
	}

	/** Runs one statement in a READ ONLY transaction on a fresh connection, within the time budget. */
	async #read<T>(q: SqlQuery): Promise<T[]> {
		const conn = await this.#connect();
		const budget = new WaitBudget(this.#conn.queryTimeoutMs, () =>
			conn.destroy(),
		);
		try {
			await budget.during(conn.promise().query("START TRANSACTION READ ONLY"));
			const [rows] = await budget.during(
				conn.promise().query({ sql: q.text, values: q.values }),
			);
			await conn.promise().query("COMMIT");
			return rows as T[];
		} catch (err) {
			throw failure(this.#label, err, classifyMysqlError, {
				timedOut: budget.expired,
				timeoutMs: this.#conn.queryTimeoutMs,
			});
		} finally {
			budget.pause();
			conn.destroy();
		}
	}
}
