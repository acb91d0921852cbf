import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import type { z } from "zod";
import { closest } from "../edit-distance.ts";
import { AppError } from "../errors.ts";
import { type Config, configSchema, configShape } from "./schema.ts";

/** Where the configuration came from, and the secret values it pulled from env (for log scrubbing). */
export interface LoadedConfig {
	config: Config;
	/** The file path, or "defaults" when no file was found. */
	source: string;
	/** Values of every env var the file referenced, plus DATABASE_URL: never to appear in logs. */
	secrets: string[];
}

export const DEFAULT_CONFIG_FILE = "erp-pulse.yaml";

const ENV_REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/** C0 controls except tab, newline and carriage return, and DEL: never meant in a config value. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
const CONTROL_CHAR = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** The first "${" that does not start a well-formed reference (unclosed, empty, a bad name), if any. */
function unclosedReference(value: string): string | undefined {
	const rest = value.replace(ENV_REF, "");
	const at = rest.indexOf("${");
	if (at < 0) return undefined;
	const end = rest.indexOf("}", at);
	return end < 0 ? rest.slice(at) : rest.slice(at, end + 1);
}

/**
 * Replaces `${VAR}` and `${VAR:-default}` in every string of the parsed file. A value that is
 * exactly one reference is re-read as a YAML scalar, so `port: ${PORT}` yields a number.
 */
export function interpolateEnv(
	value: unknown,
	env: NodeJS.ProcessEnv,
	problems: string[],
	secrets: string[],
	at: string[] = [],
): unknown {
	if (typeof value === "string") {
		const control = CONTROL_CHAR.exec(value);
		if (control) {
			problems.push(
				`${keyPath(at)}: holds a control character (U+${control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}) at character ${control.index + 1}; got ${JSON.stringify(value)}. Fix: remove it (a "\\0" or "\\x.." escape in double quotes makes one).`,
			);
			return value;
		}
		const unclosed = unclosedReference(value);
		if (unclosed !== undefined) {
			problems.push(
				`${keyPath(at)}: ${JSON.stringify(unclosed)} is not a complete environment reference; got ${JSON.stringify(value)}. Fix: write \${NAME} or \${NAME:-default}, where NAME is letters, digits and underscores.`,
			);
			return value;
		}
		const whole = /^\$\{[^}]+\}$/.test(value);
		const out = value.replace(
			ENV_REF,
			(_m, name: string, fallback: string | undefined) => {
				const v = env[name];
				if (v !== undefined && v !== "") {
					secrets.push(v);
					return v;
				}
				if (fallback !== undefined) return fallback;
				problems.push(
					`${keyPath(at)}: environment variable ${name} is not set. Fix: export ${name}=… before starting, or write \${${name}:-default} in the file.`,
				);
				return "";
			},
		);
		return whole ? parseYaml(out) : out;
	}
	if (Array.isArray(value))
		return value.map((v, i) =>
			interpolateEnv(v, env, problems, secrets, [...at, String(i)]),
		);
	if (value && typeof value === "object") {
		return Object.fromEntries(
			Object.entries(value).map(([k, v]) => [
				k,
				interpolateEnv(v, env, problems, secrets, [...at, k]),
			]),
		);
	}
	return value;
}

function keyPath(at: readonly (string | number | symbol)[]): string {
	return at.length === 0 ? "(top level)" : at.map(String).join(".");
}

/** The value at a zod issue path inside the input, for "got …" in messages. */
export function valueAt(root: unknown, at: readonly PropertyKey[]): unknown {
	let cur: unknown = root;
	for (const k of at) {
		if (cur === null || typeof cur !== "object") return undefined;
		cur = (cur as Record<PropertyKey, unknown>)[k];
	}
	return cur;
}

function allowedKeys(at: readonly PropertyKey[]): string[] {
	let schema: z.ZodType = configShape;
	for (const k of at) {
		const shape = (unwrap(schema) as { shape?: Record<string, z.ZodType> })
			.shape;
		const next = shape?.[String(k)];
		if (!next) return [];
		schema = next;
	}
	return Object.keys((unwrap(schema) as { shape?: object }).shape ?? {});
}

function unwrap(schema: z.ZodType): z.ZodType {
	let s = schema as z.ZodType & {
		unwrap?: () => z.ZodType;
		def?: { innerType?: z.ZodType };
	};
	while (s.def?.innerType) s = s.def.innerType as typeof s;
	return s;
}

/** One line per problem: the key path, what was expected, what was found, and how to fix it. */
export function describeIssues(
	issues: readonly z.core.$ZodIssue[],
	input: unknown,
): string[] {
	return issues.flatMap((issue) => {
		if (issue.code === "unrecognized_keys") {
			const allowed = allowedKeys(issue.path);
			return issue.keys.map((k) => {
				const hint = closest(k, allowed);
				const where = keyPath([...issue.path, k]);
				return `${where}: unknown key${hint ? `, did you mean "${hint}"?` : "."} Allowed here: ${allowed.join(", ")}.`;
			});
		}
		if (issue.code === "invalid_key") {
			// A record key (a source name, a schedule name) that its own schema refused.
			const why = issue.issues[0]?.message ?? "not allowed here";
			return [
				`${keyPath(issue.path)}: ${why}; got the name ${JSON.stringify(String(issue.path.at(-1)))}. Fix that key in the config file.`,
			];
		}
		const got = valueAt(input, issue.path);
		const shown =
			got === undefined
				? "nothing"
				: `${JSON.stringify(got)} (${Array.isArray(got) ? "list" : typeof got})`;
		return [
			`${keyPath(issue.path)}: ${issue.message}; got ${shown}. Fix that key in the config file.`,
		];
	});
}

/** Parses and validates config text. Throws AppError("config_invalid") listing every problem. */
export function parseConfig(
	text: string,
	source: string,
	env: NodeJS.ProcessEnv = process.env,
): LoadedConfig {
	let raw: unknown;
	try {
		raw = parseYaml(text) ?? {};
	} catch (err) {
		throw new AppError(
			"config_invalid",
			`Config file ${source} is not valid YAML: ${(err as Error).message}`,
			{
				cause: err,
			},
		);
	}
	if (typeof raw !== "object" || Array.isArray(raw) || raw === null) {
		throw new AppError(
			"config_invalid",
			`Config file ${source} must be a YAML mapping of keys (like "http:"), not a ${typeof raw}.`,
		);
	}
	const problems: string[] = [];
	const secrets: string[] = [];
	const resolved = interpolateEnv(raw, env, problems, secrets);
	const parsed = configSchema.safeParse(resolved);
	if (!parsed.success) {
		// A key whose text was already refused (a control character, a broken reference) is named once.
		const named = new Set(problems.map((p) => p.slice(0, p.indexOf(": "))));
		problems.push(
			...describeIssues(parsed.error.issues, resolved).filter(
				(p) => !named.has(p.slice(0, p.indexOf(": "))),
			),
		);
	}
	if (problems.length > 0 || !parsed.success) {
		throw new AppError(
			"config_invalid",
			`Config file ${source} is invalid:\n${problems.map((p) => `  - ${p}`).join("\n")}`,
		);
	}
	for (const key of ["DATABASE_URL", "MONITOR_DATABASE_URL"] as const) {
		const url = env[key];
		if (!url) continue;
		secrets.push(url);
		// The password alone, too (a message may quote the URL in another form), unless it is so
		// short that hiding it would blank out ordinary words.
		const password = passwordOf(url);
		if (password && password.length >= 8) secrets.push(password);
	}
	return { config: parsed.data, source, secrets };
}

/**
 * Reads the config: an explicit path (flag or ERP_PULSE_CONFIG) must exist; otherwise
 * ./erp-pulse.yaml is used when present, else built-in defaults (the zero-config demo).
 */
export function loadConfig(
	explicitPath?: string,
	env: NodeJS.ProcessEnv = process.env,
): LoadedConfig {
	const wanted = explicitPath ?? env.ERP_PULSE_CONFIG;
	const file = wanted ?? DEFAULT_CONFIG_FILE;
	if (!existsSync(file)) {
		if (wanted) {
			throw new AppError(
				"config_unreadable",
				`Config file ${wanted} does not exist. Fix: check the path, or leave it out to run on the built-in defaults.`,
			);
		}
		return parseConfig("{}", "defaults", env);
	}
	let text: string;
	try {
		text = readFileSync(file, "utf8");
	} catch (err) {
		throw new AppError(
			"config_unreadable",
			`Cannot read config file ${file}: ${(err as Error).message}`,
			{ cause: err },
		);
	}
	return parseConfig(
		text,
		path.relative(process.cwd(), path.resolve(file)) || file,
		env,
	);
}

function passwordOf(url: string): string | null {
	try {
		return decodeURIComponent(new URL(url).password) || null;
	} catch {
		return null;
	}
}
