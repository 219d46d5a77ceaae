import { DataError } from "../errors.js";
import { getColumn, type Table } from "../table.js";

/**
 * The known outliers of a table for evaluating anomaly scores: 1 where `column` equals `positive`,
 * else 0, at the table rows `rowIndex` (default every row). A numeric column compares numbers
 * (`"1"` matches 1 and 1.0); any other column compares the text exactly. Errors (`DataError`): an
 * unknown column (listing the columns), a missing value in the column, a non-numeric `positive` for
 * a numeric column, and a `positive` value that no row has, or that every row has (nothing to evaluate against).
 */
export function outlierIndicator(table: Table, column: string, positive: string, rowIndex?: Int32Array): Uint8Array {
  const col = getColumn(table, column);
  const rows = rowIndex ?? Int32Array.from({ length: table.nRows }, (_, i) => i);
  const out = new Uint8Array(rows.length);
  let missing = 0;
  if (col.kind === "numeric") {
    const target = Number(positive.trim());
    if (positive.trim() === "" || !Number.isFinite(target)) {
      throw new DataError(
        `label column ${JSON.stringify(column)} is numeric, but the positive value ${JSON.stringify(positive)} is not a number`,
      );
    }
    rows.forEach((i, r) => {
      const v = col.values[i];
      if (Number.isNaN(v)) missing++;
      out[r] = v === target ? 1 : 0;
    });
  } else {
    rows.forEach((i, r) => {
      const v = col.values[i];
      if (v === null) missing++;
      out[r] = v === positive ? 1 : 0;
    });
  }
  if (missing > 0) {
    throw new DataError(
      `label column ${JSON.stringify(column)} has ${missing} missing value${missing === 1 ? "" : "s"}; every row needs a label to evaluate against`,
    );
  }
  if (!out.includes(1)) {
    throw new DataError(
      `label column ${JSON.stringify(column)} has no row equal to the positive value ${JSON.stringify(positive)}`,
    );
  }
  if (!out.includes(0)) {
    throw new DataError(
      `label column ${JSON.stringify(column)}: every row equals the positive value ${JSON.stringify(positive)} (no inliers to evaluate against)`,
    );
  }
  return out;
}
