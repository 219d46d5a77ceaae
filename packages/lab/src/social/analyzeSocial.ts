import { invalid } from "@clusterlab/core";
import type { Table, TableColumn } from "../table.js";
import { type AccountClustering, type ClusterAccountsOptions, clusterAccounts } from "./clusterAccounts.js";
import { type ClusterPostsOptions, clusterPosts, type PostClustering } from "./clusterPosts.js";
import { comparePlantedSegments, type PlantedSegmentComparison } from "./comparePlantedSegments.js";
import {
  type ComputeSocialFeaturesOptions,
  computeSocialFeatures,
  SOCIAL_DAYPARTS,
  type SocialFeatures,
} from "./computeSocialFeatures.js";
import { type WhatWorksGroup, whatWorks } from "./whatWorks.js";

/** What `analyzeSocial` clusters: accounts only, or accounts and posts. */
export type SocialLevel = "accounts" | "posts";

/** Options for `analyzeSocial`: reading and mapping (`computeSocialFeatures`), and the clusterings. */
export interface AnalyzeSocialOptions extends ComputeSocialFeaturesOptions {
  /** `"accounts"`: cluster the accounts. `"posts"`: also cluster the posts. Default `"accounts"`. */
  level?: SocialLevel;
  /** Account clustering options (k, seed, ...). Default: `clusterAccounts`'s defaults. */
  accountClustering?: ClusterAccountsOptions;
  /** Post clustering options (with `level: "posts"`). Default: `clusterPosts`'s defaults. */
  postClustering?: ClusterPostsOptions;
  /** `whatWorks`' `minPosts`: levels with fewer posts are never best or worst. Default 10. */
  minPosts?: number;
}

/** The whole social-media analysis. */
export interface SocialAnalysis {
  level: SocialLevel;
  features: SocialFeatures;
  accounts: AccountClustering;
  /** With `level: "posts"`; null otherwise. */
  posts: PostClustering | null;
  /** Account clusters against the segment column, when the file has one (evaluation only). */
  comparison: PlantedSegmentComparison | null;
  /** What works for all accounts, then for each account cluster. */
  whatWorks: WhatWorksGroup[];
}

/**
 * The social-media workflow on a posts file: `computeSocialFeatures` (SQL in DuckDB: engagement
 * features per post and per account), `clusterAccounts` (k-means on standardised log features,
 * profiles and names), with `level: "posts"` also `clusterPosts`, then `whatWorks` per account
 * cluster and, when the file has a segment column, `comparePlantedSegments` (ARI).
 *
 * ```ts
 * const result = await analyzeSocial("posts.csv", { accountClustering: { k: 5 } });
 * result.accounts.profiles; result.whatWorks; result.comparison?.ari;
 * await writeTable("accounts.csv", socialAccountsTable(result));
 * ```
 */
export async function analyzeSocial(path: string, options: AnalyzeSocialOptions = {}): Promise<SocialAnalysis> {
  const { level = "accounts", accountClustering, postClustering, minPosts, ...featureOptions } = options;
  if (level !== "accounts" && level !== "posts") throw invalid("level", level, 'must be "accounts" or "posts"');
  const features = await computeSocialFeatures(path, featureOptions);
  const accounts = clusterAccounts(features.accounts, accountClustering);
  const names = accounts.profiles.map((p) => p.name);
  const posts =
    level === "posts" ? clusterPosts(features.posts, features.types, postClustering, accounts.labels) : null;
  const planted = features.accounts.plantedSegment;
  return {
    level,
    features,
    accounts,
    posts,
    comparison: planted ? comparePlantedSegments(planted, accounts.labels) : null,
    whatWorks: whatWorks(features.posts, features.types, accounts.labels, names, { minPosts }),
  };
}

function num(name: string, values: ArrayLike<number>, type = "DOUBLE"): TableColumn {
  return { name, type, kind: "numeric", values: Float64Array.from(values) };
}

function text(name: string, values: (string | null)[], type = "VARCHAR"): TableColumn {
  return { name, type, kind: "string", values };
}

/** A name for the id column that does not clash with the output columns. */
function idName(mapped: string, taken: readonly string[], fallback: string): string {
  return taken.includes(mapped) ? fallback : mapped;
}

/**
 * One row per account (sorted by account), ready for `writeTable`: the account (under the mapped
 * column's name), `posts`, `posts_per_week`, `followers` (on the latest post), `median_rate`,
 * `mean_rate` (the headline engagement rate), `median_rate_impressions`, `median_rate_followers`,
 * `median_engagement`, `mean_engagement`, `engagement_cv`, `type_<type>` shares,
 * `daypart_<daypart>` shares, `median_text_length`, then `cluster` and `cluster_name`.
 */
export function socialAccountsTable(result: SocialAnalysis): Table {
  const { features, accounts: clustering } = result;
  const a = features.accounts;
  const columns: TableColumn[] = [
    num("posts", a.posts, "INTEGER"),
    num("posts_per_week", a.postsPerWeek),
    num("followers", a.followers, "BIGINT"),
    num("median_rate", a.medianRate),
    num("mean_rate", a.meanRate),
    num("median_rate_impressions", a.medianRateByImpressions),
    num("median_rate_followers", a.medianRateByFollowers),
    num("median_engagement", a.medianEngagement),
    num("mean_engagement", a.meanEngagement),
    num("engagement_cv", a.engagementCv),
    ...features.types.map((t) => num(`type_${t}`, a.typeShares[t])),
    ...SOCIAL_DAYPARTS.map((d) => num(`daypart_${d}`, a.daypartShares[d])),
    num("median_text_length", a.medianTextLength),
    num("cluster", clustering.labels, "INTEGER"),
    text(
      "cluster_name",
      Array.from(clustering.labels, (l) => clustering.profiles[l].name),
    ),
  ];
  const id = idName(
    features.columns.account,
    columns.map((c) => c.name),
    "account",
  );
  return { source: features.source, nRows: a.account.length, columns: [text(id, a.account), ...columns] };
}

/**
 * One row per post (in file order), ready for `writeTable`: `post_id`, the account (mapped
 * name), `posted_at`, `type`, `likes`, `comments`, `shares`, `impressions`, `followers`,
 * `engagement`, `engagement_rate` (headline), `rate_impressions`, `rate_followers`,
 * `relative_rate`, `hour`, `weekday` (1 = Monday), `daypart`, `text_length`, `hashtags`,
 * `mentions`, `has_link`, `has_question`, `account_cluster`, `account_cluster_name`, then
 * `cluster` and `cluster_name` (the post cluster; with `level: "accounts"` these are the account
 * cluster's, as the posts were not clustered).
 */
export function socialPostsTable(result: SocialAnalysis): Table {
  const { features, accounts, posts: clustering } = result;
  const p = features.posts;
  const accountCluster = Int32Array.from(p.accountIndex, (i) => accounts.labels[i]);
  const accountClusterName = Array.from(accountCluster, (c) => accounts.profiles[c].name);
  const columns: TableColumn[] = [
    text("posted_at", p.postedAt, "TIMESTAMP"),
    text("type", p.type),
    num("likes", p.likes, "BIGINT"),
    num("comments", p.comments, "BIGINT"),
    num("shares", p.shares, "BIGINT"),
    num("impressions", p.impressions, "BIGINT"),
    num("followers", p.followers, "BIGINT"),
    num("engagement", p.engagement, "BIGINT"),
    num("engagement_rate", p.rate),
    num("rate_impressions", p.rateByImpressions),
    num("rate_followers", p.rateByFollowers),
    num("relative_rate", p.relativeRate),
    num("hour", p.hour, "INTEGER"),
    num("weekday", p.weekday, "INTEGER"),
    text("daypart", p.daypart.slice()),
    num("text_length", p.textLength, "INTEGER"),
    num("hashtags", p.hashtags, "INTEGER"),
    num("mentions", p.mentions, "INTEGER"),
    num("has_link", p.hasLink, "INTEGER"),
    num("has_question", p.hasQuestion, "INTEGER"),
    num("account_cluster", accountCluster, "INTEGER"),
    text("account_cluster_name", accountClusterName),
    num("cluster", clustering ? clustering.labels : accountCluster, "INTEGER"),
    text(
      "cluster_name",
      clustering ? Array.from(clustering.labels, (l) => clustering.profiles[l].name) : accountClusterName,
    ),
  ];
  const taken = ["post_id", ...columns.map((c) => c.name)];
  const account = idName(features.columns.account, taken, "account");
  return {
    source: features.source,
    nRows: p.row.length,
    columns: [text("post_id", p.postId), text(account, p.account), ...columns],
  };
}
