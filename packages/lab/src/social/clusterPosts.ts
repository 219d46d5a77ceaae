import {
  chooseK,
  consoleLogger,
  GaussianMixture,
  invalid,
  KMeans,
  type Logger,
  type Matrix,
  StandardScaler,
  silhouetteScore,
} from "@clusterlab/core";
import { DataError } from "../errors.js";
import { SOCIAL_RATE_FLOOR, type SocialMeasureSummary, type SocialSweepEntry } from "./clusterAccounts.js";
import { SOCIAL_DAYPARTS, type SocialDaypart, type SocialPostFeatures } from "./computeSocialFeatures.js";
import { summarize } from "./internal.js";

/** Groups of post features `clusterPosts` can use. */
export const POST_FEATURE_GROUPS = ["type", "timing", "text", "engagement"] as const;
export type PostFeatureGroup = (typeof POST_FEATURE_GROUPS)[number];

/** Algorithms of `clusterPosts`. */
export const POST_CLUSTER_ALGORITHMS = ["kmeans", "gmm"] as const;
export type PostClusterAlgorithm = (typeof POST_CLUSTER_ALGORITHMS)[number];

/** Options for `clusterPosts`. */
export interface ClusterPostsOptions {
  /** `"kmeans"` (core `KMeans`) or `"gmm"` (core `GaussianMixture`, diagonal covariances). Default `"kmeans"`. */
  algorithm?: PostClusterAlgorithm;
  /**
   * Number of clusters. Default: the k of `kMin..kMax` with the best silhouette (of the k-means
   * or the mixture labels).
   */
  k?: number;
  /** Smallest k of the sweep. Default 2. */
  kMin?: number;
  /** Largest k of the sweep (lowered to posts - 1). Default 8. */
  kMax?: number;
  /** Seed of k-means / the mixture and of the silhouette sample. Default 0. */
  seed?: number;
  /** Runs per fit (best kept). Default 4. */
  nInit?: number;
  /**
   * Feature groups. Default `["type", "timing", "text"]`, what the poster chooses: `type` one
   * indicator per post type, `timing` the hour on the 24 h circle (sin, cos) and a weekend
   * indicator, `text` log(1 + text length), log(1 + hashtags), log(1 + mentions), link and
   * question indicators. `engagement` adds log engagement rate and log relative rate (then the
   * clusters also sort posts by their outcome). Groups without data are skipped.
   */
  features?: readonly PostFeatureGroup[];
  /** Above this many posts the silhouette is computed on a seeded sample of this size. Default 2000. */
  silhouetteSampleSize?: number;
  /** Receives warnings of the fits. Default `consoleLogger`. */
  logger?: Logger;
}

/** A post cluster's posts split by the account cluster they come from. */
export interface PostClusterBySegment {
  accountCluster: number;
  posts: number;
  /** Median relative rate of those posts. */
  lift: number;
}

/** Profile of one post cluster. */
export interface PostClusterProfile {
  /** Cluster index (0 = the highest median relative rate). */
  cluster: number;
  /** Plain-words name, e.g. `"Evening videos, high engagement"` (see `postClusterName`). */
  name: string;
  size: number;
  share: number;
  /** Distinct accounts with posts in the cluster. */
  accounts: number;
  /** Engagement rate of the posts. */
  rate: SocialMeasureSummary;
  /** Median relative rate (rate / the account's median rate): 1.3 = 30 % above the account's typical post. */
  lift: number;
  engagement: SocialMeasureSummary;
  typeMix: Record<string, number>;
  daypartMix: Record<SocialDaypart, number>;
  /** The most frequent hour. */
  peakHour: number;
  weekendShare: number;
  textLength: SocialMeasureSummary;
  /** Shares of posts with a hashtag, a mention, a link, a question. */
  hashtagShare: number;
  mentionShare: number;
  linkShare: number;
  questionShare: number;
  /** By account cluster (when `clusterPosts` got them). */
  bySegment: PostClusterBySegment[] | null;
  /** The cluster centre (k-means) or mean (GMM), feature name -> standardised value. */
  center: Record<string, number>;
}

/** The result of `clusterPosts`. */
export interface PostClustering {
  algorithm: PostClusterAlgorithm;
  k: number;
  chosenBy: "user" | "silhouette" | "elbow" | "fallback";
  reason: string;
  /** The sweep (k-means: inertia and silhouette; GMM: silhouette and `bic` per k, inertia NaN). */
  sweep: (SocialSweepEntry & { bic?: number })[] | null;
  /** Cluster of each post (file order). */
  labels: Int32Array;
  silhouette: number | null;
  features: string[];
  profiles: PostClusterProfile[];
}

/** The post feature matrix of `clusterPosts` (before standardising). */
export function postFeatureMatrix(
  posts: SocialPostFeatures,
  types: readonly string[],
  groups: readonly PostFeatureGroup[] = ["type", "timing", "text"],
): { features: string[]; matrix: Matrix } {
  for (const group of groups) {
    if (!(POST_FEATURE_GROUPS as readonly string[]).includes(group)) {
      throw invalid("features", group, `must be one of ${POST_FEATURE_GROUPS.join(", ")}`);
    }
  }
  const n = posts.row.length;
  const cols: { name: string; value: (i: number) => number }[] = [];
  if (groups.includes("type") && types.length > 1) {
    for (const t of types) cols.push({ name: `type:${t}`, value: (i) => (posts.type[i] === t ? 1 : 0) });
  }
  if (groups.includes("timing")) {
    const angle = (i: number) => (2 * Math.PI * posts.hour[i]) / 24;
    cols.push({ name: "hour_sin", value: (i) => Math.sin(angle(i)) });
    cols.push({ name: "hour_cos", value: (i) => Math.cos(angle(i)) });
    cols.push({ name: "weekend", value: (i) => (posts.weekday[i] >= 6 ? 1 : 0) });
  }
  const hasText = posts.textLength.some((v) => v > 0);
  if (groups.includes("text") && hasText) {
    cols.push({ name: "log1p(text_length)", value: (i) => Math.log1p(posts.textLength[i]) });
    cols.push({ name: "log1p(hashtags)", value: (i) => Math.log1p(posts.hashtags[i]) });
    cols.push({ name: "log1p(mentions)", value: (i) => Math.log1p(posts.mentions[i]) });
    cols.push({ name: "has_link", value: (i) => posts.hasLink[i] });
    cols.push({ name: "has_question", value: (i) => posts.hasQuestion[i] });
  }
  if (groups.includes("engagement")) {
    const logRate = (v: number) => Math.log(Math.max(Number.isFinite(v) ? v : 0, SOCIAL_RATE_FLOOR));
    cols.push({ name: "log(rate)", value: (i) => logRate(posts.rate[i]) });
    cols.push({ name: "log(relative_rate)", value: (i) => logRate(posts.relativeRate[i]) });
  }
  // Constant columns carry no information (and a zero variance): drop them.
  const kept = cols.filter((c) => {
    const first = n > 0 ? c.value(0) : 0;
    for (let i = 1; i < n; i++) if (c.value(i) !== first) return true;
    return false;
  });
  if (kept.length === 0) throw new DataError("no post features to cluster (every post looks the same)");
  const d = kept.length;
  const data = new Float64Array(n * d);
  for (let j = 0; j < d; j++) {
    const f = kept[j].value;
    for (let i = 0; i < n; i++) data[i * d + j] = f(i);
  }
  return { features: kept.map((c) => c.name), matrix: { rows: n, cols: d, data } };
}

const TYPE_PLURAL: Record<string, string> = { photo: "photos", video: "videos", text: "text posts", link: "links" };

/** Thresholds of `postClusterName`: a lift >= 1.2 is high engagement, <= 0.8 low. */
export const POST_LIFT_HIGH = 1.2;
export const POST_LIFT_LOW = 0.8;

/**
 * A plain-words name for a post cluster from its profile: timing (a daypart with >= 60 % of the
 * posts: `"Evening"`, `"Morning"`, ...; `"weekend"` with >= 60 % on weekends), content (a type with
 * >= 60 %: `"videos"`, `"links"`, `"text posts"`; two types with >= 80 %: `"photos and videos"`;
 * else `"mixed posts"`), `"with questions"` / `"with hashtags"` when most posts have them, and the
 * outcome from the lift: `"high engagement"` (>= 1.2), `"low engagement"` (<= 0.8), else
 * `"average engagement"`. E.g. `"Evening videos, high engagement"`.
 */
export function postClusterName(
  profile: Pick<
    PostClusterProfile,
    "typeMix" | "daypartMix" | "weekendShare" | "lift" | "questionShare" | "hashtagShare"
  >,
): string {
  const plural = (t: string) => TYPE_PLURAL[t] ?? `${t} posts`;
  const mix = Object.entries(profile.typeMix).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  let content: string;
  if (mix.length === 0 || (mix.length === 1 && mix[0][0] === "post")) content = "posts";
  else if (mix[0][1] >= 0.6) content = plural(mix[0][0]);
  else if (mix.length > 1 && mix[0][1] + mix[1][1] >= 0.8) {
    const [a, b] = [mix[0][0], mix[1][0]].sort();
    content = `${plural(a)} and ${plural(b)}`;
  } else content = "mixed posts";
  const dayparts = Object.entries(profile.daypartMix).sort((a, b) => b[1] - a[1]);
  const when: string[] = [];
  if (dayparts[0] && dayparts[0][1] >= 0.6) when.push(dayparts[0][0]);
  if (profile.weekendShare >= 0.6) when.push("weekend");
  let name = [...when, content].join(" ");
  if (profile.questionShare >= 0.5) name += " with questions";
  else if (profile.hashtagShare >= 0.5) name += " with hashtags";
  name = name[0].toUpperCase() + name.slice(1);
  const outcome =
    profile.lift >= POST_LIFT_HIGH
      ? "high engagement"
      : profile.lift <= POST_LIFT_LOW
        ? "low engagement"
        : "average engagement";
  return `${name}, ${outcome}`;
}

/**
 * Clusters posts on their features (`postFeatureMatrix`: by default type, timing and text, what
 * the poster chooses), standardised, with k-means or a Gaussian mixture (diagonal covariances),
 * and profiles each cluster by its outcome: engagement rate, and lift = median relative rate
 * (the post's rate over its account's median), which compares posts of large and small accounts
 * fairly. Clusters are numbered by lift, highest first, and named (`postClusterName`).
 * `accountLabels` (the account cluster of each account, indexed like `posts.accountIndex`)
 * adds each cluster's posts and lift per account cluster.
 */
export function clusterPosts(
  posts: SocialPostFeatures,
  types: readonly string[],
  options: ClusterPostsOptions = {},
  accountLabels?: ArrayLike<number>,
): PostClustering {
  const n = posts.row.length;
  if (n === 0) throw new DataError("no posts to cluster");
  const { seed = 0, nInit = 4, silhouetteSampleSize = 2000, logger = consoleLogger } = options;
  const algorithm = options.algorithm ?? "kmeans";
  if (!(POST_CLUSTER_ALGORITHMS as readonly string[]).includes(algorithm)) {
    throw invalid("algorithm", algorithm, `must be one of ${POST_CLUSTER_ALGORITHMS.join(", ")}`);
  }
  const { features, matrix } = postFeatureMatrix(posts, types, options.features);
  const d = features.length;
  const X = new StandardScaler().fit(matrix).transform(matrix);
  const sampleSize = n > silhouetteSampleSize ? silhouetteSampleSize : undefined;
  const gmm = (k: number) =>
    new GaussianMixture({ nComponents: k, covarianceType: "diag", regCovar: 1e-3, nInit, seed, logger }).fit(X);

  let k: number;
  let chosenBy: PostClustering["chosenBy"];
  let reason: string;
  let sweep: PostClustering["sweep"] = null;
  if (options.k !== undefined) {
    if (!Number.isInteger(options.k) || options.k < 1) throw invalid("k", options.k, "must be an integer >= 1");
    if (options.k > n) throw new DataError(`invalid k: ${options.k} (must be <= the number of posts, ${n})`);
    k = options.k;
    chosenBy = "user";
    reason = `k = ${k} was given`;
  } else if (n < 3) {
    k = 1;
    chosenBy = "fallback";
    reason = `only ${n} post${n === 1 ? "" : "s"}: one cluster`;
  } else {
    const kMin = options.kMin ?? 2;
    const kMax = Math.max(kMin, Math.min(options.kMax ?? 8, n - 1));
    if (algorithm === "kmeans") {
      const result = chooseK(X, { kMin, kMax, seed, nInit, silhouetteSampleSize: sampleSize, logger });
      sweep = result.ks.map((kk, i) => ({ k: kk, inertia: result.inertia[i], silhouette: result.silhouette[i] }));
      k = result.suggestion.k;
      chosenBy = result.suggestion.by;
      reason = result.suggestion.reason;
    } else {
      // GMM: the silhouette of each k's mixture labels (BIC keeps falling with k on indicator features).
      sweep = [];
      for (let kk = kMin; kk <= kMax; kk++) {
        const model = gmm(kk);
        let s: number | null = null;
        if (new Set(model.labels).size >= 2) {
          const v = silhouetteScore(X, model.labels, sampleSize !== undefined ? { sampleSize, seed } : {});
          s = Number.isFinite(v) ? v : null;
        }
        sweep.push({ k: kk, inertia: Number.NaN, silhouette: s, bic: model.bic(X) });
      }
      const scored = sweep.filter((e) => e.silhouette !== null);
      if (scored.length > 0) {
        const best = scored.reduce((a, b) => (b.silhouette! > a.silhouette! ? b : a));
        k = best.k;
        chosenBy = "silhouette";
        reason = `highest silhouette at k=${k} (${best.silhouette!.toFixed(3)}) over k = ${kMin}..${kMax}`;
      } else {
        k = kMin;
        chosenBy = "fallback";
        reason = `no silhouette could be computed: k = ${kMin}`;
      }
    }
  }

  let raw: Int32Array;
  let centers: Float64Array;
  if (algorithm === "kmeans") {
    const model = new KMeans({ nClusters: k, seed, nInit, logger }).fit(X);
    raw = model.labels;
    centers = model.clusterCenters.data;
  } else {
    const model = gmm(k);
    raw = model.labels;
    centers = model.means.data;
  }

  const members: number[][] = Array.from({ length: k }, () => []);
  for (let i = 0; i < n; i++) members[raw[i]].push(i);
  const liftOf = (idx: number[]) => summarize(posts.relativeRate, idx).median;
  const order = members
    .map((idx, c) => ({ c, lift: idx.length ? liftOf(idx) : Number.NEGATIVE_INFINITY, size: idx.length }))
    .map((o) => ({ ...o, lift: Number.isNaN(o.lift) ? Number.NEGATIVE_INFINITY : o.lift }))
    .sort((a, b) => b.lift - a.lift || b.size - a.size || a.c - b.c);
  const newIndex = new Int32Array(k);
  order.forEach(({ c }, rank) => {
    newIndex[c] = rank;
  });
  const labels = raw.map((l) => newIndex[l]);

  const segmentCount = accountLabels ? Math.max(-1, ...Array.from(accountLabels)) + 1 : 0;
  const seen = new Map<string, number>();
  const profiles: PostClusterProfile[] = order.map(({ c }, cluster) => {
    const idx = members[c];
    const m = idx.length || 1;
    const shareOf = (test: (i: number) => boolean) => idx.filter(test).length / m;
    const typeMix: Record<string, number> = {};
    for (const t of types) typeMix[t] = shareOf((i) => posts.type[i] === t);
    const daypartMix = {} as Record<SocialDaypart, number>;
    for (const dp of SOCIAL_DAYPARTS) daypartMix[dp] = shareOf((i) => posts.daypart[i] === dp);
    const hourCounts = new Array<number>(24).fill(0);
    for (const i of idx) hourCounts[posts.hour[i]]++;
    const peakHour = hourCounts.indexOf(Math.max(...hourCounts));
    const center: Record<string, number> = {};
    features.forEach((f, j) => {
      center[f] = centers[c * d + j];
    });
    let bySegment: PostClusterBySegment[] | null = null;
    if (accountLabels) {
      bySegment = [];
      for (let s = 0; s < segmentCount; s++) {
        const sub = idx.filter((i) => accountLabels[posts.accountIndex[i]] === s);
        if (sub.length > 0) bySegment.push({ accountCluster: s, posts: sub.length, lift: liftOf(sub) });
      }
    }
    const profile = {
      cluster,
      name: "",
      size: idx.length,
      share: idx.length / n,
      accounts: new Set(idx.map((i) => posts.accountIndex[i])).size,
      rate: summarize(posts.rate, idx),
      lift: liftOf(idx),
      engagement: summarize(posts.engagement, idx),
      typeMix,
      daypartMix,
      peakHour,
      weekendShare: shareOf((i) => posts.weekday[i] >= 6),
      textLength: summarize(posts.textLength, idx),
      hashtagShare: shareOf((i) => posts.hashtags[i] > 0),
      mentionShare: shareOf((i) => posts.mentions[i] > 0),
      linkShare: shareOf((i) => posts.hasLink[i] === 1),
      questionShare: shareOf((i) => posts.hasQuestion[i] === 1),
      bySegment,
      center,
    };
    let name = postClusterName(profile);
    const count = (seen.get(name) ?? 0) + 1;
    seen.set(name, count);
    if (count > 1) name = `${name} (${count})`;
    return { ...profile, name };
  });

  const nonEmpty = members.filter((g) => g.length > 0).length;
  let silhouette: number | null = null;
  if (nonEmpty >= 2 && nonEmpty <= n - 1) {
    const s = silhouetteScore(X, labels, sampleSize !== undefined ? { sampleSize, seed } : {});
    silhouette = Number.isFinite(s) ? s : null;
  }
  return { algorithm, k, chosenBy, reason, sweep, labels, silhouette, features, profiles };
}
