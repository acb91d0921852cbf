import type { FileMetaData, SchemaElement } from "hyparquet";
import type { Value } from "./types.ts";
import {
	canonicalDecimal,
	hexBytes,
	integer,
	utcDate,
	utcDateTime,
} from "./values.ts";

/**
 * How one top-level Parquet column's values become canonical values (values.ts): decided from the
 * schema element the file declares, so a decimal is exact and a timestamp keeps its unit and zone.
 */
export type ParquetDecoder =
	| { kind: "decimal"; scale: number }
	| { kind: "timestamp"; perSecond: bigint; utc: boolean }
	| { kind: "time"; perSecond: bigint }
	| { kind: "plain" };

const PER_SECOND = {
	MILLIS: 1_000n,
	MICROS: 1_000_000n,
	NANOS: 1_000_000_000n,
};

/** The decoder for a column, and whether hyparquet must hand over the raw (unannotated) values for it. */
export function decoderFor(e: SchemaElement): ParquetDecoder {
	const lt = e.logical_type;
	const raw =
		e.type === "INT32" ||
		e.type === "INT64" ||
		e.type === "FIXED_LEN_BYTE_ARRAY";
	if (raw && (e.converted_type === "DECIMAL" || lt?.type === "DECIMAL"))
		return {
			kind: "decimal",
			scale: lt?.type === "DECIMAL" ? lt.scale : (e.scale ?? 0),
		};
	if (lt?.type === "TIMESTAMP")
		return {
			kind: "timestamp",
			perSecond: PER_SECOND[lt.unit],
			utc: lt.isAdjustedToUTC,
		};
	if (e.converted_type === "TIMESTAMP_MILLIS")
		return { kind: "timestamp", perSecond: 1_000n, utc: true };
	if (e.converted_type === "TIMESTAMP_MICROS")
		return { kind: "timestamp", perSecond: 1_000_000n, utc: true };
	if (lt?.type === "TIME")
		return { kind: "time", perSecond: PER_SECOND[lt.unit] };
	if (e.converted_type === "TIME_MILLIS")
		return { kind: "time", perSecond: 1_000n };
	if (e.converted_type === "TIME_MICROS")
		return { kind: "time", perSecond: 1_000_000n };
	return { kind: "plain" };
}

/**
 * The file's metadata with decimal and timestamp annotations taken off the top-level columns that
 * have them, so hyparquet returns their stored integers and bytes (it would turn a decimal into a
 * float and a timestamp into a Date, losing digits and the zone), plus each column's decoder.
 */
export function rawMetadata(meta: FileMetaData): {
	metadata: FileMetaData;
	decoders: Map<string, ParquetDecoder>;
} {
	const decoders = new Map<string, ParquetDecoder>();
	const schema = meta.schema.map((e) => ({ ...e }));
	const root = schema[0];
	let i = 1;
	for (let c = 0; c < (root?.num_children ?? 0); c++) {
		const e = schema[i] as SchemaElement;
		const d = e.num_children ? { kind: "plain" as const } : decoderFor(e);
		decoders.set(e.name, d);
		if (d.kind !== "plain") {
			delete e.converted_type;
			delete e.logical_type;
		}
		i = skip(schema, i);
	}
	return { metadata: { ...meta, schema }, decoders };
}

/** The index after the subtree starting at `i`. */
function skip(schema: readonly SchemaElement[], i: number): number {
	let next = i + 1;
	for (let c = 0; c < (schema[i]?.num_children ?? 0); c++)
		next = skip(schema, next);
	return next;
}

/** A two's-complement big-endian integer (FIXED_LEN_BYTE_ARRAY decimals). */
function signedBytes(bytes: Uint8Array): bigint {
	let v = 0n;
	for (const b of bytes) v = (v << 8n) | BigInt(b);
	const bits = BigInt(bytes.length * 8);
	return bytes.length > 0 && (bytes[0] as number) >= 0x80
		? v - (1n << bits)
		: v;
}

/** unscaled 123456, scale 2 → "1234.56", exactly. */
export function decimalText(unscaled: bigint, scale: number): string {
	const neg = unscaled < 0n;
	const digits = (neg ? -unscaled : unscaled)
		.toString()
		.padStart(scale + 1, "0");
	const text =
		scale > 0 ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits;
	return canonicalDecimal(neg ? `-${text}` : text);
}

function sinceEpoch(
	v: bigint,
	perSecond: bigint,
): { date: Date; frac: bigint } {
	let secs = v / perSecond;
	let frac = v % perSecond;
	if (frac < 0n) {
		frac += perSecond;
		secs -= 1n;
	}
	return { date: new Date(Number(secs) * 1000), frac };
}

function fractionText(frac: bigint, perSecond: bigint): string {
	if (frac === 0n) return "";
	const width = perSecond.toString().length - 1;
	return `.${frac.toString().padStart(width, "0").replace(/0+$/, "")}`;
}

/** One value as hyparquet returned it (raw for decimals and timestamps) → its canonical form. */
export function parquetValue(v: unknown, d: ParquetDecoder): Value {
	if (v === null || v === undefined) return null;
	if (d.kind === "decimal") {
		const unscaled =
			v instanceof Uint8Array ? signedBytes(v) : BigInt(v as number | bigint);
		return decimalText(unscaled, d.scale);
	}
	if (d.kind === "timestamp" || d.kind === "time") {
		const { date, frac } = sinceEpoch(
			BigInt(v as number | bigint),
			d.perSecond,
		);
		const f = fractionText(frac, d.perSecond);
		if (d.kind === "time") return `${date.toISOString().slice(11, 19)}${f}`;
		const wall = `${utcDateTime(date)}${f}`;
		return d.utc ? `${wall.replace(" ", "T")}Z` : wall;
	}
	if (typeof v === "bigint") return integer(v);
	if (typeof v === "number" || typeof v === "boolean" || typeof v === "string")
		return v;
	if (v instanceof Date) return utcDate(v);
	if (v instanceof Uint8Array) return hexBytes(v);
	return JSON.stringify(v, (_k, x) =>
		typeof x === "bigint" ? x.toString() : x,
	);
}

/** Parsers that keep dates as "YYYY-MM-DD" and INT96 timestamps as wall clocks instead of Date objects. */
export const PARQUET_PARSERS = {
	dateFromDays: (days: number) => utcDate(new Date(days * 86_400_000)),
	timestampFromNanoseconds: (nanos: bigint) => {
		const { date, frac } = sinceEpoch(nanos, 1_000_000_000n);
		return `${utcDateTime(date)}${fractionText(frac, 1_000_000_000n)}`;
	},
};
