import { describe, expect, it } from "vitest";
import {
  chooseK,
  KMeans,
  type KMeansModel,
  modelFromJSON,
  Pipeline,
  type PipelineModel,
  StandardScaler,
  silhouetteScore,
} from "../src/index.js";

// The library tour in README.md, run as written (keep the two in step).
describe("README library tour", () => {
  it("runs as documented", () => {
    const X = [
      [5.1, 3.5],
      [4.9, 3.0],
      [6.2, 3.4],
      [5.9, 3.0],
    ];
    const model: KMeansModel = new KMeans({ nClusters: 2, seed: 0 }).fit(X);
    expect(model.labels).toBeInstanceOf(Int32Array);
    expect(model.clusterCenters.rows).toBe(2);
    expect(model.inertia).toBeGreaterThan(0);
    expect(model.predict([[5.0, 3.2]])[0]).toBe(model.labels[0]);

    const pipe: PipelineModel = new Pipeline({
      steps: [
        ["scale", new StandardScaler()],
        ["kmeans", new KMeans({ nClusters: 2 })],
      ],
    }).fit(X);
    const saved = JSON.stringify(pipe.toJSON());
    const restored = modelFromJSON<PipelineModel>(JSON.parse(saved));
    expect(Array.from(restored.predict(X))).toEqual(Array.from(pipe.labels));

    const s = silhouetteScore(X, model.labels);
    expect(s).toBeGreaterThan(0);
    const sweep = chooseK(X, { kMin: 2, kMax: 3 });
    expect(sweep.ks).toEqual([2, 3]);
    expect(sweep.inertia.length).toBe(2);
  });
});
