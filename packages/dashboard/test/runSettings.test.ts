import { describe, expect, it } from "vitest";
import type { RunSettings } from "../src/api.js";
import { paramsText, runTitle, settingsFromRun, sortRows, whenText } from "../src/runSettings.js";

const settings: RunSettings = {
  dataset: "wine",
  columns: ["alcohol", "proline"],
  scaling: "robust",
  dropMissing: true,
  seed: 0,
  algorithm: "agglomerative",
  params: { k: 4, linkage: "average", metric: "manhattan", distanceThreshold: 2.5 },
};

describe("settingsFromRun", () => {
  it("maps a run's settings and parameters onto the Cluster page's settings", () => {
    expect(settingsFromRun(settings)).toEqual({
      dataset: "wine",
      columns: ["alcohol", "proline"],
      scaling: "robust",
      algorithm: "agglomerative",
      k: 4,
      linkage: "average",
      metric: "manhattan",
      cutHeight: 2.5,
    });
  });

  it("keeps a resolved eps (the same DBSCAN cut) and leaves a null min cluster size out", () => {
    const s = settingsFromRun({
      ...settings,
      algorithm: "dbscan",
      params: { eps: 0.412, minSamples: 7, minClusterSize: null },
    });
    expect(s).toMatchObject({ algorithm: "dbscan", eps: 0.412, minSamples: 7 });
    expect(s).not.toHaveProperty("minClusterSize");
  });
});

describe("run text", () => {
  it("lists parameters other than k, leaving the default metric out", () => {
    expect(paramsText({ k: 3, linkage: "ward", metric: "euclidean" })).toBe("linkage ward");
    expect(paramsText({ eps: 0.41234, minSamples: 5, metric: "cosine" })).toBe(
      "metric cosine · eps 0.412 · min samples 5",
    );
    expect(paramsText({ k: 3 })).toBe("");
  });

  it("titles a run by its algorithm and clusters, or by its name", () => {
    expect(runTitle({ algorithm: "kmeans", k: 3, name: null, nNoise: 0 })).toBe("K-means, k = 3");
    expect(runTitle({ algorithm: "dbscan", k: 2, name: null, nNoise: 4 })).toBe("DBSCAN, k = 2 + noise");
    expect(runTitle({ algorithm: "dbscan", k: 2, name: "my run", nNoise: 4 })).toBe("my run");
  });

  it("says when a run was made", () => {
    const now = Date.parse("2026-03-01T12:00:00Z");
    expect(whenText("2026-03-01T11:59:30Z", now)).toBe("just now");
    expect(whenText("2026-03-01T11:45:00Z", now)).toBe("15 min ago");
    expect(whenText("2026-03-01T09:00:00Z", now)).toBe("3 h ago");
    expect(whenText("2026-02-20T09:05:00Z", now)).toMatch(/^2026-02-20 \d\d:05$/);
  });
});

describe("sortRows (the comparison table)", () => {
  const row = (algorithm: string, silhouette: number | null, title = algorithm) =>
    ({ algorithm, title, silhouette, rank: null }) as Parameters<typeof sortRows>[0][number];

  it("sorts by a column either way, rows without a value last", () => {
    const rows = [row("a", 0.2), row("b", null), row("c", 0.5), row("d", 0.1)];
    expect(sortRows(rows, "silhouette", true).map((r) => r.algorithm)).toEqual(["c", "a", "d", "b"]);
    expect(sortRows(rows, "silhouette", false).map((r) => r.algorithm)).toEqual(["d", "a", "c", "b"]);
    expect(sortRows(rows, "title", false).map((r) => r.algorithm)).toEqual(["a", "b", "c", "d"]);
  });
});
