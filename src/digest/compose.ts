/**
 * The weekly digest as a chat message: pure, from the figures `collectDigest` gathered. One
 * message, readable in a glance: headline KPIs against last week and the same week last year,
 * the week's biggest movers, the alerts it raised and what people said about them, and the items
 * at risk of running out. When the data is stale it says so instead of posting stale numbers.
 */
import { formatDate } from "../charts/format.ts";
import type { ChatMessage } from "../chat/message.ts";

/** One headline figure: the week, the week before, and the same week a year earlier. */
export interface KpiLine {
	metric: string;
	label: string;
	/** "$1.23M"-style text of the current value, already in its unit. */
	current: string;
	/** Change vs last week and vs the same week last year: percent, or percentage points for a rate. */
	changePct: number | null;
	yoyPct: number | null;
	/** "%" for relative change; "pp" for a rate (margin %), whose change is a difference. */
	changeUnit: "%" | "pp";
	/** Why there is no value (no cost data, …); null when there is one. */
	missing: string | null;
}

/** A member of a dimension whose revenue moved most against last week. */
export interface Mover {
	dimension: string;
	member: string;
	/** Signed change in the metric's unit, as text ("+$12,300"). */
	change: string;
	changePct: number | null;
	up: boolean;
}

export interface DigestAlert {
	monitor: string;
	severity: string;
	message: string;
	detectedAt: string;
	feedback: "real" | "false_alarm" | null;
	acknowledgedBy: string | null;
}

export interface AtRisk {
	material: string;
	description: string | null;
	/** Units on hand now. */
	onHand: string;
	/** Units on open purchase orders. */
	onOrder: string;
	/** On hand + on order: what the reorder point is compared with. */
	position: string;
	reorderPoint: string;
	/** Days the units on hand last at the average daily demand (on order not counted). */
	daysOfCover: number | null;
}

/** Everything one digest shows. Dates are ISO days. */
export interface DigestData {
	week: { start: string; end: string } | null;
	dataThrough: string | null;
	/** Reasons the data is stale; non-empty means the digest is skipped with a note. */
	stale: string[];
	kpis: KpiLine[];
	movers: Mover[];
	alerts: DigestAlert[];
	atRisk: AtRisk[];
	/** Things left out and why ("segments not computed yet"). */
	notes: string[];
}

/** "19 Oct 2026" from "2026-10-19". */
export function dayLabel(iso: string): string {
	return formatDate(new Date(`${iso}T00:00:00Z`), "day", "long");
}

/** "▲ 4.1%", "▼ 2.0 pp", "● 0.0%", or "n/a". */
export function changeText(
	change: number | null,
	unit: "%" | "pp" = "%",
): string {
	if (change === null || !Number.isFinite(change)) return "n/a";
	const shown = Math.abs(change).toFixed(1);
	const suffix = unit === "pp" ? " pp" : "%";
	if (shown === "0.0") return `● 0.0${suffix}`;
	return `${change > 0 ? "▲" : "▼"} ${shown}${suffix}`;
}

const FEEDBACK: Record<string, string> = {
	real: "real issue",
	false_alarm: "false alarm",
};

function kpiLines(kpis: readonly KpiLine[]): string[] {
	return kpis.map((k) =>
		k.missing
			? `*${k.label}*: — (${k.missing})`
			: `*${k.label}*: ${k.current}   ${changeText(k.changePct, k.changeUnit)} vs last week · ${changeText(k.yoyPct, k.changeUnit)} vs last year`,
	);
}

function moverLines(movers: readonly Mover[]): string[] {
	if (movers.length === 0) return [];
	return [
		"*Top movers* (revenue vs last week)",
		...movers.map(
			(m) =>
				`${m.up ? "▲" : "▼"} ${m.member} (${m.dimension}): ${m.change}${m.changePct === null ? "" : ` (${m.changePct > 0 ? "+" : "−"}${Math.abs(m.changePct).toFixed(0)}%)`}`,
		),
	];
}

function alertLines(alerts: readonly DigestAlert[]): string[] {
	if (alerts.length === 0) return ["*Alerts this week*: none"];
	const real = alerts.filter((a) => a.feedback === "real").length;
	const falseAlarms = alerts.filter((a) => a.feedback === "false_alarm").length;
	return [
		`*Alerts this week*: ${alerts.length} (${real} real, ${falseAlarms} false alarm${falseAlarms === 1 ? "" : "s"}, ${alerts.length - real - falseAlarms} without feedback)`,
		...alerts.slice(0, 8).map((a) => {
			const said = a.feedback
				? ` — ${FEEDBACK[a.feedback]}`
				: a.acknowledgedBy
					? ` — acknowledged by ${a.acknowledgedBy}`
					: "";
			return `• [${a.severity}] ${a.monitor}: ${a.message}${said}`;
		}),
		...(alerts.length > 8 ? [`… and ${alerts.length - 8} more`] : []),
	];
}

function riskLines(items: readonly AtRisk[]): string[] {
	if (items.length === 0) return [];
	return [
		"*Inventory at risk* (at or below reorder point)",
		...items.map(
			(i) =>
				`• ${i.material}${i.description ? ` ${i.description}` : ""}: ${i.onHand} on hand${i.daysOfCover === null ? "" : ` (${i.daysOfCover.toFixed(0)} days of demand)`} + ${i.onOrder} on order = position ${i.position}, at or below its reorder point ${i.reorderPoint}`,
		),
	];
}

/** The digest message; a short "skipped" note instead when the data is stale or missing. */
export function composeDigest(d: DigestData): ChatMessage {
	if (d.stale.length > 0 || !d.week) {
		return {
			title: "Weekly digest skipped: the data is not fresh",
			severity: "medium",
			text: [
				...(d.week
					? []
					: ["There is no complete week of order lines in the warehouse yet."]),
				...d.stale.map((s) => `• ${s}`),
				"No figures are posted rather than stale ones. Check the ingest (`erp-pulse sources list`, `erp-pulse doctor`).",
			].join("\n"),
			context: [
				d.dataThrough
					? `Data through ${dayLabel(d.dataThrough)}`
					: "No data yet",
			],
		};
	}
	const text = [
		...kpiLines(d.kpis),
		"",
		...moverLines(d.movers),
		"",
		...alertLines(d.alerts),
		"",
		...riskLines(d.atRisk),
	]
		.join("\n")
		.replace(/\n{3,}/g, "\n\n")
		.trim();
	return {
		title: `Weekly digest · week of ${dayLabel(d.week.start)}`,
		// A report, not an alert: no severity badge or colour bar.
		text,
		context: [
			`${dayLabel(d.week.start)} – ${dayLabel(d.week.end)} · data through ${d.dataThrough ? dayLabel(d.dataThrough) : "?"}`,
			...d.notes,
		],
	};
}
