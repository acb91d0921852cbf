/**
 * Date formats for CSV columns written the way an export writes them ("M/D/YYYY H:mm"), turned
 * into the canonical "YYYY-MM-DD" or "YYYY-MM-DD HH:MM:SS". Tokens: YYYY, MM, M, DD, D, HH, H,
 * mm, ss; anything else is literal. A format with an hour gives a datetime, without one a date.
 */

const TOKENS = ["YYYY", "MM", "M", "DD", "D", "HH", "H", "mm", "ss"] as const;
type Token = (typeof TOKENS)[number];

const PATTERN: Record<Token, string> = {
	YYYY: "(\\d{4})",
	MM: "(\\d{2})",
	M: "(\\d{1,2})",
	DD: "(\\d{2})",
	D: "(\\d{1,2})",
	HH: "(\\d{2})",
	H: "(\\d{1,2})",
	mm: "(\\d{2})",
	ss: "(\\d{2})",
};

const FIELD: Record<
	Token,
	"year" | "month" | "day" | "hour" | "minute" | "second"
> = {
	YYYY: "year",
	MM: "month",
	M: "month",
	DD: "day",
	D: "day",
	HH: "hour",
	H: "hour",
	mm: "minute",
	ss: "second",
};

/** Parses one value; undefined when it does not match the format or is not a real date/time. */
export type DateParser = (value: string) => string | undefined;

/** Compiles a format, or throws an Error saying what is wrong with it (for config validation). */
export function compileDateFormat(format: string): DateParser {
	const fields: (typeof FIELD)[Token][] = [];
	let source = "";
	for (let i = 0; i < format.length; ) {
		const token = TOKENS.find((t) => format.startsWith(t, i));
		if (token) {
			if (fields.includes(FIELD[token]))
				throw new Error(
					`date format "${format}" names the ${FIELD[token]} twice`,
				);
			fields.push(FIELD[token]);
			source += PATTERN[token];
			i += token.length;
		} else {
			source += format[i]?.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
			i += 1;
		}
	}
	for (const need of ["year", "month", "day"] as const)
		if (!fields.includes(need))
			throw new Error(
				`date format "${format}" has no ${need} (tokens: ${TOKENS.join(", ")})`,
			);
	if (fields.includes("minute") && !fields.includes("hour"))
		throw new Error(
			`date format "${format}" has minutes (mm) but no hour (H or HH)`,
		);
	const re = new RegExp(`^\\s*${source}\\s*$`);
	const withTime = fields.includes("hour");
	return (value) => {
		const m = re.exec(value);
		if (!m) return undefined;
		// A field the format leaves out (seconds in "M/D/YYYY H:mm") is 0; indexOf's -1 would
		// otherwise read m[0], the whole match, and write the seconds as NaN.
		const part = (f: (typeof fields)[number]) => {
			const i = fields.indexOf(f);
			return i < 0 ? 0 : Number(m[i + 1]);
		};
		const [y, mo, d, h, mi, s] = [
			part("year"),
			part("month"),
			part("day"),
			part("hour"),
			part("minute"),
			part("second"),
		];
		if (
			mo < 1 ||
			mo > 12 ||
			d < 1 ||
			d > daysIn(y, mo) ||
			h > 23 ||
			mi > 59 ||
			s > 59
		)
			return undefined;
		const date = `${String(y).padStart(4, "0")}-${pad(mo)}-${pad(d)}`;
		return withTime ? `${date} ${pad(h)}:${pad(mi)}:${pad(s)}` : date;
	};
}

function pad(n: number): string {
	return String(n).padStart(2, "0");
}

function daysIn(year: number, month: number): number {
	return new Date(Date.UTC(year, month, 0)).getUTCDate();
}
