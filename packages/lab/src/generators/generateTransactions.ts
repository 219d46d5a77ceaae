import { checkInt, checkNumber, invalid, Random } from "@clusterlab/core";
import type { Table } from "../table.js";
import { dayToIso, isoDay, logNormal, poisson, uniformInt, weightedChoice, weightedIndex } from "./internal.js";

/**
 * The behavioural segments planted by `generateTransactions` (the ground truth of the synthetic
 * log, kept in its `planted_segment` column).
 */
export const TRANSACTION_SEGMENTS = ["loyal_high_spender", "occasional", "lapsed", "new", "bargain_hunter"] as const;
export type TransactionSegment = (typeof TRANSACTION_SEGMENTS)[number];

/** Options for `generateTransactions`. */
export interface GenerateTransactionsOptions {
  /** Number of transaction rows (an integer >= 1). Default 4000. */
  rows?: number;
  /** Seed of core's `Random`: the same seed gives the same log. Default 0. */
  seed?: number;
  /** The last day of the log, `YYYY-MM-DD`. Default `"2024-12-31"`. */
  endDate?: string;
  /** Days of history before `endDate` (an integer >= 400, so that lapsed customers exist). Default 730. */
  days?: number;
  /**
   * Relative share of customers per planted segment (missing segments keep their default).
   * Default `{ loyal_high_spender: 0.15, occasional: 0.3, lapsed: 0.2, new: 0.15, bargain_hunter: 0.2 }`.
   */
  segmentWeights?: Partial<Record<TransactionSegment, number>>;
}

/** A generated transaction log and the planted segment of every customer. */
export interface SyntheticTransactions {
  /**
   * One row per order, sorted by date then customer: `order_id`, `customer_id`, `order_date` (DATE),
   * `amount` (DOUBLE, > 0, two decimals), `channel`, `category`, `planted_segment`. Write it with
   * `writeTable(path, table)`.
   */
  table: Table;
  /** Customer ids, in id order (`C00001`, ...). */
  customerIds: string[];
  /** The planted segment of each customer in `customerIds`. */
  customerSegments: TransactionSegment[];
}

const DEFAULT_WEIGHTS: Record<TransactionSegment, number> = {
  loyal_high_spender: 0.15,
  occasional: 0.3,
  lapsed: 0.2,
  new: 0.15,
  bargain_hunter: 0.2,
};

/** How a segment behaves. Ages are days before the end date. */
interface SegmentProfile {
  /** Age of the first order: [min, max] (max is clipped to the history length). */
  firstAge: [number, number];
  /** Age of the last order: [min, max], clipped to the first order's age. */
  lastAge: [number, number];
  /** Orders: `minOrders + Poisson(extraOrders)`. */
  minOrders: number;
  extraOrders: number;
  /** Median order amount and log-scale spread (log-normal amounts: a heavy right tail). */
  medianAmount: number;
  sigma: number;
  channel: Record<string, number>;
  category: Record<string, number>;
}

const PROFILES: Record<TransactionSegment, SegmentProfile> = {
  loyal_high_spender: {
    firstAge: [300, 100_000],
    lastAge: [0, 25],
    minOrders: 10,
    extraOrders: 12,
    medianAmount: 110,
    sigma: 0.5,
    channel: { store: 0.45, online: 0.35, app: 0.2 },
    category: { electronics: 0.25, home: 0.25, fashion: 0.2, beauty: 0.15, grocery: 0.15 },
  },
  occasional: {
    firstAge: [150, 100_000],
    lastAge: [25, 150],
    minOrders: 2,
    extraOrders: 3,
    medianAmount: 55,
    sigma: 0.6,
    channel: { store: 0.5, online: 0.35, app: 0.15 },
    category: { grocery: 0.3, home: 0.2, fashion: 0.25, beauty: 0.15, electronics: 0.1 },
  },
  lapsed: {
    firstAge: [420, 100_000],
    lastAge: [230, 100_000],
    minOrders: 2,
    extraOrders: 4,
    medianAmount: 60,
    sigma: 0.6,
    channel: { store: 0.55, online: 0.35, app: 0.1 },
    category: { grocery: 0.25, home: 0.25, fashion: 0.25, beauty: 0.1, electronics: 0.15 },
  },
  new: {
    firstAge: [0, 45],
    lastAge: [0, 45],
    minOrders: 1,
    extraOrders: 0.6,
    medianAmount: 50,
    sigma: 0.7,
    channel: { online: 0.5, app: 0.3, store: 0.2 },
    category: { fashion: 0.3, beauty: 0.25, home: 0.2, grocery: 0.15, electronics: 0.1 },
  },
  bargain_hunter: {
    firstAge: [200, 100_000],
    lastAge: [0, 40],
    minOrders: 10,
    extraOrders: 10,
    medianAmount: 12,
    sigma: 0.45,
    channel: { online: 0.6, app: 0.35, store: 0.05 },
    category: { clearance: 0.55, grocery: 0.2, fashion: 0.15, beauty: 0.1 },
  },
};

interface Order {
  day: number;
  customer: number;
  amount: number;
  channel: string;
  category: string;
}

/**
 * Generates a **synthetic** retail transaction log (no real customer is behind it), for demos and
 * tests of the RFM workflow. Customers are drawn one by one from five planted behavioural segments
 * until the log has `rows` orders (the last customer's orders are cut to fit):
 *
 * - `loyal_high_spender`: customers for 300+ days, 10 + Poisson(12) orders, the last within 25 days, median order 110;
 * - `occasional`: customers for 150+ days, 2 + Poisson(3) orders, the last 25-150 days ago, median 55;
 * - `lapsed`: first order 420+ days ago, 2 + Poisson(4) orders, none in the last 230 days, median 60;
 * - `new`: first order within 45 days, 1 + Poisson(0.6) orders, median 50;
 * - `bargain_hunter`: customers for 200+ days, 10 + Poisson(10) orders, the last within 40 days, median 12,
 *   mostly online and in the `clearance` category.
 *
 * The first and last order days are drawn uniformly in the segment's ranges and the other orders
 * uniformly in between; amounts are log-normal (heavy right tail) around the segment's median,
 * rounded to cents. Deterministic: every draw comes from core's `Random(seed)`.
 */
export function generateTransactions(options: GenerateTransactionsOptions = {}): SyntheticTransactions {
  const rows = checkInt(options.rows ?? 4000, "rows", 1);
  const seed = checkNumber(options.seed ?? 0, "seed");
  const end = isoDay(options.endDate ?? "2024-12-31", "endDate");
  const days = checkInt(options.days ?? 730, "days", 400);
  const weights = { ...DEFAULT_WEIGHTS };
  for (const [name, w] of Object.entries(options.segmentWeights ?? {})) {
    if (!(name in DEFAULT_WEIGHTS)) {
      throw invalid("segmentWeights", name, `unknown segment (segments: ${TRANSACTION_SEGMENTS.join(", ")})`);
    }
    weights[name as TransactionSegment] = checkNumber(w as number, `segmentWeights.${name}`, { min: 0 });
  }
  const weightList = TRANSACTION_SEGMENTS.map((s) => weights[s]);
  if (weightList.every((w) => w === 0)) throw invalid("segmentWeights", options.segmentWeights, "all weights are 0");

  const rng = new Random(seed);
  const orders: Order[] = [];
  const customerSegments: TransactionSegment[] = [];
  while (orders.length < rows) {
    const customer = customerSegments.length;
    const segment = TRANSACTION_SEGMENTS[weightedIndex(rng, weightList)];
    customerSegments.push(segment);
    const p = PROFILES[segment];
    const maxAge = days - 1;
    const firstAge = uniformInt(rng, Math.min(p.firstAge[0], maxAge), Math.min(p.firstAge[1], maxAge));
    const lastAge = uniformInt(rng, Math.min(p.lastAge[0], firstAge), Math.min(p.lastAge[1], firstAge));
    let n = p.minOrders + poisson(rng, p.extraOrders);
    if (firstAge === lastAge) n = 1;
    n = Math.min(n, rows - orders.length);
    const ages = [firstAge];
    if (n >= 2) ages.push(lastAge);
    for (let i = 2; i < n; i++) ages.push(uniformInt(rng, lastAge, firstAge));
    for (const age of ages) {
      const amount = Math.max(0.5, Math.round(logNormal(rng, p.medianAmount, p.sigma) * 100) / 100);
      orders.push({
        day: end - age,
        customer,
        amount,
        channel: weightedChoice(rng, p.channel),
        category: weightedChoice(rng, p.category),
      });
    }
  }
  orders.sort((a, b) => a.day - b.day || a.customer - b.customer);

  const width = Math.max(5, String(customerSegments.length).length);
  const customerIds = customerSegments.map((_, i) => `C${String(i + 1).padStart(width, "0")}`);
  const idWidth = Math.max(6, String(rows).length);
  const table: Table = {
    source: "synthetic transactions",
    nRows: orders.length,
    columns: [
      {
        name: "order_id",
        type: "VARCHAR",
        kind: "string",
        values: orders.map((_, i) => `O${String(i + 1).padStart(idWidth, "0")}`),
      },
      { name: "customer_id", type: "VARCHAR", kind: "string", values: orders.map((o) => customerIds[o.customer]) },
      { name: "order_date", type: "DATE", kind: "string", values: orders.map((o) => dayToIso(o.day)) },
      { name: "amount", type: "DOUBLE", kind: "numeric", values: Float64Array.from(orders, (o) => o.amount) },
      { name: "channel", type: "VARCHAR", kind: "string", values: orders.map((o) => o.channel) },
      { name: "category", type: "VARCHAR", kind: "string", values: orders.map((o) => o.category) },
      {
        name: "planted_segment",
        type: "VARCHAR",
        kind: "string",
        values: orders.map((o) => customerSegments[o.customer]),
      },
    ],
  };
  return { table, customerIds, customerSegments };
}
