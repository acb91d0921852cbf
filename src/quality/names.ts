/**
 * Salesperson name matching, as the seed's merge_sales_person_variations script does it: the
 * same rep typed as "John Smith", "J. Smith", "Smith, John" or "john smith " is one person.
 * Pure: takes the variants seen and the people known, returns who each variant is and why.
 */
export type MatchMethod = "exact" | "normalised" | "reordered" | "initial";

export interface Person {
	id: string;
	name: string;
}

export interface NameMatch {
	alias: string;
	person: Person;
	method: MatchMethod;
}

export interface NameMatches {
	matched: NameMatch[];
	/** Variants that match nobody, or more than one person (ambiguous initials). */
	unmatched: { alias: string; reason: string }[];
}

/** Lower case, no dots or extra spaces: "  J.  Smith " → "j smith". */
export function normaliseName(name: string): string {
	return name.toLowerCase().replace(/\./g, " ").replace(/\s+/g, " ").trim();
}

/** "Smith, John" → "john smith"; other names unchanged (normalised). */
export function reorderName(name: string): string {
	const [last, first, ...rest] = name.split(",").map((p) => normaliseName(p));
	return rest.length === 0 && first && last
		? `${first} ${last}`
		: normaliseName(name);
}

function byInitial(alias: string, people: readonly Person[]): Person[] {
	const parts = reorderName(alias).split(" ");
	const initial = parts[0];
	const last = parts.slice(1).join(" ");
	if (initial?.length !== 1 || !last) return [];
	return people.filter((p) => {
		const n = normaliseName(p.name).split(" ");
		return n[0]?.startsWith(initial) && n.slice(1).join(" ") === last;
	});
}

export function matchNames(
	aliases: readonly string[],
	people: readonly Person[],
): NameMatches {
	const exact = new Map(people.map((p) => [p.name, p]));
	const normal = new Map<string, Person[]>();
	for (const p of people)
		normal.set(normaliseName(p.name), [
			...(normal.get(normaliseName(p.name)) ?? []),
			p,
		]);
	const out: NameMatches = { matched: [], unmatched: [] };
	for (const alias of [...new Set(aliases)].sort()) {
		const hit = exact.get(alias);
		if (hit) {
			out.matched.push({ alias, person: hit, method: "exact" });
			continue;
		}
		const tries: [MatchMethod, Person[]][] = [
			["normalised", normal.get(normaliseName(alias)) ?? []],
			[
				"reordered",
				alias.includes(",") ? (normal.get(reorderName(alias)) ?? []) : [],
			],
			["initial", byInitial(alias, people)],
		];
		const found = tries.find(([, c]) => c.length > 0);
		if (!found)
			out.unmatched.push({ alias, reason: "matches no known salesperson" });
		else if (found[1].length > 1) {
			out.unmatched.push({
				alias,
				reason: `ambiguous: could be ${found[1].map((p) => p.name).join(" or ")}`,
			});
		} else
			out.matched.push({
				alias,
				person: found[1][0] as Person,
				method: found[0],
			});
	}
	return out;
}
