/**
 * The Discord app, assembled from the environment:
 * - DISCORD_BOT_TOKEN and DISCORD_APPLICATION_ID: needed always (REST calls, follow-ups);
 * - DISCORD_PUBLIC_KEY: the HTTP interactions endpoint, mounted on the bot's HTTP server at
 *   `chat.discord.path` (default /discord/interactions), with Ed25519 verification;
 * - DISCORD_GATEWAY=1, or no public key: the gateway client (a WebSocket to Discord), for a bot
 *   that Discord cannot reach over HTTPS;
 * - DISCORD_API_URL: the REST base without the version (default https://discord.com/api); tests
 *   point it at a loopback stand-in.
 * Both ways in share one handler (interactions.ts); the outbox channel (channel.ts) shares the
 * REST client and its rate-limit queues.
 */
import type { REST } from "@discordjs/rest";
import { errorMessage } from "../../errors.ts";
import type { Route } from "../../http/server.ts";
import type { ChatChannel } from "../channel.ts";
import type { DiscordCredentials } from "../credentials.ts";
import { createDiscordChannel } from "./channel.ts";
import type { DiscordGateway } from "./gateway.ts";
import { interactionsRoute } from "./http.ts";
import { handleInteraction, type InteractionDeps } from "./interactions.ts";
import { createDiscordRest } from "./rest.ts";
import { slashSpecs } from "./specs.ts";
import { discordPublicKey } from "./verify.ts";

/** A Discord app ready to mount and start. */
export interface DiscordApp {
	mode: "http" | "gateway" | "http+gateway";
	rest: REST;
	/** The outbox channel. */
	channel: ChatChannel;
	path: string;
	/** The interactions endpoint, when a public key is set. */
	route?: Route;
	/** The gateway client, built but not connected (start connects it when the mode says so). */
	buildGateway(): Promise<DiscordGateway>;
	start(): Promise<void>;
	/** Stops the gateway and waits for interaction work under way. */
	stop(): Promise<void>;
	/** Resolves when no interaction work is under way (tests, shutdown). */
	idle(): Promise<void>;
}

/** The handler's dependencies the composition root provides. */
export type DiscordDeps = Omit<
	InteractionDeps,
	"rest" | "applicationId" | "specs"
>;

/** Builds the REST client, the channel, the endpoint and (lazily) the gateway. */
export function createDiscordApp(
	creds: DiscordCredentials,
	routePath: string,
	deps: DiscordDeps,
): DiscordApp {
	const rest = createDiscordRest({
		botToken: creds.botToken,
		...(creds.apiUrl ? { apiUrl: creds.apiUrl } : {}),
		log: deps.log,
	});
	const full: InteractionDeps = {
		...deps,
		rest,
		applicationId: creds.applicationId,
		specs: slashSpecs(deps.commands.commands),
	};
	const pending = new Set<Promise<void>>();
	const track = (work: Promise<void>) => {
		const p = work.catch((err: unknown) =>
			deps.log.error({ err: errorMessage(err) }, "discord work failed"),
		);
		pending.add(p);
		p.finally(() => pending.delete(p));
	};
	const idle = async () => {
		while (pending.size > 0) await Promise.all([...pending]);
	};
	const handle = (i: Parameters<typeof handleInteraction>[0]) =>
		handleInteraction(i, full);
	const route = creds.publicKey
		? interactionsRoute({
				publicKey: discordPublicKey(creds.publicKey),
				handle,
				track,
				log: deps.log,
				...(deps.now ? { now: deps.now } : {}),
			})
		: undefined;
	let gateway: DiscordGateway | undefined;
	return {
		mode: !creds.gateway ? "http" : route ? "http+gateway" : "gateway",
		rest,
		channel: createDiscordChannel(rest),
		path: routePath,
		...(route ? { route } : {}),
		async buildGateway() {
			// discord.js is loaded only when the gateway is used.
			const { createDiscordGateway } = await import("./gateway.ts");
			return createDiscordGateway({
				botToken: creds.botToken,
				...(creds.apiUrl ? { apiUrl: creds.apiUrl } : {}),
				rest,
				handle,
				track,
				log: deps.log,
			});
		},
		async start() {
			if (!creds.gateway) return;
			gateway = await this.buildGateway();
			await gateway.start();
		},
		async stop() {
			await gateway?.stop();
			await idle();
		},
		idle,
	};
}

export {
	type DiscordCredentials,
	discordCredentials,
} from "../credentials.ts";
