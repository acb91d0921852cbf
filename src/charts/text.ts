import type { TextMeasurer } from "./font.ts";

const ELLIPSIS = "\u2026";

/** One line of plain text: control characters and runs of whitespace become single spaces. */
export function oneLine(text: string): string {
	// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point.
	return text.replace(/[\u0000-\u001f\u007f\s]+/g, " ").trim();
}

/**
 * Cuts text to fit `maxWidth` pixels, ending it with an ellipsis. Cuts between code points, so a
 * non-Latin label never ends in half a character.
 */
export function truncateToWidth(
	text: string,
	maxWidth: number,
	fontSize: number,
	measure: TextMeasurer,
	bold = false,
): string {
	const clean = oneLine(text);
	if (measure.width(clean, fontSize, bold) <= maxWidth) return clean;
	const chars = [...clean];
	let lo = 0;
	let hi = chars.length;
	while (lo < hi) {
		const mid = (lo + hi + 1) >>> 1;
		const candidate = `${chars.slice(0, mid).join("").trimEnd()}${ELLIPSIS}`;
		if (measure.width(candidate, fontSize, bold) <= maxWidth) lo = mid;
		else hi = mid - 1;
	}
	return `${chars.slice(0, lo).join("").trimEnd()}${ELLIPSIS}`;
}
