/**
 * The 125-cell R × F × M score map that names a customer's RFM segment.
 *
 * The map is data: a 5 × 5 grid of recency score (rows, 5 = most recent) against an "FM" score
 * (columns), the classic RFM segment grid, and one rule that folds F and M into FM:
 * FM = floor((F + M) / 2), i.e. the average rounded down, so a customer reaches a better FM band
 * only when frequency and spend both justify it (F 5 / M 1 and F 1 / M 5 both give FM 3).
 * Every one of the 125 (R, F, M) cells therefore has exactly one segment, and every one of the 11
 * segments is reached by some cell (checked by test/unit/compute-rfm-map.test.ts).
 *
 * Grid, R across FM:      FM 1             FM 2             FM 3              FM 4             FM 5
 *   R 5               New Customers  Potential Loyalist Potential Loyalist Champions        Champions
 *   R 4               Promising      Potential Loyalist Potential Loyalist Loyal            Loyal
 *   R 3               About To Sleep About To Sleep     Need Attention     Loyal            Loyal
 *   R 2               Hibernating    Hibernating        At Risk            At Risk          Can't Lose Them
 *   R 1               Lost           Lost               At Risk            At Risk          Can't Lose Them
 */

/** The 11 named RFM segments, best first. */
export const RFM_SEGMENTS = [
	"Champions",
	"Loyal",
	"Potential Loyalist",
	"New Customers",
	"Promising",
	"Need Attention",
	"About To Sleep",
	"At Risk",
	"Can't Lose Them",
	"Hibernating",
	"Lost",
] as const;

/** One of the 11 named RFM segments. */
export type RfmSegment = (typeof RFM_SEGMENTS)[number];

/**
 * Customers with order lines but no order (only cancellations or zero-value lines) have no R, F or
 * M score; they carry this label instead of a segment so segment revenue still adds up to the
 * revenue of all customer lines.
 */
export const NO_ORDERS_SEGMENT = "No Orders";

type Row = readonly [
	RfmSegment,
	RfmSegment,
	RfmSegment,
	RfmSegment,
	RfmSegment,
];

/** GRID[5 - R][FM - 1]: rows from R 5 down to R 1, columns FM 1 to FM 5. */
const GRID: readonly Row[] = [
	[
		"New Customers",
		"Potential Loyalist",
		"Potential Loyalist",
		"Champions",
		"Champions",
	],
	["Promising", "Potential Loyalist", "Potential Loyalist", "Loyal", "Loyal"],
	["About To Sleep", "About To Sleep", "Need Attention", "Loyal", "Loyal"],
	["Hibernating", "Hibernating", "At Risk", "At Risk", "Can't Lose Them"],
	["Lost", "Lost", "At Risk", "At Risk", "Can't Lose Them"],
];

/** A quintile score, 1 (worst) to 5 (best). */
export type Score = 1 | 2 | 3 | 4 | 5;

/** One cell of the map. */
export interface RfmCell {
	r: Score;
	f: Score;
	m: Score;
	segment: RfmSegment;
}

const SCORES: readonly Score[] = [1, 2, 3, 4, 5];

/** The segment of one (R, F, M) score triple. */
export function rfmSegment(r: Score, f: Score, m: Score): RfmSegment {
	const fm = Math.floor((f + m) / 2);
	const segment = GRID[5 - r]?.[fm - 1];
	if (!segment) throw new RangeError(`RFM scores out of range: ${r}${f}${m}`);
	return segment;
}

/** All 125 cells, in R, F, M order; handed to SQL as one JSON parameter. */
export function rfmSegmentMap(): RfmCell[] {
	return SCORES.flatMap((r) =>
		SCORES.flatMap((f) =>
			SCORES.map((m) => ({ r, f, m, segment: rfmSegment(r, f, m) })),
		),
	);
}
