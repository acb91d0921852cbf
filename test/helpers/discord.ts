/**
 * Discord fixtures: a test application key pair, request signing the way Discord signs, and
 * interactions in the JSON shapes Discord sends (trimmed of fields the bot never reads, but with
 * the ones a real payload always has).
 */
import { generateKeyPairSync, type KeyObject, sign } from "node:crypto";

export const APP_ID = "1300000000000000777";
export const GUILD_ID = "1300000000000000888";
export const CHANNEL_ID = "1300000000000000999";
export const USER_ID = "1300000000000000555";

/** An Ed25519 key pair; `publicKeyHex` is what the Developer Portal shows. */
export function testKeys(): { privateKey: KeyObject; publicKeyHex: string } {
	const { publicKey, privateKey } = generateKeyPairSync("ed25519");
	const x = publicKey.export({ format: "jwk" }).x as string;
	return {
		privateKey,
		publicKeyHex: Buffer.from(x, "base64url").toString("hex"),
	};
}

/** X-Signature-Ed25519 for a body at a timestamp. */
export function discordSignature(
	privateKey: KeyObject,
	timestamp: string,
	body: string,
): string {
	return sign(null, Buffer.from(timestamp + body), privateKey).toString("hex");
}

let seq = 0;
const snowflake = () => String(1_310_000_000_000_000_000n + BigInt(++seq));

const member = {
	avatar: null,
	communication_disabled_until: null,
	deaf: false,
	flags: 0,
	joined_at: "2025-01-06T09:00:00.000000+00:00",
	mute: false,
	nick: null,
	pending: false,
	permissions: "2248473465835073",
	premium_since: null,
	roles: [],
	user: {
		avatar: null,
		discriminator: "0",
		global_name: "Ana",
		id: USER_ID,
		public_flags: 0,
		username: "ana",
	},
};

/** The fields every guild interaction carries. */
function base(type: number) {
	const id = snowflake();
	return {
		app_permissions: "2248473465835073",
		application_id: APP_ID,
		authorizing_integration_owners: { "0": GUILD_ID },
		channel: {
			flags: 0,
			guild_id: GUILD_ID,
			id: CHANNEL_ID,
			name: "alerts",
			nsfw: false,
			parent_id: null,
			permissions: "2248473465835073",
			position: 0,
			rate_limit_per_user: 0,
			topic: null,
			type: 0,
		},
		channel_id: CHANNEL_ID,
		context: 0,
		entitlement_sku_ids: [],
		entitlements: [],
		guild: { features: [], id: GUILD_ID, locale: "en-US" },
		guild_id: GUILD_ID,
		guild_locale: "en-US",
		id,
		locale: "en-GB",
		member,
		token: `aW50ZXJhY3Rpb246${id}OnRlc3QtdG9rZW4`,
		type,
		version: 1,
	};
}

/** An option as Discord sends it: 3 string, 4 integer, 5 boolean, 1 subcommand. */
export type Option = {
	name: string;
	type: number;
	value?: string | number | boolean;
	focused?: boolean;
	options?: Option[];
};

/** PING (type 1), as sent when the endpoint URL is saved. */
export const ping = () => ({
	application_id: APP_ID,
	entitlements: [],
	id: snowflake(),
	token: "aW50ZXJhY3Rpb246cGluZw",
	type: 1,
	user: member.user,
	version: 1,
});

/** A slash command (type 2). */
export function slashCommand(name: string, options: Option[] = []) {
	return {
		...base(2),
		data: { id: snowflake(), name, options, type: 1 },
	};
}

/** Autocomplete (type 4): the focused option carries what has been typed so far. */
export function autocomplete(name: string, options: Option[]) {
	return {
		...base(4),
		data: { id: snowflake(), name, options, type: 1 },
	};
}

/** A click on a button (component_type 2) or a choice in a select (3) of `message`. */
export function componentClick(
	customId: string,
	message: Record<string, unknown>,
	values?: string[],
) {
	return {
		...base(3),
		data: values
			? { component_type: 3, custom_id: customId, values }
			: { component_type: 2, custom_id: customId },
		message,
	};
}

/** An alert message as Discord returns it: the chart's `attachment://` already a CDN URL. */
export function postedAlert(id: string, alertId: string, cdn: string) {
	return {
		application_id: APP_ID,
		attachments: [],
		author: { bot: true, id: APP_ID, username: "erp-pulse" },
		channel_id: CHANNEL_ID,
		components: [
			{
				type: 1,
				components: [
					{
						type: 2,
						style: 1,
						label: "Acknowledge",
						custom_id: `pulse:v1:ack:${alertId}`,
					},
				],
			},
		],
		content: "",
		edited_timestamp: null,
		embeds: [
			{
				type: "rich",
				title: "Gross margin West",
				color: 16214805,
				image: {
					url: `${cdn}/attachments/${CHANNEL_ID}/1300000000000000444/margin.png?ex=1&is=2&hm=3`,
					proxy_url: `${cdn}/attachments/${CHANNEL_ID}/1300000000000000444/margin.png`,
					width: 960,
					height: 560,
				},
			},
		],
		flags: 0,
		id,
		mention_everyone: false,
		mentions: [],
		pinned: false,
		timestamp: "2026-03-10T09:14:00.000000+00:00",
		tts: false,
		type: 0,
	};
}
