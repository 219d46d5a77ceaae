import { ClusterlabError } from "@clusterlab/core";

/**
 * An analysis spec that does not validate. The message is one line naming the field by its JSON
 * pointer and the offending value: `invalid spec: /preprocessing/scaling: "zscore" (must be one of
 * "standard", "minmax", "robust", "maxabs", "none")`. `path` is the pointer (`""` for the whole spec).
 */
export class SpecError extends ClusterlabError {
  override readonly name = "SpecError";
  readonly path: string;

  constructor(path: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.path = path;
  }
}

/** Formats a value for an error message: JSON, cut at 60 characters. */
export function specValue(value: unknown): string {
  if (value === undefined) return "undefined";
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** The `SpecError` for the value at `path`: `invalid spec: <path>: <value> (<reason>)`. */
export function specError(path: string, value: unknown, reason: string): SpecError {
  return new SpecError(path, `invalid spec: ${path || "/"}: ${specValue(value)} (${reason})`);
}
