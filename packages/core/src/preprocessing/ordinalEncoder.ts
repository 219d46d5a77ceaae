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
  decodeCategories,
  decodeNumber,
  emptyLike,
  encodeCategories,
  encodeCodes,
  encodeNumber,
  encoderInput,
  expectJSON,
  fitCategories,
  inputNames,
  isMissing,
  readNames,
  readString,
} from "./internal.js";

/** What `OrdinalEncoder` does with a category not seen in fit. */
export type OrdinalHandleUnknown = "error" | "useEncodedValue";

/** Options for `OrdinalEncoder`. */
export interface OrdinalEncoderOptions {
  /**
   * `"error"`: an unknown category throws, naming the value and column. `"useEncodedValue"`: it is
   * encoded as `unknownValue`. Default `"error"`.
   */
  handleUnknown?: OrdinalHandleUnknown;
  /**
   * Code for unknown categories; required with `handleUnknown: "useEncodedValue"` (an integer that is not
   * a code of a known category, or NaN) and not allowed otherwise. No default.
   */
  unknownValue?: number;
  /**
   * Code for missing values (`null`, NaN): an integer that is not a code of a known category, or NaN.
   * Default NaN.
   */
  encodedMissingValue?: number;
  /** `"auto"` (sorted unique values, missing last) or one explicit list per feature. Default `"auto"`. */
  categories?: CategoriesOption;
}

/**
 * Encodes each categorical feature as the integer index of its category (in `categories` order), as
 * scikit-learn's `OrdinalEncoder`. Output is a float `Matrix` (codes, `encodedMissingValue`, `unknownValue`).
 *
 * Input (`TableLike`): a `Frame`, an array of rows of `string | number | boolean | null`, or a numeric matrix.
 * Missing values are a category of their own in `categories` (last), but encode as `encodedMissingValue`.
 */
export class OrdinalEncoder {
  readonly acceptsFrame = true as const;
  readonly options: Readonly<OrdinalEncoderOptions>;

  constructor(options: OrdinalEncoderOptions = {}) {
    this.options = { ...options };
  }

  fit(X: TableLike): OrdinalEncoderModel {
    const {
      handleUnknown = "error",
      unknownValue,
      encodedMissingValue = Number.NaN,
      categories = "auto",
    } = this.options;
    checkChoice(handleUnknown, "handleUnknown", ["error", "useEncodedValue"]);
    let unknown = Number.NaN;
    if (handleUnknown === "useEncodedValue") {
      if (typeof unknownValue !== "number" || !(Number.isInteger(unknownValue) || Number.isNaN(unknownValue))) {
        throw invalid("unknownValue", unknownValue, 'must be an integer or NaN with handleUnknown "useEncodedValue"');
      }
      unknown = unknownValue;
    } else if (unknownValue !== undefined) {
      throw invalid("unknownValue", unknownValue, 'only used with handleUnknown "useEncodedValue"');
    }
    if (
      typeof encodedMissingValue !== "number" ||
      !(Number.isInteger(encodedMissingValue) || Number.isNaN(encodedMissingValue))
    ) {
      throw invalid("encodedMissingValue", encodedMissingValue, "must be an integer or NaN");
    }
    const f = asFrame(X);
    if (f.rows === 0) throw new ValidationError("invalid X: empty (0 rows; at least 1 required)");
    if (f.columns.length === 0) throw new ValidationError("invalid X: no columns (at least 1 feature required)");
    const cats = fitCategories(f, categories, handleUnknown === "error");
    // Codes of known (non-missing) categories are 0 .. cardinality - 1.
    const cardinality = cats.map((c) => c.length - (c.length > 0 && isMissing(c[c.length - 1]) ? 1 : 0));
    if (handleUnknown === "useEncodedValue") {
      for (let j = 0; j < cats.length; j++) {
        if (unknown >= 0 && unknown < cardinality[j]) {
          throw invalid(
            "unknownValue",
            unknown,
            `already the code of category ${String(cats[j][unknown])} in column ${j} (${f.names[j]})`,
          );
        }
      }
    }
    for (let j = 0; j < cats.length; j++) {
      const c = cats[j];
      const hasMissing = c.length > 0 && isMissing(c[c.length - 1]);
      if (hasMissing && encodedMissingValue >= 0 && encodedMissingValue < cardinality[j]) {
        throw invalid(
          "encodedMissingValue",
          encodedMissingValue,
          `already the code of a known category in column ${j} (${f.names[j]})`,
        );
      }
    }
    return new OrdinalEncoderModel({
      categories: cats,
      handleUnknown,
      unknownValue: unknown,
      encodedMissingValue,
      featureNamesIn: isFrame(X) ? [...f.names] : null,
    });
  }

  fitTransform(X: TableLike): { model: OrdinalEncoderModel; output: Matrix } {
    const model = this.fit(X);
    return { model, output: model.transform(X) };
  }
}

/** A fitted `OrdinalEncoder`. */
export class OrdinalEncoderModel implements TransformerModel {
  readonly acceptsFrame = true as const;
  /** Categories per feature; a category's code is its index (missing last, encoded as `encodedMissingValue`). */
  readonly categories: readonly Column[];
  readonly handleUnknown: OrdinalHandleUnknown;
  /** Code of unknown categories (NaN when `handleUnknown` is `"error"`). */
  readonly unknownValue: number;
  readonly encodedMissingValue: number;
  /** Column names seen in fit when it got a `Frame`, else null. */
  readonly featureNamesIn: readonly string[] | null;
  readonly nFeaturesIn: number;
  private readonly index: readonly CategoryIndex[];

  constructor(fields: {
    categories: readonly Column[];
    handleUnknown: OrdinalHandleUnknown;
    unknownValue: number;
    encodedMissingValue: number;
    featureNamesIn: readonly string[] | null;
  }) {
    this.categories = fields.categories;
    this.handleUnknown = fields.handleUnknown;
    this.unknownValue = fields.unknownValue;
    this.encodedMissingValue = fields.encodedMissingValue;
    this.featureNamesIn = fields.featureNamesIn;
    this.nFeaturesIn = fields.categories.length;
    this.index = fields.categories.map(categoryIndex);
  }

  /** One column of codes per feature. */
  transform(X: TableLike): Matrix {
    const f = encoderInput(X, this.nFeaturesIn, this.featureNamesIn);
    const codes = encodeCodes(f, this.index, this.handleUnknown === "error");
    const out = new Float64Array(codes.length);
    const p = this.nFeaturesIn;
    for (let q = 0; q < codes.length; q++) {
      const k = codes[q];
      const missing = this.index[q % p].missing;
      out[q] = k < 0 ? this.unknownValue : k === missing ? this.encodedMissingValue : k;
    }
    return { rows: f.rows, cols: p, data: out };
  }

  /**
   * Codes back to categories, as a `Frame` named like the input: `unknownValue` gives `null` (NaN in a
   * numeric column), `encodedMissingValue` the missing value; other codes must be valid indices.
   */
  inverseTransform(X: MatrixLike): Frame {
    const m = asMatrix(X, { cols: this.nFeaturesIn, allowNaN: true });
    const n = m.rows;
    const p = this.nFeaturesIn;
    const names = this.featureNamesIn ? [...this.featureNamesIn] : defaultNames(p);
    const columns: Column[] = [];
    const same = (a: number, b: number) => a === b || (Number.isNaN(a) && Number.isNaN(b));
    for (let j = 0; j < p; j++) {
      const cats = this.categories[j];
      const missingIdx = this.index[j].missing;
      const numeric = isNumericColumn(cats);
      const col = emptyLike(cats, n);
      for (let i = 0; i < n; i++) {
        const v = m.data[i * p + j];
        let value: string | number | null;
        if (missingIdx >= 0 && same(v, this.encodedMissingValue)) value = cats[missingIdx];
        else if (this.handleUnknown === "useEncodedValue" && same(v, this.unknownValue)) value = null;
        else if (Number.isInteger(v) && v >= 0 && v < cats.length && v !== missingIdx) value = cats[v];
        else {
          throw new ValidationError(
            `invalid X: code ${v} at row ${i}, column ${j} (${names[j]}) is not a category code of this encoder`,
          );
        }
        (col as (string | number | null)[])[i] = value === null && numeric ? Number.NaN : value;
      }
      columns.push(col);
    }
    return { names, columns, rows: n };
  }

  /** The input feature names (fitted `Frame` names, or `x0`, `x1`, ...). */
  getFeatureNamesOut(inputFeatures?: readonly string[]): string[] {
    return inputNames(inputFeatures, this.featureNamesIn, this.nFeaturesIn);
  }

  toJSON() {
    return {
      type: "OrdinalEncoderModel",
      version: 1,
      categories: this.categories.map(encodeCategories),
      handleUnknown: this.handleUnknown,
      unknownValue: encodeNumber(this.unknownValue),
      encodedMissingValue: encodeNumber(this.encodedMissingValue),
      featureNamesIn: this.featureNamesIn ? [...this.featureNamesIn] : null,
    };
  }

  static fromJSON(json: unknown): OrdinalEncoderModel {
    const j = expectJSON(json, "OrdinalEncoderModel");
    if (!Array.isArray(j.categories)) throw new ValidationError("invalid model JSON: categories is not an array");
    const categories = j.categories.map((c, k) => decodeCategories(c, `categories[${k}]`));
    const featureNamesIn = readNames(j.featureNamesIn, "featureNamesIn");
    if (featureNamesIn && featureNamesIn.length !== categories.length) {
      throw new ValidationError("invalid model JSON: featureNamesIn does not match categories");
    }
    return new OrdinalEncoderModel({
      categories,
      handleUnknown: readString(j, "handleUnknown", ["error", "useEncodedValue"] as const),
      unknownValue: decodeNumber(j.unknownValue, "unknownValue"),
      encodedMissingValue: decodeNumber(j.encodedMissingValue, "encodedMissingValue"),
      featureNamesIn,
    });
  }
}

registerModel("OrdinalEncoderModel", (json) => OrdinalEncoderModel.fromJSON(json));
