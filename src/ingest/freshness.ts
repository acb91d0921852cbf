import type { Config } from "../config/schema.ts";
import type { Pool } from "../db/pool.ts";
import { effectiveSources } from "./sources.ts";
import { watermarkTimes } from "./store.ts";

export interface EntityFreshness {
	source: string;
	entity: string;
	lastReceivedAt: Date | null;
	/** The configured allowance ("2 days"); null when none is set for this entity. */
	maxAge: string | null;
	stale: boolean;
}

const UNIT_MS: Record<string, number> = {
	minute: 60_000,
	hour: 3_600_000,
	day: 86_400_000,
};

export function durationMs(d: string): number {
	const m = /^(\d+)\s*(minute|hour|day)s?$/.exec(d.trim());
	return m ? Number(m[1]) * (UNIT_MS[m[2] ?? "day"] ?? 0) : Number.NaN;
}

/**
 * When each entity of each source last received data, and whether that is older than the
 * source's `freshness` allowance. An entity with an allowance that never received data is stale.
 */
export async function freshness(
	pool: Pool,
	config: Config,
	now = new Date(),
): Promise<EntityFreshness[]> {
	const rows = await watermarkTimes(pool);
	const out: EntityFreshness[] = [];
	for (const [source, src] of Object.entries(effectiveSources(config))) {
		const seen = rows.filter((r) => r.source === source);
		const entities = new Set([
			...seen.map((r) => r.entity),
			...Object.keys(src.freshness),
		]);
		for (const entity of [...entities].sort()) {
			const last =
				seen.find((r) => r.entity === entity)?.last_received_at ?? null;
			const maxAge =
				src.freshness[entity as keyof typeof src.freshness] ?? null;
			const stale =
				maxAge !== null &&
				(last === null || now.getTime() - last.getTime() > durationMs(maxAge));
			out.push({ source, entity, lastReceivedAt: last, maxAge, stale });
		}
	}
	return out;
}
