import { ValidationError } from "./errors.js";
import type { ModelJSON } from "./estimator.js";

type Reviver = (json: ModelJSON) => unknown;

const registry = new Map<string, Reviver>();

/**
 * Registers how to restore a model type from JSON. Each model module calls this once at load
 * time with its `type` string (e.g. `"KMeansModel"`).
 */
export function registerModel(type: string, revive: Reviver): void {
  registry.set(type, revive);
}

/** Restores any registered model from its `toJSON()` output (after `JSON.parse`). */
export function modelFromJSON<T = unknown>(json: unknown): T {
  if (typeof json !== "object" || json === null || typeof (json as ModelJSON).type !== "string") {
    throw new ValidationError("invalid model JSON: expected an object with a string `type`");
  }
  const type = (json as ModelJSON).type;
  const revive = registry.get(type);
  if (!revive) {
    throw new ValidationError(
      `invalid model JSON: unknown type ${JSON.stringify(type)} (known: ${[...registry.keys()].sort().join(", ")})`,
    );
  }
  return revive(json as ModelJSON) as T;
}

/** Encodes a Float64Array for JSON without losing precision (numbers round-trip exactly in JSON). */
export function encodeFloats(a: ArrayLike<number>): number[] {
  return Array.from(a);
}

/** Decodes a number array from JSON, checking it is one. */
export function decodeFloats(a: unknown, name: string): Float64Array {
  if (!Array.isArray(a)) throw new ValidationError(`invalid model JSON: ${name} is not an array`);
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    if (typeof v !== "number") {
      if (v === null) {
        out[i] = Number.NaN; // JSON has no NaN; null stands for it
        continue;
      }
      throw new ValidationError(`invalid model JSON: ${name}[${i}] is not a number`);
    }
    out[i] = v;
  }
  return out;
}
