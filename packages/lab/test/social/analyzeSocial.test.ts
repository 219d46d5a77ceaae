import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { memoryLogger } from "@clusterlab/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  accountClusterName,
  analyzeSocial,
  clusterAccounts,
  clusterPosts,
  comparePlantedSegments,
  computeSocialFeatures,
  generateSocialPosts,
  postClusterName,
  type SocialFeatures,
  socialAccountsTable,
  socialPostsTable,
  whatWorks,
  writeTable,
} from "../../src/index.js";

const bundled = join(import.meta.dirname, "../../../../examples/data/social_posts_synthetic.csv");
const quiet = { logger: memoryLogger() };

let dir: string;
let f: SocialFeatures;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "clusterlab-social-flow-"));
  f = await computeSocialFeatures(bundled);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("account clusters on the bundled synthetic posts", () => {
  // Measured (25 accounts, 3,000 posts): ARI 1.000 with k = 5 on the bundled file (seed 0) and on
  // files generated with seeds 1-3; the silhouette sweep picks k = 5 (ARI 1.000) on the bundled
  // file and seeds 2-3, k = 7 on seed 1 (ARI 0.897).
  it("recovers the planted segments with k = 5 (ARI > 0.95)", () => {
    expect(f.nAccounts).toBe(25);
    const c = clusterAccounts(f.accounts, { k: 5, ...quiet });
    const cmp = comparePlantedSegments(f.accounts.plantedSegment!, c.labels);
    expect(cmp.ari).toBeGreaterThan(0.95);
    expect(cmp.segments).toEqual(["brand", "creator", "dormant", "micro_community", "news"]);
    expect(cmp.counts.flat().reduce((a, b) => a + b, 0)).toBe(25);
    // The planted column is never a feature.
    expect(c.features.some((name) => name.includes("segment"))).toBe(false);
    // Names in plain words, one per planted segment.
    const nameOf = (segment: string) => c.profiles[c.labels[f.accounts.plantedSegment!.indexOf(segment)]].name;
    expect(nameOf("news")).toBe("High-volume, large-audience link sharers, low engagement");
    expect(nameOf("creator")).toBe("Photo and video creators, high engagement");
    expect(nameOf("micro_community")).toBe("Small-audience photo and text posters, high engagement");
    expect(nameOf("dormant")).toMatch(/^Rarely posting, small-audience .*, low engagement$/);
    // Cluster 0 has the highest median engagement rate.
    const rates = c.profiles.map((p) => p.medianRate.median);
    expect(rates).toEqual([...rates].sort((a, b) => b - a));
  });

  it("picks k by the silhouette and still recovers them (ARI > 0.8)", () => {
    const c = clusterAccounts(f.accounts, quiet);
    expect(c.chosenBy).toBe("silhouette");
    expect(c.sweep!.map((e) => e.k)).toEqual([2, 3, 4, 5, 6, 7, 8]);
    expect(c.k).toBe(5);
    expect(comparePlantedSegments(f.accounts.plantedSegment!, c.labels).ari).toBeGreaterThan(0.8);
  });

  it("recovers them on another seed's file too (ARI > 0.9 with k = 5)", async () => {
    const path = join(dir, "seed1.csv");
    await writeTable(path, generateSocialPosts({ rows: 3000, seed: 1 }).table);
    const g = await computeSocialFeatures(path);
    const c = clusterAccounts(g.accounts, { k: 5, ...quiet });
    expect(comparePlantedSegments(g.accounts.plantedSegment!, c.labels).ari).toBeGreaterThan(0.9);
  });
});

describe("post clusters and what works", () => {
  it("clusters posts by type, timing and text, ordered by lift", () => {
    const accounts = clusterAccounts(f.accounts, { k: 5, ...quiet });
    const p = clusterPosts(f.posts, f.types, { k: 5, ...quiet }, accounts.labels);
    expect(p.features).toContain("type:video");
    expect(p.features).not.toContain("log(rate)");
    expect(p.profiles.reduce((s, q) => s + q.size, 0)).toBe(3000);
    const lifts = p.profiles.map((q) => q.lift);
    expect(lifts).toEqual([...lifts].sort((a, b) => b - a));
    expect(p.profiles[0].name).toBe("Videos, high engagement");
    expect(p.profiles.at(-1)!.name).toBe("Links, low engagement");
    expect(p.profiles[0].bySegment!.reduce((s, b) => s + b.posts, 0)).toBe(p.profiles[0].size);

    const gmm = clusterPosts(f.posts, f.types, { algorithm: "gmm", k: 4, ...quiet });
    expect(gmm.algorithm).toBe("gmm");
    expect(new Set(gmm.labels).size).toBe(4);
    expect(gmm.profiles[0].bySegment).toBeNull();
  });

  it("finds that videos work and links do not on the synthetic posts", () => {
    const accounts = clusterAccounts(f.accounts, { k: 5, ...quiet });
    const groups = whatWorks(
      f.posts,
      f.types,
      accounts.labels,
      accounts.profiles.map((p) => p.name),
    );
    expect(groups.map((g) => g.cluster)).toEqual([null, 0, 1, 2, 3, 4]);
    expect(groups.reduce((s, g) => s + (g.cluster === null ? 0 : g.posts), 0)).toBe(3000);
    const type = groups[0].dimensions.find((d) => d.dimension === "type")!;
    expect(type.best).toBe("video");
    expect(type.worst).toBe("link");
    expect(groups[0].summary[0]).toMatch(/^type: best video 1\.\d\dx \(427 posts\), worst link 0\.\d\dx/);
  });
});

describe("analyzeSocial", () => {
  it("is deterministic per seed", async () => {
    const options = {
      level: "posts" as const,
      accountClustering: { seed: 3, ...quiet },
      postClustering: { seed: 3, kMax: 5, ...quiet },
    };
    const a = await analyzeSocial(bundled, options);
    const b = await analyzeSocial(bundled, options);
    expect(Array.from(b.accounts.labels)).toEqual(Array.from(a.accounts.labels));
    expect(Array.from(b.posts!.labels)).toEqual(Array.from(a.posts!.labels));
    expect(b.posts!.profiles.map((p) => p.name)).toEqual(a.posts!.profiles.map((p) => p.name));
    expect(b.whatWorks).toEqual(a.whatWorks);
    expect(a.comparison!.ari).toBeGreaterThan(0.8);

    // Leaving the segment column out changes nothing but the comparison.
    const c = await analyzeSocial(bundled, { ...options, columns: { segment: null } });
    expect(c.comparison).toBeNull();
    expect(Array.from(c.accounts.labels)).toEqual(Array.from(a.accounts.labels));

    // One row per account / per post with the features, cluster and cluster_name.
    const accountsTable = socialAccountsTable(a);
    expect(accountsTable.nRows).toBe(25);
    expect(accountsTable.columns.map((col) => col.name)).toEqual([
      "account",
      "posts",
      "posts_per_week",
      "followers",
      "median_rate",
      "mean_rate",
      "median_rate_impressions",
      "median_rate_followers",
      "median_engagement",
      "mean_engagement",
      "engagement_cv",
      "type_link",
      "type_photo",
      "type_text",
      "type_video",
      "daypart_night",
      "daypart_morning",
      "daypart_afternoon",
      "daypart_evening",
      "median_text_length",
      "cluster",
      "cluster_name",
    ]);
    const postsTable = socialPostsTable(a);
    expect(postsTable.nRows).toBe(3000);
    expect(postsTable.columns.slice(-4).map((col) => col.name)).toEqual([
      "account_cluster",
      "account_cluster_name",
      "cluster",
      "cluster_name",
    ]);
    await writeTable(join(dir, "posts.parquet"), postsTable);
  });
});

describe("cluster names", () => {
  it("names account clusters from the centre and the type mix", () => {
    const mix = (photo: number, video: number, link: number, text: number) => ({ photo, video, link, text });
    expect(
      accountClusterName(
        { "log(posts_per_week)": 1.2, "log(followers)": 0.8, "log(median_rate)": 0.1 },
        { typeMix: mix(0.1, 0.7, 0.1, 0.1), postsPerWeek: { median: 20, mean: 20 } },
      ),
    ).toBe("High-volume, large-audience video creators");
    expect(
      accountClusterName(
        { "log(posts_per_week)": -1.5, "log(followers)": 0, "log(median_rate)": -0.9 },
        { typeMix: mix(0.3, 0.2, 0.25, 0.25), postsPerWeek: { median: 0.5, mean: 0.6 } },
      ),
    ).toBe("Rarely posting mixed-content accounts, low engagement");
    expect(
      accountClusterName(
        { "log(posts_per_week)": 0, "log(median_rate)": 0.7 },
        { typeMix: { post: 1 }, postsPerWeek: { median: 3, mean: 3 } },
      ),
    ).toBe("Accounts, high engagement");
  });

  it("names post clusters from timing, content and lift", () => {
    const dayparts = { night: 0, morning: 0.1, afternoon: 0.1, evening: 0.8 };
    expect(
      postClusterName({
        typeMix: { video: 0.9, photo: 0.1 },
        daypartMix: dayparts,
        weekendShare: 0.2,
        lift: 1.5,
        questionShare: 0,
        hashtagShare: 0,
      }),
    ).toBe("Evening videos, high engagement");
    expect(
      postClusterName({
        typeMix: { link: 0.5, text: 0.4, photo: 0.1 },
        daypartMix: { night: 0.3, morning: 0.3, afternoon: 0.2, evening: 0.2 },
        weekendShare: 0.7,
        lift: 0.7,
        questionShare: 0.6,
        hashtagShare: 0,
      }),
    ).toBe("Weekend links and text posts with questions, low engagement");
  });
});
