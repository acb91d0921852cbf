import type { QueueOptions, QueuePolicy } from "pg-boss";
import type { z } from "zod";
import type { ChannelSet } from "../chat/channel.ts";
import type { RenderDelivery } from "../chat/payload.ts";
import type { Config } from "../config/schema.ts";
import type { Pool } from "../db/pool.ts";
import type { SqlCatalog } from "../db/sql-catalog.ts";
import type { Logger } from "../log.ts";
import type { MetricCatalog } from "../metrics/index.ts";
import type { MonitorTemplate } from "../pulse/engine/templates.ts";

/** What a job handler may use; built once by the composition root. */
export interface JobDeps {
	pool: Pool;
	/** Connections for user-written monitor SQL (Pulse); falls back to `pool` when absent. */
	monitorPool?: Pool;
	config: Config;
	sql: SqlCatalog;
	/** The metric catalog (the config's currency), built once by the root. */
	catalog: MetricCatalog;
	/** The monitor templates, read once by the root; absent in a one-shot run (read when needed). */
	templates?: readonly MonitorTemplate[];
	/** The process environment (secrets such as anonymisation keys are read from it). */
	env: NodeJS.ProcessEnv;
	/** The chat channels and payload renderer the deliver job sends with; absent in one-shot CLI runs. */
	chat?: ChatRuntime;
	/** Enqueue another job (e.g. ingest → compute). */
	send(
		name: string,
		data: object,
		options?: { singletonKey?: string },
	): Promise<string | null>;
	/**
	 * Enqueue many jobs of one queue in one statement (the Pulse tick sends its batches of runs).
	 * With `db`, the insert joins that connection's transaction: the jobs exist only if it commits.
	 */
	sendMany?(
		name: string,
		jobs: readonly QueuedJob[],
		opts?: { db?: Pick<Pool, "query"> },
	): Promise<number>;
}

/** One job for `sendMany`. */
export interface QueuedJob {
	data: object;
	singletonKey?: string;
}

export interface JobContext extends JobDeps {
	log: Logger;
	/** Aborted when the job expires or the process shuts down; long work must watch it. */
	signal: AbortSignal;
	jobId: string;
	attempt: number;
}

/**
 * One pg-boss job: its queue name, payload schema, queue options and handler. pg-boss retries a
 * job whose expiry passes while the handler still runs, so every handler must be idempotent.
 */
export interface JobDefinition<S extends z.ZodType = z.ZodType> {
	name: string;
	description: string;
	schema: S;
	queue: QueueOptions & { policy?: QueuePolicy };
	/** Named SQL the handler uses; checked at start-up. */
	sql?: readonly string[];
	/**
	 * A job that runs every minute (the Pulse tick and its runs): its "job completed" line is
	 * debug, not info, so a person watching the log sees what changed rather than the clock.
	 */
	routine?: boolean;
	/** Worker polling and batch tuning (defaults: config.queue.pollingIntervalSeconds, batch 1). */
	work?: { pollingIntervalSeconds?: number; localConcurrency?: number };
	handler(data: z.output<S>, ctx: JobContext): Promise<unknown>;
}

/** Keeps the schema's type tied to the handler's parameter. */
export function defineJob<S extends z.ZodType>(
	def: JobDefinition<S>,
): JobDefinition<S> {
	return def;
}

/** What the deliver job needs from chat: the channel adapters and the payload renderer. */
export interface ChatRuntime {
	channels: ChannelSet;
	render: RenderDelivery;
}
