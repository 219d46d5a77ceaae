// Fixture loading shared by the manifold tests (reference/fixtures/manifold.json, reference/manifold.py).
import { asMatrix } from "../../src/index.js";
import { type Dataset, loadDatasets, loadFixture } from "../fixtures.js";

export interface TrustCase {
  dataset: string;
  embeddingName: string;
  embedding: number[][];
  nNeighbors: number;
  value: number;
  tieFree: boolean;
}
export interface TsneRun {
  dataset: string;
  method: "exact" | "barnes_hut";
  perplexity: number;
  init: number[][];
  kl: number;
  nIter: number;
  learningRate: number;
  trust5: number;
  trust10: number;
}
/** A 3-D Barnes-Hut run of scikit-learn (one of several inits per dataset). */
export interface TsneRun3d {
  dataset: string;
  perplexity: number;
  init: number[][];
  kl: number;
  nIter: number;
  trust5: number;
  trust10: number;
}
export interface ManifoldFixture {
  extraDatasets: Record<string, { X: number[][]; labelsTrue: number[]; k: number; description: string }>;
  trustworthiness: TrustCase[];
  tsne: {
    conditionalP: { dataset: string; perplexity: number; P: number[][] }[];
    jointP: { dataset: string; perplexity: number; P: number[] }[];
    gradient: {
      dataset: string;
      perplexity: number;
      nComponents: number;
      init: number[][];
      kl: number;
      grad: number[];
    }[];
    pcaInit: { dataset: string; nComponents: number; init: number[][] }[];
    bhP: { dataset: string; perplexity: number; indptr: number[]; indices: number[]; data: number[] }[];
    bhGradient: {
      dataset: string;
      perplexity: number;
      nComponents: number;
      init: number[][];
      angle0: { kl: number; grad: number[] };
      angle05: { kl: number; grad: number[] };
      exactWithSparseP: { grad: number[] };
    }[];
    trajectory: { dataset: string; iterations: number; init: number[][]; embedding: number[][] }[];
    runs: TsneRun[];
    runs3d: TsneRun3d[];
  };
  umap: {
    ab: { spread: number; minDist: number; a: number; b: number }[];
    graphs: {
      dataset: string;
      nNeighbors: number;
      metric: "euclidean" | "manhattan" | "cosine";
      localConnectivity: number;
      setOpMixRatio: number;
      sigmas: number[];
      rhos: number[];
      indptr: number[];
      indices: number[];
      data: number[];
    }[];
    transformGraphs: {
      dataset: string;
      nNeighbors: number;
      metric: "euclidean" | "manhattan" | "cosine";
      query: number[][];
      indices: number[][];
      weights: number[][];
      sigmas: number[];
      rhos: number[];
    }[];
  };
}

let cache: { fixture: ManifoldFixture; datasets: Record<string, Dataset> } | null = null;

/** The manifold fixture and the shared datasets plus its extra ones (blobs). */
export function manifoldData(): { fixture: ManifoldFixture; datasets: Record<string, Dataset> } {
  if (cache) return cache;
  const fixture = loadFixture<ManifoldFixture>("manifold");
  const datasets = loadDatasets();
  for (const [name, d] of Object.entries(fixture.extraDatasets)) {
    datasets[name] = {
      X: asMatrix(d.X),
      labelsTrue: Int32Array.from(d.labelsTrue),
      k: d.k,
      description: d.description,
    };
  }
  cache = { fixture, datasets };
  return cache;
}

/** Largest |a_i - b_i| divided by the largest |b_i|. */
export function relMaxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length mismatch: ${a.length} vs ${b.length}`);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / scale;
}

/** Leave-one-out k-nearest-neighbour classification accuracy of `labels` in the rows of `E` (k = 5, majority, ties to the nearest). */
export function knnAccuracy(
  E: { rows: number; cols: number; data: Float64Array },
  labels: ArrayLike<number>,
  k = 5,
): number {
  const n = E.rows;
  const d = E.cols;
  let correct = 0;
  const dist = new Float64Array(n);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let t = 0; t < d; t++) s += (E.data[i * d + t] - E.data[j * d + t]) ** 2;
      dist[j] = j === i ? Number.POSITIVE_INFINITY : s;
      order[j] = j;
    }
    order.sort((a, b) => dist[a] - dist[b] || a - b);
    const votes = new Map<number, number>();
    for (let t = 0; t < k; t++) votes.set(labels[order[t]], (votes.get(labels[order[t]]) ?? 0) + 1);
    let best = labels[order[0]];
    for (const [label, v] of votes) if (v > (votes.get(best) ?? 0)) best = label;
    if (best === labels[i]) correct++;
  }
  return correct / n;
}
