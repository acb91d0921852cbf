/**
 * A question typed where a command was expected ("what were sales last month?"): the command
 * that answers it, when the question names a metric. Plain phrase matching against the catalog's
 * names and synonyms and the dimension list; nothing is guessed beyond what the words say.
 */
import { DIMENSIONS } from "../src/metrics/dimensions.ts";
import { createMetricCatalog } from "../src/metrics/index.ts";

const QUESTION_WORDS = new Set([
	"what",
	"whats",
	"how",
	"which",
	"who",
	"show",
	"give",
	"tell",
	"list",
	"did",
	"were",
	"was",
	"is",
	"are",
	"why",
]);

/** Names and synonyms of every metric, longest first, so "net sales" wins over "sales". */
const METRIC_NAMES = (() => {
	const catalog = createMetricCatalog({ currency: "USD" });
	return catalog.metrics
		.flatMap((m) =>
			[m.id.replaceAll("_", " "), m.label, ...m.synonyms].map((n) => ({
				id: m.id,
				name: normalise(n),
			})),
		)
		.sort((a, b) => b.name.length - a.name.length);
})();

function normalise(text: string): string {
	return ` ${text
		.toLowerCase()
		.replace(/[^a-z0-9% ]+/g, " ")
		.replace(/\s+/g, " ")
		.trim()} `;
}

/** True when `text` starts the way a question does ("what", "how", "show me" …). */
export function startsAsQuestion(text: string): boolean {
	return QUESTION_WORDS.has(normalise(text).trim().split(" ")[0] ?? "");
}

/** True when `text` reads as a question rather than a command. */
export function isQuestion(text: string): boolean {
	return startsAsQuestion(text) || text.trim().endsWith("?");
}

/** The command that answers `text`, or undefined when it is not a question about a metric. */
export function commandForQuestion(text: string): string | undefined {
	if (!isQuestion(text)) return undefined;
	const words = normalise(text);
	const found: { id: string; at: number }[] = [];
	let rest = words;
	for (const { id, name } of METRIC_NAMES) {
		if (found.length === 2) break;
		const at = rest.indexOf(name);
		if (at < 0 || found.some((f) => f.id === id)) continue;
		found.push({ id, at });
		// Blank the phrase out (keeping positions) so a shorter synonym inside it is not found again.
		rest = `${rest.slice(0, at)}${" ".repeat(name.length)}${rest.slice(at + name.length)}`;
	}
	const [a, b] = found.sort((x, y) => x.at - y.at).map((f) => f.id);
	if (!a) return undefined;
	if (b && /\b(correlat|relat|affect|drive|depend|link)/.test(words))
		return `correlate ${a} ${b}`;
	const by = DIMENSIONS.find((d) =>
		[d.id, d.label, ...d.synonyms].some((n) =>
			new RegExp(` (by|per|for each|each) ${normalise(n).trim()} `).test(words),
		),
	);
	const last = / (?:last|past) (\d{1,3}) (day|week|month)s? /.exec(words);
	const period = last
		? ` last ${last[1]} ${last[2]}s`
		: / (last|this|previous) (month|week|year) /.test(words)
			? " last 13 months"
			: "";
	return `metric ${a}${by ? ` by ${by.id}` : ""}${period}`;
}
