import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import type { z } from "zod";
import { mappingRef } from "../config/schema.ts";
import { closest } from "../edit-distance.ts";
import { AppError } from "../errors.ts";
import { projectRoot } from "../paths.ts";
import { ENTITY_NAMES, type EntityName } from "./entities.ts";
import { checkMappingTargets, type Mapping, mappingSchema } from "./mapping.ts";

export const MAPPINGS_DIR = path.join(projectRoot, "templates", "mappings");

function fileOf(ref: string): string {
	return ref.includes("/") || ref.endsWith(".yaml")
		? path.resolve(ref)
		: path.join(MAPPINGS_DIR, `${ref}.yaml`);
}

type RawMapping = {
	extends?: unknown;
	entities?: Record<string, Record<string, unknown>>;
} & Record<string, unknown>;

/** Reads a mapping file and the chain it extends, merging entities key by key (the extending file wins). */
function readRaw(ref: string, seen: string[]): RawMapping {
	if (!mappingRef.safeParse(ref).success)
		throw new AppError(
			"mapping_invalid",
			`Mapping ${JSON.stringify(ref)}${seen.length > 0 ? ` (extended by ${seen.at(-1)})` : ""} is neither a name from templates/mappings/ nor a path to a .yaml file. Fix: write a name such as "demo-erp", or a path ending in .yaml.`,
		);
	const file = fileOf(ref);
	if (!existsSync(file)) {
		throw new AppError(
			"mapping_invalid",
			`Mapping "${ref}"${seen.length > 0 ? ` (extended by ${seen.at(-1)})` : ""} not found (looked for ${file}). Fix: name a file in templates/mappings/ or give a path.`,
		);
	}
	if (seen.includes(file))
		throw new AppError(
			"mapping_invalid",
			`Mapping ${file} extends itself (${[...seen, file].join(" → ")}).`,
		);
	let raw: RawMapping;
	try {
		raw = (parseYaml(readFileSync(file, "utf8")) ?? {}) as RawMapping;
	} catch (err) {
		throw new AppError(
			"mapping_invalid",
			`Mapping ${file} is not valid YAML: ${(err as Error).message}`,
		);
	}
	if (typeof raw.extends !== "string") return raw;
	// A path in `extends` is relative to the file that extends, not to the working folder.
	const parent =
		raw.extends.includes("/") && !path.isAbsolute(raw.extends)
			? path.resolve(path.dirname(file), raw.extends)
			: raw.extends;
	const base = readRaw(parent, [...seen, file]);
	const entities: Record<string, Record<string, unknown>> = {
		...base.entities,
	};
	for (const [name, e] of Object.entries(raw.entities ?? {}))
		entities[name] = { ...base.entities?.[name], ...e };
	const { extends: _, ...rest } = raw;
	return { ...base, ...rest, entities };
}

/** The keys each level of a mapping file may have, for "did you mean". */
const KEYS_AT: Record<string, readonly string[]> = {
	"": ["extends", "description", "entities"],
	entities: ENTITY_NAMES,
	entity: ["from", "watermark", "only", "columns"],
	watermark: ["column", "overlap"],
};

/** zod's issue in the mapping's own words: an unknown key names the keys allowed there, and the closest. */
function explainIssue(i: z.core.$ZodIssue): string {
	if (i.code !== "unrecognized_keys") return i.message;
	const where =
		i.path.length === 0
			? ""
			: i.path[0] === "entities" && i.path.length === 1
				? "entities"
				: i.path.at(-1) === "watermark"
					? "watermark"
					: "entity";
	const allowed = KEYS_AT[where] ?? [];
	return i.keys
		.map((k) => {
			const near = closest(k, allowed);
			const what = where === "entities" ? "entity" : "key";
			return `unknown ${what} "${k}"${near ? ` (did you mean "${near}"?)` : ""}; ${where === "entities" ? "the entities are" : "allowed here:"} ${allowed.join(", ")}`;
		})
		.join("; ");
}

/** A mapping by name (templates/mappings/<name>.yaml) or by path; `extends` chains are followed. */
export function loadMapping(ref: string): Mapping {
	const file = fileOf(ref);
	const parsed = mappingSchema.safeParse(readRaw(ref, []));
	if (!parsed.success) {
		const lines = parsed.error.issues
			.filter(
				// A misspelt "entities" also reports entities as missing: the spelling is the news.
				(i, _, all) =>
					!(
						i.path.join(".") === "entities" &&
						i.code === "invalid_type" &&
						i.input === undefined &&
						all.some((o) => o.code === "unrecognized_keys")
					),
			)
			.map(
				(i) => `  - ${i.path.join(".") || "(top level)"}: ${explainIssue(i)}`,
			);
		throw new AppError(
			"mapping_invalid",
			`Mapping ${file} is invalid:\n${lines.join("\n")}`,
		);
	}
	const mapping = parsed.data;
	const problems = Object.entries(mapping.entities).flatMap(([name, e]) =>
		e ? checkMappingTargets(name as EntityName, e) : [],
	);
	if (problems.length > 0)
		throw new AppError(
			"mapping_invalid",
			`Mapping ${file} is invalid:\n${problems.map((p) => `  - ${p}`).join("\n")}`,
		);
	return mapping;
}
