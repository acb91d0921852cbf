import { AppError, NETWORK_CODES } from "../errors.ts";
import type { SourceKind } from "./types.ts";

/** How reading a source can fail, as far as a caller needs to tell apart. */
export type SourceErrorCode =
	| "source_unreachable"
	| "source_auth"
	| "source_query"
	| "source_timeout"
	| "source_missing_object"
	| "source_bad_identifier"
	| "source_unsupported"
	| "source_bad_file";

/** Whether trying again later can help, per code (a classifier may override it, e.g. for deadlocks). */
const RETRYABLE: Record<SourceErrorCode, boolean> = {
	source_unreachable: true,
	source_timeout: true,
	source_auth: false,
	source_query: false,
	source_missing_object: false,
	source_bad_identifier: false,
	source_unsupported: false,
	source_bad_file: false,
};

const WHAT: Record<SourceErrorCode, string> = {
	source_unreachable: "cannot be reached",
	source_timeout: "did not answer in time",
	source_auth: "refused the login or the permission",
	source_query: "rejected the query",
	source_missing_object: "has no such object",
	source_bad_identifier: "cannot take that name",
	source_unsupported: "cannot do that",
	source_bad_file: "has an unreadable file",
};

/** The error every connector throws. The message names the source kind and host/file, never a password. */
export class SourceError extends AppError<SourceErrorCode> {
	constructor(
		code: SourceErrorCode,
		message: string,
		opts: { retryable?: boolean; cause?: unknown } = {},
	) {
		super(code, message, {
			retryable: opts.retryable ?? RETRYABLE[code],
			cause: opts.cause,
		});
		this.name = "SourceError";
	}
}

/** Where a source is, for messages: kind, "host:port/database" or a path, and the secrets to keep out of them. */
export interface SourceLabel {
	kind: SourceKind;
	where: string;
	secrets: readonly string[];
}

/** What a driver-specific classifier makes of a driver error. */
export interface Classified {
	code: SourceErrorCode;
	retryable?: boolean;
}

export function sourceError(
	label: SourceLabel,
	code: SourceErrorCode,
	detail: string,
	opts: { retryable?: boolean; cause?: unknown } = {},
): SourceError {
	const message = scrub(
		`${label.kind} source ${label.where} ${WHAT[code]}: ${detail}`,
		label.secrets,
	);
	return new SourceError(code, message, opts);
}

/** Wraps a driver error; SourceErrors and aborts pass through unchanged. */
export function wrapError(
	label: SourceLabel,
	err: unknown,
	classify: (err: unknown) => Classified,
): unknown {
	if (err instanceof SourceError || isAbort(err)) return err;
	const c = isNetworkError(err)
		? { code: "source_unreachable" as const }
		: classify(err);
	const detail =
		err instanceof Error
			? err.message || String((err as { code?: unknown }).code)
			: String(err);
	return sourceError(label, c.code, detail, {
		retryable: c.retryable,
		cause: err,
	});
}

/** Connection refused/reset and the like, including errors that wrap one (AggregateError from dual-stack connects). */
export function isNetworkError(err: unknown): boolean {
	if (!err || typeof err !== "object") return false;
	const code = (err as { code?: unknown }).code;
	if (typeof code === "string" && NETWORK_CODES.has(code)) return true;
	const inner = (err as { errors?: unknown }).errors;
	return Array.isArray(inner) && inner.some(isNetworkError);
}

export function isAbort(err: unknown): boolean {
	return err instanceof Error && err.name === "AbortError";
}

/** Replaces every secret (and its URL-encoded form) in a message with "***". */
export function scrub(message: string, secrets: readonly string[]): string {
	let out = message;
	for (const s of secrets) {
		if (!s) continue;
		for (const form of new Set([s, encodeURIComponent(s)]))
			out = out.split(form).join("***");
	}
	return out;
}

/**
 * What a failed call throws: the abort reason when the caller aborted, a retryable timeout when
 * the wait budget ran out (the driver then reports only a cancel or a lost connection), else the
 * classified driver error.
 */
export function failure(
	label: SourceLabel,
	err: unknown,
	classify: (err: unknown) => Classified,
	ctx: {
		signal?: AbortSignal | undefined;
		timedOut?: boolean;
		timeoutMs?: number;
	},
): unknown {
	if (ctx.signal?.aborted) return ctx.signal.reason;
	if (ctx.timedOut)
		return sourceError(
			label,
			"source_timeout",
			`no answer within ${ctx.timeoutMs} ms (queryTimeoutMs)`,
			{ cause: err },
		);
	return wrapError(label, err, classify);
}
