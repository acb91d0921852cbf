/**
 * What the playground page loads besides the feed: its own three files (read at start-up, sent
 * under a content security policy that allows nothing from elsewhere) and the chart PNGs in the
 * outbox folder, which are named exactly as the local channel names them or not served at all.
 */
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import type { ServerResponse } from "node:http";
import path from "node:path";
import type { Route } from "../../http/server.ts";
import { LOCAL_MESSAGE_ID } from "../local/channel.ts";
import { sendJson } from "./request.ts";

const STATIC = {
	page: "index.html",
	script: "app.js",
	style: "style.css",
} as const;

/** A chart's outbox name: a local message id and ".png", so no path can be spelled. */
const CHART_FILE = new RegExp(`${LOCAL_MESSAGE_ID.source.slice(0, -1)}\\.png$`);

/** Read at start-up, so a missing file fails then and not on the first page load. */
export function readStaticFiles(): Record<keyof typeof STATIC, string> {
	const read = (name: string) =>
		readFileSync(new URL(`./static/${name}`, import.meta.url), "utf8");
	return {
		page: read(STATIC.page),
		script: read(STATIC.script),
		style: read(STATIC.style),
	};
}

/** The page loads only its own script, style and images, and nobody may frame it. */
const CSP =
	"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export function sendStatic(
	res: ServerResponse,
	body: string,
	type: string,
): void {
	res.writeHead(200, {
		"content-type": `${type}; charset=utf-8`,
		"cache-control": "no-cache",
		"content-security-policy": CSP,
		"x-content-type-options": "nosniff",
		"referrer-policy": "no-referrer",
	});
	res.end(body);
}

/** A chart PNG by its exact outbox name: nothing else in (or outside) the folder can be named. */
export async function onChartFile(
	dir: string,
	...[req, res]: Parameters<Route>
): Promise<void> {
	const name = new URL(req.url ?? "/", "http://local").pathname.slice(
		"/playground/files/".length,
	);
	if (!CHART_FILE.test(name)) {
		sendJson(res, 400, { error: "not a chart file name" });
		return;
	}
	const png = await readFile(path.join(dir, name)).catch(() => null);
	if (!png) {
		sendJson(res, 404, { error: `no chart ${name}` });
		return;
	}
	res.writeHead(200, {
		"content-type": "image/png",
		"content-length": String(png.length),
		"cache-control": "private, max-age=300",
		"x-content-type-options": "nosniff",
	});
	res.end(png);
}
