import { adjustedRandScore, KMeans, StandardScaler } from "@clusterlab/core";
import { describe, expect, it } from "vitest";
import { generateSocialPosts, getColumn, POST_TYPES, SOCIAL_SEGMENTS, type Table } from "../../src/index.js";

const values = (table: Table, name: string) => getColumn(table, name).values;

describe("generateSocialPosts", () => {
  it("is deterministic per seed and differs between seeds", () => {
    const a = generateSocialPosts({ rows: 400, seed: 5 });
    expect(generateSocialPosts({ rows: 400, seed: 5 })).toEqual(a);
    expect(values(generateSocialPosts({ rows: 400, seed: 6 }).table, "likes")).not.toEqual(values(a.table, "likes"));
  });

  it("writes exactly `rows` posts with heavy-tailed engagement", () => {
    const { table, accounts, accountSegments } = generateSocialPosts({ rows: 2000, seed: 0 });
    expect(table.nRows).toBe(2000);
    expect(table.columns.map((c) => c.name)).toEqual([
      "post_id",
      "account",
      "account_segment",
      "followers",
      "posted_at",
      "type",
      "text",
      "likes",
      "comments",
      "shares",
      "impressions",
    ]);
    expect(accounts).toHaveLength(25);
    expect(new Set(accounts).size).toBe(25);
    expect(accountSegments.slice(0, 5)).toEqual([...SOCIAL_SEGMENTS]);
    expect(new Set(values(table, "type") as string[])).toEqual(new Set(POST_TYPES));
    const times = values(table, "posted_at") as string[];
    expect(times[0] >= "2024-10-03 00:00:00").toBe(true);
    expect(times.at(-1)! <= "2024-12-31 23:59:59").toBe(true);
    expect(times.every((t) => /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:00$/.test(t))).toBe(true);
    const likes = Array.from(values(table, "likes") as Float64Array).sort((x, y) => x - y);
    expect(likes.every((x) => Number.isInteger(x) && x >= 0)).toBe(true);
    // Heavy tail: the 99th percentile is tens of times the median.
    expect(likes[Math.floor(likes.length * 0.99)] / likes[likes.length >> 1]).toBeGreaterThan(20);
    const texts = values(table, "text") as string[];
    expect(texts.some((t) => t.includes("?"))).toBe(true);
    expect(texts.some((t) => t.includes("https://example.com/"))).toBe(true);
  });

  // Measured: ARI 1.0 on seeds 0-3 (25 accounts, 3000 posts).
  it("plants account segments that clustering account features recovers (ARI > 0.8)", () => {
    const { table, accounts, accountSegments } = generateSocialPosts({ rows: 3000, seed: 0 });
    const account = values(table, "account") as string[];
    const followers = values(table, "followers") as Float64Array;
    const type = values(table, "type") as string[];
    const [likes, comments, shares, impressions] = ["likes", "comments", "shares", "impressions"].map(
      (n) => values(table, n) as Float64Array,
    );
    const index = new Map(accounts.map((a, i) => [a, i]));
    const agg = accounts.map(() => ({ posts: 0, followers: 0, rate: [] as number[], link: 0, video: 0 }));
    for (let i = 0; i < table.nRows; i++) {
      const a = agg[index.get(account[i])!];
      a.posts++;
      a.followers = followers[i];
      a.rate.push((likes[i] + comments[i] + shares[i]) / impressions[i]);
      if (type[i] === "link") a.link++;
      if (type[i] === "video") a.video++;
    }
    const median = (v: number[]) => v.slice().sort((x, y) => x - y)[v.length >> 1];
    const X = agg.map((a) => [
      Math.log(a.followers),
      Math.log(a.posts),
      Math.log(median(a.rate)),
      a.link / a.posts,
      a.video / a.posts,
    ]);
    const Xs = new StandardScaler().fit(X).transform(X);
    const labels = new KMeans({ nClusters: 5, nInit: 20, seed: 0 }).fit(Xs).labels;
    const truth = accountSegments.map((s) => SOCIAL_SEGMENTS.indexOf(s));
    expect(adjustedRandScore(truth, labels)).toBeGreaterThan(0.8);
  });
});
