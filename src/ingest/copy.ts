import { once } from "node:events";
import { createReadStream } from "node:fs";
import { finished, pipeline } from "node:stream/promises";
import { setImmediate as nextTurn } from "node:timers/promises";
import { from as copyFrom } from "pg-copy-streams";
import type { PoolClient } from "../db/pool.ts";
import type { CanonicalRow } from "./entities.ts";

/** Escapes one value for COPY's text format: \N for null, backslash escapes for the delimiters. */
export function copyField(v: CanonicalRow[string]): string {
	if (v === null) return "\\N";
	if (typeof v === "boolean") return v ? "t" : "f";
	const text = String(v);
	// Most values hold none of the four characters: test once, replace only when needed.
	if (!NEEDS_ESCAPE.test(text)) return text;
	return text.replace(/[\\\t\n\r]/g, (c) =>
		c === "\\" ? "\\\\" : c === "\t" ? "\\t" : c === "\n" ? "\\n" : "\\r",
	);
}

const NEEDS_ESCAPE = /[\\\t\n\r]/;

/** One row as a line of COPY text format (no array of escaped fields per row). */
export function copyLine(values: readonly CanonicalRow[string][]): string {
	let line = "";
	for (let i = 0; i < values.length; i++)
		line +=
			i === 0
				? copyField(values[i] ?? null)
				: `\t${copyField(values[i] ?? null)}`;
	return `${line}\n`;
}

const CHUNK_BYTES = 256 * 1024;

/**
 * The longest the copy works through rows before it lets the rest of the process run (a chat
 * command, /healthz, a monitor). A source that has its rows at hand (a Parquet row group decoded
 * in memory, SQLite) hands them over without ever waiting for I/O: without these turns a first load
 * of 300,000 Parquet lines held the event loop for 2.9 s at a time (bench/ingest-stalls.ts).
 */
const TURN_MS = 20;

/**
 * Streams rows into a table with COPY FROM STDIN, buffering about 256 KB per write and waiting
 * for the socket to drain, so memory stays flat however many rows arrive. Every TURN_MS it lets
 * the event loop run, however fast the source hands rows over.
 *
 * The COPY stream has an error listener for its whole life: Postgres can end the COPY at any
 * moment (a statement timeout, pg_cancel_backend, a restart, a bad value) while this waits for
 * the next source row, and an 'error' nobody listens for would crash the process. The error
 * rejects the copy at once, even while the source is still producing, and the source is closed.
 */
export async function copyRows(
	client: PoolClient,
	table: string,
	columns: readonly string[],
	rows: AsyncIterable<readonly CanonicalRow[string][]>,
	/** Written before every row: the first columns' fields when they are the same on every row. */
	prefix = "",
): Promise<number> {
	const stream = client.query(
		copyFrom(`copy ${table} (${columns.join(", ")}) from stdin`),
	);
	let failure: Error | undefined;
	// Whatever this is waiting for when the COPY fails is woken with the error. Not a race with
	// one long-lived "failed" promise per row: each race leaves a reaction on that promise until
	// it settles, and a million rows kept hundreds of megabytes alive (peak RSS 1 GB on Online Retail).
	let wake: ((err: Error) => void) | undefined;
	stream.on("error", (err: Error) => {
		failure ??= err;
		wake?.(err);
	});
	const orFailure = <T>(p: Promise<T>): Promise<T> =>
		failure
			? Promise.reject(failure)
			: new Promise<T>((resolve, reject) => {
					wake = reject;
					p.then(resolve, reject);
				}).finally(() => {
					wake = undefined;
				});
	// If the connection dies mid-COPY (Postgres shutting down), the stream would wait for a
	// 'finish' that never comes and keep the client checked out forever: fail it instead.
	const onLost = (err: Error) => stream.destroy(err);
	client.on("error", onLost);
	const source = rows[Symbol.asyncIterator]();
	let chunk = "";
	let count = 0;
	let turn = performance.now();
	try {
		for (;;) {
			const next = await orFailure(source.next());
			if (next.done) break;
			chunk += prefix + copyLine(next.value);
			count++;
			if ((count & 255) === 0 && performance.now() - turn > TURN_MS) {
				await orFailure(nextTurn());
				turn = performance.now();
			}
			if (chunk.length >= CHUNK_BYTES) {
				if (!stream.write(chunk)) await orFailure(once(stream, "drain"));
				chunk = "";
			}
		}
		if (failure) throw failure;
		if (chunk) stream.write(chunk);
		stream.end();
		await orFailure(finished(stream));
		return count;
	} catch (err) {
		// A COPY Postgres ended (or whose connection died) is already over for pg: nothing to wait
		// for. Destroying it would not help: one ended before Postgres accepted it (the connection
		// lost while the COPY waited for its table's lock) never finishes destroying, and waiting
		// for it kept the ingest's connection, and the bot's stop, waiting forever. A COPY the source
		// gave up on is ended with CopyFail and waited for, so the connection can roll back.
		if (!failure) {
			stream.destroy(err as Error);
			await finished(stream).catch(() => undefined);
		}
		// Not awaited: a source stuck in a read would hold the error up; its connector is closed by the caller.
		source.return?.().catch(() => undefined);
		throw failure ?? err;
	} finally {
		client.off("error", onLost);
	}
}

/** COPYs a file already in COPY text format (a spool of staged rows) into a table. */
export async function copyFile(
	client: PoolClient,
	table: string,
	columns: readonly string[],
	file: string,
): Promise<void> {
	const stream = client.query(
		copyFrom(`copy ${table} (${columns.join(", ")}) from stdin`),
	);
	// As in copyRows: a connection lost mid-COPY must fail the copy, not leave it waiting.
	const onLost = (err: Error) => stream.destroy(err);
	client.on("error", onLost);
	try {
		await pipeline(createReadStream(file), stream);
	} finally {
		client.off("error", onLost);
	}
}
