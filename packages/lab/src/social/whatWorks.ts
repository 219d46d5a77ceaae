import { checkInt } from "@clusterlab/core";
import { SOCIAL_DAYPARTS, type SocialPostFeatures } from "./computeSocialFeatures.js";
import { medianOf } from "./internal.js";

/** The post attributes `whatWorks` breaks engagement down by. */
export const WHAT_WORKS_DIMENSIONS = [
  "type",
  "daypart",
  "hour",
  "day",
  "length",
  "hashtags",
  "question",
  "link",
] as const;
export type WhatWorksDimensionName = (typeof WHAT_WORKS_DIMENSIONS)[number];

/** Options for `whatWorks`. */
export interface WhatWorksOptions {
  /** Levels with fewer posts are reported but never picked as best or worst. Default 10. */
  minPosts?: number;
}

/** One value of a dimension (e.g. type `video`) within a group of accounts. */
export interface WhatWorksLevel {
  value: string;
  posts: number;
  /** posts / the group's posts. */
  share: number;
  /** Median engagement rate of these posts. */
  medianRate: number;
  /** Median relative rate (rate / the account's median rate): 1.4 = 40 % above the account's typical post. */
  lift: number;
}

/** Engagement by one post attribute. */
export interface WhatWorksDimension {
  dimension: WhatWorksDimensionName;
  levels: WhatWorksLevel[];
  /** The level with the highest / lowest lift among those with at least `minPosts` posts; null with fewer than 2 such levels. */
  best: string | null;
  worst: string | null;
}

/** What works for one group of accounts (all accounts, or one account cluster). */
export interface WhatWorksGroup {
  /** `"all accounts"` or the account cluster's name. */
  group: string;
  /** The account cluster, or null for all accounts. */
  cluster: number | null;
  accounts: number;
  posts: number;
  medianRate: number;
  dimensions: WhatWorksDimension[];
  /**
   * One line per dimension with a best and a worst level, e.g. `type: best video 1.42x (427 posts),
   * worst link 0.76x (1262 posts)`, or `daypart: no clear difference (0.96x to 1.01x)` when the
   * lifts differ by less than `WHAT_WORKS_MIN_SPREAD`.
   */
  summary: string[];
}

/** Below this spread of lifts (best - worst) a dimension's summary says "no clear difference". */
export const WHAT_WORKS_MIN_SPREAD = 0.1;

const DAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

/**
 * Cut-offs of the text-length buckets: the terciles of the text lengths (rounded up to whole
 * characters), `[]` when every text has the same length.
 */
export function textLengthCutoffs(lengths: ArrayLike<number>): number[] {
  const s = Float64Array.from(lengths).sort();
  if (s.length === 0 || s[0] === s[s.length - 1]) return [];
  const q = (p: number) => Math.ceil(s[Math.min(s.length - 1, Math.floor(p * s.length))]);
  const cuts = [...new Set([q(1 / 3), q(2 / 3)])].filter((c) => c > s[0]);
  return cuts.length > 0 ? cuts : [Math.ceil(s[s.length - 1])];
}

/** The bucket label of a text length for the given cut-offs (`short (< 30 chars)`, ...). */
export function textLengthBucket(length: number, cutoffs: readonly number[]): string {
  if (cutoffs.length === 1)
    return length < cutoffs[0] ? `short (< ${cutoffs[0]} chars)` : `long (>= ${cutoffs[0]} chars)`;
  const [a, b] = cutoffs;
  if (length < a) return `short (< ${a} chars)`;
  if (length < b) return `medium (${a}-${b - 1} chars)`;
  return `long (>= ${b} chars)`;
}

function format(lift: number): string {
  return `${lift.toFixed(2)}x`;
}

/**
 * What works and what does not: for all accounts and for each account cluster, the posts' median
 * engagement rate and **lift** (median relative rate: each post's rate over its own account's
 * median rate, so big and small accounts compare fairly) broken down by post type, daypart, hour,
 * weekday, text length (terciles), hashtags (none / some), question and link. Per dimension the
 * best and the worst level (by lift, among levels with at least `minPosts` posts).
 *
 * `accountLabels` (cluster of each account, indexed like `posts.accountIndex`) and `clusterNames`
 * give the groups; without them only "all accounts" is reported.
 */
export function whatWorks(
  posts: SocialPostFeatures,
  types: readonly string[],
  accountLabels?: ArrayLike<number>,
  clusterNames: readonly string[] = [],
  options: WhatWorksOptions = {},
): WhatWorksGroup[] {
  const minPosts = checkInt(options.minPosts ?? 10, "minPosts", 1);
  const n = posts.row.length;
  const cutoffs = textLengthCutoffs(posts.textLength);
  const hasText = posts.textLength.some((v) => v > 0);
  // Each dimension: its level names and the level code of every post.
  const dims: { dimension: WhatWorksDimensionName; values: readonly string[]; code: Int32Array }[] = [];
  const add = (dimension: WhatWorksDimensionName, values: readonly string[], of: (i: number) => number) => {
    const code = new Int32Array(n);
    for (let i = 0; i < n; i++) code[i] = of(i);
    dims.push({ dimension, values, code });
  };
  if (types.length > 1) {
    const typeIndex = new Map(types.map((t, j) => [t, j]));
    add("type", types, (i) => typeIndex.get(posts.type[i]) ?? -1);
  }
  const daypartIndex = new Map<string, number>(SOCIAL_DAYPARTS.map((d, j) => [d, j]));
  add("daypart", SOCIAL_DAYPARTS, (i) => daypartIndex.get(posts.daypart[i]) ?? -1);
  add(
    "hour",
    Array.from({ length: 24 }, (_, h) => `${h} h`),
    (i) => posts.hour[i],
  );
  add("day", DAY_NAMES, (i) => posts.weekday[i] - 1);
  if (hasText && cutoffs.length > 0) {
    const bounds = [...cutoffs];
    add(
      "length",
      [0, ...bounds].map((v) => textLengthBucket(v, cutoffs)),
      (i) => {
        let b = 0;
        while (b < bounds.length && posts.textLength[i] >= bounds[b]) b++;
        return b;
      },
    );
  }
  const varies = (test: (i: number) => boolean) => {
    let yes = 0;
    for (let i = 0; i < n; i++) if (test(i)) yes++;
    return yes > 0 && yes < n;
  };
  if (varies((i) => posts.hashtags[i] > 0)) add("hashtags", ["none", "some"], (i) => (posts.hashtags[i] > 0 ? 1 : 0));
  if (varies((i) => posts.hasQuestion[i] === 1)) add("question", ["no", "yes"], (i) => (posts.hasQuestion[i] ? 1 : 0));
  if (varies((i) => posts.hasLink[i] === 1)) add("link", ["no", "yes"], (i) => (posts.hasLink[i] ? 1 : 0));

  const groups: { group: string; cluster: number | null; idx: Int32Array }[] = [
    { group: "all accounts", cluster: null, idx: Int32Array.from({ length: n }, (_, i) => i) },
  ];
  if (accountLabels) {
    let k = 0;
    for (let a = 0; a < accountLabels.length; a++) k = Math.max(k, accountLabels[a] + 1);
    const members: number[][] = Array.from({ length: k }, () => []);
    for (let i = 0; i < n; i++) members[accountLabels[posts.accountIndex[i]]].push(i);
    for (let c = 0; c < k; c++) {
      groups.push({ group: clusterNames[c] ?? `cluster ${c}`, cluster: c, idx: Int32Array.from(members[c]) });
    }
  }

  return groups
    .filter((g) => g.idx.length > 0)
    .map(({ group, cluster, idx }) => {
      const dimensions: WhatWorksDimension[] = dims.map(({ dimension, values, code }) => {
        const byLevel: number[][] = values.map(() => []);
        for (const i of idx) if (code[i] >= 0 && code[i] < values.length) byLevel[code[i]].push(i);
        const levels: WhatWorksLevel[] = [];
        byLevel.forEach((members, j) => {
          if (members.length === 0) return;
          levels.push({
            value: values[j],
            posts: members.length,
            share: members.length / idx.length,
            medianRate: medianOf(posts.rate, members),
            lift: medianOf(posts.relativeRate, members),
          });
        });
        const ranked = levels
          .filter((l) => l.posts >= minPosts && !Number.isNaN(l.lift))
          .sort((a, b) => b.lift - a.lift || b.posts - a.posts);
        const enough = ranked.length >= 2;
        return {
          dimension,
          levels,
          best: enough ? ranked[0].value : null,
          worst: enough ? ranked[ranked.length - 1].value : null,
        };
      });
      const summary: string[] = [];
      for (const d of dimensions) {
        if (d.best === null || d.worst === null) continue;
        const best = d.levels.find((l) => l.value === d.best)!;
        const worst = d.levels.find((l) => l.value === d.worst)!;
        summary.push(
          best.lift - worst.lift < WHAT_WORKS_MIN_SPREAD
            ? `${d.dimension}: no clear difference (${format(worst.lift)} to ${format(best.lift)})`
            : `${d.dimension}: best ${best.value} ${format(best.lift)} (${best.posts} posts), worst ${worst.value} ${format(worst.lift)} (${worst.posts} posts)`,
        );
      }
      return {
        group,
        cluster,
        accounts: new Set(Array.from(idx, (i) => posts.accountIndex[i])).size,
        posts: idx.length,
        medianRate: medianOf(posts.rate, idx),
        dimensions,
        summary,
      };
    });
}
