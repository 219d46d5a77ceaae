import {
  asMatrix,
  invalid,
  KMeans,
  type Matrix,
  type MatrixLike,
  PCA,
  Random,
  ValidationError,
} from "@clusterlab/core";

/** How the reference (null) data sets of the gap statistic are drawn. */
export type GapReference = "uniform" | "pca";

/** Labels of `X` split into `k` clusters (the method whose k is being chosen). */
export type GapClusterer = (X: Matrix, k: number, seed: number) => Int32Array;

/** Options for `gapStatistic`. */
export interface GapStatisticOptions {
  /** Smallest k (an integer >= 1). Default 1. */
  kMin?: number;
  /** Largest k (an integer, kMin <= kMax <= n). Default 10, lowered to n. */
  kMax?: number;
  /** Reference data sets B (an integer >= 2). Default 10. */
  b?: number;
  /** Seed of the reference sets and of the clusterer. Default 0. */
  seed?: number;
  /**
   * `"uniform"`: each reference feature uniform over the range of the data's feature (Tibshirani et
   * al.'s option a). `"pca"`: uniform over the box aligned with the principal components (option b,
   * which follows the shape of the data). Default `"uniform"`.
   */
  reference?: GapReference;
  /** The clustering at each k. Default: k-means (`KMeans`, k-means++, one run, seeded). */
  cluster?: GapClusterer;
  /** Called after each k. Default none. */
  onProgress?: (k: number) => void;
}

/** The result of `gapStatistic`: one entry per k in each array, in increasing k. */
export interface GapStatisticResult {
  ks: number[];
  /** log W_k of the data (W_k: pooled within-cluster sum of squares). */
  logW: number[];
  /** Mean of log W*_kb over the B reference sets. */
  expectedLogW: number[];
  /** Gap(k) = expectedLogW - logW. */
  gap: number[];
  /** Standard deviation of log W*_kb over the reference sets (1/B normalisation). */
  sd: number[];
  /** s_k = sd_k sqrt(1 + 1/B): the simulation error of Gap(k). */
  s: number[];
  /** The smallest k with Gap(k) >= Gap(k+1) - s(k+1) (kMax when there is none). */
  k: number;
  /** One sentence with the numbers behind the choice. */
  reason: string;
  b: number;
  reference: GapReference;
}

/**
 * The pooled within-cluster dispersion W_k = sum over clusters of the squared distances to the
 * cluster mean (= sum_r D_r / (2 n_r) of Tibshirani et al.). Noise rows (label < 0) are left out.
 */
export function withinDispersion(X: MatrixLike, labels: ArrayLike<number>): number {
  const m = asMatrix(X);
  const { rows, cols, data } = m;
  if (labels.length !== rows) throw invalid("labels", labels.length, `must have one label per row (${rows})`);
  let k = 0;
  for (let i = 0; i < rows; i++) if (labels[i] + 1 > k) k = labels[i] + 1;
  const sums = new Float64Array(k * cols);
  const counts = new Float64Array(k);
  for (let i = 0; i < rows; i++) {
    const l = labels[i];
    if (l < 0) continue;
    counts[l]++;
    for (let j = 0; j < cols; j++) sums[l * cols + j] += data[i * cols + j];
  }
  for (let c = 0; c < k; c++) for (let j = 0; j < cols; j++) if (counts[c] > 0) sums[c * cols + j] /= counts[c];
  let w = 0;
  for (let i = 0; i < rows; i++) {
    const l = labels[i];
    if (l < 0) continue;
    for (let j = 0; j < cols; j++) {
      const d = data[i * cols + j] - sums[l * cols + j];
      w += d * d;
    }
  }
  return w;
}

/**
 * Tibshirani, Walther and Hastie's rule: the index of the smallest k with
 * `gap[i] >= gap[i + 1] - s[i + 1]`, or the last index when no k qualifies.
 */
export function gapRule(gap: readonly number[], s: readonly number[]): number {
  for (let i = 0; i + 1 < gap.length; i++) if (gap[i] >= gap[i + 1] - s[i + 1]) return i;
  return gap.length - 1;
}

const defaultClusterer: GapClusterer = (X, k, seed) => new KMeans({ nClusters: k, seed }).fit(X).labels;

function logOf(w: number): number {
  // A perfect fit (W = 0, e.g. k = n) would give -Infinity; the smallest positive double keeps the arithmetic finite.
  return Math.log(Math.max(w, Number.MIN_VALUE));
}

/** B reference sets drawn uniformly over the data's box (or its principal-component box). */
function referenceSets(m: Matrix, b: number, reference: GapReference, random: Random): Matrix[] {
  const { rows, cols } = m;
  let basis: Matrix = m;
  let components: Matrix | null = null;
  let mean: Float64Array | null = null;
  if (reference === "pca") {
    const pca = new PCA({ nComponents: Math.min(rows, cols) }).fit(m);
    components = pca.components;
    mean = pca.mean;
    basis = pca.transform(m);
  }
  const d = basis.cols;
  const lo = new Float64Array(d).fill(Number.POSITIVE_INFINITY);
  const hi = new Float64Array(d).fill(Number.NEGATIVE_INFINITY);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < d; j++) {
      const v = basis.data[i * d + j];
      if (v < lo[j]) lo[j] = v;
      if (v > hi[j]) hi[j] = v;
    }
  }
  const sets: Matrix[] = [];
  for (let r = 0; r < b; r++) {
    const z = new Float64Array(rows * d);
    for (let i = 0; i < rows * d; i++) {
      const j = i % d;
      z[i] = lo[j] + random.float() * (hi[j] - lo[j]);
    }
    if (components && mean) {
      // Back to the data's coordinates: z V^T + mean (V: d x cols components, one per row).
      const out = new Float64Array(rows * cols);
      for (let i = 0; i < rows; i++) {
        for (let c = 0; c < cols; c++) {
          let s = mean[c];
          for (let j = 0; j < d; j++) s += z[i * d + j] * components.data[j * cols + c];
          out[i * cols + c] = s;
        }
      }
      sets.push({ rows, cols, data: out });
    } else {
      sets.push({ rows, cols: d, data: z });
    }
  }
  return sets;
}

/**
 * The gap statistic (Tibshirani, Walther and Hastie, 2001) for k in `kMin..kMax`: compares log W_k
 * of the data with its expectation under B seeded reference data sets without cluster structure,
 * `Gap(k) = mean_b log W*_kb - log W_k`, with the simulation error `s_k = sd_k sqrt(1 + 1/B)`, and
 * picks the smallest k with `Gap(k) >= Gap(k+1) - s(k+1)`. k = 1 needs no clustering (W_1 is the
 * total sum of squares), so the statistic can say "no clusters".
 *
 * Cost: (B + 1) clusterings per k. Deterministic for a given seed.
 */
export function gapStatistic(X: MatrixLike, options: GapStatisticOptions = {}): GapStatisticResult {
  const m = asMatrix(X);
  const n = m.rows;
  const { seed = 0, reference = "uniform", cluster = defaultClusterer, onProgress } = options;
  const kMin = options.kMin ?? 1;
  const kMax = options.kMax ?? Math.min(10, n);
  const b = options.b ?? 10;
  if (!Number.isInteger(kMin) || kMin < 1) throw invalid("kMin", kMin, "must be an integer >= 1");
  if (!Number.isInteger(kMax) || kMax < kMin) throw invalid("kMax", kMax, `must be an integer >= kMin = ${kMin}`);
  if (kMax > n) throw new ValidationError(`invalid kMax: ${kMax} (must be <= n_samples = ${n})`);
  if (!Number.isInteger(b) || b < 2) throw invalid("b", b, "must be an integer >= 2");
  if (reference !== "uniform" && reference !== "pca")
    throw invalid("reference", reference, 'must be "uniform" or "pca"');
  const random = new Random(seed);
  const sets = referenceSets(m, b, reference, random);
  const single = new Int32Array(n);
  const ks: number[] = [];
  const logW: number[] = [];
  const expectedLogW: number[] = [];
  const gap: number[] = [];
  const sd: number[] = [];
  const s: number[] = [];
  for (let k = kMin; k <= kMax; k++) {
    const labels = k === 1 ? single : cluster(m, k, seed);
    const lw = logOf(withinDispersion(m, labels));
    const refs = sets.map((ref) => logOf(withinDispersion(ref, k === 1 ? single : cluster(ref, k, seed))));
    const mean = refs.reduce((a, v) => a + v, 0) / b;
    const sdk = Math.sqrt(refs.reduce((a, v) => a + (v - mean) ** 2, 0) / b);
    ks.push(k);
    logW.push(lw);
    expectedLogW.push(mean);
    gap.push(mean - lw);
    sd.push(sdk);
    s.push(sdk * Math.sqrt(1 + 1 / b));
    onProgress?.(k);
  }
  const i = gapRule(gap, s);
  const k = ks[i];
  const fmt = (v: number) => v.toFixed(3);
  const reason =
    i + 1 < ks.length
      ? `smallest k with Gap(k) >= Gap(k+1) - s(k+1): k=${k} (Gap ${fmt(gap[i])} >= ${fmt(gap[i + 1])} - ${fmt(s[i + 1])})`
      : `no k in ${kMin}..${kMax} has Gap(k) >= Gap(k+1) - s(k+1); the gap still grows at kMax=${k}`;
  return { ks, logW, expectedLogW, gap, sd, s, k, reason, b, reference };
}
