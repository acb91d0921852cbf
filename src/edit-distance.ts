/** Levenshtein distance and "did you mean", for config keys, CLI commands and options. */

/** The option closest to `word`, when it is close enough to be what was meant. */
export function closest(
	word: string,
	options: readonly string[],
): string | undefined {
	let best: { o: string; d: number } | undefined;
	for (const o of options) {
		const d = editDistance(word.toLowerCase(), o.toLowerCase());
		if (d <= Math.max(2, Math.floor(o.length / 3)) && (!best || d < best.d))
			best = { o, d };
	}
	return best?.o;
}

/** Levenshtein distance; small inputs only (config keys, metric names). */
export function editDistance(a: string, b: string): number {
	let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
	for (let i = 1; i <= a.length; i++) {
		const cur = [i];
		for (let j = 1; j <= b.length; j++) {
			const sub = (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
			cur.push(Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, sub));
		}
		prev = cur;
	}
	return prev[b.length] ?? 0;
}
