import sql from "mssql";
import { WaitBudget } from "./budget.ts";
import type { MssqlConnection } from "./config.ts";
import { failure, type SourceLabel, sourceError } from "./errors.ts";
import {
	classifyMssqlError,
	type MssqlColumn,
	mssqlDistinct,
	mssqlOrdered,
	mssqlValue,
} from "./mssql-values.ts";
import { profileFromRow } from "./profile.ts";
import {
	buildColumnsSql,
	buildProfileSql,
	buildStreamSql,
	type SqlQuery,
} from "./sql.ts";
import type {
	Row,
	SourceConnector,
	SourceRelation,
	StreamRequest,
	TableInfo,
	TableProfile,
	Value,
} from "./types.ts";

/** Tables with at least this many rows (per sys.partitions) report that figure as an estimate instead of counting. */
const EXACT_COUNT_BELOW = 100_000;

type RawColumns = Record<
	string,
	{ name: string; type: { declaration?: string }; scale?: number }
>;

/**
 * The mssql pool settings for a source. `readOnlyIntent` is ApplicationIntent=ReadOnly: it routes
 * the session to a readable secondary where there is one and grants nothing, so read-only access is
 * the login's job (db_datareader only; see the README). Dates are read as UTC wall clocks.
 */
export function mssqlPoolConfig(conn: MssqlConnection): sql.config {
	return {
		server: conn.server,
		port: conn.port,
		database: conn.database,
		user: conn.user,
		password: conn.password,
		connectionTimeout: 15_000,
		// Our own wall-clock budget cancels a slow read; tedious's timer stops at the first row.
		requestTimeout: conn.queryTimeoutMs,
		pool: { max: 4, min: 0, idleTimeoutMillis: 10_000 },
		options: {
			encrypt: conn.encrypt,
			trustServerCertificate: conn.trustServerCertificate,
			readOnlyIntent: true,
			useUTC: true,
			appName: "erp-pulse",
		},
	};
}

/** Column metadata of a recordset, in the shape `mssqlValue` takes. */
export function mssqlColumns(columns: RawColumns): [string, MssqlColumn][] {
	return Object.values(columns).map((c) => [
		c.name,
		{ declaration: c.type?.declaration ?? "", scale: c.scale },
	]);
}

/**
 * SQL Server through mssql (tedious). Queries are parameterised (@p0, @p1…); rows stream with
 * pause/resume so at most `batchSize` are buffered; a read that waits on the server longer than
 * `queryTimeoutMs` in all is cancelled with `request.cancel()`.
 */
export class MssqlConnector implements SourceConnector {
	readonly kind = "mssql";
	readonly #conn: MssqlConnection;
	readonly #label: SourceLabel;
	#pool: sql.ConnectionPool | undefined;

	constructor(conn: MssqlConnection) {
		this.#conn = conn;
		this.#label = {
			kind: "mssql",
			where: `${conn.server}:${conn.port}/${conn.database}`,
			secrets: [conn.password],
		};
	}

	async test(): Promise<string> {
		const [row] = await this.#query({
			text: "SELECT CAST(SERVERPROPERTY('ProductVersion') AS nvarchar(128)) AS v",
			values: [],
		});
		return `SQL Server ${row?.v ?? "?"}`;
	}

	async listTables(): Promise<TableInfo[]> {
		const rows = await this.#query({
			text: `SELECT s.name AS sch, o.name AS name, o.type AS type,
			        (SELECT SUM(p.rows) FROM sys.partitions p WHERE p.object_id = o.object_id AND p.index_id IN (0, 1)) AS estimate
			       FROM sys.objects o JOIN sys.schemas s ON s.schema_id = o.schema_id
			       WHERE o.type IN ('U', 'V') AND o.is_ms_shipped = 0 ORDER BY s.name, o.name`,
			values: [],
		});
		return rows.map((t) => {
			const name = `${t.sch}.${t.name}`;
			if (String(t.type).trim() === "V") return { name, rows: null };
			const n = Number(t.estimate ?? 0);
			return n >= EXACT_COUNT_BELOW
				? { name, rows: n, estimated: true }
				: { name, rows: n };
		});
	}

	async columns(from: SourceRelation): Promise<string[]> {
		const pool = await this.#connect();
		try {
			const r = await pool.request().query(buildColumnsSql("mssql", from));
			return mssqlColumns(r.recordset.columns as unknown as RawColumns).map(
				([name]) => name,
			);
		} catch (err) {
			throw failure(this.#label, err, classifyMssqlError, {});
		}
	}

	async profile(table: string): Promise<TableProfile> {
		const [schema, name] = table.includes(".")
			? table.split(".", 2)
			: ["dbo", table];
		const meta = await this.#query({
			text: `SELECT COLUMN_NAME AS name, DATA_TYPE AS type FROM INFORMATION_SCHEMA.COLUMNS
			       WHERE TABLE_SCHEMA = @p0 AND TABLE_NAME = @p1 ORDER BY ORDINAL_POSITION`,
			values: [schema ?? "dbo", name ?? ""],
		});
		if (!meta.length)
			throw sourceError(
				this.#label,
				"source_missing_object",
				`no table or view ${table}`,
			);
		const cols = meta.map((m) => ({
			name: String(m.name),
			type: String(m.type),
			ordered: mssqlOrdered(String(m.type)),
			distinct: mssqlDistinct(String(m.type)),
		}));
		const [row] = await this.#query({
			text: buildProfileSql("mssql", table, cols),
			values: [],
		});
		return profileFromRow(table, cols, row ?? {});
	}

	async sample(from: SourceRelation, n: number): Promise<Row[]> {
		return this.#query(buildStreamSql("mssql", { from, limit: n }));
	}

	async *stream(req: StreamRequest, signal?: AbortSignal): AsyncIterable<Row> {
		signal?.throwIfAborted();
		const pool = await this.#connect();
		const request = pool.request();
		request.stream = true;
		const q = buildStreamSql("mssql", req);
		bind(request, q);
		const rows = new RowQueue(request, q.text, this.#conn.batchSize);
		const budget = new WaitBudget(this.#conn.queryTimeoutMs, () =>
			request.cancel(),
		);
		const cancel = () => request.cancel();
		signal?.addEventListener("abort", cancel, { once: true });
		let finished = false;
		try {
			for (;;) {
				const row = await budget.during(rows.next());
				if (row === undefined) break;
				signal?.throwIfAborted();
				yield row;
			}
			finished = true;
		} catch (err) {
			throw failure(this.#label, err, classifyMssqlError, {
				signal,
				timedOut: budget.expired,
				timeoutMs: this.#conn.queryTimeoutMs,
			});
		} finally {
			signal?.removeEventListener("abort", cancel);
			budget.pause();
			if (!finished) request.cancel();
		}
	}

	async close(): Promise<void> {
		await this.#pool?.close();
		this.#pool = undefined;
	}

	async #connect(): Promise<sql.ConnectionPool> {
		if (this.#pool?.connected) return this.#pool;
		const pool = new sql.ConnectionPool(mssqlPoolConfig(this.#conn));
		pool.on("error", () => {});
		try {
			this.#pool = await pool.connect();
			return this.#pool;
		} catch (err) {
			throw failure(this.#label, err, classifyMssqlError, {});
		}
	}

	async #query(q: SqlQuery): Promise<Row[]> {
		const pool = await this.#connect();
		const request = pool.request();
		bind(request, q);
		const budget = new WaitBudget(this.#conn.queryTimeoutMs, () =>
			request.cancel(),
		);
		try {
			const r = await budget.during(request.query(q.text));
			const cols = mssqlColumns(r.recordset.columns as unknown as RawColumns);
			return r.recordset.map((raw: Record<string, unknown>) =>
				toRow(cols, raw),
			);
		} catch (err) {
			throw failure(this.#label, err, classifyMssqlError, {
				timedOut: budget.expired,
				timeoutMs: this.#conn.queryTimeoutMs,
			});
		}
	}
}

function bind(request: sql.Request, q: SqlQuery): void {
	q.values.forEach((v, i) => {
		request.input(`p${i}`, v);
	});
}

function toRow(
	cols: [string, MssqlColumn][],
	raw: Record<string, unknown>,
): Row {
	const row: Row = {};
	for (const [name, col] of cols) row[name] = mssqlValue(col, raw[name]);
	return row;
}

/**
 * A streaming request's events as a pull queue: rows are buffered up to `limit`, then the request
 * is paused until the consumer catches up. `next()` resolves undefined at the end.
 */
class RowQueue {
	readonly #request: sql.Request;
	readonly #limit: number;
	readonly #buffer: Row[] = [];
	#columns: [string, MssqlColumn][] = [];
	#done = false;
	#error: unknown;
	#wake: (() => void) | undefined;

	constructor(request: sql.Request, text: string, limit: number) {
		this.#request = request;
		this.#limit = limit;
		request.on("recordset", (columns: RawColumns) => {
			this.#columns = mssqlColumns(columns);
		});
		request.on("row", (raw: Record<string, Value>) => {
			this.#buffer.push(toRow(this.#columns, raw));
			if (this.#buffer.length >= this.#limit) request.pause();
			this.#notify();
		});
		request.on("error", (err: unknown) => {
			this.#error ??= err;
			this.#notify();
		});
		request.on("done", () => {
			this.#done = true;
			this.#notify();
		});
		// In stream mode the outcome arrives as events; the promise would only repeat the error.
		void Promise.resolve(request.query(text)).catch(() => undefined);
	}

	async next(): Promise<Row | undefined> {
		for (;;) {
			const row = this.#buffer.shift();
			if (row) {
				if (this.#buffer.length === 0) this.#request.resume();
				return row;
			}
			if (this.#error !== undefined) throw this.#error;
			if (this.#done) return undefined;
			this.#request.resume();
			await new Promise<void>((resolve) => {
				this.#wake = resolve;
			});
		}
	}

	#notify(): void {
		const wake = this.#wake;
		this.#wake = undefined;
		wake?.();
	}
}
