/**
 * Errors raised by Clusterlab. Every message names the offending value, e.g.
 * `invalid nClusters: 0 (must be >= 1)`.
 */
export class ClusterlabError extends Error {
  override readonly name: string = "ClusterlabError";
}

/** Bad input: a parameter or data value outside what the call accepts. */
export class ValidationError extends ClusterlabError {
  override readonly name = "ValidationError";
}

/** Formats the standard message: `invalid <name>: <value> (<reason>)`. */
export function invalid(name: string, value: unknown, reason: string): ValidationError {
  return new ValidationError(`invalid ${name}: ${formatValue(value)} (${reason})`);
}

function formatValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || value == null) return String(value);
  try {
    const s = JSON.stringify(value);
    return s.length > 80 ? `${s.slice(0, 77)}...` : s;
  } catch {
    return String(value);
  }
}
