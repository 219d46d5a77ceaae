import { invalid } from "@clusterlab/core";

/** The named RFM segments, from the best customers to the lost ones (the order used in reports). */
export const RFM_SEGMENTS = [
  "Champions",
  "Loyal Customers",
  "Potential Loyalists",
  "New Customers",
  "Promising",
  "Need Attention",
  "About to Sleep",
  "Can't Lose Them",
  "At Risk",
  "Hibernating",
  "Lost",
] as const;
export type RfmSegment = (typeof RFM_SEGMENTS)[number];

/** One line per segment: who they are (for reports and the docs). */
export const RFM_SEGMENT_DESCRIPTIONS: Readonly<Record<RfmSegment, string>> = {
  Champions: "bought very recently and buy often",
  "Loyal Customers": "buy often and fairly recently",
  "Potential Loyalists": "recent customers with a few orders",
  "New Customers": "bought very recently, for the first time or so",
  Promising: "recent, but only one or two orders",
  "Need Attention": "middling recency and frequency",
  "About to Sleep": "middling recency, few orders",
  "Can't Lose Them": "bought very often, but long ago",
  "At Risk": "bought often, but long ago",
  Hibernating: "few orders, long ago",
  Lost: "few orders, the longest ago",
};

/**
 * The R x F score grid (rows R = 5..1, columns F = 1..5): the widely used 10-segment grid
 * (`[1-2][1-2]` Hibernating, `[1-2][3-4]` At Risk, `[1-2]5` Can't Lose Them, `3[1-2]` About to
 * Sleep, `33` Need Attention, `[3-4][4-5]` Loyal Customers, `41` Promising, `51` New Customers,
 * `[4-5][2-3]` Potential Loyalists, `5[4-5]` Champions), with its Hibernating corner split so that
 * R = 1 is Lost and R = 2 stays Hibernating.
 */
export const RFM_SEGMENT_GRID: readonly (readonly RfmSegment[])[] = [
  // F:  1                     2                      3                      4                  5
  ["New Customers", "Potential Loyalists", "Potential Loyalists", "Champions", "Champions"], // R = 5
  ["Promising", "Potential Loyalists", "Potential Loyalists", "Loyal Customers", "Loyal Customers"], // R = 4
  ["About to Sleep", "About to Sleep", "Need Attention", "Loyal Customers", "Loyal Customers"], // R = 3
  ["Hibernating", "Hibernating", "At Risk", "At Risk", "Can't Lose Them"], // R = 2
  ["Lost", "Lost", "At Risk", "At Risk", "Can't Lose Them"], // R = 1
];

/**
 * The named RFM segment of a customer from its recency and frequency scores (integers 1-5, 5 =
 * most recent / most frequent), by `RFM_SEGMENT_GRID`. The monetary score does not enter the
 * grid (as in the common R/F segmentation); it is reported alongside.
 */
export function rfmSegment(r: number, f: number): RfmSegment {
  if (!Number.isInteger(r) || r < 1 || r > 5) throw invalid("r", r, "must be an integer score 1-5");
  if (!Number.isInteger(f) || f < 1 || f > 5) throw invalid("f", f, "must be an integer score 1-5");
  return RFM_SEGMENT_GRID[5 - r][f - 1];
}
