/**
 * The rows ranked by score, highest first: ties keep the lower row index first and NaN scores go
 * last. Deterministic (a stable sort on `(-score, index)`); used to rank anomalies and to cut at a
 * contamination.
 */
export function scoreOrder(scores: ArrayLike<number>): Int32Array {
  const n = scores.length;
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const key = Float64Array.from(scores, (s) => (Number.isNaN(s) ? Number.NEGATIVE_INFINITY : s));
  const nan = Uint8Array.from(scores, (s) => (Number.isNaN(s) ? 1 : 0));
  order.sort((a, b) => nan[a] - nan[b] || (key[b] > key[a] ? 1 : key[b] < key[a] ? -1 : 0) || a - b);
  return order;
}
