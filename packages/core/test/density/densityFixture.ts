import { asMatrix, type Matrix } from "../../src/index.js";
import { loadDatasets, loadFixture } from "../fixtures.js";

export interface DBSCANCase {
  dataset: string;
  eps: number;
  minSamples: number;
  metric: "euclidean" | "manhattan" | "cosine";
  sampleWeight?: number[];
  labels: number[];
  coreSampleIndices: number[];
  nClusters: number;
  minGap: number;
}

export interface OPTICSCase {
  dataset: string;
  minSamples: number;
  maxEps: number | null;
  metric: "euclidean" | "manhattan" | "cosine";
  xi: number;
  minClusterSize: number | null;
  predecessorCorrection: boolean;
  ordering: number[];
  reachability: (number | null)[];
  coreDistances: (number | null)[];
  predecessor: number[];
  labels: number[];
  clusterHierarchy: [number, number][];
  dbscan: { eps: number; labels: number[] }[];
}

interface DensityFixture {
  meta: { sklearn: string };
  extraDatasets: Record<string, { X: number[][]; labelsTrue: number[]; k: number; description: string }>;
  dbscan: DBSCANCase[];
  optics: OPTICSCase[];
}

/** reference/fixtures/density.json with every dataset (shared and density-specific) as a Matrix. */
export function loadDensityFixture(): DensityFixture & { data: Record<string, Matrix> } {
  const f = loadFixture<DensityFixture>("density");
  const data: Record<string, Matrix> = {};
  for (const [name, d] of Object.entries(loadDatasets())) data[name] = d.X;
  for (const [name, d] of Object.entries(f.extraDatasets)) data[name] = asMatrix(d.X);
  return { ...f, data };
}

/** null (JSON for Infinity) back to Infinity. */
export function infs(a: (number | null)[]): number[] {
  return a.map((v) => (v === null ? Number.POSITIVE_INFINITY : v));
}
