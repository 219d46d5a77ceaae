import { loadFixture } from "../fixtures.js";

/** Shape of reference/fixtures/metrics.json (written by reference/metrics.py). */
export type AverageRecord = Record<"arithmetic" | "geometric" | "min" | "max", number>;

export interface ExternalRecord {
  randScore: number;
  adjustedRandScore: number;
  /** null where scikit-learn raises (empty labelings). */
  mutualInfoScore: number | null;
  normalizedMutualInfoScore: AverageRecord;
  adjustedMutualInfoScore: AverageRecord;
  homogeneityScore: number;
  completenessScore: number;
  vMeasureScore: number;
  vMeasureBeta: Record<"0.5" | "2", number>;
  homogeneityCompletenessVMeasure: [number, number, number];
  fowlkesMallowsScore: number;
  entropyTrue: number;
  entropyPred: number;
  pairConfusion: [[number, number], [number, number]];
}

export interface InternalRecord {
  silhouette_euclidean: number;
  silhouette_sqeuclidean: number;
  silhouette_manhattan: number;
  silhouette_cosine: number;
  calinskiHarabasz: number;
  daviesBouldin: number;
}

export type LabelingName = "true" | "kmeans" | "noise" | "random";
export type SilMetric = "euclidean" | "sqeuclidean" | "manhattan" | "cosine";

export interface DatasetRecord {
  labelings: Record<LabelingName, number[]>;
  /** null where scikit-learn raises (fewer than 2 or more than n - 1 labels). */
  internal: Record<LabelingName, InternalRecord | null>;
  external: Record<LabelingName, ExternalRecord>;
  samples?: Partial<Record<LabelingName, Record<SilMetric, number[]>>>;
  contingency?: Record<LabelingName, { classes: number[]; clusters: number[]; counts: number[][] }>;
}

export interface LargeRecord {
  n: number;
  seedA: number;
  kA: number;
  seedB: number;
  kB: number;
  mix: number;
  checksumA: number;
  checksumB: number;
  adjustedMutualInfoScore: AverageRecord;
  normalizedMutualInfoScore: number;
  mutualInfoScore: number;
  adjustedRandScore: number;
  randScore: number;
  fowlkesMallowsScore: number;
  vMeasureScore: number;
  pairConfusion: [[number, number], [number, number]];
  /** scikit-learn's expected_mutual_information. */
  expectedMutualInfoSklearn: number;
  /** 40-digit mpmath evaluation (first case only). */
  expectedMutualInfoExact?: number;
}

export interface InternalSpecialRecord extends InternalRecord {
  name: string;
  X: number[][];
  labels: number[];
  samples: Record<SilMetric, number[]>;
}

export interface MetricsFixture {
  meta: { sklearn: string };
  datasets: Record<string, DatasetRecord>;
  special: Record<string, ExternalRecord & { a: number[]; b: number[] }>;
  internalSpecial: InternalSpecialRecord[];
  large: LargeRecord[];
}

export const AVERAGES = ["arithmetic", "geometric", "min", "max"] as const;
export const SIL_METRICS: readonly SilMetric[] = ["euclidean", "sqeuclidean", "manhattan", "cosine"];

export function loadMetricsFixture(): MetricsFixture {
  return loadFixture<MetricsFixture>("metrics");
}

function parkMiller(seed: number, count: number): Float64Array {
  const out = new Float64Array(count);
  let x = seed;
  for (let i = 0; i < count; i++) {
    x = (48271 * x) % 2147483647; // < 2^47: exact in doubles
    out[i] = x;
  }
  return out;
}

/** Reproduces reference/metrics.py `large_case`: a[i] = A_i % kA; b[i] = a[i] % kB or B_{2i+1} % kB. */
export function largeLabels(r: LargeRecord): { a: Int32Array; b: Int32Array } {
  const ra = parkMiller(r.seedA, r.n);
  const rb = parkMiller(r.seedB, 2 * r.n);
  const a = new Int32Array(r.n);
  const b = new Int32Array(r.n);
  for (let i = 0; i < r.n; i++) {
    a[i] = ra[i] % r.kA;
    b[i] = rb[2 * i] % 100 < r.mix ? a[i] % r.kB : rb[2 * i + 1] % r.kB;
  }
  return { a, b };
}

/** sum(i * labels[i]) mod 1e9+7, as recorded by reference/metrics.py. */
export function checksum(labels: Int32Array): number {
  let s = 0;
  for (let i = 0; i < labels.length; i++) s = (s + ((i * labels[i]) % 1000000007)) % 1000000007;
  return s;
}
