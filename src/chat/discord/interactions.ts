/**
 * The Discord handlers, shared by both ways in (the HTTP interactions endpoint and the gateway
 * client). Each interaction gets its initial response at once — Discord allows 3 s — and the
 * work runs after it:
 * - PING → PONG;
 * - a slash command → "thinking…" (deferred, type 5); the command runs through the dispatcher
 *   and the reply replaces the placeholder (webhook PATCH …/messages/@original, the chart
 *   uploaded with it). An ephemeral reply (help, a usage problem) is sent as an ephemeral
 *   follow-up instead, and the public placeholder is deleted;
 * - a button or the snooze menu → deferred update (type 6); the versioned action id is decoded,
 *   AlertActions applies it (idempotently: a double click changes the alert once) and the
 *   clicked message is edited in place with the re-rendered alert;
 * - autocomplete → the matching metric or query names, answered directly (type 8).
 */
import type { REST } from "@discordjs/rest";
import {
	type APIInteractionResponse,
	InteractionResponseType,
	InteractionType,
	MessageFlags,
	Routes,
} from "discord-api-types/v10";
import { errorMessage } from "../../errors.ts";
import type { QueryLibrary } from "../../library/library.ts";
import type { Logger } from "../../log.ts";
import type { MetricCatalog } from "../../metrics/index.ts";
import { decodeActionId } from "../action-id.ts";
import {
	type Actor,
	type AlertActions,
	AlertNotFoundError,
} from "../alert-actions.ts";
import type { CommandHandler, Reply } from "../inbound.ts";
import type { ChatMessage } from "../message.ts";
import { autocompleteChoices } from "./autocomplete.ts";
import { findSpec, invokedValues, type SlashSpec } from "./commands.ts";
import { embedImageUrl, keepImage } from "./edit.ts";
import type { Interaction } from "./interaction.ts";
import { discordError, messageRequest } from "./rest.ts";
import { toDiscord } from "./serialize.ts";

/** What the handlers need. */
export interface InteractionDeps {
	rest: REST;
	applicationId: string;
	specs: readonly SlashSpec[];
	/** The inbound port: the command line in, the reply out. */
	commands: CommandHandler;
	alerts: AlertActions;
	catalog: MetricCatalog;
	library?: QueryLibrary;
	log: Logger;
	now?: () => Date;
}

/** The initial response, and the work to do once it is sent (never rejects). */
export interface Handled {
	response: APIInteractionResponse;
	after?: () => Promise<void>;
}

const ephemeral = (content: string): APIInteractionResponse => ({
	type: InteractionResponseType.ChannelMessageWithSource,
	data: {
		content,
		flags: MessageFlags.Ephemeral,
		allowed_mentions: { parse: [] },
	},
});

/** The initial response to an interaction, and what to do after it. */
export function handleInteraction(
	interaction: Interaction,
	deps: InteractionDeps,
): Handled {
	switch (interaction.type) {
		case InteractionType.Ping:
			return { response: { type: InteractionResponseType.Pong } };
		case InteractionType.ApplicationCommand:
			return onCommand(interaction, deps);
		case InteractionType.MessageComponent:
			return {
				response: { type: InteractionResponseType.DeferredMessageUpdate },
				after: () =>
					guard(deps, "component", () => onComponent(interaction, deps)),
			};
		case InteractionType.ApplicationCommandAutocomplete:
			return {
				response: {
					type: InteractionResponseType.ApplicationCommandAutocompleteResult,
					data: { choices: autocomplete(interaction, deps) },
				},
			};
		default:
			return {
				response: ephemeral("That kind of interaction is not supported."),
			};
	}
}

/** Background work must never reject: log and carry on. */
async function guard(
	deps: InteractionDeps,
	what: string,
	work: () => Promise<void>,
): Promise<void> {
	try {
		await work();
	} catch (err) {
		deps.log.error(
			{ err: errorMessage(err), what },
			"discord interaction failed",
		);
	}
}

function actorOf(i: Interaction): Actor & { groups?: string[] } {
	const u = i.member?.user ?? i.user;
	if (!u) return { id: "unknown" };
	return {
		id: u.id,
		name: u.username,
		...(i.member?.roles ? { groups: i.member.roles } : {}),
	};
}

/** Webhook routes of the interaction (its token is valid for 15 minutes). */
const original = (i: Interaction) =>
	Routes.webhookMessage(i.application_id, i.token, "@original");
const followUp = (i: Interaction) => Routes.webhook(i.application_id, i.token);

/**
 * A slash command: the line is built and validated at once (pure), so bad input is answered
 * right away, visible only to the person who typed it, and nothing runs. A valid command is
 * deferred — publicly, or privately for `help` — and runs after the response.
 */
function onCommand(i: Interaction, deps: InteractionDeps): Handled {
	if (i.data?.type !== 1)
		return { response: ephemeral("Only slash commands are supported.") };
	const name = i.data.name ?? "";
	const { sub, values } = invokedValues(i.data.options);
	const spec = findSpec(deps.specs, name, sub);
	if (!spec)
		return {
			response: ephemeral(
				`\`/${name}\` is not one of this bot's commands any more. Run \`erp-pulse discord register\` to refresh the list.`,
			),
		};
	const line = spec.line(values);
	const prepared = deps.commands.check(line);
	if (!prepared.ok)
		return { response: ephemeralMessage(prepared.reply.message) };
	return {
		response: {
			type: InteractionResponseType.DeferredChannelMessageWithSource,
			...(spec.private ? { data: { flags: MessageFlags.Ephemeral } } : {}),
		},
		after: () =>
			guard(deps, "command", () => runCommand(i, deps, line, spec.private)),
	};
}

/** A reply as an immediate private response (no files: problem replies carry none). */
function ephemeralMessage(message: ChatMessage): APIInteractionResponse {
	const { files: _files, ...payload } = toDiscord(message);
	return {
		type: InteractionResponseType.ChannelMessageWithSource,
		data: {
			...(payload as object),
			flags: MessageFlags.Ephemeral,
			allowed_mentions: { parse: [] },
		},
	};
}

async function runCommand(
	i: Interaction,
	deps: InteractionDeps,
	line: string,
	deferredPrivately: boolean,
): Promise<void> {
	const actor = actorOf(i);
	const log = deps.log.child({
		command: line.split(" ").slice(0, 2).join(" "),
		user: actor.id,
		channel: i.channel_id,
	});
	const reply = await deps.commands.run(line, {
		user: {
			id: actor.id,
			...(actor.name ? { name: actor.name } : {}),
			...(actor.groups ? { groups: actor.groups } : {}),
		},
		channel: { kind: "discord", id: i.channel_id ?? "" },
		now: deps.now?.() ?? new Date(),
		log,
	});
	await deliverReply(i, deps, reply, deferredPrivately);
	log.info({ problem: reply.problem ?? false }, "discord command answered");
}

/**
 * Replaces the "thinking…" placeholder with the reply. Discord fixes a deferred response's
 * visibility when it is deferred, so a private reply to a public placeholder goes the other way:
 * the placeholder is deleted and the reply sent as an ephemeral follow-up.
 */
async function deliverReply(
	i: Interaction,
	deps: InteractionDeps,
	reply: Reply,
	deferredPrivately: boolean,
): Promise<void> {
	try {
		if (reply.ephemeral && !deferredPrivately) {
			await deps.rest.delete(original(i), { auth: false });
			await sendEphemeral(i, deps, reply.message);
			return;
		}
		await deps.rest.patch(original(i), {
			...messageRequest(toDiscord(reply.message)),
			auth: false,
		});
	} catch (err) {
		throw discordError(err, "interaction reply");
	}
}

async function sendEphemeral(
	i: Interaction,
	deps: InteractionDeps,
	message: ChatMessage | string,
): Promise<void> {
	const request =
		typeof message === "string"
			? { body: { content: message, allowed_mentions: { parse: [] } } }
			: messageRequest(toDiscord(message));
	await deps.rest.post(followUp(i), {
		...request,
		body: {
			...(request.body as object),
			flags: MessageFlags.Ephemeral,
		},
		auth: false,
	});
}

async function onComponent(
	i: Interaction,
	deps: InteractionDeps,
): Promise<void> {
	const actor = actorOf(i);
	const customId = i.data?.custom_id ?? "";
	const log = deps.log.child({ action: customId, user: actor.id });
	const decoded = decodeActionId(customId, i.data?.values?.[0]);
	if (!decoded.ok) {
		await sendEphemeral(i, deps, decoded.error);
		return;
	}
	let outcome: Awaited<ReturnType<AlertActions["act"]>>;
	try {
		outcome = await deps.alerts.act(
			decoded.action,
			actor,
			deps.now?.() ?? new Date(),
		);
	} catch (err) {
		if (!(err instanceof AlertNotFoundError))
			log.error({ err: errorMessage(err) }, "alert action failed");
		await sendEphemeral(
			i,
			deps,
			err instanceof AlertNotFoundError
				? err.message
				: "That did not work on our side; the details are in the bot's log. Try again in a minute.",
		);
		return;
	}
	const message = keepImage(outcome.message, embedImageUrl(i.message));
	await deps.rest.patch(original(i), {
		...messageRequest(toDiscord(message)),
		auth: false,
	});
	if (!outcome.changed) await sendEphemeral(i, deps, outcome.note);
	log.info({ changed: outcome.changed }, "alert action applied");
}

function autocomplete(i: Interaction, deps: InteractionDeps) {
	const { sub, values, focused } = invokedValues(i.data?.options);
	const spec = findSpec(deps.specs, i.data?.name ?? "", sub);
	const source = spec?.options.find((o) => o.name === focused)?.autocomplete;
	if (!source || !focused) return [];
	return autocompleteChoices(source, String(values[focused] ?? ""), {
		catalog: deps.catalog,
		...(deps.library ? { library: deps.library } : {}),
	});
}
