import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ComputeSocialFeaturesOptions,
  computeSocialFeatures,
  DataError,
  type SocialFeatures,
  textLengthBucket,
  textLengthCutoffs,
  whatWorks,
} from "../../src/index.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "clusterlab-social-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

// Two accounts over 2024-01-01 .. 2024-01-14 (14 days). p3 has no text, p4 no impressions (rate
// undefined), p5 carries a +01:00 offset (18:00 UTC), p2's "?" inside the link is not a question
// but the one before it is; "a@b.com" is not a mention.
const TINY = `post_id,account,posted_at,type,text,likes,comments,shares,impressions,followers
p1,a,2024-01-01 08:00:00,photo,Hello #café @bob,10,5,5,100,1000
p2,a,2024-01-03 20:30:00,Video,Watch this? https://x.com/a?b=1,30,6,4,200,1100
p3,a,2024-01-07 02:00:00,photo,,0,0,0,50,1100
p4,b,2024-01-02 13:00:00,link,Read www.example.com mail me a@b.com,2,1,1,0,500
p5,b,2024-01-14T19:00:00+01:00,text,Hi?,6,0,0,60,520
`;

describe("computeSocialFeatures", () => {
  let f: SocialFeatures;
  beforeAll(async () => {
    f = await computeSocialFeatures(file("tiny.csv", TINY));
  });

  it("computes the post features by hand", () => {
    const p = f.posts;
    expect(f.nPosts).toBe(5);
    expect(f.rateBasis).toBe("impressions");
    expect(f.types).toEqual(["photo", "link", "text", "video"]); // by frequency, then by name
    expect(p.postId).toEqual(["p1", "p2", "p3", "p4", "p5"]);
    expect(p.type).toEqual(["photo", "video", "photo", "link", "text"]);
    expect(Array.from(p.engagement)).toEqual([20, 40, 0, 4, 6]);
    expect(Array.from(p.rateByImpressions.slice(0, 3))).toEqual([0.2, 0.2, 0]);
    expect(p.rateByImpressions[3]).toBeNaN(); // 0 impressions
    expect(p.rateByImpressions[4]).toBeCloseTo(0.1, 15);
    expect(Array.from(p.rateByFollowers)).toEqual([20 / 1000, 40 / 1100, 0, 4 / 500, 6 / 520]);
    expect(Array.from(p.hour)).toEqual([8, 20, 2, 13, 18]);
    expect(Array.from(p.weekday)).toEqual([1, 3, 7, 2, 7]); // ISO: Monday = 1
    expect(p.postedAt[4]).toBe("2024-01-14 18:00:00");
    expect(p.daypart).toEqual(["morning", "evening", "night", "afternoon", "evening"]);
    expect(Array.from(p.textLength)).toEqual([16, 31, 0, 36, 3]);
    expect(Array.from(p.hashtags)).toEqual([1, 0, 0, 0, 0]);
    expect(Array.from(p.mentions)).toEqual([1, 0, 0, 0, 0]);
    expect(Array.from(p.hasLink)).toEqual([0, 1, 0, 1, 0]);
    expect(Array.from(p.hasQuestion)).toEqual([0, 1, 0, 0, 1]);
    expect(Array.from(p.accountIndex)).toEqual([0, 0, 0, 1, 1]);
    // relative rate = rate / the account's median rate (a: 0.2, b: 0.1)
    expect(Array.from(p.relativeRate.slice(0, 3))).toEqual([1, 1, 0]);
    expect(p.relativeRate[3]).toBeNaN();
    expect(p.relativeRate[4]).toBeCloseTo(1, 12);
  });

  it("computes the account features by hand", () => {
    const a = f.accounts;
    expect(f.firstPost).toBe("2024-01-01 08:00:00");
    expect(f.lastPost).toBe("2024-01-14 18:00:00");
    expect(f.windowDays).toBe(14);
    expect(a.account).toEqual(["a", "b"]);
    expect(Array.from(a.posts)).toEqual([3, 2]);
    expect(Array.from(a.postsPerWeek)).toEqual([1.5, 1]); // posts * 7 / 14
    expect(Array.from(a.followers)).toEqual([1100, 520]); // on the latest post
    expect(a.medianRate[0]).toBeCloseTo(0.2, 15);
    expect(a.meanRate[0]).toBeCloseTo(0.4 / 3, 15);
    expect(a.medianRate[1]).toBeCloseTo(0.1, 15); // the NaN rate is left out
    expect(a.medianRateByFollowers[0]).toBeCloseTo(0.02, 15); // median of 0.02, 0.0364, 0
    expect(Array.from(a.medianEngagement)).toEqual([20, 5]);
    expect(Array.from(a.meanEngagement)).toEqual([20, 5]);
    // CV = population sd / mean: a: sd of (20, 40, 0) = sqrt(800 / 3); b: sd of (4, 6) = 1
    expect(a.engagementCv[0]).toBeCloseTo(Math.sqrt(800 / 3) / 20, 12);
    expect(a.engagementCv[1]).toBeCloseTo(0.2, 12);
    expect(a.typeShares.photo[0]).toBeCloseTo(2 / 3, 12);
    expect(a.typeShares.video[0]).toBeCloseTo(1 / 3, 12);
    expect(Array.from(a.typeShares.link)).toEqual([0, 0.5]);
    expect(Array.from(a.typeShares.text)).toEqual([0, 0.5]);
    expect(a.daypartShares.night[0]).toBeCloseTo(1 / 3, 12);
    expect(Array.from(a.daypartShares.afternoon)).toEqual([0, 0.5]);
    expect(a.daypartShares.evening[1]).toBe(0.5);
    expect(Array.from(a.medianTextLength)).toEqual([16, 19.5]);
    expect(a.plantedSegment).toBeNull();
    expect(f.warnings).toEqual([]);
  });

  it("breaks engagement down by post attributes (what works)", () => {
    const [all] = whatWorks(f.posts, f.types, undefined, [], { minPosts: 1 });
    expect(all).toMatchObject({ group: "all accounts", cluster: null, accounts: 2, posts: 5 });
    const type = all.dimensions.find((d) => d.dimension === "type")!;
    // photo: rates 0.2 and 0, relative rates 1 and 0
    expect(type.levels.find((l) => l.value === "photo")).toMatchObject({ posts: 2, medianRate: 0.1, lift: 0.5 });
    expect(type.worst).toBe("photo");
    const link = type.levels.find((l) => l.value === "link")!;
    expect(link.lift).toBeNaN(); // never best or worst
    const question = all.dimensions.find((d) => d.dimension === "question")!;
    expect(question.levels.map((l) => [l.value, l.posts])).toEqual([
      ["no", 3],
      ["yes", 2],
    ]);
    expect(question.best).toBe("yes");
    // text and video tie at 1.00x with one post each: the first in type order wins
    expect(all.summary[0]).toBe("type: best text 1.00x (1 posts), worst photo 0.50x (2 posts)");
    // with the default minPosts = 10 nothing is ranked in so few posts
    expect(whatWorks(f.posts, f.types)[0].summary).toEqual([]);
  });

  it("buckets text lengths by terciles", () => {
    // the values at positions floor(n / 3) and floor(2n / 3) of the sorted lengths
    expect(textLengthCutoffs([36, 0, 3, 16, 31])).toEqual([3, 31]);
    expect(textLengthCutoffs([10, 20, 30, 40, 50, 60])).toEqual([30, 50]);
    expect(textLengthBucket(15, [16, 36])).toBe("short (< 16 chars)");
    expect(textLengthBucket(16, [16, 36])).toBe("medium (16-35 chars)");
    expect(textLengthBucket(36, [16, 36])).toBe("long (>= 36 chars)");
    expect(textLengthCutoffs([5, 5, 5])).toEqual([]);
  });

  it("takes the user's column names, and leaves out optional roles whose default is missing", async () => {
    const renamed = TINY.replace(
      "post_id,account,posted_at,type,text,likes,comments,shares,impressions,followers",
      "id,user,time,kind,body,hearts,replies,reposts,views,fans",
    );
    const g = await computeSocialFeatures(file("renamed.csv", renamed), {
      columns: {
        postId: "id",
        account: "user",
        timestamp: "time",
        type: "kind",
        text: "body",
        likes: "hearts",
        comments: "replies",
        shares: "reposts",
        impressions: "views",
        followers: "fans",
      },
    });
    expect(Array.from(g.posts.rate)).toEqual(Array.from(f.posts.rate));
    expect(g.accounts.engagementCv).toEqual(f.accounts.engagementCv);

    // No impressions, type or text: rates by followers, one type, no text features.
    const lean = file(
      "lean.csv",
      "account,posted_at,likes,comments,shares,followers\na,2024-01-01 10:00,1,1,0,100\na,2024-01-02 10:00,3,0,1,100\n",
    );
    const h = await computeSocialFeatures(lean);
    expect(h.rateBasis).toBe("followers");
    expect(Array.from(h.posts.rate)).toEqual([0.02, 0.04]);
    expect(h.types).toEqual(["post"]);
    expect(Array.from(h.posts.textLength)).toEqual([0, 0]);
    expect(h.columns).toMatchObject({ impressions: null, type: null, text: null, postId: null, segment: null });
    expect(h.warnings).toHaveLength(3);
    expect(h.warnings[0]).toMatch(
      /^no impressions column \("impressions" is not in .*lean\.csv\): engagement rates are by followers$/,
    );

    // Without shares (null): engagement = likes + comments.
    const k = await computeSocialFeatures(lean, { columns: { shares: null } });
    expect(Array.from(k.posts.engagement)).toEqual([2, 3]);

    // Another timestamp layout.
    const dmy = file("dmy.csv", "account,posted_at,likes,comments,shares,followers\na,03/01/2024 20:30,1,0,0,10\n");
    const m = await computeSocialFeatures(dmy, { timestampFormat: "%d/%m/%Y %H:%M" });
    expect(m.posts.postedAt).toEqual(["2024-01-03 20:30:00"]);
    expect(m.windowDays).toBe(1);
  });

  it("reads the segment column for evaluation only", async () => {
    const seg = file(
      "seg.csv",
      "account,posted_at,likes,comments,shares,impressions,account_segment\nb,2024-01-01 10:00,1,0,0,10,x\na,2024-01-01 11:00,1,0,0,10,y\na,2024-01-02 11:00,1,0,0,10,y\n",
    );
    const s = await computeSocialFeatures(seg);
    expect(s.accounts.plantedSegment).toEqual(["y", "x"]);
    expect(s.columns.segment).toBe("account_segment");
    expect(s.columns.followers).toBeNull();
  });
});

describe("computeSocialFeatures errors", () => {
  const header = "account,posted_at,likes,comments,shares,impressions\n";
  const cases: [string, string, RegExp | string, ComputeSocialFeaturesOptions?][] = [
    [
      "missing mapped column",
      `${header}a,2024-01-01 10:00,1,0,0,10\n`,
      /^account column "user" not found in .*\.csv \(columns: account, posted_at, likes, comments, shares, impressions\)$/,
      { columns: { account: "user" } },
    ],
    [
      "missing default column",
      "account,posted_at,likes,impressions\na,2024-01-01 10:00,1,10\n",
      /^comments column "comments" not found in .* \(columns: account, posted_at, likes, impressions\); map it or leave it out$/,
    ],
    [
      "negative counts",
      `${header}a,2024-01-01 10:00,1,0,0,10\na,2024-01-02 10:00,-3,0,0,10\na,2024-01-03 10:00,-1,0,0,10\n`,
      'likes column "likes" has 2 negative values (first at row 2: "-3"); counts must be >= 0',
    ],
    [
      "not a number",
      `${header}a,2024-01-01 10:00,1,0,0,12k\n`,
      'impressions column "impressions" has 1 value that is not a number (first at row 1: "12k")',
    ],
    [
      "missing count",
      `${header}a,2024-01-01 10:00,1,,0,10\n`,
      'comments column "comments" has 1 missing value (first at row 1)',
    ],
    [
      "unparseable timestamp",
      `${header}a,2024-01-01 10:00,1,0,0,10\na,yesterday,1,0,0,10\n`,
      'timestamp column "posted_at" has 1 value that is not a timestamp (first at row 2: "yesterday"); expected ISO timestamps like 2024-03-12 18:30:00; for other layouts set the timestampFormat option, e.g. %d/%m/%Y %H:%M',
    ],
    [
      "numeric timestamp",
      `${header}a,1704103200,1,0,0,10\n`,
      /^timestamp column "posted_at" in .* is not a timestamp \(type BIGINT\)/,
    ],
    [
      "missing account",
      `${header},2024-01-01 10:00,1,0,0,10\n`,
      'account column "account" has 1 missing value (first at row 1)',
    ],
    ["header only", header, /^empty file: .*\.csv \(no rows\)$/],
    ["empty file", "", /^empty file: .*\.csv \(no rows\)$/],
    [
      "no rate denominator",
      "account,posted_at,likes,comments,shares\na,2024-01-01 10:00,1,0,0\n",
      /^engagement rates need an impressions or a followers column/,
    ],
    [
      "one column for two roles",
      `${header}a,2024-01-01 10:00,1,0,0,10\n`,
      'column "likes" is mapped to both likes and comments',
      { columns: { comments: "likes" } },
    ],
  ];
  for (const [name, text, message, options] of cases) {
    it(name, async () => {
      const path = file(`${name.replace(/ /g, "_")}.csv`, text);
      const error = await computeSocialFeatures(path, options).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DataError);
      if (typeof message === "string") expect((error as Error).message).toBe(message);
      else expect((error as Error).message).toMatch(message);
    });
  }

  it("reports a missing file", async () => {
    await expect(computeSocialFeatures(join(dir, "nope.csv"))).rejects.toThrow(/^file not found: /);
  });
});
