import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPool, type Pool, poolHolders } from "../../src/db/pool.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import { memoryLogger } from "../helpers/log.ts";

/**
 * What a shutdown that waits on the pool logs: each connection being opened or checked out, with
 * the code that asked for it (main.ts puts this in "did not stop in time").
 */
describe("the pool names who holds its connections", () => {
	const { log } = memoryLogger();
	let db: TestDatabase;
	let pool: Pool;

	beforeAll(async () => {
		db = await createTestDatabase("pool_holders");
		pool = createPool(db.url, log, { max: 3 });
	});
	afterAll(async () => {
		await pool?.end();
		await db?.drop();
	});

	async function holdOne() {
		return pool.connect();
	}

	it("lists a checked-out client with its caller until it is released, and a running query while it runs", async () => {
		expect(poolHolders(pool)).toEqual([]);
		const client = await holdOne();
		const held = poolHolders(pool);
		expect(held).toHaveLength(1);
		expect(held[0]?.state).toBe("checked out");
		expect(held[0]?.where).toMatch(/holdOne .*pool-holders\.test\.ts/);
		const running = pool.query("select pg_sleep(0.3)");
		await new Promise((r) => setTimeout(r, 100));
		expect(poolHolders(pool).map((h) => h.state)).toEqual([
			"checked out",
			"checked out",
		]);
		await running;
		client.release();
		expect(poolHolders(pool)).toEqual([]);
	});

	it("forgets a client released with an error (destroyed) and a connect that failed", async () => {
		const client = await pool.connect();
		client.release(new Error("broken"));
		expect(poolHolders(pool)).toEqual([]);
		const bad = createPool("postgres://nobody@127.0.0.1:1/none", log);
		await expect(bad.connect()).rejects.toThrow();
		expect(poolHolders(bad)).toEqual([]);
		await bad.end();
	});
});
