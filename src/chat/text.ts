/**
 * Fitting text into platform limits, shared by the serializers: truncation with "…", chunking
 * markup on line and word boundaries, and the monospace table layout.
 *
 * Lengths are JavaScript string lengths (UTF-16 code units). That is never less than the number
 * of code points, which is what Slack and Discord count, so a string that fits here fits there.
 * Cuts fall on code-point boundaries, so an emoji is never split into a lone surrogate.
 * Limits apply to the *rendered* string (after escaping, which can grow `&` to `&amp;`), so every
 * helper takes the platform's render function.
 */

import { parseMarkup, plainText, type Span } from "./markup.ts";
import type { ChatTable } from "./message.ts";

/** Appended to anything cut short. */
export const ELLIPSIS = "…";

/** A table cell longer than this is cut; tables are for glancing, not for paragraphs. */
export const TABLE_CELL_MAX = 40;

/** A table line (all cells plus padding) longer than this is cut. */
export const TABLE_LINE_MAX = 200;

/** Turns plain text into the platform's format (escaping); identity for plain-text slots. */
export type Render = (s: string) => string;

/** Turns markup spans into the platform's format. */
export type RenderSpans = (spans: Span[]) => string;

const identity: Render = (s) => s;

/**
 * `render(s)` when it fits in `max`; otherwise the longest prefix of `s` that, with "…" after
 * it, still fits once rendered. Trailing spaces before the "…" are dropped.
 */
export function truncate(
	s: string,
	max: number,
	render: Render = identity,
): string {
	const whole = render(s);
	if (whole.length <= max) return whole;
	// Renderers only ever lengthen text, so no prefix of more than `max` code points can fit:
	// find the code-point boundaries up to there and binary-search among them.
	const ends = [0];
	for (const ch of s) {
		if (ends.length > max + 1) break;
		ends.push((ends.at(-1) ?? 0) + ch.length);
	}
	const cut = (k: number) =>
		render(`${s.slice(0, ends[k]).trimEnd()}${ELLIPSIS}`);
	if (cut(0).length > max) return "";
	let lo = 0; // cut(lo) fits
	let hi = ends.length - 1;
	while (lo < hi) {
		const mid = Math.ceil((lo + hi) / 2);
		if (cut(mid).length <= max) lo = mid;
		else hi = mid - 1;
	}
	return cut(lo);
}

/**
 * A hard cut without "…", for values a program reads back (option values): at most `max` UTF-16
 * units, never ending in half a surrogate pair.
 */
export function clip(s: string, max: number): string {
	if (s.length <= max) return s;
	const cut = s.slice(0, max);
	return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}

/** "… 1 more line not shown", "… 12 more lines not shown". */
export function moreLines(n: number): string {
	return `${ELLIPSIS} ${n} more ${n === 1 ? "line" : "lines"} not shown`;
}

/** "1 more fact not shown", "6 more facts not shown". */
export function moreFacts(n: number): string {
	return `${n} more ${n === 1 ? "fact" : "facts"} not shown`;
}

/**
 * Renders markup line by line. A line whose rendering exceeds `max` is split at spaces; a single
 * word longer than `max` loses its formatting and is cut hard. Every returned line fits `max`.
 */
export function markupLines(
	text: string,
	max: number,
	render: RenderSpans,
): string[] {
	const out: string[] = [];
	for (const line of text.replace(/\r\n?/g, "\n").split("\n")) {
		const spans = parseMarkup(line);
		const whole = render(spans);
		if (whole.length <= max) out.push(whole);
		else out.push(...splitLine(spans, max, render));
	}
	return out;
}

function splitLine(spans: Span[], max: number, render: RenderSpans): string[] {
	const out: string[] = [];
	let current: Span[] = [];
	// Rendering words one by one never gives less than rendering them together (each word is
	// escaped as if it started a line), so while the sum fits, the line fits: the exact render is
	// needed only near the limit, which keeps long paragraphs linear.
	let estimate = 0;
	const flush = () => {
		const s = render(current).trimEnd();
		if (s) out.push(s);
		current = [];
		estimate = 0;
	};
	for (const word of words(spans)) {
		const size = render(word).length;
		if (
			estimate + size <= max ||
			render([...current, ...word]).trimEnd().length <= max
		) {
			current.push(...word);
			estimate += size;
			continue;
		}
		flush();
		if (render(word).trimEnd().length <= max) {
			current = [...word];
			estimate = size;
		} else out.push(...hardSplit(plainText(word), max, render));
	}
	flush();
	return out;
}

/** Groups spans into words: each text span is cut after every space; other spans stay whole. */
function words(spans: Span[]): Span[][] {
	const out: Span[][] = [[]];
	for (const span of spans) {
		if (span.kind !== "text") {
			out.at(-1)?.push(span);
			continue;
		}
		for (const part of span.text.split(/(?<= )/)) {
			out.at(-1)?.push({ kind: "text", text: part });
			if (part.endsWith(" ")) out.push([]);
		}
	}
	return out.filter((w) => w.length > 0);
}

function hardSplit(text: string, max: number, render: RenderSpans): string[] {
	const out: string[] = [];
	let rest = Array.from(text);
	const size = (k: number) =>
		render([{ kind: "text", text: rest.slice(0, k).join("") }]).length;
	while (rest.length > 0) {
		let lo = 1; // always take at least one code point so the loop ends
		let hi = rest.length;
		while (lo < hi) {
			const mid = Math.ceil((lo + hi) / 2);
			if (size(mid) <= max) lo = mid;
			else hi = mid - 1;
		}
		out.push(
			render([{ kind: "text", text: rest.slice(0, lo).join("") }]).trimEnd(),
		);
		rest = rest.slice(lo);
	}
	return out.filter((s) => s !== "");
}

/** Packs lines (each already ≤ max) greedily into chunks of at most `max`, joined by `sep`. */
export function packLines(lines: string[], max: number, sep = "\n"): string[] {
	const chunks: string[] = [];
	let current: string | null = null;
	for (const line of lines) {
		if (current !== null && current.length + sep.length + line.length <= max)
			current += sep + line;
		else {
			if (current !== null) chunks.push(current);
			current = line;
		}
	}
	if (current !== null) chunks.push(current);
	return chunks;
}

/**
 * `pre` text as lines: line endings normalised, trailing spaces cut (invisible, yet they count
 * against limits), blank lines at either end dropped. Empty when there is nothing to show.
 */
export function preLines(pre: string | undefined): string[] {
	const lines = (pre ?? "")
		.replace(/\r\n?/g, "\n")
		.split("\n")
		.map((l) => l.trimEnd());
	const first = lines.findIndex((l) => l !== "");
	if (first === -1) return [];
	const last = lines.findLastIndex((l) => l !== "");
	return lines.slice(first, last + 1);
}

/**
 * A line for a ``` code block on Slack or Discord, neither of which can escape a fence inside one:
 * every backtick of a run of three or more becomes ˋ, a look-alike, so the line cannot close it.
 */
export function fenceSafe(line: string): string {
	return line.replace(/`{3,}/g, (run) => "ˋ".repeat(run.length));
}

/** A table laid out monospace: the header and its rule, then one line per row. */
export interface TableLines {
	head: [string, string];
	rows: string[];
}

const NUMERIC = /^[-+−]?[$€£]?\d[\d,.]*\s?[%kKmMbB]?$/;

/**
 * Lays a table out in columns two spaces apart, numbers right-aligned. Cells are flattened to one
 * line, cut to TABLE_CELL_MAX, and backticks become ˋ so a cell cannot close a code block.
 */
export function tableLines(table: ChatTable): TableLines {
	const cell = (s: string | undefined) =>
		truncate(
			(s ?? "").replace(/\s+/g, " ").replaceAll("`", "ˋ").trim(),
			TABLE_CELL_MAX,
		);
	const head = table.columns.map(cell);
	const body = table.rows.map((r) => head.map((_, i) => cell(r[i])));
	const widths = head.map((h, i) =>
		Math.max(h.length, ...body.map((r) => r[i]?.length ?? 0)),
	);
	const right = head.map((_, i) => {
		const values = body.map((r) => r[i] ?? "").filter((v) => v !== "");
		return values.length > 0 && values.every((v) => NUMERIC.test(v));
	});
	const line = (cells: string[]) =>
		truncate(
			cells
				.map((c, i) =>
					right[i] ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0),
				)
				.join("  ")
				.trimEnd(),
			TABLE_LINE_MAX,
		);
	return {
		head: [line(head), line(widths.map((w) => "-".repeat(w)))],
		rows: body.map(line),
	};
}
