import { inflateSync } from "node:zlib";

/** Width, height and RGBA pixels of a PNG, enough to check what a chart drew. */
export interface DecodedPng {
	width: number;
	height: number;
	bitDepth: number;
	colorType: number;
	/** RGBA, 4 bytes a pixel, row by row. */
	rgba: Uint8Array;
}

/** The size the IHDR chunk states, read straight from the header bytes. */
export function pngHeaderSize(png: Buffer): { width: number; height: number } {
	if (png.subarray(0, 8).toString("hex") !== "89504e470d0a1a0a")
		throw new Error("not a PNG");
	if (png.subarray(12, 16).toString("latin1") !== "IHDR")
		throw new Error("first chunk is not IHDR");
	return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** Decodes an 8-bit RGBA PNG (what resvg writes): joins IDAT chunks, inflates, undoes the filters. */
export function decodePng(png: Buffer): DecodedPng {
	const { width, height } = pngHeaderSize(png);
	const bitDepth = png.readUInt8(24);
	const colorType = png.readUInt8(25);
	if (bitDepth !== 8 || colorType !== 6)
		throw new Error(`unsupported PNG: depth ${bitDepth}, type ${colorType}`);
	const idat: Buffer[] = [];
	for (let at = 8; at < png.length; ) {
		const len = png.readUInt32BE(at);
		const type = png.subarray(at + 4, at + 8).toString("latin1");
		if (type === "IDAT") idat.push(png.subarray(at + 8, at + 8 + len));
		at += 12 + len;
	}
	const raw = inflateSync(Buffer.concat(idat));
	const stride = width * 4;
	const rgba = new Uint8Array(height * stride);
	for (let y = 0; y < height; y++) {
		const filter = raw[y * (stride + 1)] ?? 0;
		const src = y * (stride + 1) + 1;
		for (let x = 0; x < stride; x++) {
			const a = x >= 4 ? (rgba[y * stride + x - 4] ?? 0) : 0;
			const b = y > 0 ? (rgba[(y - 1) * stride + x] ?? 0) : 0;
			const c = x >= 4 && y > 0 ? (rgba[(y - 1) * stride + x - 4] ?? 0) : 0;
			const p = a + b - c;
			const pa = Math.abs(p - a);
			const pb = Math.abs(p - b);
			const pc = Math.abs(p - c);
			const paeth = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
			const predictor = [0, a, b, (a + b) >>> 1, paeth][filter] ?? 0;
			rgba[y * stride + x] = ((raw[src + x] ?? 0) + predictor) & 0xff;
		}
	}
	return { width, height, bitDepth, colorType, rgba };
}

/** Pixels in a rectangle that are clearly not the white background (ink: lines, bars, glyphs). */
export function inkPixels(
	img: DecodedPng,
	box: { x: number; y: number; width: number; height: number } = {
		x: 0,
		y: 0,
		width: img.width,
		height: img.height,
	},
): number {
	let n = 0;
	for (let y = box.y; y < Math.min(img.height, box.y + box.height); y++) {
		for (let x = box.x; x < Math.min(img.width, box.x + box.width); x++) {
			const i = (y * img.width + x) * 4;
			const lum =
				((img.rgba[i] ?? 255) +
					(img.rgba[i + 1] ?? 255) +
					(img.rgba[i + 2] ?? 255)) /
				3;
			if (lum < 200) n++;
		}
	}
	return n;
}
