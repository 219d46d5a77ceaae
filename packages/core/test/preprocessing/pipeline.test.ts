import { describe, expect, it } from "vitest";
import {
  asMatrix,
  type Clusterer,
  type ClusterModel,
  ColumnTransformer,
  type FitOptions,
  frame,
  type MatrixLike,
  MinMaxScaler,
  modelFromJSON,
  OneHotEncoder,
  Pipeline,
  PipelineModel,
  registerModel,
  SimpleImputer,
  StandardScaler,
  StandardScalerModel,
} from "../../src/index.js";
import { expectSameMatrix, fixture, mat, roundTrip } from "./helpers.js";

/** Test-only clusterer: each point goes to the nearer of fixed centres. */
class NearestCentre implements Clusterer<NearestCentreModel> {
  lastWeights: ArrayLike<number> | undefined;
  constructor(readonly centres: number[][]) {}
  fit(X: MatrixLike, options?: FitOptions): NearestCentreModel {
    this.lastWeights = options?.sampleWeight;
    const m = asMatrix(X);
    const empty = new NearestCentreModel(this.centres, m.cols, new Int32Array(0));
    return new NearestCentreModel(this.centres, m.cols, empty.predict(m));
  }
}

class NearestCentreModel implements ClusterModel {
  readonly nClusters: number;
  constructor(
    readonly centres: number[][],
    readonly nFeaturesIn: number,
    readonly labels: Int32Array,
  ) {
    this.nClusters = centres.length;
  }
  predict(X: MatrixLike): Int32Array {
    const m = asMatrix(X, { cols: this.nFeaturesIn });
    const out = new Int32Array(m.rows);
    for (let i = 0; i < m.rows; i++) {
      let best = Number.POSITIVE_INFINITY;
      this.centres.forEach((c, k) => {
        let d = 0;
        for (let j = 0; j < m.cols; j++) d += (m.data[i * m.cols + j] - c[j]) ** 2;
        if (d < best) {
          best = d;
          out[i] = k;
        }
      });
    }
    return out;
  }
  toJSON() {
    return {
      type: "TestNearestCentreModel",
      version: 1,
      centres: this.centres,
      nFeaturesIn: this.nFeaturesIn,
      labels: Array.from(this.labels),
    };
  }
}
registerModel("TestNearestCentreModel", (j) => {
  const json = j as unknown as { centres: number[][]; nFeaturesIn: number; labels: number[] };
  return new NearestCentreModel(json.centres, json.nFeaturesIn, Int32Array.from(json.labels));
});

const iris = () => mat(fixture().numeric.iris.X);
const centres = [
  [-1, -1, -1, -1],
  [1, 1, 1, 1],
];

describe("Pipeline", () => {
  it("fits transformers then a clusterer on the transformed data", () => {
    const X = iris();
    const model = new Pipeline({
      steps: [
        ["scale", new StandardScaler()],
        ["cluster", new NearestCentre(centres)],
      ],
    }).fit(X);
    const scaled = new StandardScaler().fitTransform(X).output;
    const direct = new NearestCentre(centres).fit(scaled);
    expect(model.hasClusterer).toBe(true);
    expect(Array.from(model.labels)).toEqual(Array.from(direct.labels));
    expect(model.nClusters).toBe(2);
    expect(model.nFeaturesIn).toBe(4);
    expect(Array.from(model.predict(X))).toEqual(Array.from(direct.labels));
    expectSameMatrix(model.transform(X), scaled);
    expect(model.step<StandardScalerModel>("scale")).toBeInstanceOf(StandardScalerModel);
    expect(model.step<NearestCentreModel>("cluster")).toBeInstanceOf(NearestCentreModel);
    expect(model.steps.map(([n]) => n)).toEqual(["scale", "cluster"]);
    expect(() => model.step("nope")).toThrow('invalid step: "nope" (no such step; steps: scale, cluster)');
  });

  it("passes fit options (sampleWeight) to the last step", () => {
    const clusterer = new NearestCentre(centres);
    const w = new Array(150).fill(2);
    new Pipeline({
      steps: [
        ["scale", new StandardScaler()],
        ["c", clusterer],
      ],
    }).fit(iris(), { sampleWeight: w });
    expect(clusterer.lastWeights).toBe(w);
  });

  it("chains transformers like applying them one after another", () => {
    const X = mat(fixture().numeric.irisNaN.X);
    const { model, output } = new Pipeline({
      steps: [
        ["impute", new SimpleImputer({ strategy: "median" })],
        ["scale", new StandardScaler()],
        ["range", new MinMaxScaler({ featureRange: [-1, 2] })],
      ],
    }).fitTransform(X);
    const a = new SimpleImputer({ strategy: "median" }).fitTransform(X).output;
    const b = new StandardScaler().fitTransform(a).output;
    const c = new MinMaxScaler({ featureRange: [-1, 2] }).fitTransform(b).output;
    expectSameMatrix(output, c);
    expect(model.hasClusterer).toBe(false);
    expect(model.getFeatureNamesOut(["a", "b", "c", "d"])).toEqual(["a", "b", "c", "d"]);
    expect(() => model.labels).toThrow(
      'invalid pipeline: the last step "range" (MinMaxScalerModel) is not a clusterer; labels, nClusters and predict need one',
    );
    expect(() => model.predict(X)).toThrow("is not a clusterer");
  });

  it("round-trips through JSON (nested models via modelFromJSON) with identical results", () => {
    const X = mat(fixture().numeric.irisNaN.X);
    const model = new Pipeline({
      steps: [
        ["impute", new SimpleImputer()],
        ["scale", new StandardScaler()],
        ["cluster", new NearestCentre(centres)],
      ],
    }).fit(X);
    const restored = modelFromJSON<PipelineModel>(roundTrip(model));
    expect(restored).toBeInstanceOf(PipelineModel);
    expect(restored.hasClusterer).toBe(true);
    expect(Array.from(restored.labels)).toEqual(Array.from(model.labels));
    expect(Array.from(restored.predict(X))).toEqual(Array.from(model.predict(X)));
    expectSameMatrix(restored.transform(X), model.transform(X));
    expect(restored.toJSON()).toEqual(model.toJSON());
  });

  it("starts with a ColumnTransformer on a Frame and ends with a clusterer", () => {
    const f = frame({
      color: ["red", "blue", "red", null],
      size: Float64Array.of(1, 2, Number.NaN, 4),
    });
    const model = new Pipeline({
      steps: [
        [
          "prep",
          new ColumnTransformer({
            transformers: [
              {
                name: "num",
                transformer: new Pipeline({
                  steps: [
                    ["impute", new SimpleImputer()],
                    ["scale", new StandardScaler()],
                  ],
                }),
                columns: ["size"],
              },
              { name: "cat", transformer: new OneHotEncoder(), columns: ["color"] },
            ],
          }),
        ],
        [
          "cluster",
          new NearestCentre([
            [0, 0, 0, 0],
            [1, 1, 1, 1],
          ]),
        ],
      ],
    }).fit(f);
    expect(model.acceptsFrame).toBe(true);
    expect(model.transform(f).cols).toBe(4);
    expect(model.getFeatureNamesOut()).toEqual(["num__size", "cat__color_blue", "cat__color_red", "cat__color_nan"]);
    const restored = modelFromJSON<PipelineModel>(roundTrip(model));
    expect(Array.from(restored.predict(f))).toEqual(Array.from(model.labels));
  });

  it("converts a Frame for a numeric first step", () => {
    const f = frame({ a: Float64Array.of(1, 2, 3), b: Float64Array.of(4, 6, 8) });
    const model = new Pipeline({ steps: [["scale", new StandardScaler()]] }).fit(f);
    expect(model.acceptsFrame).toBe(false);
    expectSameMatrix(
      model.transform(f),
      new StandardScaler().fitTransform([
        [1, 4],
        [2, 6],
        [3, 8],
      ]).output,
    );
  });

  it("names invalid step lists", () => {
    expect(() => new Pipeline({ steps: [] }).fit([[1]])).toThrow(
      "invalid steps: [] (must be a non-empty array of [name, estimator] pairs)",
    );
    expect(() =>
      new Pipeline({
        steps: [
          ["a", new StandardScaler()],
          ["a", new MinMaxScaler()],
        ],
      }).fit([[1]]),
    ).toThrow('invalid step name: "a" (step names must be unique)');
    expect(() =>
      new Pipeline({
        steps: [
          ["cluster", new NearestCentre([[0]])],
          ["scale", new StandardScaler()],
        ],
      }).fit([[1]]),
    ).toThrow(
      'invalid step "cluster": "NearestCentre" (only the last step may lack transform (e.g. a clusterer); this one is not last)',
    );
  });
});
