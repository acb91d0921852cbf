/**
 * The playground's HTTP edges: it has no login, so it is served on a loopback address only, and
 * every request must also *say* it is for a loopback host — a web page elsewhere cannot reach it
 * through DNS rebinding (wrong Host) or post to it from another origin (wrong Origin, or a
 * content type other than JSON, which a cross-site form cannot send without asking first).
 * Bodies are small JSON objects, read up to a limit and validated with zod.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { z } from "zod";

/** The largest request body the playground reads; a command line is far smaller. */
export const MAX_BODY_BYTES = 16 * 1024;

const LOOPBACK_NAMES = new Set(["localhost", "::1", "[::1]"]);

/** True for 127.0.0.0/8, ::1 and localhost: addresses only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
	const h = host.trim().toLowerCase().replace(/\.$/, "");
	return LOOPBACK_NAMES.has(h) || /^127(\.\d{1,3}){3}$/.test(h);
}

/** The host name of a `Host` header or an origin, without the port; null when unreadable. */
function hostnameOf(value: string, withScheme: boolean): string | null {
	try {
		return new URL(withScheme ? value : `http://${value}`).hostname;
	} catch {
		return null;
	}
}

/** Sends a JSON body. */
export function sendJson(
	res: ServerResponse,
	status: number,
	body: unknown,
	headers: Record<string, string> = {},
): void {
	res.writeHead(status, {
		"content-type": "application/json; charset=utf-8",
		"cache-control": "no-store",
		...headers,
	});
	res.end(JSON.stringify(body));
}

/**
 * Answers 403 unless the request names a loopback host (and, when it has one, comes from a
 * loopback origin); returns whether the request may go on.
 */
export function fromLoopback(
	req: IncomingMessage,
	res: ServerResponse,
): boolean {
	const host = hostnameOf(req.headers.host ?? "", false);
	const origin = req.headers.origin;
	const originHost =
		origin === undefined ? null : (hostnameOf(origin, true) ?? "");
	if (
		host !== null &&
		isLoopbackHost(host) &&
		(originHost === null || isLoopbackHost(originHost))
	)
		return true;
	sendJson(res, 403, {
		error:
			"The playground answers only requests for 127.0.0.1, ::1 or localhost from a page on one of them.",
	});
	return false;
}

type Body = { ok: true; text: string } | { ok: false; tooLarge: true };

/**
 * Reads the body up to `max` bytes. A larger body is read to its end but not kept, so the 413
 * reaches a client that is still sending.
 */
async function readBody(req: IncomingMessage, max: number): Promise<Body> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of req as AsyncIterable<Buffer>) {
		size += chunk.length;
		if (size <= max) chunks.push(chunk);
	}
	if (size > max) return { ok: false, tooLarge: true };
	return { ok: true, text: Buffer.concat(chunks).toString("utf8") };
}

/**
 * A JSON body validated by `schema`, or null after answering 415 (not JSON), 413 (too large) or
 * 400 (unreadable or not the expected shape, with a sentence saying what was wrong).
 */
export async function readJson<S extends z.ZodType>(
	req: IncomingMessage,
	res: ServerResponse,
	schema: S,
	max = MAX_BODY_BYTES,
): Promise<z.output<S> | null> {
	const type = req.headers["content-type"] ?? "";
	if (!/^application\/json\s*(;|$)/i.test(type)) {
		req.resume();
		sendJson(res, 415, { error: "Send the body as application/json." });
		return null;
	}
	const declared = Number(req.headers["content-length"]);
	if (declared > max) {
		req.resume();
		sendJson(
			res,
			413,
			{ error: `The body is larger than ${max} bytes.` },
			{ connection: "close" },
		);
		return null;
	}
	const body = await readBody(req, max);
	if (!body.ok) {
		sendJson(res, 413, { error: `The body is larger than ${max} bytes.` });
		return null;
	}
	let json: unknown;
	try {
		json = JSON.parse(body.text);
	} catch {
		sendJson(res, 400, { error: "The body is not valid JSON." });
		return null;
	}
	const parsed = schema.safeParse(json);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		const where = issue?.path.length ? `${issue.path.join(".")}: ` : "";
		sendJson(res, 400, {
			error: `${where}${issue?.message ?? "unexpected body"}.`,
		});
		return null;
	}
	return parsed.data;
}
