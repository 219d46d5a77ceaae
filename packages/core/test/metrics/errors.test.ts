import { describe, expect, it } from "vitest";
import {
  type AverageMethod,
  adjustedMutualInfoScore,
  adjustedRandScore,
  calinskiHarabaszScore,
  completenessScore,
  contingencyMatrix,
  daviesBouldinScore,
  fowlkesMallowsScore,
  homogeneityCompletenessVMeasure,
  homogeneityScore,
  mutualInfoScore,
  normalizedMutualInfoScore,
  pairConfusionMatrix,
  randScore,
  type SilhouetteMetric,
  silhouetteSamples,
  silhouetteScore,
  ValidationError,
  vMeasureScore,
} from "../../src/index.js";

const externalMetrics: Record<string, (a: ArrayLike<number>, b: ArrayLike<number>) => unknown> = {
  contingencyMatrix,
  pairConfusionMatrix,
  randScore,
  adjustedRandScore,
  mutualInfoScore,
  normalizedMutualInfoScore,
  adjustedMutualInfoScore,
  homogeneityScore,
  completenessScore,
  vMeasureScore,
  homogeneityCompletenessVMeasure,
  fowlkesMallowsScore,
};

const X = [[0], [1], [4], [5]];

describe("errors name the value", () => {
  for (const [name, f] of Object.entries(externalMetrics)) {
    it(`${name}: length mismatch names both lengths; non-integer labels name the index`, () => {
      expect(() => f([0, 1, 1, 0], [0, 1, 2])).toThrow(ValidationError);
      expect(() => f([0, 1, 1, 0], [0, 1, 2])).toThrow(
        "invalid labelsPred: length 3 does not match labelsTrue length 4",
      );
      expect(() => f([0, 1.5], [0, 1])).toThrow("invalid labelsTrue: 1.5 at index 1 (must be an integer)");
      expect(() => f([0, 1], [0, Number.NaN])).toThrow("invalid labelsPred: NaN at index 1 (must be an integer)");
      expect(() => f([0, 2 ** 31], [0, 1])).toThrow(
        "invalid labelsTrue: 2147483648 at index 1 (must be a 32-bit signed integer)",
      );
    });
  }

  it("silhouette, Calinski-Harabasz and Davies-Bouldin name the number of labels", () => {
    for (const f of [silhouetteScore, silhouetteSamples, calinskiHarabaszScore, daviesBouldinScore]) {
      expect(() => f(X, [3, 3, 3, 3])).toThrow(
        "invalid labels: number of labels is 1 (valid values are 2 to n_samples - 1 = 3, inclusive)",
      );
      expect(() => f(X, [0, 1, 2, -1])).toThrow("invalid labels: number of labels is 4");
      expect(() => f(X, [0, 1, 1])).toThrow("invalid labels: length 3 does not match X rows 4 (one label per sample)");
      expect(() => f(X, [0, 1, 1, 0.5])).toThrow("invalid labels: 0.5 at index 3 (must be an integer)");
      expect(() => f([[0], [Number.NaN]], [0, 1])).toThrow(/invalid X: NaN at row 1/);
    }
    // Sampling can leave a single label.
    expect(() => silhouetteScore(X, [0, 0, 0, 1], { sampleSize: 1 })).toThrow("number of labels is 1");
    expect(() => silhouetteScore(X, [0, 0, 0.5, 1], { sampleSize: 3 })).toThrow(
      "invalid labels: 0.5 at index 2 (must be an integer)",
    );
  });

  it("options are validated", () => {
    expect(() => silhouetteScore(X, [0, 0, 1, 1], { metric: "chebyshev" as SilhouetteMetric })).toThrow(
      'invalid metric: "chebyshev" (must be one of "euclidean", "sqeuclidean", "manhattan", "cosine")',
    );
    expect(() => silhouetteSamples(X, [0, 0, 1, 1], { blockSize: 0 })).toThrow(
      "invalid blockSize: 0 (must be an integer >= 1)",
    );
    expect(() => silhouetteScore(X, [0, 0, 1, 1], { sampleSize: 2.5 })).toThrow(
      "invalid sampleSize: 2.5 (must be an integer >= 1)",
    );
    expect(() => normalizedMutualInfoScore([0, 1], [0, 1], { averageMethod: "median" as AverageMethod })).toThrow(
      'invalid averageMethod: "median" (must be one of "arithmetic", "geometric", "min", "max")',
    );
    expect(() => adjustedMutualInfoScore([0], [0], { averageMethod: "mean" as AverageMethod })).toThrow(
      'invalid averageMethod: "mean"',
    );
    expect(() => vMeasureScore([0, 1], [0, 1], { beta: -1 })).toThrow(
      "invalid beta: -1 (must be a finite number >= 0)",
    );
  });
});
