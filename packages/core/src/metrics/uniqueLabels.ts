import { ValidationError } from "../errors.js";

/** The distinct values of a label vector and each sample's position among them. */
export interface UniqueLabels {
  /** The distinct label values, sorted ascending (like `numpy.unique`). */
  readonly values: Int32Array;
  /** `codes[i]` is the index of sample `i`'s label in `values` (0 .. values.length - 1). */
  readonly codes: Int32Array;
  /** `counts[c]` is the number of samples with label `values[c]`. */
  readonly counts: Int32Array;
}

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/**
 * Validates a label vector and encodes it as codes 0 .. k-1 in ascending label order.
 *
 * Labels are any integers in the 32-bit signed range; `-1` (the noise label of density-based
 * clusterers) is an ordinary value here, exactly as in scikit-learn's metric functions. Errors name
 * the vector and the index: `invalid labelsPred: 1.5 at index 3 (must be an integer)`.
 *
 * Cost O(n) when the label range is at most a few times n, O(n log n) otherwise.
 */
export function uniqueLabels(labels: ArrayLike<number>, name = "labels"): UniqueLabels {
  if (labels == null || typeof labels.length !== "number") {
    throw new ValidationError(`invalid ${name}: expected an array of integer labels, got ${typeof labels}`);
  }
  const n = labels.length;
  const raw = new Int32Array(n);
  let min = INT32_MAX;
  let max = INT32_MIN;
  const trusted = labels instanceof Int32Array;
  for (let i = 0; i < n; i++) {
    const v = labels[i];
    if (!trusted && (!Number.isInteger(v) || v < INT32_MIN || v > INT32_MAX)) {
      const reason = Number.isInteger(v) ? "must be a 32-bit signed integer" : "must be an integer";
      throw new ValidationError(`invalid ${name}: ${v} at index ${i} (${reason})`);
    }
    raw[i] = v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const codes = new Int32Array(n);
  if (n === 0) return { values: new Int32Array(0), codes, counts: new Int32Array(0) };
  const span = max - min + 1;
  if (span <= 4 * n + 1024) {
    // Dense lookup table over [min, max].
    const table = new Int32Array(span);
    for (let i = 0; i < n; i++) table[raw[i] - min]++;
    let k = 0;
    for (let v = 0; v < span; v++) if (table[v] > 0) k++;
    const values = new Int32Array(k);
    const counts = new Int32Array(k);
    let c = 0;
    for (let v = 0; v < span; v++) {
      if (table[v] > 0) {
        values[c] = v + min;
        counts[c] = table[v];
        table[v] = c++;
      }
    }
    for (let i = 0; i < n; i++) codes[i] = table[raw[i] - min];
    return { values, codes, counts };
  }
  // Sparse range: sort a copy, then binary-search each label.
  const sorted = raw.slice().sort();
  let k = 1;
  for (let i = 1; i < n; i++) if (sorted[i] !== sorted[i - 1]) k++;
  const values = new Int32Array(k);
  values[0] = sorted[0];
  for (let i = 1, c = 1; i < n; i++) if (sorted[i] !== sorted[i - 1]) values[c++] = sorted[i];
  const counts = new Int32Array(k);
  for (let i = 0; i < n; i++) {
    const v = raw[i];
    let lo = 0;
    let hi = k - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (values[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    codes[i] = lo;
    counts[lo]++;
  }
  return { values, codes, counts };
}
