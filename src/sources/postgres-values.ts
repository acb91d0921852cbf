import type { Classified } from "./errors.ts";
import type { Value } from "./types.ts";
import {
	canonicalDateTime,
	canonicalDecimal,
	canonicalTime,
	integer,
	isoUtcFromText,
} from "./values.ts";

/** PostgreSQL type OIDs the connector parses itself; every other type stays as PostgreSQL prints it. */
export const PG_OID = {
	bool: 16,
	bytea: 17,
	int8: 20,
	int2: 21,
	int4: 23,
	oid: 26,
	float4: 700,
	float8: 701,
	date: 1082,
	time: 1083,
	timestamp: 1114,
	timestamptz: 1184,
	numeric: 1700,
	uuid: 2950,
} as const;

const PARSERS = new Map<number, (text: string) => Value>([
	[PG_OID.bool, (t) => t === "t" || t === "true"],
	[PG_OID.int8, (t) => integer(t)],
	[PG_OID.int2, Number],
	[PG_OID.int4, Number],
	[PG_OID.oid, Number],
	[PG_OID.float4, Number],
	[PG_OID.float8, Number],
	[PG_OID.numeric, canonicalDecimal],
	[PG_OID.date, (t) => t],
	[PG_OID.time, canonicalTime],
	[PG_OID.timestamp, canonicalDateTime],
	// The connector's sessions run with TimeZone=UTC, so this is "…+00" and only reformatted.
	[PG_OID.timestamptz, isoUtcFromText],
	[PG_OID.uuid, (t) => t.toLowerCase()],
]);

const asText = (t: string): Value => t;

/**
 * Text-format parser per OID, installed on the connector's own connections only (never globally on
 * `pg.types`, which the bot's own pool shares). JSON, arrays, bytea ("\x…"), money and intervals
 * stay text: a Row holds scalars only.
 */
export function pgTypeParser(oid: number): (text: string) => Value {
	return PARSERS.get(oid) ?? asText;
}

/** Type categories (pg_type.typcategory) whose values min()/max() can order: numeric, date/time, string, timespan, enum. */
export function pgOrdered(category: string): boolean {
	return "NDSTE".includes(category) && category.length === 1;
}

/** Categories whose values count(DISTINCT) compares directly; others (JSON, arrays, geometry) are compared as text. */
export function pgDistinctByValue(category: string): boolean {
	return "NDSTEB".includes(category) && category.length === 1;
}

/** SQLSTATE → our error code. */
export function classifyPgError(err: unknown): Classified {
	const code = String((err as { code?: unknown })?.code ?? "");
	const message = err instanceof Error ? err.message : "";
	if (code === "28000" || code === "28P01" || code === "42501")
		return { code: "source_auth" };
	if (["3D000", "3F000", "42P01", "42703", "42883"].includes(code))
		return { code: "source_missing_object" };
	if (code === "57014") return { code: "source_timeout" };
	if (
		code.startsWith("08") ||
		["57P01", "57P02", "57P03", "53300"].includes(code)
	)
		return { code: "source_unreachable" };
	if (code === "40001" || code === "40P01" || code.startsWith("53"))
		return { code: "source_query", retryable: true };
	if (
		!code &&
		/Connection terminated|timeout exceeded when trying to connect/i.test(
			message,
		)
	)
		return { code: "source_unreachable" };
	if (!code && /Query read timeout/i.test(message))
		return { code: "source_timeout" };
	return { code: "source_query" };
}
