import { invalid, ValidationError } from "../errors.js";
import type { TransformerModel } from "../estimator.js";
import type { Matrix, MatrixLike } from "../matrix.js";
import { registerModel } from "../serialize.js";
import { asMatrix, checkChoice } from "../validate.js";
import { asFrame, type Column, defaultNames, type Frame, isFrame, isNumericColumn, type TableLike } from "./frame.js";
import {
  type CategoriesOption,
  type CategoryIndex,
  categoryIndex,
  categoryName,
  decodeCategories,
  emptyLike,
  encodeCategories,
  encodeCodes,
  encoderInput,
  expectJSON,
  fitCategories,
  inputNames,
  readNames,
  readString,
} from "./internal.js";

/** What `OneHotEncoder` does with a category not seen in fit. */
export type OneHotHandleUnknown = "error" | "ignore";
/** Which category per feature `OneHotEncoder` leaves out. */
export type OneHotDrop = "first" | "ifBinary" | null;

/** Options for `OneHotEncoder`. */
export interface OneHotEncoderOptions {
  /**
   * `"error"`: an unknown category at transform time throws, naming the value and column.
   * `"ignore"`: it is encoded as all zeros (`inverseTransform` gives `null`, or the dropped category when
   * `drop` is set). Default `"error"`.
   */
  handleUnknown?: OneHotHandleUnknown;
  /**
   * `"first"`: drop each feature's first category (one column fewer per feature; a feature with a single
   * category gives no column). `"ifBinary"`: drop the first only for features with exactly two
   * categories. `null`: keep all. Default null.
   */
  drop?: OneHotDrop;
  /**
   * `"auto"`: each feature's sorted unique values (strings by code point, numbers ascending, missing last).
   * Or one explicit list per feature (kept in the given order; `null` stands for the missing category);
   * with `handleUnknown: "error"`, fit then rejects values outside the lists. Default `"auto"`.
   */
  categories?: CategoriesOption;
}

/**
 * One-hot (dummy) encoding of categorical features into a dense `Matrix`, as scikit-learn's
 * `OneHotEncoder(sparse_output=False)`.
 *
 * Input (`TableLike`): a `Frame` (string columns, or numeric columns whose values are categories), an
 * array of rows of `string | number | boolean | null`, or a numeric matrix.
 *
 * Missing values (`null`, NaN) form a category of their own, sorted last and named `nan` in
 * `getFeatureNamesOut` (`sex_nan`), as scikit-learn does for NaN. Numeric categories are named with
 * JavaScript's number formatting (`size_2`, where Python writes `size_2.0`).
 */
export class OneHotEncoder {
  readonly acceptsFrame = true as const;
  readonly options: Readonly<OneHotEncoderOptions>;

  constructor(options: OneHotEncoderOptions = {}) {
    this.options = { ...options };
  }

  fit(X: TableLike): OneHotEncoderModel {
    const { handleUnknown = "error", drop = null, categories = "auto" } = this.options;
    checkChoice(handleUnknown, "handleUnknown", ["error", "ignore"]);
    if (drop !== null && drop !== "first" && drop !== "ifBinary") {
      throw invalid("drop", drop, 'must be "first", "ifBinary" or null');
    }
    const f = asFrame(X);
    if (f.rows === 0) throw new ValidationError("invalid X: empty (0 rows; at least 1 required)");
    if (f.columns.length === 0) throw new ValidationError("invalid X: no columns (at least 1 feature required)");
    const cats = fitCategories(f, categories, handleUnknown === "error");
    let dropIdx: (number | null)[] | null = null;
    if (drop === "first") dropIdx = cats.map(() => 0);
    else if (drop === "ifBinary") dropIdx = cats.map((c) => (c.length === 2 ? 0 : null));
    return new OneHotEncoderModel({
      categories: cats,
      handleUnknown,
      drop,
      dropIdx,
      featureNamesIn: isFrame(X) ? [...f.names] : null,
    });
  }

  fitTransform(X: TableLike): { model: OneHotEncoderModel; output: Matrix } {
    const model = this.fit(X);
    return { model, output: model.transform(X) };
  }
}

/** A fitted `OneHotEncoder`. */
export class OneHotEncoderModel implements TransformerModel {
  readonly acceptsFrame = true as const;
  /** Categories per feature, in output order (numbers or strings; missing last as NaN / null). */
  readonly categories: readonly Column[];
  readonly handleUnknown: OneHotHandleUnknown;
  readonly drop: OneHotDrop;
  /** Per feature, the index in `categories` of the dropped category (`null`: none); `null` when nothing is dropped. */
  readonly dropIdx: readonly (number | null)[] | null;
  /** Column names seen in fit when it got a `Frame`, else null. */
  readonly featureNamesIn: readonly string[] | null;
  readonly nFeaturesIn: number;
  /** Total number of output columns. */
  readonly nFeaturesOut: number;
  private readonly index: readonly CategoryIndex[];
  /** Output column of category k of feature j: offsets[j] + k - (k > dropIdx[j] ? 1 : 0). */
  private readonly offsets: Int32Array;

  constructor(fields: {
    categories: readonly Column[];
    handleUnknown: OneHotHandleUnknown;
    drop: OneHotDrop;
    dropIdx: readonly (number | null)[] | null;
    featureNamesIn: readonly string[] | null;
  }) {
    this.categories = fields.categories;
    this.handleUnknown = fields.handleUnknown;
    this.drop = fields.drop;
    this.dropIdx = fields.dropIdx;
    this.featureNamesIn = fields.featureNamesIn;
    this.nFeaturesIn = fields.categories.length;
    this.index = fields.categories.map(categoryIndex);
    this.offsets = new Int32Array(this.nFeaturesIn + 1);
    for (let j = 0; j < this.nFeaturesIn; j++) {
      this.offsets[j + 1] = this.offsets[j] + this.categories[j].length - (this.dropped(j) >= 0 ? 1 : 0);
    }
    this.nFeaturesOut = this.offsets[this.nFeaturesIn];
  }

  private dropped(j: number): number {
    const d = this.dropIdx ? this.dropIdx[j] : null;
    return d === null || d === undefined ? -1 : d;
  }

  /** One column per (kept) category; unknown categories throw or give zeros per `handleUnknown`. */
  transform(X: TableLike): Matrix {
    const f = encoderInput(X, this.nFeaturesIn, this.featureNamesIn);
    const codes = encodeCodes(f, this.index, this.handleUnknown === "error");
    const n = f.rows;
    const p = this.nFeaturesIn;
    const w = this.nFeaturesOut;
    const out = new Float64Array(n * w);
    for (let j = 0; j < p; j++) {
      const d = this.dropped(j);
      const off = this.offsets[j];
      for (let i = 0; i < n; i++) {
        const k = codes[i * p + j];
        if (k < 0 || k === d) continue;
        out[i * w + off + (d >= 0 && k > d ? k - 1 : k)] = 1;
      }
    }
    return { rows: n, cols: w, data: out };
  }

  /**
   * Back to categories, as a `Frame` named like the input. Per feature the largest entry wins (first on
   * ties); an all-zero block means the dropped category if there is one, else an unknown category
   * (`null` / NaN) with `handleUnknown: "ignore"`, else an error.
   */
  inverseTransform(X: MatrixLike): Frame {
    const m = asMatrix(X, { cols: this.nFeaturesOut, name: "X" });
    const n = m.rows;
    const w = this.nFeaturesOut;
    const names = this.featureNamesIn ? [...this.featureNamesIn] : defaultNames(this.nFeaturesIn);
    const columns: Column[] = [];
    for (let j = 0; j < this.nFeaturesIn; j++) {
      const cats = this.categories[j];
      const col = emptyLike(cats, n);
      const d = this.dropped(j);
      const off = this.offsets[j];
      const width = this.offsets[j + 1] - off;
      for (let i = 0; i < n; i++) {
        let best = -1;
        let bestValue = Number.NEGATIVE_INFINITY;
        let sum = 0;
        for (let c = 0; c < width; c++) {
          const v = m.data[i * w + off + c];
          sum += v;
          if (v > bestValue) {
            bestValue = v;
            best = c;
          }
        }
        let k: number;
        if (width === 0) k = d;
        else if (sum === 0) {
          if (d >= 0) k = d;
          else if (this.handleUnknown === "ignore") k = -1;
          else {
            throw new ValidationError(
              `invalid X: row ${i} is all zeros for feature ${j} (${names[j]}); it cannot be inverted when drop is null and handleUnknown is "error"`,
            );
          }
        } else k = d >= 0 && best >= d ? best + 1 : best;
        col[i] = k < 0 ? (isNumericColumn(cats) ? Number.NaN : null) : cats[k];
      }
      columns.push(col);
    }
    return { names, columns, rows: n };
  }

  /** `feature_category` per output column (`color_red`, `sex_nan` for missing); input names default to the fitted ones or `x0`, `x1`, .... */
  getFeatureNamesOut(inputFeatures?: readonly string[]): string[] {
    const names = inputNames(inputFeatures, this.featureNamesIn, this.nFeaturesIn);
    const out: string[] = [];
    for (let j = 0; j < this.nFeaturesIn; j++) {
      const d = this.dropped(j);
      const cats = this.categories[j];
      for (let k = 0; k < cats.length; k++) if (k !== d) out.push(`${names[j]}_${categoryName(cats[k])}`);
    }
    return out;
  }

  toJSON() {
    return {
      type: "OneHotEncoderModel",
      version: 1,
      categories: this.categories.map(encodeCategories),
      handleUnknown: this.handleUnknown,
      drop: this.drop,
      dropIdx: this.dropIdx ? [...this.dropIdx] : null,
      featureNamesIn: this.featureNamesIn ? [...this.featureNamesIn] : null,
    };
  }

  static fromJSON(json: unknown): OneHotEncoderModel {
    const j = expectJSON(json, "OneHotEncoderModel");
    if (!Array.isArray(j.categories)) throw new ValidationError("invalid model JSON: categories is not an array");
    const categories = j.categories.map((c, k) => decodeCategories(c, `categories[${k}]`));
    const drop = j.drop === null ? null : readString<"first" | "ifBinary">(j, "drop", ["first", "ifBinary"]);
    let dropIdx: (number | null)[] | null = null;
    if (j.dropIdx !== null) {
      if (!Array.isArray(j.dropIdx) || j.dropIdx.length !== categories.length) {
        throw new ValidationError("invalid model JSON: dropIdx is not one entry per feature");
      }
      dropIdx = j.dropIdx.map((d, k) => {
        if (d === null) return null;
        if (typeof d !== "number" || !Number.isInteger(d) || d < 0 || d >= categories[k].length) {
          throw new ValidationError(`invalid model JSON: dropIdx[${k}] is ${JSON.stringify(d)}`);
        }
        return d;
      });
    }
    const featureNamesIn = readNames(j.featureNamesIn, "featureNamesIn");
    if (featureNamesIn && featureNamesIn.length !== categories.length) {
      throw new ValidationError("invalid model JSON: featureNamesIn does not match categories");
    }
    return new OneHotEncoderModel({
      categories,
      handleUnknown: readString(j, "handleUnknown", ["error", "ignore"] as const),
      drop,
      dropIdx,
      featureNamesIn,
    });
  }
}

registerModel("OneHotEncoderModel", (json) => OneHotEncoderModel.fromJSON(json));
