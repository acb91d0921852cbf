import { FIRST_YEAR, isCalendarDay, LAST_YEAR } from "../calendar.ts";
import { toMarkdown } from "../chat/local/markdown.ts";
import type { LoadedConfig } from "../config/load.ts";
import { migrate } from "../db/migrate.ts";
import { collectDigest } from "../digest/collect.ts";
import { composeDigest } from "../digest/compose.ts";
import { AppError } from "../errors.ts";
import { createMetricCatalog } from "../metrics/index.ts";
import { migrationsDir } from "../paths.ts";
import { type Io, type Values, withDatabase } from "./io.ts";

/** `digest [--as-of YYYY-MM-DD]`: the weekly digest as it would be posted now, printed as Markdown. */
export async function digestPreview(
	loaded: LoadedConfig,
	values: Values,
	io: Io,
): Promise<number> {
	const raw = values["as-of"];
	if (raw !== undefined && (typeof raw !== "string" || !isCalendarDay(raw)))
		throw new AppError(
			"usage",
			`--as-of must be a real date YYYY-MM-DD from ${FIRST_YEAR} to ${LAST_YEAR}, got "${String(raw)}"`,
		);
	const asOf =
		typeof raw === "string" ? new Date(`${raw}T23:59:59Z`) : new Date();
	return withDatabase(loaded, io, async (pool, log) => {
		await migrate(pool, migrationsDir, log);
		const catalog = createMetricCatalog({ currency: loaded.config.currency });
		const data = await collectDigest(pool, catalog, loaded.config, {
			asOf,
			...(typeof raw === "string" ? { asOfDay: raw } : {}),
			staleAfterDays: loaded.config.digest.staleAfterDays,
		});
		io.out(toMarkdown(composeDigest(data)));
		return 0;
	});
}
