import type { Job, JobResult } from "pg-boss";
import { errorMessage, isTransient } from "../errors.ts";
import type { Logger } from "../log.ts";
import type { JobDefinition, JobDeps } from "./job.ts";

export type JobOutcome = "completed" | "retry" | "dead_letter";

export type JobObserver = (
	queue: string,
	outcome: JobOutcome,
	seconds: number,
) => void;

/**
 * The one wrapper every job runs through: validates the payload, runs the handler with a logger
 * that carries the queue and job id, and classifies failures. A transient failure (database down,
 * network) is reported as failed so pg-boss retries it; a bad payload or a non-retryable error goes
 * straight to the dead-letter queue, because retrying cannot fix it.
 */
export async function runJob(
	def: JobDefinition,
	job: Job<unknown>,
	deps: JobDeps,
	log: Logger,
	observe: JobObserver = () => {},
): Promise<JobResult> {
	const started = performance.now();
	const jobLog = log.child({
		queue: def.name,
		jobId: job.id,
		attempt: job.retryCount + 1,
	});
	const done = (
		status: JobResult["status"],
		outcome: JobOutcome,
		output?: object,
	): JobResult => {
		observe(def.name, outcome, (performance.now() - started) / 1000);
		return { id: job.id, status, ...(output ? { output } : {}) };
	};
	const parsed = def.schema.safeParse(job.data ?? {});
	if (!parsed.success) {
		const reason = parsed.error.issues
			.map((i) => `${i.path.join(".") || "(payload)"}: ${i.message}`)
			.join("; ");
		jobLog.error({ reason }, "job payload invalid; dead-lettered");
		return done("deadletter", "dead_letter", {
			error: `invalid payload: ${reason}`,
		});
	}
	try {
		const output = await def.handler(parsed.data, {
			...deps,
			log: jobLog,
			signal: job.signal,
			jobId: job.id,
			attempt: job.retryCount + 1,
		});
		jobLog[def.routine ? "debug" : "info"](
			{ ms: Math.round(performance.now() - started) },
			"job completed",
		);
		return done(
			"completed",
			"completed",
			output && typeof output === "object"
				? output
				: { result: output ?? null },
		);
	} catch (err) {
		const retry = isTransient(err) || job.signal.aborted;
		jobLog.error(
			{ err: errorMessage(err), code: (err as { code?: string }).code, retry },
			retry ? "job failed; will retry" : "job failed; dead-lettered",
		);
		return done(
			retry ? "failed" : "deadletter",
			retry ? "retry" : "dead_letter",
			{ error: errorMessage(err) },
		);
	}
}
