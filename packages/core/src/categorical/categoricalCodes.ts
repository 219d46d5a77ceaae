import { checkFrame, type Frame, frameColumn } from "../preprocessing/frame.js";
import { checkChoice } from "../validate.js";
import { encodeColumn } from "./internal.js";

/**
 * Integer-coded categorical data: `codes[i * categories.length + j]` is the category of row `i` in
 * column `j`, an index into `categories[j]` (whose entries are distinct; `null` may name the
 * missing-value category). `KModes` accepts this as well as a `Frame`; tie-breaks between equally
 * frequent categories go to the smallest code, so the order of `categories[j]` is meaningful.
 */
export interface CategoricalCodes {
  /** Row-major codes, rows x categories.length. */
  codes: Int32Array;
  /** Number of rows. */
  rows: number;
  /** Names of the categories of each column, indexed by code. */
  categories: ReadonlyArray<ReadonlyArray<string | null>>;
  /** Column names. Default `x0`, `x1`, ... */
  names?: readonly string[];
}

/**
 * How string categories are numbered. `"sorted"`: in Unicode code point order (Python's `sorted`,
 * numpy's `np.unique`, hence the `kmodes` package's `encode_features`), numeric columns numerically,
 * the missing category (`null`) first. `"appearance"`: in order of first appearance in the data, so
 * renaming categories never changes a result.
 */
export type CategoryOrder = "sorted" | "appearance";

export const CATEGORY_ORDERS: readonly CategoryOrder[] = ["sorted", "appearance"];

/** Options for `encodeCategories`. */
export interface EncodeCategoriesOptions {
  /** Columns to encode, in this order. Default: every column of the frame. */
  columns?: readonly string[];
  /** Numbering of the categories (see `CategoryOrder`). Default `"sorted"`. */
  order?: CategoryOrder;
}

/**
 * Encodes frame columns as `CategoricalCodes`. A string column's categories are its distinct values;
 * `null` (missing) is a category of its own, named `null`. A numeric column's categories are its
 * distinct values written with `String(v)` (NaN is the `null` category).
 */
export function encodeCategories(frame: Frame, options: EncodeCategoriesOptions = {}): CategoricalCodes {
  checkFrame(frame);
  const columns = options.columns ?? frame.names;
  const order = checkChoice(options.order ?? "sorted", "order", CATEGORY_ORDERS);
  const rows = frame.rows;
  const p = columns.length;
  const codes = new Int32Array(rows * p);
  const categories: (string | null)[][] = [];
  for (let j = 0; j < p; j++) {
    const col = frameColumn(frame, columns[j]);
    const enc = encodeColumn(col, order);
    categories.push(enc.categories);
    const c = enc.codes;
    for (let i = 0; i < rows; i++) codes[i * p + j] = c[i];
  }
  return { codes, rows, categories, names: [...columns] };
}
