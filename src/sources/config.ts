import { z } from "zod";
import { compileDateFormat } from "./csv-dates.ts";

/**
 * How to reach a source, one strict object per kind, validated at start-up. Secrets arrive already
 * resolved from ${ENV} references by the config loader, so they are plain strings here.
 */

const common = {
	/** Longest the source may keep us waiting in one call (for a stream: waiting for rows, not the consumer's time). */
	queryTimeoutMs: z
		.int()
		.min(1000, { error: "expected at least 1000 (ms)" })
		.default(300_000),
	/** Rows fetched per round trip (PostgreSQL cursor batch, buffered rows before pausing a stream). */
	batchSize: z.int().min(1).max(1_000_000).default(5_000),
};

const port = z
	.int()
	.min(1, { error: "expected a port from 1 to 65535" })
	.max(65535, { error: "expected a port from 1 to 65535" });
const text = z.string().min(1);

/** Either `url`, or `host` + `database` (+ user, password, port). */
function urlOrHost(
	v: {
		url?: string | undefined;
		host?: string | undefined;
		database?: string | undefined;
	},
	ctx: z.RefinementCtx,
): void {
	if (v.url && (v.host || v.database))
		ctx.addIssue({
			code: "custom",
			message: "give either url, or host and database, not both",
			path: ["url"],
		});
	if (!v.url && !(v.host && v.database))
		ctx.addIssue({
			code: "custom",
			message: "expected url, or host and database",
			path: [v.host ? "database" : "host"],
		});
}

const postgres = z
	.strictObject({
		kind: z.literal("postgres"),
		/** postgres://user:password@host:5432/database?sslmode=require */
		url: z
			.string()
			.regex(/^postgres(ql)?:\/\//, { error: "expected a postgres:// URL" })
			.optional(),
		host: text.optional(),
		port: port.optional(),
		database: text.optional(),
		user: text.optional(),
		password: z.string().optional(),
		ssl: z.boolean().default(false),
		...common,
	})
	.superRefine(urlOrHost);

const mysql = z
	.strictObject({
		kind: z.literal("mysql"),
		/** mysql://user:password@host:3306/database (MySQL or MariaDB) */
		url: z
			.string()
			.regex(/^(mysql|mariadb):\/\//, { error: "expected a mysql:// URL" })
			.optional(),
		host: text.optional(),
		port: port.optional(),
		database: text.optional(),
		user: text.optional(),
		password: z.string().optional(),
		ssl: z.boolean().default(false),
		...common,
	})
	.superRefine(urlOrHost);

const mssql = z.strictObject({
	kind: z.literal("mssql"),
	server: text,
	port: port.default(1433),
	database: text,
	/** A login with only db_datareader: that, not ApplicationIntent=ReadOnly, is what keeps us read-only. */
	user: text,
	password: z.string(),
	encrypt: z.boolean().default(true),
	trustServerCertificate: z.boolean().default(false),
	...common,
});

const oracle = z
	.strictObject({
		kind: z.literal("oracle"),
		/** An Easy Connect string ("db.example.com:1521/ORCLPDB1") or a TNS descriptor; or host + service. */
		connectString: text.optional(),
		host: text.optional(),
		port: port.default(1521),
		/** The database service name (not the SID). */
		service: text.optional(),
		user: text,
		password: z.string(),
		...common,
	})
	.superRefine((v, ctx) => {
		if (!v.connectString && !(v.host && v.service))
			ctx.addIssue({
				code: "custom",
				message: 'give connectString ("host:1521/SERVICE") or host and service',
				path: [v.host ? "service" : "host"],
			});
	});

const sqlite = z.strictObject({
	kind: z.literal("sqlite"),
	/** The database file; opened read-only. */
	file: text,
	...common,
});

const dateFormat = z.string().superRefine((format, ctx) => {
	try {
		compileDateFormat(format);
	} catch (err) {
		ctx.addIssue({ code: "custom", message: (err as Error).message });
	}
});

const csv = z
	.strictObject({
		kind: z.literal("csv"),
		/** A .csv/.csv.gz file, or a folder: each file is a table, each subfolder a table of all its files in name order. */
		path: text,
		delimiter: z
			.string()
			.length(1, {
				error: 'expected one character, such as "," or ";" or "\\t"',
			})
			.default(","),
		/** "latin1" is decoded as windows-1252, as browsers and Excel do (they differ only in 0x80–0x9F). */
		encoding: z.enum(["utf8", "latin1", "windows-1252"]).default("utf8"),
		/** Renames header columns: { "Inv Date": "InvoiceDate" }. */
		header: z.record(z.string(), text).default({}),
		/** Column names for files without a header row. */
		columns: z.array(text).min(1).optional(),
		/** Per column (after renaming), the format its dates are written in: { InvoiceDate: "M/D/YYYY H:mm" }. */
		dateFormat: z.record(z.string(), dateFormat).default({}),
		...common,
	})
	.superRefine((v, ctx) => {
		if (v.columns && new Set(v.columns).size !== v.columns.length)
			ctx.addIssue({
				code: "custom",
				message: "column names must be unique",
				path: ["columns"],
			});
	});

const parquet = z.strictObject({
	kind: z.literal("parquet"),
	/** A .parquet file, or a folder: each file is a table, each subfolder a table of all its files in name order. */
	path: text,
	...common,
});

/** One source connection; `kind` picks the adapter. */
export const sourceConnectionSchema = z.discriminatedUnion("kind", [
	postgres,
	mysql,
	mssql,
	sqlite,
	csv,
	parquet,
	oracle,
]);

export type SourceConnection = z.output<typeof sourceConnectionSchema>;
export type SourceConnectionInput = z.input<typeof sourceConnectionSchema>;
export type PostgresConnection = Extract<
	SourceConnection,
	{ kind: "postgres" }
>;
export type MysqlConnection = Extract<SourceConnection, { kind: "mysql" }>;
export type MssqlConnection = Extract<SourceConnection, { kind: "mssql" }>;
export type SqliteConnection = Extract<SourceConnection, { kind: "sqlite" }>;
export type CsvConnection = Extract<SourceConnection, { kind: "csv" }>;
export type ParquetConnection = Extract<SourceConnection, { kind: "parquet" }>;
export type OracleConnection = Extract<SourceConnection, { kind: "oracle" }>;
