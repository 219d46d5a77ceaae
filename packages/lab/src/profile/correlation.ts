/** Two columns and their Pearson correlation. */
export interface CorrelationPair {
  a: string;
  b: string;
  /** Pearson correlation in [-1, 1]. */
  r: number;
}

/** Pearson correlations between numeric columns. */
export interface CorrelationSummary {
  /** Column names, in matrix order. */
  columns: string[];
  /**
   * Symmetric matrix of Pearson correlations over the rows where both columns are observed
   * (pairwise complete, as pandas' `corr`); null where fewer than 2 such rows remain or a column is
   * constant on them.
   */
  matrix: (number | null)[][];
  /** The most strongly correlated pairs, by decreasing |r| (ties by column order). */
  top: CorrelationPair[];
}

function observedMean(v: Float64Array): number {
  let sum = 0;
  let count = 0;
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (!Number.isNaN(x)) {
      sum += x;
      count++;
    }
  }
  return count > 0 ? sum / count : 0;
}

function hasMissing(v: Float64Array): boolean {
  for (let i = 0; i < v.length; i++) if (Number.isNaN(v[i])) return true;
  return false;
}

function clampCorrelation(cov: number, varA: number, varB: number): number | null {
  if (!(varA > 0) || !(varB > 0)) return null;
  const r = cov / Math.sqrt(varA * varB);
  if (!Number.isFinite(r)) return null;
  return Math.max(-1, Math.min(1, r));
}

/** Rows per block: the centred block of every column stays in cache while all pairs use it. */
const BLOCK = 1024;

/**
 * Pearson correlation matrix of equally long columns (NaN = missing), pairwise complete (as
 * pandas' `corr`). Values are centred on each column's mean first, so large offsets do not cost
 * precision. Rows are processed in blocks whose centred values stay in cache for all pairs: one
 * pass over the data, `O(n d^2)` arithmetic (about 0.2 s for 16 columns of 1M rows).
 */
export function pearsonCorrelation(columns: readonly Float64Array[]): (number | null)[][] {
  const d = columns.length;
  const n = d > 0 ? columns[0].length : 0;
  const means = columns.map(observedMean);
  const complete = columns.map((v) => !hasMissing(v));
  const pairs = (d * (d + 1)) / 2;
  // Accumulators per pair: count, sums of x, y, x^2, y^2, xy (only sxy, sxx, syy for complete pairs).
  const k = new Float64Array(pairs);
  const sx = new Float64Array(pairs);
  const sy = new Float64Array(pairs);
  const sxx = new Float64Array(pairs);
  const syy = new Float64Array(pairs);
  const sxy = new Float64Array(pairs);
  const block = new Float64Array(d * BLOCK);
  for (let start = 0; start < n; start += BLOCK) {
    const size = Math.min(BLOCK, n - start);
    for (let j = 0; j < d; j++) {
      const v = columns[j];
      const m = means[j];
      const off = j * BLOCK;
      for (let i = 0; i < size; i++) block[off + i] = v[start + i] - m;
    }
    for (let a = 0, p = 0; a < d; a++) {
      const oa = a * BLOCK;
      for (let b = a; b < d; b++, p++) {
        const ob = b * BLOCK;
        if (complete[a] && complete[b]) {
          let s = 0;
          for (let i = 0; i < size; i++) s += block[oa + i] * block[ob + i];
          sxy[p] += s;
          continue;
        }
        let c = 0;
        let s1 = 0;
        let s2 = 0;
        let s11 = 0;
        let s22 = 0;
        let s12 = 0;
        for (let i = 0; i < size; i++) {
          const x = block[oa + i];
          const y = block[ob + i];
          if (Number.isNaN(x) || Number.isNaN(y)) continue;
          c++;
          s1 += x;
          s2 += y;
          s11 += x * x;
          s22 += y * y;
          s12 += x * y;
        }
        k[p] += c;
        sx[p] += s1;
        sy[p] += s2;
        sxx[p] += s11;
        syy[p] += s22;
        sxy[p] += s12;
      }
    }
  }
  const diagonal = (j: number) => (j * (2 * d - j + 1)) / 2;
  const matrix: (number | null)[][] = Array.from({ length: d }, () => new Array<number | null>(d).fill(null));
  for (let a = 0, p = 0; a < d; a++) {
    for (let b = a; b < d; b++, p++) {
      let r: number | null;
      if (complete[a] && complete[b]) {
        r = n < 2 ? null : clampCorrelation(sxy[p], sxy[diagonal(a)], sxy[diagonal(b)]);
      } else {
        const c = k[p];
        r =
          c < 2
            ? null
            : clampCorrelation(
                sxy[p] - (sx[p] * sy[p]) / c,
                sxx[p] - (sx[p] * sx[p]) / c,
                syy[p] - (sy[p] * sy[p]) / c,
              );
      }
      if (a === b && r !== null) r = 1;
      matrix[a][b] = r;
      matrix[b][a] = r;
    }
  }
  return matrix;
}

/** The `count` off-diagonal pairs with the largest |r| (null entries skipped). */
export function topCorrelations(
  names: readonly string[],
  matrix: (number | null)[][],
  count: number,
): CorrelationPair[] {
  const pairs: CorrelationPair[] = [];
  for (let a = 0; a < names.length; a++) {
    for (let b = a + 1; b < names.length; b++) {
      const r = matrix[a][b];
      if (r !== null) pairs.push({ a: names[a], b: names[b], r });
    }
  }
  // Stable sort: equal |r| keep column order.
  pairs.sort((p, q) => Math.abs(q.r) - Math.abs(p.r));
  return pairs.slice(0, count);
}
