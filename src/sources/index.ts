import type { SourceConnection } from "./config.ts";
import { CsvConnector } from "./csv.ts";
import { MssqlConnector } from "./mssql.ts";
import { MysqlConnector } from "./mysql.ts";
import { PostgresConnector } from "./postgres.ts";
import { SqliteConnector } from "./sqlite.ts";
import type { ConnectorOptions, SourceConnector } from "./types.ts";

export type { SourceConnection } from "./config.ts";
export { SourceError } from "./errors.ts";
export type * from "./types.ts";

/** The connector for a configured source; nothing connects until the first call. */
export function createConnector(
	conn: SourceConnection,
	opts: ConnectorOptions = {},
): SourceConnector {
	switch (conn.kind) {
		case "postgres":
			return new PostgresConnector(conn);
		case "mysql":
			return new MysqlConnector(conn);
		case "mssql":
			return new MssqlConnector(conn);
		case "sqlite":
			return new SqliteConnector(conn);
		case "csv":
			return new CsvConnector(conn, opts);
	}
}
