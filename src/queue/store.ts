/**
 * Reads of pg-boss's own tables that pg-boss has no API for. The schema is pg-boss's, named in
 * the config; it is checked to be a plain identifier before it goes into the text.
 */
import type { Pool } from "../db/pool.ts";
import { AppError } from "../errors.ts";

/** Jobs per queue and state (waiting or active) that are past their queue's expiry at `now`. */
export interface OverdueJobs {
	name: string;
	state: "waiting" | "active";
	jobs: number;
	/** Seconds since the oldest of them started (active) or became due (waiting). */
	oldest: number;
	expire_seconds: number;
}

export async function overdueJobs(
	pool: Pool,
	bossSchema: string,
	now: Date,
): Promise<OverdueJobs[]> {
	if (!/^[a-z_][a-z0-9_]*$/.test(bossSchema))
		throw new AppError(
			"config_invalid",
			`queue schema "${bossSchema}" is not a plain identifier`,
		);
	const { rows } = await pool.query<OverdueJobs>(
		`select j.name, case when j.state = 'active' then 'active' else 'waiting' end as state,
		        count(*)::int as jobs,
		        max(extract(epoch from $1::timestamptz - case when j.state = 'active' then j.started_on else j.start_after end))::float8 as oldest,
		        max(q.expire_seconds)::int as expire_seconds
		   from ${bossSchema}.job j
		   join ${bossSchema}.queue q on q.name = j.name
		  where j.state in ('created', 'retry', 'active')
		    and (case when j.state = 'active' then j.started_on else j.start_after end) < $1::timestamptz - make_interval(secs => q.expire_seconds)
		  group by 1, 2`,
		[now],
	);
	return rows;
}
