import type { Table, TableColumn } from "../table.js";
import { type ClusterRfmOptions, clusterRfm, type MeasureSummary, type RfmClustering } from "./clusterRfm.js";
import { compareSegments, type SegmentClusterComparison } from "./compareSegments.js";
import { type ComputeRfmOptions, computeRfm, type RfmTable } from "./computeRfm.js";
import { RFM_SEGMENT_DESCRIPTIONS, RFM_SEGMENTS, type RfmSegment } from "./rfmSegment.js";

/** Options for `segmentCustomers`: the RFM options (columns, as-of date, reading) and the clustering options. */
export interface SegmentCustomersOptions extends ComputeRfmOptions {
  /** Clustering options (k, seed, ...). Default: `clusterRfm`'s defaults. */
  clustering?: ClusterRfmOptions;
}

/** Size and mean/median measures of one rule-based segment. */
export interface RfmSegmentSummary {
  segment: RfmSegment;
  description: string;
  count: number;
  share: number;
  recency: MeasureSummary;
  frequency: MeasureSummary;
  monetary: MeasureSummary;
}

/** The whole customer-segmentation result. */
export interface CustomerSegmentation {
  rfm: RfmTable;
  /** Rule-based segments that occur, in `RFM_SEGMENTS` order. */
  segments: RfmSegmentSummary[];
  clustering: RfmClustering;
  comparison: SegmentClusterComparison;
}

function summary(values: number[]): MeasureSummary {
  const s = values.slice().sort((a, b) => a - b);
  const h = s.length >> 1;
  let total = 0;
  for (const v of s) total += v;
  return {
    mean: s.length ? total / s.length : Number.NaN,
    median: s.length === 0 ? Number.NaN : s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2,
  };
}

/** Count, share and mean/median R/F/M of each rule-based segment present, in `RFM_SEGMENTS` order. */
export function summarizeSegments(rfm: RfmTable): RfmSegmentSummary[] {
  const out: RfmSegmentSummary[] = [];
  for (const segment of RFM_SEGMENTS) {
    const idx: number[] = [];
    for (let i = 0; i < rfm.n; i++) if (rfm.segment[i] === segment) idx.push(i);
    if (idx.length === 0) continue;
    out.push({
      segment,
      description: RFM_SEGMENT_DESCRIPTIONS[segment],
      count: idx.length,
      share: idx.length / rfm.n,
      recency: summary(idx.map((i) => rfm.recency[i])),
      frequency: summary(idx.map((i) => rfm.frequency[i])),
      monetary: summary(idx.map((i) => rfm.monetary[i])),
    });
  }
  return out;
}

/**
 * The customer-segmentation workflow on a transactions file: `computeRfm` (SQL in DuckDB: RFM,
 * scores, rule-based segments), `clusterRfm` (k-means on log-standardised R, F, M with profiles
 * and names) and `compareSegments` (contingency table and ARI of segments vs clusters).
 *
 * ```ts
 * const result = await segmentCustomers("transactions.csv", {
 *   customerId: "customer_id", date: "order_date", amount: "amount", clustering: { k: 4 },
 * });
 * await writeTable("customers.csv", customerSegmentsTable(result));
 * ```
 */
export async function segmentCustomers(path: string, options: SegmentCustomersOptions): Promise<CustomerSegmentation> {
  const { clustering: clusteringOptions, ...rfmOptions } = options;
  const rfm = await computeRfm(path, rfmOptions);
  const clustering = clusterRfm(rfm, clusteringOptions);
  return {
    rfm,
    segments: summarizeSegments(rfm),
    clustering,
    comparison: compareSegments(rfm.segment, clustering.labels),
  };
}

/** Output column names of `customerSegmentsTable` (after the customer id column). */
export const CUSTOMER_OUTPUT_COLUMNS = [
  "first_order",
  "last_order",
  "recency",
  "frequency",
  "monetary",
  "tenure",
  "avg_order_value",
  "r_score",
  "f_score",
  "m_score",
  "rfm_score",
  "segment",
  "cluster",
  "cluster_name",
] as const;

/**
 * One row per customer, ready for `writeTable`: the customer id (under the mapped column's name,
 * or `customer` if that name is an output column), `first_order`, `last_order` (DATE), `recency`,
 * `frequency`, `tenure` (days / orders, integers), `monetary`, `avg_order_value`, `r_score`,
 * `f_score`, `m_score` (1-5), `rfm_score` (e.g. `"545"`), `segment`, `cluster` and `cluster_name`.
 */
export function customerSegmentsTable(result: CustomerSegmentation): Table {
  const { rfm, clustering } = result;
  const idName = (CUSTOMER_OUTPUT_COLUMNS as readonly string[]).includes(rfm.columns.customerId)
    ? "customer"
    : rfm.columns.customerId;
  const num = (name: string, type: string, values: ArrayLike<number>): TableColumn => ({
    name,
    type,
    kind: "numeric",
    values: Float64Array.from(values),
  });
  const text = (name: string, type: string, values: (string | null)[]): TableColumn => ({
    name,
    type,
    kind: "string",
    values,
  });
  const names = clustering.profiles.map((p) => p.name);
  return {
    source: rfm.source,
    nRows: rfm.n,
    columns: [
      text(idName, "VARCHAR", rfm.customerIds),
      text("first_order", "DATE", rfm.firstOrder),
      text("last_order", "DATE", rfm.lastOrder),
      num("recency", "INTEGER", rfm.recency),
      num("frequency", "INTEGER", rfm.frequency),
      num("monetary", "DOUBLE", rfm.monetary),
      num("tenure", "INTEGER", rfm.tenure),
      num("avg_order_value", "DOUBLE", rfm.averageOrderValue),
      num("r_score", "INTEGER", rfm.rScore),
      num("f_score", "INTEGER", rfm.fScore),
      num("m_score", "INTEGER", rfm.mScore),
      text(
        "rfm_score",
        "VARCHAR",
        Array.from(rfm.rScore, (r, i) => `${r}${rfm.fScore[i]}${rfm.mScore[i]}`),
      ),
      text("segment", "VARCHAR", rfm.segment.slice()),
      num("cluster", "INTEGER", clustering.labels),
      text(
        "cluster_name",
        "VARCHAR",
        Array.from(clustering.labels, (l) => names[l]),
      ),
    ],
  };
}
