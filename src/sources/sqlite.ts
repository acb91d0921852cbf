import { DatabaseSync } from "node:sqlite";
import { setImmediate as nextTurn } from "node:timers/promises";
import type { SqliteConnection } from "./config.ts";
import { failure, type SourceLabel, sourceError } from "./errors.ts";
import { profileFromRow } from "./profile.ts";
import {
	buildProfileSql,
	buildStreamSql,
	cleanSelect,
	quoteTable,
	type SqlQuery,
} from "./sql.ts";
import {
	classifySqliteError,
	type SqliteRaw,
	sqliteColumn,
} from "./sqlite-values.ts";
import type {
	Row,
	SourceConnector,
	SourceRelation,
	StreamRequest,
	TableInfo,
	TableProfile,
	Value,
} from "./types.ts";

type Bindable = null | number | bigint | string;

/**
 * SQLite through node:sqlite, opened read-only (and query_only) on first use. Reads are
 * synchronous, so there is no query timeout; a stream yields to the event loop every `batchSize`
 * rows so that aborts and other work get their turn.
 */
export class SqliteConnector implements SourceConnector {
	readonly kind = "sqlite";
	readonly #conn: SqliteConnection;
	readonly #label: SourceLabel;
	#db: DatabaseSync | undefined;

	constructor(conn: SqliteConnection) {
		this.#conn = conn;
		this.#label = { kind: "sqlite", where: conn.file, secrets: [] };
	}

	async test(): Promise<string> {
		const v = this.#run(() =>
			this.#open().prepare("SELECT sqlite_version() AS v").get(),
		) as { v: string };
		return `SQLite ${v.v} (${this.#conn.file})`;
	}

	async listTables(): Promise<TableInfo[]> {
		return this.#run(() => {
			const db = this.#open();
			const tables = db
				.prepare(
					`SELECT name, type FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name`,
				)
				.all() as { name: string; type: string }[];
			return tables.map((t) => {
				if (t.type === "view") return { name: t.name, rows: null };
				const r = db
					.prepare(`SELECT count(*) AS n FROM ${quoteTable("sqlite", t.name)}`)
					.get() as { n: number };
				return { name: t.name, rows: Number(r.n) };
			});
		});
	}

	async columns(from: SourceRelation): Promise<string[]> {
		const text =
			"select" in from
				? cleanSelect(from.select)
				: buildStreamSql("sqlite", { from }).text;
		return this.#run(() =>
			this.#open()
				.prepare(text)
				.columns()
				.map((c) => c.name),
		);
	}

	async profile(table: string): Promise<TableProfile> {
		return this.#run(() => {
			const db = this.#open();
			const [schema, name] = table.includes(".")
				? table.split(".", 2)
				: ["main", table];
			const meta = db
				.prepare("SELECT name, type FROM pragma_table_info(?, ?) ORDER BY cid")
				.all(name ?? "", schema ?? "main") as { name: string; type: string }[];
			if (!meta.length)
				throw sourceError(
					this.#label,
					"source_missing_object",
					`no table or view ${table}`,
				);
			const cols = meta.map((m) => ({
				name: m.name,
				type: m.type,
				ordered: !/BLOB|BOOL/i.test(m.type),
				distinct: "value" as const,
			}));
			const stmt = db.prepare(buildProfileSql("sqlite", table, cols));
			stmt.setReadBigInts(true);
			const raw = (stmt.get() ?? {}) as Record<string, SqliteRaw>;
			const row: Row = {};
			for (const [k, v] of Object.entries(raw)) {
				const col = /^(lo|hi)(\d+)$/.exec(k);
				row[k] = sqliteColumn(
					col ? (cols[Number(col[2])]?.type ?? null) : null,
				)(v);
			}
			return profileFromRow(table, cols, row);
		});
	}

	async sample(from: SourceRelation, n: number): Promise<Row[]> {
		const rows: Row[] = [];
		for await (const row of this.#rows(
			buildStreamSql("sqlite", { from, limit: n }),
		))
			rows.push(row);
		return rows;
	}

	async *stream(req: StreamRequest, signal?: AbortSignal): AsyncIterable<Row> {
		yield* this.#rows(buildStreamSql("sqlite", req), signal);
	}

	async *#rows(q: SqlQuery, signal?: AbortSignal): AsyncGenerator<Row> {
		signal?.throwIfAborted();
		const { stmt, types } = this.#run(() => {
			const s = this.#open().prepare(q.text);
			s.setReadBigInts(true);
			return {
				stmt: s,
				types: s.columns().map((c) => [c.name, sqliteColumn(c.type)] as const),
			};
		});
		const iterator = this.#run(() => stmt.iterate(...q.values.map(bindable)));
		let n = 0;
		try {
			for (;;) {
				const next = this.#run(() => iterator.next());
				if (next.done) return;
				const raw = next.value as Record<string, SqliteRaw>;
				const row: Row = {};
				for (const [name, value] of types) row[name] = value(raw[name] ?? null);
				yield row;
				if (++n % this.#conn.batchSize === 0) await nextTurn();
				signal?.throwIfAborted();
			}
		} finally {
			iterator.return?.();
		}
	}

	async close(): Promise<void> {
		this.#db?.close();
		this.#db = undefined;
	}

	#open(): DatabaseSync {
		if (!this.#db) {
			this.#db = new DatabaseSync(this.#conn.file, {
				readOnly: true,
				timeout: 5_000,
			});
			this.#db.exec("PRAGMA query_only = ON");
		}
		return this.#db;
	}

	#run<T>(fn: () => T): T {
		try {
			return fn();
		} catch (err) {
			throw failure(this.#label, err, classifySqliteError, {});
		}
	}
}

function bindable(v: Value): Bindable {
	return typeof v === "boolean" ? Number(v) : v;
}
