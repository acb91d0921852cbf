/** Options of the demo ERP generator: defaults and validation. */
import { AppError } from "../errors.ts";
import { parseIsoDay } from "./dates.ts";
import { DEFAULT_END_DATE, DEFAULT_LINES, DEFAULT_SEED } from "./model.ts";

export const MIN_LINES = 1_000;
export const MAX_LINES = 10_000_000;
const MIN_END = "2000-01-01";
const MAX_END = "2099-12-31";

export interface DemoOptions {
	/** SQLite file to write (replaced atomically). */
	file: string;
	/** Non-negative integer; default 42. Same seed and options → byte-identical file. */
	seed?: number;
	/** Order lines to write, 1,000 to 10,000,000; default 150,000. */
	lines?: number;
	/** Last day of history, YYYY-MM-DD; default 2026-10-31. */
	endDate?: string;
	/** Called now and then with the order lines written so far. */
	onProgress?: (linesWritten: number) => void;
}

export interface ResolvedOptions {
	file: string;
	seed: number;
	lines: number;
	endDate: string;
	endDay: number;
	onProgress: ((linesWritten: number) => void) | undefined;
}

function invalid(message: string): AppError {
	return new AppError("demo_options_invalid", message);
}

/** Applies defaults and checks every option, throwing an error that names the bad one and the allowed range. */
export function resolveOptions(
	opts: Partial<DemoOptions>,
	needFile = true,
): ResolvedOptions {
	const seed = opts.seed ?? DEFAULT_SEED;
	const lines = opts.lines ?? DEFAULT_LINES;
	const endDate = opts.endDate ?? DEFAULT_END_DATE;
	if (!Number.isSafeInteger(seed) || seed < 0) {
		throw invalid(
			`demo option "seed" must be a non-negative integer (0 to ${Number.MAX_SAFE_INTEGER}), got ${String(seed)}`,
		);
	}
	if (!Number.isInteger(lines) || lines < MIN_LINES || lines > MAX_LINES) {
		throw invalid(
			`demo option "lines" must be an integer from 1,000 to 10,000,000, got ${String(lines)}`,
		);
	}
	const endDay = typeof endDate === "string" ? parseIsoDay(endDate) : undefined;
	if (endDay === undefined || endDate < MIN_END || endDate > MAX_END) {
		throw invalid(
			`demo option "endDate" must be a real date YYYY-MM-DD from ${MIN_END} to ${MAX_END}, got "${String(endDate)}"`,
		);
	}
	const file = opts.file ?? "";
	if (needFile && (typeof file !== "string" || file.trim() === "")) {
		throw invalid(
			`demo option "file" must be a non-empty path, got "${String(file)}"`,
		);
	}
	return { file, seed, lines, endDate, endDay, onProgress: opts.onProgress };
}
