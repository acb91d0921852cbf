/**
 * The subset of Slack's Block Kit the serializer emits, as plain JSON types (chat.postMessage /
 * chat.update bodies). Kept apart from the logic, and free of @slack/types, so the serializer
 * stays a pure function of the message.
 */

/** Text that Slack shows as typed (headers, button labels, placeholders). */
export interface PlainText {
	type: "plain_text";
	text: string;
	emoji?: boolean;
}

/** Text in Slack's mrkdwn, with `&`, `<`, `>` escaped. */
export interface Mrkdwn {
	type: "mrkdwn";
	text: string;
}

/** A large bold title line. */
export interface HeaderBlock {
	type: "header";
	text: PlainText;
}

/** A paragraph (`text`) or a two-column grid of label/value pairs (`fields`). */
export interface SectionBlock {
	type: "section";
	text?: Mrkdwn;
	fields?: Mrkdwn[];
}

/** Small grey print; up to SLACK_CONTEXT_ELEMENTS_MAX elements side by side. */
export interface ContextBlock {
	type: "context";
	elements: Mrkdwn[];
}

/** An image: hosted (`image_url`) or uploaded with files v2 (`slack_file`). */
export interface ImageBlock {
	type: "image";
	alt_text: string;
	image_url?: string;
	slack_file?: { id: string };
}

/** A button; the click comes back to the app with its action_id. */
export interface ButtonElement {
	type: "button";
	action_id: string;
	text: PlainText;
	style?: "primary" | "danger";
}

/** A single-choice menu; the chosen option's value comes back with the action_id. */
export interface StaticSelectElement {
	type: "static_select";
	action_id: string;
	placeholder?: PlainText;
	options: { text: PlainText; value: string }[];
}

/** A row of interactive elements. */
export interface ActionsBlock {
	type: "actions";
	elements: (ButtonElement | StaticSelectElement)[];
}

/** Every block the serializer emits. */
export type Block =
	| HeaderBlock
	| SectionBlock
	| ContextBlock
	| ImageBlock
	| ActionsBlock;

/** A legacy attachment, used only for its coloured bar, with blocks inside it. */
export interface ColorAttachment {
	color: string;
	blocks: Block[];
}

/** What chat.postMessage / chat.update needs besides the channel (and thread_ts, ts). */
export interface SlackPayload {
	/** Notification and screen-reader fallback; Slack shows it when blocks cannot be drawn. */
	text: string;
	blocks: Block[];
	attachments?: ColorAttachment[];
}
