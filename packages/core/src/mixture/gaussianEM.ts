/**
 * The EM iterations of a full or tied Gaussian mixture over fixed blocks of rows (internal to the
 * mixture area). The data, the responsibilities and the per-block partial sums live in one
 * workspace (`acquireWorkspace`): in WebAssembly memory when the WebAssembly kernels run (the
 * blocks then shared with worker threads when an executor is set), else in ordinary arrays for
 * the TypeScript kernels of gaussianKernels.ts, which give the same bits.
 *
 * Per iteration: the E-step's log-probabilities per block, then on the calling thread the
 * row-wise normalisation and the lower bound (rows in order); the M-step's weighted sums per
 * block, combined in block order, then the scatter around the new means per block, combined in
 * block order. The block boundaries depend only on n (`blockRows`), so results do not depend on
 * the number of threads; with n <= 4096 (one block) the arithmetic is the sequential one of
 * `GaussianMStep`.
 */
import type { Matrix } from "../matrix.js";
import type { KernelCall } from "../wasm/parallel.js";
import { type Allocator, acquireWorkspace, addr, runCalls, type Workspace } from "../wasm/workspace.js";
import { blockRows, CHUNK, logProbRows, meansBlock, scatterBlock } from "./gaussianKernels.js";
import { argmaxRow, GaussianLogDensity, normalizeLogRow } from "./gaussianLogDensity.js";
import { NK_EPS, scatterToCovariances } from "./gaussianParameters.js";

interface Arrays {
  x: Float64Array;
  resp: Float64Array;
  means: Float64Array;
  factors: Float64Array;
  constants: Float64Array;
  /** Per block: 4 d (E-step scratch). */
  diff: Float64Array;
  /** Per block: k. */
  pnk: Float64Array;
  /** Per block: k d. */
  psums: Float64Array;
  /** Per block: the packed scatter (k triangles, or one for tied). */
  pacc: Float64Array;
  /** Per block: CHUNK d each. */
  wBuf: Float64Array;
  dBuf: Float64Array;
}

/** Blocked EM for covariance type "full" or "tied" (see the module comment). Call `release()` when done. */
export class BlockedEM {
  private readonly ws: Workspace<Arrays>;
  private readonly n: number;
  private readonly rows: number;
  private readonly nb: number;
  private readonly packed: number;
  private readonly step: number;
  private readonly accSize: number;

  constructor(
    X: Matrix,
    private readonly type: "full" | "tied",
    private readonly k: number,
    private readonly d: number,
    private readonly regCovar: number,
  ) {
    const n = X.rows;
    this.n = n;
    this.rows = blockRows(n);
    this.nb = Math.ceil(n / this.rows);
    this.packed = (d * (d + 1)) / 2;
    this.step = type === "full" ? this.packed : 0;
    this.accSize = type === "full" ? k * this.packed : this.packed;
    const { nb, accSize, packed } = this;
    const count = type === "full" ? k : 1;
    // About 2 d^2 / 2 multiply-adds per row and component per iteration.
    this.ws = acquireWorkspace(
      (a: Allocator) => ({
        x: a.input(X.data.subarray(0, n * d)),
        resp: a.f64(n * k),
        means: a.f64(k * d),
        factors: a.f64(count * packed),
        constants: a.f64(k),
        diff: a.f64(nb * 4 * d),
        pnk: a.f64(nb * k),
        psums: a.f64(nb * k * d),
        pacc: a.f64(nb * accSize),
        wBuf: a.f64(nb * CHUNK * d),
        dBuf: a.f64(nb * CHUNK * d),
      }),
      n * k * packed,
    );
  }

  /** The responsibilities (n x k, row-major) of the last E-step. */
  get resp(): Float64Array {
    return this.ws.arrays.resp;
  }

  release(): void {
    this.ws.release();
  }

  /** Weighted log-probabilities of every row into `resp` (per block). */
  private logProb(weights: Float64Array, means: Float64Array, precisionsCholesky: Float64Array): void {
    const { k, d, n, rows, nb, step, ws } = this;
    const v = ws.arrays;
    const density = new GaussianLogDensity(this.type, k, d, weights, means, precisionsCholesky);
    v.means.set(density.means.subarray(0, k * d));
    v.factors.set(density.factors);
    v.constants.set(density.constants);
    const wk = ws.kernels;
    if (wk === null) {
      const diff = v.diff.subarray(0, 4 * d);
      for (let b = 0; b < nb; b++) {
        const i0 = b * rows;
        logProbRows(v.x, d, k, v.means, v.factors, step, v.constants, i0, Math.min(n, i0 + rows), v.resp, i0 * k, diff);
      }
      return;
    }
    const calls: KernelCall[] = [];
    for (let b = 0; b < nb; b++) {
      const i0 = b * rows;
      calls.push([
        "logProbRows",
        addr(v.x),
        d,
        k,
        addr(v.means),
        addr(v.factors),
        step,
        addr(v.constants),
        i0,
        Math.min(n, i0 + rows),
        addr(v.resp) + i0 * k * 8,
        addr(v.diff) + b * 4 * d * 8,
      ]);
    }
    runCalls(ws, calls);
  }

  /**
   * The E-step: fills `resp` with the responsibilities and returns the mean over rows of `log
   * sum_k w_k N(x | k)` (Neumaier-compensated, rows in order), as `GaussianLogDensity.responsibilities`.
   */
  eStep(weights: Float64Array, means: Float64Array, precisionsCholesky: Float64Array): number {
    this.logProb(weights, means, precisionsCholesky);
    const { n, k } = this;
    const resp = this.ws.arrays.resp;
    let sum = 0;
    let comp = 0;
    for (let i = 0; i < n; i++) {
      const v = normalizeLogRow(resp, i * k, k);
      const t = sum + v;
      comp += Math.abs(sum) >= Math.abs(v) ? sum - t + v : v - t + sum;
      sum = t;
    }
    return (sum + comp) / n;
  }

  /** Most probable component of every row (first one on ties), as `GaussianLogDensity.argmax`. */
  argmax(weights: Float64Array, means: Float64Array, precisionsCholesky: Float64Array): Int32Array {
    this.logProb(weights, means, precisionsCholesky);
    const { n, k } = this;
    const resp = this.ws.arrays.resp;
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = argmaxRow(resp, i * k, k);
    return out;
  }

  /**
   * The M-step from the current `resp`: fills `nk` (+ 10 eps), `means` and `covariances`, as
   * `GaussianMStep.estimate` (whose arithmetic it equals with one block).
   */
  mStep(nk: Float64Array, means: Float64Array, covariances: Float64Array): void {
    const { k, d, n, rows, nb, step, accSize, ws } = this;
    const v = ws.arrays;
    const wk = ws.kernels;
    if (wk === null) {
      for (let b = 0; b < nb; b++) {
        const i0 = b * rows;
        meansBlock(v.x, d, k, v.resp, i0, Math.min(n, i0 + rows), v.pnk, b * k, v.psums, b * k * d);
      }
    } else {
      const calls: KernelCall[] = [];
      for (let b = 0; b < nb; b++) {
        const i0 = b * rows;
        calls.push([
          "meansBlock",
          addr(v.x),
          d,
          k,
          addr(v.resp),
          i0,
          Math.min(n, i0 + rows),
          addr(v.pnk) + b * k * 8,
          addr(v.psums) + b * k * d * 8,
        ]);
      }
      runCalls(ws, calls);
    }
    nk.fill(0);
    means.fill(0);
    for (let b = 0; b < nb; b++) {
      for (let c = 0; c < k; c++) nk[c] += v.pnk[b * k + c];
      const o = b * k * d;
      for (let p = 0; p < k * d; p++) means[p] += v.psums[o + p];
    }
    for (let c = 0; c < k; c++) {
      nk[c] += NK_EPS;
      const inv = nk[c];
      const mo = c * d;
      for (let t = 0; t < d; t++) means[mo + t] /= inv;
    }
    v.means.set(means.subarray(0, k * d));
    if (wk === null) {
      const wBuf = v.wBuf.subarray(0, CHUNK * d);
      const dBuf = v.dBuf.subarray(0, CHUNK * d);
      for (let b = 0; b < nb; b++) {
        const i0 = b * rows;
        scatterBlock(v.x, d, k, v.resp, v.means, i0, Math.min(n, i0 + rows), v.pacc, b * accSize, step, wBuf, dBuf);
      }
    } else {
      const calls: KernelCall[] = [];
      for (let b = 0; b < nb; b++) {
        const i0 = b * rows;
        calls.push([
          "scatterBlock",
          addr(v.x),
          d,
          k,
          addr(v.resp),
          addr(v.means),
          i0,
          Math.min(n, i0 + rows),
          addr(v.pacc) + b * accSize * 8,
          step,
          addr(v.wBuf) + b * CHUNK * d * 8,
          addr(v.dBuf) + b * CHUNK * d * 8,
        ]);
      }
      runCalls(ws, calls);
    }
    const acc = new Float64Array(accSize);
    for (let b = 0; b < nb; b++) {
      const o = b * accSize;
      for (let p = 0; p < accSize; p++) acc[p] += v.pacc[o + p];
    }
    scatterToCovariances(this.type, k, d, acc, nk, this.regCovar, covariances);
  }
}
