import {
  chooseK,
  consoleLogger,
  invalid,
  KMeans,
  type Logger,
  type Matrix,
  StandardScaler,
  silhouetteScore,
} from "@clusterlab/core";
import { DataError } from "../errors.js";
import { SOCIAL_DAYPARTS, type SocialAccountFeatures, type SocialDaypart } from "./computeSocialFeatures.js";
import { summarize } from "./internal.js";

/** Groups of account features `clusterAccounts` can use. */
export const ACCOUNT_FEATURE_GROUPS = [
  "activity",
  "audience",
  "engagement",
  "consistency",
  "content",
  "timing",
] as const;
export type AccountFeatureGroup = (typeof ACCOUNT_FEATURE_GROUPS)[number];

/** Rates below this are raised to it before the log (a post with no engagement would give log 0 = -Infinity). */
export const SOCIAL_RATE_FLOOR = 1e-4;

/** Options for `clusterAccounts`. */
export interface ClusterAccountsOptions {
  /** Number of clusters (an integer in [1, accounts]). Default: chosen by a silhouette sweep over `kMin..kMax`. */
  k?: number;
  /** Smallest k of the sweep. Default 2. */
  kMin?: number;
  /** Largest k of the sweep (lowered to accounts - 1). Default 8. */
  kMax?: number;
  /** Seed of k-means. Default 0. */
  seed?: number;
  /** K-means runs per fit (best inertia kept). Default 10. */
  nInit?: number;
  /**
   * Feature groups clustered. Default all: `activity` log posts per week, `audience` log followers,
   * `engagement` log median engagement rate, `consistency` log(1 + CV of engagement), `content`
   * the type mix shares, `timing` the daypart shares. Groups without data (no followers column,
   * a single post type) are skipped.
   */
  features?: readonly AccountFeatureGroup[];
  /** Receives k-means warnings. Default `consoleLogger`. */
  logger?: Logger;
}

/** A cluster's median and mean of one measure. */
export interface SocialMeasureSummary {
  median: number;
  mean: number;
}

/** Profile of one account cluster. */
export interface AccountClusterProfile {
  /** Cluster index (0 = the highest median engagement rate). */
  cluster: number;
  /** Plain-words name, e.g. `"High-volume, large-audience link sharers, low engagement"` (see `accountClusterName`). */
  name: string;
  size: number;
  share: number;
  /** Member accounts (sorted by name). */
  accounts: string[];
  /** Posts of the member accounts. */
  posts: number;
  postsPerWeek: SocialMeasureSummary;
  followers: SocialMeasureSummary;
  /** Over the member accounts' median engagement rates. */
  medianRate: SocialMeasureSummary;
  engagementCv: SocialMeasureSummary;
  /** Mean over member accounts of the type shares, and of the daypart shares. */
  typeMix: Record<string, number>;
  daypartMix: Record<SocialDaypart, number>;
  /** The cluster centre, feature name -> standardised value (0 = the average account). */
  center: Record<string, number>;
}

/** One k of the sweep. */
export interface SocialSweepEntry {
  k: number;
  inertia: number;
  silhouette: number | null;
}

/** The result of `clusterAccounts`. */
export interface AccountClustering {
  k: number;
  chosenBy: "user" | "silhouette" | "elbow" | "fallback";
  reason: string;
  sweep: SocialSweepEntry[] | null;
  /** Cluster of each account (in `SocialAccountFeatures.account` order). */
  labels: Int32Array;
  silhouette: number | null;
  inertia: number;
  /** The features clustered, in order (e.g. `log(posts_per_week)`, `type:video`, `daypart:evening`). */
  features: string[];
  /** Feature matrix before standardising (accounts x features). */
  matrix: Matrix;
  profiles: AccountClusterProfile[];
}

/** The account feature matrix of `clusterAccounts` (before standardising). */
export function accountFeatureMatrix(
  accounts: SocialAccountFeatures,
  groups: readonly AccountFeatureGroup[] = ACCOUNT_FEATURE_GROUPS,
): { features: string[]; matrix: Matrix } {
  const n = accounts.account.length;
  const cols: { name: string; values: Float64Array }[] = [];
  const imputed = (values: Float64Array) => {
    const finite = Array.from(values)
      .filter(Number.isFinite)
      .sort((a, b) => a - b);
    const m = finite.length === 0 ? 0 : finite[finite.length >> 1];
    return values.map((v) => (Number.isFinite(v) ? v : m));
  };
  for (const group of groups) {
    if (!(ACCOUNT_FEATURE_GROUPS as readonly string[]).includes(group)) {
      throw invalid("features", group, `must be one of ${ACCOUNT_FEATURE_GROUPS.join(", ")}`);
    }
  }
  if (groups.includes("activity")) {
    cols.push({ name: "log(posts_per_week)", values: accounts.postsPerWeek.map(Math.log) });
  }
  if (groups.includes("audience") && accounts.followers.some(Number.isFinite)) {
    cols.push({ name: "log(followers)", values: imputed(accounts.followers.map(Math.log1p)) });
  }
  if (groups.includes("engagement")) {
    cols.push({
      name: "log(median_rate)",
      values: imputed(accounts.medianRate.map((r) => Math.log(Math.max(r, SOCIAL_RATE_FLOOR)))),
    });
  }
  if (groups.includes("consistency")) {
    cols.push({ name: "log1p(engagement_cv)", values: accounts.engagementCv.map(Math.log1p) });
  }
  const types = Object.keys(accounts.typeShares);
  if (groups.includes("content") && types.length > 1) {
    for (const t of types) cols.push({ name: `type:${t}`, values: accounts.typeShares[t] });
  }
  if (groups.includes("timing")) {
    for (const d of SOCIAL_DAYPARTS) cols.push({ name: `daypart:${d}`, values: accounts.daypartShares[d] });
  }
  if (cols.length === 0) throw new DataError("no account features to cluster");
  const d = cols.length;
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) data[i * d + j] = cols[j].values[i];
  return { features: cols.map((c) => c.name), matrix: { rows: n, cols: d, data } };
}

/** Thresholds (standard deviations of the feature) of the words in `accountClusterName`. */
export const ACCOUNT_NAME_THRESHOLD = 0.5;

const TYPE_NOUN: Record<string, string> = {
  video: "video creators",
  photo: "photo posters",
  text: "text posters",
  link: "link sharers",
};

function typeWord(type: string): string {
  return type === "text" || type === "link" || type === "photo" || type === "video" ? type : `"${type}"`;
}

/**
 * A plain-words name for an account cluster from its centre (standardised features, see
 * `clusterAccounts`) and its profile: volume `"High-volume"` (log posts per week z > 0.5) /
 * `"Occasional"` (z < -0.5; `"Rarely posting"` below one post a week); audience
 * `"large-audience"` / `"small-audience"` (log followers, same thresholds); content from the
 * type mix: one type with >= 50 % of posts (`"video creators"`, `"link sharers"`, ...), two
 * with >= 70 % together (`"photo and video creators"`, `"link and text posters"`), else
 * `"mixed-content accounts"`; engagement `", high engagement"` / `", low engagement"` (log median
 * rate z beyond ±0.5). E.g. `"High-volume, large-audience link sharers, low engagement"`.
 */
export function accountClusterName(
  center: Readonly<Record<string, number>>,
  profile: Pick<AccountClusterProfile, "typeMix" | "postsPerWeek">,
): string {
  const t = ACCOUNT_NAME_THRESHOLD;
  const z = (name: string) => center[name] ?? 0;
  const words: string[] = [];
  const volume = z("log(posts_per_week)");
  if (volume > t) words.push("High-volume");
  else if (volume < -t) words.push(profile.postsPerWeek.median < 1 ? "Rarely posting" : "Occasional");
  const audience = z("log(followers)");
  if (audience > t) words.push("large-audience");
  else if (audience < -t) words.push("small-audience");
  const mix = Object.entries(profile.typeMix).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  let content: string;
  if (mix.length === 0 || (mix.length === 1 && mix[0][0] === "post")) content = "accounts";
  else if (mix[0][1] >= 0.5) content = TYPE_NOUN[mix[0][0]] ?? `${typeWord(mix[0][0])} posters`;
  else if (mix.length > 1 && mix[0][1] + mix[1][1] >= 0.7) {
    const [a, b] = [mix[0][0], mix[1][0]].sort();
    const creators = (a === "photo" || a === "video") && (b === "photo" || b === "video");
    content = `${typeWord(a)} and ${typeWord(b)} ${creators ? "creators" : b === "link" && a !== "photo" ? "sharers" : "posters"}`;
  } else content = "mixed-content accounts";
  let name = words.length > 0 ? `${words.join(", ")} ${content}` : content[0].toUpperCase() + content.slice(1);
  if (words.length > 0) name = name[0].toUpperCase() + name.slice(1);
  const engagement = z("log(median_rate)");
  if (engagement > t) name += ", high engagement";
  else if (engagement < -t) name += ", low engagement";
  return name;
}

/**
 * Clusters accounts with k-means (core `KMeans`, k-means++, `nInit` runs) on standardised
 * features (`accountFeatureMatrix`): log posts per week, log followers, log median engagement
 * rate, log(1 + engagement CV), the type mix and the daypart shares. With `k` given it is used;
 * otherwise core's `chooseK` sweeps `kMin..kMax` and keeps the k with the highest silhouette.
 * Clusters are numbered by median engagement rate, highest first; each gets a profile and a
 * plain-words name (`accountClusterName`; a repeated name gets ` (2)`). The segment column is
 * never a feature.
 */
export function clusterAccounts(
  accounts: SocialAccountFeatures,
  options: ClusterAccountsOptions = {},
): AccountClustering {
  const n = accounts.account.length;
  if (n === 0) throw new DataError("no accounts to cluster");
  const { seed = 0, nInit = 10, logger = consoleLogger } = options;
  const { features, matrix } = accountFeatureMatrix(accounts, options.features ?? ACCOUNT_FEATURE_GROUPS);
  const d = features.length;
  const scaler = new StandardScaler().fit(matrix);
  const X = scaler.transform(matrix);

  let k: number;
  let chosenBy: AccountClustering["chosenBy"];
  let reason: string;
  let sweep: SocialSweepEntry[] | null = null;
  if (options.k !== undefined) {
    if (!Number.isInteger(options.k) || options.k < 1) throw invalid("k", options.k, "must be an integer >= 1");
    if (options.k > n) throw new DataError(`invalid k: ${options.k} (must be <= the number of accounts, ${n})`);
    k = options.k;
    chosenBy = "user";
    reason = `k = ${k} was given`;
  } else if (n < 3) {
    k = 1;
    chosenBy = "fallback";
    reason = `only ${n} account${n === 1 ? "" : "s"}: one cluster`;
  } else {
    const kMin = options.kMin ?? 2;
    const kMax = Math.max(kMin, Math.min(options.kMax ?? 8, n - 1));
    const result = chooseK(X, { kMin, kMax, seed, nInit, logger });
    sweep = result.ks.map((kk, i) => ({ k: kk, inertia: result.inertia[i], silhouette: result.silhouette[i] }));
    k = result.suggestion.k;
    chosenBy = result.suggestion.by;
    reason = result.suggestion.reason;
  }

  const model = new KMeans({ nClusters: k, seed, nInit, logger }).fit(X);
  const raw = model.labels;
  const members: number[][] = Array.from({ length: k }, () => []);
  for (let i = 0; i < n; i++) members[raw[i]].push(i);
  const rateOf = (idx: number[]) => summarize(accounts.medianRate, idx).median;
  const order = members
    .map((idx, c) => ({ c, rate: idx.length ? rateOf(idx) : Number.NEGATIVE_INFINITY }))
    .sort((a, b) => b.rate - a.rate || a.c - b.c);
  const newIndex = new Int32Array(k);
  order.forEach(({ c }, rank) => {
    newIndex[c] = rank;
  });
  const labels = raw.map((l) => newIndex[l]);

  const types = Object.keys(accounts.typeShares);
  const seen = new Map<string, number>();
  const centers = model.clusterCenters.data;
  const profiles: AccountClusterProfile[] = order.map(({ c }, cluster) => {
    const idx = members[c];
    const center: Record<string, number> = {};
    features.forEach((f, j) => {
      center[f] = centers[c * d + j];
    });
    const mean = (values: Float64Array) => (idx.length ? idx.reduce((s, i) => s + values[i], 0) / idx.length : 0);
    const typeMix: Record<string, number> = {};
    for (const t of types) typeMix[t] = mean(accounts.typeShares[t]);
    const daypartMix = {} as Record<SocialDaypart, number>;
    for (const dp of SOCIAL_DAYPARTS) daypartMix[dp] = mean(accounts.daypartShares[dp]);
    const postsPerWeek = summarize(accounts.postsPerWeek, idx);
    let name = accountClusterName(center, { typeMix, postsPerWeek });
    const count = (seen.get(name) ?? 0) + 1;
    seen.set(name, count);
    if (count > 1) name = `${name} (${count})`;
    return {
      cluster,
      name,
      size: idx.length,
      share: idx.length / n,
      accounts: idx.map((i) => accounts.account[i]),
      posts: idx.reduce((s, i) => s + accounts.posts[i], 0),
      postsPerWeek,
      followers: summarize(accounts.followers, idx),
      medianRate: summarize(accounts.medianRate, idx),
      engagementCv: summarize(accounts.engagementCv, idx),
      typeMix,
      daypartMix,
      center,
    };
  });

  const nonEmpty = members.filter((m) => m.length > 0).length;
  let silhouette: number | null = null;
  if (nonEmpty >= 2 && nonEmpty <= n - 1) {
    const s = silhouetteScore(X, labels);
    silhouette = Number.isFinite(s) ? s : null;
  }
  return {
    k,
    chosenBy,
    reason,
    sweep,
    labels,
    silhouette,
    inertia: model.inertia,
    features,
    matrix,
    profiles,
  };
}
