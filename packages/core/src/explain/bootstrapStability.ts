import type { Matrix, MatrixLike } from "../matrix.js";
import { type Frame, isFrame } from "../preprocessing/frame.js";
import { Random } from "../random.js";
import { asMatrix, checkInt } from "../validate.js";
import { checkSegmentLabels, fittedLabels, takeInputRows } from "./internal.js";

/** Options for `bootstrapStability`. */
export interface BootstrapStabilityOptions {
  /** Number of bootstrap replicates. Default 20. */
  nBootstrap?: number;
  /** Seed of the resampling. Default 0. */
  seed?: number;
  /** The clustering of all rows; default: `fitPredict(X, [0, 1, ..., n - 1])`. */
  labels?: ArrayLike<number>;
  /** Called after each replicate with the number done and the total (progress). */
  onReplicate?: (done: number, total: number) => void;
}

/**
 * How stable a cluster is under resampling (Hennig 2007), from its mean Jaccard similarity:
 * `"dissolved"` < 0.6 (not a stable pattern); `"patterns"` 0.6 to 0.75 (indicates a pattern, but which
 * rows belong is uncertain); `"stable"` 0.75 to 0.85; `"highly stable"` > 0.85.
 */
export type StabilityBand = "dissolved" | "patterns" | "stable" | "highly stable";

/** The band of a mean Jaccard similarity (see `StabilityBand`). */
export function stabilityBand(meanJaccard: number): StabilityBand {
  if (meanJaccard < 0.6) return "dissolved";
  if (meanJaccard < 0.75) return "patterns";
  if (meanJaccard <= 0.85) return "stable";
  return "highly stable";
}

/** The bootstrap stability of one cluster of the original clustering. */
export interface ClusterStability {
  label: number;
  /** Rows of the cluster in the original clustering. */
  size: number;
  /** Mean over the replicates in which the cluster had rows of the best Jaccard similarity (null if never drawn). */
  meanJaccard: number | null;
  /** Best Jaccard similarity in each replicate where the cluster had rows. */
  jaccards: number[];
  /** Replicates with a best Jaccard <= 0.5 (the cluster "dissolved", Hennig's count). */
  dissolved: number;
  /** Replicates with a best Jaccard >= 0.75 (the cluster was "recovered"). */
  recovered: number;
  /** Band of `meanJaccard` (null if never drawn). */
  band: StabilityBand | null;
}

/** What `bootstrapStability` returns. */
export interface BootstrapStability {
  nBootstrap: number;
  seed: number;
  /** One entry per cluster of the original clustering (labels >= 0), ascending. */
  clusters: ClusterStability[];
  /** Mean of the clusters' `meanJaccard` (null when there is no cluster). */
  meanJaccard: number | null;
}

/**
 * Clusterwise bootstrap stability (Hennig 2007, "Cluster-wise assessment of cluster stability"; as
 * R's `fpc::clusterboot` with bootstrap resampling): `nBootstrap` times, draw n rows with
 * replacement, cluster them again with `fitPredict(sample, rows)` (`rows[r]`: the original row of
 * sample row r), and for each cluster C of the original clustering take the largest Jaccard
 * similarity `|C* ∩ D| / |C* ∪ D|` with any cluster D of the replicate, computed on the rows both
 * share: C* is C restricted to the distinct rows drawn, D the distinct drawn rows put in that
 * cluster (a row drawn several times counts once, with the label of its first copy). A cluster
 * none of whose rows were drawn has no value in that replicate. The stability of C is the mean of
 * its values; see `StabilityBand` for reading it.
 *
 * Noise (label -1) is not a cluster: original noise rows are in no C, replicate noise rows in no D.
 * `X` is a matrix or a `Frame`; `fitPredict` gets the resampled rows in the same form.
 */
export function bootstrapStability(
  X: Frame,
  fitPredict: (sample: Frame, rows: Int32Array) => ArrayLike<number>,
  options?: BootstrapStabilityOptions,
): BootstrapStability;
export function bootstrapStability(
  X: MatrixLike,
  fitPredict: (sample: Matrix, rows: Int32Array) => ArrayLike<number>,
  options?: BootstrapStabilityOptions,
): BootstrapStability;
export function bootstrapStability(
  X: Frame | MatrixLike,
  fitPredict: (sample: never, rows: Int32Array) => ArrayLike<number>,
  options: BootstrapStabilityOptions = {},
): BootstrapStability {
  const data: Matrix | Frame = isFrame(X) ? X : asMatrix(X);
  const n = data.rows;
  const nBootstrap = checkInt(options.nBootstrap ?? 20, "nBootstrap", 1);
  const seed = options.seed ?? 0;
  const run = fitPredict as (sample: Matrix | Frame, rows: Int32Array) => ArrayLike<number>;
  let original: Int32Array;
  if (options.labels !== undefined) {
    original = checkSegmentLabels(options.labels, n).labels;
  } else {
    const all = new Int32Array(n);
    for (let i = 0; i < n; i++) all[i] = i;
    original = fittedLabels(run(data, all), n, "fitPredict result");
  }
  let k = 0;
  for (let i = 0; i < n; i++) if (original[i] + 1 > k) k = original[i] + 1;
  const sizes = new Int32Array(k);
  for (let i = 0; i < n; i++) if (original[i] >= 0) sizes[original[i]]++;
  const jaccards: number[][] = Array.from({ length: k }, () => []);

  const random = new Random(seed);
  const drawnLabel = new Int32Array(n);
  for (let b = 0; b < nBootstrap; b++) {
    const rows = new Int32Array(n);
    for (let r = 0; r < n; r++) rows[r] = random.int(n);
    const sample = takeInputRows(data, rows);
    const bl = fittedLabels(run(sample, rows), n, "fitPredict result");
    // Label of the first copy of each drawn row; -2 for rows not drawn.
    drawnLabel.fill(-2);
    let kb = 0;
    for (let r = 0; r < n; r++) {
      const i = rows[r];
      if (drawnLabel[i] === -2) drawnLabel[i] = bl[r] < 0 ? -1 : bl[r];
      if (bl[r] + 1 > kb) kb = bl[r] + 1;
    }
    const inter = new Float64Array(k * kb);
    const cSize = new Float64Array(k);
    const dSize = new Float64Array(kb);
    for (let i = 0; i < n; i++) {
      const l = drawnLabel[i];
      if (l === -2) continue;
      const c = original[i];
      if (c >= 0) cSize[c]++;
      if (l >= 0) dSize[l]++;
      if (c >= 0 && l >= 0) inter[c * kb + l]++;
    }
    for (let c = 0; c < k; c++) {
      if (cSize[c] === 0) continue;
      let best = 0;
      for (let l = 0; l < kb; l++) {
        const x = inter[c * kb + l];
        if (x === 0) continue;
        const j = x / (cSize[c] + dSize[l] - x);
        if (j > best) best = j;
      }
      jaccards[c].push(best);
    }
    options.onReplicate?.(b + 1, nBootstrap);
  }

  const clusters: ClusterStability[] = [];
  for (let c = 0; c < k; c++) {
    if (sizes[c] === 0) continue;
    const values = jaccards[c];
    const mean = values.length > 0 ? values.reduce((a, v) => a + v, 0) / values.length : null;
    clusters.push({
      label: c,
      size: sizes[c],
      meanJaccard: mean,
      jaccards: values,
      dissolved: values.filter((v) => v <= 0.5).length,
      recovered: values.filter((v) => v >= 0.75).length,
      band: mean === null ? null : stabilityBand(mean),
    });
  }
  const means = clusters.map((c) => c.meanJaccard).filter((m): m is number => m !== null);
  return {
    nBootstrap,
    seed,
    clusters,
    meanJaccard: means.length > 0 ? means.reduce((a, v) => a + v, 0) / means.length : null,
  };
}
