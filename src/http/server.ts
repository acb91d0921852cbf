import {
	createServer,
	type IncomingMessage,
	type Server,
	type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "../log.ts";
import type { Metrics } from "./metrics.ts";

export interface HealthReport {
	ok: boolean;
	[part: string]: unknown;
}

/**
 * A route handler, mounted under a "METHOD /path" key. A key ending in "/*" ("GET /files/*")
 * matches every path below that folder; the handler reads the rest from req.url.
 */
export type Route = (
	req: IncomingMessage,
	res: ServerResponse,
) => Promise<void> | void;

export interface HttpServer {
	server: Server;
	port: number;
	close(): Promise<void>;
}

export interface HttpOptions {
	host: string;
	port: number;
	log: Logger;
	metrics: Metrics;
	health: () => Promise<HealthReport>;
	routes?: Record<string, Route>;
}

function send(
	res: ServerResponse,
	status: number,
	type: string,
	body: string,
): void {
	res.writeHead(status, { "content-type": type, "cache-control": "no-store" });
	res.end(body);
}

/** The exact route, else the deepest "/*" route whose folder holds the path. */
function findRoute(
	routes: Record<string, Route>,
	method: string,
	pathname: string,
): Route | undefined {
	const exact = routes[`${method} ${pathname}`];
	if (exact) return exact;
	for (
		let i = pathname.lastIndexOf("/");
		i > 0;
		i = pathname.lastIndexOf("/", i - 1)
	) {
		const wild = routes[`${method} ${pathname.slice(0, i)}/*`];
		if (wild) return wild;
	}
	return undefined;
}

/** The methods some route answers `pathname` with, for a 405's Allow header. */
function allowedMethods(
	routes: Record<string, Route>,
	pathname: string,
): string[] {
	const methods = Object.keys(routes).map((k) => k.slice(0, k.indexOf(" ")));
	return [...new Set(methods)].filter((m) => findRoute(routes, m, pathname));
}

/** `/healthz` (200 when the database and queue are fine, 503 otherwise) and `/metrics` (Prometheus text). */
export async function startHttpServer(opts: HttpOptions): Promise<HttpServer> {
	const routes: Record<string, Route> = {
		"GET /healthz": async (_req, res) => {
			const report = await opts.health();
			send(
				res,
				report.ok ? 200 : 503,
				"application/json",
				JSON.stringify(report),
			);
		},
		"GET /metrics": async (_req, res) => {
			send(
				res,
				200,
				opts.metrics.registry.contentType,
				await opts.metrics.registry.metrics(),
			);
		},
		...opts.routes,
	};
	const server = createServer((req, res) => {
		const pathname = new URL(req.url ?? "/", "http://local").pathname;
		const route = findRoute(routes, req.method ?? "GET", pathname);
		if (!route) {
			const allow = allowedMethods(routes, pathname);
			if (allow.length > 0) res.setHeader("allow", allow.join(", "));
			send(
				res,
				allow.length > 0 ? 405 : 404,
				"application/json",
				JSON.stringify({ error: `no route ${req.method} ${pathname}` }),
			);
			return;
		}
		Promise.resolve(route(req, res)).catch((err: unknown) => {
			opts.log.error(
				{ err: (err as Error).message, path: pathname },
				"http handler failed",
			);
			if (!res.headersSent)
				send(
					res,
					500,
					"application/json",
					JSON.stringify({ error: "internal error" }),
				);
			else res.end();
		});
	});
	// Keep-alive sockets would hold shutdown open until they time out.
	server.keepAliveTimeout = 5_000;
	await new Promise<void>((resolve, reject) => {
		server.once("error", reject);
		server.listen(opts.port, opts.host, () => resolve());
	});
	const port = (server.address() as AddressInfo).port;
	opts.log.info({ host: opts.host, port }, "http listening");
	return {
		server,
		port,
		close: () =>
			new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			}),
	};
}
