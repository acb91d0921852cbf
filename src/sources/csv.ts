import { createReadStream, type ReadStream, statSync } from "node:fs";
import path from "node:path";
import { Readable, Transform } from "node:stream";
import { createGunzip } from "node:zlib";
import { type CsvError, type Info, parse } from "csv-parse";
import type { CsvConnection } from "./config.ts";
import { compileDateFormat, type DateParser } from "./csv-dates.ts";
import { type SourceLabel, sourceError } from "./errors.ts";
import {
	type FileTable,
	findFileTable,
	firstRows,
	listFileTables,
	pastWatermark,
} from "./files.ts";
import { RowProfiler } from "./profile.ts";
import {
	type BadRecord,
	type ConnectorOptions,
	type Expected,
	ROW_ORIGIN,
	type Row,
	type SourceConnector,
	type SourceRelation,
	type StreamRequest,
	type TableInfo,
	type TableProfile,
	type Value,
} from "./types.ts";

/** Files larger than this (on disk) are not counted by `listTables`: their row count is reported unknown. */
const COUNT_ROWS_BELOW_BYTES = 64 * 1024 * 1024;

const CSV_FILE = /\.(csv|tsv|txt)(\.gz)?$/i;

/** A table of a CSV source: one file, or the files of one subfolder read in name order. */
type CsvTable = FileTable;

/**
 * CSV and CSV.gz exports. `path` is a file (one table named after it) or a folder: each file is a
 * table named after the file without its extensions, each subfolder a table of all its files in
 * name order (a daily export). Rows stream through csv-parse; nothing holds a whole file.
 *
 * Values: every field is text, an empty field is null; columns with a `dateFormat` are turned into
 * "YYYY-MM-DD[ HH:MM:SS]" (a value that does not match is passed on as written, so validation
 * rejects it with its reason). A malformed record (an unclosed quote, a wrong number of fields) is
 * handed to `onBadRecord` with its line and the stream goes on. A watermark is applied while
 * reading (a file has no index): rows come in file order, not sorted.
 */
export class CsvConnector implements SourceConnector {
	readonly kind = "csv";
	readonly #conn: CsvConnection;
	readonly #opts: ConnectorOptions;
	readonly #label: SourceLabel;
	readonly #dates: Map<string, DateParser>;

	constructor(conn: CsvConnection, opts: ConnectorOptions = {}) {
		this.#conn = conn;
		this.#opts = opts;
		this.#label = { kind: "csv", where: conn.path, secrets: [] };
		this.#dates = new Map(
			Object.entries(conn.dateFormat).map(([col, f]) => [
				col,
				compileDateFormat(f),
			]),
		);
	}

	async test(): Promise<string> {
		const tables = this.#tables();
		return `CSV ${this.#conn.path} (${tables.length} table${tables.length === 1 ? "" : "s"})`;
	}

	async listTables(): Promise<TableInfo[]> {
		const out: TableInfo[] = [];
		for (const t of this.#tables()) {
			const bytes = t.files.reduce((n, f) => n + statSync(f).size, 0);
			if (bytes >= COUNT_ROWS_BELOW_BYTES) {
				out.push({ name: t.name, rows: null });
				continue;
			}
			let rows = 0;
			for await (const _ of this.#read(t)) rows++;
			out.push({ name: t.name, rows });
		}
		return out;
	}

	async columns(from: SourceRelation): Promise<string[]> {
		const table = this.#table(from);
		const first = table.files[0];
		if (!first) return [];
		return this.#header(first);
	}

	async profile(table: string): Promise<TableProfile> {
		const t = this.#table({ table });
		const profiler = new RowProfiler(await this.columns({ table }));
		for await (const row of this.#read(t)) profiler.add(row);
		return profiler.result(t.name);
	}

	async sample(from: SourceRelation, n: number): Promise<Row[]> {
		return firstRows(this.#read(this.#table(from)), n);
	}

	async *stream(req: StreamRequest, signal?: AbortSignal): AsyncIterable<Row> {
		yield* pastWatermark(
			this.#read(this.#table(req.from), signal),
			req.watermark,
		);
	}

	/** Files are read whole: the share of the table's bytes the current read has consumed. */
	async expected(req: StreamRequest): Promise<Expected> {
		const files = this.#table(req.from).files;
		const total = files.reduce((n, f) => n + statSync(f).size, 0);
		return {
			fraction: () =>
				total > 0
					? (this.#readBytes.done + (this.#readBytes.current?.bytesRead ?? 0)) /
						total
					: 0,
		};
	}

	/** Bytes of the table's earlier files, and the file being read (for `expected`). */
	#readBytes: { done: number; current?: ReadStream } = { done: 0 };

	async close(): Promise<void> {}

	#tables(): CsvTable[] {
		return listFileTables(this.#conn.path, CSV_FILE, this.#label);
	}

	#table(from: SourceRelation): CsvTable {
		return findFileTable(this.#tables(), from, this.#label, "CSV");
	}

	/** Column names of a file: its header row renamed by `header`, or the configured `columns`. */
	async #header(file: string): Promise<string[]> {
		if (this.#conn.columns) return [...this.#conn.columns];
		for await (const rec of this.#records(file, true))
			return rec.record.map((c) => this.#conn.header[c] ?? c);
		return [];
	}

	/** Every row of a table, file after file, each checked against the first file's columns. */
	async *#read(table: CsvTable, signal?: AbortSignal): AsyncGenerator<Row> {
		signal?.throwIfAborted();
		let columns: string[] | undefined;
		// Each column's date parser, if it has a dateFormat: looked up once, not per value.
		let dates: (DateParser | undefined)[] | undefined;
		let n = 0;
		this.#readBytes = { done: 0 };
		let before = 0;
		for (const file of table.files) {
			this.#readBytes = { done: before };
			before += statSync(file).size;
			const rel =
				table.files.length > 1
					? path.relative(this.#conn.path, file)
					: undefined;
			let header = !this.#conn.columns;
			for await (const rec of this.#records(file, false, rel, signal)) {
				if (header) {
					header = false;
					const names = rec.record.map((c) => this.#conn.header[c] ?? c);
					if (!columns) columns = names;
					else if (names.join("\u0000") !== columns.join("\u0000"))
						throw sourceError(
							this.#label,
							"source_bad_file",
							`${file} has columns ${names.join(", ")}; the table's first file has ${columns.join(", ")}`,
						);
					continue;
				}
				columns ??= this.#conn.columns ? [...this.#conn.columns] : [];
				dates ??= columns.map((c) => this.#dates.get(c));
				if (rec.record.length !== columns.length) {
					this.#bad({
						line: rec.line,
						raw: rec.raw.replace(/\r?\n$/, ""),
						reason: `expected ${columns.length} fields, found ${rec.record.length}`,
						...(rel ? { file: rel } : {}),
					});
					continue;
				}
				const row = this.#row(columns, dates, rec.record);
				(row as { [ROW_ORIGIN]?: string })[ROW_ORIGIN] =
					`line ${rec.line}${rel ? ` of ${rel}` : ""}`;
				yield row;
				if (++n % this.#conn.batchSize === 0) signal?.throwIfAborted();
			}
		}
	}

	#row(
		columns: readonly string[],
		dates: readonly (DateParser | undefined)[],
		fields: readonly string[],
	): Row {
		const row: Row = {};
		for (let i = 0; i < columns.length; i++) {
			const name = columns[i] as string;
			const text = fields[i] ?? "";
			let v: Value = text === "" ? null : text;
			const parse = dates[i];
			if (parse && typeof v === "string") v = parse(v) ?? v;
			row[name] = v;
		}
		return row;
	}

	#bad(record: BadRecord): void {
		this.#opts.onBadRecord?.(record);
	}

	/**
	 * Parsed records of one file with the line each starts on; malformed ones go to onBadRecord.
	 * A quote left open swallows the rest of the file as one field: that record is reported by its
	 * first line and parsing starts again on the line after it, so one stray quote costs one line.
	 */
	async *#records(
		file: string,
		headerOnly: boolean,
		rel?: string,
		signal?: AbortSignal,
	): AsyncGenerator<ParsedRecord> {
		const input = createReadStream(file);
		if (!headerOnly) this.#readBytes.current = input;
		const text = (
			file.toLowerCase().endsWith(".gz") ? input.pipe(createGunzip()) : input
		).pipe(decoder(this.#conn.encoding));
		input.on("error", (err) => text.destroy(err));
		try {
			let next: Resume | undefined = await (yield* this.#parse(
				text,
				0,
				headerOnly,
				rel,
				signal,
			));
			while (next && !headerOnly) {
				next = await (yield* this.#parse(
					Readable.from([next.text]),
					next.line - 1,
					false,
					rel,
					signal,
				));
			}
		} catch (err) {
			if (signal?.aborted) throw signal.reason;
			throw sourceError(
				this.#label,
				"source_bad_file",
				`${file}: ${(err as Error).message}`,
				{ cause: err },
			);
		} finally {
			input.destroy();
			text.destroy();
		}
	}

	/** One csv-parse pass over `input`, whose first line is line `before + 1` of the file. */
	async *#parse(
		input: Readable,
		before: number,
		headerOnly: boolean,
		rel: string | undefined,
		signal: AbortSignal | undefined,
	): AsyncGenerator<ParsedRecord, Resume | undefined> {
		let lastLine = before;
		let resume: Resume | undefined;
		const parser = parse({
			delimiter: this.#conn.delimiter,
			raw: true,
			info: true,
			bom: true,
			skip_records_with_error: true,
			relax_column_count: true,
			on_skip: (err: CsvError | undefined, raw: string | undefined) => {
				const line = lastLine + 1;
				const text = raw ?? "";
				const cut = text.search(/\r?\n/);
				this.#bad({
					line,
					raw: cut < 0 ? text : text.slice(0, cut),
					reason: err?.message ?? "unreadable record",
					...(rel ? { file: rel } : {}),
				});
				if (err?.code === "CSV_QUOTE_NOT_CLOSED" && cut >= 0) {
					const rest = text.slice(cut).replace(/^\r?\n/, "");
					if (rest) resume = { text: rest, line: line + 1 };
				}
				lastLine = before + Number((err as { lines?: number })?.lines ?? line);
			},
		});
		input.on("error", (err) => parser.destroy(err));
		input.pipe(parser);
		const onAbort = () => parser.destroy(signal?.reason);
		signal?.addEventListener("abort", onAbort, { once: true });
		try {
			for await (const out of parser as AsyncIterable<{
				record: string[];
				info: Info;
				raw: string;
			}>) {
				const line = lastLine + 1;
				lastLine = before + out.info.lines;
				// The raw text is trimmed of its line end only where it is shown (a bad record).
				yield { record: out.record, line, raw: out.raw };
				if (headerOnly) return undefined;
			}
			return resume;
		} finally {
			signal?.removeEventListener("abort", onAbort);
			parser.destroy();
		}
	}
}

interface ParsedRecord {
	record: string[];
	line: number;
	raw: string;
}

/** Where to start again after a record whose quote never closed: the text after its first line. */
interface Resume {
	text: string;
	line: number;
}

/** Text in the configured encoding; "latin1" is decoded as windows-1252, as browsers and Excel do. */
function decoder(encoding: CsvConnection["encoding"]): Transform {
	const label = encoding === "utf8" ? "utf-8" : "windows-1252";
	const td = new TextDecoder(label);
	return new Transform({
		transform(chunk: Buffer, _enc, done) {
			done(null, td.decode(chunk, { stream: true }));
		},
		flush(done) {
			done(null, td.decode());
		},
	});
}
