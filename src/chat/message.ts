/**
 * The channel-neutral chat message: what the bot says, without saying how a platform draws it.
 * Commands, the Pulse deliver job and the weekly digest build a ChatMessage; the pure
 * serializers in slack/, discord/ and local/ turn it into each platform's payload.
 *
 * Only `text` is markup (see markup.ts: *bold*, _italic_, `code`, <url|label>). Every other
 * string is plain text and is escaped by the serializer, so a monitor name such as
 * "<script> & co" shows up exactly as typed. `pre` is plain text too, drawn in a fixed-width
 * block with its spaces kept, for text laid out in columns (the CLI's tables).
 */

import { MONTHS } from "../charts/format.ts";
import type { ActionId } from "./action-id.ts";
import { clip } from "./text.ts";

/** How bad it is. `info` is neutral news, `ok` is "all good again" (a resolved alert). */
export type ChatSeverity =
	| "info"
	| "low"
	| "medium"
	| "high"
	| "critical"
	| "ok";

/**
 * One palette for the severity bar. Mid-luminance colours (Radix scale step 9) so the bar reads
 * against both the light and the dark theme; never the only signal, see SEVERITY_LABELS.
 */
export const SEVERITY_COLORS: Record<ChatSeverity, string> = {
	critical: "#E5484D",
	high: "#F76B15",
	medium: "#FFC53D",
	low: "#0090FF",
	info: "#8B8D98",
	ok: "#30A46C",
};

/** Severity in words with a shape-distinct emoji, for readers who cannot tell the colours apart. */
export const SEVERITY_LABELS: Record<ChatSeverity, string> = {
	critical: "🔴 Critical",
	high: "🟠 High",
	medium: "🟡 Medium",
	low: "🔵 Low",
	info: "⚪ Info",
	ok: "✅ OK",
};

/** A label/value pair shown side by side ("Observed" / "13.8%"). Both plain text. */
export interface ChatFact {
	label: string;
	value: string;
}

/**
 * A rendered chart. `png` travels as an upload (Discord attachment, Slack files v2, a file in
 * the local outbox); `url` is a chart already hosted somewhere. `alt` is required: every image
 * has alt text.
 */
export interface ChatChart {
	filename: string;
	alt: string;
	png?: Uint8Array;
	url?: string;
}

/** A small table, drawn monospace. Rows shorter than `columns` are padded; extra cells are ignored. */
export interface ChatTable {
	columns: string[];
	rows: string[][];
}

/** A push button. `danger` is red on both platforms, `primary` is the accent colour. */
export interface ButtonAction {
	kind: "button";
	id: ActionId;
	label: string;
	style?: "primary" | "danger";
}

/** A single-choice menu; the chosen `value` comes back with the action id. */
export interface SelectAction {
	kind: "select";
	id: ActionId;
	placeholder: string;
	options: { label: string; value: string }[];
}

/** Something a reader can click. */
export type Action = ButtonAction | SelectAction;

/**
 * One line saying what happened to the message's subject: "Acknowledged by @ana at 09:14 UTC",
 * "Snoozed by @ana until Mon 17 Mar 13:14 UTC". See formatStatus.
 */
export interface ChatStatus {
	label: string;
	by?: string;
	at?: Date;
	until?: Date;
}

/** The channel-neutral message every serializer accepts. */
export interface ChatMessage {
	title: string;
	severity?: ChatSeverity;
	/** Markup: *bold*, _italic_, `code`, <https://url|label>; `\` escapes a markup character. */
	text?: string;
	/**
	 * Plain text in a fixed-width block, spaces and line breaks kept: output already laid out in
	 * columns (the CLI's tables). Never markup; each serializer makes it safe for its platform.
	 */
	pre?: string;
	facts?: ChatFact[];
	chart?: ChatChart;
	table?: ChatTable;
	actions?: Action[];
	/** Small print, one item per element ("Monitor: Gross margin West", "query v3"). Plain text. */
	context?: string[];
	/** Post as a reply in the thread of an earlier message (the adapter resolves the ref). */
	thread?: { parentRef: string };
	status?: ChatStatus;
}

/**
 * A select's options as a platform can take them: values cut to `valueMax`, then options with an
 * empty or repeated value dropped (both platforms reject those), at most `countMax` kept.
 */
export function selectOptions(
	a: SelectAction,
	valueMax: number,
	countMax: number,
): { label: string; value: string }[] {
	const seen = new Set<string>();
	const out: { label: string; value: string }[] = [];
	for (const o of a.options) {
		const value = clip(o.value, valueMax);
		if (value === "" || seen.has(value)) continue;
		seen.add(value);
		out.push({ label: o.label, value });
		if (out.length === countMax) break;
	}
	return out;
}

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

const two = (n: number) => String(n).padStart(2, "0");

/** "09:14 UTC". Built by hand, not with Intl, so the output never depends on the ICU build. */
export function formatTime(d: Date): string {
	return `${two(d.getUTCHours())}:${two(d.getUTCMinutes())} UTC`;
}

/** "Mon 17 Mar 13:14 UTC", for times that may be days away (the end of a snooze). */
export function formatDateTime(d: Date): string {
	const day = `${DAYS[d.getUTCDay()]} ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}`;
	return `${day} ${formatTime(d)}`;
}

/** The status as one plain-text line: label, then "by …", "at …", "until …" when present. */
export function formatStatus(s: ChatStatus): string {
	return [
		s.label,
		s.by ? ` by ${s.by}` : "",
		s.at ? ` at ${formatTime(s.at)}` : "",
		s.until ? ` until ${formatDateTime(s.until)}` : "",
	].join("");
}
