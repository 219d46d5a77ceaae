import type { DistributionSummary, PreprocessPreviewFeature, ProfileColumn } from "@clusterlab/charts";
import {
  AFTER_COLOR,
  BEFORE_COLOR,
  beforeAfterFigure,
  beforeAfterHeight,
  binCentres,
  CATEGORICAL_COLOR,
  COMPLETE_COLOR,
  CORRELATION_SCALE,
  correlationFigure,
  distributionsFigure,
  distributionsHeight,
  MISSING_COLOR,
  missingFigure,
  NUMERIC_COLOR,
  OTHER_COLOR,
  smallMultiples,
} from "@clusterlab/charts";
import { describe, expect, it } from "vitest";
import { hopkinsReading } from "../src/pages/dataModel.js";

// biome-ignore lint/suspicious/noExplicitAny: test access to nested trace fields
type Trace = Record<string, any>;

function column(name: string, patch: Partial<ProfileColumn>): ProfileColumn {
  return {
    name,
    type: "DOUBLE",
    role: "numeric",
    reason: "",
    inferredRole: "numeric",
    userSet: false,
    count: 10,
    missing: 0,
    missingShare: 0,
    distinct: 10,
    numeric: null,
    categories: null,
    lengths: null,
    range: null,
    ...patch,
  };
}

const numericColumn = column("bill", {
  missing: 2,
  missingShare: 0.2,
  numeric: {
    mean: 2,
    std: 1,
    min: 0,
    q05: 0,
    q25: 1,
    median: 2,
    q75: 3,
    q95: 4,
    max: 4,
    skewness: 0,
    outliers: 0,
    outlierFences: [-2, 6],
    histogram: { edges: [0, 2, 4], counts: [3, 5] },
  },
});
const categoricalColumn = column("island", {
  type: "VARCHAR",
  role: "categorical",
  inferredRole: "categorical",
  categories: {
    top: [
      { value: "Biscoe", count: 5, share: 0.5 },
      { value: "Dream", count: 3, share: 0.3 },
      { value: "Torgersen", count: 2, share: 0.2 },
    ],
    otherCount: 0,
    otherValues: 0,
  },
});
const textColumn = column("notes", { type: "VARCHAR", role: "text", inferredRole: "text" });

describe("small multiples", () => {
  it("lays cells out row by row with their own axes and titles", () => {
    const g = smallMultiples(["a", "b", "c", "d", "e"], { columns: 2 });
    expect(g.rows).toBe(3);
    expect(g.cell(0)).toEqual({ xaxis: "x", yaxis: "y" });
    expect(g.cell(4)).toEqual({ xaxis: "x5", yaxis: "y5" });
    expect(g.axes.xaxis.domain![0]).toBe(0);
    expect(g.axes.xaxis2.domain![0]).toBeGreaterThan(g.axes.xaxis.domain![1]);
    // Row 2 sits below row 1, and the last row reaches the bottom.
    expect(g.axes.yaxis3.domain![1]).toBeLessThan(g.axes.yaxis.domain![0]);
    expect(g.axes.yaxis5.domain![0]).toBeCloseTo(0, 10);
    expect(g.axes.xaxis3.anchor).toBe("y3");
    expect(g.titles.map((t) => t.text)).toEqual(["a", "b", "c", "d", "e"]);
  });

  it("puts bars at the bin centres, as wide as the bins", () => {
    expect(binCentres([0, 2, 5])).toEqual({ x: [1, 3.5], width: [2, 3] });
  });
});

describe("distributions", () => {
  it("draws a histogram per numeric column and the top categories per categorical one, skipping text", () => {
    const f = distributionsFigure([numericColumn, textColumn, categoricalColumn], { maxCategories: 2 });
    expect(f.data).toHaveLength(2);
    const [hist, bars] = f.data as Trace[];
    expect(hist.x).toEqual([1, 3]);
    expect(hist.y).toEqual([3, 5]);
    expect(hist.marker.color).toBe(NUMERIC_COLOR);
    expect(hist.xaxis).toBe("x");
    expect(bars.x).toEqual(["Biscoe", "Dream", "other"]);
    expect(bars.y).toEqual([5, 3, 2]);
    expect(bars.marker.color).toEqual([CATEGORICAL_COLOR, CATEGORICAL_COLOR, OTHER_COLOR]);
    expect(bars.xaxis).toBe("x2");
    expect((f.layout as Trace).xaxis2.type).toBe("category");
    const titles = (f.layout.annotations ?? []).map((a) => a.text);
    expect(titles[0]).toContain("2 missing");
    expect(titles[1]).toContain("categorical");
    expect(distributionsHeight([numericColumn, textColumn, categoricalColumn], 4, 100)).toBe(140);
  });
});

describe("missing values", () => {
  it("lists every column, most missing on top, with counts and shares", () => {
    const f = missingFigure([categoricalColumn, numericColumn, textColumn], 10);
    const t = f.data[0] as Trace;
    // Plotly draws the first category at the bottom: the most missing column comes last.
    expect(t.y).toEqual(["notes", "island", "bill"]);
    expect(t.x[2]).toBe(20);
    expect(t.text[2]).toBe("2 (20%)");
    expect(t.text[0]).toBe("none");
    expect(t.marker.color).toEqual([COMPLETE_COLOR, COMPLETE_COLOR, MISSING_COLOR]);
    expect(t.x[0]).toBeGreaterThan(0);
    expect(t.x[0]).toBeLessThan(1);
  });
});

describe("correlation heatmap", () => {
  it("uses a fixed [-1, 1] diverging scale and writes r in each defined cell", () => {
    const f = correlationFigure({
      columns: ["a", "b", "c"],
      matrix: [
        [1, -0.8, null],
        [-0.8, 1, 0.1234],
        [null, 0.1234, 1],
      ],
      top: [],
    });
    const t = f.data[0] as Trace;
    expect(t.zmin).toBe(-1);
    expect(t.zmax).toBe(1);
    expect(t.colorscale).toBe(CORRELATION_SCALE);
    expect(t.z[1][2]).toBe(0.123);
    const notes = f.layout.annotations ?? [];
    // 9 cells, 2 undefined.
    expect(notes).toHaveLength(7);
    const strong = notes.find((a) => a.x === "b" && a.y === "a")!;
    expect(strong.text).toBe("-0.80");
    expect(strong.font?.color).toBe("#ffffff");
    expect((f.layout.yaxis as Trace).autorange).toBe("reversed");
  });
});

describe("before / after", () => {
  const summary = (lo: number, hi: number): DistributionSummary => ({
    count: 4,
    min: lo,
    q25: lo + (hi - lo) / 4,
    median: (lo + hi) / 2,
    q75: lo + ((hi - lo) * 3) / 4,
    max: hi,
    mean: (lo + hi) / 2,
    lowerFence: lo,
    upperFence: hi,
    histogram: { edges: [lo, (lo + hi) / 2, hi], counts: [1, 3] },
  });
  const features: PreprocessPreviewFeature[] = [
    { name: "income", before: summary(0, 1000), after: summary(-1, 2) },
    { name: "age", before: summary(18, 90), after: null },
  ];

  it("puts each feature's raw histogram beside its preprocessed one, quartiles shaded, median dotted", () => {
    const f = beforeAfterFigure(features, { afterLabel: "log1p, standardised" });
    const traces = f.data as Trace[];
    // income before, income after, age before (age has no "after").
    expect(traces).toHaveLength(3);
    expect(traces[0].marker.color).toBe(BEFORE_COLOR);
    expect(traces[1].marker.color).toBe(AFTER_COLOR);
    expect([traces[0].xaxis, traces[1].xaxis, traces[2].xaxis]).toEqual(["x", "x2", "x3"]);
    expect(traces[1].x).toEqual([-0.25, 1.25]);
    const titles = (f.layout.annotations ?? []).map((a) => a.text as string);
    expect(titles).toHaveLength(4);
    expect(titles[0]).toContain("raw · median 500, IQR 250 to 750");
    expect(titles[1]).toContain("log1p, standardised · median 0.5");
    expect(titles[3]).toContain("no values");
    const shapes = f.layout.shapes ?? [];
    expect(shapes).toHaveLength(6);
    expect(shapes[1]).toMatchObject({ type: "line", x0: 500, xref: "x", yref: "y domain" });
    expect(beforeAfterHeight(features, 8, 100)).toBe(240);
  });
});

describe("Hopkins reading", () => {
  it("gives the statistic and what it means in one line", () => {
    expect(hopkinsReading({ statistic: 0.8213, interpretation: "strong clustering tendency" })).toBe(
      "0.82: strong clustering tendency",
    );
  });
});
