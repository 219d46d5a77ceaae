import { invalid, ValidationError } from "../errors.js";
import type { ModelJSON, Transformer, TransformerModel } from "../estimator.js";
import type { Matrix } from "../matrix.js";
import { modelFromJSON, registerModel } from "../serialize.js";
import {
  acceptsFrame,
  asFrame,
  checkFrame,
  type Frame,
  frameToMatrix,
  isFrame,
  isNumericColumn,
  type TableLike,
} from "./frame.js";
import { expectJSON, readBool, readNames, readString } from "./internal.js";

/** Columns chosen for one transformer: names, or 0-based positions. */
export type ColumnSelection = readonly string[] | readonly number[];

/** One entry of `ColumnTransformerOptions.transformers`. */
export interface ColumnTransformerEntry {
  /** Unique name; prefixes the output feature names (`num__bill_length_mm`). Not `"remainder"`, no `"__"`. */
  name: string;
  /**
   * An unfitted transformer, `"passthrough"` (numeric columns copied as they are) or `"drop"`.
   * Table-aware transformers (encoders, pipelines starting with one: `acceptsFrame`) receive the selected
   * columns as a `Frame`; the others receive them as a numeric `Matrix` (string columns are an error).
   */
  transformer: Transformer | "passthrough" | "drop";
  /** The input columns this transformer sees. */
  columns: ColumnSelection;
}

/** Options for `ColumnTransformer`. */
export interface ColumnTransformerOptions {
  /** The transformers, applied to their columns; outputs are concatenated in this order. */
  transformers: readonly ColumnTransformerEntry[];
  /** What happens to columns no transformer selected: dropped, or appended (numeric only) after the outputs. Default `"drop"`. */
  remainder?: "drop" | "passthrough";
  /** Prefix output feature names with the transformer name (`num__x`); else they must be unique. Default true. */
  verboseFeatureNamesOut?: boolean;
}

/** A fitted entry of a `ColumnTransformerModel`. */
export interface FittedColumnEntry {
  readonly name: string;
  /** The selected input columns, by name. */
  readonly columns: readonly string[];
  readonly model: TransformerModel | "passthrough" | "drop";
  /** Number of output columns of this entry. */
  readonly nFeaturesOut: number;
}

/**
 * Applies different transformers to different columns of a table and concatenates the results into
 * one numeric `Matrix`, as scikit-learn's `ColumnTransformer` (dense output). Typical use: impute and
 * scale the numeric columns, one-hot encode the categorical ones.
 *
 * Input: a `Frame` (columns selected by name or position) or any `TableLike` (columns named `x0`, ...).
 * At transform time a `Frame` is matched by column name (extra columns are ignored); other input must
 * have the same number of columns as in fit.
 */
export class ColumnTransformer {
  readonly acceptsFrame = true as const;
  readonly options: Readonly<ColumnTransformerOptions>;

  constructor(options: ColumnTransformerOptions) {
    this.options = { ...options };
  }

  fit(X: TableLike): ColumnTransformerModel {
    return this.fitTransform(X).model;
  }

  fitTransform(X: TableLike): { model: ColumnTransformerModel; output: Matrix } {
    const { transformers, remainder = "drop", verboseFeatureNamesOut = true } = this.options ?? {};
    if (!Array.isArray(transformers)) throw invalid("transformers", transformers, "must be an array of entries");
    if (remainder !== "drop" && remainder !== "passthrough") {
      throw invalid("remainder", remainder, 'must be "drop" or "passthrough"');
    }
    if (typeof verboseFeatureNamesOut !== "boolean") {
      throw invalid("verboseFeatureNamesOut", verboseFeatureNamesOut, "must be a boolean");
    }
    const seen = new Set<string>();
    for (const e of transformers) {
      if (typeof e !== "object" || e === null) throw invalid("transformers", e, "each entry must be an object");
      if (typeof e.name !== "string" || e.name === "" || e.name.includes("__") || e.name === "remainder") {
        throw invalid("name", e.name, 'a transformer name must be a non-empty string without "__", not "remainder"');
      }
      if (seen.has(e.name)) throw invalid("name", e.name, "transformer names must be unique");
      seen.add(e.name);
      const t = e.transformer;
      if (t !== "passthrough" && t !== "drop" && (typeof t !== "object" || t === null || typeof t.fit !== "function")) {
        throw invalid(`transformer of "${e.name}"`, t, 'must be a transformer, "passthrough" or "drop"');
      }
    }
    const f = asFrame(X);
    if (f.rows === 0) throw new ValidationError("invalid X: empty (0 rows; at least 1 required)");
    const used = new Uint8Array(f.columns.length);
    const selections = transformers.map((e) => {
      const idx = resolveColumns(e, f);
      for (const j of idx) used[j] = 1;
      return idx;
    });
    const remainderColumns: number[] = [];
    for (let j = 0; j < f.columns.length; j++) if (!used[j]) remainderColumns.push(j);

    const entries: FittedEntry[] = [];
    const outputs: Matrix[] = [];
    transformers.forEach((e, k) => {
      const idx = selections[k];
      const sub = subFrame(f, idx);
      if (e.transformer === "drop" || idx.length === 0) {
        entries.push({ name: e.name, indices: idx, model: "drop", nFeaturesOut: 0 });
        return;
      }
      if (e.transformer === "passthrough") {
        const out = numericInput(sub, e.name, "passthrough");
        entries.push({ name: e.name, indices: idx, model: "passthrough", nFeaturesOut: out.cols });
        outputs.push(out);
        return;
      }
      const t = e.transformer;
      const input = acceptsFrame(t) ? sub : numericInput(sub, e.name, transformerLabel(t));
      const model = t.fit(input as never) as TransformerModel;
      if (typeof model?.transform !== "function") {
        throw invalid(`transformer of "${e.name}"`, transformerLabel(t), "its fitted model has no transform");
      }
      const out = model.transform(input as never);
      entries.push({ name: e.name, indices: idx, model, nFeaturesOut: out.cols });
      outputs.push(out);
    });
    if (remainder === "passthrough" && remainderColumns.length > 0) {
      outputs.push(numericInput(subFrame(f, remainderColumns), "remainder", "passthrough"));
    }
    const model = new ColumnTransformerModel({
      featureNamesIn: [...f.names],
      entries,
      remainder,
      remainderColumns,
      verboseFeatureNamesOut,
    });
    return { model, output: hstack(outputs, f.rows) };
  }
}

interface FittedEntry {
  name: string;
  indices: readonly number[];
  model: TransformerModel | "passthrough" | "drop";
  nFeaturesOut: number;
}

function transformerLabel(t: unknown): string {
  const name = (t as { constructor?: { name?: string } })?.constructor?.name;
  return name && name !== "Object" ? name : "transformer";
}

function resolveColumns(e: ColumnTransformerEntry, f: Frame): number[] {
  const cols = e.columns;
  if (!Array.isArray(cols)) throw invalid(`columns of "${e.name}"`, cols, "must be an array of names or positions");
  const out: number[] = [];
  for (const c of cols as readonly (string | number)[]) {
    let j: number;
    if (typeof c === "string") {
      j = f.names.indexOf(c);
      if (j < 0) throw invalid(`columns of "${e.name}"`, c, `not a column of X; columns: ${f.names.join(", ")}`);
    } else if (typeof c === "number" && Number.isInteger(c) && c >= 0 && c < f.columns.length) {
      j = c;
    } else {
      throw invalid(`columns of "${e.name}"`, c, `must be a column name or an integer in [0, ${f.columns.length - 1}]`);
    }
    if (out.includes(j)) throw invalid(`columns of "${e.name}"`, c, "selected twice");
    out.push(j);
  }
  return out;
}

function subFrame(f: Frame, idx: readonly number[]): Frame {
  return { names: idx.map((j) => f.names[j]), columns: idx.map((j) => f.columns[j]), rows: f.rows };
}

function numericInput(sub: Frame, entry: string, what: string): Matrix {
  for (let j = 0; j < sub.columns.length; j++) {
    if (!isNumericColumn(sub.columns[j])) {
      throw new ValidationError(
        `invalid X: column "${sub.names[j]}" holds strings, but "${entry}" (${what}) needs numbers; use an encoder for it`,
      );
    }
  }
  return frameToMatrix(sub);
}

function hstack(parts: readonly Matrix[], rows: number): Matrix {
  let cols = 0;
  for (const p of parts) {
    if (p.rows !== rows) throw new ValidationError(`invalid transformer output: ${p.rows} rows, expected ${rows}`);
    cols += p.cols;
  }
  const data = new Float64Array(rows * cols);
  let off = 0;
  for (const p of parts) {
    for (let i = 0; i < rows; i++) data.set(p.data.subarray(i * p.cols, (i + 1) * p.cols), i * cols + off);
    off += p.cols;
  }
  return { rows, cols, data };
}

/** A fitted `ColumnTransformer`. */
export class ColumnTransformerModel implements TransformerModel {
  readonly acceptsFrame = true as const;
  /** Input column names seen in fit (`x0`, ... for non-`Frame` input). */
  readonly featureNamesIn: readonly string[];
  readonly nFeaturesIn: number;
  readonly nFeaturesOut: number;
  /** The fitted entries, in output order. */
  readonly transformers: readonly FittedColumnEntry[];
  readonly remainder: "drop" | "passthrough";
  /** Columns no transformer selected (passed through when `remainder` is `"passthrough"`). */
  readonly remainderColumns: readonly string[];
  readonly verboseFeatureNamesOut: boolean;
  private readonly entries: readonly FittedEntry[];
  private readonly remainderIdx: readonly number[];

  constructor(fields: {
    featureNamesIn: readonly string[];
    entries: readonly FittedEntry[];
    remainder: "drop" | "passthrough";
    remainderColumns: readonly number[];
    verboseFeatureNamesOut: boolean;
  }) {
    this.featureNamesIn = fields.featureNamesIn;
    this.nFeaturesIn = fields.featureNamesIn.length;
    this.entries = fields.entries;
    this.remainder = fields.remainder;
    this.remainderIdx = fields.remainderColumns;
    this.verboseFeatureNamesOut = fields.verboseFeatureNamesOut;
    this.transformers = fields.entries.map((e) => ({
      name: e.name,
      columns: e.indices.map((j) => this.featureNamesIn[j]),
      model: e.model,
      nFeaturesOut: e.nFeaturesOut,
    }));
    this.remainderColumns = this.remainderIdx.map((j) => this.featureNamesIn[j]);
    let n = 0;
    for (const e of fields.entries) n += e.nFeaturesOut;
    if (this.remainder === "passthrough") n += this.remainderIdx.length;
    this.nFeaturesOut = n;
  }

  /** The fitted model of the entry called `name` (or `"passthrough"` / `"drop"`). */
  transformer(name: string): TransformerModel | "passthrough" | "drop" {
    const e = this.entries.find((x) => x.name === name);
    if (!e) {
      throw invalid("name", name, `no such transformer; names: ${this.entries.map((x) => x.name).join(", ")}`);
    }
    return e.model;
  }

  transform(X: TableLike): Matrix {
    const f = this.align(X);
    const outputs: Matrix[] = [];
    for (const e of this.entries) {
      if (e.model === "drop") continue;
      const sub = subFrame(f, e.indices);
      if (e.model === "passthrough") {
        outputs.push(numericInput(sub, e.name, "passthrough"));
        continue;
      }
      const input = acceptsFrame(e.model) ? sub : numericInput(sub, e.name, transformerLabel(e.model));
      outputs.push(e.model.transform(input as never));
    }
    if (this.remainder === "passthrough" && this.remainderIdx.length > 0) {
      outputs.push(numericInput(subFrame(f, this.remainderIdx), "remainder", "passthrough"));
    }
    return hstack(outputs, f.rows);
  }

  /** The input as a frame with the fitted column order (a `Frame` is matched by name). */
  private align(X: TableLike): Frame {
    if (isFrame(X)) {
      checkFrame(X);
      const pos = new Map<string, number>();
      for (let j = 0; j < X.names.length; j++) pos.set(X.names[j], j);
      const columns = this.featureNamesIn.map((n) => {
        const j = pos.get(n);
        if (j === undefined) {
          throw new ValidationError(`invalid X: column ${JSON.stringify(n)} (seen in fit) is missing`);
        }
        return X.columns[j];
      });
      return { names: [...this.featureNamesIn], columns, rows: X.rows };
    }
    const f = asFrame(X);
    if (f.columns.length !== this.nFeaturesIn) {
      throw new ValidationError(
        `invalid X: ${f.columns.length} features, expected ${this.nFeaturesIn} (as seen in fit)`,
      );
    }
    return { names: [...this.featureNamesIn], columns: f.columns, rows: f.rows };
  }

  /**
   * Output column names: each transformer's names prefixed with `name__` (and `remainder__` for passed
   * through columns); without `verboseFeatureNamesOut`, the bare names, which must then be unique.
   * A transformer without `getFeatureNamesOut` gives `<type>0`, `<type>1`, ... (`pca0`).
   */
  getFeatureNamesOut(): string[] {
    const out: string[] = [];
    const push = (prefix: string, names: readonly string[]) => {
      for (const n of names) out.push(this.verboseFeatureNamesOut ? `${prefix}__${n}` : n);
    };
    for (const e of this.transformers) {
      if (e.model === "drop") continue;
      if (e.model === "passthrough") {
        push(e.name, e.columns);
        continue;
      }
      const m = e.model as TransformerModel & { getFeatureNamesOut?: (names?: readonly string[]) => string[] };
      if (typeof m.getFeatureNamesOut === "function") push(e.name, m.getFeatureNamesOut([...e.columns]));
      else {
        const prefix = m
          .toJSON()
          .type.replace(/Model$/, "")
          .toLowerCase();
        push(
          e.name,
          Array.from({ length: e.nFeaturesOut }, (_, i) => `${prefix}${i}`),
        );
      }
    }
    if (this.remainder === "passthrough") push("remainder", this.remainderColumns);
    if (!this.verboseFeatureNamesOut) {
      const seen = new Set<string>();
      for (const n of out) {
        if (seen.has(n)) {
          throw new ValidationError(
            `invalid feature names: ${JSON.stringify(n)} appears twice; set verboseFeatureNamesOut to prefix names`,
          );
        }
        seen.add(n);
      }
    }
    return out;
  }

  toJSON() {
    return {
      type: "ColumnTransformerModel",
      version: 1,
      featureNamesIn: [...this.featureNamesIn],
      transformers: this.entries.map((e) => ({
        name: e.name,
        columns: [...e.indices],
        model: typeof e.model === "string" ? e.model : e.model.toJSON(),
        nFeaturesOut: e.nFeaturesOut,
      })),
      remainder: this.remainder,
      remainderColumns: [...this.remainderIdx],
      verboseFeatureNamesOut: this.verboseFeatureNamesOut,
    };
  }

  static fromJSON(json: unknown): ColumnTransformerModel {
    const j = expectJSON(json, "ColumnTransformerModel");
    const featureNamesIn = readNames(j.featureNamesIn, "featureNamesIn");
    if (!featureNamesIn) throw new ValidationError("invalid model JSON: featureNamesIn is missing");
    const p = featureNamesIn.length;
    const indices = (v: unknown, name: string): number[] => {
      if (!Array.isArray(v) || v.some((k) => typeof k !== "number" || !Number.isInteger(k) || k < 0 || k >= p)) {
        throw new ValidationError(`invalid model JSON: ${name} is not a list of column positions`);
      }
      return [...(v as number[])];
    };
    if (!Array.isArray(j.transformers)) throw new ValidationError("invalid model JSON: transformers is not an array");
    const entries: FittedEntry[] = j.transformers.map((t: unknown, k: number) => {
      const e = t as { name?: unknown; columns?: unknown; model?: unknown; nFeaturesOut?: unknown };
      if (typeof e !== "object" || e === null || typeof e.name !== "string") {
        throw new ValidationError(`invalid model JSON: transformers[${k}] is not an entry`);
      }
      const model =
        e.model === "passthrough" || e.model === "drop"
          ? e.model
          : modelFromJSON<TransformerModel>(e.model as ModelJSON);
      const nOut = e.nFeaturesOut;
      if (typeof nOut !== "number" || !Number.isInteger(nOut) || nOut < 0) {
        throw new ValidationError(`invalid model JSON: transformers[${k}].nFeaturesOut is not an integer`);
      }
      return { name: e.name, indices: indices(e.columns, `transformers[${k}].columns`), model, nFeaturesOut: nOut };
    });
    return new ColumnTransformerModel({
      featureNamesIn,
      entries,
      remainder: readString(j, "remainder", ["drop", "passthrough"] as const),
      remainderColumns: indices(j.remainderColumns, "remainderColumns"),
      verboseFeatureNamesOut: readBool(j, "verboseFeatureNamesOut"),
    });
  }
}

registerModel("ColumnTransformerModel", (json) => ColumnTransformerModel.fromJSON(json));
