/**
 * Working memory for the kernels (internal). A driver describes its arrays once with a layout
 * function; `acquireWorkspace` either returns ordinary typed arrays (TypeScript kernels) or lays
 * the arrays out in the linear memory of the WebAssembly instance, growing it once, so the
 * WebAssembly kernels work on them in place (addresses: `view.byteOffset`). The data matrix is
 * copied in once per call, never per iteration.
 *
 * One instance serves the process. Its memory is reused by the next call; past `RETAIN_BYTES` it
 * is dropped after the call (a WebAssembly memory cannot shrink), so a large fit does not pin its
 * memory. A call made while the instance is in use (a hook running another fit) gets the
 * TypeScript kernels, which give identical results.
 */
import { getKernelBackend } from "./kernelBackend.js";
import { getParallelExecutor, type KernelCall, type ParallelExecutor } from "./parallel.js";
import { instantiateKernels, instantiateSharedKernels, type KernelExports, type WasmMemory } from "./wasmModule.js";

/** Allocates the arrays of a layout. */
export interface Allocator {
  /** True when the arrays live in WebAssembly memory (the WebAssembly kernels will run). */
  readonly wasm: boolean;
  /** A zero-filled array. */
  f64(length: number): Float64Array;
  /** A zero-filled array. */
  i32(length: number): Int32Array;
  /** An array whose initial contents are unspecified (zeros or leftovers): for outputs the kernels overwrite. */
  scratch(length: number): Float64Array;
  /** A copy of `src`. */
  copy(src: Float64Array): Float64Array;
  /** `src` itself (TypeScript) or a copy in WebAssembly memory: read-only input. */
  input(src: Float64Array): Float64Array;
  /** `src` itself (TypeScript) or a copy in WebAssembly memory: read-only input. */
  inputI32(src: Int32Array): Int32Array;
}

/** Arrays laid out by an `Allocator`, and the kernels that will use them. */
export interface Workspace<T> {
  /** The WebAssembly exports, or `null` when the TypeScript kernels run. */
  readonly kernels: KernelExports | null;
  /** Worker threads sharing the memory (`runCalls`), or `null`. */
  readonly parallel: { executor: ParallelExecutor; module: object; memory: WasmMemory } | null;
  readonly arrays: T;
  /** Ends the use of the WebAssembly memory (call in `finally`). */
  release(): void;
}

/** Below this much work (about one multiply-add per unit), `"auto"` keeps the TypeScript kernels. */
const AUTO_MIN_WORK = 1 << 15;
/** Memory kept for the next call; an instance whose memory grew beyond is dropped after the call. */
const RETAIN_BYTES = 256 * 1024 * 1024;
const PAGE = 65536;
const MAX_BYTES = 65536 * PAGE - PAGE;

let instance: KernelExports | null = null;
/** The shared-memory instance used while a parallel executor is set. */
let shared: { exports: KernelExports; module: object; memory: WasmMemory } | null = null;
let busy = false;
/** Set when instantiation failed (it is not retried). */
let instanceFailed = false;
/** Set when the shared-memory build cannot run here (no SharedArrayBuffer, say): one thread then. */
let sharedFailed = false;

const jsAllocator: Allocator = {
  wasm: false,
  f64: (length) => new Float64Array(length),
  i32: (length) => new Int32Array(length),
  scratch: (length) => new Float64Array(length),
  copy: (src) => src.slice(),
  input: (src) => src,
  inputI32: (src) => src,
};

const EMPTY_F64 = new Float64Array(0);
const EMPTY_I32 = new Int32Array(0);

/** `bytes` rounded up to a multiple of 16 (arithmetic, not bitwise: sizes may exceed 2^31). */
function align(bytes: number): number {
  return Math.ceil(bytes / 16) * 16;
}

/** The instance to run `work` on (see `KernelBackend`), or `null` for the TypeScript kernels. */
function wasmFor(work: number): KernelExports | null {
  const backend = getKernelBackend();
  if (backend === "js" || busy) return null;
  if (backend === "auto" && work < AUTO_MIN_WORK) return null;
  const executor = getParallelExecutor();
  if (executor !== null && executor.workers > 0 && !sharedFailed) {
    if (shared === null) {
      shared = instantiateSharedKernels();
      sharedFailed = shared === null;
    }
    if (shared !== null) return shared.exports;
  }
  if (instance === null && !instanceFailed) {
    instance = instantiateKernels();
    instanceFailed = instance === null;
  }
  return instance;
}

function jsWorkspace<T>(layout: (a: Allocator) => T): Workspace<T> {
  return { kernels: null, parallel: null, arrays: layout(jsAllocator), release() {} };
}

/** Forgets an instance (its memory is freed once nothing else holds it). */
function drop(wk: KernelExports): void {
  if (wk === instance) instance = null;
  if (shared !== null && wk === shared.exports) shared = null;
}

/**
 * The arrays of `layout`, in WebAssembly memory when the WebAssembly kernels are to run `work`
 * (roughly the number of multiply-adds), else as ordinary typed arrays. The layout function must
 * only allocate (it runs twice: once to measure, once to place).
 */
export function acquireWorkspace<T>(layout: (a: Allocator) => T, work: number): Workspace<T> {
  const wk = wasmFor(work);
  if (wk === null) return jsWorkspace(layout);
  let total = 0;
  const count = (bytes: number) => {
    total += align(bytes);
  };
  layout({
    wasm: true,
    f64: (length) => {
      count(length * 8);
      return EMPTY_F64;
    },
    i32: (length) => {
      count(length * 4);
      return EMPTY_I32;
    },
    scratch: (length) => {
      count(length * 8);
      return EMPTY_F64;
    },
    copy: (src) => {
      count(src.length * 8);
      return EMPTY_F64;
    },
    input: (src) => {
      count(src.length * 8);
      return EMPTY_F64;
    },
    inputI32: (src) => {
      count(src.length * 4);
      return EMPTY_I32;
    },
  });
  const base = wk.heapBase();
  const need = base + total;
  const have = wk.memory.buffer.byteLength;
  if (need > MAX_BYTES) return jsWorkspace(layout);
  if (need > have) {
    try {
      wk.memory.grow(Math.ceil((need - have) / PAGE));
    } catch {
      // Out of memory for a larger WebAssembly memory: the TypeScript kernels need no copy.
      drop(wk);
      return jsWorkspace(layout);
    }
  }
  const buffer = wk.memory.buffer;
  let next = base;
  const place = (bytes: number) => {
    const at = next;
    next += align(bytes);
    return at;
  };
  const arrays = layout({
    wasm: true,
    f64: (length) => new Float64Array(buffer, place(length * 8), length).fill(0),
    i32: (length) => new Int32Array(buffer, place(length * 4), length).fill(0),
    scratch: (length) => new Float64Array(buffer, place(length * 8), length),
    copy: (src) => {
      const v = new Float64Array(buffer, place(src.length * 8), src.length);
      v.set(src);
      return v;
    },
    input: (src) => {
      const v = new Float64Array(buffer, place(src.length * 8), src.length);
      v.set(src);
      return v;
    },
    inputI32: (src) => {
      const v = new Int32Array(buffer, place(src.length * 4), src.length);
      v.set(src);
      return v;
    },
  });
  busy = true;
  const executor = getParallelExecutor();
  const parallel =
    shared !== null && wk === shared.exports && executor !== null
      ? { executor, module: shared.module, memory: shared.memory }
      : null;
  return {
    kernels: wk,
    parallel,
    arrays,
    release() {
      busy = false;
      if (wk.memory.buffer.byteLength > RETAIN_BYTES) drop(wk);
    },
  };
}

/**
 * Runs independent kernel calls (each writing only its own outputs) and returns their results in
 * call order: on the workspace's instance, or shared between the calling thread and the workers
 * when the workspace has them.
 */
export function runCalls(ws: Workspace<unknown>, calls: readonly KernelCall[]): number[] {
  const fns = ws.kernels as unknown as Record<string, (...args: number[]) => number>;
  const local = (c: number): number => {
    const [name, ...args] = calls[c];
    return fns[name](...args);
  };
  const par = ws.parallel;
  if (par === null || par.executor.workers < 1 || calls.length < 2) {
    const results = new Array<number>(calls.length);
    for (let c = 0; c < calls.length; c++) results[c] = local(c);
    return results;
  }
  return par.executor.run(par.module, par.memory, calls, local);
}

/** Byte address of a view in WebAssembly memory. */
export function addr(view: Float64Array | Int32Array): number {
  return view.byteOffset;
}
