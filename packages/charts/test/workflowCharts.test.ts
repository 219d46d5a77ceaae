import { describe, expect, it } from "vitest";
import { anomalyRankFigure, anomalyScatterFigure, FLAGGED_COLOR, NORMAL_COLOR } from "../src/anomalyRank.js";
import { clusterColor, NEUTRAL_COLOR } from "../src/colors.js";
import { contingencyFigure, wrap } from "../src/contingency.js";
import type {
  AnomalyResult,
  ImagePaletteEntry,
  RfmResult,
  SocialGroupRow,
  SocialResult,
  TextClusterResult,
} from "../src/index.js";
import { paletteFigure, percent } from "../src/palette.js";
import { rfmGridFigure, rfmScatterFigure, SEGMENT_COLORS, segmentColor, segmentSizesFigure } from "../src/rfm.js";
import {
  ALL_ACCOUNTS_COLOR,
  engagementBySegmentFigure,
  liftFigure,
  MIN_LEVEL_POSTS,
  postClustersFigure,
} from "../src/social.js";
import { textMapFigure, topTermsFigure } from "../src/topTerms.js";

// biome-ignore lint/suspicious/noExplicitAny: test access to nested trace fields
type Trace = Record<string, any>;

describe("palette", () => {
  const palette: ImagePaletteEntry[] = [
    { hex: "#bc6935", rgb: [188, 105, 53], lab: [53, 29, 43], share: 0.6, pixels: 600 },
    { hex: "#260d06", rgb: [38, 13, 6], lab: [6, 11, 8], share: 0.35, pixels: 350 },
    { hex: "#f5e3d1", rgb: [245, 227, 209], lab: [91, 3, 11], share: 0.05, pixels: 50 },
  ];

  it("draws one bar per colour, in the colour itself, as long as its share", () => {
    const f = paletteFigure(palette);
    const t = f.data[0] as Trace;
    expect(t.marker.color).toEqual(["#bc6935", "#260d06", "#f5e3d1"]);
    expect(t.x).toEqual([60, 35, 5]);
    expect(t.text).toEqual(["60%", "35%", "5.0%"]);
    expect(t.y[0]).toContain("#bc6935");
  });

  it("formats shares with a decimal below 10%", () => {
    expect(percent(0.331)).toBe("33%");
    expect(percent(0.052)).toBe("5.2%");
  });
});

describe("documents", () => {
  const cluster = {
    cluster: 2,
    size: 10,
    share: 0.5,
    topTerms: [
      { term: "linux", weight: 0.2 },
      { term: "ilug", weight: 0.1 },
    ],
    representatives: [],
  };
  it("top terms: bars in the cluster's colour, largest on top", () => {
    const t = topTermsFigure(cluster).data[0] as Trace;
    expect(t.y).toEqual(["linux", "ilug"]);
    expect(t.x).toEqual([0.2, 0.1]);
    expect(t.marker.color).toContain("89, 161, 79"); // clusterColor(2) = #59a14f
    expect(topTermsFigure(cluster).layout.yaxis?.autorange).toBe("reversed");
  });

  const map: TextClusterResult["map"] = {
    x: [0, 1, 2, 3],
    y: [1, 1, 0, 0],
    cluster: [0, 1, 0, -1],
    row: [0, 1, 2, 3],
    preview: ["a", "b", "c", "d"],
    label: ["ham", "spam", "spam", "ham"],
    explainedVarianceRatio: [0.1, 0.05],
    sampled: false,
  };
  it("map: one trace per cluster (noise grey), hover with the document, class shapes on demand", () => {
    const f = textMapFigure(map);
    expect(f.data.map((t) => (t as Trace).name)).toEqual(["Noise", "Cluster 0", "Cluster 1"]);
    expect((f.data[0] as Trace).marker.color).toBe(NEUTRAL_COLOR);
    expect((f.data[1] as Trace).x).toEqual([0, 2]);
    expect((f.data[1] as Trace).customdata[1]).toEqual([2, "c", "spam"]);
    expect((f.data[1] as Trace).marker.symbol).toEqual(["circle", "circle"]);
    const shaped = textMapFigure(map, { bySymbol: true });
    expect((shaped.data[1] as Trace).marker.symbol).toEqual(["circle", "diamond"]);
    expect(f.layout.xaxis?.title).toMatchObject({ text: expect.stringContaining("10.0%") });
  });
});

describe("contingency", () => {
  it("colours each cell by its share of the row and writes the count (empty cells blank)", () => {
    const f = contingencyFigure({
      rows: ["Champions", "Lost"],
      columns: ["0", "1"],
      counts: [
        [3, 1],
        [0, 4],
      ],
      rowTitle: "segment",
      columnTitle: "cluster",
    });
    const t = f.data[0] as Trace;
    expect(t.z).toEqual([
      [0.75, 0.25],
      [0, 1],
    ]);
    expect(t.text).toEqual([
      ["3", "1"],
      ["", "4"],
    ]);
    expect(t.zmax).toBe(1);
  });

  it("wraps long labels at spaces", () => {
    expect(wrap("2 · Long inactive, occasional, mid spend", 16)).toBe(
      "2 · Long<br>inactive,<br>occasional, mid<br>spend",
    );
    expect(wrap("short", 16)).toBe("short");
  });
});

describe("customers (RFM)", () => {
  const m = { mean: 1, median: 1 };
  const segments: RfmResult["segments"] = [
    { segment: "Champions", description: "best", count: 30, share: 0.6, recency: m, frequency: m, monetary: m },
    { segment: "Lost", description: "gone", count: 20, share: 0.4, recency: m, frequency: m, monetary: m },
  ];
  it("segment sizes: a bar per segment in its own colour, with count and share", () => {
    const t = segmentSizesFigure(segments).data[0] as Trace;
    expect(t.y).toEqual(["Champions", "Lost"]);
    expect(t.x).toEqual([30, 20]);
    expect(t.marker.color).toEqual([SEGMENT_COLORS.Champions, SEGMENT_COLORS.Lost]);
    expect(t.text).toEqual(["30 (60%)", "20 (40%)"]);
    expect(segmentColor("unknown")).toBe("#9ca3af");
  });

  it("every named segment has its own colour", () => {
    expect(Object.keys(SEGMENT_COLORS)).toHaveLength(11);
    expect(new Set(Object.values(SEGMENT_COLORS)).size).toBe(11);
  });

  it("scatter: a trace per cluster named after it, monetary on a log axis", () => {
    const f = rfmScatterFigure(
      {
        recency: [1, 50, 300],
        frequency: [9, 1, 4],
        monetary: [500, 0, 80],
        cluster: [0, 1, 0],
        segment: ["A", "B", "C"],
      },
      [
        { cluster: 0, name: "Best", size: 2, share: 2 / 3, recency: m, frequency: m, monetary: m },
        { cluster: 1, name: "Gone", size: 1, share: 1 / 3, recency: m, frequency: m, monetary: m },
      ],
    );
    expect(f.data.map((t) => (t as Trace).name)).toEqual(["0 · Best", "1 · Gone"]);
    expect((f.data[0] as Trace).x).toEqual([1, 300]);
    // A zero spend still shows on the log axis.
    expect((f.data[1] as Trace).y[0]).toBeGreaterThan(0);
    expect(f.layout.yaxis?.type).toBe("log");
    expect((f.data[0] as Trace).marker.color).toBe(clusterColor(0));
  });

  it("R x F grid: R 5 on top, counts and segment per cell", () => {
    const counts = Array.from({ length: 5 }, (_, r) => Array.from({ length: 5 }, (_, f) => 10 * (r + 1) + f + 1));
    const names = Array.from({ length: 5 }, (_, i) =>
      Array.from({ length: 5 }, (_, f) => (i === 0 && f > 2 ? "Champions" : "Lost")),
    );
    const t = rfmGridFigure(counts, names).data[0] as Trace;
    expect(t.y[0]).toBe("R 5");
    // The first row drawn is R = 5: counts[4].
    expect(t.text[0][4]).toContain("<b>55</b>");
    expect(t.text[0][4]).toContain("Champions");
    expect(t.text[4][0]).toContain("<b>11</b>");
    expect(t.customdata[0][3]).toBe("Champions");
  });
});

describe("social media", () => {
  const level = (value: string, posts: number, lift: number) => ({ value, posts, share: 0, medianRate: 0.01, lift });
  const groups: SocialGroupRow[] = [
    {
      group: "all accounts",
      cluster: null,
      accounts: 3,
      posts: 100,
      medianRate: 0.02,
      dimensions: [
        { dimension: "type", levels: [level("video", 40, 1.4), level("link", 60, 0.8)], best: "video", worst: "link" },
      ],
      summary: [],
    },
    {
      group: "Creators",
      cluster: 1,
      accounts: 1,
      posts: 30,
      medianRate: 0.03,
      dimensions: [
        {
          dimension: "type",
          levels: [level("video", 25, 1.5), level("link", MIN_LEVEL_POSTS - 1, 0.5)],
          best: null,
          worst: null,
        },
      ],
      summary: [],
    },
  ];

  it("lift by type: grouped bars per group, thin levels left out, the line at 1", () => {
    const f = liftFigure(groups, "type", "bar", ["video", "link", "photo"]);
    const [all, creators] = f.data as Trace[];
    expect(all.marker.color).toBe(ALL_ACCOUNTS_COLOR);
    expect(all.x).toEqual(["video", "link"]);
    expect(all.y).toEqual([1.4, 0.8]);
    expect(creators.marker.color).toBe(clusterColor(1));
    expect(creators.x).toEqual(["video"]);
    expect(f.layout.barmode).toBe("group");
    expect(f.layout.shapes?.[0]).toMatchObject({ y0: 1, y1: 1 });
  });

  it("lift as lines: every category on the x axis, gaps where a group has too few posts", () => {
    const t = liftFigure(groups, "type", "line", ["video", "link"]).data[1] as Trace;
    expect(t.mode).toBe("lines+markers");
    expect(t.x).toEqual(["video", "link"]);
    expect(t.y).toEqual([1.5, null]);
  });

  const result = {
    accounts: {
      k: 2,
      chosenBy: "user",
      reason: "",
      silhouette: 0.5,
      profiles: [
        {
          cluster: 0,
          name: "Video creators",
          size: 2,
          share: 0.5,
          accounts: ["a", "b"],
          posts: 80,
          postsPerWeek: 5,
          followers: 1000,
          medianRate: 0.05,
          typeMix: {},
          daypartMix: {},
        },
        {
          cluster: 1,
          name: "Link sharers",
          size: 2,
          share: 0.5,
          accounts: ["c", "d"],
          posts: 20,
          postsPerWeek: 1,
          followers: 10,
          medianRate: 0.01,
          typeMix: {},
          daypartMix: {},
        },
      ],
    },
    whatWorks: groups,
  } as unknown as SocialResult;

  it("engagement by segment: a bar per account cluster in its colour, the all-posts median dashed", () => {
    const f = engagementBySegmentFigure(result);
    const t = f.data[0] as Trace;
    expect(t.x).toEqual([5, 1]);
    expect(t.marker.color).toEqual([clusterColor(0), clusterColor(1)]);
    expect(t.text).toEqual(["5.0%", "1.0%"]);
    expect(f.layout.shapes?.[0]).toMatchObject({ x0: 2, x1: 2 });
  });

  it("post clusters: lift bars with the line at 1", () => {
    const f = postClustersFigure({
      k: 2,
      chosenBy: "user",
      silhouette: 0.3,
      profiles: [
        {
          cluster: 0,
          name: "Videos",
          size: 5,
          share: 0.5,
          medianRate: 0.02,
          lift: 1.4,
          typeMix: {},
          peakHour: 9,
          weekendShare: 0.2,
          medianTextLength: 30,
        },
        {
          cluster: 1,
          name: "Links",
          size: 5,
          share: 0.5,
          medianRate: 0.01,
          lift: 0.7,
          typeMix: {},
          peakHour: 14,
          weekendShare: 0.2,
          medianTextLength: 60,
        },
      ],
    });
    const t = f.data[0] as Trace;
    expect(t.x).toEqual([1.4, 0.7]);
    expect(t.text).toEqual(["1.40x", "0.70x"]);
    expect(f.layout.shapes?.[0]).toMatchObject({ x0: 1, x1: 1 });
  });
});

describe("anomalies", () => {
  const map: AnomalyResult["map"] = {
    x: [0, 1, 2, 3],
    y: [0, 1, 0, 1],
    score: [0.5, 3, 1, 2],
    flagged: [false, true, false, true],
    known: [false, true, true, false],
    row: [10, 11, 12, 13],
    explainedVarianceRatio: [0.4, 0.2],
  };

  it("scatter: flagged rows in their own trace, ringed red; known outliers as diamonds", () => {
    const [normal, flagged] = anomalyScatterFigure(map).data as Trace[];
    expect(normal.x).toEqual([0, 2]);
    expect(flagged.x).toEqual([1, 3]);
    expect(flagged.marker.line.color).toBe(FLAGGED_COLOR);
    expect(normal.marker.symbol).toEqual(["circle", "diamond"]);
    expect(flagged.marker.symbol).toEqual(["diamond", "circle"]);
    expect(flagged.customdata[0]).toEqual([11, 3, "yes"]);
  });

  it("rank: scores sorted high to low, flagged red, known outliers marked, the cut dashed", () => {
    const f = anomalyRankFigure(map, 2);
    const [bars, known] = f.data as Trace[];
    expect(bars.y).toEqual([3, 2, 1, 0.5]);
    expect(bars.customdata).toEqual([11, 13, 12, 10]);
    expect(bars.marker.color).toEqual([FLAGGED_COLOR, FLAGGED_COLOR, NORMAL_COLOR, NORMAL_COLOR]);
    expect(known.x).toEqual([1, 3]);
    expect(f.layout.shapes?.[0]).toMatchObject({ y0: 2, y1: 2 });
    const unlabelled = anomalyRankFigure({ ...map, known: null }, null);
    expect(unlabelled.data).toHaveLength(1);
    expect(unlabelled.layout.shapes).toEqual([]);
  });
});
