import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { PoolClient } from "pg";
import type { Pool } from "../db/pool.ts";
import { setLocal } from "../db/session.ts";
import { AppError, errorMessage } from "../errors.ts";
import type { Logger } from "../log.ts";
import { itemsBefore, maintainRollups } from "../metrics/rollups.ts";
import {
	type Expected,
	originOf,
	type SourceConnector,
} from "../sources/types.ts";
import { anonymiseRow } from "./anonymise.ts";
import { copyField, copyFile, copyLine, copyRows } from "./copy.ts";
import {
	ENTITIES,
	ENTITY_NAMES,
	type EntityDef,
	type EntityName,
} from "./entities.ts";
import { dateFormatHint } from "./fields.ts";
import {
	type EntityMapping,
	evaluate,
	type Mapping,
	requiredColumns,
	resolveColumns,
	rowMapper,
	type SourceRow,
} from "./mapping.ts";
import {
	failRun,
	finishRun,
	lockSource,
	openRun,
	refreshStatistics,
	releaseSourceLocks,
	storedWatermark,
} from "./runs.ts";
import {
	createStage,
	holdsRows,
	insertRejects,
	REJECTS_KEPT,
	type Reject,
	rollupChange,
	storeWatermark,
	upsert,
} from "./store.ts";
import {
	applyOverlap,
	isWatermark,
	maxWatermark,
	type Watermark,
} from "./watermark.ts";

/** A record the source could not even parse (a malformed CSV line). */
export interface BadRecord {
	line: number;
	raw: string;
	reason: string;
}

/** The part of a source connector ingest needs. */
export interface RowSource {
	columns(from: { table: string } | { select: string }): Promise<string[]>;
	stream(
		req: {
			from: { table: string } | { select: string };
			watermark?: { column: string; after: string | number | null };
		},
		signal?: AbortSignal,
	): AsyncIterable<SourceRow>;
	expected?: SourceConnector["expected"];
}

export interface IngestSource {
	name: string;
	kind: string;
	mapping: Mapping;
	/** Opens the connector for one run; bad records it meets are handed to `onBadRecord`. */
	open(
		onBadRecord: (r: BadRecord) => void,
	): RowSource & { close(): Promise<void> };
	/** Share of rows (0–1) allowed to fail validation before the whole run is refused. */
	maxRejectShare: number;
	anonymise?: { columns: readonly string[]; key: string };
}

export interface EntityResult {
	read: number;
	loaded: number;
	rejected: number;
	watermarkBefore: Watermark | null;
	watermarkAfter: Watermark | null;
	/** Reading, mapping and staging (shared with the entities read with it), then the upsert. */
	streamMs: number;
	upsertMs: number;
	/** Order lines only: bringing the sales rollups up to date for the days the run changed. */
	rollupMs?: number;
}

/** How often a long read logs how far it got. */
const PROGRESS_EVERY_MS = 5_000;

/**
 * Counts the source rows of one read and logs "ingest progress" every PROGRESS_EVERY_MS with
 * the rows so far and the rate, so a long first load shows it is moving (one line per event on
 * a terminal, structured fields in JSON logs).
 */
function progress(
	log: Logger,
	source: string,
	entities: readonly string[],
	everyMs = PROGRESS_EVERY_MS,
	expected?: Expected,
): () => void {
	const started = performance.now();
	let next = started + everyMs;
	let rows = 0;
	return () => {
		rows++;
		if ((rows & 1023) !== 0) return;
		const now = performance.now();
		if (now < next) return;
		next = now + everyMs;
		const seconds = (now - started) / 1000;
		log.info(
			{
				source,
				entities,
				rows,
				rowsPerSecond: Math.round(rows / seconds),
				seconds: Math.round(seconds),
				...estimate(expected, rows, seconds),
			},
			"ingest progress",
		);
	};
}

/**
 * How far a read got and about how long it has left, from what the source said to expect. A
 * planner's estimate is marked `estimated`; once the rows pass it, only rows and rate are left.
 */
function estimate(
	expected: Expected | undefined,
	rows: number,
	seconds: number,
): {
	expectedRows?: number;
	estimated?: true;
	percent?: number;
	etaSeconds?: number;
} {
	if (!expected) return {};
	const told =
		"rows" in expected
			? {
					expectedRows: Math.round(expected.rows),
					...(expected.estimated ? { estimated: true as const } : {}),
				}
			: {};
	const done =
		"rows" in expected
			? expected.rows > 0
				? rows / expected.rows
				: 0
			: expected.fraction();
	if (!(done > 0 && done <= 1)) return told;
	return {
		...told,
		percent: Math.round(done * 100),
		etaSeconds: Math.round((seconds * (1 - done)) / done),
	};
}

export interface IngestResult {
	runId: number;
	source: string;
	entities: Partial<Record<EntityName, EntityResult>>;
	read: number;
	loaded: number;
	rejected: number;
	ms: number;
}

/**
 * One ingest run of one source, as a single transaction: for each mapped entity (masters first)
 * rows past the stored watermark (minus the overlap) are streamed, mapped, validated, optionally
 * anonymised, COPYed into a staging table and upserted on the natural key; bad rows go to
 * ingest_rejects; the watermarks and the run's own record commit with the data. A crash anywhere
 * rolls the whole run back, so a restart redoes it from the same watermarks: nothing is lost or
 * doubled. A session advisory lock keeps one run per source at a time across processes.
 */
export async function runIngest(
	pool: Pool,
	source: IngestSource,
	opts: {
		full?: boolean;
		signal?: AbortSignal;
		log: Logger;
		now?: Date;
		/** How often a long read logs "ingest progress"; default PROGRESS_EVERY_MS. */
		progressEveryMs?: number;
	},
): Promise<IngestResult> {
	const started = performance.now();
	const now = opts.now ?? new Date();
	const latestDate = new Date(now.getTime() + 86_400_000)
		.toISOString()
		.slice(0, 10);
	const client = await pool.connect();
	let runId = 0;
	try {
		await lockSource(client, source.name);
		runId = await openRun(client, source, opts.full ?? false);
		const result: IngestResult = {
			runId,
			source: source.name,
			entities: {},
			read: 0,
			loaded: 0,
			rejected: 0,
			ms: 0,
		};
		await client.query("begin");
		// A load runs as long as the data takes: the pool's statement timeout is for interactive
		// queries (chat, health), and cancelling a first load's COPY after it fails the run forever.
		await setLocal(client, { statement_timeout: 0 });
		for (const group of await readGroups(client, source, opts.full ?? false)) {
			opts.signal?.throwIfAborted();
			const load = (directRunId?: number) => {
				const o = {
					...opts,
					latestDate,
					...(directRunId === undefined ? {} : { directRunId }),
				};
				return group.length === 1 && group[0]
					? loadEntity(client, source, group[0], runId, o).then((r) => [r])
					: loadShared(client, source, group, runId, o);
			};
			const results = (await firstLoad(client, source, group))
				? await directLoad(
						client,
						opts.log,
						source.name,
						() => load(runId),
						load,
					)
				: await load();
			for (const [i, r] of results.entries()) {
				const name = group[i]?.def.name as EntityName;
				result.entities[name] = r;
				result.read += r.read;
				result.loaded += r.loaded;
				result.rejected += r.rejected;
				opts.log.info(
					{ source: source.name, entity: name, ...r },
					"entity loaded",
				);
			}
		}
		// In the canonical order, however the reads were grouped.
		result.entities = Object.fromEntries(
			ENTITY_NAMES.flatMap((n) =>
				result.entities[n] ? [[n, result.entities[n]]] : [],
			),
		);
		result.ms = Math.round(performance.now() - started);
		await finishRun(client, runId, result);
		await client.query("commit");
		await refreshStatistics(client, source, result, opts.log);
		return result;
	} catch (err) {
		await client.query("rollback").catch(() => undefined);
		if (runId)
			await failRun(client, runId, performance.now() - started, err).catch(
				() => undefined,
			);
		throw err;
	} finally {
		await releaseSourceLocks(client).catch(() => undefined);
		client.release();
	}
}

/** What a dry run found for one entity. */
export interface DryRunEntity {
	/** Source rows that belong to the entity (past its watermark, passing `only`). */
	read: number;
	valid: number;
	rejected: number;
	/** The first few valid rows as the warehouse would store them. */
	sample: Record<string, unknown>[];
	/** Reject reasons with the values taken out, most frequent first, each with one full example. */
	reasons: { reason: string; count: number; example: string }[];
}

export interface DryRun {
	source: string;
	limit: number;
	entities: Partial<Record<EntityName, DryRunEntity>>;
}

const DRY_RUN_SAMPLE = 3;

/** A reject reason without where it was and what the value was, so alike reasons group. */
function reasonKind(reason: string): string {
	return reason
		.replace(/^(line|row) \d+( of [^:]+)?: /, "")
		.replace(/"(?:[^"\\]|\\.)*"/g, "…")
		.replace(/\(-?\d[\d.,]*\)/g, "(…)");
}

/**
 * `ingest <source> --dry-run`: reads up to `limit` source rows per read, maps and validates them
 * as a run would, and reports valid and rejected rows with sample canonical rows and the reject
 * reasons grouped — inside a transaction that is rolled back, without a run record, so nothing
 * is written (not the warehouse, not the watermarks, not ingest_runs).
 */
export async function dryRunIngest(
	pool: Pool,
	source: IngestSource,
	opts: { limit: number; full?: boolean; log: Logger; now?: Date },
): Promise<DryRun> {
	const now = opts.now ?? new Date();
	const latestDate = new Date(now.getTime() + 86_400_000)
		.toISOString()
		.slice(0, 10);
	const client = await pool.connect();
	const out: DryRun = { source: source.name, limit: opts.limit, entities: {} };
	try {
		await client.query("begin read only");
		for (const group of await readGroups(client, source, opts.full ?? false)) {
			const plans: EntityPlan[] = [];
			const conn = source.open((bad) => {
				for (const p of plans) rejectBad(p, bad);
			});
			const valid = new Map<EntityPlan, CanonicalValues[]>();
			try {
				const from = group[0]?.m.from as EntityMapping["from"];
				const columns = await conn.columns(from);
				for (const g of group) {
					// Without a staging table: nothing is copied anywhere.
					const p = newPlan(source, g.def, g.m, columns, {
						full: opts.full ?? false,
						latestDate,
						before: g.before,
						stage: "",
						direct: null,
					});
					plans.push(p);
					valid.set(p, []);
				}
				const only = plans.length === 1 ? plans[0] : undefined;
				const req = {
					from,
					...(only?.pushDown && only.m.watermark
						? {
								watermark: {
									column: only.m.watermark.column,
									after: only.after,
								},
							}
						: {}),
				};
				let position = 0;
				for await (const raw of conn.stream(req)) {
					position++;
					for (const p of plans) {
						const values = p.step(raw, position);
						if (values) valid.get(p)?.push(values);
					}
					if (position >= opts.limit) break;
				}
			} finally {
				await conn.close();
			}
			for (const p of plans) {
				const rows = valid.get(p) ?? [];
				const kinds = new Map<string, { count: number; example: string }>();
				for (const r of p.rejects) {
					const k = reasonKind(r.reason);
					const seen = kinds.get(k);
					if (seen) seen.count++;
					else kinds.set(k, { count: 1, example: r.reason });
				}
				out.entities[p.def.name] = {
					read: p.counter.read,
					valid: rows.length,
					rejected: p.rejected,
					sample: rows
						.slice(0, DRY_RUN_SAMPLE)
						.map((values) =>
							Object.fromEntries(p.def.columns.map((c, i) => [c, values[i]])),
						),
					reasons: [...kinds.entries()]
						.map(([reason, k]) => ({ reason, ...k }))
						.sort((a, b) => b.count - a.count),
				};
			}
		}
		return out;
	} finally {
		await client.query("rollback").catch(() => undefined);
		client.release();
	}
}

/**
 * The mapped entities in canonical order, grouped by what they read: entities mapped from the
 * same relation that each read all of it on this run share one read (loadShared); an entity
 * whose watermark the source applies reads on its own, past its own watermark.
 */
async function readGroups(
	client: PoolClient,
	source: IngestSource,
	full: boolean,
): Promise<GroupEntry[][]> {
	const groups: GroupEntry[][] = [];
	const shared = new Map<string, GroupEntry[]>();
	for (const name of ENTITY_NAMES) {
		const m = source.mapping.entities[name];
		if (!m) continue;
		const def = ENTITIES[name];
		const entry = {
			def,
			m,
			before: await storedWatermark(client, source, def, full),
		};
		if (
			!(full || !m.watermark || numbersByPosition(m) || entry.before === null)
		) {
			// The source applies this entity's watermark: it reads on its own.
			groups.push([entry]);
			continue;
		}
		const key = JSON.stringify(m.from);
		const group = shared.get(key);
		if (group) group.push(entry);
		else {
			const fresh = [entry];
			shared.set(key, fresh);
			groups.push(fresh);
		}
	}
	return groups;
}

/** An entity of a read group, with the watermark stored for it before this run. */
interface GroupEntry {
	def: EntityDef;
	m: EntityMapping;
	before: Watermark | null;
}

/** One entity's part of a run: its watermark, its staging table, its rejects and counters. */
interface EntityPlan {
	def: EntityDef;
	m: EntityMapping;
	before: Watermark | null;
	after: Watermark | null;
	stage: string;
	rejects: Reject[];
	rejected: number;
	counter: { read: number; maxSeen: Watermark | null };
	reject(r: Reject): void;
	/** Maps and validates one source row: the values to stage, or null (skipped or rejected). */
	step(raw: SourceRow, position: number): CanonicalValues | null;
	/** The watermark is applied by the source (not here) on this run. */
	pushDown: boolean;
	/**
	 * A first load of this entity for the source, COPYd straight into its table (no staging and
	 * no upsert; see `directLoad`): rows end with the run id instead of their position.
	 */
	direct: { runId: number; copied: number } | null;
}

/** Whether a mapping numbers records by their position (so it must see every record). */
function numbersByPosition(m: EntityMapping): boolean {
	return JSON.stringify(m.columns).includes('"recordNumber"');
}

/**
 * Whether this read feeds order lines that the source has none of yet (a first load, or a
 * re-load after they were removed): the run holds the source's lock, so no other run can add
 * any meanwhile, and no row can conflict except a key the source repeats.
 */
async function firstLoad(
	client: PoolClient,
	source: IngestSource,
	group: readonly GroupEntry[],
): Promise<boolean> {
	const entry = group.find((g) => g.def.name === DIRECT_ENTITY);
	return (
		entry !== undefined && !(await holdsRows(client, entry.def, source.name))
	);
}

/**
 * A first load of order lines COPYs them straight into transaction_data, with no staging table
 * and no upsert: Postgres maintains the indexes while the source is still being read, instead of
 * after it. A source that repeats a natural key (two rows for one order line) makes that COPY
 * fail on the primary key; the read is then undone to a savepoint and done again the usual way,
 * through staging, where the last row of a key wins.
 */
async function directLoad<T>(
	client: PoolClient,
	log: Logger,
	source: string,
	direct: () => Promise<T>,
	staged: () => Promise<T>,
): Promise<T> {
	await client.query("savepoint direct_load");
	try {
		const out = await direct();
		await client.query("release savepoint direct_load");
		return out;
	} catch (err) {
		if ((err as { code?: string }).code !== "23505") throw err;
		await client.query("rollback to savepoint direct_load");
		log.info(
			{ source, err: errorMessage(err) },
			"the source repeats an order line's key; loading through staging instead, where the last row of a key wins",
		);
		return staged();
	}
}

async function planEntity(
	client: PoolClient,
	source: IngestSource,
	entry: GroupEntry,
	columns: string[],
	opts: { full?: boolean; latestDate: string; directRunId?: number },
): Promise<EntityPlan> {
	const { def, m, before } = entry;
	if (opts.directRunId !== undefined && def.name === DIRECT_ENTITY)
		return newPlan(source, def, m, columns, {
			before,
			full: opts.full ?? false,
			latestDate: opts.latestDate,
			stage: def.table,
			direct: { runId: opts.directRunId, copied: 0 },
		});
	const stage = await createStage(client, def);
	return newPlan(source, def, m, columns, {
		before,
		full: opts.full ?? false,
		latestDate: opts.latestDate,
		stage,
		direct: null,
	});
}

/** The entity with a row per source row, the one worth COPYing straight into its table. */
const DIRECT_ENTITY: EntityName = "order_lines";

/**
 * Streams an entity's rows into COPY: into its staging table with their position, or for a
 * direct plan into its table with the source's name and the run id.
 */
async function copyPlan(
	client: PoolClient,
	source: IngestSource,
	plan: EntityPlan,
	rows: AsyncIterable<CanonicalValues>,
): Promise<void> {
	const { def, direct } = plan;
	if (!direct) {
		await copyRows(client, plan.stage, [...def.columns, "ord"], rows);
		return;
	}
	direct.copied = await copyRows(
		client,
		def.table,
		["source", ...def.columns, "ingest_run_id"],
		rows,
		`${copyField(source.name)}\t`,
	);
}

/** An entity's plan from its stored watermark: what to read past, and the per-row work. */
function newPlan(
	source: IngestSource,
	def: EntityDef,
	m: EntityMapping,
	columns: string[],
	opts: {
		before: Watermark | null;
		full: boolean;
		latestDate: string;
		stage: string;
		direct: EntityPlan["direct"];
	},
): EntityPlan {
	const resolved = resolveColumns(def.name, m, columns);
	const plan: EntityPlan = {
		def,
		m: resolved,
		before: opts.before,
		after:
			opts.full || !m.watermark
				? null
				: applyOverlap(opts.before, m.watermark.overlap),
		stage: opts.stage,
		rejects: [],
		rejected: 0,
		counter: { read: 0, maxSeen: null },
		reject(r) {
			plan.rejected++;
			if (plan.rejects.length < REJECTS_KEPT) plan.rejects.push(r);
		},
		step: () => null,
		// A mapping that numbers records by their position must see every record, so its
		// watermark is applied here rather than pushed down to the source.
		pushDown: Boolean(resolved.watermark) && !numbersByPosition(resolved),
		direct: opts.direct,
	};
	plan.step = rowStep(plan, source, opts.latestDate);
	return plan;
}

/** What the source expects the read to bring; never fails the run (progress is only a guess). */
async function expectedOf(
	conn: RowSource,
	req: Parameters<RowSource["stream"]>[0],
	log: Logger,
): Promise<Expected | undefined> {
	try {
		return await conn.expected?.(req);
	} catch (err) {
		log.debug({ err: errorMessage(err) }, "no estimate of the rows to read");
		return undefined;
	}
}

/** What loading an entity (alone or with the others read with it) needs from the run. */
interface LoadOptions {
	full?: boolean;
	/** Load order lines straight into their table (a first load; see `directLoad`). */
	directRunId?: number;
	signal?: AbortSignal;
	latestDate: string;
	log: Logger;
	progressEveryMs?: number;
}

/** Loads one entity from its own read of the source. */
async function loadEntity(
	client: PoolClient,
	source: IngestSource,
	entry: GroupEntry,
	runId: number,
	opts: LoadOptions,
): Promise<EntityResult> {
	const { def, m } = entry;
	let plan: EntityPlan | undefined;
	const conn = source.open((bad) => plan && rejectBad(plan, bad));
	const started = performance.now();
	try {
		plan = await planEntity(
			client,
			source,
			entry,
			await conn.columns(m.from),
			opts,
		);
		const p = plan;
		const req = {
			from: p.m.from,
			...(p.pushDown && p.m.watermark
				? { watermark: { column: p.m.watermark.column, after: p.after } }
				: {}),
		};
		const tick = progress(
			opts.log,
			source.name,
			[def.name],
			opts.progressEveryMs,
			await expectedOf(conn, req, opts.log),
		);
		async function* rows(): AsyncIterable<CanonicalValues> {
			let position = 0;
			for await (const raw of conn.stream(req, opts.signal)) {
				tick();
				const values = p.step(raw, ++position);
				if (values) yield values;
			}
		}
		await copyPlan(client, source, p, rows());
	} finally {
		await conn.close();
	}
	return finishEntity(
		client,
		source,
		plan,
		runId,
		Math.round(performance.now() - started),
	);
}

/**
 * Loads several entities mapped from the same relation (Online Retail's one file feeds
 * customers, materials and order lines) from one read of it: each row is mapped and validated
 * for every entity. Order lines stream into their COPY; the others' rows go to a spool file,
 * holding back rows whose natural key repeats (a customer on each of its lines: the last one
 * wins, as the upsert would choose), and are copied from it after the read.
 */
async function loadShared(
	client: PoolClient,
	source: IngestSource,
	group: readonly GroupEntry[],
	runId: number,
	opts: LoadOptions,
): Promise<EntityResult[]> {
	const plans: EntityPlan[] = [];
	const conn = source.open((bad) => {
		for (const p of plans) rejectBad(p, bad);
	});
	const started = performance.now();
	const spoolDir = mkdtempSync(path.join(tmpdir(), "erp-pulse-ingest-"));
	try {
		const from = group[0]?.m.from as EntityMapping["from"];
		const columns = await conn.columns(from);
		for (const g of group)
			plans.push(await planEntity(client, source, g, columns, opts));
		// Order lines, the entity with a row per source row, stream straight into COPY.
		const first =
			plans.find((p) => p.def.name === "order_lines") ??
			(plans.at(-1) as EntityPlan);
		const spools = plans
			.filter((p) => p !== first)
			.map((p) => new Spool(p, path.join(spoolDir, p.stage)));
		const tick = progress(
			opts.log,
			source.name,
			plans.map((p) => p.def.name),
			opts.progressEveryMs,
			await expectedOf(conn, { from }, opts.log),
		);
		async function* rows(): AsyncIterable<CanonicalValues> {
			let position = 0;
			for await (const raw of conn.stream({ from }, opts.signal)) {
				tick();
				position++;
				for (const s of spools) s.take(raw, position);
				const values = first.step(raw, position);
				if (values) yield values;
			}
		}
		await copyPlan(client, source, first, rows());
		for (const s of spools) {
			s.close();
			await copyFile(
				client,
				s.plan.stage,
				[...s.plan.def.columns, "ord"],
				s.file,
			);
		}
	} finally {
		await conn.close();
		rmSync(spoolDir, { recursive: true, force: true });
	}
	const streamMs = Math.round(performance.now() - started);
	const results: EntityResult[] = [];
	for (const p of plans)
		results.push(await finishEntity(client, source, p, runId, streamMs));
	return results;
}

/** Rows held back by natural key before they are written to the spool file. */
const SPOOL_KEYS = 50_000;

/**
 * An entity's staged rows written to a file in COPY text format. Rows are held in a map by
 * natural key, so a key repeated on many source rows is written once (the latest); when the map
 * reaches SPOOL_KEYS keys it is written out and cleared, so memory stays bounded whatever the
 * keys. Every written row keeps its position (ord): the upsert still keeps the last of a key.
 */
class Spool {
	readonly plan: EntityPlan;
	readonly file: string;
	#fd: number;
	#held = new Map<string, CanonicalValues>();
	#keys: number[];
	#seen: SeenRows | null;

	constructor(plan: EntityPlan, file: string) {
		this.plan = plan;
		this.file = file;
		this.#fd = openSync(file, "w");
		this.#keys = plan.def.key.map((k) => plan.def.columns.indexOf(k));
		// Rows mapped before can be reused only where the mapping is a function of the source
		// columns it reads: not one that numbers records by position or reads a watermark.
		const reads = requiredColumns(plan.m);
		this.#seen =
			plan.m.watermark || numbersByPosition(plan.m) || reads.length === 0
				? null
				: new SeenRows(reads);
	}

	/**
	 * Maps and validates one source row for this entity and holds its values. A row whose source
	 * columns (those the mapping reads) equal an earlier row's that loaded gives the same values:
	 * they are reused with the new position instead of mapped and validated again. Online Retail
	 * names a customer and a material on each of their lines: 406,829 and 541,909 rows for 4,372
	 * customers and 4,070 materials.
	 */
	take(raw: SourceRow, position: number): void {
		const hit = this.#seen?.get(raw);
		if (hit) {
			this.plan.counter.read++;
			hit[hit.length - 1] = position;
			this.#add(hit);
			return;
		}
		const values = this.plan.step(raw, position);
		if (values) this.#seen?.set(raw, values);
		this.#add(values);
	}

	#add(values: CanonicalValues | null): void {
		if (!values) return;
		// A one-column key (a customer, a material: required text) is its own map key; no JSON per row.
		const one =
			this.#keys.length === 1 ? values[this.#keys[0] ?? 0] : undefined;
		const key =
			typeof one === "string"
				? one
				: JSON.stringify(this.#keys.map((i) => values[i] ?? null));
		this.#held.set(key, values);
		if (this.#held.size >= SPOOL_KEYS) this.#flush();
	}

	#flush(): void {
		let chunk = "";
		for (const values of this.#held.values()) {
			chunk += copyLine(values);
			if (chunk.length >= 256 * 1024) {
				writeSync(this.#fd, chunk);
				chunk = "";
			}
		}
		if (chunk) writeSync(this.#fd, chunk);
		this.#held.clear();
		this.#seen?.clear();
	}

	close(): void {
		this.#flush();
		closeSync(this.#fd);
	}
}

/**
 * Values already mapped, by the source row's values in the given columns: a tree of maps, one
 * level per column, so a lookup hashes the row's own strings and builds nothing. Rows with a value
 * that is not text or null (a number, a date) are not kept. Cleared when it holds SPOOL_KEYS rows,
 * and whenever the spool writes out what it holds, so a row reused is never one from before that.
 */
class SeenRows {
	readonly #columns: readonly string[];
	#root = new Map<string | null, unknown>();
	#size = 0;

	constructor(columns: readonly string[]) {
		this.#columns = columns;
	}

	clear(): void {
		this.#root = new Map();
		this.#size = 0;
	}

	get(raw: SourceRow): CanonicalValues | undefined {
		let node: unknown = this.#root;
		for (const c of this.#columns) {
			const v = raw[c] ?? null;
			if (v !== null && typeof v !== "string") return undefined;
			node = (node as Map<string | null, unknown>).get(v);
			if (node === undefined) return undefined;
		}
		return node as CanonicalValues;
	}

	set(raw: SourceRow, values: CanonicalValues): void {
		if (this.#size >= SPOOL_KEYS) this.clear();
		let node = this.#root;
		const last = this.#columns.length - 1;
		for (let i = 0; i <= last; i++) {
			const v = raw[this.#columns[i] as string] ?? null;
			if (v !== null && typeof v !== "string") return;
			if (i === last) {
				node.set(v, values);
				this.#size++;
				return;
			}
			let next = node.get(v) as Map<string | null, unknown> | undefined;
			if (!next) {
				next = new Map();
				node.set(v, next);
			}
			node = next;
		}
	}
}

function rejectBad(plan: EntityPlan, bad: BadRecord): void {
	plan.reject({
		row: { line: bad.line, raw: bad.raw },
		reason: `line ${bad.line}: unreadable record: ${bad.reason}`,
	});
}

/** After the rows are staged: the reject share, the upsert, the rejects and the watermark. */
async function finishEntity(
	client: PoolClient,
	source: IngestSource,
	plan: EntityPlan | undefined,
	runId: number,
	streamMs: number,
): Promise<EntityResult> {
	if (!plan) throw new Error("an entity finished without a plan");
	const { def, counter, rejects, rejected, before } = plan;
	assertRejectShare(source, def.name, counter.read, rejected, rejects);
	const staged = performance.now();
	const rollsUp = def.name === DIRECT_ENTITY;
	// What to bring up to date is read before the upsert moves a line to another day or item.
	const change =
		rollsUp && !plan.direct
			? await rollupChange(client, def, plan.stage, source.name)
			: null;
	if (change) await itemsBefore(client, source.name, change);
	const loaded = plan.direct
		? plan.direct.copied
		: await upsert(client, def, plan.stage, source.name, runId);
	const upsertMs = Math.round(performance.now() - staged);
	let rollupMs: number | undefined;
	if (rollsUp) {
		const t0 = performance.now();
		await maintainRollups(client, source.name, change);
		rollupMs = Math.round(performance.now() - t0);
	}
	await insertRejects(client, runId, source.name, def.name, rejects, rejected);
	const afterWm = maxWatermark(before, counter.maxSeen);
	await storeWatermark(client, source.name, def.name, afterWm, counter.read);
	return {
		read: counter.read,
		loaded,
		rejected,
		watermarkBefore: before,
		watermarkAfter: afterWm,
		streamMs,
		upsertMs,
		...(rollupMs === undefined ? {} : { rollupMs }),
	};
}

/** The per-row work of an entity: watermark filter, `only`, mapping, validation, anonymising. */
function rowStep(
	plan: EntityPlan,
	source: IngestSource,
	latestDate: string,
): (raw: SourceRow, position: number) => CanonicalValues | null {
	const { def, m, counter } = plan;
	const validate = def.validator({ latestDate });
	const map = rowMapper(m);
	const columns = def.columns;
	const hidden = source.anonymise
		? hiddenSourceColumns(m, source.anonymise.columns)
		: [];
	const after = plan.after;
	return (raw, position) => {
		const w = m.watermark
			? (raw[m.watermark.column] as Watermark | null)
			: null;
		if (
			m.watermark &&
			!plan.pushDown &&
			after !== null &&
			(w === null || maxWatermark(w, after) === after)
		)
			return null;
		if (m.only && evaluate(m.only, raw, position) !== true) return null;
		counter.read++;
		if (m.watermark && w !== null && !isWatermark(w)) {
			plan.reject({
				row: hide(raw, hidden),
				reason: `${whereOf(raw, position)}: watermark column ${m.watermark.column}: ${JSON.stringify(w)} is not a date, date-time or number${dateFormatHint(w).replace("<column>", m.watermark.column) || " (for a CSV column, give its dateFormat)"}`,
			});
			return null;
		}
		const parsed = validate(map(raw, position));
		if (!parsed.success) {
			const reason = parsed.issues
				.map(
					(i) =>
						`${i.path.join(".")} ${i.message.replace("{<column>:", `{${sourceColumnOf(m, String(i.path[0])) ?? "<column>"}:`)}`,
				)
				.join("; ");
			plan.reject({
				row: hide(raw, hidden),
				reason: `${whereOf(raw, position)}: ${reason}`,
			});
			return null;
		}
		// The watermark moves only over rows that load: a rejected row (a future date, a bad
		// value) must not make the next run skip the rows after it.
		counter.maxSeen = maxWatermark(counter.maxSeen, w);
		const row = source.anonymise
			? anonymiseRow(
					parsed.data,
					source.anonymise.columns,
					source.anonymise.key,
				)
			: parsed.data;
		const values: CanonicalValues = new Array(columns.length + 1);
		for (let i = 0; i < columns.length; i++)
			values[i] = row[columns[i] as string] ?? null;
		values[columns.length] = plan.direct ? plan.direct.runId : position;
		return values;
	};
}

type CanonicalValues = (string | number | boolean | null)[];

/** Where a rejected row is, for its reason: the file's line, or its place in the stream. */
function whereOf(raw: SourceRow, position: number): string {
	return originOf(raw) ?? `row ${position}`;
}

/** The source column a canonical column is read from, when the mapping names one directly. */
function sourceColumnOf(
	m: EntityMapping,
	canonical: string,
): string | undefined {
	const spec = m.columns[canonical];
	if (typeof spec === "string") return spec;
	return spec && typeof spec === "object" && "column" in spec
		? spec.column
		: undefined;
}

/** Source columns feeding anonymised canonical columns: a reject must not leak them either. */
function hiddenSourceColumns(
	m: EntityMapping,
	anonymised: readonly string[],
): string[] {
	return anonymised.flatMap((c) =>
		m.columns[c]
			? requiredColumns({
					...m,
					watermark: undefined,
					columns: { [c]: m.columns[c] },
				})
			: [],
	);
}

function hide(raw: SourceRow, columns: readonly string[]): SourceRow {
	if (columns.length === 0) return raw;
	const out = { ...raw };
	for (const c of columns) if (c in out) out[c] = "(anonymised)";
	return out;
}

function assertRejectShare(
	source: IngestSource,
	entity: string,
	read: number,
	rejected: number,
	sample: Reject[],
): void {
	if (read === 0 || rejected / read <= source.maxRejectShare) return;
	const reasons = [...new Set(sample.slice(0, 50).map((r) => r.reason))]
		.slice(0, 3)
		.join(" | ");
	throw new AppError(
		"ingest_rejects_exceeded",
		`Source "${source.name}", ${entity}: ${rejected} of ${read} rows (${((100 * rejected) / read).toFixed(1)}%) failed validation, above the ${(100 * source.maxRejectShare).toFixed(1)}% allowed (maxRejectShare); nothing of this run was kept. First reasons: ${reasons}`,
	);
}
