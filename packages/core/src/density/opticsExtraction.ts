import { invalid, ValidationError } from "../errors.js";

/** A cluster found by the xi method: positions `start..end` (inclusive) in the OPTICS ordering. */
export type OpticsCluster = readonly [start: number, end: number];

/** Result of `extractOpticsXi`. */
export interface OpticsXiResult {
  /** Cluster of each sample (original row order), -1 for noise. */
  labels: Int32Array;
  /**
   * Every cluster found, as (start, end) positions in the ordering, smaller (nested) clusters before the
   * clusters containing them (scikit-learn's `cluster_hierarchy_`).
   */
  clusterHierarchy: OpticsCluster[];
}

/**
 * Resolves a size given as an integer >= 2 or as a fraction of `n` in (0, 1) (then `max(2, floor(f * n))`,
 * as scikit-learn); it must not exceed `n`.
 */
export function resolveOpticsSize(value: number, n: number, name: string): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0 || (value > 1 && !Number.isInteger(value))) {
    throw invalid(name, value, "must be an integer >= 2 or a fraction in (0, 1)");
  }
  if (value === 1) throw invalid(name, value, "must be an integer >= 2 or a fraction in (0, 1)");
  if (value > n) throw invalid(name, value, `must be no greater than the number of samples (${n})`);
  return value < 1 ? Math.max(2, Math.floor(value * n)) : value;
}

/**
 * DBSCAN-style labels from an OPTICS fit for any `eps` (scikit-learn's `cluster_optics_dbscan`):
 * walking the ordering, a sample with reachability > eps starts a new cluster when its core distance is
 * <= eps and is noise otherwise; other samples stay in the current cluster (noise before the first one).
 * Close to `DBSCAN(eps, minSamples)` when eps is close to the fit's `maxEps`; border samples can differ.
 */
export function extractOpticsDBSCAN(
  reachability: ArrayLike<number>,
  coreDistances: ArrayLike<number>,
  ordering: ArrayLike<number>,
  eps: number,
): Int32Array {
  if (typeof eps !== "number" || !(eps >= 0)) throw invalid("eps", eps, "must be a number >= 0");
  const n = ordering.length;
  if (reachability.length !== n || coreDistances.length !== n) {
    throw new ValidationError("invalid OPTICS arrays: reachability, coreDistances and ordering differ in length");
  }
  const labels = new Int32Array(n);
  let current = -1;
  for (let pos = 0; pos < n; pos++) {
    const i = ordering[pos];
    const far = reachability[i] > eps;
    const nearCore = coreDistances[i] <= eps;
    if (far && nearCore) current++;
    labels[i] = far && !nearCore ? -1 : current;
  }
  return labels;
}

/**
 * Clusters from the steep areas of the reachability plot (Ankerst et al. 1999, figure 19), exactly as
 * scikit-learn's `cluster_optics_xi`: `minSamples` bounds the run of non-steep points inside a steep
 * area, clusters smaller than `minClusterSize` are dropped, and with `predecessorCorrection` a cluster's
 * end is moved back until its predecessor lies inside it (Schubert & Gertz 2018). Labels then go to the
 * leaf clusters (a cluster is labelled only when none of its points is yet), in order of discovery.
 *
 * `minSamples` and `minClusterSize` are already resolved integers >= 2 (see `resolveOpticsSize`);
 * `xi` is in [0, 1).
 */
export function extractOpticsXi(
  reachability: ArrayLike<number>,
  predecessor: ArrayLike<number>,
  ordering: ArrayLike<number>,
  minSamples: number,
  minClusterSize: number,
  xi: number,
  predecessorCorrection: boolean,
): OpticsXiResult {
  if (typeof xi !== "number" || !(xi >= 0 && xi < 1)) throw invalid("xi", xi, "must be a number in [0, 1)");
  const n = ordering.length;
  if (reachability.length !== n || predecessor.length !== n) {
    throw new ValidationError("invalid OPTICS arrays: reachability, predecessor and ordering differ in length");
  }
  // reachability plot with a trailing Infinity (finds clusters that reach the end of the plot)
  const r = new Float64Array(n + 1);
  const pred = new Int32Array(n);
  for (let pos = 0; pos < n; pos++) {
    r[pos] = reachability[ordering[pos]];
    pred[pos] = predecessor[ordering[pos]];
  }
  r[n] = Number.POSITIVE_INFINITY;
  const xc = 1 - xi;
  // ratio r[i] / r[i + 1]; NaN (0/0, Infinity/Infinity) fails every comparison, as in numpy
  const steepUp = new Uint8Array(n);
  const steepDown = new Uint8Array(n);
  const down = new Uint8Array(n);
  const up = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const ratio = r[i] / r[i + 1];
    steepUp[i] = ratio <= xc ? 1 : 0;
    steepDown[i] = ratio >= 1 / xc ? 1 : 0;
    down[i] = ratio > 1 ? 1 : 0;
    up[i] = ratio < 1 ? 1 : 0;
  }

  interface SteepDownArea {
    start: number;
    end: number;
    mib: number;
  }
  let sdas: SteepDownArea[] = [];
  const clusters: OpticsCluster[] = [];
  let index = 0;
  let mib = 0;
  const filter = (m: number): SteepDownArea[] => {
    if (m === Number.POSITIVE_INFINITY) return [];
    const kept = sdas.filter((a) => m <= r[a.start] * xc);
    for (const a of kept) a.mib = Math.max(a.mib, m);
    return kept;
  };

  for (let steep = 0; steep < n; steep++) {
    if (!(steepUp[steep] || steepDown[steep])) continue;
    if (steep < index) continue;
    for (let t = index; t <= steep; t++) if (r[t] > mib || Number.isNaN(r[t])) mib = r[t];

    if (steepDown[steep]) {
      sdas = filter(mib);
      const dEnd = extendRegion(steepDown, up, steep, minSamples);
      sdas.push({ start: steep, end: dEnd, mib: 0 });
      index = dEnd + 1;
      mib = r[index];
      continue;
    }
    sdas = filter(mib);
    const uStart = steep;
    const uEnd = extendRegion(steepUp, down, uStart, minSamples);
    index = uEnd + 1;
    mib = r[index];

    const found: OpticsCluster[] = [];
    for (const D of sdas) {
      let cStart = D.start;
      let cEnd = uEnd;
      // line (**), sc2*
      if (r[cEnd + 1] * xc < D.mib) continue;
      // Definition 11, criterion 4
      const dMax = r[D.start];
      if (dMax * xc >= r[cEnd + 1]) {
        while (r[cStart + 1] > r[cEnd + 1] && cStart < D.end) cStart++;
      } else if (r[cEnd + 1] * xc >= dMax) {
        while (r[cEnd - 1] > dMax && cEnd > uStart) cEnd--;
      }
      if (predecessorCorrection) {
        const corrected = correctPredecessor(r, pred, ordering, cStart, cEnd);
        if (corrected < 0) continue;
        cEnd = corrected;
      }
      if (cEnd - cStart + 1 < minClusterSize) continue; // criterion 3.a
      if (cStart > D.end) continue; // criterion 1
      if (cEnd < uStart) continue; // criterion 2
      found.push([cStart, cEnd]);
    }
    // smaller clusters first
    for (let t = found.length - 1; t >= 0; t--) clusters.push(found[t]);
  }

  // labels: leaf clusters in order, positions in the ordering, then mapped back to rows
  const byPosition = new Int32Array(n).fill(-1);
  let label = 0;
  for (const [s, e] of clusters) {
    let free = true;
    for (let t = s; t <= e; t++) {
      if (byPosition[t] !== -1) {
        free = false;
        break;
      }
    }
    if (!free) continue;
    for (let t = s; t <= e; t++) byPosition[t] = label;
    label++;
  }
  const labels = new Int32Array(n);
  for (let pos = 0; pos < n; pos++) labels[ordering[pos]] = byPosition[pos];
  return { labels, clusterHierarchy: clusters };
}

/** End of the maximal steep area starting at `start` (scikit-learn's `_extend_region`). */
function extendRegion(steep: Uint8Array, xward: Uint8Array, start: number, minSamples: number): number {
  const n = steep.length;
  let nonXward = 0;
  let end = start;
  for (let index = start; index < n; index++) {
    if (steep[index]) {
      nonXward = 0;
      end = index;
    } else if (!xward[index]) {
      // not steep, but still going the same way
      nonXward++;
      if (nonXward > minSamples) break;
    } else {
      return end;
    }
  }
  return end;
}

/**
 * Algorithm 2 of Schubert & Gertz (2018): moves the cluster end back until the end's predecessor lies
 * inside the cluster or the start is higher than the end. Returns the new end, or -1 for no cluster.
 */
function correctPredecessor(
  r: Float64Array,
  pred: Int32Array,
  ordering: ArrayLike<number>,
  s: number,
  e: number,
): number {
  while (s < e) {
    if (r[s] > r[e]) return e;
    const pe = pred[e];
    for (let i = s; i < e; i++) if (pe === ordering[i]) return e;
    e--;
  }
  return -1;
}
