import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type AverageMethod,
  adjustedMutualInfoScore,
  adjustedRandScore,
  calinskiHarabaszScore,
  completenessScore,
  daviesBouldinScore,
  entropy,
  fowlkesMallowsScore,
  homogeneityScore,
  mutualInfoScore,
  normalizedMutualInfoScore,
  pairConfusionMatrix,
  randScore,
  silhouetteSamples,
  silhouetteScore,
  vMeasureScore,
} from "../../src/index.js";
import { closeTo } from "../fixtures.js";

const SEED = 20240611;
const RUNS = 150;
const AVERAGES: AverageMethod[] = ["arithmetic", "geometric", "min", "max"];

type Pair = (a: number[], b: number[]) => number;

/** Every external score, by name. */
const external: Record<string, Pair> = {
  randScore,
  adjustedRandScore,
  mutualInfoScore,
  fowlkesMallowsScore,
  homogeneityScore,
  completenessScore,
  vMeasureScore,
  vMeasureBeta2: (a, b) => vMeasureScore(a, b, { beta: 2 }),
  entropyTrue: (a) => entropy(a),
  entropyPred: (_a, b) => entropy(b),
};
for (const m of AVERAGES) {
  external[`nmi ${m}`] = (a, b) => normalizedMutualInfoScore(a, b, { averageMethod: m });
  external[`ami ${m}`] = (a, b) => adjustedMutualInfoScore(a, b, { averageMethod: m });
}

/** Symmetric in its two arguments (V-measure only with beta = 1). */
const symmetric = [
  "randScore",
  "adjustedRandScore",
  "mutualInfoScore",
  "fowlkesMallowsScore",
  "vMeasureScore",
  ...AVERAGES.flatMap((m) => [`nmi ${m}`, `ami ${m}`]),
];

/** Agreement up to rounding (relabelling or reordering changes only the order of the sums). */
function same(_name: string, x: number, y: number): boolean {
  return closeTo(x, y, 1e-12, 1e-12);
}

/** Two labelings of the same length (0 to 40 samples), label values in [-1, maxLabel]. */
const labelPair = fc
  .tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 6 }))
  .chain(([n, maxLabel]) =>
    fc.tuple(
      fc.array(fc.integer({ min: -1, max: maxLabel }), { minLength: n, maxLength: n }),
      fc.array(fc.integer({ min: -1, max: maxLabel }), { minLength: n, maxLength: n }),
    ),
  );

/** Applies an injective renaming of the label values drawn by fast-check. */
function relabel(labels: number[], fresh: number[]): number[] {
  const values = [...new Set(labels)];
  const map = new Map(values.map((v, i) => [v, fresh[i]]));
  return labels.map((v) => map.get(v)!);
}

const freshValues = fc.uniqueArray(fc.integer({ min: -2147483648, max: 2147483647 }), {
  minLength: 10,
  maxLength: 10,
});

const permutation = (n: number) =>
  fc
    .array(fc.nat(), { minLength: n, maxLength: n })
    .map((keys) => Array.from({ length: n }, (_, i) => i).sort((p, q) => keys[p] - keys[q] || p - q));

describe(`property tests (fast-check, seed ${SEED}, ${RUNS} runs each)`, () => {
  it("relabelling the clusters of either labeling (any bijection of label values) leaves every external metric unchanged", () => {
    fc.assert(
      fc.property(labelPair, freshValues, freshValues, ([a, b], fa, fb) => {
        const a2 = relabel(a, fa);
        const b2 = relabel(b, fb);
        for (const [name, f] of Object.entries(external)) {
          if (!same(name, f(a, b), f(a2, b2))) throw new Error(`${name}: ${f(a, b)} vs ${f(a2, b2)}`);
        }
        expect(Array.from(pairConfusionMatrix(a2, b2).data)).toEqual(Array.from(pairConfusionMatrix(a, b).data));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it("symmetric metrics are symmetric; homogeneity and completeness swap; pair confusion transposes", () => {
    fc.assert(
      fc.property(labelPair, ([a, b]) => {
        for (const name of symmetric) {
          const f = external[name];
          if (!same(name, f(a, b), f(b, a))) throw new Error(`${name}: ${f(a, b)} vs ${f(b, a)}`);
        }
        expect(closeTo(homogeneityScore(a, b), completenessScore(b, a), 1e-12)).toBe(true);
        const [tn, fp, fn, tp] = pairConfusionMatrix(a, b).data;
        expect(Array.from(pairConfusionMatrix(b, a).data)).toEqual([tn, fn, fp, tp]);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it("permuting the samples of both labelings leaves every external metric unchanged", () => {
    fc.assert(
      fc.property(
        labelPair.chain(([a, b]) => fc.tuple(fc.constant(a), fc.constant(b), permutation(a.length))),
        ([a, b, perm]) => {
          const a2 = perm.map((i) => a[i]);
          const b2 = perm.map((i) => b[i]);
          for (const [name, f] of Object.entries(external)) {
            if (!same(name, f(a, b), f(a2, b2))) throw new Error(`${name}: ${f(a, b)} vs ${f(a2, b2)}`);
          }
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it("scores stay in their ranges and identical partitions score 1", () => {
    fc.assert(
      fc.property(labelPair, freshValues, ([a, b], fresh) => {
        const ri = randScore(a, b);
        expect(ri >= 0 && ri <= 1).toBe(true);
        expect(adjustedRandScore(a, b)).toBeLessThanOrEqual(1 + 1e-12);
        expect(adjustedRandScore(a, b)).toBeGreaterThanOrEqual(-0.5 - 1e-12);
        for (const m of AVERAGES) {
          const nmi = normalizedMutualInfoScore(a, b, { averageMethod: m });
          expect(nmi >= 0 && nmi <= 1 + 1e-12).toBe(true);
        }
        const v = vMeasureScore(a, b);
        expect(v >= 0 && v <= 1 + 1e-12).toBe(true);
        const fmi = fowlkesMallowsScore(a, b);
        expect(fmi >= 0 && fmi <= 1 + 1e-12).toBe(true);
        const a2 = relabel(a, fresh);
        expect(adjustedRandScore(a, a2)).toBe(1);
        expect(randScore(a, a2)).toBe(1);
        if (new Set(a).size > 1) {
          expect(closeTo(adjustedMutualInfoScore(a, a2), 1, 1e-12)).toBe(true);
          expect(closeTo(normalizedMutualInfoScore(a, a2), 1, 1e-12)).toBe(true);
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  /** Small data sets with 2 <= number of labels <= n - 1. */
  const clustered = fc
    .tuple(fc.integer({ min: 3, max: 30 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 2, max: 5 }))
    .chain(([n, d, k]) =>
      fc.tuple(
        fc.array(
          fc.array(
            fc.integer({ min: -20, max: 20 }).map((v) => v / 4),
            { minLength: d, maxLength: d },
          ),
          {
            minLength: n,
            maxLength: n,
          },
        ),
        fc.array(fc.integer({ min: -1, max: k - 1 }), { minLength: n, maxLength: n }),
        permutation(n),
        freshValues,
      ),
    )
    .filter(([X, labels]) => {
      const k = new Set(labels).size;
      return k >= 2 && k <= X.length - 1;
    });

  it("internal metrics: permuting samples permutes silhouette samples and keeps every score; relabelling keeps them", () => {
    fc.assert(
      fc.property(clustered, ([X, labels, perm, fresh]) => {
        const X2 = perm.map((i) => X[i]);
        const l2 = relabel(
          perm.map((i) => labels[i]),
          fresh,
        );
        for (const metric of ["euclidean", "sqeuclidean", "manhattan", "cosine"] as const) {
          const s = silhouetteSamples(X, labels, { metric });
          const s2 = silhouetteSamples(X2, l2, { metric });
          perm.forEach((i, r) => {
            if (!closeTo(s2[r], s[i], 1e-12, 1e-12)) throw new Error(`${metric} sample ${i}: ${s[i]} vs ${s2[r]}`);
          });
          expect(closeTo(silhouetteScore(X2, l2, { metric }), silhouetteScore(X, labels, { metric }), 1e-12)).toBe(
            true,
          );
        }
        expect(closeTo(calinskiHarabaszScore(X2, l2), calinskiHarabaszScore(X, labels), 1e-12)).toBe(true);
        expect(closeTo(daviesBouldinScore(X2, l2), daviesBouldinScore(X, labels), 1e-12)).toBe(true);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});
