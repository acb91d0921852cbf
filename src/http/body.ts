import type { IncomingMessage } from "node:http";

/** Reads a request body up to `max` bytes; null when it is longer (the rest is left unread). */
export async function readBody(
	req: IncomingMessage,
	max: number,
): Promise<Buffer | null> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of req) {
		size += (chunk as Buffer).length;
		if (size > max) return null;
		chunks.push(chunk as Buffer);
	}
	return Buffer.concat(chunks);
}
