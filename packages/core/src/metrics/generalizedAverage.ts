import { checkChoice } from "../validate.js";

/** How normalized and adjusted mutual information average the two entropies. */
export type AverageMethod = "arithmetic" | "geometric" | "min" | "max";

/** The accepted `AverageMethod` values. */
export const AVERAGE_METHODS: readonly AverageMethod[] = ["arithmetic", "geometric", "min", "max"];

/**
 * The mean of `u` and `v` named by `method`: `(u + v) / 2`, `sqrt(u v)`, `min(u, v)` or `max(u, v)`.
 * Throws on an unknown method: `invalid averageMethod: "mean" (must be one of ...)`.
 */
export function generalizedAverage(u: number, v: number, method: AverageMethod): number {
  checkChoice(method, "averageMethod", AVERAGE_METHODS);
  switch (method) {
    case "min":
      return Math.min(u, v);
    case "geometric":
      return Math.sqrt(u * v);
    case "arithmetic":
      return (u + v) / 2;
    case "max":
      return Math.max(u, v);
  }
}
