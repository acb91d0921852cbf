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

/** A route handler; later issues add the Slack and Discord endpoints here. */
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
		const route = routes[`${req.method} ${pathname}`];
		if (!route) {
			send(
				res,
				404,
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
