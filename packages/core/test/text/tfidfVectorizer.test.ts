import { describe, expect, it } from "vitest";
import {
  csrToDense,
  modelFromJSON,
  TfidfVectorizer,
  type TfidfVectorizerModel,
  type TfidfVectorizerOptions,
} from "../../src/index.js";
import { loadFixture, maxAbsDiff } from "../fixtures.js";

interface TfidfCase {
  name: string;
  options: TfidfVectorizerOptions & { maxDf?: number; minDf?: number };
  vocabulary: string[];
  idf: number[] | null;
  matrix: number[][];
}
const fx = loadFixture<{ tokens: string[][]; tfidf: TfidfCase[] }>("text");

/** scikit-learn writes floats like 0.6 and ints like 3; a float 1.0 would need { proportion: 1 }. */
function options(c: TfidfCase): TfidfVectorizerOptions {
  return { ...c.options };
}

describe("TfidfVectorizer vs scikit-learn", () => {
  for (const c of fx.tfidf) {
    it(`matches TfidfVectorizer (${c.name})`, () => {
      const { model, matrix } = new TfidfVectorizer(options(c)).fitTransform(fx.tokens);
      expect(model.vocabulary).toEqual(c.vocabulary);
      if (c.idf) expect(maxAbsDiff(model.idf, c.idf)).toBeLessThan(1e-12);
      const dense = csrToDense(matrix);
      expect(dense.rows).toBe(c.matrix.length);
      expect(maxAbsDiff(dense.data, c.matrix.flat())).toBeLessThan(1e-12);
      // transform() of the training documents gives the same matrix.
      expect(maxAbsDiff(csrToDense(model.transform(fx.tokens)).data, dense.data)).toBe(0);
    });
  }
});

describe("TfidfVectorizer", () => {
  const docs = [
    ["a", "b", "a"],
    ["b", "c"],
    ["c", "c", "d"],
  ];

  it("computes smoothed idf and l2 rows by hand", () => {
    const { model, matrix } = new TfidfVectorizer().fitTransform(docs);
    expect(model.vocabulary).toEqual(["a", "b", "c", "d"]);
    // idf = ln((1 + 3) / (1 + df)) + 1
    expect(model.idf[0]).toBeCloseTo(Math.log(4 / 2) + 1, 14);
    expect(model.idf[2]).toBeCloseTo(Math.log(4 / 3) + 1, 14);
    const d = csrToDense(matrix);
    const a = 2 * (Math.log(2) + 1);
    const b = Math.log(4 / 3) + 1;
    const norm = Math.hypot(a, b);
    expect(d.data[0]).toBeCloseTo(a / norm, 14);
    expect(d.data[1]).toBeCloseTo(b / norm, 14);
    expect(matrix.indptr).toEqual(Int32Array.from([0, 2, 4, 6]));
  });

  it("treats proportions and counts like scikit-learn's floats and ints", () => {
    expect(new TfidfVectorizer({ minDf: 2 }).fit(docs).vocabulary).toEqual(["b", "c"]);
    expect(new TfidfVectorizer({ maxDf: 1 }).fit(docs).vocabulary).toEqual(["a", "d"]);
    expect(new TfidfVectorizer({ maxDf: { proportion: 1 } }).fit(docs).vocabulary).toEqual(["a", "b", "c", "d"]);
    expect(new TfidfVectorizer({ maxDf: 0.5 }).fit(docs).vocabulary).toEqual(["a", "d"]);
    expect(new TfidfVectorizer({ minDf: { proportion: 1 } }).fit([["x", "y"], ["x"]]).vocabulary).toEqual(["x"]);
  });

  it("keeps the most frequent terms with maxFeatures (ties by term order)", () => {
    expect(new TfidfVectorizer({ maxFeatures: 2 }).fit(docs).vocabulary).toEqual(["a", "c"]);
  });

  it("ignores unknown tokens in transform and leaves empty rows empty", () => {
    const model = new TfidfVectorizer().fit(docs);
    const m = model.transform([["zzz"], ["a"]]);
    expect(Array.from(m.indptr)).toEqual([0, 0, 1]);
    expect(m.data[0]).toBeCloseTo(1, 15);
  });

  it("rejects bad options and data with clear messages", () => {
    expect(() => new TfidfVectorizer().fit([])).toThrow(/0 documents/);
    expect(() => new TfidfVectorizer().fit([[], []])).toThrow(/empty vocabulary/);
    expect(() => new TfidfVectorizer({ minDf: 3 }).fit(docs)).toThrow(/no terms remain/);
    expect(() => new TfidfVectorizer({ minDf: 5 }).fit(docs)).toThrow(/fewer documents \(3\) than minDf \(5\)/);
    expect(() => new TfidfVectorizer({ minDf: 3, maxDf: 2 }).fit(docs)).toThrow(/maxDf/);
    expect(() => new TfidfVectorizer({ maxDf: 1.5 }).fit(docs)).toThrow(/invalid maxDf: 1.5/);
    expect(() => new TfidfVectorizer({ minDf: -1 }).fit(docs)).toThrow(/invalid minDf/);
    expect(() => new TfidfVectorizer({ norm: "l3" as "l2" }).fit(docs)).toThrow(/invalid norm/);
    expect(() => new TfidfVectorizer().fit([["a", 3 as unknown as string]])).toThrow(/non-string token/);
  });

  it("round-trips through JSON", () => {
    const model = new TfidfVectorizer({ sublinearTf: true }).fit(docs);
    const back = modelFromJSON<TfidfVectorizerModel>(JSON.parse(JSON.stringify(model)));
    expect(back.vocabulary).toEqual(model.vocabulary);
    expect(csrToDense(back.transform(docs)).data).toEqual(csrToDense(model.transform(docs)).data);
  });
});
