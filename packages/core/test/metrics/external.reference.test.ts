import { describe, expect, it } from "vitest";
import {
  adjustedMutualInfoScore,
  adjustedRandScore,
  completenessScore,
  contingencyMatrix,
  entropy,
  expectedMutualInfo,
  fowlkesMallowsScore,
  homogeneityCompletenessVMeasure,
  homogeneityScore,
  mutualInfoScore,
  normalizedMutualInfoScore,
  pairConfusionMatrix,
  randScore,
  vMeasureScore,
} from "../../src/index.js";
import { closeTo } from "../fixtures.js";
import {
  AVERAGES,
  checksum,
  type ExternalRecord,
  type LabelingName,
  largeLabels,
  loadMetricsFixture,
} from "./metricsFixture.js";

const fixture = loadMetricsFixture();
const RTOL = 1e-9;

const ATOL = 1e-12;

/**
 * Largest disagreements seen, reported by the last test: relative for reference values of
 * magnitude >= 1e-6, absolute below (values that are 0 up to rounding, e.g. AMI of a degenerate
 * comparison whose numerator and denominator both vanish).
 */
let worst = { rel: 0, where: "", abs: 0, absWhere: "" };

function expectClose(actual: number, expected: number, where: string, rtol = RTOL): void {
  const diff = Math.abs(actual - expected);
  if (Math.abs(expected) >= 1e-6) {
    if (diff / Math.abs(expected) > worst.rel) worst = { ...worst, rel: diff / Math.abs(expected), where };
  } else if (diff > worst.abs) worst = { ...worst, abs: diff, absWhere: where };
  if (!closeTo(actual, expected, rtol, ATOL)) {
    const rel = diff / Math.abs(expected);
    expect.fail(`${where}: got ${actual}, scikit-learn ${expected} (relative difference ${rel})`);
  }
}

function checkAll(a: ArrayLike<number>, b: ArrayLike<number>, r: ExternalRecord, where: string): void {
  expectClose(randScore(a, b), r.randScore, `${where} randScore`);
  expectClose(adjustedRandScore(a, b), r.adjustedRandScore, `${where} adjustedRandScore`);
  if (r.mutualInfoScore === null) expect(mutualInfoScore(a, b)).toBe(0);
  else expectClose(mutualInfoScore(a, b), r.mutualInfoScore, `${where} mutualInfoScore`);
  for (const m of AVERAGES) {
    const options = { averageMethod: m };
    expectClose(normalizedMutualInfoScore(a, b, options), r.normalizedMutualInfoScore[m], `${where} NMI ${m}`);
    expectClose(adjustedMutualInfoScore(a, b, options), r.adjustedMutualInfoScore[m], `${where} AMI ${m}`);
  }
  expectClose(normalizedMutualInfoScore(a, b), r.normalizedMutualInfoScore.arithmetic, `${where} NMI default`);
  expectClose(adjustedMutualInfoScore(a, b), r.adjustedMutualInfoScore.arithmetic, `${where} AMI default`);
  expectClose(homogeneityScore(a, b), r.homogeneityScore, `${where} homogeneity`);
  expectClose(completenessScore(a, b), r.completenessScore, `${where} completeness`);
  expectClose(vMeasureScore(a, b), r.vMeasureScore, `${where} vMeasure`);
  expectClose(vMeasureScore(a, b, { beta: 0.5 }), r.vMeasureBeta["0.5"], `${where} vMeasure beta 0.5`);
  expectClose(vMeasureScore(a, b, { beta: 2 }), r.vMeasureBeta["2"], `${where} vMeasure beta 2`);
  const hcv = homogeneityCompletenessVMeasure(a, b);
  expectClose(hcv.homogeneity, r.homogeneityCompletenessVMeasure[0], `${where} hcv.h`);
  expectClose(hcv.completeness, r.homogeneityCompletenessVMeasure[1], `${where} hcv.c`);
  expectClose(hcv.vMeasure, r.homogeneityCompletenessVMeasure[2], `${where} hcv.v`);
  expectClose(fowlkesMallowsScore(a, b), r.fowlkesMallowsScore, `${where} fowlkesMallows`);
  expectClose(entropy(a), r.entropyTrue, `${where} entropy(true)`);
  expectClose(entropy(b), r.entropyPred, `${where} entropy(pred)`);
  expect(Array.from(pairConfusionMatrix(a, b).data)).toEqual(r.pairConfusion.flat());
}

describe(`external metrics equal scikit-learn ${fixture.meta.sklearn} within 1e-9 relative (atol 1e-12)`, () => {
  for (const [name, d] of Object.entries(fixture.datasets)) {
    it(`${name}: labelsTrue against true, kmeans, noise (-1) and random labelings (rtol 1e-9)`, () => {
      const truth = d.labelings.true;
      for (const key of Object.keys(d.labelings) as LabelingName[]) {
        checkAll(truth, d.labelings[key], d.external[key], `${name}/${key}`);
      }
    });
  }

  for (const [name, s] of Object.entries(fixture.special)) {
    it(`special case ${name} (rtol 1e-9; empty mutualInfoScore is 0 where scikit-learn raises)`, () => {
      checkAll(s.a, s.b, s, `special/${name}`);
    });
  }

  it("contingency matrices equal scikit-learn's exactly", () => {
    let count = 0;
    for (const [name, d] of Object.entries(fixture.datasets)) {
      if (!d.contingency) continue;
      for (const key of Object.keys(d.contingency) as LabelingName[]) {
        const ref = d.contingency[key];
        const c = contingencyMatrix(d.labelings.true, d.labelings[key]);
        expect(Array.from(c.classes), `${name}/${key}`).toEqual(ref.classes);
        expect(Array.from(c.clusters), `${name}/${key}`).toEqual(ref.clusters);
        expect(Array.from(c.counts), `${name}/${key}`).toEqual(ref.counts.flat());
        count++;
      }
    }
    expect(count).toBeGreaterThanOrEqual(12);
  });

  for (const r of fixture.large) {
    it(`n = ${r.n}, ${r.kA} x ${r.kB} labels, ${r.mix}% agreement: AMI, NMI, ARI, RI, FMI, V (rtol 1e-9)`, () => {
      const { a, b } = largeLabels(r);
      expect(checksum(a)).toBe(r.checksumA);
      expect(checksum(b)).toBe(r.checksumB);
      const where = `large n=${r.n} kA=${r.kA} kB=${r.kB}`;
      for (const m of AVERAGES) {
        expectClose(
          adjustedMutualInfoScore(a, b, { averageMethod: m }),
          r.adjustedMutualInfoScore[m],
          `${where} AMI ${m}`,
        );
      }
      expectClose(normalizedMutualInfoScore(a, b), r.normalizedMutualInfoScore, `${where} NMI`);
      expectClose(mutualInfoScore(a, b), r.mutualInfoScore, `${where} MI`);
      expectClose(adjustedRandScore(a, b), r.adjustedRandScore, `${where} ARI`);
      expectClose(randScore(a, b), r.randScore, `${where} RI`);
      expectClose(fowlkesMallowsScore(a, b), r.fowlkesMallowsScore, `${where} FMI`);
      expectClose(vMeasureScore(a, b), r.vMeasureScore, `${where} V`);
      expect(Array.from(pairConfusionMatrix(a, b).data)).toEqual(r.pairConfusion.flat());
    });
  }

  it("expectedMutualInfo: within 1e-14 of a 40-digit evaluation at n = 20000 (scikit-learn ~2e-11); equals scikit-learn (rtol 1e-9)", () => {
    const r = fixture.large.find((x) => x.expectedMutualInfoExact !== undefined)!;
    const { a, b } = largeLabels(r);
    const exact = r.expectedMutualInfoExact!;
    const ours = expectedMutualInfo(a, b);
    const oursRel = Math.abs(ours - exact) / exact;
    const sklearnRel = Math.abs(r.expectedMutualInfoSklearn - exact) / exact;
    console.log(
      `expected mutual information, n = ${r.n}: relative error ours ${oursRel.toExponential(2)}, scikit-learn ${sklearnRel.toExponential(2)}`,
    );
    expect(oursRel).toBeLessThan(1e-14);
    for (const x of fixture.large) {
      const pair = largeLabels(x);
      expectClose(expectedMutualInfo(pair.a, pair.b), x.expectedMutualInfoSklearn, `EMI n=${x.n}`);
    }
  });

  it("reports the largest relative difference", () => {
    console.log(
      `external metrics vs scikit-learn: largest relative difference ${worst.rel.toExponential(2)} (${worst.where}); ` +
        `largest absolute difference on values below 1e-6: ${worst.abs.toExponential(2)} (${worst.absWhere})`,
    );
    expect(worst.rel).toBeLessThanOrEqual(RTOL);
    expect(worst.abs).toBeLessThanOrEqual(ATOL);
  });
});
