/**
 * `erp-pulse demo-data`: a deterministic synthetic ERP (a mid-size foodservice/janitorial
 * distributor, 12 years of history) in a SQLite file, in the ERP's own table and column names.
 * See generate.ts for how it streams, events.ts for the planted anomalies.
 */
export { buildCatalog, scaleCounts } from "./catalog.ts";
export {
	type PlantedEvent,
	type PlantedEventType,
	plantedEvents,
} from "./events.ts";
export { type DemoSummary, writeDemoErp } from "./generate.ts";
export {
	DEFAULT_END_DATE,
	DEFAULT_LINES,
	DEFAULT_SEED,
	HISTORY_YEARS,
} from "./model.ts";
export { type DemoOptions, MAX_LINES, MIN_LINES } from "./options.ts";
export { generateDemoErp } from "./run.ts";
export { TABLE_NAMES } from "./sqlite.ts";
