import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AffinityPropagation, AffinityPropagationModel } from "../../src/cluster/affinityPropagation.js";
import { ValidationError } from "../../src/errors.js";
import { memoryLogger, silentLogger } from "../../src/logger.js";
import type { Matrix } from "../../src/matrix.js";
import { modelFromJSON } from "../../src/serialize.js";
import { loadDatasets, loadFixture, samePartition } from "../fixtures.js";

interface APCase {
  name: string;
  dataset: string;
  damping: number;
  preference: number | number[] | null;
  maxIter: number;
  convergenceIter: number;
  randomStates: Record<string, number[]>;
  centersIndices: number[];
  labels: number[];
  nIter: number;
  converged: boolean;
  warnings: string[];
}

const fixture = loadFixture<{ affinityPropagation: APCase[] }>("exemplar");
const datasets = loadDatasets();

function negSqDist(X: Matrix): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < X.rows; i++) {
    const r: number[] = [];
    for (let j = 0; j < X.rows; j++) {
      let s = 0;
      for (let t = 0; t < X.cols; t++) {
        const diff = X.data[i * X.cols + t] - X.data[j * X.cols + t];
        s += diff * diff;
      }
      r.push(-s);
    }
    out.push(r);
  }
  return out;
}

describe("AffinityPropagation vs scikit-learn", () => {
  for (const c of fixture.affinityPropagation) {
    for (const addNoise of [false, true]) {
      it(`${c.name} (addNoise ${addNoise})`, () => {
        const X = datasets[c.dataset].X;
        const log = memoryLogger();
        const model = new AffinityPropagation({
          damping: c.damping,
          preference: c.preference ?? undefined,
          maxIter: c.maxIter,
          convergenceIter: c.convergenceIter,
          addNoise,
          logger: log,
        }).fit(X);
        expect(Array.from(model.clusterCentersIndices)).toEqual(c.centersIndices);
        expect(Array.from(model.labels)).toEqual(c.labels);
        expect(samePartition(model.labels, c.labels)).toBe(true);
        expect(model.nIter).toBe(c.nIter);
        expect(model.converged).toBe(c.converged);
        expect(log.messages.length).toBe(c.warnings.length);
        const centers = model.clusterCenters!;
        expect(centers.rows).toBe(c.centersIndices.length);
        for (let k = 0; k < centers.rows; k++) {
          for (let t = 0; t < X.cols; t++) {
            expect(centers.data[k * X.cols + t]).toBe(X.data[c.centersIndices[k] * X.cols + t]);
          }
        }
        if (c.centersIndices.length > 0) expect(Array.from(model.predict(X))).toEqual(Array.from(model.labels));
      });
    }
  }

  it("precomputed similarities give the same result as euclidean", () => {
    for (const name of ["iris-min", "oneFeature-min-d0.9"]) {
      const c = fixture.affinityPropagation.find((x) => x.name === name)!;
      const S = negSqDist(datasets[c.dataset].X);
      const model = new AffinityPropagation({
        affinity: "precomputed",
        damping: c.damping,
        preference: c.preference ?? undefined,
        logger: silentLogger,
      }).fit(S);
      expect(Array.from(model.clusterCentersIndices)).toEqual(c.centersIndices);
      expect(Array.from(model.labels)).toEqual(c.labels);
      expect(model.clusterCenters).toBeNull();
      expect(model.nFeaturesIn).toBe(S.length);
      expect(() => model.predict(S)).toThrow(/invalid predict/);
    }
  });
});

describe("AffinityPropagation behaviour", () => {
  const X = datasets.iris.X;

  it("same seed, same result; the noise seed does not change a tie-free result", () => {
    const a = new AffinityPropagation({ seed: 3 }).fit(X);
    const b = new AffinityPropagation({ seed: 3 }).fit(X);
    const c = new AffinityPropagation({ seed: 4 }).fit(X);
    expect(Array.from(b.labels)).toEqual(Array.from(a.labels));
    expect(b.nIter).toBe(a.nIter);
    expect(Array.from(c.clusterCentersIndices)).toEqual(Array.from(a.clusterCentersIndices));
  });

  it("a larger preference gives more exemplars", () => {
    const few = new AffinityPropagation({ preference: -200, damping: 0.9, logger: silentLogger }).fit(X);
    const many = new AffinityPropagation({ preference: -2, damping: 0.9, logger: silentLogger }).fit(X);
    expect(many.nClusters).toBeGreaterThan(few.nClusters);
  });

  it("without exemplars: labels -1, no centres, predict warns and returns -1", () => {
    const log = memoryLogger();
    const model = new AffinityPropagation({ maxIter: 1, logger: log }).fit(X);
    expect(model.converged).toBe(false);
    expect(model.nClusters).toBe(0);
    expect(Array.from(model.labels).every((l) => l === -1)).toBe(true);
    expect(log.messages[0]).toMatch(/did not converge/);
    expect(Array.from(model.predict([[1, 2, 3, 4]]))).toEqual([-1]);
    expect(log.messages.length).toBe(2);
  });

  it("equal similarities: one cluster or n singletons without iterating", () => {
    const log = memoryLogger();
    const pts = [
      [0, 0],
      [1, 0],
      [0.5, Math.sqrt(3) / 2],
    ];
    const S = [
      [0, -1, -1],
      [-1, 0, -1],
      [-1, -1, 0],
    ];
    const one = new AffinityPropagation({ affinity: "precomputed", preference: -2, logger: log }).fit(S);
    expect(Array.from(one.labels)).toEqual([0, 0, 0]);
    expect(Array.from(one.clusterCentersIndices)).toEqual([0]);
    const all = new AffinityPropagation({ affinity: "precomputed", preference: 0, logger: log }).fit(S);
    expect(Array.from(all.labels)).toEqual([0, 1, 2]);
    expect(all.nIter).toBe(0);
    expect(log.messages.length).toBe(2);
    const single = new AffinityPropagation({ logger: log }).fit([[1, 2]]);
    expect(Array.from(single.labels)).toEqual([0]);
    expect(pts.length).toBe(3);
  });

  it("keeps the affinity matrix only when asked", () => {
    const Y = [
      [0, 0],
      [0, 1],
      [5, 5],
      [5, 6],
    ];
    expect(new AffinityPropagation({ logger: silentLogger }).fit(Y).affinityMatrix).toBeNull();
    const m = new AffinityPropagation({ storeAffinityMatrix: true, logger: silentLogger }).fit(Y);
    expect(m.affinityMatrix!.rows).toBe(4);
    expect(m.affinityMatrix!.data[1]).toBe(-1);
    expect(m.affinityMatrix!.data[0]).toBe(0);
    expect(m.toJSON().affinityMatrix).toBeUndefined();
  });

  it("names bad options and data", () => {
    const Y = [
      [0, 0],
      [1, 1],
      [4, 4],
    ];
    expect(() => new AffinityPropagation({ damping: 0.4 }).fit(Y)).toThrow(ValidationError);
    expect(() => new AffinityPropagation({ damping: 0.4 }).fit(Y)).toThrow(/invalid damping: 0.4/);
    expect(() => new AffinityPropagation({ damping: 1 }).fit(Y)).toThrow(
      /invalid damping: 1 \(must be a number in \[0.5, 1\)\)/,
    );
    expect(() => new AffinityPropagation({ maxIter: 0 }).fit(Y)).toThrow(/invalid maxIter: 0/);
    expect(() => new AffinityPropagation({ convergenceIter: 0 }).fit(Y)).toThrow(/invalid convergenceIter: 0/);
    expect(() => new AffinityPropagation({ affinity: "cosine" as "euclidean" }).fit(Y)).toThrow(/invalid affinity/);
    expect(() => new AffinityPropagation({ preference: [1, 2] }).fit(Y)).toThrow(/invalid preference: length 2/);
    expect(() => new AffinityPropagation({ preference: Number.NaN }).fit(Y)).toThrow(/invalid preference: NaN/);
    expect(() => new AffinityPropagation({ affinity: "precomputed" }).fit(Y)).toThrow(/invalid X: 3 x 2/);
    const model = new AffinityPropagation({ logger: silentLogger }).fit(Y);
    expect(() => model.predict([[1, 2, 3]])).toThrow(/invalid X: 3 features, expected 2/);
  });

  it("round-trips through JSON", () => {
    const model = new AffinityPropagation({ preference: -50, logger: silentLogger }).fit(X);
    const back = modelFromJSON<AffinityPropagationModel>(JSON.parse(JSON.stringify(model)));
    expect(back).toBeInstanceOf(AffinityPropagationModel);
    expect(back.toJSON()).toEqual(model.toJSON());
    expect(Array.from(back.predict(X))).toEqual(Array.from(model.labels));
    const empty = new AffinityPropagation({ maxIter: 1, logger: silentLogger }).fit(X);
    expect(modelFromJSON<AffinityPropagationModel>(JSON.parse(JSON.stringify(empty))).nClusters).toBe(0);
  });

  it("property: every exemplar is labelled with its own cluster", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: -30, max: 30 }), fc.integer({ min: -30, max: 30 })), {
          minLength: 2,
          maxLength: 30,
        }),
        (pts) => {
          const model = new AffinityPropagation({ damping: 0.7, logger: silentLogger }).fit(pts);
          model.clusterCentersIndices.forEach((idx, k) => {
            expect(model.labels[idx]).toBe(k);
          });
          for (const l of model.labels) expect(l).toBeLessThan(Math.max(1, model.nClusters));
        },
      ),
      { seed: 7, numRuns: 60 },
    );
  });
});
