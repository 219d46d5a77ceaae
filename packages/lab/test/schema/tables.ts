import { fileURLToPath } from "node:url";
import type { Table, TableColumn } from "../../src/index.js";

/** Path of a dataset in examples/data. */
export const dataset = (name: string) =>
  fileURLToPath(new URL(`../../../../examples/data/${name}.csv`, import.meta.url));

type Values = Float64Array | readonly (number | null)[] | readonly (string | null)[];

/**
 * An in-memory table: number arrays become numeric columns (null = NaN, type BIGINT when every
 * value is an integer, else DOUBLE), string arrays VARCHAR; `types` overrides the DuckDB type.
 */
export function table(columns: Record<string, Values>, types: Record<string, string> = {}): Table {
  const cols: TableColumn[] = Object.entries(columns).map(([name, values]) => {
    const first = Array.from(values as ArrayLike<unknown>).find((v) => v !== null);
    if (values instanceof Float64Array || typeof first === "number") {
      const v = Float64Array.from(values as ArrayLike<number | null>, (x) => (x === null ? Number.NaN : x));
      const type = types[name] ?? (v.every((x) => Number.isNaN(x) || Number.isInteger(x)) ? "BIGINT" : "DOUBLE");
      return { name, type, kind: "numeric", values: v };
    }
    return { name, type: types[name] ?? "VARCHAR", kind: "string", values: [...(values as (string | null)[])] };
  });
  return { source: "test.csv", nRows: cols[0]?.values.length ?? 0, columns: cols };
}

/** `n` values from `f(i)`. */
export function range<T>(n: number, f: (i: number) => T): T[] {
  return Array.from({ length: n }, (_, i) => f(i));
}
