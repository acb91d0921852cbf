import type { QueueResult } from "pg-boss";
import {
	Counter,
	collectDefaultMetrics,
	Gauge,
	Histogram,
	Registry,
} from "prom-client";
import type { SchedulerHealth } from "../pulse/engine/liveness.ts";
import type { JobObserver } from "../queue/run-job.ts";

export interface Metrics {
	registry: Registry;
	observeJob: JobObserver;
	/** Called at scrape time so queue depths are current, not cached. */
	setQueueSource(source: () => Promise<QueueResult[]>): void;
	setDbCheck(check: () => Promise<boolean>): void;
	/** Monitors overdue, the last day's ticks, stuck queues: read from the database at scrape time. */
	setSchedulerSource(source: () => Promise<SchedulerHealth>): void;
}

/** A registry per app (never prom-client's global one), so tests and several apps in one process don't collide. */
export function createMetrics(): Metrics {
	const registry = new Registry();
	collectDefaultMetrics({ register: registry, prefix: "erp_pulse_" });
	let queueSource: () => Promise<QueueResult[]> = async () => [];
	let dbCheck: () => Promise<boolean> = async () => false;
	let scheduler: () => Promise<SchedulerHealth | null> = async () => null;
	// One read per scrape feeds the three scheduler gauges.
	let scrape: Promise<SchedulerHealth | null> | null = null;
	const schedulerNow = () => {
		scrape ??= scheduler()
			.catch(() => null)
			.finally(() =>
				setTimeout(() => {
					scrape = null;
				}, 1000).unref(),
			);
		return scrape;
	};
	const jobs = new Counter({
		name: "erp_pulse_jobs_total",
		help: "Jobs finished, by queue and outcome (completed, retry, dead_letter)",
		labelNames: ["queue", "outcome"],
		registers: [registry],
	});
	const duration = new Histogram({
		name: "erp_pulse_job_duration_seconds",
		help: "Handler run time by queue",
		labelNames: ["queue"],
		buckets: [0.05, 0.25, 1, 5, 30, 120, 600],
		registers: [registry],
	});
	new Gauge({
		name: "erp_pulse_queue_jobs",
		help: "Jobs in each queue by state (queued, active, failed)",
		labelNames: ["queue", "state"],
		registers: [registry],
		async collect() {
			this.reset();
			for (const q of await queueSource().catch(() => [])) {
				this.set({ queue: q.name, state: "queued" }, q.queuedCount);
				this.set({ queue: q.name, state: "active" }, q.activeCount);
				this.set({ queue: q.name, state: "failed" }, q.failedCount);
			}
		},
	});
	new Gauge({
		name: "erp_pulse_database_up",
		help: "1 when the bot's Postgres answered the last scrape's check",
		registers: [registry],
		async collect() {
			this.set((await dbCheck().catch(() => false)) ? 1 : 0);
		},
	});
	new Gauge({
		name: "erp_pulse_monitors_overdue",
		help: "Enabled monitors with no tick accounted for in more than one period",
		registers: [registry],
		async collect() {
			const h = await schedulerNow();
			if (h) this.set(h.overdue.length);
		},
	});
	new Gauge({
		name: "erp_pulse_monitor_ticks_last_day",
		help: "Monitor ticks in the last 24 hours by outcome (ran, skipped) and skip reason",
		labelNames: ["outcome", "reason"],
		registers: [registry],
		async collect() {
			this.reset();
			const h = await schedulerNow();
			if (!h) return;
			this.set({ outcome: "ran", reason: "" }, h.ticks.ran);
			for (const [reason, n] of Object.entries(h.ticks.skippedBy))
				this.set({ outcome: "skipped", reason }, n);
		},
	});
	new Gauge({
		name: "erp_pulse_queue_stuck_jobs",
		help: "Jobs that have waited to start, or run, longer than their queue's expiry",
		labelNames: ["queue", "state"],
		registers: [registry],
		async collect() {
			this.reset();
			const h = await schedulerNow();
			for (const q of h?.stuckQueues ?? [])
				this.set({ queue: q.queue, state: q.state }, q.jobs);
		},
	});
	return {
		registry,
		observeJob(queue, outcome, seconds) {
			jobs.inc({ queue, outcome });
			duration.observe({ queue }, seconds);
		},
		setQueueSource: (s) => {
			queueSource = s;
		},
		setDbCheck: (c) => {
			dbCheck = c;
		},
		setSchedulerSource: (s) => {
			scheduler = s;
		},
	};
}
