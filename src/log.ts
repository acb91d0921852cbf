import {
	type DestinationStream,
	type Logger,
	type LoggerOptions,
	pino,
} from "pino";

export type { Logger };

/** Key paths whose values never reach a log line, wherever they appear in a logged object. */
const REDACT_PATHS = [
	"password",
	"*.password",
	"token",
	"*.token",
	"*.botToken",
	"*.appToken",
	"*.signingSecret",
	"*.publicKey",
	"connectionString",
	"*.connectionString",
	"databaseUrl",
	"*.databaseUrl",
	"headers.authorization",
	"*.headers.authorization",
];

const URL_CREDENTIALS = /([a-z][a-z0-9+.-]*:\/\/[^:/?#\s"]+:)[^@/\s"]+@/gi;

/**
 * Scrubs secrets by value as a last line of defence: credentials inside URLs, and every secret
 * string the caller names (tokens and passwords read from env), wherever they occur in the line.
 */
export function scrubSecrets(line: string, secrets: readonly string[]): string {
	let out = line.replace(URL_CREDENTIALS, "$1***@");
	for (const s of secrets) if (s.length >= 6) out = out.split(s).join("***");
	return out;
}

/** Builds the process logger: pino JSON on stdout, secrets redacted by key and by value. */
export function createLogger(
	opts: {
		level?: string;
		secrets?: readonly string[];
		destination?: DestinationStream;
	} = {},
): Logger {
	const secrets = opts.secrets ?? [];
	const options: LoggerOptions = {
		level: opts.level ?? "info",
		base: { app: "erp-pulse", pid: process.pid },
		redact: { paths: REDACT_PATHS, censor: "***" },
		hooks: { streamWrite: (s) => scrubSecrets(s, secrets) },
	};
	return opts.destination ? pino(options, opts.destination) : pino(options);
}
