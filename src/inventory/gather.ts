/**
 * The set-based half of the Stox compute: picks the analysis window, numbers the materials with
 * their master parameters and ABC class (`stox/universe`), then reads their daily demand and
 * stock series a batch at a time (`stox/history`), so memory holds one batch, never all of them.
 * Definitions (analysis date, cancellations, snapshots, ABC boundaries) are in the SQL files.
 */
import type { PoolClient } from "pg";
import { analyze } from "../db/session.ts";
import type { SqlCatalog } from "../db/sql-catalog.ts";
import type { AbcClass } from "./config.ts";
import type { MaterialInput } from "./material.ts";
import { dayNumber, isoDay } from "./periods.ts";
import {
	dailyDemand,
	dailyStock,
	onOrderSince,
	type SparseStock,
} from "./series.ts";

/** The named SQL the gather runs. */
export const GATHER_SQL = [
	"stox/analysis-date",
	"stox/run-materials",
	"stox/universe",
	"stox/history",
] as const;

/** The days a run analyses: `windowDays` days ending the day before `analysisDate`. */
export interface AnalysisWindow {
	/** First day after the data, YYYY-MM-DD: the calculation date written to the tables. */
	analysisDate: string;
	/** First day of the demand window, YYYY-MM-DD. */
	windowStart: string;
	windowDays: number;
}

/** One material as read from the warehouse: the core's input plus what the reports need. */
export interface GatheredMaterial {
	source: string;
	input: MaterialInput;
	/** First day of the current unbroken run of the on-order quantity, YYYY-MM-DD. */
	onOrderSince: string | null;
	/** Gaps the warehouse left, for the reason columns. */
	notes: string[];
}

interface HistoryRow {
	idx: number;
	source: string;
	material_number: string;
	first_day: string;
	days: number;
	has_master: boolean;
	unit_cost: number | null;
	lead_time_days: number | null;
	lead_time_std_days: number | null;
	storage_cost_pct: number | null;
	ordering_cost: number | null;
	abc_class: AbcClass | null;
	demand_days: number[] | null;
	demand_units: (number | null)[] | null;
	stock_days: number[] | null;
	stock_warehouses: string[] | null;
	stock_on_hand: (number | null)[] | null;
	stock_on_order: (number | null)[] | null;
}

/** The analysis window: the given date (validated), else the day after the latest posting. */
export async function analysisWindow(
	client: PoolClient,
	sql: SqlCatalog,
	windowDays: number,
	analysisDate?: string,
): Promise<AnalysisWindow> {
	let date = analysisDate;
	if (date === undefined) {
		const { rows } = await client.query<{ analysis_date: string }>(
			sql.get("stox/analysis-date"),
		);
		date =
			rows[0]?.analysis_date ?? isoDay(Math.floor(Date.now() / 86_400_000));
	}
	const day = dayNumber(date);
	return {
		analysisDate: date,
		windowStart: isoDay(day - windowDays),
		windowDays,
	};
}

/** Creates and fills the run's material list; returns how many materials it holds. */
export async function prepareMaterials(
	client: PoolClient,
	sql: SqlCatalog,
	window: AnalysisWindow,
): Promise<number> {
	await client.query(sql.get("stox/run-materials"));
	const result = await client.query(sql.get("stox/universe"), [
		window.windowStart,
		window.analysisDate,
	]);
	// A fresh temp table has no statistics; without them the batch joins plan for 1 row.
	await analyze(client, "stox_run_materials");
	return result.rowCount ?? 0;
}

const finiteOrNull = (x: number | null | undefined): number | null =>
	x !== null && x !== undefined && Number.isFinite(x) ? x : null;

function stockOf(
	row: HistoryRow,
	values: (number | null)[] | null,
): SparseStock | null {
	if (!row.stock_days || !row.stock_warehouses || !values) return null;
	return {
		offsets: row.stock_days,
		warehouses: row.stock_warehouses,
		values,
	};
}

function toGathered(row: HistoryRow): GatheredMaterial {
	const days = Math.max(1, row.days);
	const onHand = dailyStock(days, stockOf(row, row.stock_on_hand));
	const onOrder = dailyStock(days, stockOf(row, row.stock_on_order));
	const notes: string[] = [];
	if (!row.has_master)
		notes.push("no material master row: parameters from config or missing");
	if (!onHand.some((v) => v !== null))
		notes.push("no stock snapshots in or before the window");
	return {
		source: row.source,
		onOrderSince: onOrderSince(onOrder, row.first_day),
		notes,
		input: {
			materialNumber: row.material_number,
			daily: dailyDemand(days, row.demand_days, row.demand_units),
			firstDay: row.first_day,
			onHandDaily: onHand,
			currentOnHand: finiteOrNull(onHand.at(-1)),
			onOrder: finiteOrNull(onOrder.at(-1)),
			unitCost: finiteOrNull(row.unit_cost),
			leadTimeDays: finiteOrNull(row.lead_time_days),
			leadTimeStdDays: finiteOrNull(row.lead_time_std_days),
			storageCostPct: finiteOrNull(row.storage_cost_pct),
			orderingCost: finiteOrNull(row.ordering_cost),
			abcClass: row.abc_class,
		},
	};
}

/**
 * Reads the prepared materials `batchSize` at a time, in idx order. Each batch is one query
 * that returns dense daily arrays; the caller analyses and writes it before the next is read.
 */
export async function* materialBatches(
	client: PoolClient,
	sql: SqlCatalog,
	window: AnalysisWindow,
	count: number,
	batchSize: number,
	signal?: AbortSignal,
): AsyncGenerator<GatheredMaterial[]> {
	for (let first = 1; first <= count; first += batchSize) {
		signal?.throwIfAborted();
		const { rows } = await client.query<HistoryRow>(sql.get("stox/history"), [
			first,
			first + batchSize - 1,
			window.analysisDate,
		]);
		yield rows.map(toGathered);
	}
}
