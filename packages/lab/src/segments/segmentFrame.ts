import type { Column, Frame } from "@clusterlab/core";
import { DataError } from "../errors.js";
import { getColumn, type Table } from "../table.js";

/** Options for `segmentFrame`. */
export interface SegmentFrameOptions {
  /** Columns taken as categories even when numeric (their numbers become text; NaN becomes null). Default: none. */
  categorical?: readonly string[];
  /** Table row of each frame row (e.g. the rows kept after dropping missing values). Default: every row. */
  rowIndex?: Int32Array;
}

/**
 * The named table columns as a core `Frame` for the explain functions: numeric columns as numbers
 * (NaN = missing), text columns (and the `categorical` ones) as categories (`null` = missing).
 * Errors name an unknown or repeated column.
 */
export function segmentFrame(table: Table, columns: readonly string[], options: SegmentFrameOptions = {}): Frame {
  const asCategory = new Set(options.categorical ?? []);
  const rowIndex = options.rowIndex;
  const rows = rowIndex ? rowIndex.length : table.nRows;
  const seen = new Set<string>();
  const out: Column[] = columns.map((name) => {
    if (seen.has(name)) throw new DataError(`column ${JSON.stringify(name)} is listed twice`);
    seen.add(name);
    const c = getColumn(table, name);
    const at = (r: number) => (rowIndex ? rowIndex[r] : r);
    if (c.kind === "numeric" && !asCategory.has(name)) {
      const v = new Float64Array(rows);
      for (let r = 0; r < rows; r++) v[r] = c.values[at(r)];
      return v;
    }
    const s = new Array<string | null>(rows);
    for (let r = 0; r < rows; r++) {
      const x = c.values[at(r)];
      s[r] = x === null || (typeof x === "number" && Number.isNaN(x)) ? null : String(x);
    }
    return s;
  });
  return { names: [...columns], columns: out, rows };
}
