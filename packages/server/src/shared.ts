/**
 * Typed arrays in shared memory: the cached structures are handed to any worker thread without a
 * copy (a SharedArrayBuffer is shared, not cloned, by postMessage).
 */
import type { Matrix } from "@clusterlab/core";

type Typed = Float64Array | Int32Array;

function isShared(a: Typed): boolean {
  return typeof SharedArrayBuffer !== "undefined" && a.buffer instanceof SharedArrayBuffer;
}

/** A copy of `a` in shared memory (or `a` itself when it already is). */
export function shareFloat(a: Float64Array): Float64Array {
  if (isShared(a)) return a;
  const out = new Float64Array(new SharedArrayBuffer(a.byteLength));
  out.set(a);
  return out;
}

export function shareInt(a: Int32Array): Int32Array {
  if (isShared(a)) return a;
  const out = new Int32Array(new SharedArrayBuffer(a.byteLength));
  out.set(a);
  return out;
}

/** A matrix whose data lives in shared memory. */
export function shareMatrix(m: Matrix): Matrix {
  return { rows: m.rows, cols: m.cols, data: shareFloat(m.data) };
}
