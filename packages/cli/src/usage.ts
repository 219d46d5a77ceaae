/** A mistake on the command line (unknown flag, bad number, ...): exit code 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** Options as commander hands them to an action. */
export type RawOptions = Record<string, string | boolean | undefined>;

/** An integer option `>= min` (undefined when not given); a bad value is a `UsageError` naming it. */
export function intOption(opts: RawOptions, key: string, flag: string, min: number): number | undefined {
  const raw = opts[key];
  if (raw === undefined) return undefined;
  const text = String(raw).trim();
  const value = Number(text);
  if (!/^[+-]?\d+$/.test(text) || !Number.isSafeInteger(value) || value < min) {
    throw new UsageError(`invalid ${flag}: ${JSON.stringify(raw)} (must be an integer >= ${min})`);
  }
  return value;
}

/** A comma-separated list option (undefined when not given); an empty item is a `UsageError`. */
export function listOption(opts: RawOptions, key: string, flag: string, what = "list"): string[] | undefined {
  const raw = opts[key];
  if (raw === undefined) return undefined;
  const items = String(raw)
    .split(",")
    .map((s) => s.trim());
  if (items.some((s) => s === "")) {
    throw new UsageError(`invalid ${flag}: ${JSON.stringify(raw)} (must be a comma-separated ${what})`);
  }
  return items;
}
