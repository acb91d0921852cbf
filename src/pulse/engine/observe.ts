/**
 * Fetching what a monitor judges and judging it: rows of its query (warehouse or ERP source)
 * or, for catalog metrics, a series. Returns the core's Evaluation plus what the run log needs.
 */

import { evaluateCondition } from "../evaluate.ts";
import { formatNumber } from "../format.ts";
import { seriesHeadline } from "../headline.ts";
import type { ConditionState, Evaluation, Row } from "../input.ts";
import type { MetricTarget, Monitor } from "../model.ts";
import type { PulseDeps } from "./deps.ts";
import { localDate } from "./deps.ts";
import {
	runSourceSql,
	runWarehouseSql,
	type SqlOutcome,
} from "./execute-sql.ts";
import { metricInput, type SeriesReader } from "./metric-input.ts";

/** Labels listed in a row-based alert sentence. */
const SHOWN_LABELS = 5;
/** Rows kept in pulse_alerts.data. */
export const KEPT_ROWS = 20;

/** One observation: the evaluation, or why there was nothing to evaluate. */
export interface Observation {
	evaluation: Evaluation;
	rows: Row[] | null;
	capped: boolean;
	durationMs: number;
	/** Set when the run failed (query refused/failed, evaluation error). */
	error: string | null;
}

/** Runs the monitor's query (or reads its metric) and evaluates its condition at `now`. */
export async function observe(
	deps: PulseDeps,
	monitor: Monitor,
	previous: ConditionState | null,
	now: Date,
	read?: SeriesReader,
): Promise<Observation> {
	const target = monitor.target;
	if (!("sql" in target))
		return observeMetric(deps, monitor, target, now, read);
	const outcome = await fetchRows(deps, target.sql, target.source, now);
	if (!outcome.ok) return failedObservation(outcome.reason, outcome.durationMs);
	const first = outcome.rows[0];
	const label =
		first && typeof first.label === "string" ? first.label : monitor.name;
	const evaluation = evaluateCondition(monitor.condition, {
		now,
		rows: outcome.rows,
		previous,
		label,
		...(target.valueColumn ? { valueColumn: target.valueColumn } : {}),
		...(target.keyColumn ? { keyColumn: target.keyColumn } : {}),
	});
	const capNote = outcome.capped
		? ` (the result was cut off at the ${formatNumber(deps.config.rowCap)}-row cap)`
		: "";
	const labels = rowLabels(monitor, outcome.rows);
	return {
		evaluation: {
			...evaluation,
			detail: `${evaluation.detail}${labels}${capNote}`,
		},
		rows: outcome.rows,
		capped: outcome.capped,
		durationMs: outcome.durationMs,
		error: evaluation.error ?? null,
	};
}

async function observeMetric(
	deps: PulseDeps,
	monitor: Monitor,
	target: MetricTarget,
	now: Date,
	reader?: SeriesReader,
): Promise<Observation> {
	const started = performance.now();
	const read = await metricInput(deps, target, monitor.condition, now, reader);
	const durationMs = Math.round(performance.now() - started);
	if ("error" in read) return failedObservation(read.error, durationMs);
	const judged = evaluateCondition(monitor.condition, read.input);
	const said = seriesHeadline(monitor.condition, read.input, judged);
	const evaluation = {
		...judged,
		...(said ? { headline: said.headline, observedText: said.observed } : {}),
	};
	return {
		evaluation,
		rows: null,
		capped: false,
		durationMs,
		error: evaluation.error ?? null,
	};
}

function failedObservation(error: string, durationMs: number): Observation {
	return {
		evaluation: { breached: false, observed: null, detail: error, error },
		rows: null,
		capped: false,
		durationMs,
		error,
	};
}

async function fetchRows(
	deps: PulseDeps,
	sql: string,
	source: string | undefined,
	now: Date,
): Promise<SqlOutcome> {
	const limits = {
		statementTimeoutMs: deps.config.statementTimeoutMs,
		rowCap: deps.config.rowCap,
	};
	if (!source || source === "warehouse")
		return runWarehouseSql(deps.monitorPool, sql, limits, {
			now,
			date: localDate(now, deps.timeZone),
			...(deps.catalog ? { currency: deps.catalog.currency } : {}),
		});
	if (!deps.connectorFor)
		return {
			ok: false,
			failure: "error",
			reason: `source "${source}" is not available to monitors here`,
			durationMs: 0,
		};
	const connector = deps.connectorFor(source);
	try {
		return await runSourceSql(connector, sql, limits);
	} finally {
		await connector.close().catch(() => {});
	}
}

/** For row counts, the first few rows' `label` column, so the alert names what it found. */
function rowLabels(monitor: Monitor, rows: readonly Row[]): string {
	if (monitor.condition.kind !== "row_count") return "";
	const labels = rows
		.map((r) => r.label)
		.filter((l): l is string => typeof l === "string");
	if (labels.length === 0) return "";
	const more =
		labels.length > SHOWN_LABELS
			? ` and ${formatNumber(labels.length - SHOWN_LABELS)} more`
			: "";
	return `: ${labels.slice(0, SHOWN_LABELS).join("; ")}${more}`;
}
