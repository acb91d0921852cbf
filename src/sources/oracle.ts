import oracledb from "oracledb";
import { WaitBudget } from "./budget.ts";
import type { OracleConnection } from "./config.ts";
import { failure, type SourceLabel, sourceError } from "./errors.ts";
import {
	classifyOracleError,
	FETCH_AS_TEXT,
	ORACLE_SESSION_SQL,
	type OracleColumn,
	oracleOrdered,
	oracleValue,
} from "./oracle-values.ts";
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
} from "./types.ts";

/** The tables and views a source lists: those of the schemas Oracle does not maintain itself. */
export const ORACLE_LIST_TABLES_SQL = `SELECT owner, table_name AS name, num_rows AS estimate FROM all_tables
 WHERE owner IN (SELECT username FROM all_users WHERE oracle_maintained = 'N')
 UNION ALL SELECT owner, view_name, NULL FROM all_views
 WHERE owner IN (SELECT username FROM all_users WHERE oracle_maintained = 'N')
 ORDER BY 1, 2`;

/** A table's columns in order; with no owner given, the session's current schema. */
export const ORACLE_COLUMNS_SQL = `SELECT column_name AS name, data_type AS type FROM all_tab_columns
 WHERE owner = COALESCE(:1, SYS_CONTEXT('USERENV', 'CURRENT_SCHEMA')) AND table_name = :2 ORDER BY column_id`;

/** The Easy Connect string of a connection ("host:1521/SERVICE"), or the one given. */
export function oracleConnectString(conn: OracleConnection): string {
	return conn.connectString ?? `${conn.host}:${conn.port}/${conn.service}`;
}

/** Numbers, dates and timestamps as text (see oracle-values.ts); everything else as oracledb gives it. */
function fetchTypeHandler(
	meta: oracledb.Metadata<unknown>,
): oracledb.FetchTypeResponse | undefined {
	return FETCH_AS_TEXT.has(meta.dbTypeName ?? "")
		? { type: oracledb.STRING }
		: undefined;
}

/**
 * Oracle through node-oracledb in Thin mode (pure JavaScript: no Instant Client). Every read is a
 * `SET TRANSACTION READ ONLY` transaction with bind variables (:1, :2…); samples use
 * `FETCH FIRST n ROWS ONLY`; tables come from ALL_TABLES/ALL_VIEWS and columns from
 * ALL_TAB_COLUMNS. Rows are fetched `batchSize` at a time from a result set; a read that waits on
 * the server longer than `queryTimeoutMs` in all is broken off with `connection.break()`.
 */
export class OracleConnector implements SourceConnector {
	readonly kind = "oracle";
	readonly #conn: OracleConnection;
	readonly #label: SourceLabel;
	#pool: oracledb.Pool | undefined;

	constructor(conn: OracleConnection) {
		this.#conn = conn;
		this.#label = {
			kind: "oracle",
			where: `${oracleConnectString(conn)} as ${conn.user}`,
			secrets: [conn.password],
		};
	}

	async test(): Promise<string> {
		return this.#with(async (c) => {
			await c.execute("SELECT 1 FROM dual");
			return `Oracle ${c.oracleServerVersionString}`;
		});
	}

	async listTables(): Promise<TableInfo[]> {
		const rows = await this.#query({
			text: ORACLE_LIST_TABLES_SQL,
			values: [],
		});
		return rows.map((r) => {
			const name = `${r.OWNER}.${r.NAME}`;
			return r.ESTIMATE === null
				? { name, rows: null }
				: { name, rows: Number(r.ESTIMATE), estimated: true };
		});
	}

	async columns(from: SourceRelation): Promise<string[]> {
		return this.#with(async (c) => {
			const r = await c.execute(buildColumnsSql("oracle", from), [], {
				fetchTypeHandler,
			});
			return (r.metaData ?? []).map((m) => m.name);
		});
	}

	async profile(table: string): Promise<TableProfile> {
		const [owner, name] = table.includes(".")
			? table.split(".", 2)
			: [null, table];
		const meta = await this.#query({
			text: ORACLE_COLUMNS_SQL,
			values: [owner ?? null, name ?? ""],
		});
		if (!meta.length)
			throw sourceError(
				this.#label,
				"source_missing_object",
				`no table or view ${table}`,
			);
		const cols = meta.map((m) => {
			const type = String(m.TYPE);
			const ordered = oracleOrdered(type);
			return {
				name: String(m.NAME),
				type,
				ordered,
				distinct: ordered ? ("value" as const) : ("none" as const),
			};
		});
		const [row] = await this.#query({
			text: buildProfileSql("oracle", table, cols),
			values: [],
		});
		// Oracle names unquoted aliases in upper case; profileFromRow reads n, c0, lo0…
		const lower = Object.fromEntries(
			Object.entries(row ?? {}).map(([k, v]) => [k.toLowerCase(), v]),
		);
		return profileFromRow(table, cols, lower);
	}

	async sample(from: SourceRelation, n: number): Promise<Row[]> {
		return this.#query(buildStreamSql("oracle", { from, limit: n }));
	}

	async *stream(req: StreamRequest, signal?: AbortSignal): AsyncIterable<Row> {
		signal?.throwIfAborted();
		const c = await this.#connect();
		const budget = new WaitBudget(
			this.#conn.queryTimeoutMs,
			() => void c.break().catch(() => undefined),
		);
		const cancel = () => void c.break().catch(() => undefined);
		signal?.addEventListener("abort", cancel, { once: true });
		let rs: oracledb.ResultSet<unknown[]> | undefined;
		try {
			await budget.during(c.execute("SET TRANSACTION READ ONLY"));
			const q = buildStreamSql("oracle", req);
			const r = await budget.during(
				c.execute<unknown[]>(q.text, q.values as oracledb.BindParameters, {
					resultSet: true,
					outFormat: oracledb.OUT_FORMAT_ARRAY,
					fetchArraySize: this.#conn.batchSize,
					fetchTypeHandler,
				}),
			);
			rs = r.resultSet;
			const cols = columnsOf(r.metaData);
			for (;;) {
				const batch = await budget.during(
					(rs as oracledb.ResultSet<unknown[]>).getRows(this.#conn.batchSize),
				);
				if (batch.length === 0) break;
				for (const raw of batch) {
					signal?.throwIfAborted();
					yield toRow(cols, raw);
				}
			}
		} catch (err) {
			throw failure(this.#label, err, classifyOracleError, {
				signal,
				timedOut: budget.expired,
				timeoutMs: this.#conn.queryTimeoutMs,
			});
		} finally {
			signal?.removeEventListener("abort", cancel);
			budget.pause();
			await rs?.close().catch(() => undefined);
			await c.rollback().catch(() => undefined);
			await c.close().catch(() => undefined);
		}
	}

	async close(): Promise<void> {
		await this.#pool?.close(0).catch(() => undefined);
		this.#pool = undefined;
	}

	/** A pooled connection with the session settings applied once, when the pool creates it. */
	async #connect(): Promise<oracledb.Connection> {
		try {
			this.#pool ??= await oracledb.createPool({
				user: this.#conn.user,
				password: this.#conn.password,
				connectString: oracleConnectString(this.#conn),
				poolMin: 0,
				poolMax: 4,
				poolIncrement: 1,
				connectTimeout: 15,
				sessionCallback: (
					c: oracledb.Connection,
					_tag: string,
					done: (err?: Error) => void,
				) => {
					Promise.all(ORACLE_SESSION_SQL.map((s) => c.execute(s))).then(
						() => done(),
						done,
					);
				},
			});
			return await this.#pool.getConnection();
		} catch (err) {
			throw failure(this.#label, err, classifyOracleError, {});
		}
	}

	async #with<T>(work: (c: oracledb.Connection) => Promise<T>): Promise<T> {
		const c = await this.#connect();
		try {
			return await work(c);
		} catch (err) {
			throw failure(this.#label, err, classifyOracleError, {});
		} finally {
			await c.close().catch(() => undefined);
		}
	}

	async #query(q: SqlQuery): Promise<Row[]> {
		const c = await this.#connect();
		const budget = new WaitBudget(
			this.#conn.queryTimeoutMs,
			() => void c.break().catch(() => undefined),
		);
		try {
			await budget.during(c.execute("SET TRANSACTION READ ONLY"));
			const r = await budget.during(
				c.execute<unknown[]>(q.text, q.values as oracledb.BindParameters, {
					outFormat: oracledb.OUT_FORMAT_ARRAY,
					fetchTypeHandler,
				}),
			);
			const cols = columnsOf(r.metaData);
			return (r.rows ?? []).map((raw) => toRow(cols, raw));
		} catch (err) {
			throw failure(this.#label, err, classifyOracleError, {
				timedOut: budget.expired,
				timeoutMs: this.#conn.queryTimeoutMs,
			});
		} finally {
			await c.rollback().catch(() => undefined);
			await c.close().catch(() => undefined);
		}
	}
}

function columnsOf<T>(
	meta: oracledb.Metadata<T>[] | undefined,
): [string, OracleColumn][] {
	return (meta ?? []).map((m) => [
		m.name,
		{ dbTypeName: m.dbTypeName ?? "", scale: m.scale },
	]);
}

function toRow(cols: [string, OracleColumn][], raw: unknown[]): Row {
	const row: Row = {};
	cols.forEach(([name, col], i) => {
		row[name] = oracleValue(col, raw[i]);
	});
	return row;
}
