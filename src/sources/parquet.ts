import path from "node:path";
import {
	type AsyncBuffer,
	asyncBufferFromFile,
	type FileMetaData,
	parquetMetadataAsync,
	parquetRead,
} from "hyparquet";
import { compressors } from "hyparquet-compressors";
import type { ParquetConnection } from "./config.ts";
import { type SourceLabel, sourceError } from "./errors.ts";
import {
	type FileTable,
	findFileTable,
	firstRows,
	listFileTables,
	pastWatermark,
} from "./files.ts";
import {
	PARQUET_PARSERS,
	type ParquetDecoder,
	parquetValue,
	rawMetadata,
} from "./parquet-values.ts";
import { RowProfiler } from "./profile.ts";
import {
	type Expected,
	ROW_ORIGIN,
	type Row,
	type SourceConnector,
	type SourceRelation,
	type StreamRequest,
	type TableInfo,
	type TableProfile,
} from "./types.ts";

const PARQUET_FILE = /\.parquet$/i;

const PLAIN: ParquetDecoder = { kind: "plain" };

/** A table of a Parquet source: one file, or the files of one subfolder read in name order. */
type ParquetTable = FileTable;

/** One opened file: its bytes on demand, its metadata with decimals and timestamps left raw, and how each column decodes. */
interface OpenFile {
	file: AsyncBuffer;
	metadata: FileMetaData;
	decoders: Map<string, ParquetDecoder>;
	columns: string[];
	/** Each column's type as the file declares it. */
	types: Map<string, string>;
}

/**
 * Parquet exports (a data lake's staging area, Spark or pandas output), read with hyparquet.
 * `path` is a file (one table named after it) or a folder: each .parquet file is a table, each
 * subfolder a table of all its files in name order (a partitioned export). Rows are read one row
 * group at a time, so memory holds one row group, never a whole file.
 *
 * Values (values.ts): DECIMAL stored as INT32, INT64 or fixed bytes is read from its stored
 * integer, so it is exact; DATE is "YYYY-MM-DD"; TIMESTAMP in its own unit is a wall clock, or an
 * ISO instant ending in Z when the file marks it adjusted to UTC; INT64 is a number when safe,
 * else the exact string; dictionary-encoded strings are strings; nulls are null; nested columns
 * arrive as JSON text. A file that is not Parquet, is cut short or has a damaged page stops the
 * read with an error naming the file: nothing of that run's entity is loaded.
 */
export class ParquetConnector implements SourceConnector {
	readonly kind = "parquet";
	readonly #conn: ParquetConnection;
	readonly #label: SourceLabel;

	constructor(conn: ParquetConnection) {
		this.#conn = conn;
		this.#label = { kind: "parquet", where: conn.path, secrets: [] };
	}

	async test(): Promise<string> {
		const tables = this.#tables();
		for (const t of tables) for (const f of t.files) await this.#open(f);
		return `Parquet ${this.#conn.path} (${tables.length} table${tables.length === 1 ? "" : "s"})`;
	}

	async listTables(): Promise<TableInfo[]> {
		const out: TableInfo[] = [];
		for (const t of this.#tables()) {
			let rows = 0;
			for (const f of t.files)
				rows += Number((await this.#open(f)).metadata.num_rows);
			out.push({ name: t.name, rows });
		}
		return out;
	}

	async columns(from: SourceRelation): Promise<string[]> {
		const first = this.#table(from).files[0];
		return first ? (await this.#open(first)).columns : [];
	}

	async profile(table: string): Promise<TableProfile> {
		const t = this.#table({ table });
		const first = t.files[0];
		const open = first ? await this.#open(first) : undefined;
		const profiler = new RowProfiler(open?.columns ?? []);
		for await (const row of this.#read(t)) profiler.add(row);
		const result = profiler.result(t.name);
		for (const c of result.columns) c.type = open?.types.get(c.name) ?? c.type;
		return result;
	}

	async sample(from: SourceRelation, n: number): Promise<Row[]> {
		return firstRows(this.#read(this.#table(from), undefined, n), n);
	}

	async *stream(req: StreamRequest, signal?: AbortSignal): AsyncIterable<Row> {
		yield* pastWatermark(
			this.#read(this.#table(req.from), signal),
			req.watermark,
		);
	}

	/** The files' row counts from their metadata; unknown when a watermark leaves some out. */
	async expected(req: StreamRequest): Promise<Expected | undefined> {
		if (req.watermark && req.watermark.after !== null) return undefined;
		let rows = 0;
		for (const f of this.#table(req.from).files)
			rows += Number((await this.#open(f)).metadata.num_rows);
		return { rows };
	}

	async close(): Promise<void> {}

	#tables(): ParquetTable[] {
		return listFileTables(this.#conn.path, PARQUET_FILE, this.#label);
	}

	#table(from: SourceRelation): ParquetTable {
		return findFileTable(this.#tables(), from, this.#label, "Parquet");
	}

	async #open(name: string): Promise<OpenFile> {
		try {
			const file = await asyncBufferFromFile(name);
			const original = await parquetMetadataAsync(file, {
				parsers: PARQUET_PARSERS,
			});
			const { metadata, decoders } = rawMetadata(original);
			const types = new Map(
				original.schema
					.filter((e) => decoders.has(e.name))
					.map((e) => [e.name, declaredType(e)]),
			);
			return { file, metadata, decoders, columns: [...decoders.keys()], types };
		} catch (err) {
			throw this.#bad(name, err);
		}
	}

	/** Rows [rowStart, rowEnd) of every column, decoded column by column (one array per column). */
	async #columnsOf(
		open: OpenFile,
		columns: readonly string[],
		rowStart: number,
		rowEnd: number,
	): Promise<ArrayLike<unknown>[]> {
		const chunks = new Map<
			string,
			{ rowStart: number; data: ArrayLike<unknown> }[]
		>();
		// One column at a time: a column's pages and decoding buffers are garbage before the next.
		for (const column of columns)
			await parquetRead({
				file: open.file,
				metadata: open.metadata,
				columns: [column],
				rowStart,
				rowEnd,
				compressors,
				parsers: PARQUET_PARSERS,
				onChunk: (chunk) => {
					const list = chunks.get(chunk.columnName) ?? [];
					list.push({ rowStart: chunk.rowStart, data: chunk.columnData });
					chunks.set(chunk.columnName, list);
				},
			});
		return columns.map((c) => {
			const list = (chunks.get(c) ?? []).sort(
				(a, b) => a.rowStart - b.rowStart,
			);
			const first = list[0];
			if (list.length === 1 && first && first.rowStart <= rowStart)
				return sliceView(first.data, rowStart - first.rowStart);
			const out: unknown[] = [];
			for (const part of list)
				for (let i = 0; i < part.data.length; i++) {
					const r = part.rowStart + i;
					if (r >= rowStart && r < rowEnd) out[r - rowStart] = part.data[i];
				}
			return out;
		});
	}

	#bad(file: string, err: unknown) {
		return sourceError(
			this.#label,
			"source_bad_file",
			`${path.relative(this.#conn.path, file) || path.basename(file)} is not a readable Parquet file (${(err as Error).message}); re-export it`,
			{ cause: err },
		);
	}

	/** Every row of a table, file after file and row group after row group; `limit` stops early. */
	async *#read(
		table: ParquetTable,
		signal?: AbortSignal,
		limit = Number.POSITIVE_INFINITY,
	): AsyncGenerator<Row> {
		signal?.throwIfAborted();
		let columns: string[] | undefined;
		let n = 0;
		for (const name of table.files) {
			const open = await this.#open(name);
			const rel =
				table.files.length > 1
					? path.relative(this.#conn.path, name)
					: path.basename(name);
			if (!columns) columns = open.columns;
			else if (open.columns.join("\u0000") !== columns.join("\u0000"))
				throw sourceError(
					this.#label,
					"source_bad_file",
					`${rel} has columns ${open.columns.join(", ")}; the table's first file has ${columns.join(", ")}`,
				);
			const decoders = columns.map((c) => open.decoders.get(c) ?? PLAIN);
			let start = 0;
			for (const group of open.metadata.row_groups) {
				const end = start + Number(group.num_rows);
				const rowEnd = Math.min(end, start + Math.max(0, limit - n));
				let data: ArrayLike<unknown>[];
				try {
					data = await this.#columnsOf(open, columns, start, rowEnd);
				} catch (err) {
					throw this.#bad(name, err);
				}
				// Rows are built one at a time from the decoded columns: a row group is held as
				// columns (dictionary strings shared), never as a row group's worth of row objects.
				for (let r = start; r < rowEnd; r++) {
					const row: Row = {};
					columns.forEach((c, k) => {
						row[c] = parquetValue(
							(data[k] as ArrayLike<unknown>)[r - start],
							decoders[k] as ParquetDecoder,
						);
					});
					(row as { [ROW_ORIGIN]?: string })[ROW_ORIGIN] =
						`row ${r + 1} of ${rel}`;
					yield row;
					if (++n % this.#conn.batchSize === 0) signal?.throwIfAborted();
					if (n >= limit) return;
				}
				start = end;
				signal?.throwIfAborted();
			}
		}
	}
}

/** The type a column declares, as `sources inspect` shows it: "DECIMAL(18,4)", "DATE", "STRING", "INT64". */
function declaredType(e: FileMetaData["schema"][number]): string {
	const lt = e.logical_type;
	if (lt?.type === "DECIMAL") return `DECIMAL(${lt.precision},${lt.scale})`;
	if (e.converted_type === "DECIMAL")
		return `DECIMAL(${e.precision},${e.scale})`;
	if (lt?.type === "TIMESTAMP")
		return `TIMESTAMP(${lt.unit}${lt.isAdjustedToUTC ? ", UTC" : ""})`;
	if (lt) return lt.type;
	return e.converted_type ?? e.type ?? "GROUP";
}

/** `data` from `offset` on (a copy only when the chunk starts before the rows asked for). */
function sliceView(
	data: ArrayLike<unknown>,
	offset: number,
): ArrayLike<unknown> {
	return offset === 0 ? data : Array.prototype.slice.call(data, offset);
}
