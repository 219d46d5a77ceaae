import { invalid, ValidationError } from "../errors.js";
import type { ModelJSON } from "../estimator.js";
import { decodeFloats, encodeFloats, registerModel } from "../serialize.js";
import { checkChoice, checkInt } from "../validate.js";
import type { CsrMatrix } from "./csrMatrix.js";

/**
 * A document-frequency bound: a plain integer is a number of documents; a number strictly between 0
 * and 1, or `{ proportion }` with a proportion in [0, 1], is a share of the documents (scikit-learn's
 * int / float distinction; `{ proportion: 1 }` is how to write its float `1.0`).
 */
export type DocumentFrequencyBound = number | { proportion: number };

/** Options for `TfidfVectorizer` (names and semantics follow scikit-learn 1.9's `TfidfVectorizer`). */
export interface TfidfVectorizerOptions {
  /**
   * Drop terms found in fewer documents than this (a count, or a proportion of the documents rounded
   * as scikit-learn does: `proportion * nDocuments`, compared without rounding). Default 1.
   */
  minDf?: DocumentFrequencyBound;
  /**
   * Drop terms found in more documents than this (a count or a proportion, as `minDf`). Default
   * `{ proportion: 1 }` (no limit).
   */
  maxDf?: DocumentFrequencyBound;
  /**
   * Keep only the terms with the highest total count over the corpus (after the document-frequency
   * bounds; ties broken by term order, where scikit-learn's order among ties is unspecified). Default
   * null (all).
   */
  maxFeatures?: number | null;
  /** Use `1 + ln(tf)` instead of the raw count tf. Default false. */
  sublinearTf?: boolean;
  /** Count every term once per document (tf is 0 or 1). Default false. */
  binary?: boolean;
  /** Weight by the inverse document frequency. Default true. */
  useIdf?: boolean;
  /**
   * Smooth the idf as if one extra document held every term once: `ln((1 + n) / (1 + df)) + 1`;
   * otherwise `ln(n / df) + 1`. Default true.
   */
  smoothIdf?: boolean;
  /** Scale each row to unit `"l2"` or `"l1"` norm, or leave it (`null`). Default `"l2"`. */
  norm?: "l2" | "l1" | null;
}

/** Resolves a document-frequency bound to a (possibly fractional) number of documents. */
function documentCount(bound: DocumentFrequencyBound, nDocs: number, name: string): number {
  if (typeof bound === "number") {
    if (!Number.isFinite(bound) || bound < 0)
      throw invalid(name, bound, "must be a count >= 0 or a proportion in [0, 1]");
    if (Number.isInteger(bound)) return bound;
    if (bound > 1) throw invalid(name, bound, "must be an integer count or a proportion in [0, 1]");
    return bound * nDocs;
  }
  if (typeof bound !== "object" || bound === null || typeof bound.proportion !== "number") {
    throw invalid(name, bound, "must be a number or { proportion }");
  }
  const p = bound.proportion;
  if (!Number.isFinite(p) || p < 0 || p > 1) throw invalid(`${name}.proportion`, p, "must be in [0, 1]");
  return p * nDocs;
}

function checkBoolean(value: unknown, name: string): boolean {
  if (typeof value !== "boolean") throw invalid(name, value, "must be a boolean");
  return value;
}

function checkDocuments(documents: readonly (readonly string[])[]): void {
  if (!Array.isArray(documents)) throw invalid("documents", documents, "must be an array of token arrays");
  for (let i = 0; i < documents.length; i++) {
    const d = documents[i];
    if (!Array.isArray(d)) throw new ValidationError(`invalid documents: document ${i} is not an array of tokens`);
    for (const t of d) {
      if (typeof t !== "string") throw new ValidationError(`invalid documents: document ${i} has a non-string token`);
    }
  }
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * TF-IDF weighting of tokenised documents (scikit-learn's `TfidfVectorizer` on documents that are
 * already token lists, i.e. with a pass-through analyzer): the vocabulary is every token kept by the
 * document-frequency bounds and `maxFeatures`, sorted; each document becomes a row of
 * `tf * idf` normalised to unit length. Tokenise with `createTokenizer` first.
 *
 * ```ts
 * const tokenize = createTokenizer();
 * const docs = texts.map(tokenize);
 * const { model, matrix } = new TfidfVectorizer({ sublinearTf: true, minDf: 2 }).fitTransform(docs);
 * model.vocabulary; // sorted terms; matrix is a CsrMatrix (documents x terms)
 * ```
 */
export class TfidfVectorizer {
  readonly options: Readonly<TfidfVectorizerOptions>;

  constructor(options: TfidfVectorizerOptions = {}) {
    this.options = { ...options };
  }

  /** Learns the vocabulary and idf weights of `documents` (arrays of tokens). */
  fit(documents: readonly (readonly string[])[]): TfidfVectorizerModel {
    return this.fitTransform(documents).model;
  }

  /** Learns the vocabulary and idf and returns them with the TF-IDF matrix of `documents`. */
  fitTransform(documents: readonly (readonly string[])[]): { model: TfidfVectorizerModel; matrix: CsrMatrix } {
    const o = this.options;
    const sublinearTf = checkBoolean(o.sublinearTf ?? false, "sublinearTf");
    const binary = checkBoolean(o.binary ?? false, "binary");
    const useIdf = checkBoolean(o.useIdf ?? true, "useIdf");
    const smoothIdf = checkBoolean(o.smoothIdf ?? true, "smoothIdf");
    const norm = o.norm === undefined ? "l2" : o.norm === null ? null : checkChoice(o.norm, "norm", ["l2", "l1"]);
    const maxFeatures = o.maxFeatures == null ? null : checkInt(o.maxFeatures, "maxFeatures", 1);
    checkDocuments(documents);
    const n = documents.length;
    if (n === 0) throw new ValidationError("invalid documents: empty (0 documents; at least 1 required)");
    const maxDocs = documentCount(o.maxDf ?? { proportion: 1 }, n, "maxDf");
    const minDocs = documentCount(o.minDf ?? 1, n, "minDf");
    if (maxDocs < minDocs) {
      throw new ValidationError(
        `invalid maxDf: corresponds to fewer documents (${maxDocs}) than minDf (${minDocs}) for ${n} documents`,
      );
    }

    // Count every term: document frequency and total count.
    const ids = new Map<string, number>();
    const terms: string[] = [];
    const df: number[] = [];
    const total: number[] = [];
    const lastDoc: number[] = [];
    for (let i = 0; i < n; i++) {
      for (const t of documents[i]) {
        let id = ids.get(t);
        if (id === undefined) {
          id = terms.length;
          ids.set(t, id);
          terms.push(t);
          df.push(0);
          total.push(0);
          lastDoc.push(-1);
        }
        total[id]++;
        if (lastDoc[id] !== i) {
          lastDoc[id] = i;
          df[id]++;
        }
      }
    }
    if (terms.length === 0) {
      throw new ValidationError("invalid documents: empty vocabulary (the documents hold no tokens)");
    }
    let kept: number[] = [];
    for (let id = 0; id < terms.length; id++) if (df[id] <= maxDocs && df[id] >= minDocs) kept.push(id);
    if (maxFeatures !== null && kept.length > maxFeatures) {
      kept.sort((a, b) => total[b] - total[a] || compareStrings(terms[a], terms[b]));
      kept = kept.slice(0, maxFeatures);
    }
    if (kept.length === 0) {
      throw new ValidationError("After pruning, no terms remain. Try a lower minDf or a higher maxDf.");
    }
    kept.sort((a, b) => compareStrings(terms[a], terms[b]));
    const vocabulary = kept.map((id) => terms[id]);
    const idf = new Float64Array(kept.length);
    for (let j = 0; j < kept.length; j++) {
      const d = df[kept[j]];
      idf[j] = useIdf ? (smoothIdf ? Math.log((1 + n) / (1 + d)) + 1 : Math.log(n / d) + 1) : 1;
    }
    const model = new TfidfVectorizerModel({
      vocabulary,
      idf,
      sublinearTf,
      binary,
      useIdf,
      norm,
      nDocuments: n,
      documentFrequency: Int32Array.from(kept, (id) => df[id]),
    });
    return { model, matrix: model.transform(documents) };
  }
}

/** The fields of a fitted `TfidfVectorizerModel`. */
export interface TfidfVectorizerModelFields {
  /** The terms, sorted; term `j` is column `j` of the matrix. */
  vocabulary: readonly string[];
  /** Inverse document frequency of each term (all 1 when `useIdf` was false). */
  idf: Float64Array;
  /** Number of documents each term appeared in, during fit. */
  documentFrequency: Int32Array;
  /** Number of documents seen in fit. */
  nDocuments: number;
  sublinearTf: boolean;
  binary: boolean;
  useIdf: boolean;
  norm: "l2" | "l1" | null;
}

/** A fitted TF-IDF vectorizer: the vocabulary and idf weights. Immutable. */
export class TfidfVectorizerModel {
  readonly vocabulary: readonly string[];
  readonly idf: Float64Array;
  readonly documentFrequency: Int32Array;
  readonly nDocuments: number;
  readonly sublinearTf: boolean;
  readonly binary: boolean;
  readonly useIdf: boolean;
  readonly norm: "l2" | "l1" | null;
  /** Number of terms (matrix columns). */
  readonly nFeatures: number;
  readonly #index: Map<string, number>;

  constructor(fields: TfidfVectorizerModelFields) {
    this.vocabulary = Object.freeze([...fields.vocabulary]);
    this.idf = fields.idf;
    this.documentFrequency = fields.documentFrequency;
    this.nDocuments = fields.nDocuments;
    this.sublinearTf = fields.sublinearTf;
    this.binary = fields.binary;
    this.useIdf = fields.useIdf;
    this.norm = fields.norm;
    this.nFeatures = this.vocabulary.length;
    if (this.idf.length !== this.nFeatures || this.documentFrequency.length !== this.nFeatures) {
      throw new ValidationError("invalid TfidfVectorizerModel: vocabulary, idf and documentFrequency lengths differ");
    }
    this.#index = new Map(this.vocabulary.map((t, j) => [t, j]));
  }

  /** Column of `term`, or -1 when it is not in the vocabulary. */
  termIndex(term: string): number {
    return this.#index.get(term) ?? -1;
  }

  /**
   * The TF-IDF matrix of `documents` (arrays of tokens): documents x terms, sparse. Tokens outside the
   * vocabulary are ignored; a document with none of the terms is an empty row.
   */
  transform(documents: readonly (readonly string[])[]): CsrMatrix {
    checkDocuments(documents);
    const n = documents.length;
    const indptr = new Int32Array(n + 1);
    const cols: number[] = [];
    const vals: number[] = [];
    const counts = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      counts.clear();
      for (const t of documents[i]) {
        const j = this.#index.get(t);
        if (j !== undefined) counts.set(j, (counts.get(j) ?? 0) + 1);
      }
      const row = [...counts.keys()].sort((a, b) => a - b);
      const start = vals.length;
      let norm = 0;
      for (const j of row) {
        const c = counts.get(j) as number;
        const tf = this.binary ? 1 : this.sublinearTf ? 1 + Math.log(c) : c;
        const v = tf * this.idf[j];
        cols.push(j);
        vals.push(v);
        norm += this.norm === "l1" ? Math.abs(v) : v * v;
      }
      if (this.norm !== null && norm > 0) {
        const s = this.norm === "l2" ? Math.sqrt(norm) : norm;
        for (let p = start; p < vals.length; p++) vals[p] /= s;
      }
      indptr[i + 1] = vals.length;
    }
    return { rows: n, cols: this.nFeatures, indptr, indices: Int32Array.from(cols), data: Float64Array.from(vals) };
  }

  toJSON(): ModelJSON {
    return {
      type: "TfidfVectorizerModel",
      version: 1,
      vocabulary: [...this.vocabulary],
      idf: encodeFloats(this.idf),
      documentFrequency: Array.from(this.documentFrequency),
      nDocuments: this.nDocuments,
      sublinearTf: this.sublinearTf,
      binary: this.binary,
      useIdf: this.useIdf,
      norm: this.norm,
    };
  }

  static fromJSON(json: ModelJSON): TfidfVectorizerModel {
    if (json?.type !== "TfidfVectorizerModel" || json.version !== 1) {
      throw new ValidationError(`invalid model JSON: type ${JSON.stringify(json?.type)} version ${json?.version}`);
    }
    const vocabulary = json.vocabulary;
    if (!Array.isArray(vocabulary) || vocabulary.some((t) => typeof t !== "string")) {
      throw new ValidationError("invalid model JSON: vocabulary must be an array of strings");
    }
    const norm = json.norm;
    if (norm !== null && norm !== "l1" && norm !== "l2")
      throw invalid("model JSON norm", norm, 'must be "l2", "l1" or null');
    const flags: Record<string, boolean> = {};
    for (const key of ["sublinearTf", "binary", "useIdf"]) flags[key] = checkBoolean(json[key], `model JSON ${key}`);
    return new TfidfVectorizerModel({
      vocabulary: vocabulary as string[],
      idf: decodeFloats(json.idf, "idf"),
      documentFrequency: Int32Array.from(decodeFloats(json.documentFrequency, "documentFrequency")),
      nDocuments: checkInt(json.nDocuments as number, "model JSON nDocuments", 1),
      sublinearTf: flags.sublinearTf,
      binary: flags.binary,
      useIdf: flags.useIdf,
      norm,
    });
  }
}

registerModel("TfidfVectorizerModel", (json) => TfidfVectorizerModel.fromJSON(json));
