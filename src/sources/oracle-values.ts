import type { Classified } from "./errors.ts";
import type { Value } from "./types.ts";
import {
	canonicalDateTime,
	canonicalDecimal,
	hexBytes,
	integer,
	isoUtcFromText,
} from "./values.ts";

/**
 * Oracle values (Thin mode, no client libraries) in the canonical forms of values.ts. Numbers,
 * dates and timestamps are fetched as text the database formats under the session settings below
 * (oracledb would otherwise hand a NUMBER over as a float and a DATE as a Date in the process's
 * time zone), then parsed here.
 */

/** Session settings every connection gets, so fetched text has one shape whatever the server's defaults. */
export const ORACLE_SESSION_SQL = [
	"ALTER SESSION SET NLS_DATE_FORMAT = 'YYYY-MM-DD HH24:MI:SS' NLS_TIMESTAMP_FORMAT = 'YYYY-MM-DD HH24:MI:SS.FF9' NLS_TIMESTAMP_TZ_FORMAT = 'YYYY-MM-DD HH24:MI:SS.FF9 TZH:TZM' NLS_NUMERIC_CHARACTERS = '.,' TIME_ZONE = '+00:00'",
];

/** What a fetched column is, from oracledb's metadata (`dbTypeName`, `scale`). */
export interface OracleColumn {
	dbTypeName: string;
	scale?: number | undefined;
}

/** Types fetched as text for exactness (see above). */
export const FETCH_AS_TEXT = new Set([
	"NUMBER",
	"DATE",
	"TIMESTAMP",
	"TIMESTAMP WITH TIME ZONE",
	"TIMESTAMP WITH LOCAL TIME ZONE",
	"CLOB",
	"NCLOB",
]);

/** One fetched value → its canonical form. */
export function oracleValue(col: OracleColumn, v: unknown): Value {
	if (v === null || v === undefined) return null;
	const type = col.dbTypeName;
	if (typeof v === "string") {
		if (type === "NUMBER") {
			const d = canonicalDecimal(v);
			return col.scale === 0 && /^-?\d+$/.test(d) ? integer(d) : d;
		}
		if (type === "DATE" || type === "TIMESTAMP") return canonicalDateTime(v);
		if (type === "TIMESTAMP WITH TIME ZONE")
			return isoUtcFromText(v.replace(/ ([+-]\d{2}:\d{2})$/, "$1"));
		if (type === "TIMESTAMP WITH LOCAL TIME ZONE")
			// The session's TIME_ZONE is UTC, so the text is the instant's UTC wall clock.
			return `${canonicalDateTime(v).replace(" ", "T")}Z`;
		return v;
	}
	if (typeof v === "number" || typeof v === "boolean") return v;
	if (typeof v === "bigint") return integer(v);
	if (v instanceof Uint8Array) return hexBytes(v);
	if (v instanceof Date) return v.toISOString();
	return JSON.stringify(v);
}

/** Whether min/max and distinct make sense for a declared Oracle type (not for LOBs, LONG, RAW). */
export function oracleOrdered(type: string): boolean {
	return !/LOB|LONG|RAW|XMLTYPE|BFILE|JSON/i.test(type);
}

/** Oracle error numbers and what they mean for a caller. */
const ORA: Record<number, Classified> = {
	1017: { code: "source_auth" }, // invalid username/password
	28000: { code: "source_auth" }, // account locked
	28001: { code: "source_auth" }, // password expired
	1031: { code: "source_auth" }, // insufficient privileges
	1045: { code: "source_auth" }, // lacks CREATE SESSION
	942: { code: "source_missing_object" }, // table or view does not exist
	904: { code: "source_missing_object" }, // invalid identifier (a column)
	4043: { code: "source_missing_object" }, // object does not exist
	1013: { code: "source_timeout" }, // user requested cancel (our wait budget)
	60: { code: "source_query", retryable: true }, // deadlock
	8177: { code: "source_query", retryable: true }, // cannot serialise access
	1555: { code: "source_query", retryable: true }, // snapshot too old
	12170: { code: "source_unreachable" }, // connect timeout
	12514: { code: "source_unreachable" }, // listener does not know the service (yet)
	12528: { code: "source_unreachable" }, // instance blocking new connections
	12541: { code: "source_unreachable" }, // no listener
	12543: { code: "source_unreachable" }, // destination host unreachable
	3113: { code: "source_unreachable" }, // end-of-file on communication channel
	3114: { code: "source_unreachable" }, // not connected
	3135: { code: "source_unreachable" }, // connection lost contact
	1033: { code: "source_unreachable" }, // initialisation or shutdown in progress
	1034: { code: "source_unreachable" }, // Oracle not available
	1089: { code: "source_unreachable" }, // immediate shutdown in progress
};

/** node-oracledb's own errors (NJS-…) that mean the server could not be reached or went away. */
const NJS_UNREACHABLE = new Set([
	"NJS-500", // connection to the database was closed
	"NJS-501", // connection to the database timed out
	"NJS-503", // connection to host could not be established
	"NJS-510", // connection timed out
	"NJS-521", // connection to the database was closed (protocol)
]);

/** Classifies an oracledb error by its ORA- number or NJS- code. */
export function classifyOracleError(err: unknown): Classified {
	const e = (err ?? {}) as {
		errorNum?: unknown;
		code?: unknown;
		message?: unknown;
	};
	const num =
		typeof e.errorNum === "number" && e.errorNum > 0
			? e.errorNum
			: Number(/ORA-(\d{5})/.exec(String(e.message ?? ""))?.[1] ?? 0);
	const byNum = ORA[num];
	if (byNum) return byNum;
	const code =
		typeof e.code === "string"
			? e.code
			: (/^(NJS-\d{3})/.exec(String(e.message ?? ""))?.[1] ?? "");
	if (NJS_UNREACHABLE.has(code)) return { code: "source_unreachable" };
	return { code: "source_query" };
}
