import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

/**
 * The one font charts are drawn with. DejaVu Sans (from the `dejavu-fonts-ttf` package, Bitstream
 * Vera licence plus public-domain changes, see its LICENSE) covers Latin, Greek and Cyrillic; it has
 * no CJK glyphs, so CJK characters draw as the font's empty box (the alt text keeps them).
 */
export const CHART_FONT_FAMILY = "DejaVu Sans";

/** Paths of the regular and bold TTF files, resolved from the installed package. */
export interface ChartFontFiles {
	regular: string;
	bold: string;
}

export function chartFontFiles(): ChartFontFiles {
	const require = createRequire(import.meta.url);
	return {
		regular: require.resolve("dejavu-fonts-ttf/ttf/DejaVuSans.ttf"),
		bold: require.resolve("dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf"),
	};
}

/**
 * Horizontal metrics of one TTF: enough to measure a line of text the way the rasteriser will lay
 * it out (advance widths only; kerning moves a line by well under a pixel at chart sizes).
 */
export interface FontMetrics {
	unitsPerEm: number;
	/** Advance width in font units of the glyph for a code point, or of the missing-glyph box. */
	advance(codePoint: number): number;
	/** Whether the font has a glyph for the code point. */
	covers(codePoint: number): boolean;
}

/** Reads `head`, `hhea`, `hmtx` and `cmap` (formats 4 and 12) from a TrueType file. */
export function parseFontMetrics(bytes: Uint8Array): FontMetrics {
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const tables = new Map<string, number>();
	const numTables = view.getUint16(4);
	for (let i = 0; i < numTables; i++) {
		const rec = 12 + i * 16;
		const tag = String.fromCharCode(
			view.getUint8(rec),
			view.getUint8(rec + 1),
			view.getUint8(rec + 2),
			view.getUint8(rec + 3),
		);
		tables.set(tag, view.getUint32(rec + 8));
	}
	const table = (tag: string): number => {
		const at = tables.get(tag);
		if (at === undefined) throw new Error(`font has no ${tag} table`);
		return at;
	};
	const unitsPerEm = view.getUint16(table("head") + 18);
	const numberOfHMetrics = view.getUint16(table("hhea") + 34);
	const hmtx = table("hmtx");
	const glyphAdvance = (glyph: number): number =>
		view.getUint16(hmtx + 4 * Math.min(glyph, numberOfHMetrics - 1));
	const glyphOf = readCmap(view, table("cmap"));
	return {
		unitsPerEm,
		advance: (cp) => glyphAdvance(glyphOf(cp)),
		covers: (cp) => glyphOf(cp) !== 0,
	};
}

function readCmap(view: DataView, cmap: number): (codePoint: number) => number {
	const count = view.getUint16(cmap + 2);
	let best: { format: number; at: number } | undefined;
	for (let i = 0; i < count; i++) {
		const rec = cmap + 4 + i * 8;
		const platform = view.getUint16(rec);
		const encoding = view.getUint16(rec + 2);
		const at = cmap + view.getUint32(rec + 4);
		const format = view.getUint16(at);
		const unicode = platform === 0 || (platform === 3 && encoding !== 0);
		if (!unicode) continue;
		if (format === 12 || (format === 4 && best?.format !== 12)) {
			best = { format, at };
		}
	}
	if (!best) throw new Error("font has no Unicode cmap");
	const cache = new Map<number, number>();
	const lookup =
		best.format === 12 ? cmap12(view, best.at) : cmap4(view, best.at);
	return (cp) => {
		let glyph = cache.get(cp);
		if (glyph === undefined) {
			glyph = lookup(cp);
			cache.set(cp, glyph);
		}
		return glyph;
	};
}

function cmap4(view: DataView, at: number): (cp: number) => number {
	const segX2 = view.getUint16(at + 6);
	const ends = at + 14;
	const starts = ends + segX2 + 2;
	const deltas = starts + segX2;
	const rangeOffsets = deltas + segX2;
	return (cp) => {
		if (cp > 0xffff) return 0;
		for (let s = 0; s < segX2; s += 2) {
			if (cp > view.getUint16(ends + s)) continue;
			const start = view.getUint16(starts + s);
			if (cp < start) return 0;
			const delta = view.getInt16(deltas + s);
			const rangeOffset = view.getUint16(rangeOffsets + s);
			if (rangeOffset === 0) return (cp + delta) & 0xffff;
			const glyphAt = rangeOffsets + s + rangeOffset + 2 * (cp - start);
			const glyph = view.getUint16(glyphAt);
			return glyph === 0 ? 0 : (glyph + delta) & 0xffff;
		}
		return 0;
	};
}

function cmap12(view: DataView, at: number): (cp: number) => number {
	const groups = view.getUint32(at + 12);
	return (cp) => {
		let lo = 0;
		let hi = groups - 1;
		while (lo <= hi) {
			const mid = (lo + hi) >>> 1;
			const g = at + 16 + mid * 12;
			const start = view.getUint32(g);
			const end = view.getUint32(g + 4);
			if (cp < start) hi = mid - 1;
			else if (cp > end) lo = mid + 1;
			else return view.getUint32(g + 8) + (cp - start);
		}
		return 0;
	};
}

/** Measures text in pixels, with the regular or bold face, as resvg will draw it. */
export interface TextMeasurer {
	width(text: string, fontSize: number, bold?: boolean): number;
	covers(text: string): boolean;
}

export function loadTextMeasurer(files: ChartFontFiles): TextMeasurer {
	const regular = parseFontMetrics(readFileSync(files.regular));
	const bold = parseFontMetrics(readFileSync(files.bold));
	return {
		width(text, fontSize, isBold = false) {
			const m = isBold ? bold : regular;
			let units = 0;
			for (const ch of text) units += m.advance(ch.codePointAt(0) ?? 0);
			return (units * fontSize) / m.unitsPerEm;
		},
		covers(text) {
			for (const ch of text)
				if (!regular.covers(ch.codePointAt(0) ?? 0)) return false;
			return true;
		},
	};
}
