import { describe, expect, it } from "vitest";
import {
  anomalyThreshold,
  averagePrecision,
  evaluateAnomalyScores,
  rocAuc,
  scoreOrder,
  ValidationError,
} from "../../src/index.js";
import { loadFixture } from "../fixtures.js";

interface MetricCase {
  name: string;
  scores: number[];
  labels: number[];
  rocAuc: number;
  averagePrecision: number;
}

const fixture = loadFixture<{ metrics: MetricCase[] }>("anomalies");

describe("rocAuc and averagePrecision", () => {
  it("hand-computed: 4 rows without ties", () => {
    // Pairs (positive, negative): 0.35 > 0.1, 0.35 < 0.4, 0.8 > both: 3 of 4.
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75);
    // Ranked 0.8 (+), 0.4 (-), 0.35 (+): precision 1 at recall 1/2, 2/3 at recall 1.
    expect(averagePrecision([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBeCloseTo(0.5 + (0.5 * 2) / 3, 15);
  });

  it("hand-computed: ties count 1/2 (AUC) and enter as one step (AP)", () => {
    // Positive 1 vs negatives 1 (tie: 1/2) and 0 (win): (0.5 + 1) / 2.
    expect(rocAuc([1, 1, 0], [1, 0, 0])).toBe(0.75);
    // The two rows at score 1 enter together: recall 1 at precision 1/2.
    expect(averagePrecision([1, 1, 0], [1, 0, 0])).toBe(0.5);
    expect(averagePrecision([1, 1, 0], [0, 1, 0])).toBe(0.5);
    expect(rocAuc([2, 2, 2], [true, false, false])).toBe(0.5);
  });

  it("matches scikit-learn's roc_auc_score and average_precision_score", () => {
    expect(fixture.metrics.length).toBeGreaterThanOrEqual(8);
    for (const c of fixture.metrics) {
      expect(rocAuc(c.scores, c.labels), c.name).toBeCloseTo(c.rocAuc, 12);
      expect(averagePrecision(c.scores, c.labels), c.name).toBeCloseTo(c.averagePrecision, 12);
    }
  });

  it("does not depend on the row order", () => {
    const c = fixture.metrics.find((m) => m.name === "integerTies500")!;
    const perm = c.scores.map((_, i) => (i * 7919) % c.scores.length);
    const s = perm.map((i) => c.scores[i]);
    const l = perm.map((i) => c.labels[i]);
    expect(rocAuc(s, l)).toBeCloseTo(c.rocAuc, 12);
    expect(averagePrecision(s, l)).toBeCloseTo(c.averagePrecision, 12);
  });

  it("needs a positive and a negative row, one label per score, no NaN", () => {
    expect(() => rocAuc([1, 2], [0, 0])).toThrow(/at least one positive and one negative/);
    expect(() => averagePrecision([1, 2], [1, 1])).toThrow(ValidationError);
    expect(() => rocAuc([1, 2, 3], [0, 1])).toThrow(/one value per score/);
    expect(() => rocAuc([Number.NaN, 2], [0, 1])).toThrow(/NaN/);
  });
});

describe("scoreOrder and anomalyThreshold", () => {
  it("ranks highest first, ties by lower row, NaN last", () => {
    expect(Array.from(scoreOrder([1, 3, Number.NaN, 3, 2]))).toEqual([1, 3, 4, 0, 2]);
  });

  it("contamination flags exactly round(c n) rows, a tie at the cut broken by row order", () => {
    const scores = [0, 5, 1, 5, 5, 2, 0, 0, 0, 0];
    const f = anomalyThreshold(scores, { contamination: 0.2 });
    expect(f.rule).toBe("contamination");
    expect(f.nAnomalies).toBe(2);
    expect(Array.from(f.isAnomaly)).toEqual([0, 1, 0, 1, 0, 0, 0, 0, 0, 0]);
    expect(f.threshold).toBe(5);
    expect(f.tiedAtCut).toBe(1);
    // At least one row; the default is 5%.
    expect(anomalyThreshold(scores).nAnomalies).toBe(1);
    expect(anomalyThreshold(scores, { contamination: 0.5 }).tiedAtCut).toBe(0);
  });

  it("threshold flags the scores strictly above it", () => {
    const f = anomalyThreshold([0.5, 1, 1.5, 3], { threshold: 1 });
    expect(Array.from(f.isAnomaly)).toEqual([0, 0, 1, 1]);
    expect(f.nAnomalies).toBe(2);
    expect(f.contamination).toBeNull();
  });

  it("rejects a contamination outside (0, 0.5] and both rules at once", () => {
    expect(() => anomalyThreshold([1, 2], { contamination: 0 })).toThrow(
      "invalid contamination: 0 (must be in (0, 0.5])",
    );
    expect(() => anomalyThreshold([1, 2], { contamination: 0.6 })).toThrow(/must be in \(0, 0.5\]/);
    expect(() => anomalyThreshold([1, 2], { contamination: 0.1, threshold: 1 })).toThrow(/not both/);
  });
});

describe("evaluateAnomalyScores", () => {
  it("precision and recall at the true contamination, ties by expectation", () => {
    // 2 outliers: flag 2 rows. Row 0 (outlier) is above the cut 2; rows 1-3 tie at 2 and one of
    // them is an outlier: 1 + 1/3 true positives expected.
    const e = evaluateAnomalyScores([3, 2, 2, 2, 1], [1, 1, 0, 0, 0], { flagged: [1, 1, 0, 0, 0] });
    expect(e.nPositive).toBe(2);
    expect(e.positiveShare).toBe(0.4);
    expect(e.atTrueContamination.nFlagged).toBe(2);
    expect(e.atTrueContamination.truePositives).toBeCloseTo(4 / 3, 15);
    expect(e.atTrueContamination.precision).toBeCloseTo(2 / 3, 15);
    expect(e.atTrueContamination.recall).toBeCloseTo(2 / 3, 15);
    expect(e.flagged).toEqual({ nFlagged: 2, truePositives: 2, precision: 1, recall: 1, f1: 1 });
    expect(e.rocAuc).toBeCloseTo(rocAuc([3, 2, 2, 2, 1], [1, 1, 0, 0, 0]), 15);
    expect(evaluateAnomalyScores([3, 2, 1], [0, 0, 1]).flagged).toBeNull();
    expect(evaluateAnomalyScores([3, 2, 1], [0, 0, 1]).atTrueContamination.precision).toBe(0);
  });
});
