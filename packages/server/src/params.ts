import { PARAM_DEFAULTS } from "./algorithms.js";
import { ALGORITHM_PARAMS, type Algorithm, type ClusterParams } from "./api.js";
import { HttpError } from "./httpError.js";

/** The algorithm's own parameters with their defaults filled in (the others are dropped). */
export function resolveParams(algorithm: Algorithm, given: ClusterParams = {}): ClusterParams {
  const out: Record<string, unknown> = {};
  const defaults: Record<string, unknown> = {
    ...PARAM_DEFAULTS,
    // HDBSCAN's smallest cluster; OPTICS' defaults to its minSamples (null).
    minClusterSize: algorithm === "hdbscan" ? 5 : null,
  };
  for (const name of ALGORITHM_PARAMS[algorithm]) {
    const value = (given as Record<string, unknown>)[name];
    out[name] = value === undefined ? defaults[name] : value;
  }
  return out as ClusterParams;
}

/** Checks of one parameter against another (the schema checks each alone). Throws a 400 naming the field. */
export function checkParams(algorithm: Algorithm, p: ClusterParams): void {
  if (algorithm === "agglomerative" && p.linkage === "ward" && p.metric !== "euclidean") {
    throw new HttpError(
      400,
      `invalid body.params.metric: ${JSON.stringify(p.metric)} (ward linkage works only with "euclidean"; choose complete, average or single linkage for another distance)`,
    );
  }
}

/** The number of rows an algorithm needs at least, and the check of the row-dependent parameters. */
export function checkRows(algorithm: Algorithm, p: ClusterParams, n: number): void {
  if (n < 2) throw new HttpError(400, `too few rows to cluster: the selection has ${n}`);
  if (p.k !== undefined && p.k > n && (p.distanceThreshold ?? null) === null) {
    throw new HttpError(400, `invalid body.params.k: ${p.k} (must be <= the number of rows, ${n})`);
  }
  if (algorithm === "spectral" && p.affinity === "nearestNeighbors" && (p.nNeighbors ?? 10) >= n) {
    throw new HttpError(400, `invalid body.params.nNeighbors: ${p.nNeighbors} (must be < the number of rows, ${n})`);
  }
  if (algorithm === "hdbscan" && (p.minClusterSize ?? 5) > n) {
    throw new HttpError(
      400,
      `invalid body.params.minClusterSize: ${p.minClusterSize} (must be <= the number of rows, ${n})`,
    );
  }
  if (algorithm === "optics" && p.minClusterSize != null && p.minClusterSize > n) {
    throw new HttpError(
      400,
      `invalid body.params.minClusterSize: ${p.minClusterSize} (must be <= the number of rows, ${n})`,
    );
  }
}
