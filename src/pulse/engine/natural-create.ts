/**
 * `pulse create "<text>"`: parse the sentence against the catalog (src/pulse/natural.ts), show
 * what was understood, and save it only when confirmed. Every attempt is logged to
 * pulse_query_history; text that cannot be read gets the closest templates.
 */
import { type ParseOutcome, parseMonitorText } from "../natural.ts";
import type { PulseDeps } from "./deps.ts";
import {
	createMonitor,
	type MonitorDefinition,
	type StoredMonitor,
} from "./store.ts";
import {
	addFromTemplate,
	instantiate,
	type MonitorTemplate,
} from "./templates.ts";

export interface TextMonitorOutcome {
	parsed: ParseOutcome;
	/** The definition that is (or would be) saved; null when the text was not understood. */
	definition: MonitorDefinition | null;
	/** Set when `save` was asked for and the monitor was stored. */
	saved: StoredMonitor | null;
}

/** Understands `text`; with `save`, stores the monitor. Never saves what was not understood. */
export async function monitorFromText(
	deps: PulseDeps,
	templates: readonly MonitorTemplate[],
	text: string,
	opts: { save: boolean; userId?: string | null; channels?: string[] },
): Promise<TextMonitorOutcome> {
	if (!deps.catalog)
		throw new Error("natural-language monitors need the metric catalog");
	const hints = templates.map((t) => ({
		name: t.name,
		words: `${t.title} ${t.description} ${t.natural_language}`,
	}));
	const parsed = parseMonitorText(text, deps.catalog, hints);
	await deps.pool.query(deps.sql.get("pulse/query-history-insert"), [
		opts.userId ?? null,
		text,
		"natural_language",
		null,
	]);
	if (!parsed.ok) return { parsed, definition: null, saved: null };
	const u = parsed.understood;
	const channels = opts.channels?.length ? { channels: opts.channels } : {};
	if (u.kind === "template") {
		const t = templates.find((x) => x.name === u.template) as MonitorTemplate;
		const definition = {
			...instantiate(t, {}, deps.catalog).definition,
			...channels,
		};
		if (!opts.save) return { parsed, definition, saved: null };
		const saved = await addFromTemplate(
			deps,
			templates,
			t.name,
			{},
			{ userId: opts.userId ?? null, ...channels },
		);
		return { parsed, definition, saved };
	}
	const definition: MonitorDefinition = {
		name: u.name,
		target: u.target,
		condition: u.condition,
		frequency: u.frequency,
		...channels,
	};
	if (!opts.save) return { parsed, definition, saved: null };
	const saved = await createMonitor(
		deps,
		definition,
		{ userId: opts.userId ?? null, naturalLanguageQuery: text },
		"created from text",
	);
	return { parsed, definition, saved };
}
