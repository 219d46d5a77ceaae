/**
 * Clusterlab's WebAssembly kernels (AssemblyScript, compiled with SIMD by
 * `packages/core/scripts/build-wasm.mjs` into `src/wasm/kernels.generated.ts`).
 * No runtime, no allocation: the TypeScript loader lays out every array in linear memory (above
 * `heapBase()`, growing the memory as needed) and passes byte addresses.
 */
export {
  assignNearest,
  columnRange,
  cumulativeWeighted,
  elkanAssign,
  elkanInit,
  inertia,
  lloydAssign,
  potential1,
  potentials4Block,
} from "./kmeans";
export { logProbRows, meansBlock, scatterBlock } from "./mixture";
export { columnSumsBlock, gramBlock, projectBlock } from "./pca";
export { silhouetteRows, silhouetteSymmetric, transpose } from "./silhouette";

/** First byte free for the loader's arrays (16-byte aligned). */
export function heapBase(): usize {
  return (__heap_base + 15) & ~(<usize>15);
}
