import { createHmac } from "node:crypto";
import type { CanonicalRow } from "./entities.ts";

/**
 * Keyed pseudonymisation: the same input and key always give the same token, so a customer id
 * anonymised in order lines still joins to the same id in customers, while the key (kept in env)
 * is needed to link a token back to a person by guessing.
 */
export function pseudonym(value: string, key: string): string {
	return `anon_${createHmac("sha256", key).update(value).digest("hex").slice(0, 20)}`;
}

export function anonymiseRow(
	row: CanonicalRow,
	columns: readonly string[],
	key: string,
): CanonicalRow {
	const out = { ...row };
	for (const c of columns) {
		const v = out[c];
		if (v !== null && v !== undefined && v !== "")
			out[c] = pseudonym(String(v), key);
	}
	return out;
}
