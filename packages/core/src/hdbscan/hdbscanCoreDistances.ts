import type { Matrix } from "../matrix.js";
import type { BoruvkaTree } from "./boruvkaTree.js";
import type { HDBSCANMetric } from "./hdbscanMetric.js";

/** Query rows per block of the brute-force kernel. */
const QUERY_BLOCK = 32;
/** Data rows per block of the brute-force kernel. */
const DATA_BLOCK = 512;

/** Core distances and, when a k-d tree found them, the neighbour lists behind them. */
export interface HDBSCANCoreDistances {
  /** Distance from each row to its `minSamples`-th nearest row, the row itself counted (at distance 0). */
  core: Float64Array;
  /** `rows x minSamples` nearest-neighbour indices (row-major, unordered), or null from the brute-force kernel. */
  neighbors: Int32Array | null;
}

/**
 * Core distances for HDBSCAN: the distance from each row to its `minSamples`-th nearest row, the row
 * itself included (scikit-learn's `min_samples` convention; `minSamples = 1` gives 0 everywhere).
 *
 * - with a `tree` (Euclidean or Manhattan only): k-nearest-neighbour queries on that k-d tree, which also
 *   return the neighbour lists (used to seed Boruvka);
 * - otherwise a blocked brute-force kernel over `points` (prepared by `hdbscanMetricPoints`) keeping the k
 *   smallest distances per row in a max-heap; O(n^2 d) time, O(n) extra memory. The self distance is
 *   exactly 0 for every metric, as in scikit-learn's cosine distance matrix.
 */
export function hdbscanCoreDistances(
  X: Matrix,
  points: Float64Array,
  minSamples: number,
  metric: HDBSCANMetric,
  tree: BoruvkaTree | null,
): HDBSCANCoreDistances {
  const n = X.rows;
  const k = minSamples;
  if (tree !== null && metric !== "cosine") {
    const { kth, neighbors } = tree.knn(k, metric === "euclidean");
    return { core: kth, neighbors };
  }
  return { core: bruteCoreDistances(points, n, X.cols, k, metric), neighbors: null };
}

/** Blocked brute-force k-th smallest distance per row (self included at distance 0). */
function bruteCoreDistances(
  points: Float64Array,
  n: number,
  d: number,
  k: number,
  metric: HDBSCANMetric,
): Float64Array {
  const core = new Float64Array(n);
  if (k === 1) return core; // the row itself
  const heaps = new Float64Array(QUERY_BLOCK * k);
  const sizes = new Int32Array(QUERY_BLOCK);
  const kind = metric === "euclidean" ? 0 : metric === "manhattan" ? 1 : 2;
  for (let q0 = 0; q0 < n; q0 += QUERY_BLOCK) {
    const q1 = Math.min(n, q0 + QUERY_BLOCK);
    sizes.fill(0);
    for (let j0 = 0; j0 < n; j0 += DATA_BLOCK) {
      const j1 = Math.min(n, j0 + DATA_BLOCK);
      for (let q = q0; q < q1; q++) {
        const h = (q - q0) * k;
        const qa = q * d;
        let size = sizes[q - q0];
        for (let j = j0; j < j1; j++) {
          const jb = j * d;
          let s = 0;
          if (j === q) {
            s = 0;
          } else if (kind === 0) {
            for (let t = 0; t < d; t++) {
              const diff = points[qa + t] - points[jb + t];
              s += diff * diff;
            }
            s = Math.sqrt(s);
          } else if (kind === 1) {
            for (let t = 0; t < d; t++) s += Math.abs(points[qa + t] - points[jb + t]);
          } else {
            for (let t = 0; t < d; t++) s += points[qa + t] * points[jb + t];
            s = 1 - s;
            s = s < 0 ? 0 : Math.min(s, 2);
          }
          if (size < k) {
            // sift up in a max-heap
            let c = size++;
            while (c > 0) {
              const p = (c - 1) >> 1;
              if (heaps[h + p] >= s) break;
              heaps[h + c] = heaps[h + p];
              c = p;
            }
            heaps[h + c] = s;
          } else if (s < heaps[h]) {
            // replace the top and sift down
            let c = 0;
            for (;;) {
              const l = 2 * c + 1;
              if (l >= k) break;
              const r = l + 1;
              const m = r < k && heaps[h + r] > heaps[h + l] ? r : l;
              if (heaps[h + m] <= s) break;
              heaps[h + c] = heaps[h + m];
              c = m;
            }
            heaps[h + c] = s;
          }
        }
        sizes[q - q0] = size;
      }
    }
    for (let q = q0; q < q1; q++) core[q] = heaps[(q - q0) * k];
  }
  return core;
}
