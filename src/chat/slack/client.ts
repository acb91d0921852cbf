/**
 * How the bot talks to Slack's Web API: options for Bolt's `clientOptions` (and the outbox's
 * WebClient), and Web API errors turned into ChatSendError.
 *
 * The SDK's default retries 10 times over about 30 minutes and, on a 429, pauses its whole
 * request queue for Retry-After: one rate-limited channel would then freeze every other post and
 * every button. An alerting bot wants the opposite: fail fast, let the outbox retry that one
 * delivery later, keep the rest moving. So: `rejectRateLimitedCalls` (a 429 throws with its
 * retryAfter, which the outbox turns into next_attempt_at), two quick retries for network errors,
 * and a 10 s request timeout.
 */
import {
	LogLevel,
	type RetryOptions,
	type Logger as SlackLogger,
	type WebClientOptions,
} from "@slack/web-api";
import type { Logger } from "../../log.ts";
import { ChatSendError } from "../channel.ts";

/** Network-error retries: two more tries within about three seconds. */
export const SLACK_RETRY: RetryOptions = {
	retries: 2,
	factor: 2,
	minTimeout: 500,
	maxTimeout: 2_000,
	randomize: true,
};

/** Per-request timeout; Slack answers in well under a second when it is healthy. */
export const SLACK_TIMEOUT_MS = 10_000;

/** WebClient options; `slackApiUrl` points tests at a loopback stand-in. */
export function slackClientOptions(
	log: Logger,
	slackApiUrl?: string,
): WebClientOptions {
	return {
		...(slackApiUrl ? { slackApiUrl } : {}),
		retryConfig: SLACK_RETRY,
		timeout: SLACK_TIMEOUT_MS,
		rejectRateLimitedCalls: true,
		logger: slackLogger(log),
	};
}

/** The Slack SDKs' logger interface over pino, so their lines are JSON and scrubbed like ours. */
export function slackLogger(log: Logger): SlackLogger {
	const child = log.child({ part: "slack-sdk" });
	let level = LogLevel.WARN;
	const join = (msg: unknown[]) =>
		msg.map((m) => (typeof m === "string" ? m : JSON.stringify(m))).join(" ");
	return {
		debug: (...m) => child.debug(join(m)),
		info: (...m) => child.info(join(m)),
		warn: (...m) => child.warn(join(m)),
		error: (...m) => child.error(join(m)),
		setLevel: (l) => {
			level = l;
		},
		getLevel: () => level,
		setName: () => {},
	};
}

/** Slack errors that no retry will fix (bad request or configuration). */
const PERMANENT = new Set([
	"invalid_blocks",
	"invalid_arguments",
	"invalid_auth",
	"not_authed",
	"account_inactive",
	"token_revoked",
	"missing_scope",
	"channel_not_found",
	"is_archived",
	"msg_too_long",
	"no_text",
	"cant_update_message",
	"message_not_found",
	"invalid_metadata_format",
	"invalid_metadata_schema",
]);

/** A Web API failure as a ChatSendError: rate limits carry Retry-After, bad requests are permanent. */
export function slackError(err: unknown, method: string): ChatSendError {
	const e = err as {
		code?: string;
		retryAfter?: number;
		data?: { error?: string };
		statusCode?: number;
		message?: string;
	};
	if (e.code === "slack_webapi_rate_limited_error")
		return new ChatSendError(
			"rate_limited",
			`${method}: Slack asked to wait ${e.retryAfter} s`,
			{
				retryable: true,
				retryAfterSeconds: e.retryAfter ?? 1,
				cause: err,
			},
		);
	if (e.code === "slack_webapi_platform_error") {
		const code = e.data?.error ?? "unknown";
		return new ChatSendError(code, `${method} answered ${code}`, {
			retryable: !PERMANENT.has(code),
			cause: err,
		});
	}
	return new ChatSendError(
		"request_failed",
		`${method}: ${e.message ?? String(err)}`,
		{
			retryable: true,
			cause: err,
		},
	);
}
