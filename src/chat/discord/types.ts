/**
 * The subset of Discord's REST message shape the serializer emits (POST/PATCH
 * /channels/{id}/messages, or an interaction response), as plain JSON types. discord.js accepts
 * the same objects, so the adapter can pass them through.
 */

/** One field of an embed; inline fields sit up to three to a row. */
export interface EmbedField {
	name: string;
	value: string;
	inline?: boolean;
}

/** A rich card. Every text here counts toward the 6,000-character total of a message. */
export interface Embed {
	title?: string;
	description?: string;
	/** 0xRRGGBB as an integer: the bar down the embed's left edge. */
	color?: number;
	fields?: EmbedField[];
	/** `attachment://<name>` for an uploaded file, or an https URL. */
	image?: { url: string };
	footer?: { text: string };
	author?: { name: string };
}

/** Button styles: 1 primary (blurple), 2 secondary (grey), 3 success (green), 4 danger (red). */
export type ButtonStyle = 1 | 2 | 3 | 4;

/** A button (component type 2) that sends `custom_id` back when clicked. */
export interface Button {
	type: 2;
	style: ButtonStyle;
	label: string;
	custom_id: string;
}

/** A string select menu (component type 3); the chosen values come back with `custom_id`. */
export interface StringSelect {
	type: 3;
	custom_id: string;
	placeholder?: string;
	options: { label: string; value: string }[];
}

/** A row of components (type 1): up to five buttons, or exactly one select. */
export interface ActionRow {
	type: 1;
	components: Button[] | [StringSelect];
}

/** A file sent with the message as multipart form data; `description` is its alt text. */
export interface DiscordFile {
	name: string;
	data: Uint8Array;
	description?: string;
}

/** The message body (plus the files the adapter uploads alongside it). */
export interface DiscordPayload {
	content?: string;
	embeds: Embed[];
	components: ActionRow[];
	files?: DiscordFile[];
}
