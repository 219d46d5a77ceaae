import type { SilhouettePlotResult } from "@clusterlab/charts";
import { type Matrix, silhouetteSamples, takeRows } from "@clusterlab/core";
import { sampleRows } from "./rowSample.js";

/** Up to this many clustered rows the silhouette is exact; above, it is computed on a seeded sample of this size. */
export const SILHOUETTE_EXACT_MAX = 5_000;
/** Most points drawn in the silhouette plot (every n-th of each cluster's sorted values: the 320 px plot looks the same, and redraws faster). */
export const SILHOUETTE_PLOT_MAX = 1_500;

/** Silhouette score and the per-cluster plot data, on the clustered (non-noise) rows; a seeded sample for large n. */
export function silhouettePlot(
  Xs: Matrix,
  labels: Int32Array,
  k: number,
  seed: number,
  warnings: string[],
  exactMax: number = SILHOUETTE_EXACT_MAX,
  plotMax: number = SILHOUETTE_PLOT_MAX,
): { score: number | null; plot: SilhouettePlotResult | null } {
  const clustered: number[] = [];
  for (let i = 0; i < labels.length; i++) if (labels[i] >= 0) clustered.push(i);
  const pick = sampleRows(clustered.length, exactMax, seed + 1);
  const rows = Array.from(pick, (p) => clustered[p]);
  const sub = rows.length === Xs.rows ? Xs : takeRows(Xs, rows);
  const lab = rows.length === Xs.rows ? labels : Int32Array.from(rows, (r) => labels[r]);
  const distinct = new Set(lab).size;
  if (distinct < 2 || distinct > lab.length - 1) {
    warnings.push(`silhouette not computed: it needs 2 to n-1 non-empty clusters (got ${distinct})`);
    return { score: null, plot: null };
  }
  const values = silhouetteSamples(sub, lab);
  let total = 0;
  for (const v of values) total += v;
  const score = total / values.length;
  // The plot shows at most plotMax values: every `step`-th of each cluster's sorted values.
  const perCluster: number[][] = Array.from({ length: k }, () => []);
  for (let i = 0; i < lab.length; i++) perCluster[lab[i]].push(values[i]);
  const means = perCluster.map((vs) => (vs.length > 0 ? vs.reduce((a, b) => a + b, 0) / vs.length : null));
  const step = Math.max(1, Math.ceil(lab.length / plotMax));
  const plotted = perCluster.map((vs) => {
    vs.sort((a, b) => b - a);
    return step === 1 ? vs : vs.filter((_, i) => i % step === 0);
  });
  return { score, plot: { sampleSize: lab.length, perCluster: plotted, clusterMeans: means } };
}
