import { invalid, ValidationError } from "../errors.js";
import type { MatrixLike } from "../matrix.js";
import { kNeighbors } from "../neighbors/kNeighbors.js";
import { checkNeighborMetric, type NeighborMetric, rowDistance, unitRows } from "../neighbors/neighborMetric.js";
import { asMatrix } from "../validate.js";

/** Options for `trustworthiness`. */
export interface TrustworthinessOptions {
  /** Neighbourhood size k: an integer >= 1 and < nSamples / 2 (as scikit-learn requires). Default 5. */
  nNeighbors?: number;
  /** Distance in the input space (the embedding always uses Euclidean distance). Default `"euclidean"`. */
  metric?: NeighborMetric;
}

/** Above this many neighbours the ranks come from sorting each row instead of counting. */
const COUNT_MAX_NEIGHBORS = 32;

/**
 * How well an embedding keeps local structure (Venna & Kaski 2001), scikit-learn's
 * `sklearn.manifold.trustworthiness`:
 *
 * `T(k) = 1 - 2 / (n k (2n - 3k - 1)) * sum_i sum_{j in N_k(i)} max(0, r(i, j) - k)`
 *
 * where `N_k(i)` are the k nearest neighbours of sample i in the embedding (Euclidean) and
 * `r(i, j)` is the rank of j among the input-space neighbours of i (1 = nearest). In [0, 1]; 1 means
 * every embedded neighbourhood is made of true neighbours.
 *
 * Input distances are exact (differences summed in feature order; Euclidean ranks use the squared
 * sums) and tied input distances are ranked by smaller sample index. scikit-learn ranks ties in the order of an unstable argsort of its
 * dot-product distances, so on data with tied distances (e.g. iris, rounded to one decimal) the two
 * can differ slightly; without ties they agree to rounding (~1e-16). Memory O(n); time
 * O(n^2 (d + k)) (O(n^2 log n) for k > 32).
 *
 * @example
 * const t = trustworthiness(X, new TSNE().fit(X).embedding, { nNeighbors: 5 });
 */
export function trustworthiness(X: MatrixLike, embedding: MatrixLike, options: TrustworthinessOptions = {}): number {
  const data = asMatrix(X);
  const emb = asMatrix(embedding, { name: "embedding" });
  const n = data.rows;
  if (emb.rows !== n) {
    throw new ValidationError(`invalid embedding: ${emb.rows} rows, expected ${n} (one per sample of X)`);
  }
  const k = options.nNeighbors ?? 5;
  if (!Number.isInteger(k) || k < 1) throw invalid("nNeighbors", k, "must be an integer >= 1");
  if (k >= n / 2) throw invalid("nNeighbors", k, `must be less than nSamples / 2 = ${n / 2}`);
  const metric = checkNeighborMetric(options.metric ?? "euclidean");

  // Embedded neighbours, self excluded (query k + 1 and drop i; with more than k duplicates of i
  // sorting before it, i is absent and the last one is dropped, as scikit-learn does).
  const knn = kNeighbors(emb, k + 1);
  const nbrs = new Int32Array(n * k);
  for (let i = 0; i < n; i++) {
    let c = 0;
    for (let t = 0; t <= k && c < k; t++) {
      const j = knn.indices[i * (k + 1) + t];
      if (j !== i) nbrs[i * k + c++] = j;
    }
  }

  const d = data.cols;
  const points = metric === "cosine" ? unitRows(data) : data.data;
  const dist = new Float64Array(n);
  const order = k > COUNT_MAX_NEIGHBORS ? new Int32Array(n) : null;
  const rankOf = k > COUNT_MAX_NEIGHBORS ? new Int32Array(n) : null;
  let penalty = 0;
  for (let i = 0; i < n; i++) {
    if (metric === "euclidean") {
      // Squared distances: the same order, without sums that differ collapsing to one square root.
      const ib = i * d;
      for (let l = 0; l < n; l++) {
        let s = 0;
        const lb = l * d;
        for (let t = 0; t < d; t++) {
          const v = points[ib + t] - points[lb + t];
          s += v * v;
        }
        dist[l] = s;
      }
      dist[i] = Number.POSITIVE_INFINITY;
    } else {
      for (let l = 0; l < n; l++)
        dist[l] = l === i ? Number.POSITIVE_INFINITY : rowDistance(metric, points, i, points, l, d);
    }
    if (order && rankOf) {
      for (let l = 0; l < n; l++) order[l] = l;
      order.sort((a, b) => dist[a] - dist[b] || a - b);
      for (let r = 0; r < n; r++) rankOf[order[r]] = r + 1;
      for (let t = 0; t < k; t++) {
        const r = rankOf[nbrs[i * k + t]];
        if (r > k) penalty += r - k;
      }
      continue;
    }
    for (let t = 0; t < k; t++) {
      const j = nbrs[i * k + t];
      const dj = dist[j];
      let r = 1;
      for (let l = 0; l < n; l++) {
        const dl = dist[l];
        if (dl < dj || (dl === dj && l < j)) r++;
      }
      if (r > k) penalty += r - k;
    }
  }
  return 1 - penalty * (2 / (n * k * (2 * n - 3 * k - 1)));
}
