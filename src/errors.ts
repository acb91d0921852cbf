/** Machine-readable error codes; one per way things fail that a caller may want to tell apart. */
export type ErrorCode =
	| "config_invalid"
	| "config_missing_env"
	| "config_unreadable"
	| "db_unreachable"
	| "embedded_pg_failed"
	| "migration_edited"
	| "migration_failed"
	| "job_payload_invalid"
	| "job_failed"
	| "usage"
	| "ingest_busy"
	| "compute_busy"
	| "ingest_rejects_exceeded"
	| "mapping_invalid"
	| "source_unknown"
	| "demo_options_invalid"
	| "data_unavailable"
	| "pulse_invalid"
	| "pulse_not_found";

/**
 * The one error type the engine throws on purpose. `retryable` tells the job wrapper whether
 * trying again later can help (a database that is down) or not (a payload that is wrong).
 */
export class AppError extends Error {
	readonly code: ErrorCode;
	readonly retryable: boolean;

	constructor(
		code: ErrorCode,
		message: string,
		opts: { retryable?: boolean; cause?: unknown } = {},
	) {
		super(message, { cause: opts.cause });
		this.name = "AppError";
		this.code = code;
		this.retryable = opts.retryable ?? false;
	}
}

/** Network and server-side failures worth retrying: connection refused/reset, Postgres shutting down, serialization failures. */
export function isTransient(err: unknown): boolean {
	if (err instanceof AppError) return err.retryable;
	const code = (err as { code?: unknown } | null)?.code;
	if (typeof code !== "string") return false;
	return (
		[
			"ECONNREFUSED",
			"ECONNRESET",
			"ETIMEDOUT",
			"EPIPE",
			"ENOTFOUND",
			"EAI_AGAIN",
		].includes(code) ||
		code === "40001" || // serialization_failure
		code === "40P01" || // deadlock_detected
		code.startsWith("08") || // connection exceptions
		code === "57P01" || // admin_shutdown
		code === "57P03" // cannot_connect_now
	);
}

export function errorMessage(err: unknown): string {
	// A connection refused to several addresses is an AggregateError with an empty message.
	if (err instanceof AggregateError && !err.message)
		return err.errors.map(errorMessage).join("; ");
	if (err instanceof Error) return err.message;
	// Some libraries (pg-boss, for one) emit plain objects; "[object Object]" tells nobody anything.
	if (err && typeof err === "object") {
		const m = (err as { message?: unknown }).message;
		if (typeof m === "string" && m) return m;
		try {
			return JSON.stringify(err).slice(0, 500);
		} catch {
			return String(err);
		}
	}
	return String(err);
}
