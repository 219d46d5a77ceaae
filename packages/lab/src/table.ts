import { DataError } from "./errors.js";

/** A column of numbers (any DuckDB integer, float or decimal type): NULL is read as NaN. */
export interface NumericColumn {
  readonly name: string;
  /** The DuckDB type the column was read with, e.g. `"DOUBLE"`, `"BIGINT"`, `"DECIMAL(4,1)"`. */
  readonly type: string;
  readonly kind: "numeric";
  readonly values: Float64Array;
}

/**
 * Any other column (text, boolean, date, ...), as DuckDB's text form of each value; NULL is `null`.
 * `type` keeps the DuckDB type so that `writeTable` can write the values back with it.
 */
export interface StringColumn {
  readonly name: string;
  readonly type: string;
  readonly kind: "string";
  readonly values: (string | null)[];
}

export type TableColumn = NumericColumn | StringColumn;

/** A table read into memory column by column (see `readTable`). */
export interface Table {
  /** Where the table was read from (used in error messages). */
  readonly source: string;
  readonly nRows: number;
  readonly columns: readonly TableColumn[];
}

/** The column names of a table, in order. */
export function columnNames(table: Table): string[] {
  return table.columns.map((c) => c.name);
}

/** The column with the given name; throws a `DataError` listing the available columns if there is none. */
export function getColumn(table: Table, name: string): TableColumn {
  const column = table.columns.find((c) => c.name === name);
  if (!column) {
    throw new DataError(
      `unknown column ${JSON.stringify(name)} in ${table.source} (columns: ${columnNames(table).join(", ")})`,
    );
  }
  return column;
}
