import { invalid, ValidationError } from "../errors.js";
import { checkChoice, checkNumber } from "../validate.js";

/** Options for `kneedle`. */
export interface KneedleOptions {
  /**
   * Sensitivity `S`: how far (in units of the mean normalised x spacing) the difference curve must
   * drop below a local maximum before that maximum is declared a knee. Larger is more conservative.
   * Default 1 (the paper's suggestion).
   */
  sensitivity?: number;
  /**
   * Shape of the curve: `"concave"` (bends down, e.g. a log) or `"convex"` (bends up, e.g. an
   * inertia-vs-k curve). Default `"concave"`.
   */
  curve?: "concave" | "convex";
  /** Whether y grows or shrinks with x. Default `"increasing"`. */
  direction?: "increasing" | "decreasing";
  /**
   * Offline (false) returns the first knee found; online (true) keeps scanning the whole curve and
   * returns the knee of the last detection, as the kneed package does. Default false.
   */
  online?: boolean;
}

/** Result of `kneedle`. */
export interface KneedleResult {
  /** Index into `x`/`y` of the knee (elbow), or null when none is found. */
  index: number | null;
  /** `x[index]`, or null. */
  x: number | null;
  /** `y[index]`, or null. */
  y: number | null;
  /** Every knee detected during the scan, in detection order without repeats (offline: at most one). */
  allIndices: number[];
  /**
   * The difference curve (normalised, mapped to a concave increasing shape, minus the diagonal),
   * one value per input point in the input order. Knees are local maxima of it. All zeros when
   * there is no curve to analyse (fewer than 3 points or constant y).
   */
  difference: Float64Array;
}

/**
 * Kneedle knee/elbow detection (Satopaa, Albrecht, Irwin, Raghavan, "Finding a 'Kneedle' in a
 * Haystack", ICDCS Workshops 2011), following the kneed package's offline defaults (no smoothing).
 *
 * 1. Normalise x and y to [0, 1] (x must be strictly increasing).
 * 2. Map the curve to a concave increasing one by reflection: vertically (`y -> 1 - y`) for convex
 *    curves, horizontally (`x -> 1 - x`, points reversed) for `concave`+`decreasing` and
 *    `convex`+`increasing`.
 * 3. Difference curve `D = y - x`; local maxima and minima of D (non-strict: a point not smaller,
 *    resp. not larger, than both neighbours; the end points compare with their single neighbour).
 * 4. Each maximum `i` gets the threshold `D[i] - S * mean(diff(x))`; scanning right from the first
 *    maximum, the current threshold is that of the last maximum passed, or 0 after a minimum. The
 *    first time `D[j + 1]` falls below it, the last maximum is the knee.
 *
 * For evenly spaced x this gives the same knee as kneed (`interp_method="interp1d"`); kneed reflects
 * only y in step 2 and so misplaces the knee of reflected curves when x is unevenly spaced, which
 * reflecting x as well avoids.
 *
 * Returns `index: null` (no knee) for fewer than 3 points, constant y, a straight line, or a curve
 * whose difference curve never drops below a threshold.
 *
 * @example
 * kneedle([1, 2, 3, 4, 5, 6], [100, 40, 20, 15, 12, 10], { curve: "convex", direction: "decreasing" }).x // 3
 */
export function kneedle(x: ArrayLike<number>, y: ArrayLike<number>, options: KneedleOptions = {}): KneedleResult {
  const { sensitivity = 1, curve = "concave", direction = "increasing", online = false } = options;
  checkNumber(sensitivity, "sensitivity", { min: 0 });
  checkChoice(curve, "curve", ["concave", "convex"]);
  checkChoice(direction, "direction", ["increasing", "decreasing"]);
  if (typeof online !== "boolean") throw invalid("online", online, "must be a boolean");
  if (x == null || typeof x.length !== "number") throw new ValidationError("invalid x: not an array");
  if (y == null || typeof y.length !== "number") throw new ValidationError("invalid y: not an array");
  const n = x.length;
  if (y.length !== n) throw new ValidationError(`invalid y: length ${y.length}, expected ${n} (same as x)`);
  for (let i = 0; i < n; i++) {
    if (typeof x[i] !== "number" || !Number.isFinite(x[i]))
      throw new ValidationError(`invalid x: ${x[i]} at index ${i} (must be finite)`);
    if (typeof y[i] !== "number" || !Number.isFinite(y[i]))
      throw new ValidationError(`invalid y: ${y[i]} at index ${i} (must be finite)`);
    if (i > 0 && !(x[i] > x[i - 1]))
      throw new ValidationError(
        `invalid x: ${x[i]} at index ${i} (x must be strictly increasing; previous ${x[i - 1]})`,
      );
  }
  const none: KneedleResult = { index: null, x: null, y: null, allIndices: [], difference: new Float64Array(n) };
  if (n < 3) return none;
  let yMin = y[0];
  let yMax = y[0];
  for (let i = 1; i < n; i++) {
    if (y[i] < yMin) yMin = y[i];
    if (y[i] > yMax) yMax = y[i];
  }
  if (yMax === yMin) return none;
  const xMin = x[0];
  const xMax = x[n - 1];
  const xRange = xMax - xMin;
  const yRange = yMax - yMin;

  const flipX =
    (curve === "concave" && direction === "decreasing") || (curve === "convex" && direction === "increasing");
  const flipY = curve === "convex";
  // Transformed curve (t-frame): point k of the t-frame is input point flipX ? n - 1 - k : k.
  const xt = new Float64Array(n);
  const d = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const src = flipX ? n - 1 - k : k;
    xt[k] = flipX ? (xMax - x[src]) / xRange : (x[src] - xMin) / xRange;
    let yn = (y[src] - yMin) / yRange;
    if (flipY) yn = 1 - yn;
    d[k] = yn - xt[k];
  }
  // Mean spacing of the normalised x (kneed: |mean(diff(x))|); the t-frame spans [0, 1].
  let spacing = 0;
  for (let k = 1; k < n; k++) spacing += xt[k] - xt[k - 1];
  spacing = Math.abs(spacing / (n - 1));

  const isMax = (k: number) => d[k] >= d[k > 0 ? k - 1 : k] && d[k] >= d[k < n - 1 ? k + 1 : k];
  const isMin = (k: number) => d[k] <= d[k > 0 ? k - 1 : k] && d[k] <= d[k < n - 1 ? k + 1 : k];

  let first = -1;
  for (let k = 0; k < n; k++) {
    if (isMax(k)) {
      first = k;
      break;
    }
  }
  const allIndices: number[] = [];
  let last: number | null = null;
  if (first >= 0) {
    let threshold = 0;
    let thresholdIndex = first;
    for (let i = first; i < n - 1; i++) {
      if (isMax(i)) {
        threshold = d[i] - sensitivity * spacing;
        thresholdIndex = i;
      }
      if (isMin(i)) threshold = 0;
      if (d[i + 1] < threshold) {
        const knee = flipX ? n - 1 - thresholdIndex : thresholdIndex;
        last = knee;
        if (!allIndices.includes(knee)) allIndices.push(knee);
        if (!online) break;
      }
    }
  }

  const difference = new Float64Array(n);
  for (let k = 0; k < n; k++) difference[flipX ? n - 1 - k : k] = d[k];
  if (last === null) return { ...none, difference };
  return { index: last, x: x[last], y: y[last], allIndices, difference };
}
