/**
 * The compiled WebAssembly kernels (see `packages/core/assembly/`): decoding the embedded module,
 * checking that this engine supports WebAssembly SIMD, and instantiating it synchronously.
 * Internal to core (not exported from the barrel). Isomorphic: only `globalThis.WebAssembly`.
 */
import { KERNELS_SHARED_WASM_BASE64, KERNELS_WASM_BASE64 } from "./kernels.generated.js";

/** The linear memory of an instance. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

/** The exports of the kernels module (addresses are byte offsets into `memory`). */
export interface KernelExports {
  readonly memory: WasmMemory;
  heapBase(): number;
  lloydAssign(
    i0: number,
    i1: number,
    d: number,
    k: number,
    X: number,
    w: number,
    labels: number,
    upperS: number,
    lowerS: number,
    cum: number,
    nextHalf: number,
    half: number,
    order: number,
    orderLen: number,
    margin: number,
    cumMax: number,
    C: number,
    first: number,
    update: number,
    hi: number,
    lo: number,
    whi: number,
    wlo: number,
    npos: number,
    boxLo: number,
    boxHi: number,
  ): number;
  elkanInit(
    i0: number,
    i1: number,
    d: number,
    k: number,
    X: number,
    C: number,
    half: number,
    margin: number,
    labels: number,
    upperS: number,
    lowerS: number,
    lowerG: number,
  ): void;
  elkanAssign(
    i0: number,
    i1: number,
    d: number,
    k: number,
    X: number,
    w: number,
    labels: number,
    upperS: number,
    lowerS: number,
    lowerG: number,
    cum: number,
    cumMax: number,
    nextHalf: number,
    half: number,
    margin: number,
    C: number,
    first: number,
    update: number,
    hi: number,
    lo: number,
    whi: number,
    wlo: number,
    npos: number,
  ): number;
  inertia(i0: number, i1: number, d: number, X: number, C: number, labels: number, w: number): number;
  assignNearest(
    n: number,
    d: number,
    k: number,
    X: number,
    C: number,
    labels: number,
    w: number,
    minSq: number,
  ): number;
  potential1(
    i0: number,
    i1: number,
    d: number,
    X: number,
    w: number,
    closest: number,
    c: number,
    out: number,
    acc: number,
  ): number;
  columnRange(i0: number, i1: number, d: number, X: number, lo: number, hi: number): void;
  potentials4Block(
    i0: number,
    i1: number,
    d: number,
    X: number,
    w: number,
    closest: number,
    c0: number,
    c1: number,
    c2: number,
    c3: number,
    b0: number,
    b1: number,
    b2: number,
    b3: number,
    pots: number,
  ): void;
  cumulativeWeighted(i0: number, i1: number, w: number, v: number, cum: number, acc: number): number;
  transpose(X: number, n: number, d: number, XT: number): void;
  logProbRows(
    x: number,
    d: number,
    k: number,
    means: number,
    factors: number,
    step: number,
    constants: number,
    i0: number,
    i1: number,
    out: number,
    diff: number,
  ): void;
  meansBlock(x: number, d: number, k: number, resp: number, i0: number, i1: number, nk: number, sums: number): void;
  columnSumsBlock(x: number, d: number, i0: number, i1: number, out: number, part: number): void;
  gramBlock(x: number, d: number, mean: number, i0: number, i1: number, acc: number, buf: number): void;
  projectBlock(
    x: number,
    d: number,
    mean: number,
    comps: number,
    k: number,
    scale: number,
    whiten: number,
    i0: number,
    i1: number,
    out: number,
  ): void;
  scatterBlock(
    x: number,
    d: number,
    k: number,
    resp: number,
    means: number,
    i0: number,
    i1: number,
    acc: number,
    step: number,
    wBuf: number,
    dBuf: number,
  ): void;
  silhouetteSymmetric(
    kind: number,
    post: number,
    X: number,
    XT: number,
    d: number,
    n: number,
    codes: number,
    k: number,
    tile: number,
    i0: number,
    sums: number,
    dist0: number,
    dist1: number,
    scratch: number,
  ): void;
  silhouetteRows(
    kind: number,
    post: number,
    X: number,
    XT: number,
    d: number,
    n: number,
    start: number,
    end: number,
    codes: number,
    k: number,
    tile: number,
    sums: number,
    dist0: number,
    dist1: number,
    scratch: number,
  ): void;
}

/** The part of the WebAssembly JS API used here (core is compiled without DOM or Node typings). */
interface WebAssemblyApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: unknown };
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
  compile(bytes: Uint8Array): Promise<object>;
}

function webAssembly(): WebAssemblyApi | undefined {
  return (globalThis as unknown as { WebAssembly?: WebAssemblyApi }).WebAssembly;
}

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** Decodes standard base64 (no line breaks). */
export function decodeBase64(text: string): Uint8Array {
  const lookup = new Int16Array(128).fill(-1);
  for (let i = 0; i < B64.length; i++) lookup[B64.charCodeAt(i)] = i;
  let len = text.length;
  while (len > 0 && text.charCodeAt(len - 1) === 61) len--; // '='
  const out = new Uint8Array((len * 3) >> 2);
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < len; i++) {
    const v = lookup[text.charCodeAt(i)];
    if (v < 0) throw new Error(`invalid base64 at ${i}`);
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 255;
    }
  }
  return out;
}

let bytes: Uint8Array | undefined;
/** The compiled module; `null` when this engine cannot run it (no WebAssembly, or no SIMD). */
let compiled: object | null | undefined;
/** Set when synchronous compilation threw (some browsers refuse it on the main thread). */
let syncRefused = false;

function moduleBytes(): Uint8Array {
  if (bytes === undefined) bytes = decodeBase64(KERNELS_WASM_BASE64);
  return bytes;
}

/** The compiled module (compiled synchronously on first use), or `null` when unavailable. */
export function kernelModule(): object | null {
  if (compiled !== undefined) return compiled;
  if (syncRefused) return null;
  const wa = webAssembly();
  if (wa === undefined) return (compiled = null);
  const b = moduleBytes();
  // validate() is false when the engine lacks an instruction the module uses (SIMD).
  if (!wa.validate(b)) return (compiled = null);
  try {
    compiled = new wa.Module(b);
  } catch {
    // `loadKernelModule()` compiles asynchronously where synchronous compilation is refused.
    syncRefused = true;
    return null;
  }
  return compiled;
}

/** Compiles the module asynchronously (for browser main threads); resolves to whether it is usable. */
export async function loadKernelModule(): Promise<boolean> {
  if (compiled) return true;
  const wa = webAssembly();
  if (wa === undefined) {
    compiled = null;
    return false;
  }
  const b = moduleBytes();
  if (!wa.validate(b)) {
    compiled = null;
    return false;
  }
  compiled = await wa.compile(b);
  return true;
}

/** A new instance of the module (its own linear memory), or `null` when unavailable. */
export function instantiateKernels(): KernelExports | null {
  const mod = kernelModule();
  const wa = webAssembly();
  if (mod === null || wa === undefined) return null;
  try {
    return new wa.Instance(mod, {}).exports as KernelExports;
  } catch {
    // For instance a browser main thread refusing synchronous instantiation: TypeScript kernels.
    return null;
  }
}

let sharedCompiled: object | null | undefined;

/** The shared-memory build (for worker threads), compiled on first use; `null` when unavailable. */
export function sharedKernelModule(): object | null {
  if (sharedCompiled !== undefined) return sharedCompiled;
  sharedCompiled = null;
  const wa = webAssembly();
  if (wa === undefined || typeof SharedArrayBuffer === "undefined") return null;
  try {
    const b = decodeBase64(KERNELS_SHARED_WASM_BASE64);
    if (wa.validate(b)) sharedCompiled = new wa.Module(b);
  } catch {
    sharedCompiled = null;
  }
  return sharedCompiled;
}

/** An instance of the shared-memory build on a new shared memory, or `null` when unavailable. */
export function instantiateSharedKernels(): { exports: KernelExports; module: object; memory: WasmMemory } | null {
  const mod = sharedKernelModule();
  const wa = webAssembly();
  if (mod === null || wa === undefined) return null;
  try {
    const memory = new wa.Memory({ initial: 1, maximum: 65536, shared: true });
    const exports = new wa.Instance(mod, { env: { memory } }).exports as KernelExports;
    return { exports, module: mod, memory };
  } catch {
    return null;
  }
}
