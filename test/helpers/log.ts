import { Writable } from "node:stream";
import { createLogger, type Logger } from "../../src/log.ts";

/** A real pino logger whose JSON lines are kept in memory for assertions. */
export function memoryLogger(secrets: string[] = []): {
	log: Logger;
	lines: () => Record<string, unknown>[];
	text: () => string;
} {
	const chunks: string[] = [];
	const destination = new Writable({
		write(chunk, _enc, cb) {
			chunks.push(chunk.toString());
			cb();
		},
	});
	const log = createLogger({ level: "debug", secrets, destination });
	const text = () => chunks.join("");
	return {
		log,
		text,
		lines: () =>
			text()
				.split("\n")
				.filter(Boolean)
				.map((l) => JSON.parse(l) as Record<string, unknown>),
	};
}
