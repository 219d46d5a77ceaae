import { stat } from "node:fs/promises";
import { checkInt, invalid } from "@clusterlab/core";
import { sqlIdent, sqlString, withDuckDB } from "../duckdb.js";
import { DataError } from "../errors.js";
import { fileScanSql, plural, queryRows, quoteValue, scanFailure } from "../fileScan.js";
import { detectFormat, isNumericType, type ReadTableOptions } from "../readTable.js";

/** Roles of the columns of a posts table (see `SOCIAL_DEFAULT_COLUMNS`). */
export type SocialColumnRole =
  | "account"
  | "timestamp"
  | "likes"
  | "comments"
  | "shares"
  | "impressions"
  | "followers"
  | "type"
  | "text"
  | "postId"
  | "segment";

/** Default column names: those of the bundled `examples/data/social_posts_synthetic.csv`. */
export const SOCIAL_DEFAULT_COLUMNS: Readonly<Record<SocialColumnRole, string>> = {
  account: "account",
  timestamp: "posted_at",
  likes: "likes",
  comments: "comments",
  shares: "shares",
  impressions: "impressions",
  followers: "followers",
  type: "type",
  text: "text",
  postId: "post_id",
  segment: "account_segment",
};

/** Roles that must be in the file: the account and the timestamp. */
const REQUIRED_ROLES: readonly SocialColumnRole[] = ["account", "timestamp"];
/** The engagement counts (summed into a post's engagement) and the denominators of the rates. */
const COUNT_ROLES = ["likes", "comments", "shares", "impressions", "followers"] as const;
type CountRole = (typeof COUNT_ROLES)[number];

/** How each role is named in messages. */
const ROLE_LABEL: Record<SocialColumnRole, string> = {
  account: "account",
  timestamp: "timestamp",
  likes: "likes",
  comments: "comments",
  shares: "shares",
  impressions: "impressions",
  followers: "followers",
  type: "type",
  text: "text",
  postId: "post id",
  segment: "segment",
};

/**
 * The user's column mapping. Each role takes a column name; `null` leaves the role out
 * (not for `account` and `timestamp`). Left undefined, a role takes its default name from
 * `SOCIAL_DEFAULT_COLUMNS`: the default must exist for `account`, `timestamp`, `likes`,
 * `comments` and `shares`; for the others it is used when the file has it and skipped otherwise.
 */
export type SocialColumnsOption = Partial<Record<SocialColumnRole, string | null>>;

/** Options for `computeSocialFeatures`. */
export interface ComputeSocialFeaturesOptions extends ReadTableOptions {
  /** The column mapping. Default: `SOCIAL_DEFAULT_COLUMNS` (see `SocialColumnsOption`). */
  columns?: SocialColumnsOption;
  /**
   * `strptime` format of a text timestamp column (e.g. `"%d/%m/%Y %H:%M"`). Default: ISO timestamps
   * (`2024-03-12 18:30:00`, `2024-03-12T18:30:00Z`, `2024-03-12T18:30:00+02:00`; offsets are
   * converted to UTC), or the column's own type when the file has one.
   */
  timestampFormat?: string;
  /** How to name the timestamp-format option in the unparseable-timestamp error. Default `"the timestampFormat option"`. */
  timestampFormatHint?: string;
  /**
   * Denominator of the headline engagement rate (`rate`, used for clustering and "what works"):
   * `"impressions"` (engagement per view) or `"followers"` (engagement per follower, which also
   * rewards reach). Default: impressions when that column is mapped, else followers.
   */
  rateBasis?: SocialRateBasis;
  /** At most this many post types are kept (the most frequent); the rest become `"other"`. Default 8. */
  maxTypes?: number;
}

/** The mapping as used: a column name per role, `null` for the roles left out. */
export type SocialColumnMapping = Record<SocialColumnRole, string | null> & { account: string; timestamp: string };

/** Parts of the day (hours as in the timestamps: UTC when they carry an offset). */
export const SOCIAL_DAYPARTS = ["night", "morning", "afternoon", "evening"] as const;
export type SocialDaypart = (typeof SOCIAL_DAYPARTS)[number];
/** First hour of each daypart: night 0-5 h, morning 6-11 h, afternoon 12-17 h, evening 18-23 h. */
export const SOCIAL_DAYPART_START: Readonly<Record<SocialDaypart, number>> = {
  night: 0,
  morning: 6,
  afternoon: 12,
  evening: 18,
};

/** The daypart of an hour 0-23. */
export function socialDaypart(hour: number): SocialDaypart {
  return hour < 6 ? "night" : hour < 12 ? "morning" : hour < 18 ? "afternoon" : "evening";
}

/** Which denominator the headline engagement rate (`rate`) uses. */
export type SocialRateBasis = "impressions" | "followers";

/** One entry per post, in file order. */
export interface SocialPostFeatures {
  /** Data row of the post in the file (from 1). */
  row: Int32Array;
  /** The post id (the row number as text without a post id column). */
  postId: string[];
  account: string[];
  /** Index of the post's account in `SocialAccountFeatures.account`. */
  accountIndex: Int32Array;
  /** `YYYY-MM-DD HH:MM:SS` (UTC when the input carried an offset). */
  postedAt: string[];
  /** Post type (trimmed, lower case; `"unknown"` when missing, `"other"` beyond `maxTypes`; `"post"` without a type column). */
  type: string[];
  /** The counts; 0 for an unmapped engagement count, NaN for unmapped impressions / followers. */
  likes: Float64Array;
  comments: Float64Array;
  shares: Float64Array;
  impressions: Float64Array;
  followers: Float64Array;
  /** likes + comments + shares (the mapped ones). */
  engagement: Float64Array;
  /** engagement / impressions (NaN when impressions are 0 or not mapped). */
  rateByImpressions: Float64Array;
  /** engagement / followers (NaN when followers are 0 or not mapped). */
  rateByFollowers: Float64Array;
  /** The headline rate: by impressions when mapped, else by followers. */
  rate: Float64Array;
  /** rate / the median rate of the post's account (1 = a typical post of that account; NaN when undefined). */
  relativeRate: Float64Array;
  /** Hour of day 0-23. */
  hour: Int32Array;
  /** ISO weekday: 1 = Monday ... 7 = Sunday. */
  weekday: Int32Array;
  daypart: SocialDaypart[];
  /** Characters of the text (Unicode code points; 0 without a text column). */
  textLength: Float64Array;
  /** Hashtags (`#word`) and mentions (`@name`, not inside an e-mail address) in the text. */
  hashtags: Float64Array;
  mentions: Float64Array;
  /** 1 when the text holds a link (`http://`, `https://`, `www.`), else 0. */
  hasLink: Int32Array;
  /** 1 when the text (outside links) holds a question mark, else 0. */
  hasQuestion: Int32Array;
}

/** One entry per account, accounts sorted by name. */
export interface SocialAccountFeatures {
  account: string[];
  posts: Float64Array;
  /** posts * 7 / `windowDays` (the whole table's window, the same for every account). */
  postsPerWeek: Float64Array;
  /** Followers on the account's latest post (NaN without a followers column). */
  followers: Float64Array;
  /** Median and mean of the posts' headline rate (`SocialPostFeatures.rate`). */
  medianRate: Float64Array;
  meanRate: Float64Array;
  /** Median and mean rate by impressions / by followers (NaN when that column is not mapped). */
  medianRateByImpressions: Float64Array;
  meanRateByImpressions: Float64Array;
  medianRateByFollowers: Float64Array;
  meanRateByFollowers: Float64Array;
  /** Median and mean engagement per post. */
  medianEngagement: Float64Array;
  meanEngagement: Float64Array;
  /** Consistency: coefficient of variation of the engagement per post (population sd / mean; 0 when the mean is 0). */
  engagementCv: Float64Array;
  /** Share of the account's posts of each type (keys: `SocialFeatures.types`). */
  typeShares: Record<string, Float64Array>;
  /** Share of the account's posts in each daypart. */
  daypartShares: Record<SocialDaypart, Float64Array>;
  /** Median text length. */
  medianTextLength: Float64Array;
  /** The value of the segment column (the most frequent one per account), for evaluation only; null without it. */
  plantedSegment: string[] | null;
}

/** The result of `computeSocialFeatures`. */
export interface SocialFeatures {
  source: string;
  columns: SocialColumnMapping;
  nPosts: number;
  nAccounts: number;
  /** First and latest post, `YYYY-MM-DD HH:MM:SS`. */
  firstPost: string;
  lastPost: string;
  /** Calendar days from the first post's day to the latest post's day, both included. */
  windowDays: number;
  rateBasis: SocialRateBasis;
  /** Post types, most frequent first. */
  types: string[];
  posts: SocialPostFeatures;
  accounts: SocialAccountFeatures;
  /** Notes on roles left out because their default column is missing, inconsistent segment values, ... */
  warnings: string[];
}

const TIME_TYPES = /^(DATE|TIMESTAMP.*)$/;
const TEXT_TYPES = new Set(["VARCHAR", "NULL", '"NULL"']);
const HASHTAG = "'#[\\p{L}\\p{N}_]+'";
const MENTION = "'(^|[^\\p{L}\\p{N}_.])@[\\p{L}\\p{N}_]+'";
const LINK = "'(https?://|www\\.)\\S+'";

/** Resolves the column mapping against the file's columns (see `SocialColumnsOption`). */
function resolveColumns(
  given: SocialColumnsOption,
  names: readonly string[],
  path: string,
  warnings: string[],
): SocialColumnMapping {
  const mapping = {} as Record<SocialColumnRole, string | null>;
  for (const role of Object.keys(SOCIAL_DEFAULT_COLUMNS) as SocialColumnRole[]) {
    const value = given[role];
    if (value === null) {
      if (REQUIRED_ROLES.includes(role)) throw invalid(`${ROLE_LABEL[role]} column`, value, "must be a column name");
      mapping[role] = null;
      continue;
    }
    if (value !== undefined && (typeof value !== "string" || value === "")) {
      throw invalid(`${ROLE_LABEL[role]} column`, value, "must be a column name");
    }
    const name = value ?? SOCIAL_DEFAULT_COLUMNS[role];
    const explicit = value !== undefined;
    if (names.includes(name)) {
      mapping[role] = name;
    } else if (
      explicit ||
      REQUIRED_ROLES.includes(role) ||
      role === "likes" ||
      role === "comments" ||
      role === "shares"
    ) {
      throw new DataError(
        `${ROLE_LABEL[role]} column ${JSON.stringify(name)} not found in ${path} (columns: ${names.join(", ")})` +
          (explicit ? "" : `; map it${role === "account" || role === "timestamp" ? "" : " or leave it out"}`),
      );
    } else {
      mapping[role] = null;
      if (role === "impressions" || role === "followers" || role === "type" || role === "text") {
        warnings.push(
          `no ${ROLE_LABEL[role]} column (${JSON.stringify(name)} is not in ${path}): ${
            role === "impressions"
              ? "engagement rates are by followers"
              : role === "followers"
                ? "no rate by followers and no follower counts"
                : role === "type"
                  ? "no post types"
                  : "no text features"
          }`,
        );
      }
    }
  }
  const used = (Object.keys(mapping) as SocialColumnRole[]).filter((r) => mapping[r] !== null);
  for (let i = 0; i < used.length; i++) {
    for (let j = 0; j < i; j++) {
      if (mapping[used[i]] === mapping[used[j]]) {
        throw new DataError(
          `column ${JSON.stringify(mapping[used[i]])} is mapped to both ${ROLE_LABEL[used[j]]} and ${ROLE_LABEL[used[i]]}`,
        );
      }
    }
  }
  if (mapping.likes === null && mapping.comments === null && mapping.shares === null) {
    throw new DataError("no engagement column: map at least one of likes, comments and shares");
  }
  if (mapping.impressions === null && mapping.followers === null) {
    throw new DataError(
      `engagement rates need an impressions or a followers column, and ${path} has neither mapped (columns: ${names.join(", ")})`,
    );
  }
  return mapping as SocialColumnMapping;
}

/**
 * Computes per-post and per-account engagement features from a posts table (CSV/TSV/Parquet/JSON,
 * one row per post) with SQL in DuckDB.
 *
 * - **Per post**: engagement = likes + comments + shares; engagement rate by impressions
 *   (engagement / impressions) and by followers (engagement / followers); the headline `rate` is
 *   by impressions when that column is mapped, else by followers; `relativeRate` = rate / the
 *   account's median rate. Hour of day, ISO weekday and daypart (night 0-5 h, morning 6-11 h,
 *   afternoon 12-17 h, evening 18-23 h), post type, text length (characters), hashtags, mentions,
 *   whether the text holds a link or a question.
 * - **Per account** (`GROUP BY` the account): posts, posts per week (posts * 7 / the table's window
 *   in days), followers on the latest post, median and mean engagement rate, median and mean
 *   engagement, consistency (coefficient of variation of the engagement), the share of each post
 *   type and of each daypart, median text length; and the segment column (evaluation only).
 *
 * Errors (`DataError`, one line): file not found, empty file, a mapped column missing (the message
 * lists the available columns), a timestamp column that is not a timestamp (its type, or the count
 * of unparseable values with the first row and value), missing accounts, and missing, non-numeric,
 * NaN, infinite or negative counts (count, first row and value). Rows count data rows from 1.
 */
export async function computeSocialFeatures(
  path: string,
  options: ComputeSocialFeaturesOptions = {},
): Promise<SocialFeatures> {
  const maxTypes = checkInt(options.maxTypes ?? 8, "maxTypes", 1);
  if (options.rateBasis !== undefined && options.rateBasis !== "impressions" && options.rateBasis !== "followers") {
    throw invalid("rateBasis", options.rateBasis, 'must be "impressions" or "followers"');
  }
  if (
    options.timestampFormat !== undefined &&
    (typeof options.timestampFormat !== "string" || !options.timestampFormat)
  ) {
    throw invalid("timestampFormat", options.timestampFormat, "must be a strptime format, e.g. %d/%m/%Y %H:%M");
  }
  try {
    const s = await stat(path);
    if (!s.isFile()) throw new DataError(`not a file: ${path}`);
    if (s.size === 0) throw new DataError(`empty file: ${path} (no rows)`);
  } catch (error) {
    if (error instanceof DataError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") throw new DataError(`file not found: ${path}`);
    throw new DataError(`cannot read ${path}: ${(error as Error).message}`);
  }
  detectFormat(path, options);

  return withDuckDB(async (connection) => {
    try {
      await connection.run("SET TimeZone = 'UTC'");
    } catch {
      // without ICU, timestamps with an offset are read as written
    }
    // 1. The file's columns, and the mapping.
    let described: unknown[][];
    try {
      described = await queryRows(connection, `DESCRIBE SELECT * FROM ${fileScanSql(path, options, [])}`);
    } catch (error) {
      throw await scanFailure(path, options, error);
    }
    const names = described.map((r) => String(r[0]));
    const warnings: string[] = [];
    const columns = resolveColumns(options.columns ?? {}, names, path, warnings);
    const fileType = (name: string) => String(described[names.indexOf(name)][1]);
    const tsLabel = JSON.stringify(columns.timestamp);
    const notATimestamp = (type: string) =>
      new DataError(
        `timestamp column ${tsLabel} in ${path} is not a timestamp (type ${type}); map a column of dates and times`,
      );
    if (options.timestampFormat === undefined && isNumericType(fileType(columns.timestamp))) {
      throw notATimestamp(fileType(columns.timestamp));
    }

    // 2. Stage the mapped columns (text files: as text, parsed and checked below).
    const mapped = (Object.keys(columns) as SocialColumnRole[]).filter((r) => columns[r] !== null);
    const asText = mapped.filter((r) => r !== "segment").map((r) => columns[r]!);
    const scan = fileScanSql(path, options, asText);
    const counts = COUNT_ROLES.filter((r) => columns[r] !== null);
    const select = [
      "row_number() OVER () AS row_no",
      `CAST(${sqlIdent(columns.account)} AS VARCHAR) AS account`,
      `${sqlIdent(columns.timestamp)} AS ts_raw`,
      ...counts.map((r) => `${sqlIdent(columns[r]!)} AS ${r}_raw`),
      columns.type !== null ? `CAST(${sqlIdent(columns.type)} AS VARCHAR) AS type_raw` : "NULL::VARCHAR AS type_raw",
      columns.text !== null ? `CAST(${sqlIdent(columns.text)} AS VARCHAR) AS text_raw` : "NULL::VARCHAR AS text_raw",
      columns.postId !== null ? `CAST(${sqlIdent(columns.postId)} AS VARCHAR) AS pid` : "NULL::VARCHAR AS pid",
      columns.segment !== null ? `CAST(${sqlIdent(columns.segment)} AS VARCHAR) AS seg` : "NULL::VARCHAR AS seg",
    ];
    try {
      await connection.run(`CREATE TEMP TABLE raw AS SELECT ${select.join(", ")} FROM ${scan}`);
    } catch (error) {
      throw await scanFailure(path, options, error);
    }
    const rawTypes = new Map((await queryRows(connection, "DESCRIBE raw")).map((r) => [String(r[0]), String(r[1])]));

    const tsType = rawTypes.get("ts_raw")!;
    let tsExpr: string;
    if (TIME_TYPES.test(tsType)) tsExpr = "CAST(ts_raw AS TIMESTAMP)";
    else if (TEXT_TYPES.has(tsType)) {
      const text = "trim(CAST(ts_raw AS VARCHAR))";
      tsExpr =
        options.timestampFormat !== undefined
          ? `CAST(try_strptime(${text}, ${sqlString(options.timestampFormat)}) AS TIMESTAMP)`
          : `CAST(TRY_CAST(${text} AS TIMESTAMPTZ) AS TIMESTAMP)`;
    } else throw notATimestamp(tsType);
    const countExpr = (role: CountRole): string => {
      const type = rawTypes.get(`${role}_raw`)!;
      if (isNumericType(type)) return `CAST(${role}_raw AS DOUBLE)`;
      if (TEXT_TYPES.has(type)) return `TRY_CAST(trim(CAST(${role}_raw AS VARCHAR)) AS DOUBLE)`;
      throw new DataError(
        `${ROLE_LABEL[role]} column ${JSON.stringify(columns[role])} in ${path} is not numeric (type ${type}); map a column of counts`,
      );
    };
    await connection.run(
      `CREATE TEMP TABLE parsed AS SELECT *, ${tsExpr} AS ts${counts.map((r) => `, ${countExpr(r)} AS ${r}`).join("")} FROM raw`,
    );

    // 3. Check every row: one pass counting each problem with its first row and value.
    const problems: [string, string, string][] = [
      ["account_missing", "account IS NULL OR trim(account) = ''", "account"],
      ["ts_missing", "ts_raw IS NULL", "ts_raw"],
      ["ts_bad", "ts_raw IS NOT NULL AND ts IS NULL", "ts_raw"],
    ];
    for (const r of counts) {
      problems.push(
        [`${r}_missing`, `${r}_raw IS NULL`, `${r}_raw`],
        [`${r}_bad`, `${r}_raw IS NOT NULL AND ${r} IS NULL`, `${r}_raw`],
        [`${r}_nan`, `isnan(${r})`, `${r}_raw`],
        [`${r}_inf`, `isinf(${r})`, `${r}_raw`],
        [`${r}_negative`, `${r} < 0`, `${r}_raw`],
      );
    }
    const checkSql = problems
      .map(
        ([key, cond, value]) =>
          `count(*) FILTER (WHERE ${cond}), min(row_no) FILTER (WHERE ${cond}), ` +
          `arg_min(CAST(${value} AS VARCHAR), row_no) FILTER (WHERE ${cond}) AS ${key}_value`,
      )
      .join(", ");
    const [check] = await queryRows(connection, `SELECT count(*), ${checkSql} FROM parsed`);
    const nPosts = Number(check[0]);
    if (nPosts === 0) throw new DataError(`empty file: ${path} (no rows)`);
    const problem = (key: string) => {
      const i = problems.findIndex((p) => p[0] === key);
      return { n: Number(check[1 + 3 * i]), row: Number(check[2 + 3 * i]), value: check[3 + 3 * i] };
    };
    const at = (p: { row: number; value: unknown }, withValue = true) =>
      `first at row ${p.row}${withValue ? `: ${quoteValue(p.value)}` : ""}`;
    let p = problem("account_missing");
    if (p.n > 0) {
      throw new DataError(
        `account column ${JSON.stringify(columns.account)} has ${plural(p.n, "missing value")} (${at(p, false)})`,
      );
    }
    p = problem("ts_missing");
    if (p.n > 0)
      throw new DataError(`timestamp column ${tsLabel} has ${plural(p.n, "missing value")} (${at(p, false)})`);
    p = problem("ts_bad");
    if (p.n > 0) {
      const expected =
        options.timestampFormat !== undefined
          ? `timestamps in the format ${JSON.stringify(options.timestampFormat)}`
          : `ISO timestamps like 2024-03-12 18:30:00; for other layouts set ${options.timestampFormatHint ?? "the timestampFormat option"}, e.g. %d/%m/%Y %H:%M`;
      throw new DataError(
        `timestamp column ${tsLabel} has ${plural(p.n, "value")} that ${p.n === 1 ? "is" : "are"} not a timestamp (${at(p)}); expected ${expected}`,
      );
    }
    for (const r of counts) {
      const label = `${ROLE_LABEL[r]} column ${JSON.stringify(columns[r])}`;
      p = problem(`${r}_missing`);
      if (p.n > 0) throw new DataError(`${label} has ${plural(p.n, "missing value")} (${at(p, false)})`);
      p = problem(`${r}_bad`);
      if (p.n > 0) {
        throw new DataError(
          `${label} has ${plural(p.n, "value")} that ${p.n === 1 ? "is" : "are"} not a number (${at(p)})`,
        );
      }
      p = problem(`${r}_nan`);
      if (p.n > 0) throw new DataError(`${label} has ${plural(p.n, "NaN value")} (${at(p, false)})`);
      p = problem(`${r}_inf`);
      if (p.n > 0) throw new DataError(`${label} has ${plural(p.n, "infinite value")} (${at(p)})`);
      p = problem(`${r}_negative`);
      if (p.n > 0) {
        throw new DataError(`${label} has ${plural(p.n, "negative value")} (${at(p)}); counts must be >= 0`);
      }
    }

    // 4. Post features.
    const engagementParts = (["likes", "comments", "shares"] as const).filter((r) => columns[r] !== null);
    const engagement = engagementParts.join(" + ");
    const rateBasis: SocialRateBasis =
      options.rateBasis ?? (columns.impressions !== null ? "impressions" : "followers");
    if (columns[rateBasis] === null) {
      throw new DataError(`engagement rate by ${rateBasis} needs a ${rateBasis} column, and none is mapped`);
    }
    const num = (role: CountRole) => (columns[role] !== null ? role : "CAST('NaN' AS DOUBLE)");
    const rateBy = (role: CountRole) =>
      columns[role] !== null
        ? `CASE WHEN ${role} > 0 THEN engagement / ${role} ELSE 'NaN'::DOUBLE END`
        : "'NaN'::DOUBLE";
    const typeExpr = columns.type !== null ? "COALESCE(NULLIF(lower(trim(type_raw)), ''), 'unknown')" : "'post'";
    await connection.run(
      `CREATE TEMP TABLE base AS
       SELECT row_no, COALESCE(pid, CAST(row_no AS VARCHAR)) AS post_id, account, ts, seg,
              ${columns.likes !== null ? "likes" : "0.0"} AS likes,
              ${columns.comments !== null ? "comments" : "0.0"} AS comments,
              ${columns.shares !== null ? "shares" : "0.0"} AS shares,
              ${num("impressions")} AS impressions, ${num("followers")} AS followers,
              CAST(${engagement} AS DOUBLE) AS engagement,
              ${typeExpr} AS type0, COALESCE(text_raw, '') AS txt
       FROM parsed`,
    );
    const typeCounts = await queryRows(
      connection,
      "SELECT type0, count(*) AS n FROM base GROUP BY type0 ORDER BY n DESC, type0",
    );
    let types = typeCounts.map((r) => String(r[0]));
    if (types.length > maxTypes) {
      const kept = types.slice(0, maxTypes - 1);
      warnings.push(
        `${types.length} post types: the ${types.length - kept.length} least frequent are counted as "other"`,
      );
      types = kept.includes("other") ? kept : [...kept, "other"];
    }
    const typeList = types.map(sqlString).join(", ");
    await connection.run(
      `CREATE TEMP TABLE posts AS
       SELECT row_no, post_id, account, ts, seg, likes, comments, shares, impressions, followers, engagement,
              ${rateBy("impressions")} AS rate_impressions,
              ${rateBy("followers")} AS rate_followers,
              ${rateBasis === "impressions" ? rateBy("impressions") : rateBy("followers")} AS rate,
              CAST(hour(ts) AS INTEGER) AS hour, CAST(isodow(ts) AS INTEGER) AS weekday,
              CASE WHEN hour(ts) < 6 THEN 'night' WHEN hour(ts) < 12 THEN 'morning'
                   WHEN hour(ts) < 18 THEN 'afternoon' ELSE 'evening' END AS daypart,
              CASE WHEN type0 IN (${typeList}) THEN type0 ELSE 'other' END AS type,
              CAST(length(txt) AS DOUBLE) AS text_length,
              CAST(len(regexp_extract_all(txt, ${HASHTAG})) AS DOUBLE) AS hashtags,
              CAST(len(regexp_extract_all(txt, ${MENTION})) AS DOUBLE) AS mentions,
              CAST(regexp_matches(txt, ${LINK}) AS INTEGER) AS has_link,
              CAST(contains(regexp_replace(txt, ${LINK}, '', 'g'), '?') AS INTEGER) AS has_question
       FROM base`,
    );

    // 5. The window and the per-account aggregates.
    const [[firstPost, lastPost, windowDays]] = await queryRows(
      connection,
      `SELECT strftime(min(ts), '%Y-%m-%d %H:%M:%S'), strftime(max(ts), '%Y-%m-%d %H:%M:%S'),
              CAST(date_diff('day', CAST(min(ts) AS DATE), CAST(max(ts) AS DATE)) + 1 AS INTEGER) FROM posts`,
    );
    const days = Number(windowDays);
    // NaN rates are left out of medians and means (NULL in SQL).
    const valid = (x: string) => `CASE WHEN isnan(${x}) THEN NULL ELSE ${x} END`;
    const share = (cond: string) => `avg(CASE WHEN ${cond} THEN 1.0 ELSE 0.0 END)`;
    const accountSql = `SELECT account,
        CAST(count(*) AS DOUBLE) AS posts,
        count(*) * 7.0 / ${days} AS posts_per_week,
        arg_max(followers, (ts, row_no)) AS followers,
        median(${valid("rate")}), avg(${valid("rate")}),
        median(${valid("rate_impressions")}), avg(${valid("rate_impressions")}),
        median(${valid("rate_followers")}), avg(${valid("rate_followers")}),
        median(engagement), avg(engagement),
        CASE WHEN avg(engagement) > 0 THEN stddev_pop(engagement) / avg(engagement) ELSE 0 END,
        median(text_length),
        mode(seg ORDER BY seg), count(DISTINCT seg)
        ${types.map((t) => `, ${share(`type = ${sqlString(t)}`)}`).join("")}
        ${SOCIAL_DAYPARTS.map((d) => `, ${share(`daypart = ${sqlString(d)}`)}`).join("")}
      FROM posts GROUP BY account ORDER BY account`;
    let acc: unknown[][];
    try {
      acc = (await connection.runAndReadAll(accountSql)).getColumnsJS() as unknown[][];
    } catch {
      // older DuckDB: mode without ORDER BY
      acc = (
        await connection.runAndReadAll(accountSql.replace("mode(seg ORDER BY seg)", "mode(seg)"))
      ).getColumnsJS() as unknown[][];
    }
    const accountNames = acc[0] as string[];
    const nAccounts = accountNames.length;
    const nan = (v: unknown) => (v === null || v === undefined ? Number.NaN : Number(v));
    const floats = (j: number) => Float64Array.from(acc[j], nan);
    const typeShares: Record<string, Float64Array> = {};
    types.forEach((t, i) => {
      typeShares[t] = floats(16 + i);
    });
    const daypartShares = {} as Record<SocialDaypart, Float64Array>;
    SOCIAL_DAYPARTS.forEach((d, i) => {
      daypartShares[d] = floats(16 + types.length + i);
    });
    let plantedSegment: string[] | null = null;
    if (columns.segment !== null) {
      plantedSegment = (acc[14] as (string | null)[]).map((s) => s ?? "");
      const mixed = (acc[15] as unknown[]).filter((n) => Number(n) > 1).length;
      if (mixed > 0) {
        warnings.push(
          `segment column ${JSON.stringify(columns.segment)} has several values for ${plural(mixed, "account")}: the most frequent is used`,
        );
      }
    }
    const accounts: SocialAccountFeatures = {
      account: accountNames,
      posts: floats(1),
      postsPerWeek: floats(2),
      followers: floats(3),
      medianRate: floats(4),
      meanRate: floats(5),
      medianRateByImpressions: floats(6),
      meanRateByImpressions: floats(7),
      medianRateByFollowers: floats(8),
      meanRateByFollowers: floats(9),
      medianEngagement: floats(10),
      meanEngagement: floats(11),
      engagementCv: floats(12),
      medianTextLength: floats(13),
      typeShares,
      daypartShares,
      plantedSegment,
    };

    // 6. The posts, in file order.
    const postCols = (
      await connection.runAndReadAll(
        `SELECT row_no, post_id, account, strftime(ts, '%Y-%m-%d %H:%M:%S'), type, likes, comments, shares,
                impressions, followers, engagement, rate_impressions, rate_followers, rate, hour, weekday, daypart,
                text_length, hashtags, mentions, has_link, has_question
         FROM posts ORDER BY row_no`,
      )
    ).getColumnsJS() as unknown[][];
    const pf = (j: number) => Float64Array.from(postCols[j], nan);
    const pi = (j: number) => Int32Array.from(postCols[j] as number[], Number);
    const accountIndexOf = new Map(accountNames.map((a, i) => [a, i]));
    const account = postCols[2] as string[];
    const accountIndex = Int32Array.from(account, (a) => accountIndexOf.get(a)!);
    const rate = pf(13);
    const relativeRate = rate.map((r, i) => {
      const m = accounts.medianRate[accountIndex[i]];
      return m > 0 ? r / m : Number.NaN;
    });
    const posts: SocialPostFeatures = {
      row: pi(0),
      postId: postCols[1] as string[],
      account,
      accountIndex,
      postedAt: postCols[3] as string[],
      type: postCols[4] as string[],
      likes: pf(5),
      comments: pf(6),
      shares: pf(7),
      impressions: pf(8),
      followers: pf(9),
      engagement: pf(10),
      rateByImpressions: pf(11),
      rateByFollowers: pf(12),
      rate,
      relativeRate,
      hour: pi(14),
      weekday: pi(15),
      daypart: postCols[16] as SocialDaypart[],
      textLength: pf(17),
      hashtags: pf(18),
      mentions: pf(19),
      hasLink: pi(20),
      hasQuestion: pi(21),
    };
    const noRate = accounts.medianRate.filter((r) => Number.isNaN(r)).length;
    if (noRate > 0) {
      warnings.push(
        `${plural(noRate, "account")} without any post with ${rateBasis} > 0: no engagement rate (imputed with the median for clustering)`,
      );
    }
    return {
      source: path,
      columns,
      nPosts,
      nAccounts,
      firstPost: String(firstPost),
      lastPost: String(lastPost),
      windowDays: days,
      rateBasis,
      types,
      posts,
      accounts,
      warnings,
    };
  });
}
