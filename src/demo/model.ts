/** Fixed reference data and the shapes of the demo ERP's master data. */

export const HISTORY_YEARS = 12;
export const DEFAULT_SEED = 42;
export const DEFAULT_END_DATE = "2026-10-31";
export const DEFAULT_LINES = 150_000;

export interface Region {
	name: string;
	/** Landed-cost multiplier (freight): the regions' margins differ. */
	costFactor: number;
	/** Extra discount competitors force on us in this region. */
	discountAdj: number;
}

export const REGIONS: readonly Region[] = [
	{ name: "North", costFactor: 1.0, discountAdj: 0.0 },
	{ name: "South", costFactor: 1.02, discountAdj: 0.01 },
	{ name: "East", costFactor: 0.98, discountAdj: -0.005 },
	{ name: "West", costFactor: 1.03, discountAdj: 0.02 },
	{ name: "Central", costFactor: 1.0, discountAdj: 0.005 },
];

export interface Branch {
	code: string;
	name: string;
	region: number;
	office: string;
	/** Relative share of customers. */
	weight: number;
}

const BRANCH_ROWS: readonly [string, number, number][] = [
	["Minneapolis", 0, 1.4],
	["Milwaukee", 0, 0.8],
	["Atlanta", 1, 1.3],
	["Dallas", 1, 1.2],
	["Boston", 2, 1.0],
	["Philadelphia", 2, 1.1],
	["Denver", 3, 0.9],
	["Phoenix", 3, 0.8],
	["Kansas City", 4, 1.0],
	["St. Louis", 4, 0.7],
];

export const BRANCHES: readonly Branch[] = BRANCH_ROWS.map(
	([office, region, weight], i) => ({
		code: `BR${String(i + 1).padStart(2, "0")}`,
		name: i % 3 === 2 ? `${office} Distribution Center` : `${office} Branch`,
		region,
		office,
		weight,
	}),
);

export const INDUSTRIES = [
	"Restaurant",
	"Hotel & Lodging",
	"Healthcare",
	"Education",
	"Office & Corporate",
	"Retail",
	"Manufacturing",
	"Government",
] as const;
/** Share of customers per industry. */
export const INDUSTRY_SHARE = [0.3, 0.08, 0.12, 0.1, 0.12, 0.12, 0.1, 0.06];

export interface Rep {
	id: number;
	name: string;
	branch: number;
	hireDay: number;
	termDay: number | null;
	variants: string[];
	variantCum: Float64Array;
}

/** A sales territory seat in a branch; its reps follow each other in time (turnover). */
export interface Slot {
	branch: number;
	reps: Rep[];
}

export interface Category {
	name: string;
	uom: string;
	/** Unit cost range at the first year's price level. */
	cost: [number, number];
	/** Gross margin at list price. */
	listMargin: number;
	leadTime: [number, number];
	storagePct: [number, number];
	/** Typical cases per order line. */
	qty: [number, number];
	/** Share of the item master. */
	share: number;
	warehouse: string;
}

const cat = (
	name: string,
	uom: string,
	cost: [number, number],
	listMargin: number,
	leadTime: [number, number],
	storagePct: [number, number],
	qty: [number, number],
	share: number,
	warehouse: string,
): Category => ({
	name,
	uom,
	cost,
	listMargin,
	leadTime,
	storagePct,
	qty,
	share,
	warehouse,
});

export const CATEGORIES: readonly Category[] = [
	cat(
		"Paper & Disposables",
		"CS",
		[14, 55],
		0.38,
		[10, 21],
		[0.18, 0.24],
		[2, 8],
		0.16,
		"WH-MAIN",
	),
	cat(
		"Food Packaging",
		"CS",
		[18, 70],
		0.4,
		[14, 28],
		[0.18, 0.24],
		[2, 6],
		0.12,
		"WH-MAIN",
	),
	cat(
		"Janitorial & Sanitation",
		"CS",
		[16, 90],
		0.42,
		[10, 24],
		[0.16, 0.22],
		[1, 5],
		0.14,
		"WH-MAIN",
	),
	cat(
		"Safety & PPE",
		"BX",
		[8, 40],
		0.45,
		[14, 35],
		[0.15, 0.2],
		[2, 10],
		0.08,
		"WH-MAIN",
	),
	cat(
		"Beverages",
		"CS",
		[10, 35],
		0.3,
		[5, 12],
		[0.2, 0.26],
		[3, 12],
		0.1,
		"WH-COLD",
	),
	cat(
		"Dry Grocery",
		"CS",
		[14, 60],
		0.31,
		[7, 14],
		[0.2, 0.26],
		[2, 8],
		0.12,
		"WH-MAIN",
	),
	cat(
		"Frozen Foods",
		"CS",
		[25, 90],
		0.29,
		[7, 14],
		[0.3, 0.38],
		[2, 6],
		0.1,
		"WH-COLD",
	),
	cat(
		"Dairy & Refrigerated",
		"CS",
		[18, 50],
		0.27,
		[3, 7],
		[0.28, 0.36],
		[2, 8],
		0.08,
		"WH-COLD",
	),
	cat(
		"Equipment & Smallwares",
		"EA",
		[25, 400],
		0.48,
		[21, 56],
		[0.14, 0.2],
		[1, 2],
		0.1,
		"WH-PARTS",
	),
];

/** How much each industry buys of each category (rows: INDUSTRIES, columns: CATEGORIES). */
export const AFFINITY: readonly (readonly number[])[] = [
	[1.0, 1.2, 0.6, 0.5, 1.0, 1.3, 1.4, 1.2, 0.5],
	[1.2, 0.4, 1.2, 0.4, 0.9, 0.6, 0.6, 0.7, 0.4],
	[1.0, 0.5, 1.3, 1.5, 0.5, 0.5, 0.5, 0.6, 0.4],
	[1.1, 0.9, 1.0, 0.6, 0.8, 1.0, 1.0, 1.0, 0.3],
	[1.3, 0.3, 1.0, 0.3, 1.4, 0.4, 0.1, 0.4, 0.2],
	[0.9, 1.0, 0.7, 0.5, 1.3, 0.9, 0.5, 0.6, 0.4],
	[0.8, 0.3, 1.2, 1.5, 0.6, 0.2, 0.1, 0.2, 0.8],
	[1.0, 0.2, 1.2, 0.8, 0.5, 0.3, 0.2, 0.3, 0.6],
];

export interface Customer {
	idx: number;
	custNo: string;
	name: string;
	industry: number;
	branch: number;
	slot: number;
	createdDay: number;
	/** First day without orders (Infinity: still buying at the end). */
	stopDay: number;
	/** AR_CUSTOMER.ChurnDate: when the account was flagged inactive, ~90 days after the last order. */
	churnDay: number | null;
	/** Relative order frequency (Pareto: a few large accounts). */
	weight: number;
	/** Quantity multiplier for large accounts. */
	sizeFactor: number;
	meanLines: number;
	discount: number;
	creditLimit: number;
}

export interface Item {
	idx: number;
	itemNo: string;
	description: string;
	category: number;
	/** Unit cost and list price at the first history year's price level. */
	baseCost: number;
	baseList: number;
	leadTimeDays: number;
	leadTimeStdDays: number;
	storageCostPct: number;
	orderCost: number;
	launchDay: number;
	/** First day it can no longer be sold (Infinity: still active). */
	discontinueDay: number;
	popularity: number;
	baseQty: number;
	/** Sold in half cases too. */
	fractional: boolean;
	safetyDays: number;
}

/** Money and quantities are stored rounded to cents; negatives round symmetrically. */
export function round2(x: number): number {
	return x < 0 ? -Math.round(-x * 100) / 100 : Math.round(x * 100) / 100;
}

const PAD4 = Array.from({ length: 10_000 }, (_, i) =>
	String(i).padStart(4, "0"),
);
const PAD3 = PAD4.slice(0, 1000).map((s) => s.slice(1));
const PAD2 = PAD4.slice(0, 100).map((s) => s.slice(2));

/**
 * Zero-padded 7 digits (0 ≤ n < 10,000,000) from lookup tables. Avoids Number→String on the hot
 * path: V8 keeps recent conversions in its number-string cache, which promotes them to the old
 * generation as garbage and makes memory creep with the number of invoices.
 */
export function digits7(n: number): string {
	return (PAD3[Math.floor(n / 10_000)] ?? "000") + (PAD4[n % 10_000] ?? "0000");
}

/** Zero-padded 2 digits (0 ≤ n < 100). */
export function digits2(n: number): string {
	return PAD2[n] ?? "00";
}
