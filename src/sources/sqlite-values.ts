import type { Classified } from "./errors.ts";
import type { Value } from "./types.ts";
import {
	canonicalDateTime,
	decimalFromNumber,
	hexBytes,
	integer,
} from "./values.ts";

/** What node:sqlite hands back (with setReadBigInts(true), so every INTEGER is exact). */
export type SqliteRaw = null | number | bigint | string | Uint8Array;

/**
 * How one column's values become canonical, decided once from its declared type (a stream
 * converts every value of a million rows by the same few types). SQLite stores few types, so the
 * declared type decides the canonical form: BOOL… → boolean; DECIMAL/NUMERIC/MONEY → decimal
 * string, rounded to the declared scale ("DECIMAL(12,2)") since SQLite keeps such values as REAL;
 * DATETIME/TIMESTAMP text → canonical datetime; anything else by storage class (INTEGER exact,
 * REAL number, BLOB "\x…", TEXT as is). Expressions in a SELECT have no declared type and go by
 * storage class.
 */
export function sqliteColumn(declared: string | null): (v: SqliteRaw) => Value {
	const t = (declared ?? "").toUpperCase();
	const bool = t.includes("BOOL");
	const decimal = /DEC|NUMERIC|MONEY/.test(t);
	const scaleText = decimal
		? /\(\s*\d+\s*,\s*(\d+)\s*\)/.exec(t)?.[1]
		: undefined;
	const scale = scaleText === undefined ? undefined : Number(scaleText);
	const dateTime = /DATETIME|TIMESTAMP/.test(t);
	return (v) => {
		if (v === null) return null;
		if (v instanceof Uint8Array) return hexBytes(v);
		if (bool && typeof v !== "string") return Number(v) !== 0;
		if (decimal && typeof v !== "string")
			return typeof v === "bigint" ? v.toString() : decimalFromNumber(v, scale);
		if (typeof v === "bigint") return integer(v);
		if (dateTime && typeof v === "string") return canonicalDateTime(v);
		return v;
	};
}

/** node:sqlite errors carry SQLite's result code in `errcode`; the message says what is missing. */
export function classifySqliteError(err: unknown): Classified {
	const errcode = Number((err as { errcode?: unknown })?.errcode);
	const message = err instanceof Error ? err.message : "";
	if (/no such (table|column|function)/i.test(message))
		return { code: "source_missing_object" };
	// SQLITE_BUSY / SQLITE_LOCKED: a writer holds the file; later may work.
	if (errcode === 5 || errcode === 6) return { code: "source_timeout" };
	// SQLITE_CANTOPEN / SQLITE_NOTADB / SQLITE_CORRUPT
	if (errcode === 14) return { code: "source_missing_object" };
	if (errcode === 26 || errcode === 11) return { code: "source_bad_file" };
	return { code: "source_query" };
}
