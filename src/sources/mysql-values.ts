import type { Classified } from "./errors.ts";
import type { Value } from "./types.ts";
import {
	canonicalDateTime,
	canonicalDecimal,
	canonicalTime,
	hexBytes,
	integer,
} from "./values.ts";

/**
 * A MySQL/MariaDB value, as mysql2 returns it with dateStrings, supportBigNumbers +
 * bigNumberStrings, decimalNumbers: false and jsonStrings, to its canonical form. `type` is
 * mysql2's type name ("NEWDECIMAL", "LONGLONG"…), `length` the column's display length.
 *
 * TINYINT(1) and BIT(1) are booleans (MySQL's BOOLEAN is TINYINT(1)); zero dates
 * ("0000-00-00…") are null; TIMESTAMP is an instant (the session runs in UTC) and comes out as
 * ISO-8601 UTC, while DATETIME is a wall clock.
 */
export function mysqlValue(type: string, length: number, v: unknown): Value {
	if (v === null || v === undefined) return null;
	switch (type) {
		case "TINY":
			return length === 1 ? Number(v) !== 0 : Number(v);
		case "BIT":
			return bitValue(v as Buffer, length);
		case "LONGLONG":
			return integer(v as string | number);
		case "DECIMAL":
		case "NEWDECIMAL":
			return canonicalDecimal(String(v));
		case "DATE":
		case "NEWDATE":
			return isZeroDate(v) ? null : String(v);
		case "DATETIME":
		case "DATETIME2":
			return isZeroDate(v) ? null : canonicalDateTime(String(v));
		case "TIMESTAMP":
		case "TIMESTAMP2":
			return isZeroDate(v)
				? null
				: `${canonicalDateTime(String(v)).replace(" ", "T")}Z`;
		case "TIME":
		case "TIME2":
			return canonicalTime(String(v));
	}
	if (v instanceof Uint8Array) return hexBytes(v);
	if (typeof v === "string" || typeof v === "number" || typeof v === "boolean")
		return v;
	return String(v);
}

function bitValue(buf: Buffer, length: number): Value {
	if (length === 1) return buf.some((b) => b !== 0);
	return integer(BigInt(`0x${buf.toString("hex") || "0"}`));
}

function isZeroDate(v: unknown): boolean {
	return typeof v === "string" && v.startsWith("0000-00-00");
}

/** information_schema DATA_TYPEs that min()/max() can sensibly order. */
export function mysqlOrdered(dataType: string, columnType: string): boolean {
	if (/^tinyint\(1\)/i.test(columnType) || /^bit\(1\)/i.test(columnType))
		return false;
	return !/blob|binary|json|geometry|point|polygon|linestring|bit/i.test(
		dataType,
	);
}

/** mysql2 puts the server's error number in `errno` and its name in `code`. */
export function classifyMysqlError(err: unknown): Classified {
	const errno = Number((err as { errno?: unknown })?.errno);
	const code = String((err as { code?: unknown })?.code ?? "");
	if ([1044, 1045, 1142, 1143, 1227, 1698].includes(errno))
		return { code: "source_auth" };
	if ([1049, 1146, 1054, 1305].includes(errno))
		return { code: "source_missing_object" };
	if (
		[3024, 1969, 1205].includes(errno) ||
		code === "PROTOCOL_SEQUENCE_TIMEOUT"
	)
		return { code: "source_timeout" };
	if (
		[1040, 1053, 1077, 1079, 1080, 1152, 1153, 1158, 1159, 1160, 1161].includes(
			errno,
		)
	)
		return { code: "source_unreachable" };
	if (errno === 1213 || errno === 1317)
		return { code: "source_query", retryable: true };
	if (code.startsWith("PROTOCOL_") || code === "ER_CON_COUNT_ERROR")
		return { code: "source_unreachable" };
	return { code: "source_query" };
}
