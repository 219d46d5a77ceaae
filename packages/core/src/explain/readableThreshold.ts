/**
 * A short threshold for a rule `x <= t`: the exact threshold `exact` (halfway between `leftMax`, the
 * largest value going left, and `rightMin`, the smallest going right) rounded to the fewest
 * significant digits such that the rounded value still splits the data alike
 * (`leftMax <= t < rightMin`) or moves by at most `tolerance` (default 0: never). E.g.
 * `(1.9, 3.0, 2.45)` gives 2; `(72, 73, 72.5)` gives 72.5; `(7.4771, 7.4773, 7.4772, 0.035)` gives
 * 7.5. Falls back to `exact` when no shorter number fits (or a bound is not finite).
 */
export function readableThreshold(
  leftMax: number,
  rightMin: number,
  exact = leftMax / 2 + rightMin / 2,
  tolerance = 0,
): number {
  if (!Number.isFinite(leftMax) || !Number.isFinite(rightMin) || !Number.isFinite(exact)) return exact;
  for (let digits = 1; digits <= 17; digits++) {
    const t = Number(exact.toPrecision(digits));
    if ((leftMax <= t && t < rightMin) || Math.abs(t - exact) <= tolerance) return t;
  }
  return exact;
}

/** A number for rule text: up to 6 significant digits, no exponent for ordinary magnitudes, no trailing zeros. */
export function formatRuleNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return "0";
  const a = Math.abs(x);
  if (a >= 1e15 || a < 1e-6) return String(Number(x.toPrecision(6)));
  const s = String(x);
  if (s.replace(/^-/, "").replace(".", "").replace(/^0+/, "").length <= 12) return s;
  return String(Number(x.toPrecision(6)));
}
