import type { Classified } from "./errors.ts";
import type { Value } from "./types.ts";
import {
	decimalFromNumber,
	hexBytes,
	integer,
	utcClock,
	utcDate,
	utcDateTime,
	utcInstant,
} from "./values.ts";

/** What the connector knows of a result column: mssql's type declaration ("decimal", "datetime2"…) and scale. */
export interface MssqlColumn {
	declaration: string;
	scale?: number | undefined;
}

/** A Date tedious made, with the sub-millisecond part (in seconds) it keeps beside it. */
type TediousDate = Date & { nanosecondsDelta?: number };

/**
 * A SQL Server value, as tedious returns it with `useUTC: true`, to its canonical form (see
 * values.ts). tedious hands DECIMAL/NUMERIC/MONEY over as JavaScript numbers, so values beyond
 * 15 significant digits are already rounded when they arrive: the connector rounds to the
 * column's scale, and a mapping that needs more digits should CAST such a column to varchar in
 * its SELECT. BIGINT arrives as a string and stays exact.
 */
export function mssqlValue(col: MssqlColumn, v: unknown): Value {
	if (v === null || v === undefined) return null;
	const extra = (d: TediousDate) => Math.round((d.nanosecondsDelta ?? 0) * 1e7);
	switch (col.declaration) {
		case "bit":
			return Boolean(v);
		case "bigint":
			return integer(v as string | number);
		case "decimal":
		case "numeric":
			return decimalFromNumber(Number(v), col.scale);
		case "money":
		case "smallmoney":
			return decimalFromNumber(Number(v), 4);
		case "date":
			return utcDate(v as Date);
		case "datetime":
		case "datetime2":
		case "smalldatetime":
			return utcDateTime(v as Date, extra(v as TediousDate));
		case "datetimeoffset":
			return utcInstant(v as Date, extra(v as TediousDate));
		case "time":
			return utcClock(v as Date, extra(v as TediousDate));
		case "uniqueidentifier":
			return String(v).toLowerCase();
	}
	if (v instanceof Uint8Array) return hexBytes(v);
	if (typeof v === "string" || typeof v === "number" || typeof v === "boolean")
		return v;
	return String(v);
}

/** Types min()/max() can order (not bit, binary, text/ntext/image, xml, geography…). */
export function mssqlOrdered(dataType: string): boolean {
	return !/^(bit|binary|varbinary|image|text|ntext|xml|geography|geometry|hierarchyid|sql_variant)$/i.test(
		dataType,
	);
}

/** Types COUNT(DISTINCT) cannot take directly. */
export function mssqlDistinct(dataType: string): "value" | "text" | "none" {
	if (/^(text|ntext|image|xml|geography|geometry)$/i.test(dataType))
		return "none";
	return "value";
}

/** tedious/mssql errors: server errors carry `number`; connection errors a code such as ESOCKET or ELOGIN. */
export function classifyMssqlError(err: unknown): Classified {
	const e = err as {
		number?: unknown;
		code?: unknown;
		originalError?: { code?: unknown; number?: unknown };
	} | null;
	const number = Number(e?.number ?? e?.originalError?.number);
	const code = String(e?.code ?? e?.originalError?.code ?? "");
	if (code === "ELOGIN" || [18456, 229, 230, 262, 916].includes(number))
		return { code: "source_auth" };
	if (code === "ETIMEOUT" || code === "ECANCEL")
		return { code: "source_timeout" };
	if (
		[
			"ESOCKET",
			"ECONNCLOSED",
			"ENOTOPEN",
			"EINSTLOOKUP",
			"ECONNRESET",
		].includes(code)
	)
		return { code: "source_unreachable" };
	if ([208, 207, 4060, 911].includes(number))
		return { code: "source_missing_object" };
	if (number === 1205) return { code: "source_query", retryable: true };
	return { code: "source_query" };
}
