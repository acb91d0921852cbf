import { createRequire } from "node:module";
import {
	type DestinationStream,
	type Logger,
	type LoggerOptions,
	pino,
} from "pino";

export type { Logger };

/** JSON lines for machines (log shippers, `jq`), or one readable line per event for a person. */
export type LogFormat = "json" | "pretty";

/**
 * LOG_FORMAT=json|pretty when set; otherwise readable on a terminal and JSON anywhere else (a
 * pipe, a file, a container's log driver), so nothing downstream has to parse colours.
 */
export function logFormat(
	env: NodeJS.ProcessEnv,
	stream: { isTTY?: boolean },
): LogFormat {
	const asked = env.LOG_FORMAT?.trim().toLowerCase();
	if (asked === "json" || asked === "pretty") return asked;
	return stream.isTTY ? "pretty" : "json";
}

/**
 * pino-pretty as a synchronous stream to `fd`: the line is scrubbed of secrets first (pino's
 * streamWrite hook runs before any destination), then laid out as "12:00:01 INFO  message key=value".
 * Loaded only when asked for, so JSON logging never pays for it.
 */
function prettyStream(fd: 1 | 2, colorize: boolean): DestinationStream {
	const pretty = createRequire(import.meta.url)("pino-pretty") as (
		o: Record<string, unknown>,
	) => DestinationStream;
	return pretty({
		destination: fd,
		sync: true,
		colorize,
		translateTime: "SYS:HH:MM:ss",
		ignore: "pid,hostname,app",
		singleLine: true,
	});
}

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

/**
 * Builds the process logger: pino on stdout (or `fd`), JSON or readable (`format`), secrets
 * redacted by key and by value either way.
 */
export function createLogger(
	opts: {
		level?: string;
		secrets?: readonly string[];
		destination?: DestinationStream;
		format?: LogFormat;
		fd?: 1 | 2;
	} = {},
): Logger {
	const secrets = opts.secrets ?? [];
	const options: LoggerOptions = {
		level: opts.level ?? "info",
		base: { app: "erp-pulse", pid: process.pid },
		redact: { paths: REDACT_PATHS, censor: "***" },
		hooks: { streamWrite: (s) => scrubSecrets(s, secrets) },
	};
	const fd = opts.fd ?? 1;
	if (opts.format === "pretty") {
		const tty = (fd === 1 ? process.stdout : process.stderr).isTTY === true;
		return pino(options, prettyStream(fd, tty));
	}
	if (opts.destination) return pino(options, opts.destination);
	return fd === 1 ? pino(options) : pino(options, pino.destination(2));
}
