/**
 * What every request to the Slack endpoint passes before Bolt sees it:
 *
 * - a body of at most MAX_BODY_BYTES (413 past it);
 * - `X-Slack-Request-Timestamp` a whole number of seconds within MAX_SKEW_SECONDS of now, in
 *   either direction (Bolt refuses only old ones, so a request dated in the future stayed
 *   replayable for ever), and a valid v0 signature over it (401 otherwise);
 * - a signature not seen in the last REPLAY_WINDOW_SECONDS: a replayed request (the same signed
 *   bytes again) is answered 200 and does nothing, so a click, a snooze or a slash command acts
 *   once however often it is resent;
 * - a body of a shape the listeners handle (a slash command with its fields, an interaction
 *   payload that is an object with its type's fields, JSON for events): anything else gets 400
 *   with the reason, never a listener error.
 *
 * The verified body is handed to Bolt pre-read (`rawBody`), which Bolt accepts as it is.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { parse as parseQuery } from "node:querystring";
import { errorMessage } from "../../errors.ts";
import { readBody } from "../../http/body.ts";
import type { Logger } from "../../log.ts";

/** Slack's own bound on request age, applied both ways. */
export const MAX_SKEW_SECONDS = 300;
/** How long a handled request's signature is remembered (longer than the skew window). */
export const REPLAY_WINDOW_SECONDS = 2 * MAX_SKEW_SECONDS;
/** Slack's payloads are a few KB; a slash command's text at most 4,000 characters. */
export const MAX_BODY_BYTES = 256 * 1024;
/** Remembered signatures at most (the oldest are forgotten first). */
const MAX_REMEMBERED = 100_000;

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

export interface GuardOptions {
	signingSecret: string;
	log: Logger;
	/** Epoch milliseconds; tests move it. */
	now?: () => number;
}

/** Wraps Bolt's request listener with the checks above. */
export function guardSlackRequests(
	listener: Listener,
	opts: GuardOptions,
): Listener {
	const now = opts.now ?? Date.now;
	const seen = new Map<string, number>();
	const refuse = (res: ServerResponse, status: number, reason: string) => {
		res.writeHead(status, { "content-type": "text/plain; charset=utf-8" });
		res.end(reason);
	};
	return (req, res) => {
		readBody(req, MAX_BODY_BYTES)
			.then((raw) => {
				if (raw === null)
					return refuse(res, 413, `request body over ${MAX_BODY_BYTES} bytes`);
				const problem = check(req, raw, opts.signingSecret, now());
				if (problem) {
					opts.log.warn(
						{ status: problem.status, reason: problem.reason },
						"slack request refused",
					);
					return refuse(res, problem.status, problem.reason);
				}
				const signature = header(req, "x-slack-signature");
				if (signature) {
					forgetExpired(seen, now());
					if (seen.has(signature)) {
						opts.log.info("slack request replayed; ignored");
						return refuse(res, 200, "");
					}
					seen.set(signature, now() + REPLAY_WINDOW_SECONDS * 1000);
					if (seen.size > MAX_REMEMBERED) {
						const oldest = seen.keys().next().value;
						if (oldest !== undefined) seen.delete(oldest);
					}
				}
				(req as IncomingMessage & { rawBody?: Buffer }).rawBody = raw;
				listener(req, res);
			})
			.catch((err: unknown) => {
				opts.log.warn({ err: errorMessage(err) }, "slack request failed");
				if (!res.headersSent) refuse(res, 400, "unreadable request");
			});
	};
}

function header(req: IncomingMessage, name: string): string | undefined {
	const v = req.headers[name];
	return typeof v === "string" ? v : undefined;
}

function forgetExpired(seen: Map<string, number>, at: number): void {
	for (const [sig, until] of seen) {
		if (until > at) break;
		seen.delete(sig);
	}
}

/** Why a request is refused (status and a sentence), or null when it may go on. */
export function check(
	req: IncomingMessage,
	raw: Buffer,
	secret: string,
	nowMs: number,
): { status: number; reason: string } | null {
	const type = (header(req, "content-type") ?? "").split(";")[0]?.trim();
	const text = raw.toString("utf8");
	const form = type === "application/x-www-form-urlencoded";
	// Slack's unsigned SSL check; Bolt strips anything else from it.
	if (form && parseQuery(text).ssl_check === "1") return null;
	const ts = header(req, "x-slack-request-timestamp") ?? "";
	if (!/^\d{1,11}$/.test(ts))
		return {
			status: 401,
			reason: "x-slack-request-timestamp must be a whole number of seconds",
		};
	if (Math.abs(nowMs / 1000 - Number(ts)) > MAX_SKEW_SECONDS)
		return {
			status: 401,
			reason: `x-slack-request-timestamp is more than ${MAX_SKEW_SECONDS / 60} minutes from now`,
		};
	const signature = header(req, "x-slack-signature") ?? "";
	const expected = `v0=${createHmac("sha256", secret).update(`v0:${ts}:${text}`).digest("hex")}`;
	if (
		signature.length !== expected.length ||
		!timingSafeEqual(Buffer.from(signature), Buffer.from(expected))
	)
		return { status: 401, reason: "signature mismatch" };
	return form ? checkForm(text) : checkJson(text);
}

const INTERACTIONS: Record<
	string,
	(p: Record<string, unknown>) => string | null
> = {
	block_actions: (p) =>
		!Array.isArray(p.actions) || p.actions.length === 0
			? "a block_actions payload needs its actions"
			: !isObject(p.user) || typeof p.user.id !== "string"
				? "a block_actions payload needs the user who clicked"
				: null,
	view_submission: (p) =>
		!isObject(p.view) ? "a view_submission payload needs its view" : null,
	view_closed: (p) =>
		!isObject(p.view) ? "a view_closed payload needs its view" : null,
	block_suggestion: (p) =>
		typeof p.action_id !== "string"
			? "a block_suggestion payload needs its action_id"
			: null,
	shortcut: (p) =>
		typeof p.callback_id !== "string"
			? "a shortcut payload needs its callback_id"
			: null,
	message_action: (p) =>
		typeof p.callback_id !== "string"
			? "a message_action payload needs its callback_id"
			: null,
};

function isObject(v: unknown): v is Record<string, unknown> {
	return typeof v === "object" && v !== null && !Array.isArray(v);
}

function checkForm(text: string): { status: number; reason: string } | null {
	const form = parseQuery(text);
	if (typeof form.payload === "string") {
		let payload: unknown;
		try {
			payload = JSON.parse(form.payload);
		} catch {
			return { status: 400, reason: "payload is not JSON" };
		}
		if (!isObject(payload))
			return { status: 400, reason: "payload must be a JSON object" };
		const kind = typeof payload.type === "string" ? payload.type : "";
		const shape = INTERACTIONS[kind];
		if (!shape)
			return {
				status: 400,
				reason: `payload type ${JSON.stringify(kind).slice(0, 40)} is not an interaction this app handles`,
			};
		const problem = shape(payload);
		return problem ? { status: 400, reason: problem } : null;
	}
	for (const field of ["command", "user_id", "channel_id"])
		if (typeof form[field] !== "string" || form[field] === "")
			return {
				status: 400,
				reason: `a slash command needs ${field}; this body has no payload and no ${field}`,
			};
	if (form.text !== undefined && typeof form.text !== "string")
		return { status: 400, reason: "text must appear once" };
	return null;
}

function checkJson(text: string): { status: number; reason: string } | null {
	let body: unknown;
	try {
		body = JSON.parse(text);
	} catch {
		return { status: 400, reason: "body is not JSON" };
	}
	if (!isObject(body) || typeof body.type !== "string")
		return { status: 400, reason: "body must be a JSON object with a type" };
	return null;
}
