import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPool, type Pool } from "../../src/db/pool.ts";
import { copyRows } from "../../src/ingest/copy.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
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
});
