/**
 * How the bot talks to Discord's REST API: @discordjs/rest (what discord.js itself uses), with
 * its `api` base pointed at DISCORD_API_URL when set (tests use a loopback stand-in), and
 * Discord errors turned into ChatSendError.
 *
 * Rate limits: the library keeps a queue per route bucket and, on a 429, waits Retry-After and
 * tries again; one channel's limit never holds up another's. A wait up to
 * DISCORD_INLINE_WAIT_MAX_MS is done in place, so a short limit costs a moment and the message
 * still goes out. A longer one is rejected (RateLimitError) and becomes a ChatSendError with
 * `retryAfterSeconds`, which the outbox turns into next_attempt_at — the same "fail fast, retry
 * that one delivery later" policy as the Slack client.
 */
// Before @discordjs/rest, so it loads after the charts (see the file).
import "./set-tojson-fix.ts";
import {
	DiscordAPIError,
	HTTPError,
	RateLimitError,
	type RawFile,
	REST,
	type RequestData,
} from "@discordjs/rest";
import type { Logger } from "../../log.ts";
import { ChatSendError } from "../channel.ts";
import type { DiscordPayload } from "./types.ts";

/** Longest rate-limit wait done in place; longer ones go back to the outbox. */
export const DISCORD_INLINE_WAIT_MAX_MS = 10_000;
/** Per-request timeout. */
export const DISCORD_TIMEOUT_MS = 10_000;
/** Retries of a 5xx or a timeout, by the library. */
export const DISCORD_RETRIES = 2;

/** The REST client. `apiUrl` is the API base without the version (default https://discord.com/api). */
export function createDiscordRest(opts: {
	botToken: string;
	apiUrl?: string;
	log: Logger;
}): REST {
	const rest = new REST({
		...(opts.apiUrl ? { api: opts.apiUrl } : {}),
		timeout: DISCORD_TIMEOUT_MS,
		retries: DISCORD_RETRIES,
		rejectOnRateLimit: (d) => d.retryAfter > DISCORD_INLINE_WAIT_MAX_MS,
	}).setToken(opts.botToken);
	const log = opts.log.child({ part: "discord-rest" });
	// The bucket route has ids and tokens replaced (/webhooks/:id/:token), so it is safe to log.
	rest.on("rateLimited", (d) =>
		log.warn(
			{ route: d.route, retryAfterMs: d.retryAfter, global: d.global },
			"discord rate limit: waiting",
		),
	);
	return rest;
}

/** Discord error codes that no retry will fix. */
const PERMANENT_STATUS = new Set([400, 401, 403, 404, 405, 413]);

/** A REST failure as a ChatSendError: rate limits carry Retry-After, 4xx are permanent. */
export function discordError(err: unknown, what: string): ChatSendError {
	if (err instanceof ChatSendError) return err;
	if (err instanceof RateLimitError) {
		const seconds = Math.max(1, Math.ceil(err.retryAfter / 1000));
		return new ChatSendError(
			"rate_limited",
			`${what}: Discord asked to wait ${seconds} s`,
			{ retryable: true, retryAfterSeconds: seconds, cause: err },
		);
	}
	if (err instanceof DiscordAPIError)
		return new ChatSendError(
			`discord_${err.code}`,
			`${what}: Discord answered ${err.status} (${err.code}: ${err.message})`,
			{ retryable: !PERMANENT_STATUS.has(err.status), cause: err },
		);
	if (err instanceof HTTPError)
		return new ChatSendError(
			`http_${err.status}`,
			`${what}: Discord answered HTTP ${err.status}`,
			{ retryable: !PERMANENT_STATUS.has(err.status), cause: err },
		);
	return new ChatSendError(
		"request_failed",
		`${what}: ${(err as Error)?.message ?? String(err)}`,
		{ retryable: true, cause: err },
	);
}

/** True for Discord's "a thread has already been created for this message". */
export function isThreadAlreadyCreated(err: unknown): boolean {
	return err instanceof DiscordAPIError && err.code === 160004;
}

/**
 * A serialized message as a REST request: JSON, or multipart (`payload_json` + `files[n]`) when
 * it carries files, with an `attachments` entry per file giving its alt text. Mentions are
 * always off: nothing the bot posts can ping anyone.
 *
 * Without files, `attachments` is left out, which keeps the files a message already has (an
 * edit then still shows its chart); with files, the list names only the new ones, so an edit
 * replaces the old chart instead of piling up charts.
 */
export function messageRequest(
	payload: DiscordPayload,
	extra: Record<string, unknown> = {},
): RequestData {
	const { files, ...json } = payload;
	const body: Record<string, unknown> = {
		...json,
		allowed_mentions: { parse: [] },
		...extra,
	};
	if (!files?.length) return { body };
	body.attachments = files.map((f, i) => ({
		id: i,
		filename: f.name,
		...(f.description ? { description: f.description } : {}),
	}));
	const raw: RawFile[] = files.map((f, i) => ({
		key: `files[${i}]`,
		name: f.name,
		data: f.data,
		contentType: "image/png",
	}));
	return { body, files: raw };
}
