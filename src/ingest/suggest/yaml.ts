import type { ValueSpec } from "../mapping.ts";
import {
	dateFormatLine,
	type EntityProposal,
	type Suggestion,
} from "./index.ts";

const RESERVED = /^(true|false|yes|no|on|off|null|~|y|n)$/i;

/** A scalar as YAML reads it back unchanged: bare when safe, else JSON-quoted (YAML is a superset). */
export function yamlScalar(v: string | number | boolean | null): string {
	if (typeof v !== "string") return JSON.stringify(v);
	const bare =
		/^[A-Za-z_][A-Za-z0-9_ ./-]*$/.test(v) &&
		!RESERVED.test(v) &&
		!v.endsWith(" ") &&
		!v.includes(": ");
	return bare ? v : JSON.stringify(v);
}

/** A mapping expression in YAML flow style: `CustNo`, `{column: CustomerID, cast: int}`. */
export function yamlSpec(spec: ValueSpec): string {
	return yamlValue(spec);
}

function yamlValue(v: unknown): string {
	if (Array.isArray(v)) return `[${v.map(yamlValue).join(", ")}]`;
	if (v !== null && typeof v === "object")
		return `{${Object.entries(v)
			.map(([k, x]) => `${yamlScalar(k)}: ${yamlValue(x)}`)
			.join(", ")}}`;
	return yamlScalar(v as string | number | boolean | null);
}

function entityYaml(p: EntityProposal): string[] {
	const out = [`  ${p.entity}:`];
	for (const n of p.notes) out.push(`    # ${n}`);
	if ("table" in p.from)
		out.push(`    from: { table: ${yamlScalar(p.from.table)} }`);
	else out.push("    from:", "      select: >-", `        ${p.from.select}`);
	if (p.only)
		out.push(
			`    only: ${yamlSpec(p.only)}  # rows without it are skipped, not rejected`,
		);
	if (p.watermark)
		out.push(
			`    watermark: { column: ${yamlScalar(p.watermark.column)}, overlap: ${p.watermark.overlap} }  # read only rows past the last load, re-reading ${p.watermark.overlap} for late postings`,
		);
	else if (p.entity !== "stock_levels")
		out.push(
			"    # no watermark: the whole table is read each run and only changed rows are written",
		);
	out.push("    columns:");
	for (const c of p.columns)
		out.push(
			`      ${c.canon}: ${yamlSpec(c.spec)}  # ${c.confidence}: ${c.evidence}${c.note ? `. Check: ${c.note}` : ""}`,
		);
	for (const t of p.todo) out.push(`      # TODO ${t.canon}: ${t.why}`);
	return out;
}

/** The suggestion as a commented mapping file: every proposal with its evidence, every gap a TODO. */
export function suggestionYaml(s: Suggestion): string {
	const out = [
		`# Proposed by \`erp-pulse sources suggest ${s.source}\` (${s.kind} source) from its tables' names, types and values.`,
		"# Check every line before trusting it: each says how sure the guess is (high: a known name whose values fit;",
		"# medium: a near name or a derived value; low: a fallback) and why. TODO lines are columns not found:",
		"# map them if the source has them, or leave them out. Then: erp-pulse ingest <source> --dry-run",
	];
	const dates = dateFormatLine(s);
	if (dates)
		out.push(
			"#",
			"# Add to the source's connection in the config file, so its dates can be read:",
			`#   ${dates}`,
		);
	for (const m of s.missing) out.push(`# Not found: ${m.entity}: ${m.why}.`);
	out.push(
		`description: Proposed for ${s.source} by sources suggest (edit me)`,
		"entities:",
	);
	if (s.entities.length === 0) out.push("  {}");
	for (const p of s.entities) out.push(...entityYaml(p));
	return `${out.join("\n")}\n`;
}
