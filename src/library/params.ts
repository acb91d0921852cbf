/**
 * Typed, validated parameters of a library query: a zod schema built from the header, applied
 * to what the user typed (`--param limit=10`). An error names the parameter and what it expects.
 */
import { z } from "zod";
import { isCalendarDay } from "../calendar.ts";
import type { QueryDefinition, QueryParam } from "./header.ts";

/** A parameter's value after validation; null for an absent optional parameter. */
export type ParamValue = string | number | boolean | null;

/** What a parameter expects, in words, for error messages and `query list`. */
export function expects(p: QueryParam): string {
	switch (p.type) {
		case "int":
			return p.min === undefined
				? "a whole number"
				: `a whole number from ${p.min} to ${p.max}`;
		case "number":
			return "a number";
		case "date":
			return "a date YYYY-MM-DD from 1900 to 2999";
		case "boolean":
			return "true or false";
		default:
			return "text";
	}
}

function valueSchema(p: QueryParam): z.ZodType<ParamValue, string> {
	const msg = { error: `expects ${expects(p)}` };
	switch (p.type) {
		case "int": {
			let n = z.number(msg).int(msg);
			if (p.min !== undefined) n = n.min(p.min, msg);
			if (p.max !== undefined) n = n.max(p.max, msg);
			return z
				.string()
				.regex(/^-?\d+$/, msg)
				.transform(Number)
				.pipe(n);
		}
		case "number":
			return z
				.string()
				.regex(/^-?\d+(\.\d+)?$/, msg)
				.transform(Number)
				.pipe(z.number(msg));
		case "date":
			return z.string().refine(isCalendarDay, msg);
		case "boolean":
			return z
				.enum(["true", "false", "yes", "no"], msg)
				.transform((v) => v === "true" || v === "yes");
		default:
			return z.string().max(200, { error: "is longer than 200 characters" });
	}
}

/** The zod schema of a query's parameters: raw strings in, typed values (defaults applied) out. */
export function paramsSchema(
	q: QueryDefinition,
): z.ZodType<Record<string, ParamValue>> {
	const shape: Record<string, z.ZodType<ParamValue>> = {};
	for (const p of q.params) {
		const v = valueSchema(p);
		shape[p.name] =
			p.default === undefined
				? v
				: p.default === null
					? v.nullable().default(null)
					: v.prefault(p.default);
	}
	return z.strictObject(shape) as unknown as z.ZodType<
		Record<string, ParamValue>
	>;
}

/** Validates raw parameters and returns them in placeholder order; throws a message naming each bad one. */
export function bindParams(
	q: QueryDefinition,
	raw: Readonly<Record<string, string>>,
): ParamValue[] {
	const known = new Set(q.params.map((p) => p.name));
	const stray = Object.keys(raw).filter((k) => !known.has(k));
	if (stray.length)
		throw new Error(
			`${q.name} has no parameter ${stray.map((s) => `"${s}"`).join(", ")}; its parameters are ${q.params.map((p) => p.name).join(", ") || "none"}`,
		);
	const r = paramsSchema(q).safeParse(raw);
	if (!r.success) {
		const problems = r.error.issues.map((i) => {
			const name = String(i.path[0] ?? "");
			const given = raw[name];
			const p = q.params.find((x) => x.name === name);
			return given === undefined
				? `parameter "${name}" is required (${p ? expects(p) : "a value"})`
				: `parameter "${name}" ${i.message}, got "${given}"`;
		});
		// One sentence per parameter: a value can fail several checks with the same message.
		throw new Error([...new Set(problems)].join("; "));
	}
	return q.order.map((name) => r.data[name] ?? null);
}
