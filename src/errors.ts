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
	| "ingest_watermark_invalid"
	| "mapping_invalid"
	| "source_unknown"
	| "demo_options_invalid"
	| "data_unavailable"
	| "pulse_invalid"
	| "pulse_not_found";

/**
 * The one error type the engine throws on purpose: every module's own error (SourceError,
 * ChatSendError, PayloadError, AlertNotFoundError, TokenizeError) is one, with its own codes.
 * `code` says which way it failed, `retryable` tells the job wrapper whether trying again later
 * can help (a database that is down) or not (a payload that is wrong), `cause` keeps what a
 * library threw. The job wrapper (isTransient), the chat replies (commands/dispatch.ts) and the
 * CLI's exit code (src/cli.ts) read these three and nothing else.
 */
export class AppError<C extends string = ErrorCode> extends Error {
	readonly code: C;
	readonly retryable: boolean;

	constructor(
		code: C,
		message: string,
		opts: { retryable?: boolean; cause?: unknown } = {},
	) {
		super(message, { cause: opts.cause });
		this.name = "AppError";
		this.code = code;
		this.retryable = opts.retryable ?? false;
	}
}

/** Node's (and mysql2's) codes for a connection refused, reset, timed out or lost. */
export const NETWORK_CODES: ReadonlySet<string> = new Set([
	"ECONNREFUSED",
	"ECONNRESET",
	"ETIMEDOUT",
	"EPIPE",
	"ENOTFOUND",
	"EAI_AGAIN",
	"EHOSTUNREACH",
	"ENETUNREACH",
	"ECONNABORTED",
	"PROTOCOL_CONNECTION_LOST",
]);

/** Error codes (Node's and SQLSTATE) of failures that trying again later can fix. */
const TRANSIENT_CODES = new Set([
	...NETWORK_CODES,
	"40001", // serialization_failure
	"40P01", // deadlock_detected
	"53300", // too_many_connections
	"55P03", // lock_not_available
	"57014", // query_canceled: a statement timeout, pg_cancel_backend or a restart's cancel
	"57P01", // admin_shutdown
	"57P02", // crash_shutdown
	"57P03", // cannot_connect_now
]);

/**
 * What node-postgres throws, with no code, when the server goes away under it (a Postgres
 * restart): the connection ended mid-query, the pool could not connect in time, or the client is
 * broken.
 */
const TRANSIENT_MESSAGES = [
	/^Connection terminated/,
	/^Client has encountered a connection error/,
	/^timeout exceeded when trying to connect/,
	/^Client was closed and is not queryable/,
	/^Query read timeout/,
];

/**
 * The one rule the job wrapper applies: an error that says whether it is `retryable` (every
 * AppError, or any other carrying the flag) is taken at its word; otherwise a
 * network or server-side failure (connection refused or lost, Postgres shutting down or cancelling,
 * serialization failures) is transient. A wrapper error without either defers to its `cause`.
 */
export function isTransient(err: unknown, depth = 0): boolean {
	if (!err || typeof err !== "object" || depth > 8) return false;
	const flag = (err as { retryable?: unknown }).retryable;
	if (typeof flag === "boolean") return flag;
	const code = (err as { code?: unknown }).code;
	if (
		typeof code === "string" &&
		(TRANSIENT_CODES.has(code) || code.startsWith("08"))
	)
		return true;
	const message = (err as { message?: unknown }).message;
	if (
		typeof message === "string" &&
		TRANSIENT_MESSAGES.some((m) => m.test(message))
	)
		return true;
	if (
		err instanceof AggregateError &&
		err.errors.some((e) => isTransient(e, depth + 1))
	)
		return true;
	return isTransient((err as { cause?: unknown }).cause, depth + 1);
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
