import { once } from "node:events";
import { finished } from "node:stream/promises";
import { from as copyFrom } from "pg-copy-streams";
import type { PoolClient } from "../db/pool.ts";
import type { CanonicalRow } from "./entities.ts";

/** Escapes one value for COPY's text format: \N for null, backslash escapes for the delimiters. */
export function copyField(v: CanonicalRow[string]): string {
	if (v === null) return "\\N";
	if (typeof v === "boolean") return v ? "t" : "f";
	return String(v).replace(/[\\\t\n\r]/g, (c) =>
		c === "\\" ? "\\\\" : c === "\t" ? "\\t" : c === "\n" ? "\\n" : "\\r",
	);
}

const CHUNK_BYTES = 256 * 1024;

/**
 * Streams rows into a table with COPY FROM STDIN, buffering about 256 KB per write and waiting
 * for the socket to drain, so memory stays flat however many rows arrive.
 */
export async function copyRows(
	client: PoolClient,
	table: string,
	columns: readonly string[],
	rows: AsyncIterable<readonly CanonicalRow[string][]>,
): Promise<number> {
	const stream = client.query(
		copyFrom(`copy ${table} (${columns.join(", ")}) from stdin`),
	);
	// If the connection dies mid-COPY (Postgres shutting down), the stream would wait for a
	// 'finish' that never comes and keep the client checked out forever: fail it instead.
	const onLost = (err: Error) => stream.destroy(err);
	client.on("error", onLost);
	let chunk = "";
	let count = 0;
	try {
		for await (const values of rows) {
			chunk += `${values.map(copyField).join("\t")}\n`;
			count++;
			if (chunk.length >= CHUNK_BYTES) {
				if (!stream.write(chunk)) await once(stream, "drain");
				chunk = "";
			}
		}
		if (chunk) stream.write(chunk);
		stream.end();
		await finished(stream);
		return count;
	} catch (err) {
		stream.destroy(err as Error);
		await finished(stream).catch(() => undefined);
		throw err;
	} finally {
		client.off("error", onLost);
	}
}
