import { DataError } from "../errors.js";
import { getColumn, type Table } from "../table.js";

/**
 * The text of every row from one or more columns of a table (joined with a newline when several are
 * given, e.g. `subject` and `body`); `null` where all of them are missing. Throws a `DataError` for an
 * unknown column, a numeric column, or when every value is missing or blank.
 */
export function documentTexts(table: Table, columns: readonly string[]): (string | null)[] {
  if (columns.length === 0) throw new DataError("no text column given");
  const values = columns.map((name) => {
    const column = getColumn(table, name);
    if (column.kind !== "string") {
      throw new DataError(`column ${JSON.stringify(name)} in ${table.source} is numeric (${column.type}), not text`);
    }
    return column.values;
  });
  const out: (string | null)[] = new Array(table.nRows);
  let nonBlank = 0;
  for (let i = 0; i < table.nRows; i++) {
    const parts: string[] = [];
    for (const v of values) if (v[i] !== null) parts.push(v[i] as string);
    out[i] = parts.length === 0 ? null : parts.join("\n");
    if (parts.some((p) => p.trim() !== "")) nonBlank++;
  }
  if (nonBlank === 0) {
    const what =
      columns.length === 1 ? `text column ${JSON.stringify(columns[0])}` : `text columns ${columns.join(", ")}`;
    throw new DataError(`${what} in ${table.source} is empty (no row has any text)`);
  }
  return out;
}

/**
 * The values of a label column as strings (numbers printed as they read), for external metrics;
 * `null` where missing.
 */
export function labelValues(table: Table, column: string): (string | null)[] {
  const c = getColumn(table, column);
  if (c.kind === "string") return [...c.values];
  return Array.from(c.values, (v) => (Number.isNaN(v) ? null : String(v)));
}
