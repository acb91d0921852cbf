import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";

export interface TestDatabase {
	url: string;
	name: string;
	drop(): Promise<void>;
}

/** A fresh, empty database on the test Postgres for one test file; `drop()` removes it (set KEEP_TEST_DB=1 to keep it for inspection). */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
	const adminUrl = inject("adminDatabaseUrl");
	const name = `erp_pulse_t_${label.replace(/[^a-z0-9]/gi, "_").toLowerCase()}_${randomBytes(4).toString("hex")}`;
	await withClient(adminUrl, (c) => c.query(`create database ${name}`));
	const url = new URL(adminUrl);
	url.pathname = `/${name}`;
	return {
		url: url.toString(),
		name,
		drop: async () => {
			if (process.env.KEEP_TEST_DB) return;
			await withClient(adminUrl, (c) =>
				c.query(`drop database if exists ${name} with (force)`),
			);
		},
	};
}

export async function withClient<T>(
	url: string,
	fn: (c: pg.Client) => Promise<T>,
): Promise<T> {
	const client = new pg.Client({ connectionString: url });
	await client.connect();
	try {
		return await fn(client);
	} finally {
		await client.end();
	}
}

/** Polls until `check` returns a value (not undefined) or the timeout passes; for waiting on real queues, not for timing. */
export async function eventually<T>(
	check: () => Promise<T | undefined>,
	timeoutMs = 30_000,
	everyMs = 200,
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const v = await check();
		if (v !== undefined) return v;
		if (Date.now() > deadline)
			throw new Error(`condition not met within ${timeoutMs} ms`);
		await new Promise((r) => setTimeout(r, everyMs));
	}
}
