/**
 * The playground: a web page at /playground that behaves like a chat channel on the local
 * channel. A command typed there goes through the same command handler as a Slack slash
 * command (same syntax: `/correlate revenue customers`); its reply is posted to the local
 * channel `local:playground`, and errors come back only to the page, like Slack's ephemeral
 * replies. Alerts and the digest the outbox delivers to any local channel appear live (feed.ts).
 * The alert buttons go through the same AlertActions as Slack's, and the clicked message is
 * edited in place through the local channel.
 *
 * Served only when enabled (default: in demo mode) and only on a loopback http.host: the page
 * has no login, so anyone who can reach it can run commands and acknowledge alerts.
 *
 * Routes: GET /playground (the page), /playground/app.js, /playground/style.css,
 * GET /playground/events (SSE), POST /playground/command, POST /playground/action,
 * GET /playground/files/<message id>.png (chart PNGs from the outbox folder).
 */
import { randomUUID } from "node:crypto";
import { access } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import type { Config } from "../../config/schema.ts";
import { errorMessage } from "../../errors.ts";
import type { Route } from "../../http/server.ts";
import type { Logger } from "../../log.ts";
import { ACTION_ID_MAX, decodeActionId } from "../action-id.ts";
import { type AlertActions, AlertNotFoundError } from "../alert-actions.ts";
import {
	type CommandHandler,
	type CommandUser,
	problemReply,
	type Reply,
} from "../inbound.ts";
import { LOCAL_MESSAGE_ID, type LocalChannel } from "../local/channel.ts";
import { commandLine } from "../slack/listeners.ts";
import { createFeed, type Feed, serveEvents } from "./feed.ts";
import { toHtml } from "./html.ts";
import { fromLoopback, isLoopbackHost, readJson, sendJson } from "./request.ts";
import { onChartFile, readStaticFiles, sendStatic } from "./static.ts";

/** The local channel id command replies are posted to. */
export const PLAYGROUND_CHANNEL = "playground";
/** The longest command line the page may send. */
export const COMMAND_MAX_CHARS = 2000;

/** What the playground needs; the command context is the one Slack's listeners get. */
export interface PlaygroundDeps {
	config: Config;
	local: LocalChannel;
	alerts: AlertActions;
	/** The inbound port: the command line in, the reply out. */
	commands: CommandHandler;
	/** Who types and clicks in the page ("Acknowledged by …"). */
	user: CommandUser;
	log: Logger;
	now?: () => Date;
}

/** Whether the page is wanted (default: in demo mode); it is still served on loopback only. */
export function playgroundEnabled(config: Config): boolean {
	return config.chat.playground.enabled ?? config.demo.enabled;
}

/**
 * The playground's routes, or null when it is off or refused (not on a loopback address; one
 * log line says why and how to fix it).
 */
export function createPlayground(
	deps: PlaygroundDeps,
): { routes: Record<string, Route>; feed: Feed } | null {
	const { config, log } = deps;
	if (!playgroundEnabled(config)) return null;
	if (!isLoopbackHost(config.http.host)) {
		log.warn(
			{ host: config.http.host },
			`playground not served: http.host ${config.http.host} is not a loopback address and the page has no login; set http.host to 127.0.0.1 (or ::1, localhost) to use it, or chat.playground.enabled: false to silence this`,
		);
		return null;
	}
	const feed = createFeed(deps.local);
	const page = readStaticFiles();
	const guarded =
		(route: Route): Route =>
		(req, res) =>
			fromLoopback(req, res) ? route(req, res) : undefined;
	const routes: Record<string, Route> = {
		"GET /playground": (_req, res) => sendStatic(res, page.page, "text/html"),
		"GET /playground/app.js": (_req, res) =>
			sendStatic(res, page.script, "text/javascript"),
		"GET /playground/style.css": (_req, res) =>
			sendStatic(res, page.style, "text/css"),
		"GET /playground/events": (req, res) => serveEvents(feed, req, res),
		"POST /playground/command": (req, res) => onCommand(deps, feed, req, res),
		"POST /playground/action": (req, res) => onAction(deps, feed, req, res),
		"GET /playground/files/*": (req, res) =>
			onChartFile(deps.local.dir, req, res),
	};
	const host = config.http.host.includes(":")
		? `[${config.http.host}]`
		: config.http.host;
	log.info(
		{ url: `http://${host}:${config.http.port}/playground` },
		"playground served",
	);
	return {
		routes: Object.fromEntries(
			Object.entries(routes).map(([key, route]) => [key, guarded(route)]),
		),
		feed,
	};
}

const commandBody = z.strictObject({
	text: z
		.string({ error: "expected the command line as a string" })
		.max(COMMAND_MAX_CHARS, {
			error: `a command is at most ${COMMAND_MAX_CHARS} characters`,
		}),
});

/** "/correlate revenue customers" → "correlate revenue customers", as Slack's listener does. */
export function playgroundLine(typed: string): string {
	const t = typed.trim();
	if (!t.startsWith("/")) return t;
	const space = t.search(/\s/);
	return space < 0
		? commandLine(t, "")
		: commandLine(t.slice(0, space), t.slice(space + 1).trim());
}

async function onCommand(
	deps: PlaygroundDeps,
	feed: Feed,
	...[req, res]: Parameters<Route>
): Promise<void> {
	const body = await readJson(req, res, commandBody);
	if (!body) return;
	const reply = await runCommand(deps, playgroundLine(body.text));
	if (reply.ephemeral) {
		sendJson(res, 200, { ephemeral: toHtml(reply.message) });
		return;
	}
	try {
		const ref = await deps.local.post(
			{ channelId: PLAYGROUND_CHANNEL },
			reply.message,
			`playground:${randomUUID()}`,
		);
		sendJson(res, 200, {
			messageId: ref.messageId,
			entry: feed.get(ref.messageId),
		});
	} catch (err) {
		deps.log.error(
			{ err: errorMessage(err), line: body.text },
			"could not post the command reply to the local channel",
		);
		const failed = problemReply(
			"Could not post the reply",
			"Writing to the local outbox folder failed; the details are in the bot's log.",
		);
		sendJson(res, 200, { ephemeral: toHtml(failed.message) });
	}
}

/**
 * Dispatches with the page's timeout. The dispatcher cannot be cancelled, so on timeout the page
 * stops waiting and gets an error; the command's queries are still bounded by the database's
 * statement timeout.
 */
async function runCommand(deps: PlaygroundDeps, line: string): Promise<Reply> {
	const seconds = deps.config.chat.playground.commandTimeoutSeconds;
	const log = deps.log.child({ playground: "command", user: deps.user.id });
	const work = deps.commands.run(line, {
		user: deps.user,
		channel: { kind: "local", id: PLAYGROUND_CHANNEL },
		now: deps.now?.() ?? new Date(),
		log,
	});
	const timedOut = Symbol("timed out");
	let timer: ReturnType<typeof setTimeout> | undefined;
	const outcome = await Promise.race([
		work,
		new Promise<typeof timedOut>((resolve) => {
			timer = setTimeout(() => resolve(timedOut), seconds * 1000);
		}),
	]).finally(() => clearTimeout(timer));
	if (outcome !== timedOut) return outcome;
	log.warn({ line, seconds }, "playground command timed out");
	work.catch(() => {});
	return problemReply(
		"No answer in time",
		`\`${line.replace(/`/g, "'")}\` did not answer within ${seconds} s. It may still finish in the background (its queries stop at database.statementTimeoutMs); try a narrower question, or raise chat.playground.commandTimeoutSeconds.`,
	);
}

const actionBody = z.strictObject({
	actionId: z.string().max(ACTION_ID_MAX * 2),
	/** The chosen option of a menu (the snooze duration). */
	value: z.string().max(100).optional(),
	/** The message the control was on; it is edited in place. */
	messageId: z
		.string()
		.regex(LOCAL_MESSAGE_ID, { error: "expected a local message id" })
		.optional(),
});

async function onAction(
	deps: PlaygroundDeps,
	feed: Feed,
	...[req, res]: Parameters<Route>
): Promise<void> {
	const body = await readJson(req, res, actionBody);
	if (!body) return;
	const decoded = decodeActionId(body.actionId, body.value);
	if (!decoded.ok) {
		sendJson(res, 400, { error: decoded.error });
		return;
	}
	const log = deps.log.child({ action: body.actionId, user: deps.user.id });
	let outcome: Awaited<ReturnType<AlertActions["act"]>>;
	try {
		outcome = await deps.alerts.act(
			decoded.action,
			{ id: deps.user.id, ...(deps.user.name ? { name: deps.user.name } : {}) },
			deps.now?.() ?? new Date(),
		);
	} catch (err) {
		if (err instanceof AlertNotFoundError) {
			sendJson(res, 404, { error: err.message });
			return;
		}
		log.error({ err: errorMessage(err) }, "alert action failed");
		sendJson(res, 500, {
			error:
				"That did not work on our side; the details are in the bot's log. Try again in a minute.",
		});
		return;
	}
	// Edit the clicked message only if it exists: update() would otherwise create a file.
	const id = body.messageId;
	const file = id ? path.join(deps.local.dir, `${id}.md`) : null;
	if (
		id &&
		file &&
		(await access(file).then(
			() => true,
			() => false,
		))
	)
		await deps.local.update(
			feed.get(id)?.channel ?? PLAYGROUND_CHANNEL,
			id,
			outcome.message,
		);
	log.info({ changed: outcome.changed }, "alert action applied");
	sendJson(res, 200, {
		changed: outcome.changed,
		note: outcome.note,
		...(id && feed.get(id) ? { entry: feed.get(id) } : {}),
	});
}
