import { checkInt, checkNumber, Random } from "@clusterlab/core";
import type { Table } from "../table.js";
import {
  apportion,
  isoDay,
  logNormal,
  minuteToTimestamp,
  poisson,
  uniformInt,
  weightedChoice,
  weightedIndex,
} from "./internal.js";

/** The account segments planted by `generateSocialPosts` (kept in its `account_segment` column). */
export const SOCIAL_SEGMENTS = ["creator", "brand", "news", "micro_community", "dormant"] as const;
export type SocialSegment = (typeof SOCIAL_SEGMENTS)[number];

/** Post types of the synthetic social-media set. */
export const POST_TYPES = ["photo", "video", "text", "link"] as const;
export type PostType = (typeof POST_TYPES)[number];

/** Options for `generateSocialPosts`. */
export interface GenerateSocialPostsOptions {
  /** Number of posts (an integer >= 1). Default 3000. */
  rows?: number;
  /** Number of accounts (an integer >= 1; accounts are dealt to segments in turn). Default 25. */
  accounts?: number;
  /** Seed of core's `Random`: the same seed gives the same posts. Default 0. */
  seed?: number;
  /** The last day of the posting window, `YYYY-MM-DD`. Default `"2024-12-31"`. */
  endDate?: string;
  /** Length of the posting window in days (an integer >= 7). Default 90. */
  days?: number;
}

/** Generated posts and the planted segment of every account. */
export interface SyntheticSocialPosts {
  /**
   * One row per post, sorted by time: `post_id`, `account`, `account_segment`, `followers`,
   * `posted_at` (TIMESTAMP, UTC), `type` (photo/video/text/link), `text`, `likes`, `comments`,
   * `shares`, `impressions`. Write it with `writeTable(path, table)`.
   */
  table: Table;
  /** Account handles, in account order. */
  accounts: string[];
  /** The planted segment of each account. */
  accountSegments: SocialSegment[];
}

/** How an account segment behaves. */
interface AccountProfile {
  /** Median followers and log-scale spread across accounts. */
  followers: number;
  followersSigma: number;
  /** Relative posting rate (posts per week, before account-level noise). */
  postsPerWeek: number;
  types: Record<PostType, number>;
  /** Median share of followers reached by a post (impressions / followers). */
  reach: number;
  /** Median likes per impression. */
  likeRate: number;
  /** Median comments and shares per like. */
  commentRatio: number;
  shareRatio: number;
  /** Posting hours (UTC) and their weights. */
  hours: Record<string, number>;
  /** Follower growth over the whole window (0.05 = +5 %). */
  growth: number;
  /** Topics for the templated texts. */
  topics: readonly string[];
}

const PROFILES: Record<SocialSegment, AccountProfile> = {
  creator: {
    followers: 150_000,
    followersSigma: 0.7,
    postsPerWeek: 6,
    types: { photo: 0.45, video: 0.45, text: 0.05, link: 0.05 },
    reach: 0.35,
    likeRate: 0.06,
    commentRatio: 0.05,
    shareRatio: 0.03,
    hours: { "17": 1, "18": 2, "19": 3, "20": 3, "21": 2, "12": 1 },
    growth: 0.08,
    topics: ["travel", "fitness", "street food", "sunset hikes", "vintage fashion", "home workouts"],
  },
  brand: {
    followers: 300_000,
    followersSigma: 0.6,
    postsPerWeek: 7,
    types: { photo: 0.35, video: 0.2, text: 0.1, link: 0.35 },
    reach: 0.12,
    likeRate: 0.012,
    commentRatio: 0.03,
    shareRatio: 0.05,
    hours: { "9": 2, "10": 2, "11": 2, "13": 2, "14": 2, "15": 1, "16": 1 },
    growth: 0.02,
    topics: ["our new collection", "the spring sale", "the loyalty app", "our eco line", "free shipping week"],
  },
  news: {
    followers: 800_000,
    followersSigma: 0.5,
    postsPerWeek: 25,
    types: { photo: 0.1, video: 0.05, text: 0.25, link: 0.6 },
    reach: 0.08,
    likeRate: 0.006,
    commentRatio: 0.15,
    shareRatio: 0.25,
    hours: { "6": 2, "7": 3, "8": 3, "12": 2, "16": 2, "18": 2, "21": 1 },
    growth: 0.01,
    topics: ["the city budget", "the election", "rail strikes", "the heatwave", "housing prices", "the football final"],
  },
  micro_community: {
    followers: 6_000,
    followersSigma: 0.6,
    postsPerWeek: 4,
    types: { photo: 0.5, video: 0.15, text: 0.3, link: 0.05 },
    reach: 0.5,
    likeRate: 0.09,
    commentRatio: 0.12,
    shareRatio: 0.04,
    hours: { "12": 2, "13": 1, "19": 2, "20": 3, "21": 2 },
    growth: 0.05,
    topics: ["sourdough", "urban gardening", "board games", "birdwatching", "knitting", "local trails"],
  },
  dormant: {
    followers: 20_000,
    followersSigma: 0.8,
    postsPerWeek: 0.8,
    types: { photo: 0.3, video: 0.0, text: 0.4, link: 0.3 },
    reach: 0.05,
    likeRate: 0.01,
    commentRatio: 0.02,
    shareRatio: 0.01,
    hours: { "3": 1, "8": 1, "11": 1, "15": 1, "22": 1 },
    growth: -0.01,
    topics: ["an update", "our news", "the website", "opening hours", "the newsletter"],
  },
};

/** Impressions and like-rate multipliers per post type (video travels, links get fewer likes but more shares). */
const TYPE_EFFECT: Record<PostType, { reach: number; like: number; share: number }> = {
  photo: { reach: 1.1, like: 1.2, share: 0.8 },
  video: { reach: 1.8, like: 1.3, share: 1.2 },
  text: { reach: 0.7, like: 0.8, share: 0.7 },
  link: { reach: 0.8, like: 0.5, share: 1.6 },
};

const TEMPLATES: Record<PostType, readonly string[]> = {
  photo: [
    "A look at {topic} today",
    "Snapshot: {topic} #photo",
    "Golden hour and {topic} #weekend",
    "Behind the scenes of {topic}",
  ],
  video: [
    "Watch: {topic} in 60 seconds",
    "New video on {topic} #reels",
    "We tried {topic} so you don't have to",
    "Live recap: {topic}",
  ],
  text: [
    "Thoughts on {topic}?",
    "Quick note about {topic}.",
    "Unpopular opinion: {topic} is underrated",
    "Thank you all for the support on {topic}!",
  ],
  link: [
    "Read more about {topic}: https://example.com/{slug}",
    "Our take on {topic} https://example.com/{slug}",
    "Everything you need to know about {topic} https://example.com/{slug}",
  ],
};

const HANDLE_A = ["urban", "daily", "north", "blue", "little", "wild", "bright", "true", "open", "golden", "quiet"];
const HANDLE_B = ["kitchen", "lens", "wire", "trail", "studio", "post", "garden", "market", "journal", "club", "lab"];

/** Weekend boost of reach per segment (creators and communities do better on weekends, news and brands not). */
const WEEKEND_REACH: Record<SocialSegment, number> = {
  creator: 1.2,
  brand: 0.9,
  news: 0.85,
  micro_community: 1.25,
  dormant: 1,
};

/** Reach multiplier by hour of day (UTC): evenings best, nights worst. */
function hourEffect(hour: number): number {
  if (hour >= 18 && hour <= 21) return 1.3;
  if (hour >= 0 && hour <= 5) return 0.6;
  if (hour >= 11 && hour <= 13) return 1.1;
  return 1;
}

interface Post {
  minute: number;
  account: number;
  followers: number;
  type: PostType;
  text: string;
  likes: number;
  comments: number;
  shares: number;
  impressions: number;
}

/**
 * Generates a **synthetic** social-media posts set (no real account or post is behind it) for
 * demos and tests of the social-media workflow. `accounts` accounts are dealt to the five planted
 * segments in turn (creator, brand, news, micro_community, dormant, creator, ...), and the `rows`
 * posts are shared between accounts in proportion to each one's posting rate:
 *
 * - `creator`: ~150k followers, photo and video, evening posts, high reach and like rate;
 * - `brand`: ~300k followers, office-hour posts with many links, low engagement rate;
 * - `news`: ~800k followers, many posts (25 a week), links and text, many comments and shares;
 * - `micro_community`: ~6k followers, high reach and engagement rate, lively comments;
 * - `dormant`: ~20k followers, rare posts at odd hours, very low engagement.
 *
 * Engagement is heavy-tailed: impressions are `followers x reach` with a log-normal factor (sigma
 * 0.6) and a 2 % chance of a viral post (x5 to x30), scaled by post type (video x1.8, link x0.8,
 * ...), hour of day (18-21 h x1.3, 0-5 h x0.6) and weekend; likes, comments and shares are Poisson
 * draws around log-normal rates (a question in the text doubles comments). Texts are short
 * templates about the account's topics. Deterministic: every draw comes from core's `Random(seed)`.
 */
export function generateSocialPosts(options: GenerateSocialPostsOptions = {}): SyntheticSocialPosts {
  const rows = checkInt(options.rows ?? 3000, "rows", 1);
  const nAccounts = checkInt(options.accounts ?? 25, "accounts", 1);
  const seed = checkNumber(options.seed ?? 0, "seed");
  const end = isoDay(options.endDate ?? "2024-12-31", "endDate");
  const days = checkInt(options.days ?? 90, "days", 7);
  const rng = new Random(seed);

  const accountSegments: SocialSegment[] = [];
  const accounts: string[] = [];
  const baseFollowers: number[] = [];
  const rates: number[] = [];
  const used = new Set<string>();
  for (let a = 0; a < nAccounts; a++) {
    const segment = SOCIAL_SEGMENTS[a % SOCIAL_SEGMENTS.length];
    const p = PROFILES[segment];
    accountSegments.push(segment);
    let handle = "";
    do {
      handle = `${HANDLE_A[rng.int(HANDLE_A.length)]}_${HANDLE_B[rng.int(HANDLE_B.length)]}`;
      if (used.has(handle)) handle += `_${uniformInt(rng, 2, 99)}`;
    } while (used.has(handle));
    used.add(handle);
    accounts.push(handle);
    baseFollowers.push(Math.max(50, Math.round(logNormal(rng, p.followers, p.followersSigma))));
    rates.push(logNormal(rng, p.postsPerWeek, 0.3));
  }
  const counts = apportion(rows, rates);

  const startMinute = (end - days + 1) * 1440;
  const posts: Post[] = [];
  for (let a = 0; a < nAccounts; a++) {
    const segment = accountSegments[a];
    const p = PROFILES[segment];
    const hourKeys = Object.keys(p.hours);
    const hourWeights = hourKeys.map((h) => p.hours[h]);
    for (let i = 0; i < counts[a]; i++) {
      const day = rng.int(days);
      const hour = Number(hourKeys[weightedIndex(rng, hourWeights)]);
      const minute = startMinute + day * 1440 + hour * 60 + rng.int(60);
      const t = day / days;
      const followers = Math.max(10, Math.round(baseFollowers[a] * (1 + p.growth * t)));
      const type = weightedChoice(rng, p.types);
      const effect = TYPE_EFFECT[type];
      const topic = p.topics[rng.int(p.topics.length)];
      const templates = TEMPLATES[type];
      const text = templates[rng.int(templates.length)]
        .replace("{topic}", topic)
        .replace("{slug}", topic.replace(/[^a-z]+/gi, "-").toLowerCase());
      const weekday = new Date(minute * 60_000).getUTCDay();
      const weekend = weekday === 0 || weekday === 6 ? WEEKEND_REACH[segment] : 1;
      const viral = rng.float() < 0.02 ? 5 + 25 * rng.float() : 1;
      const reach = p.reach * effect.reach * hourEffect(hour) * weekend * viral;
      const impressions = Math.max(1, Math.round(followers * logNormal(rng, reach, 0.6)));
      const likes = poisson(rng, impressions * logNormal(rng, p.likeRate * effect.like, 0.35));
      const question = text.includes("?") ? 2 : 1;
      const comments = poisson(rng, likes * logNormal(rng, p.commentRatio * question, 0.4));
      const shares = poisson(rng, likes * logNormal(rng, p.shareRatio * effect.share, 0.4));
      posts.push({ minute, account: a, followers, type, text, likes, comments, shares, impressions });
    }
  }
  posts.sort((x, y) => x.minute - y.minute || x.account - y.account);

  const idWidth = Math.max(5, String(rows).length);
  const table: Table = {
    source: "synthetic social posts",
    nRows: posts.length,
    columns: [
      {
        name: "post_id",
        type: "VARCHAR",
        kind: "string",
        values: posts.map((_, i) => `P${String(i + 1).padStart(idWidth, "0")}`),
      },
      { name: "account", type: "VARCHAR", kind: "string", values: posts.map((x) => accounts[x.account]) },
      {
        name: "account_segment",
        type: "VARCHAR",
        kind: "string",
        values: posts.map((x) => accountSegments[x.account]),
      },
      { name: "followers", type: "BIGINT", kind: "numeric", values: Float64Array.from(posts, (x) => x.followers) },
      { name: "posted_at", type: "TIMESTAMP", kind: "string", values: posts.map((x) => minuteToTimestamp(x.minute)) },
      { name: "type", type: "VARCHAR", kind: "string", values: posts.map((x) => x.type) },
      { name: "text", type: "VARCHAR", kind: "string", values: posts.map((x) => x.text) },
      { name: "likes", type: "BIGINT", kind: "numeric", values: Float64Array.from(posts, (x) => x.likes) },
      { name: "comments", type: "BIGINT", kind: "numeric", values: Float64Array.from(posts, (x) => x.comments) },
      { name: "shares", type: "BIGINT", kind: "numeric", values: Float64Array.from(posts, (x) => x.shares) },
      {
        name: "impressions",
        type: "BIGINT",
        kind: "numeric",
        values: Float64Array.from(posts, (x) => x.impressions),
      },
    ],
  };
  return { table, accounts, accountSegments };
}
