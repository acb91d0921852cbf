/**
 * The gateway way in, for a bot without a public HTTPS address: a discord.js Client keeps a
 * WebSocket to Discord and receives every interaction as an INTERACTION_CREATE dispatch. The
 * raw payload is exactly what the HTTP endpoint receives, so it goes to the same handler; the
 * initial response is sent with POST /interactions/{id}/{token}/callback instead of as an HTTP
 * answer, and the work runs after it. No signature to check: the gateway is authenticated by the
 * bot token.
 *
 * It needs a live connection to Discord, so it is built here but exercised offline only up to
 * the dispatch (see the integration test, which emits one on `client.ws`).
 */
// Before discord.js, so it loads after the charts (see the file).
import "./set-tojson-fix.ts";
import type { REST } from "@discordjs/rest";
import { Client } from "discord.js";
import {
	GatewayDispatchEvents,
	GatewayIntentBits,
	Routes,
} from "discord-api-types/v10";
import { errorMessage } from "../../errors.ts";
import type { Logger } from "../../log.ts";
import { type Interaction, parseInteraction } from "./interaction.ts";
import type { Handled } from "./interactions.ts";
import { discordError } from "./rest.ts";

/** A gateway connection. */
export interface DiscordGateway {
	client: Client;
	start(): Promise<void>;
	stop(): Promise<void>;
}

/** Builds the client (no connection until `start`). */
export function createDiscordGateway(opts: {
	botToken: string;
	apiUrl?: string;
	rest: REST;
	handle(interaction: Interaction): Handled;
	track(work: Promise<void>): void;
	log: Logger;
}): DiscordGateway {
	const log = opts.log.child({ part: "discord-gateway" });
	// Interactions arrive without any privileged intent; Guilds keeps the client's cache sane.
	const client = new Client({
		intents: [GatewayIntentBits.Guilds],
		...(opts.apiUrl ? { rest: { api: opts.apiUrl } } : {}),
	});
	client.ws.on(GatewayDispatchEvents.InteractionCreate, (data: unknown) => {
		const interaction = parseInteraction(data);
		if (!interaction) {
			log.warn("ignored an INTERACTION_CREATE that is not an interaction");
			return;
		}
		const handled = opts.handle(interaction);
		opts.track(respond(opts.rest, interaction, handled, log));
	});
	client.on("error", (err) =>
		log.error({ err: errorMessage(err) }, "discord gateway error"),
	);
	return {
		client,
		start: async () => {
			await client.login(opts.botToken);
			log.info({ user: client.user?.tag }, "discord gateway connected");
		},
		stop: () => client.destroy(),
	};
}

async function respond(
	rest: REST,
	interaction: Interaction,
	handled: Handled,
	log: Logger,
): Promise<void> {
	try {
		await rest.post(
			Routes.interactionCallback(interaction.id, interaction.token),
			{
				body: handled.response,
				auth: false,
			},
		);
	} catch (err) {
		log.warn(
			{ err: discordError(err, "interaction callback").message },
			"could not answer an interaction",
		);
		return;
	}
	await handled.after?.();
}
