import { describe, expect, it } from "vitest";
import {
  decisionTreeRules,
  formatRuleNumber,
  frame,
  type RuleCondition,
  readableThreshold,
  type SegmentRule,
} from "../../src/index.js";
import { loadDatasets } from "../fixtures.js";

/** Evaluates a rule's conditions on a row independently of the implementation. */
function matches(rule: SegmentRule, row: Record<string, number | string | null>): boolean {
  const ok = (c: RuleCondition) => {
    const v = row[c.feature];
    if (c.kind === "numeric") {
      return (c.lower === undefined || (v as number) > c.lower) && (c.upper === undefined || (v as number) <= c.upper);
    }
    return c.equals !== undefined ? v === c.equals : !(c.notIn ?? []).includes(v as string | null);
  };
  return rule.alternatives.some((alt) => alt.every(ok));
}

describe("readableThreshold", () => {
  it("rounds to the fewest digits that keep the split", () => {
    expect(readableThreshold(1.9, 3.0, 2.45)).toBe(2);
    expect(readableThreshold(72, 73, 72.5)).toBe(72.5);
    expect(readableThreshold(0.6, 1.0)).toBe(0.8);
    expect(readableThreshold(1.7, 1.8)).toBe(1.75);
    expect(readableThreshold(-3.21, -3.2)).toBe(-3.21);
    expect(readableThreshold(1000, 2000)).toBe(1500);
    // With a tolerance, a dense split may move a little to read better.
    expect(readableThreshold(7.4771, 7.4773, 7.4772, 0.035)).toBe(7.5);
    expect(readableThreshold(7.4771, 7.4773, 7.4772)).toBe(7.4772);
    expect(formatRuleNumber(72.5)).toBe("72.5");
    expect(formatRuleNumber(0.1 + 0.2)).toBe("0.3");
  });
});

describe("decisionTreeRules", () => {
  it("describes separable segments with one condition each, precision and recall 1", () => {
    const X = [
      [20, 80],
      [25, 90],
      [30, 85],
      [80, 20],
      [90, 30],
      [85, 25],
      [80, 85],
      [90, 95],
    ];
    const labels = [0, 0, 0, 1, 1, 1, 2, 2];
    const r = decisionTreeRules(X, labels, { featureNames: ["income", "spending_score"] });
    expect(r.maxDepth).toBe(3);
    expect(r.minSamplesLeaf).toBe(1);
    // Thresholds: halfway between 30 and 80 is 55, shortened to 60 (still between them).
    expect(r.rules.map((x) => x.rule).slice(0, 2)).toEqual(["income <= 60", "spending_score <= 60"]);
    for (const rule of r.rules) {
      expect(rule).toMatchObject({ precision: 1, recall: 1, f1: 1, majority: true, treeAccuracy: 1 });
    }
    expect(r.rules[0].alternatives).toEqual([
      [{ feature: "income", kind: "numeric", upper: 60, text: "income <= 60" }],
    ]);
    // The greedy segment-vs-rest tree for segment 2 needs two alternatives.
    expect(r.rules[2].rule).toBe("(income > 60 and 80 < spending_score <= 90) or spending_score > 90");
  });

  it("computes precision and recall of the printed rule on the training rows", () => {
    const { X, labelsTrue } = loadDatasets().blobsOverlap;
    const names = ["a", "b", "c"];
    const r = decisionTreeRules(X, labelsTrue, { featureNames: names, maxDepth: 2 });
    for (const rule of r.rules) {
      let matched = 0;
      let tp = 0;
      let size = 0;
      for (let i = 0; i < X.rows; i++) {
        const row = Object.fromEntries(names.map((n, j) => [n, X.data[i * 3 + j]]));
        const inSegment = labelsTrue[i] === rule.label;
        if (inSegment) size++;
        if (matches(rule, row)) {
          matched++;
          if (inSegment) tp++;
        }
      }
      expect([rule.size, rule.matched, rule.truePositives]).toEqual([size, matched, tp]);
      expect(rule.precision).toBeCloseTo(tp / matched, 12);
      expect(rule.recall).toBeCloseTo(tp / size, 12);
      expect(rule.alternatives.every((a) => a.length <= 2)).toBe(true);
    }
    // Overlapping blobs: the rules are good but not perfect.
    expect(r.rules.some((x) => x.precision < 1)).toBe(true);
    expect(Math.min(...r.rules.map((x) => x.f1))).toBeGreaterThan(0.5);
  });

  it("merges conditions on one column into a range", () => {
    const X = [[1], [2], [3], [4], [5], [6], [7], [8], [9]];
    const r = decisionTreeRules(X, [0, 0, 0, 1, 1, 1, 2, 2, 2], { featureNames: ["v"] });
    expect(r.rules.map((x) => x.rule)).toEqual(["v <= 3.5", "3.5 < v <= 6.5", "v > 6.5"]);
    expect(r.rules[1].alternatives[0][0]).toMatchObject({ lower: 3.5, upper: 6.5 });
  });

  it("turns string columns into category conditions", () => {
    const f = frame({
      day: ["Sun", "Sun", "Sat", "Thur", "Fri", "Thur", "Sun", "Sat", "Fri", "Thur"],
      smoker: ["Yes", "No", "Yes", "No", "No", "No", "Yes", "No", "Yes", "No"],
      bill: Float64Array.of(30, 32, 28, 10, 12, 11, 31, 29, 13, 9),
    });
    const labels = [0, 0, 0, 1, 1, 1, 0, 0, 1, 1];
    const r = decisionTreeRules(f, labels);
    expect(r.rules[0].rule).toBe("bill > 20");
    const byDay = decisionTreeRules(frame({ day: f.columns[0] }), [0, 0, 1, 2, 2, 2, 0, 1, 2, 2]);
    expect(byDay.rules[0].rule).toBe("day is Sun");
    expect(byDay.rules[1].rule).toBe("day is Sat");
    expect(byDay.rules[2].rule).toBe("day is none of Sun, Sat");
    for (const rule of byDay.rules) expect(rule.precision).toBe(1);
    // Two categories: "is not Yes" reads as "is No".
    const bySmoker = decisionTreeRules(frame({ smoker: f.columns[1] }), [0, 1, 0, 1, 1, 1, 0, 1, 0, 1]);
    expect(bySmoker.rules.map((x) => x.rule)).toEqual(["smoker is Yes", "smoker is No"]);
  });

  it("falls back to the purest leaf when no leaf has a majority of the segment", () => {
    // Segment 1 (2 rows) is mixed into segment 0 everywhere with minSamplesLeaf 4.
    const X = [[1], [2], [3], [4], [5], [6], [7], [8]];
    const r = decisionTreeRules(X, [0, 1, 0, 0, 0, 1, 0, 0], { minSamplesLeaf: 4, featureNames: ["v"] });
    const rule = r.rules[1];
    expect(rule.majority).toBe(false);
    expect(rule.alternatives).toHaveLength(1);
    expect(rule.precision).toBeLessThan(0.5);
    expect(r.rules[0].rule).toBe("all rows");
  });

  it("gives noise a rule of its own and rejects missing values", () => {
    const r = decisionTreeRules([[0], [1], [10], [11], [50]], [0, 0, 1, 1, -1]);
    expect(r.rules.map((x) => x.id)).toEqual(["0", "1", "noise"]);
    expect(r.rules[2].rule).toBe("x0 > 30");
    expect(() => decisionTreeRules(frame({ v: Float64Array.of(1, Number.NaN) }), [0, 1])).toThrow(
      /missing value at row 1/,
    );
  });
});

describe("decisionTreeRules on a sample", () => {
  it("grows the trees on a seeded sample and scores the rule on every row", () => {
    const { X, labelsTrue } = loadDatasets().blobsOverlap;
    const r = decisionTreeRules(X, labelsTrue, { sampleSize: 100, seed: 3 });
    expect(r.treeRows).toBe(100);
    expect(r.minSamplesLeaf).toBe(3);
    expect(r.rules.reduce((a, x) => a + x.size, 0)).toBe(400);
    for (const rule of r.rules) expect(rule.recall).toBeGreaterThan(0.3);
    expect(decisionTreeRules(X, labelsTrue, { sampleSize: 100, seed: 3 })).toEqual(r);
    expect(decisionTreeRules(X, labelsTrue).treeRows).toBe(400);
  });
});
