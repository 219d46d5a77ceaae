// Label assignment from a spectral embedding without k-means: scikit-learn's `discretize`
// (Yu & Shi 2003) and `cluster_qr` (Damle, Minden & Ying 2019). Private helper (not in the barrel).
import type { Matrix } from "../matrix.js";
import type { Random } from "../random.js";

const EPS = 2.220446049250313e-16;

/**
 * Singular value decomposition `A = U diag(s) V^T` of a small square k x k matrix (row-major), by
 * one-sided Jacobi (Hestenes) rotations. Columns of U for (numerically) zero singular values are
 * completed to an orthonormal basis. Returns U and V row-major, s unsorted.
 */
export function smallSvd(a: Float64Array, k: number): { u: Float64Array; s: Float64Array; v: Float64Array } {
  const W = a.slice();
  const V = new Float64Array(k * k);
  for (let i = 0; i < k; i++) V[i * k + i] = 1;
  for (let sweep = 0; sweep < 60; sweep++) {
    let rotations = 0;
    for (let p = 0; p < k - 1; p++) {
      for (let q = p + 1; q < k; q++) {
        let alpha = 0;
        let beta = 0;
        let gamma = 0;
        for (let i = 0; i < k; i++) {
          const wp = W[i * k + p];
          const wq = W[i * k + q];
          alpha += wp * wp;
          beta += wq * wq;
          gamma += wp * wq;
        }
        if (!(Math.abs(gamma) > EPS * Math.sqrt(alpha * beta))) continue;
        rotations++;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        for (let i = 0; i < k; i++) {
          const wp = W[i * k + p];
          const wq = W[i * k + q];
          W[i * k + p] = c * wp - s * wq;
          W[i * k + q] = s * wp + c * wq;
          const vp = V[i * k + p];
          const vq = V[i * k + q];
          V[i * k + p] = c * vp - s * vq;
          V[i * k + q] = s * vp + c * vq;
        }
      }
    }
    if (rotations === 0) break;
  }
  const s = new Float64Array(k);
  let smax = 0;
  for (let j = 0; j < k; j++) {
    let t = 0;
    for (let i = 0; i < k; i++) t += W[i * k + j] * W[i * k + j];
    s[j] = Math.sqrt(t);
    smax = Math.max(smax, s[j]);
  }
  const U = new Float64Array(k * k);
  const isSet = new Uint8Array(k);
  for (let j = 0; j < k; j++) {
    if (s[j] === 0 || s[j] <= EPS * k * smax) continue;
    for (let i = 0; i < k; i++) U[i * k + j] = W[i * k + j] / s[j];
    isSet[j] = 1;
  }
  // Complete U: each missing column is the first unit vector with a usable part orthogonal to the columns set so far.
  const col = new Float64Array(k);
  let e = 0;
  for (let j = 0; j < k; j++) {
    if (isSet[j]) continue;
    for (; e < k && !isSet[j]; e++) {
      col.fill(0);
      col[e] = 1;
      for (let pass = 0; pass < 2; pass++) {
        for (let c = 0; c < k; c++) {
          if (!isSet[c]) continue;
          let dot = 0;
          for (let i = 0; i < k; i++) dot += U[i * k + c] * col[i];
          for (let i = 0; i < k; i++) col[i] -= dot * U[i * k + c];
        }
      }
      let nn = 0;
      for (let i = 0; i < k; i++) nn += col[i] * col[i];
      if (nn > 1e-8) {
        const inv = 1 / Math.sqrt(nn);
        for (let i = 0; i < k; i++) U[i * k + j] = col[i] * inv;
        isSet[j] = 1;
      }
    }
  }
  return { u: U, s, v: V };
}

/** The orthogonal polar factor `U V^T` of a k x k matrix, and the sum of its singular values. */
function polar(a: Float64Array, k: number): { q: Float64Array; nuclear: number } {
  const { u, s, v } = smallSvd(a, k);
  const q = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      let t = 0;
      for (let c = 0; c < k; c++) t += u[i * k + c] * v[j * k + c];
      q[i * k + j] = t;
    }
  }
  let nuclear = 0;
  for (let c = 0; c < k; c++) nuclear += s[c];
  return { q, nuclear };
}

/**
 * scikit-learn's `discretize`: normalises each embedding column to length sqrt(n) with a negative
 * first entry and each row to unit length, picks an initial rotation from rows as orthogonal as
 * possible to a random first row, then alternates the discrete partition closest to the rotated
 * embedding (argmax per row) and the rotation closest to that partition (polar factor of
 * `P^T V`) until the normalised-cut objective changes by less than machine epsilon or after 20
 * iterations. Labels are in [0, k) with k the number of embedding columns. `rng` draws the first
 * row (its only random choice), so a stub `{ int: () => r }` replays scikit-learn from row r.
 */
export function discretize(embedding: Matrix, rng: Pick<Random, "int">): Int32Array {
  const { rows: n, cols: k } = embedding;
  const V = embedding.data.slice();
  const normOnes = Math.sqrt(n);
  for (let c = 0; c < k; c++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += V[i * k + c] * V[i * k + c];
    const f = normOnes / Math.sqrt(s);
    for (let i = 0; i < n; i++) V[i * k + c] *= f;
    const first = V[c];
    if (first !== 0) {
      const g = first > 0 ? -1 : 1;
      for (let i = 0; i < n; i++) V[i * k + c] *= g;
    }
  }
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let c = 0; c < k; c++) s += V[i * k + c] * V[i * k + c];
    const r = Math.sqrt(s);
    for (let c = 0; c < k; c++) V[i * k + c] /= r;
  }

  // Initial rotation (columns are rows of V).
  let R = new Float64Array(k * k);
  const r0 = rng.int(n);
  for (let a = 0; a < k; a++) R[a * k] = V[r0 * k + a];
  const acc = new Float64Array(n);
  for (let j = 1; j < k; j++) {
    let best = 0;
    let bestVal = Number.POSITIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      let t = 0;
      for (let a = 0; a < k; a++) t += V[i * k + a] * R[a * k + j - 1];
      acc[i] += Math.abs(t);
      if (acc[i] < bestVal) {
        bestVal = acc[i];
        best = i;
      }
    }
    for (let a = 0; a < k; a++) R[a * k + j] = V[best * k + a];
  }

  const labels = new Int32Array(n);
  const tsvd = new Float64Array(k * k);
  let last = 0;
  for (let iter = 1; ; iter++) {
    for (let i = 0; i < n; i++) {
      let best = 0;
      let bestVal = Number.NEGATIVE_INFINITY;
      for (let c = 0; c < k; c++) {
        let t = 0;
        for (let a = 0; a < k; a++) t += V[i * k + a] * R[a * k + c];
        if (t > bestVal) {
          bestVal = t;
          best = c;
        }
      }
      labels[i] = best;
    }
    // t_svd = P^T V: row c sums the embedding rows labelled c.
    tsvd.fill(0);
    for (let i = 0; i < n; i++) {
      const c = labels[i];
      for (let a = 0; a < k; a++) tsvd[c * k + a] += V[i * k + a];
    }
    const { q, nuclear } = polar(tsvd, k);
    const ncut = 2 * (n - nuclear);
    if (Math.abs(ncut - last) < EPS || iter > 20) break;
    last = ncut;
    // rotation = Vh^T U^T = (U Vh)^T.
    const next = new Float64Array(k * k);
    for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) next[a * k + b] = q[b * k + a];
    R = next;
  }
  return labels;
}

/**
 * scikit-learn's `cluster_qr`: column-pivoted QR of `V^T` selects k rows of the embedding (each
 * step the row with the largest norm after projecting out the rows already chosen; first one on
 * ties), `Q` is the orthogonal polar factor of those rows (as a k x k matrix, transposed), and each
 * sample gets the argmax of `|V Q|` along its row. Deterministic, no parameters.
 */
export function clusterQr(embedding: Matrix): Int32Array {
  const { rows: n, cols: k } = embedding;
  const V = embedding.data;
  const R = V.slice();
  const norms = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let a = 0; a < k; a++) s += R[i * k + a] * R[i * k + a];
    norms[i] = s;
  }
  const chosen = new Uint8Array(n);
  const piv = new Int32Array(k);
  const q = new Float64Array(k);
  for (let j = 0; j < Math.min(k, n); j++) {
    let p = -1;
    let best = -1;
    for (let i = 0; i < n; i++) {
      if (!chosen[i] && norms[i] > best) {
        best = norms[i];
        p = i;
      }
    }
    piv[j] = p;
    chosen[p] = 1;
    const len = Math.sqrt(norms[p]);
    if (len === 0) continue;
    for (let a = 0; a < k; a++) q[a] = R[p * k + a] / len;
    for (let i = 0; i < n; i++) {
      if (chosen[i]) continue;
      let c = 0;
      for (let a = 0; a < k; a++) c += q[a] * R[i * k + a];
      let s = 0;
      for (let a = 0; a < k; a++) {
        const v = R[i * k + a] - c * q[a];
        R[i * k + a] = v;
        s += v * v;
      }
      norms[i] = s;
    }
  }
  // B = V[piv, :]^T (k x k); P = U Vh of B.
  const B = new Float64Array(k * k);
  for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) B[a * k + b] = V[piv[b] * k + a];
  const { q: P } = polar(B, k);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bestVal = -1;
    for (let c = 0; c < k; c++) {
      let t = 0;
      for (let a = 0; a < k; a++) t += V[i * k + a] * P[a * k + c];
      const v = Math.abs(t);
      if (v > bestVal) {
        bestVal = v;
        best = c;
      }
    }
    labels[i] = best;
  }
  return labels;
}
