import { checkChoice } from "../validate.js";
import { kernelModule, loadKernelModule } from "./wasmModule.js";

/**
 * Which implementation runs the hot numeric kernels (k-means assignment steps and bounds,
 * k-means++ potentials, silhouette distance sums):
 * - `"auto"` (default): WebAssembly SIMD when the engine supports it and the problem is large
 *   enough to pay for copying the data into WebAssembly memory, TypeScript otherwise;
 * - `"wasm"`: always WebAssembly (an error if the engine lacks WebAssembly SIMD);
 * - `"js"`: always the TypeScript kernels.
 *
 * Both implementations add the same numbers in the same order, so results are identical bit for
 * bit whichever runs; the choice only changes speed. (A kernel called again while one is running,
 * for instance from an `onIteration` hook, uses TypeScript.)
 */
export type KernelBackend = "auto" | "wasm" | "js";

let current: KernelBackend = "auto";

/** Selects the kernel implementation for the whole process (see `KernelBackend`). Default `"auto"`. */
export function setKernelBackend(backend: KernelBackend): void {
  checkChoice(backend, "backend", ["auto", "wasm", "js"]);
  if (backend === "wasm" && !wasmKernelsAvailable()) {
    throw new Error("WebAssembly SIMD kernels are not available in this JavaScript engine");
  }
  current = backend;
}

/** The selected kernel implementation (`setKernelBackend`). */
export function getKernelBackend(): KernelBackend {
  return current;
}

/**
 * Whether the WebAssembly SIMD kernels can run here (compiling them synchronously on first call).
 * In a browser main thread that refuses synchronous compilation, call `loadWasmKernels()` first.
 */
export function wasmKernelsAvailable(): boolean {
  return kernelModule() !== null;
}

/** Compiles the WebAssembly kernels asynchronously; resolves to whether they are usable. */
export function loadWasmKernels(): Promise<boolean> {
  return loadKernelModule();
}
