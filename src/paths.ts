import { fileURLToPath } from "node:url";

/** The project folder (migrations/, sql/, templates/ live here), wherever the process was started from. */
export const projectRoot = fileURLToPath(new URL("../", import.meta.url));
export const migrationsDir = fileURLToPath(
	new URL("../migrations/", import.meta.url),
);
export const sqlDir = fileURLToPath(new URL("../sql/", import.meta.url));
/** Pulse monitor templates (templates/pulse/*.yaml). */
export const pulseTemplatesDir = fileURLToPath(
	new URL("../templates/pulse/", import.meta.url),
);
