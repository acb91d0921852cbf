import type { Pool, PoolClient } from "../../db/pool.ts";
import type { Logger } from "../../log.ts";
import { COMPUTE_SESSION } from "./definitions.ts";

/** One advisory lock for all compute runs, across processes. */
const LOCK = "select pg_advisory_lock(hashtext('erp-pulse:compute'))";
const TRY_LOCK =
	"select pg_try_advisory_lock(hashtext('erp-pulse:compute')) as ok";
const UNLOCK = "select pg_advisory_unlock(hashtext('erp-pulse:compute'))";

/**
 * Takes the compute lock: a session advisory lock, so it spans the run's transactions and every
 * process. When busy it returns false at once, or with `wait` blocks until the holder finishes.
 */
export async function lockCompute(
	client: PoolClient,
	opts: { wait: boolean; log: Logger; onWait?: () => void },
): Promise<boolean> {
	const { rows } = await client.query<{ ok: boolean }>(TRY_LOCK);
	if (rows[0]?.ok) return true;
	if (!opts.wait) return false;
	opts.onWait?.();
	opts.log.info("another compute run is in progress; waiting for it");
	await inTransaction(client, "read committed", () => client.query(LOCK));
	return true;
}

export async function unlockCompute(client: PoolClient): Promise<void> {
	await client.query(UNLOCK);
}

/** Runs `fn` in one transaction with the compute settings (work_mem, statement timeout, no JIT). */
export async function inTransaction<T>(
	client: PoolClient,
	isolation: "read committed" | "repeatable read",
	fn: () => Promise<T>,
): Promise<T> {
	await client.query(`begin isolation level ${isolation}`);
	try {
		await client.query(
			"select set_config('work_mem', $1, true), set_config('statement_timeout', $2, true), set_config('jit', 'off', true)",
			[COMPUTE_SESSION.workMem, String(COMPUTE_SESSION.statementTimeoutMs)],
		);
		const out = await fn();
		await client.query("commit");
		return out;
	} catch (err) {
		await client.query("rollback").catch(() => undefined);
		throw err;
	}
}

/** Cancels the client's current statement when the signal aborts (job expiry, shutdown). */
export async function cancelOnAbort(
	pool: Pool,
	client: PoolClient,
	signal: AbortSignal | undefined,
): Promise<() => void> {
	if (!signal) return () => {};
	const { rows } = await client.query<{ pid: number }>(
		"select pg_backend_pid() as pid",
	);
	const onAbort = () => {
		pool
			.query("select pg_cancel_backend($1)", [rows[0]?.pid])
			.catch(() => undefined);
	};
	signal.addEventListener("abort", onAbort, { once: true });
	return () => signal.removeEventListener("abort", onAbort);
}
