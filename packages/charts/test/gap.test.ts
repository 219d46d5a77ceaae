import { describe, expect, it } from "vitest";
import { GAP_COLOR, type GapSweepResult, gapFigure, STABLE_JACCARD_LINE } from "../src/gap.js";
import { gapFigure as fromIndex } from "../src/index.js";

// Traces are plain objects; the tests read their fields without Plotly's trace union types.
// biome-ignore lint/suspicious/noExplicitAny: test access to nested trace fields
type Trace = Record<string, any>;

const result: GapSweepResult = {
  ks: [1, 2, 3, 4, 5],
  gap: [0.1, 0.5, 0.8, 0.82, 0.8],
  s: [0.02, 0.03, 0.05, 0.04, 0.06],
  k: 3,
  reason: "smallest k with Gap(k) >= Gap(k+1) - s(k+1): k=3 (Gap 0.800 >= 0.820 - 0.040)",
  b: 10,
  stability: [null, 0.95, 0.86, 0.7, 0.62],
  stabilityMin: [null, 0.93, 0.78, 0.51, 0.4],
  stableK: 3,
  nBootstrap: 10,
  rowsUsed: 150,
  sampled: false,
  nRows: 150,
  rowsDropped: 0,
};

describe("gapFigure", () => {
  it("is exported by the package", () => {
    expect(fromIndex).toBe(gapFigure);
  });

  it("draws Gap(k) for every k with its standard-error bars", () => {
    const fig = gapFigure(result, 3);
    const gap = fig.data[0] as Trace;
    expect(gap.x).toEqual([1, 2, 3, 4, 5]);
    expect(gap.y).toEqual(result.gap);
    expect(gap.error_y.array).toEqual(result.s);
    expect(gap.error_y.visible).toBe(true);
    expect(gap.line.color).toBe(GAP_COLOR);
    expect(gap.yaxis).toBeUndefined();
  });

  it("draws the stability (mean and weakest cluster) on the second axis, from k = 2", () => {
    const fig = gapFigure(result, null);
    const [mean, weakest] = [fig.data[1] as Trace, fig.data[2] as Trace];
    expect(mean.yaxis).toBe("y2");
    expect(weakest.yaxis).toBe("y2");
    expect(mean.x).toEqual([2, 3, 4, 5]);
    expect(mean.y).toEqual([0.95, 0.86, 0.7, 0.62]);
    expect(weakest.y).toEqual([0.93, 0.78, 0.51, 0.4]);
    expect(fig.layout.yaxis2?.overlaying).toBe("y");
    expect(fig.layout.yaxis2?.range).toEqual([0, 1.05]);
  });

  it("marks Tibshirani's k at its gap and draws the 0.75 line on the stability axis", () => {
    const fig = gapFigure(result, null);
    const choice = fig.data.find((t) => (t as Trace).name === "Gap choice") as Trace;
    expect(choice.x).toEqual([3]);
    expect(choice.y).toEqual([0.8]);
    const line = fig.layout.shapes?.find((s) => s.yref === "y2");
    expect(line?.y0).toBe(STABLE_JACCARD_LINE);
    expect(line?.y1).toBe(0.75);
    expect(line?.xref).toBe("paper");
    const texts = fig.layout.annotations?.map((a) => a.text);
    expect(texts).toContain("gap k = 3");
    expect(texts).toContain("stable ≥ 0.75");
  });

  it("shades the current k only when it is in the range", () => {
    const band = (k: number | null) => gapFigure(result, k).layout.shapes?.filter((s) => s.type === "rect") ?? [];
    expect(band(4)).toHaveLength(1);
    expect(band(4)[0].x0).toBeCloseTo(3.65);
    expect(band(9)).toHaveLength(0);
    expect(band(null)).toHaveLength(0);
  });

  it("leaves out a k whose stability failed, and keeps a null weakest cluster as a gap", () => {
    const fig = gapFigure(
      { ...result, stability: [null, 0.9, null, 0.7, 0.6], stabilityMin: [null, 0.8, null, null, 0.5] },
      2,
    );
    const [mean, weakest] = [fig.data[1] as Trace, fig.data[2] as Trace];
    expect(mean.x).toEqual([2, 4, 5]);
    expect(weakest.y[1]).toBeNaN();
  });

  it("is plain JSON (no functions, no typed arrays)", () => {
    const fig = gapFigure(result, 3);
    expect(JSON.parse(JSON.stringify(fig))).toEqual(fig);
  });
});
