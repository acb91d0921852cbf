import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPool, type Pool, type PoolClient } from "../../src/db/pool.ts";
import { copyFile, copyRows } from "../../src/ingest/copy.ts";
import {
	createTestDatabase,
	eventually,
	type TestDatabase,
} from "../helpers/db.ts";
import { memoryLogger } from "../helpers/log.ts";

/**
 * A source that yields a row, then is slow to produce the next (a big ERP table, a slow link).
 * Each row is larger than the copy's write buffer, so it reaches Postgres at once, as a long
 * load's rows do.
 */
async function* slowSource(state: { yielded: number; closed: boolean }) {
	const filler = "x".repeat(300 * 1024);
	try {
		for (let i = 0; i < 5; i++) {
			yield [String(i), `row ${i} ${filler}`];
			state.yielded++;
			await sleep(1500);
		}
	} finally {
		state.closed = true;
	}
}

describe("COPY into the warehouse when Postgres ends it", () => {
	let db: TestDatabase;
	let pool: Pool;
	const { log } = memoryLogger();

	beforeAll(async () => {
		db = await createTestDatabase("ingest_copy");
		pool = createPool(db.url, log, { max: 3 });
		await pool.query("create table copy_target (id int, label text)");
	});
	afterAll(async () => {
		await pool?.end();
		await db?.drop();
	});

	it("rejects with the statement timeout while the source is still producing, instead of an unhandled 'error' event", async () => {
		const client = await pool.connect();
		try {
			await client.query("set statement_timeout = 300");
			const state = { yielded: 0, closed: false };
			await expect(
				copyRows(client, "copy_target", ["id", "label"], slowSource(state)),
			).rejects.toThrow(/statement timeout/);
			// It failed during the source's first pause, not after the source ran dry.
			expect(state.yielded).toBeLessThan(5);
			await client.query("reset statement_timeout");
			// The connection is still usable and nothing was copied.
			const { rows } = await client.query(
				"select count(*)::int as n from copy_target",
			);
			expect(rows[0]?.n).toBe(0);
		} finally {
			client.release();
		}
	});

	it("rejects when another session cancels the COPY (pg_cancel_backend)", async () => {
		const client = await pool.connect();
		try {
			const pid = (
				await client.query<{ pid: number }>("select pg_backend_pid() as pid")
			).rows[0]?.pid;
			const state = { yielded: 0, closed: false };
			const copying = copyRows(
				client,
				"copy_target",
				["id", "label"],
				slowSource(state),
			);
			await sleep(300);
			await pool.query("select pg_cancel_backend($1)", [pid]);
			await expect(copying).rejects.toThrow(/canceling statement/);
		} finally {
			client.release();
		}
	});

	it("lets the rest of the process run while a source hands its rows over without waiting", async () => {
		// Rows already in memory (a decoded Parquet row group, SQLite): the source never waits for
		// I/O, so only the copy can give the event loop a turn. Once the COPY is well under way (past
		// its first writes, which wait for Postgres to accept the COPY), the source queues a callback
		// and goes on until it has run, or until CAP rows.
		const CAP = 2_000_000;
		const QUEUED_AT = 100_000;
		let ran = false;
		let yielded = 0;
		async function* inMemory() {
			while (!ran && yielded < CAP) {
				yielded++;
				if (yielded === QUEUED_AT)
					setImmediate(() => {
						ran = true;
					});
				yield [String(yielded), "in memory"];
			}
		}
		const client = await pool.connect();
		try {
			await client.query("begin");
			const copied = await copyRows(
				client,
				"copy_target",
				["id", "label"],
				inMemory(),
			);
			// The callback ran while the copy was under way, long before the source ran dry.
			expect(ran).toBe(true);
			expect(copied).toBe(yielded);
			expect(yielded).toBeGreaterThan(QUEUED_AT);
			expect(yielded).toBeLessThan(CAP);
		} finally {
			await client.query("rollback");
			client.release();
		}
	});

	/**
	 * Postgres ending the connection after the COPY was sent but before Postgres accepted it
	 * (a fast shutdown, Ctrl-C reaching Postgres, while the COPY waits for its table's lock):
	 * pg hands the COPY stream the error before any CopyInResponse. A stream destroyed after that
	 * never finishes destroying, so the copy must not wait for it; it once waited forever and kept
	 * the bot's stop waiting for the ingest's connection.
	 */
	describe.each([
		[
			"copyRows",
			(client: PoolClient) => {
				const state = { yielded: 0, closed: false };
				return copyRows(
					client,
					"copy_target",
					["id", "label"],
					slowSource(state),
				);
			},
		],
		[
			"copyFile",
			(client: PoolClient) => {
				const dir = mkdtempSync(path.join(tmpdir(), "erp-pulse-copy-"));
				const file = path.join(dir, "rows.copy");
				writeFileSync(file, "1\tone\n2\ttwo\n");
				return copyFile(client, "copy_target", ["id", "label"], file).finally(
					() => rmSync(dir, { recursive: true, force: true }),
				);
			},
		],
	])(
		"%s, when its backend is terminated before Postgres accepted the COPY",
		(_, copy) => {
			it("rejects with Postgres's reason instead of waiting forever", async () => {
				const locker = await pool.connect();
				const client = await pool.connect();
				try {
					const pid = (
						await client.query<{ pid: number }>(
							"select pg_backend_pid() as pid",
						)
					).rows[0]?.pid;
					await locker.query("begin");
					await locker.query("lock table copy_target in access exclusive mode");
					const copying = copy(client);
					copying.catch(() => undefined);
					// The COPY is sent and waits for the lock, before Postgres answers CopyInResponse.
					await eventually(
						async () => {
							const { rows } = await pool.query(
								"select 1 from pg_stat_activity where pid = $1 and wait_event_type = 'Lock' and query ~* '^copy '",
								[pid],
							);
							return rows.length > 0 ? true : undefined;
						},
						20_000,
						50,
					);
					await pool.query("select pg_terminate_backend($1)", [pid]);
					await expect(copying).rejects.toThrow(
						/terminating connection|Connection terminated/,
					);
				} finally {
					await locker.query("rollback");
					locker.release();
					client.release(true);
				}
				const { rows } = await pool.query(
					"select count(*)::int as n from copy_target",
				);
				expect(rows[0]?.n).toBe(0);
			}, 30_000);
		},
	);
});
