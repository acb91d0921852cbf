import type { Pool, PoolClient } from "../../db/pool.ts";
import { analyze } from "../../db/session.ts";
import type { SqlCatalog } from "../../db/sql-catalog.ts";
import { errorMessage } from "../../errors.ts";
import type { Logger } from "../../log.ts";
import { rebuildRollups } from "../../metrics/rollups.ts";
import { ABC_SHARES, GROWTH_WINDOW_MONTHS } from "./definitions.ts";
import { NO_ORDERS_SEGMENT, rfmSegmentMap } from "./rfm-map.ts";
import {
	cancelOnAbort,
	inTransaction,
	lockCompute,
	unlockCompute,
} from "./session.ts";
import { COMPUTE_STEPS, type ComputeStep, type StepContext } from "./steps.ts";

/** Named SQL the runner itself uses (the steps list their own). */
const RUNNER_SQL = [
	"analytics/run-open",
	"analytics/run-progress",
	"analytics/run-finish",
	"analytics/run-previous",
	"analytics/basis-lines",
	"analytics/basis-facts",
	"analytics/basis-customers",
	"analytics/cohort-activity",
	"analytics/basis-items",
	"analytics/basis-item-windows",
	"analytics/basis-counts",
	"analytics/basis-drop",
];

/** Every named SQL a compute run with these steps needs; the job lists it for the start-up check. */
export function computeSql(
	steps: readonly ComputeStep[] = COMPUTE_STEPS,
): string[] {
	return [...RUNNER_SQL, ...steps.flatMap((s) => s.sql)];
}

export interface ComputeOptions {
	/** What started the run, recorded in compute_runs.trigger ("cli", "ingest of erp (run 3)"). */
	trigger: string;
	/** When another compute holds the lock: wait for it (true), or return "skipped" at once (false). */
	wait: boolean;
	log: Logger;
	/** Aborting cancels the running statement; the step's transaction rolls back. */
	signal?: AbortSignal;
	/** Called once when the run has to wait for another compute. */
	onWait?: () => void;
	steps?: readonly ComputeStep[];
}

/** What one step built. */
export interface StepResult {
	name: string;
	rows: number;
	ms: number;
}

/** The outcome of a run that held the lock. */
export interface ComputeRun {
	status: "succeeded";
	runId: number;
	analysisDate: string | null;
	maxPostingDate: string | null;
	maxIngestRunId: number | null;
	lines: number;
	/** Customers (source, customer) with at least one order. */
	customers: number;
	/**
	 * The run's basis, built in one snapshot before the steps: "lines" (the view of the order
	 * lines and the run's facts), "customers" (RFM and ABC per customer), "cohort activity",
	 * "items" (the lines summed per office, product and customer).
	 */
	basis: StepResult[];
	steps: StepResult[];
	/** Plain-language remarks (empty warehouse, lines without customers or costs, …). */
	notes: string[];
	ms: number;
}

export type ComputeResult = ComputeRun | { status: "skipped"; reason: string };

interface Facts {
	lines: number;
	lines_without_customer: number;
	lines_without_margin: number;
	max_posting_date: string | null;
	analysis_date: string | null;
	max_ingest_run_id: number | null;
	customers: number;
	no_orders: number;
}

/**
 * Rebuilds the derived analytics tables from the warehouse (see ./definitions.ts). One run at a
 * time across processes (a session advisory lock). The order lines are read in place, never
 * copied: one repeatable-read transaction builds the per-customer and cohort temp tables from
 * them and runs the steps that read them (ComputeStep.readsLines), so all of it sees the same
 * lines even if an ingest commits meanwhile, and those tables commit together. Then each other
 * step rebuilds its table, from the temp tables or earlier steps' tables, in its own transaction.
 * Idempotent: the same warehouse gives the same tables. A failed step leaves its table (with the
 * line steps, all of theirs) as the previous run left it and the run recorded as failed, with the
 * error.
 */
export async function runCompute(
	pool: Pool,
	sql: SqlCatalog,
	opts: ComputeOptions,
): Promise<ComputeResult> {
	const client = await pool.connect();
	let broken: Error | undefined;
	// A checked-out client has no pool listener: without this, Postgres going away between two
	// statements of a long run would crash the process instead of failing the run.
	const onError = (err: Error) => {
		broken = err;
		opts.log.warn({ err: errorMessage(err) }, "compute connection lost");
	};
	client.on("error", onError);
	try {
		if (!(await lockCompute(client, opts)))
			return {
				status: "skipped",
				reason: "another compute run is in progress",
			};
		return await runLocked(pool, client, sql, opts);
	} catch (err) {
		broken = err instanceof Error ? err : new Error(errorMessage(err));
		throw err;
	} finally {
		await client
			.query(sql.get("analytics/basis-drop"))
			.then(() => unlockCompute(client))
			.then(() => {
				broken = undefined;
			})
			.catch(() => undefined);
		// A connection that could not clean up is dropped, which also frees its lock and temp tables.
		client.off("error", onError);
		client.release(broken);
	}
}

async function runLocked(
	pool: Pool,
	client: PoolClient,
	sql: SqlCatalog,
	opts: ComputeOptions,
): Promise<ComputeRun> {
	const started = performance.now();
	const open = await client.query<{ id: number; started_at: Date }>(
		sql.get("analytics/run-open"),
		[opts.trigger],
	);
	const runId = Number(open.rows[0]?.id);
	const runStartedAt = open.rows[0]?.started_at ?? new Date();
	const steps: StepResult[] = [];
	const cancel = await cancelOnAbort(pool, client, opts.signal);
	try {
		opts.signal?.throwIfAborted();
		// Metrics read the order lines while the rollups are stale; a run brings them back.
		await rebuildRollups(client, opts.log);
		const stepList = opts.steps ?? COMPUTE_STEPS;
		const report = await progressReporter(client, sql, {
			log: opts.log,
			runId,
			started,
			parts: BASIS_PARTS + stepList.length,
		});
		const runStep = async (
			step: ComputeStep,
			ctx: StepContext,
			into: StepResult[],
		) => {
			opts.signal?.throwIfAborted();
			const t0 = performance.now();
			const rows = await step.run(client, ctx);
			const done = {
				name: step.name,
				rows,
				ms: Math.round(performance.now() - t0),
			};
			into.push(done);
			report(done);
		};
		const stepContext = (facts: Facts): StepContext => ({
			sql,
			analysisDate: facts.analysis_date,
			runStartedAt,
		});
		const progress = (facts: Facts, done: StepResult[] = steps) =>
			client.query(sql.get("analytics/run-progress"), [
				runId,
				facts.analysis_date,
				facts.max_posting_date,
				facts.max_ingest_run_id,
				facts.lines,
				facts.customers,
				JSON.stringify(done),
			]);
		// The basis and the steps that read the order lines share one snapshot and commit together:
		// their steps count as done only once it has. The others each get their own transaction.
		const inSnapshot: StepResult[] = [];
		const { facts, basis } = await prepare(client, sql, report, async (f) => {
			for (const step of stepList.filter((s) => s.readsLines)) {
				await runStep(step, stepContext(f), inSnapshot);
				await progress(f, inSnapshot);
			}
		});
		steps.push(...inSnapshot);
		await progress(facts);
		for (const step of stepList.filter((s) => !s.readsLines)) {
			await inTransaction(client, "read committed", () =>
				runStep(step, stepContext(facts), steps),
			);
			await progress(facts);
		}
		const notes = notesFor(facts);
		await client.query(sql.get("analytics/run-finish"), [
			runId,
			"succeeded",
			JSON.stringify(steps),
			notes.join("\n") || null,
			null,
		]);
		const ms = Math.round(performance.now() - started);
		opts.log.info(
			{ runId, analysisDate: facts.analysis_date, lines: facts.lines, ms },
			"compute done",
		);
		return {
			status: "succeeded",
			runId,
			analysisDate: facts.analysis_date,
			maxPostingDate: facts.max_posting_date,
			maxIngestRunId: facts.max_ingest_run_id,
			lines: facts.lines,
			customers: facts.customers,
			basis,
			steps,
			notes,
			ms,
		};
	} catch (err) {
		await client
			.query(sql.get("analytics/run-finish"), [
				runId,
				"failed",
				JSON.stringify(steps),
				null,
				errorMessage(err),
			])
			.catch(() => undefined);
		throw err;
	} finally {
		cancel();
	}
}

/** How many parts `prepare` builds (lines, customers, cohort activity, items), for the progress count. */
const BASIS_PARTS = 4;

/**
 * Logs "compute progress" (info) after each basis part and step: which, its rows and time, how
 * many of the run's parts are done, the seconds so far and, when an earlier run succeeded, about
 * how many are left: that run's duration scaled by the order lines, minus the time spent.
 */
async function progressReporter(
	client: PoolClient,
	sql: SqlCatalog,
	o: { log: Logger; runId: number; started: number; parts: number },
): Promise<(part: StepResult, lines?: number) => void> {
	const { rows } = await client.query<{ lines: string; duration_ms: string }>(
		sql.get("analytics/run-previous"),
	);
	const previous = rows[0];
	let done = 0;
	let scale = 1;
	return (part, lines) => {
		done++;
		if (previous && lines !== undefined) scale = lines / Number(previous.lines);
		const elapsedMs = performance.now() - o.started;
		const eta = previous
			? {
					etaSeconds: Math.max(
						0,
						Math.round(
							(Number(previous.duration_ms) * scale - elapsedMs) / 1000,
						),
					),
				}
			: {};
		o.log.info(
			{
				runId: o.runId,
				step: part.name,
				rows: part.rows,
				ms: part.ms,
				done,
				of: o.parts,
				seconds: Math.round(elapsedMs / 1000),
				...eta,
			},
			"compute progress",
		);
	};
}

/**
 * In one repeatable-read transaction: builds the basis (the view of the order lines, the customer,
 * cohort and item temp tables), reads the run's facts, then runs `inSnapshot` (the steps that read the
 * lines) before it commits.
 */
async function prepare(
	client: PoolClient,
	sql: SqlCatalog,
	report: (part: StepResult, lines?: number) => void,
	inSnapshot: (facts: Facts) => Promise<void>,
): Promise<{ facts: Facts; basis: StepResult[] }> {
	await client.query(sql.get("analytics/basis-drop"));
	const basis: StepResult[] = [];
	let lines: number | undefined;
	/** Builds one part of the basis (the create returns its row count) and records it. */
	const part = async (
		name: string,
		build: () => Promise<{ rowCount: number | null }>,
	) => {
		const t0 = performance.now();
		const { rowCount } = await build();
		const done = {
			name,
			rows: rowCount ?? 0,
			ms: Math.round(performance.now() - t0),
		};
		basis.push(done);
		report({ ...done, name: `basis: ${name}` }, lines);
	};
	const facts = await inTransaction(client, "repeatable read", async () => {
		let found: Omit<Facts, "customers" | "no_orders"> | undefined;
		await part("lines", async () => {
			await client.query(sql.get("analytics/basis-lines"));
			const { rows } = await client.query<
				Omit<Facts, "customers" | "no_orders">
			>(sql.get("analytics/basis-facts"));
			found = rows[0];
			lines = Number(found?.lines ?? 0);
			// A view: its rows are the lines it shows.
			return { rowCount: lines };
		});
		if (!found) throw new Error("analytics/basis-facts returned no row");
		const facts = found;
		await part("customers", async () => {
			const built = await client.query(sql.get("analytics/basis-customers"), [
				facts.analysis_date,
				JSON.stringify(rfmSegmentMap()),
				ABC_SHARES.a,
				ABC_SHARES.b,
				NO_ORDERS_SEGMENT,
			]);
			await analyze(client, "compute_customers");
			return built;
		});
		await part("cohort activity", () =>
			client.query(sql.get("analytics/cohort-activity"), [facts.analysis_date]),
		);
		await part("items", async () => {
			const built = await client.query(sql.get("analytics/basis-items"));
			await client.query(sql.get("analytics/basis-item-windows"), [
				facts.analysis_date,
				GROWTH_WINDOW_MONTHS,
			]);
			await analyze(client, "compute_items");
			await analyze(client, "compute_item_windows");
			return built;
		});
		const counts = await client.query<{ customers: number; no_orders: number }>(
			sql.get("analytics/basis-counts"),
		);
		const all = { ...facts, customers: 0, no_orders: 0, ...counts.rows[0] };
		await inSnapshot(all);
		return all;
	});
	return { facts, basis };
}

function notesFor(f: Facts): string[] {
	if (f.lines === 0)
		return [
			"The warehouse holds no order lines, so every derived table is empty. Load a source first: erp-pulse ingest <source>.",
		];
	const notes: string[] = [];
	if (f.customers === 0)
		notes.push(
			"No customer has an order, so nobody has RFM scores and the cohort tables are empty; the regional tables are built from all lines.",
		);
	if (f.lines_without_customer > 0)
		notes.push(
			`${f.lines_without_customer} of ${f.lines} order lines have no customer: they count in revenue and the regional tables, not in customer analytics.`,
		);
	if (f.no_orders > 0)
		notes.push(
			`${f.no_orders} customers have lines but no order (only cancellations or zero-value lines): they are labelled "${NO_ORDERS_SEGMENT}" and have no RFM scores.`,
		);
	if (f.lines_without_margin > 0)
		notes.push(
			`${f.lines_without_margin} of ${f.lines} order lines have no margin or cost: profitability, margin_percent and abc_profit stay empty where unknown, and abc_combined falls back to abc_revenue.`,
		);
	return notes;
}
