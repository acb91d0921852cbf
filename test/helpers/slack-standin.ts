/**
 * A loopback stand-in for Slack's Web API: a node:http server on 127.0.0.1 that records every
 * call and answers the way Slack does (`{ ok: true, ts, channel }`, the files v2 trio with an
 * upload URL on this same server, conversations.history with message metadata, response_url
 * posts), and answers 429 with Retry-After when asked to. `next` resolves the moment a call is
 * recorded, so a test waits without polling and a bench can time a reply end to end.
 */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { parse as parseQuery } from "node:querystring";

/** One recorded call: the API method (or "upload" / "respond") and its decoded arguments. */
export interface Call {
	method: string;
	args: Record<string, unknown>;
	raw: Buffer;
	/** The request path ("/api/chat.postMessage", "/respond/<id>"). */
	path: string;
	/** performance.now() when the call was recorded (its body read). */
	at: number;
	/** True when the stand-in answered 429 or an error instead of doing the call. */
	refused?: boolean;
}

interface Posted {
	channel: string;
	ts: string;
	thread_ts?: string;
	metadata?: unknown;
	text?: string;
}

export interface SlackStandIn {
	url: string;
	apiUrl: string;
	calls: Call[];
	callsOf(method: string): Call[];
	/** The next call recorded that `match` accepts; rejects after `timeoutMs`. */
	next(match: (call: Call) => boolean, timeoutMs?: number): Promise<Call>;
	/** The next `count` calls of `method` answer 429 with Retry-After: `seconds`. */
	rateLimit(method: string, seconds: number, count?: number): void;
	/** The next call of `method` answers `{ ok: false, error }`. */
	failNext(method: string, error: string): void;
	/** Every call of `method` is done at once (a post is recorded) but answered `ms` later: a slow link. */
	slowDown(method: string, ms: number): void;
	/** Other people's messages in `channel` (or a thread), posted now, as a busy channel has. */
	addMessages(channel: string, count: number, threadTs?: string): void;
	close(): Promise<void>;
}

const JSON_FIELDS = ["blocks", "attachments", "metadata", "files"];

function decode(
	body: Buffer,
	type: string | undefined,
): Record<string, unknown> {
	if (type?.startsWith("application/json"))
		return JSON.parse(body.toString() || "{}");
	if (type?.startsWith("application/x-www-form-urlencoded")) {
		const form = parseQuery(body.toString()) as Record<string, unknown>;
		for (const f of JSON_FIELDS)
			if (typeof form[f] === "string") form[f] = JSON.parse(form[f] as string);
		return form;
	}
	return {};
}

async function read(req: IncomingMessage): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const c of req) chunks.push(c as Buffer);
	return Buffer.concat(chunks);
}

/** Starts the stand-in on an ephemeral port. */
export async function startSlackStandIn(): Promise<SlackStandIn> {
	const calls: Call[] = [];
	const posted: Posted[] = [];
	const limits = new Map<string, { seconds: number; count: number }>();
	const failures = new Map<string, string>();
	const delays = new Map<string, number>();
	const waiters = new Set<(call: Call) => void>();
	let seq = 0;
	let fileSeq = 0;
	// As Slack's: the posting second, then a sequence that keeps every ts unique.
	const nextTs = () =>
		`${Math.floor(Date.now() / 1000)}.${String(++seq).padStart(6, "0")}`;
	let base = "";
	const server = createServer(async (req, res) => {
		const raw = await read(req);
		const path = new URL(req.url ?? "/", "http://x").pathname;
		const method = path.startsWith("/api/")
			? path.slice(5)
			: (path.split("/")[1] ?? "");
		const args = decode(raw, req.headers["content-type"]);
		const call: Call = { method, args, raw, path, at: performance.now() };
		calls.push(call);
		for (const w of waiters) w(call);
		const json = (
			status: number,
			body: unknown,
			headers: Record<string, string> = {},
		) => {
			const answer = () => {
				if (res.destroyed) return;
				res.writeHead(status, {
					"content-type": "application/json",
					...headers,
				});
				res.end(JSON.stringify(body));
			};
			const delay = delays.get(method);
			if (delay) setTimeout(answer, delay);
			else answer();
		};
		const limit = limits.get(method);
		if (limit && limit.count > 0) {
			limit.count--;
			call.refused = true;
			return json(
				429,
				{ ok: false, error: "ratelimited" },
				{ "retry-after": String(limit.seconds) },
			);
		}
		const failure = failures.get(method);
		if (failure) {
			failures.delete(method);
			call.refused = true;
			return json(200, { ok: false, error: failure });
		}
		switch (method) {
			case "auth.test":
				return json(200, {
					ok: true,
					user_id: "UBOT",
					bot_id: "BBOT",
					team_id: "T1",
					user: "erp-pulse",
				});
			case "chat.postMessage": {
				const ts = nextTs();
				posted.push({
					channel: String(args.channel),
					ts,
					...(args.thread_ts ? { thread_ts: String(args.thread_ts) } : {}),
					metadata: args.metadata,
					text: String(args.text ?? ""),
				});
				return json(200, {
					ok: true,
					ts,
					channel: args.channel,
					message: { ts },
				});
			}
			case "chat.update":
				return json(200, { ok: true, ts: args.ts, channel: args.channel });
			case "files.getUploadURLExternal": {
				const id = `F${String(++fileSeq).padStart(9, "0")}`;
				return json(200, {
					ok: true,
					upload_url: `${base}/upload/${id}`,
					file_id: id,
				});
			}
			case "upload":
				res.writeHead(200, { "content-type": "text/plain" });
				return res.end(`OK - ${raw.length}`);
			case "files.completeUploadExternal":
				return json(200, {
					ok: true,
					files: (args.files as { id: string; title?: string }[]).map((f) => ({
						id: f.id,
						title: f.title,
					})),
				});
			case "conversations.history":
				return json(
					200,
					page(
						posted
							.filter(
								(p) =>
									p.channel === args.channel &&
									!p.thread_ts &&
									after(p.ts, args.oldest),
							)
							.reverse()
							.map((p) => ({
								type: "message",
								ts: p.ts,
								text: p.text,
								...(p.metadata ? { metadata: p.metadata } : {}),
							})),
						args,
					),
				);
			case "conversations.replies":
				return json(
					200,
					page(
						posted
							.filter(
								(p) =>
									p.channel === args.channel &&
									(p.ts === args.ts || p.thread_ts === args.ts) &&
									after(p.ts, args.oldest),
							)
							.map((p) => ({
								type: "message",
								ts: p.ts,
								thread_ts: p.thread_ts ?? p.ts,
								...(p.metadata ? { metadata: p.metadata } : {}),
							})),
						args,
					),
				);
			case "respond":
				res.writeHead(200, { "content-type": "text/plain" });
				return res.end("ok");
			default:
				return json(200, { ok: false, error: "unknown_method" });
		}
	});
	await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
	base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	return {
		url: base,
		apiUrl: `${base}/api/`,
		calls,
		callsOf: (m) => calls.filter((c) => c.method === m),
		next: (match, timeoutMs = 30_000) =>
			new Promise<Call>((resolve, reject) => {
				const timer = setTimeout(() => {
					waiters.delete(waiter);
					reject(new Error(`no matching Slack call within ${timeoutMs} ms`));
				}, timeoutMs);
				const waiter = (call: Call) => {
					if (!match(call)) return;
					clearTimeout(timer);
					waiters.delete(waiter);
					resolve(call);
				};
				waiters.add(waiter);
			}),
		rateLimit: (m, seconds, count = 1) => limits.set(m, { seconds, count }),
		failNext: (m, error) => failures.set(m, error),
		slowDown: (m, ms) => delays.set(m, ms),
		addMessages(channel, count, threadTs) {
			for (let i = 0; i < count; i++)
				posted.push({
					channel,
					ts: nextTs(),
					...(threadTs ? { thread_ts: threadTs } : {}),
					text: `chatter ${i}`,
				});
		},
		close: () =>
			new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			}),
	};
}

/** Slack's `oldest`: only messages after it (exclusive, as Slack's default `inclusive: false`). */
function after(ts: string, oldest: unknown): boolean {
	return oldest === undefined || Number(ts) > Number(oldest);
}

/** One page as Slack pages history: `limit` (default 100) from the cursor, and the next cursor. */
function page(messages: unknown[], args: Record<string, unknown>) {
	const limit = Math.min(Number(args.limit ?? 100) || 100, 1000);
	const offset = args.cursor ? Number(args.cursor) : 0;
	const slice = messages.slice(offset, offset + limit);
	const more = offset + limit < messages.length;
	return {
		ok: true,
		messages: slice,
		has_more: more,
		response_metadata: { next_cursor: more ? String(offset + limit) : "" },
	};
}
