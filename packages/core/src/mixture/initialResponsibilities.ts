/**
 * Initial responsibilities for EM, as scikit-learn's `BaseMixture._initialize_parameters`.
 * Internal to the mixture area: not re-exported from the package.
 */
import { KMeans } from "../cluster/kMeans.js";
import { defaultLocalTrials, kmeansPlusPlusIndices } from "../cluster/kmeansPlusPlusInit.js";
import type { Logger } from "../logger.js";
import type { Matrix } from "../matrix.js";
import type { Random } from "../random.js";

/** How EM is initialised when not every explicit initial parameter is given. */
export type GaussianMixtureInit = "kmeans" | "random" | "random_from_data" | "k-means++";

export const GAUSSIAN_MIXTURE_INITS: readonly GaussianMixtureInit[] = [
  "kmeans",
  "random",
  "random_from_data",
  "k-means++",
];

/**
 * Responsibilities (n x k, row-major) to start EM from:
 * - `"kmeans"`: one-hot labels of one k-means run (`nInit: 1`) seeded from `rng`;
 * - `"random"`: uniform [0, 1) draws, each row normalised to sum 1;
 * - `"random_from_data"`: k distinct random samples, each the only member of one component;
 * - `"k-means++"`: the k samples chosen by greedy k-means++ seeding, one per component.
 */
export function initialResponsibilities(
  X: Matrix,
  k: number,
  method: GaussianMixtureInit,
  rng: Random,
  logger: Logger,
): Float64Array {
  const n = X.rows;
  const resp = new Float64Array(n * k);
  switch (method) {
    case "kmeans": {
      const seed = rng.uint32();
      const labels = new KMeans({ nClusters: k, nInit: 1, seed, logger }).fit(X).labels;
      for (let i = 0; i < n; i++) resp[i * k + labels[i]] = 1;
      break;
    }
    case "random": {
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let c = 0; c < k; c++) s += resp[i * k + c] = rng.float();
        for (let c = 0; c < k; c++) resp[i * k + c] /= s;
      }
      break;
    }
    case "random_from_data": {
      const idx = rng.sampleWithoutReplacement(n, k);
      for (let c = 0; c < k; c++) resp[idx[c] * k + c] = 1;
      break;
    }
    case "k-means++": {
      const w = new Float64Array(n).fill(1);
      const idx = kmeansPlusPlusIndices(X, k, w, rng, defaultLocalTrials(k));
      for (let c = 0; c < k; c++) resp[idx[c] * k + c] = 1;
      break;
    }
  }
  return resp;
}
