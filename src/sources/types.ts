/** The technologies a source can be read from; one adapter each. */
export type SourceKind =
	| "mssql"
	| "postgres"
	| "mysql"
	| "sqlite"
	| "csv"
	| "parquet"
	| "oracle";

/** Sources made of files (a file or a folder of them): no SQL, no joins. */
export type FileKind = "csv" | "parquet";

/** The SQL dialects the query builder knows (every kind but the file kinds). */
export type Dialect = Exclude<SourceKind, FileKind>;

export function isFileKind(kind: SourceKind): kind is FileKind {
	return kind === "csv" || kind === "parquet";
}

/** What to read: a table (name may be schema-qualified, "dbo.Invoices") or a whole SELECT written in the source's dialect. */
export type SourceRelation = { table: string } | { select: string };

/** One normalised value: the same data comes out the same from every connector (see values.ts). */
export type Value = string | number | boolean | null;

export type Row = Record<string, Value>;

/**
 * Where a streamed row came from in a file ("line 4 of 2011/11.csv"), kept on the row under a
 * symbol so it never becomes a column: a reject can then name the line a person opens the file at.
 */
export const ROW_ORIGIN: unique symbol = Symbol("erp-pulse.rowOrigin");

/** The origin of a row read from a file, when its connector knows it. */
export function originOf(row: object): string | undefined {
	return (row as { [ROW_ORIGIN]?: string })[ROW_ORIGIN];
}

export interface StreamRequest {
	from: SourceRelation;
	/** Only rows whose `column` is > `after` (null: all rows), ordered by that column ascending. */
	watermark?: { column: string; after: string | number | null };
}

export interface TableInfo {
	/** Schema-qualified for PostgreSQL and SQL Server ("public.invoices", "dbo.Invoices"), bare elsewhere. */
	name: string;
	/** Row count; null when unknown (views, very large CSV folders). */
	rows: number | null;
	/** True when `rows` is the engine's statistic rather than a count (large PostgreSQL, MySQL and SQL Server tables). */
	estimated?: boolean;
}

export interface ColumnProfile {
	name: string;
	/** Declared type as the source names it ("numeric(12,2)", "DECIMAL(12,2)"); CSV: the type inferred from the values. */
	type: string;
	nulls: number;
	/** Smallest and largest value, normalised like streamed values; null for types without an order (booleans, blobs, JSON). */
	min: string | number | null;
	max: string | number | null;
	distinct: number;
	/** False when `distinct` is a lower bound (CSV columns with more distinct values than the profiler keeps). */
	distinctExact: boolean;
}

export interface TableProfile {
	table: string;
	rows: number;
	columns: ColumnProfile[];
}

/** A record a source could not parse (a malformed CSV line), handed to `onBadRecord` instead of stopping the stream. */
export interface BadRecord {
	/** 1-based physical line where the record starts (the header is line 1). */
	line: number;
	/** The raw text of that line (for a record spanning lines with a bad quote: the first line only). */
	raw: string;
	reason: string;
	/** For tables made of several files: the file, relative to the source folder. */
	file?: string;
}

/** Options that are not configuration: callbacks from the caller. */
export interface ConnectorOptions {
	onBadRecord?: (record: BadRecord) => void;
}

export interface SourceConnector {
	readonly kind: SourceKind;
	/** Connects and runs a trivial query; resolves with the server/file description (e.g. "PostgreSQL 15.19"). Throws SourceError. */
	test(): Promise<string>;
	listTables(): Promise<TableInfo[]>;
	/** Column names (in order) of a table or of a SELECT, without reading its rows where the engine allows. */
	columns(from: SourceRelation): Promise<string[]>;
	profile(table: string): Promise<TableProfile>;
	/** First n rows, for `sources inspect`. */
	sample(from: SourceRelation, n: number): Promise<Row[]>;
	/**
	 * Streams rows; never loads the whole result into memory; stops and releases the cursor/connection
	 * when the consumer stops iterating or `signal` aborts (the iteration then throws `signal.reason`).
	 */
	stream(req: StreamRequest, signal?: AbortSignal): AsyncIterable<Row>;
	/**
	 * How much `stream(req)` will read, when the connector can tell cheaply, for a progress line's
	 * estimate of the time left: the rows it will yield, or (files read whole) the share of bytes
	 * read so far by the stream that follows, or the query planner's estimate of the rows (PostgreSQL).
	 * Undefined when it cannot tell.
	 */
	expected?(req: StreamRequest): Promise<Expected | undefined>;
	close(): Promise<void>;
}

/** See SourceConnector.expected; `estimated` when the rows are the engine's guess rather than a count. */
export type Expected =
	| { rows: number; estimated?: boolean }
	| { fraction: () => number };
