import { asMatrix, modelFromJSON } from "@clusterlab/core";
import { describe, expect, it } from "vitest";
import { iqrOutliers, Log1p, Log1pModel, YeoJohnson, YeoJohnsonModel, yeoJohnsonLambda } from "../../src/index.js";
import { fixture } from "./helpers.js";

interface YeoJohnsonCase {
  name: string;
  X: number[][];
  lambdas: number[];
  transformed: number[][];
}
interface IqrCase {
  name: string;
  factor: number;
  lower: number[];
  upper: number[];
  outliers: number[];
}
const reference = fixture<{ yeoJohnson: YeoJohnsonCase[]; iqr: IqrCase[] }>("workflow");

describe("YeoJohnson (scikit-learn PowerTransformer, standardize=False)", () => {
  for (const c of reference.yeoJohnson) {
    it(`matches the lambdas and transformed values on ${c.name}`, () => {
      const model = new YeoJohnson().fit(c.X);
      for (let j = 0; j < c.lambdas.length; j++) {
        expect(Math.abs(model.lambdas[j] - c.lambdas[j])).toBeLessThan(1e-6 * Math.max(1, Math.abs(c.lambdas[j])));
      }
      const out = model.transform(c.X);
      const expected = asMatrix(c.transformed);
      for (let i = 0; i < out.data.length; i++) {
        const e = expected.data[i];
        expect(Math.abs(out.data[i] - e)).toBeLessThan(1e-6 * Math.max(1, Math.abs(e)));
      }
    });
  }

  it("gives lambda 1 (the identity) to a constant feature and keeps NaN", () => {
    const model = new YeoJohnson().fit([
      [5, 1],
      [5, 2],
      [5, Number.NaN],
      [5, 9],
    ]);
    expect(model.lambdas[0]).toBe(1);
    const out = model.transform([[5, Number.NaN]]);
    expect(out.data[0]).toBeCloseTo(5, 12);
    expect(Number.isNaN(out.data[1])).toBe(true);
  });

  it("estimates lambda 1 for all zeros and refuses non-finite input", () => {
    expect(yeoJohnsonLambda([0, 0, 0])).toBe(1);
    expect(() => yeoJohnsonLambda([1, Number.POSITIVE_INFINITY])).toThrow(/finite/);
  });

  it("round-trips through JSON and core's modelFromJSON", () => {
    const model = new YeoJohnson().fit(reference.yeoJohnson[0].X);
    const back = modelFromJSON<YeoJohnsonModel>(JSON.parse(JSON.stringify(model.toJSON())));
    expect(back).toBeInstanceOf(YeoJohnsonModel);
    expect(Array.from(back.lambdas)).toEqual(Array.from(model.lambdas));
  });
});

describe("Log1p", () => {
  it("transforms, round-trips and refuses values <= -1", () => {
    const model = new Log1p().fit([[0], [1], [9]]);
    expect(Array.from(model.transform([[0], [Math.E - 1]]).data)).toEqual([0, 1]);
    const back = modelFromJSON<Log1pModel>(model.toJSON());
    expect(back).toBeInstanceOf(Log1pModel);
    expect(() => new Log1p().fit([[0], [-1]])).toThrow(/log1p needs values > -1/);
  });
});

describe("iqrOutliers (numpy percentiles)", () => {
  const skewed = reference.yeoJohnson.find((c) => c.name === "skewed")!.X;
  const iris = reference.yeoJohnson.find((c) => c.name === "iris")!.X;
  for (const c of reference.iqr) {
    it(`matches the fences and outlier rows on ${c.name} (factor ${c.factor})`, () => {
      const X = asMatrix(c.name === "iris" ? iris : skewed);
      const { outlier, fences } = iqrOutliers(X, c.factor);
      for (let j = 0; j < c.lower.length; j++) {
        expect(fences.lower[j]).toBeCloseTo(c.lower[j], 10);
        expect(fences.upper[j]).toBeCloseTo(c.upper[j], 10);
      }
      const rows = [...outlier.keys()].filter((i) => outlier[i]);
      expect(rows).toEqual(c.outliers);
    });
  }
});
