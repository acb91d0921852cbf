/**
 * A loopback stand-in for Discord's REST API (v10): a node:http server on 127.0.0.1 that records
 * every call (JSON, or multipart with `payload_json` and `files[n]` decoded) and answers the way
 * Discord does: messages with snowflake ids (an embed's `attachment://name` turned into a CDN
 * URL), nonce deduplication with `enforce_nonce`, threads started from a message (160004 the
 * second time), interaction webhooks (@original PATCH/DELETE, follow-ups), bulk command
 * registration, and 429 with Retry-After and the X-RateLimit headers when asked to.
 */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

/** A file uploaded with a call. */
export interface UploadedFile {
	field: string;
	name: string;
	type: string;
	data: Buffer;
}

/** One recorded call. `route` has ids replaced: "POST /channels/:id/messages". */
export interface Call {
	method: string;
	path: string;
	route: string;
	body: Record<string, unknown>;
	files: UploadedFile[];
	multipart: boolean;
	authorization?: string;
	/** True when the stand-in answered 429 or an error instead of doing the call. */
	refused?: boolean;
}

/** A message the stand-in holds. */
export interface StoredMessage {
	id: string;
	channel_id: string;
	embeds: { image?: { url: string } }[];
	components: unknown[];
	attachments: { id: string; filename: string }[];
	flags?: number;
	[key: string]: unknown;
}

export interface DiscordStandIn {
	url: string;
	/** The REST base to configure (DISCORD_API_URL): `${url}/api`. */
	apiUrl: string;
	calls: Call[];
	callsOf(route: string): Call[];
	messages: Map<string, StoredMessage>;
	/** The next `count` calls of `route` answer 429 with Retry-After: `seconds`. */
	rateLimit(route: string, seconds: number, count?: number): void;
	/** Stores a message as if posted earlier (for clicks on it); returns it. */
	seedMessage(
		channelId: string,
		message: Partial<StoredMessage>,
	): StoredMessage;
	close(): Promise<void>;
}

const BASE_ID = 1_300_000_000_000_000_000n;

async function read(req: IncomingMessage): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const c of req) chunks.push(c as Buffer);
	return Buffer.concat(chunks);
}

async function decode(
	raw: Buffer,
	type: string | undefined,
): Promise<{ body: Record<string, unknown>; files: UploadedFile[] }> {
	if (type?.startsWith("multipart/form-data")) {
		const form = await new Response(raw, {
			headers: { "content-type": type },
		}).formData();
		const files: UploadedFile[] = [];
		let body: Record<string, unknown> = {};
		for (const [field, value] of form.entries()) {
			if (typeof value === "string") {
				if (field === "payload_json") body = JSON.parse(value);
				continue;
			}
			files.push({
				field,
				name: value.name,
				type: value.type,
				data: Buffer.from(await value.arrayBuffer()),
			});
		}
		return { body, files };
	}
	if (type?.startsWith("application/json") && raw.length > 0)
		return { body: JSON.parse(raw.toString()), files: [] };
	return { body: {}, files: [] };
}

/** "/channels/1300…/messages" → "/channels/:id/messages"; webhook tokens → ":token". */
function routeOf(method: string, path: string): string {
	const p = path
		.replace(/^\/api\/v10/, "")
		.replace(/\/webhooks\/(\d+)\/[^/]+/, "/webhooks/:id/:token")
		.replace(/\/interactions\/(\d+)\/[^/]+/, "/interactions/:id/:token")
		.replace(/\d{17,20}/g, ":id");
	return `${method} ${p}`;
}

/** Starts the stand-in on an ephemeral port. */
export async function startDiscordStandIn(
	applicationId: string,
): Promise<DiscordStandIn> {
	const calls: Call[] = [];
	const messages = new Map<string, StoredMessage>();
	const nonces = new Map<string, string>();
	const threads = new Set<string>();
	const limits = new Map<string, { seconds: number; count: number }>();
	let seq = 0n;
	let base = "";
	const nextId = () => String(BASE_ID + ++seq);

	/** The message as Discord returns it: uploaded files get CDN URLs, embeds point at them. */
	function store(
		channelId: string,
		id: string,
		body: Record<string, unknown>,
		files: UploadedFile[],
		previous?: StoredMessage,
	): StoredMessage {
		const uploaded = files.map((f) => ({
			id: nextId(),
			filename: f.name,
			url: `${base}/cdn/attachments/${channelId}/${nextId()}/${f.name}`,
		}));
		const keep = Array.isArray(body.attachments)
			? (previous?.attachments ?? []).filter((a) =>
					(body.attachments as { id: unknown }[]).some(
						(x) => String(x.id) === a.id,
					),
				)
			: (previous?.attachments ?? []);
		const attachments =
			files.length || body.attachments ? [...keep, ...uploaded] : keep;
		const embeds = (
			(body.embeds as StoredMessage["embeds"] | undefined) ??
			previous?.embeds ??
			[]
		).map((e) => {
			const url = e.image?.url;
			if (!url?.startsWith("attachment://")) return e;
			const name = url.slice("attachment://".length);
			const file = [...attachments]
				.reverse()
				.find((a) => a.filename === name) as { url?: string } | undefined;
			return file?.url ? { ...e, image: { url: file.url } } : e;
		});
		const message: StoredMessage = {
			...previous,
			...body,
			id,
			channel_id: channelId,
			type: 0,
			author: { id: applicationId, username: "erp-pulse", bot: true },
			timestamp: new Date().toISOString(),
			embeds,
			components:
				(body.components as unknown[] | undefined) ??
				previous?.components ??
				[],
			attachments: attachments.map(({ id: aid, filename }) => ({
				id: aid,
				filename,
			})),
		};
		messages.set(id, message);
		return message;
	}

	const server = createServer(async (req, res) => {
		const raw = await read(req);
		// @discordjs/rest sends "@original" as "%40original", as Discord accepts.
		const path = decodeURIComponent(
			new URL(req.url ?? "/", "http://x").pathname,
		);
		const method = req.method ?? "GET";
		const route = routeOf(method, path);
		const { body, files } = await decode(raw, req.headers["content-type"]);
		const call: Call = {
			method,
			path,
			route,
			body,
			files,
			multipart: Boolean(
				req.headers["content-type"]?.startsWith("multipart/form-data"),
			),
			...(req.headers.authorization
				? { authorization: req.headers.authorization }
				: {}),
		};
		calls.push(call);
		const json = (
			status: number,
			payload: unknown,
			headers: Record<string, string> = {},
		) => {
			res.writeHead(status, {
				"content-type": "application/json",
				...headers,
			});
			res.end(JSON.stringify(payload));
		};
		const limit = limits.get(route);
		if (limit && limit.count > 0) {
			limit.count--;
			call.refused = true;
			return json(
				429,
				{
					message: "You are being rate limited.",
					retry_after: limit.seconds,
					global: false,
				},
				{
					"retry-after": String(limit.seconds),
					"x-ratelimit-limit": "5",
					"x-ratelimit-remaining": "0",
					"x-ratelimit-reset-after": String(limit.seconds),
					"x-ratelimit-scope": "user",
				},
			);
		}
		const parts = path.replace(/^\/api\/v10/, "").split("/");
		switch (route) {
			case "POST /channels/:id/messages": {
				const channelId = parts[2] as string;
				const nonce = body.enforce_nonce ? String(body.nonce ?? "") : "";
				const earlier = nonce ? nonces.get(`${channelId}:${nonce}`) : undefined;
				if (earlier) return json(200, messages.get(earlier));
				const message = store(channelId, nextId(), body, files);
				if (nonce) nonces.set(`${channelId}:${nonce}`, message.id);
				return json(200, message);
			}
			case "GET /channels/:id/messages/:id": {
				const message = messages.get(parts[4] as string);
				return message
					? json(200, message)
					: json(404, { message: "Unknown Message", code: 10008 });
			}
			case "PATCH /channels/:id/messages/:id": {
				const previous = messages.get(parts[4] as string);
				if (!previous)
					return json(404, { message: "Unknown Message", code: 10008 });
				return json(
					200,
					store(previous.channel_id, previous.id, body, files, previous),
				);
			}
			case "POST /channels/:id/messages/:id/threads": {
				const rootId = parts[4] as string;
				if (threads.has(rootId))
					return json(400, {
						message: "A thread has already been created for this message",
						code: 160004,
					});
				threads.add(rootId);
				return json(201, {
					id: rootId,
					type: 11,
					parent_id: parts[2],
					name: body.name,
				});
			}
			case "POST /webhooks/:id/:token": {
				const message = store("followup", nextId(), body, files);
				return json(200, message);
			}
			case "PATCH /webhooks/:id/:token/messages/@original":
				return json(200, store("original", nextId(), body, files));
			case "DELETE /webhooks/:id/:token/messages/@original":
				res.writeHead(204);
				return res.end();
			case "POST /interactions/:id/:token/callback":
				res.writeHead(204);
				return res.end();
			case "PUT /applications/:id/commands":
			case "PUT /applications/:id/guilds/:id/commands":
				return json(
					200,
					(body as unknown as Record<string, unknown>[]).map((c) => ({
						...c,
						id: nextId(),
						application_id: applicationId,
						version: nextId(),
					})),
				);
			default:
				return json(404, { message: "404: Not Found", code: 0 });
		}
	});
	await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
	base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	return {
		url: base,
		apiUrl: `${base}/api`,
		calls,
		callsOf: (r) => calls.filter((c) => c.route === r),
		messages,
		rateLimit: (r, seconds, count = 1) => limits.set(r, { seconds, count }),
		seedMessage(channelId, message) {
			return store(channelId, message.id ?? nextId(), message, []);
		},
		close: () =>
			new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			}),
	};
}
