import type { SourceConnection } from "./config.ts";
import type {
	ConnectorOptions,
	Expected,
	Row,
	SourceConnector,
	SourceRelation,
	StreamRequest,
	TableInfo,
	TableProfile,
} from "./types.ts";

export type { SourceConnection } from "./config.ts";
export { SourceError } from "./errors.ts";
export type * from "./types.ts";

/** Loads the adapter for one kind: a process touches only the drivers its sources use. */
async function load(
	conn: SourceConnection,
	opts: ConnectorOptions,
): Promise<SourceConnector> {
	switch (conn.kind) {
		case "postgres":
			return new (await import("./postgres.ts")).PostgresConnector(conn);
		case "mysql":
			return new (await import("./mysql.ts")).MysqlConnector(conn);
		case "mssql":
			return new (await import("./mssql.ts")).MssqlConnector(conn);
		case "sqlite":
			return new (await import("./sqlite.ts")).SqliteConnector(conn);
		case "csv":
			return new (await import("./csv.ts")).CsvConnector(conn, opts);
		case "oracle":
			return new (await import("./oracle.ts")).OracleConnector(conn);
		case "parquet":
			return new (await import("./parquet.ts")).ParquetConnector(conn);
	}
}

/** A connector whose driver is loaded on its first call. */
class LazyConnector implements SourceConnector {
	readonly kind: SourceConnector["kind"];
	readonly #conn: SourceConnection;
	readonly #opts: ConnectorOptions;
	#real: Promise<SourceConnector> | undefined;

	constructor(conn: SourceConnection, opts: ConnectorOptions) {
		this.kind = conn.kind;
		this.#conn = conn;
		this.#opts = opts;
	}

	#get(): Promise<SourceConnector> {
		this.#real ??= load(this.#conn, this.#opts);
		return this.#real;
	}

	async test(): Promise<string> {
		return (await this.#get()).test();
	}
	async listTables(): Promise<TableInfo[]> {
		return (await this.#get()).listTables();
	}
	async columns(from: SourceRelation): Promise<string[]> {
		return (await this.#get()).columns(from);
	}
	async profile(table: string): Promise<TableProfile> {
		return (await this.#get()).profile(table);
	}
	async sample(from: SourceRelation, n: number): Promise<Row[]> {
		return (await this.#get()).sample(from, n);
	}
	async *stream(req: StreamRequest, signal?: AbortSignal): AsyncIterable<Row> {
		yield* (await this.#get()).stream(req, signal);
	}
	async expected(req: StreamRequest): Promise<Expected | undefined> {
		return (await this.#get()).expected?.(req);
	}
	async close(): Promise<void> {
		if (this.#real) await (await this.#real).close();
	}
}

/** The connector for a configured source; nothing connects (or loads its driver) until the first call. */
export function createConnector(
	conn: SourceConnection,
	opts: ConnectorOptions = {},
): SourceConnector {
	return new LazyConnector(conn, opts);
}
