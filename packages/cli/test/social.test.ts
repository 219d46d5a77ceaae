import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseArgs, UsageError } from "../src/args.js";
import { repoRoot, run } from "./helpers.js";

const posts = join(repoRoot, "examples/data/social_posts_synthetic.csv");

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "clusterlab-social-cli-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("social arguments", () => {
  it("parses the mapping and options", () => {
    expect(parseArgs(["social", "p.csv"])).toEqual({
      command: "social",
      file: "p.csv",
      header: true,
      columns: {},
      level: "accounts",
      algo: "kmeans",
      kMax: 8,
      seed: 0,
      minPosts: 10,
      json: false,
      quiet: false,
    });
    const args = parseArgs([
      "social",
      "p.csv",
      "--account",
      "user",
      "--timestamp",
      "time",
      "--likes",
      "hearts",
      "--no-shares",
      "--no-impressions",
      "--post-id",
      "id",
      "--level",
      "posts",
      "--algo",
      "gmm",
      "--k",
      "6",
      "--seed",
      "2",
      "--rate",
      "followers",
      "--timestamp-format",
      "%d/%m/%Y %H:%M",
      "--out",
      "x.parquet",
      "--json",
    ]);
    expect(args).toMatchObject({
      command: "social",
      columns: { account: "user", timestamp: "time", likes: "hearts", shares: null, impressions: null, postId: "id" },
      level: "posts",
      algo: "gmm",
      k: 6,
      seed: 2,
      rate: "followers",
      timestampFormat: "%d/%m/%Y %H:%M",
      out: "x.parquet",
      json: true,
    });
  });

  it("refuses bad command lines with one-line usage errors", () => {
    const bad: [string[], string][] = [
      [["social", "p.csv", "--k", "0"], 'invalid --k: "0" (must be an integer >= 1)'],
      [["social", "p.csv", "--level", "hashtags"], "argument 'hashtags' is invalid"],
      [["social", "p.csv", "--algo", "gmm"], "--algo applies to the post clustering: add --level posts"],
      [["social", "p.csv", "--out", "x.xlsx"], "invalid --out: unsupported output file type: x.xlsx"],
      [["social", "p.csv", "--account", ""], 'invalid --account: "" (must be a column name)'],
      [["social", "p.csv", "--no-impressions", "--no-followers"], "leave no denominator for the engagement rate"],
      [["social", "p.csv", "--no-likes", "--no-comments", "--no-shares"], "leave no engagement count"],
      [["social", "p.csv", "--timestamp-format", "dd/mm"], 'invalid --timestamp-format: "dd/mm"'],
      [["social", "p.csv", "--rate", "followers", "--no-followers"], "--rate followers needs the followers column"],
      [["social"], "missing required argument 'posts'"],
    ];
    for (const [argv, message] of bad) {
      let error: unknown;
      try {
        parseArgs(argv);
      } catch (e) {
        error = e;
      }
      expect(error, argv.join(" ")).toBeInstanceOf(UsageError);
      expect((error as Error).message).toContain(message);
    }
  });
});

describe("clusterlab social (in process)", () => {
  it("clusters the accounts, compares them with the planted segments and writes one row per account", async () => {
    const out = join(dir, "accounts.csv");
    const r = await run(["social", posts, "--k", "5", "--json", "--out", out]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({
      level: "accounts",
      nPosts: 3000,
      nAccounts: 25,
      windowDays: 90,
      rateBasis: "impressions",
      types: ["link", "photo", "text", "video"],
      accounts: { k: 5, chosenBy: "user" },
      posts: null,
      outputs: { out, rows: "accounts" },
    });
    expect(report.comparison.ari).toBeGreaterThan(0.95);
    expect(report.accounts.profiles.map((p: { size: number }) => p.size)).toEqual([5, 5, 5, 5, 5]);
    expect(report.whatWorks[0].group).toBe("all accounts");
    const lines = readFileSync(out, "utf8").trim().split("\n");
    expect(lines).toHaveLength(26);
    expect(lines[0]).toMatch(/^account,posts,posts_per_week,followers,median_rate,.*,cluster,cluster_name$/);
  });

  it("clusters posts with --level posts and writes one row per post", async () => {
    const out = join(dir, "posts.csv");
    const r = await run(["social", posts, "--level", "posts", "--k", "4", "--out", out, "-q"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Social media of");
    expect(r.stdout).toContain("3,000 posts, 25 accounts, 2024-10-03 07:17 to 2024-12-31 21:35 (90 days)");
    expect(r.stdout).toMatch(
      /Account clusters: k-means on standardised 12 features .*k = 5 \(k by the best silhouette\)/,
    );
    expect(r.stdout).toContain(
      'Account clusters vs the segment column "account_segment" (accounts; adjusted Rand index 1.000)',
    );
    expect(r.stdout).toMatch(/Post clusters: k-means on standardised type:link, .*; k = 4 \(k given\)/);
    expect(r.stdout).toContain("What works (lift = ");
    expect(r.stdout).toMatch(/type: best video \d\.\d\dx \(427 posts\), worst link/);
    expect(r.stdout).toContain(`Wrote ${out} (one row per post)`);
    const lines = readFileSync(out, "utf8").trim().split("\n");
    expect(lines).toHaveLength(3001);
    expect(
      lines[0].startsWith("post_id,account,posted_at,type,likes,comments,shares,impressions,followers,engagement,"),
    ).toBe(true);
    expect(lines[0].endsWith(",account_cluster,account_cluster_name,cluster,cluster_name")).toBe(true);
  });

  it("answers bad data with one line and exit code 1", async () => {
    const header = "account,posted_at,likes,comments,shares,impressions\n";
    const neg = join(dir, "neg.csv");
    writeFileSync(neg, `${header}a,2024-01-01 10:00,5,0,0,100\na,2024-01-02 10:00,3,-2,0,100\n`);
    const r1 = await run(["social", neg]);
    expect(r1.code).toBe(1);
    expect(r1.stderr).toBe(
      'clusterlab: error: comments column "comments" has 1 negative value (first at row 2: "-2"); counts must be >= 0\n',
    );
    const r2 = await run(["social", posts, "--account", "user"]);
    expect(r2.code).toBe(1);
    expect(r2.stderr).toBe(
      `clusterlab: error: account column "user" not found in ${posts} (columns: post_id, account, account_segment, followers, posted_at, type, text, likes, comments, shares, impressions)\n`,
    );
    const dates = join(dir, "dates.csv");
    writeFileSync(dates, `${header}a,2024-01-01 10:00,5,0,0,100\na,31/01/2024 10:00,3,0,0,100\n`);
    const r3 = await run(["social", dates]);
    expect(r3.code).toBe(1);
    expect(r3.stderr).toContain('has 1 value that is not a timestamp (first at row 2: "31/01/2024 10:00")');
    expect(r3.stderr).toContain("set --timestamp-format, e.g. %d/%m/%Y %H:%M");
    const r4 = await run(["social", dates, "--timestamp-format", "%d/%m/%Y %H:%M"]);
    expect(r4.code).toBe(1); // the first row is not in that format
    const empty = join(dir, "empty.csv");
    writeFileSync(empty, header);
    const r5 = await run(["social", empty]);
    expect(r5.code).toBe(1);
    expect(r5.stderr).toBe(`clusterlab: error: empty file: ${empty} (no rows)\n`);
    const r6 = await run(["social", posts, "--k", "26"]);
    expect(r6.code).toBe(1);
    expect(r6.stderr).toBe("clusterlab: error: invalid k: 26 (must be <= the number of accounts, 25)\n");
  });
});

// These run the built CLI (`npx tsc -b` first; `npm test` builds before vitest).
describe("bin/clusterlab.js social", () => {
  const bin = join(repoRoot, "packages/cli/bin/clusterlab.js");
  const built = existsSync(join(repoRoot, "packages/cli/dist/social.js"));
  const spawn = (args: string[]) =>
    spawnSync(process.execPath, [bin, ...args], {
      cwd: repoRoot,
      encoding: "utf8",
      env: { ...process.env, CLUSTERLAB_DEBUG: "" },
    });

  it("runs on the bundled synthetic posts", () => {
    if (!built) throw new Error("packages/cli/dist is missing: run `npx tsc -b` before these tests");
    const out = join(dir, "bin-accounts.parquet");
    const r = spawn(["social", posts, "--json", "--out", out]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.nAccounts).toBe(25);
    expect(report.accounts.chosenBy).toBe("silhouette");
    expect(report.accounts.k).toBe(5);
    expect(report.comparison.ari).toBeGreaterThan(0.8);
    expect(existsSync(out)).toBe(true);

    const bad = spawn(["social", join(dir, "missing.csv")]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toBe(`clusterlab: error: file not found: ${join(dir, "missing.csv")}\n`);
    const usage = spawn(["social", posts, "--level", "everything"]);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toMatch(/^clusterlab: error: option '--level <level>' argument 'everything' is invalid/);
  });
});
