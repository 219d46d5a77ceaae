import { leafOrder } from "./internal/tree.js";
import { asLinkageMatrix, type LinkageMatrixLike } from "./linkageMatrix.js";

/**
 * The observation ids in the order a dendrogram draws them left to right (scipy's
 * `leaves_list`): a pre-order traversal from the root visiting `idx1` before `idx2` in every
 * row. Iterative, so deep (chained) trees do not overflow the stack.
 */
export function leavesList(Z: LinkageMatrixLike): Int32Array {
  const m = asLinkageMatrix(Z);
  return leafOrder(m.data, m.rows + 1);
}
