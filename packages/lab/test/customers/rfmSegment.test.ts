import { describe, expect, it } from "vitest";
import {
  clusterRfm,
  compareSegments,
  RFM_SEGMENT_DESCRIPTIONS,
  RFM_SEGMENTS,
  type RfmSegment,
  rfmClusterName,
  rfmSegment,
} from "../../src/index.js";

describe("rfmSegment", () => {
  it("follows the R/F grid on hand-made score combinations", () => {
    const cases: [number, number, RfmSegment][] = [
      [5, 5, "Champions"],
      [5, 4, "Champions"],
      [4, 5, "Loyal Customers"],
      [3, 4, "Loyal Customers"],
      [3, 5, "Loyal Customers"],
      [5, 2, "Potential Loyalists"],
      [4, 3, "Potential Loyalists"],
      [5, 1, "New Customers"],
      [4, 1, "Promising"],
      [3, 3, "Need Attention"],
      [3, 1, "About to Sleep"],
      [3, 2, "About to Sleep"],
      [2, 5, "Can't Lose Them"],
      [1, 5, "Can't Lose Them"],
      [2, 3, "At Risk"],
      [1, 4, "At Risk"],
      [2, 1, "Hibernating"],
      [2, 2, "Hibernating"],
      [1, 1, "Lost"],
      [1, 2, "Lost"],
    ];
    for (const [r, f, segment] of cases) expect(`${r}${f} ${rfmSegment(r, f)}`).toBe(`${r}${f} ${segment}`);
  });

  it("covers all 25 cells with the 11 named segments, each described", () => {
    const seen = new Set<string>();
    for (let r = 1; r <= 5; r++) for (let f = 1; f <= 5; f++) seen.add(rfmSegment(r, f));
    expect([...seen].sort()).toEqual([...RFM_SEGMENTS].sort());
    for (const s of RFM_SEGMENTS) expect(RFM_SEGMENT_DESCRIPTIONS[s].length).toBeGreaterThan(5);
  });

  it("refuses scores outside 1-5", () => {
    expect(() => rfmSegment(0, 3)).toThrow("invalid r: 0 (must be an integer score 1-5)");
    expect(() => rfmSegment(3, 6)).toThrow("invalid f: 6");
    expect(() => rfmSegment(2.5, 3)).toThrow("invalid r: 2.5");
  });
});

describe("rfmClusterName", () => {
  it("puts the centre into plain words", () => {
    expect(rfmClusterName({ recency: -1, frequency: 1.2, monetary: 0.9 })).toBe("Recent, frequent, high spend");
    expect(rfmClusterName({ recency: 1.1, frequency: -0.8, monetary: -0.7 }, 1)).toBe(
      "Long inactive, one-time, low spend",
    );
    expect(rfmClusterName({ recency: 0.2, frequency: -0.8, monetary: 0 }, 2)).toBe(
      "Moderately recent, infrequent, mid spend",
    );
    expect(rfmClusterName({ recency: -0.6, frequency: 0.1, monetary: 0.4 })).toBe("Recent, occasional, mid spend");
  });
});

describe("clusterRfm and compareSegments", () => {
  // Three obvious groups: recent big spenders, old one-timers, recent one-timers.
  const recency = new Float64Array([2, 3, 4, 2, 300, 320, 350, 310, 5, 6, 4, 5]);
  const frequency = new Float64Array([20, 25, 22, 30, 1, 1, 2, 1, 1, 1, 1, 2]);
  const monetary = new Float64Array([2000, 2500, 2200, 3000, 20, 25, 30, 22, 15, 20, 18, 25]);

  it("clusters, orders clusters by value and names them", () => {
    const c = clusterRfm({ recency, frequency, monetary }, { k: 3, logger: { warn() {} } });
    expect(c.k).toBe(3);
    expect(c.chosenBy).toBe("user");
    expect(Array.from(c.labels)).toEqual([0, 0, 0, 0, 2, 2, 2, 2, 1, 1, 1, 1]);
    expect(c.profiles.map((p) => p.name)).toEqual([
      "Recent, frequent, high spend",
      "Recent, one-time, low spend",
      "Long inactive, one-time, low spend",
    ]);
    expect(c.profiles[0]).toMatchObject({ size: 4, share: 1 / 3 });
    expect(c.profiles[0].frequency).toEqual({ mean: 24.25, median: 23.5 });
    expect(c.profiles[2].recency.median).toBe(315);
    expect(c.silhouette).toBeGreaterThan(0.5);
  });

  it("chooses k by the silhouette when not given, and refuses k > customers", () => {
    const c = clusterRfm({ recency, frequency, monetary }, { logger: { warn() {} } });
    expect(c.chosenBy).toBe("silhouette");
    expect(c.sweep?.map((e) => e.k)).toEqual([2, 3, 4, 5, 6, 7, 8]);
    expect(c.k).toBe(3);
    expect(() => clusterRfm({ recency, frequency, monetary }, { k: 13 })).toThrow(
      "invalid k: 13 (must be <= the number of customers, 12)",
    );
  });

  it("compares segments with clusters: contingency table and ARI", () => {
    const same = compareSegments(["Champions", "Champions", "Lost", "Lost"], [1, 1, 0, 0]);
    expect(same).toEqual({
      ari: 1,
      segments: ["Champions", "Lost"],
      clusters: [0, 1],
      counts: [
        [0, 2],
        [2, 0],
      ],
    });
    const mixed = compareSegments(["Lost", "Champions", "Lost", "Champions"], [0, 0, 1, 1]);
    expect(mixed.segments).toEqual(["Champions", "Lost"]);
    expect(mixed.counts).toEqual([
      [1, 1],
      [1, 1],
    ]);
    expect(mixed.ari).toBeCloseTo(-0.5, 10);
  });
});
