/**
 * Currencies as the product writes them: an ISO 4217 code (the unit a source's amounts are in,
 * `currency:` in the config) and the prefix an amount takes in prose and on charts.
 */

const SYMBOLS: Readonly<Record<string, string>> = {
	USD: "$",
	EUR: "€",
	GBP: "£",
	JPY: "¥",
	INR: "₹",
	CHF: "CHF ",
	CAD: "CA$",
	AUD: "A$",
};

/** True for three-letter currency codes (USD, EUR, …). */
export function isCurrency(unit: string): boolean {
	return /^[A-Z]{3}$/.test(unit);
}

/** What an amount in `code` starts with: "$", "CA$", or the code and a space ("SEK ") for the rest. */
export function currencyPrefix(code: string): string {
	return SYMBOLS[code] ?? `${code} `;
}
