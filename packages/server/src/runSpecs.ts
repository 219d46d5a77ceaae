/**
 * The analysis spec (lab's `AnalysisSpec`, read by `clusterlab run`) of a dashboard run: the same
 * file, feature columns, scaling, missing-value rule, seed, algorithm and parameters. Pure; no I/O.
 */
import {
  type AlgorithmSpec,
  type AnalysisSpec,
  type DataFormat,
  type NormalizedAnalysisSpec,
  normalizeSpec,
  validateSpec,
} from "@clusterlab/lab";
import { PARAM_DEFAULTS } from "./algorithms.js";
import type { RunSettings } from "./apiRuns.js";

/** A run's spec and, when the spec cannot say exactly what the dashboard did, why. */
export interface RunSpec {
  /**
   * The spec to save and export: normalised (every default written out) when the normalised spec
   * validates again, else the validated spec as built (lab's `clusterlab run` normalises it).
   */
  spec: AnalysisSpec;
  /** The normalised spec (for lab's functions that take one). */
  normalized: NormalizedAnalysisSpec;
  note: string | null;
}

/** Row count above which the dashboard's mean shift seeds from bins of a 2,000-row sample (see `fitAlgorithm`). */
const MEANSHIFT_SAMPLE_ABOVE = 2000;

function algorithmSpec(s: RunSettings, nRows: number): { algorithm: AlgorithmSpec; note: string | null } {
  const p = s.params;
  const k = p.k ?? PARAM_DEFAULTS.k;
  const metric = p.metric ?? "euclidean";
  const minSamples = p.minSamples ?? PARAM_DEFAULTS.minSamples;
  switch (s.algorithm) {
    case "kmeans":
      return { algorithm: { name: "kmeans", params: { nClusters: k } }, note: null };
    case "minibatch-kmeans":
      return {
        algorithm: {
          name: "minibatch-kmeans",
          params: { nClusters: k, batchSize: p.batchSize ?? PARAM_DEFAULTS.batchSize },
        },
        note: null,
      };
    case "bisecting-kmeans":
      return { algorithm: { name: "bisecting-kmeans", params: { nClusters: k } }, note: null };
    case "kmedoids":
      return { algorithm: { name: "kmedoids", params: { nClusters: k, metric } }, note: null };
    case "gmm":
      return {
        algorithm: {
          name: "gmm",
          params: { nComponents: k, covarianceType: p.covarianceType ?? PARAM_DEFAULTS.covarianceType },
        },
        note: null,
      };
    case "agglomerative": {
      const linkage = p.linkage ?? PARAM_DEFAULTS.linkage;
      const threshold = p.distanceThreshold ?? null;
      return {
        algorithm: {
          name: "agglomerative",
          params:
            threshold !== null
              ? { nClusters: null, distanceThreshold: threshold, linkage, metric }
              : { nClusters: k, linkage, metric },
        },
        note: null,
      };
    }
    case "dbscan":
      return {
        algorithm: { name: "dbscan", params: { eps: p.eps ?? 0.5, minSamples, metric } },
        note: "the dashboard reads DBSCAN off the OPTICS ordering; a border point reachable from two clusters may be given to the other one",
      };
    case "optics":
      return {
        algorithm: {
          name: "optics",
          params: {
            minSamples,
            metric,
            clusterMethod: "xi",
            xi: p.xi ?? PARAM_DEFAULTS.xi,
            minClusterSize: p.minClusterSize ?? null,
          },
        },
        note: null,
      };
    case "hdbscan": {
      const minClusterSize = p.minClusterSize ?? 5;
      if (p.clusterSelectionMethod === "dbscan") {
        return {
          algorithm: {
            name: "hdbscan",
            params: {
              minClusterSize,
              minSamples,
              metric,
              clusterSelectionMethod: "eom",
              clusterSelectionEpsilon: p.eps ?? 0,
            },
          },
          note: "the dashboard's DBSCAN* cut of the HDBSCAN tree has no spec equivalent: the spec selects clusters by excess of mass with clusterSelectionEpsilon = the cut distance",
        };
      }
      return {
        algorithm: {
          name: "hdbscan",
          params: { minClusterSize, minSamples, metric, clusterSelectionMethod: p.clusterSelectionMethod ?? "eom" },
        },
        note: null,
      };
    }
    case "meanshift": {
      const large = nRows > MEANSHIFT_SAMPLE_ABOVE;
      return {
        algorithm: {
          name: "meanshift",
          params: {
            bandwidth: p.bandwidth ?? null,
            binSeeding: large,
            nSamples: large ? MEANSHIFT_SAMPLE_ABOVE : null,
          },
        },
        note: null,
      };
    }
    case "affinity-propagation":
      return {
        algorithm: { name: "affinity-propagation", params: { damping: p.damping ?? PARAM_DEFAULTS.damping } },
        note: null,
      };
    case "spectral":
      return {
        algorithm: {
          name: "spectral",
          params: {
            nClusters: k,
            affinity: p.affinity ?? PARAM_DEFAULTS.affinity,
            nNeighbors: p.nNeighbors ?? PARAM_DEFAULTS.nNeighbors,
          },
        },
        note: null,
      };
    case "birch":
      return {
        algorithm: {
          name: "birch",
          params: {
            nClusters: k,
            threshold: p.threshold ?? PARAM_DEFAULTS.threshold,
            branchingFactor: p.branchingFactor ?? PARAM_DEFAULTS.branchingFactor,
          },
        },
        note: null,
      };
  }
}

/**
 * The spec of a dashboard run on the file at `path`: the chosen columns (as numeric features, in
 * order), the scaling, rows with a missing value dropped (the dashboard's default) or an error, the
 * seed and the algorithm with its parameters. Validated and normalised by lab.
 */
export function specFromSettings(
  settings: RunSettings,
  data: { path: string; format: DataFormat; nRows: number; target?: string | null },
): RunSpec {
  const { algorithm, note } = algorithmSpec(settings, data.nRows);
  const roles: Record<string, "numeric"> = {};
  for (const c of settings.columns) roles[c] = "numeric";
  const spec: AnalysisSpec = {
    version: 1,
    data: { path: data.path, format: data.format },
    columns: { roles, include: [...settings.columns], target: data.target ?? null },
    preprocessing: {
      scaling: settings.scaling,
      imputation: { numeric: settings.dropMissing ? "drop" : "error" },
    },
    algorithm,
    seed: settings.seed,
  };
  const valid = validateSpec(spec);
  const normalized = normalizeSpec(valid);
  let saved: AnalysisSpec = normalized as AnalysisSpec;
  try {
    // A normalised spec must read back (some defaults are written as null where the schema wants a value).
    validateSpec(JSON.parse(JSON.stringify(normalized)));
  } catch {
    saved = valid;
  }
  return { spec: saved, normalized, note };
}
