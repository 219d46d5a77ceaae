import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseArgs, UsageError } from "../src/args.js";
import { repoRoot, run } from "./helpers.js";

const transactions = join(repoRoot, "examples/data/transactions_synthetic.csv");
const mapping = ["--customer-id", "customer_id", "--date", "order_date", "--amount", "amount"];

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "clusterlab-rfm-cli-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("rfm arguments", () => {
  it("parses the mapping and options", () => {
    const args = parseArgs(["rfm", "t.csv", ...mapping, "--as-of", "2024-12-31", "--k", "4", "--json"]);
    expect(args).toMatchObject({
      command: "rfm",
      file: "t.csv",
      customerId: "customer_id",
      date: "order_date",
      amount: "amount",
      asOf: "2024-12-31",
      k: 4,
      kMax: 8,
      seed: 0,
      scores: "ntile",
      json: true,
      header: true,
    });
    expect(parseArgs(["rfm", "t.csv", ...mapping])).not.toHaveProperty("k");
  });

  it("refuses bad command lines with one-line usage errors", () => {
    const bad: [string[], string][] = [
      [["rfm", "t.csv", "--date", "d", "--amount", "a"], "required option '--customer-id <column>' not specified"],
      [
        ["rfm", "t.csv", ...mapping, "--as-of", "2024-02-30"],
        'invalid --as-of: "2024-02-30" (must be a date YYYY-MM-DD)',
      ],
      [["rfm", "t.csv", ...mapping, "--as-of", "31/12/2024"], 'invalid --as-of: "31/12/2024"'],
      [["rfm", "t.csv", ...mapping, "--k", "0"], 'invalid --k: "0" (must be an integer >= 1)'],
      [["rfm", "t.csv", ...mapping, "--scores", "mean"], "argument 'mean' is invalid"],
      [["rfm", "t.csv", ...mapping, "--out", "x.xlsx"], "invalid --out: unsupported output file type: x.xlsx"],
      [["rfm", "t.csv", ...mapping, "--date-format", "dd/mm"], 'invalid --date-format: "dd/mm"'],
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

describe("clusterlab rfm (in process)", () => {
  it("reports segments, clusters and the comparison, and writes one row per customer", async () => {
    const out = join(dir, "customers.csv");
    const r = await run(["rfm", transactions, ...mapping, "--k", "5", "--json", "--out", out]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({
      nTransactions: 5000,
      nCustomers: 467,
      asOf: "2025-01-01",
      asOfDefault: true,
      clustering: { k: 5, chosenBy: "user" },
    });
    expect(report.segments.map((s: { segment: string }) => s.segment)).toContain("Champions");
    expect(report.clustering.profiles[0].name).toBe("Recent, frequent, high spend");
    const sizes = report.clustering.profiles.map((p: { size: number }) => p.size);
    expect(sizes.reduce((a: number, b: number) => a + b, 0)).toBe(467);
    expect(report.comparison.ari).toBeGreaterThan(0);
    expect(report.comparison.counts.flat().reduce((a: number, b: number) => a + b, 0)).toBe(467);
    const lines = readFileSync(out, "utf8").trim().split("\n");
    expect(lines).toHaveLength(468);
    expect(lines[0]).toBe(
      "customer_id,first_order,last_order,recency,frequency,monetary,tenure,avg_order_value,r_score,f_score,m_score,rfm_score,segment,cluster,cluster_name",
    );
  });

  it("prints a readable report", async () => {
    const r = await run(["rfm", transactions, ...mapping, "--as-of", "2024-12-24"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("as of 2024-12-24");
    expect(r.stdout).toContain("Rule-based RFM segments");
    expect(r.stdout).toContain("k = 4 (k by the best silhouette)");
    expect(r.stdout).toMatch(/Segments vs clusters \(customers; adjusted Rand index 0\.\d{3}\)/);
    expect(r.stdout).toContain("warning: 70 transactions dated after the as-of date 2024-12-24 were left out");
  });

  it("answers bad data with one line and exit code 1", async () => {
    const neg = join(dir, "neg.csv");
    writeFileSync(neg, "customer_id,order_date,amount\nA,2024-01-01,5\nA,2024-01-02,-3\n");
    const r1 = await run(["rfm", neg, ...mapping]);
    expect(r1.code).toBe(1);
    expect(r1.stderr).toBe(
      'clusterlab: error: amount column "amount" has 1 negative value (first at row 2: "-3"); remove refunds or net them into their orders first\n',
    );
    const r2 = await run(["rfm", transactions, "--customer-id", "cust", "--date", "order_date", "--amount", "amount"]);
    expect(r2.code).toBe(1);
    expect(r2.stderr).toContain(
      'customer id column "cust" not found in', // ... (columns: order_id, customer_id, ...)
    );
    expect(r2.stderr).toContain(
      "(columns: order_id, customer_id, order_date, amount, channel, category, planted_segment)",
    );
    const dates = join(dir, "dates.csv");
    writeFileSync(dates, "customer_id,order_date,amount\nA,2024-01-01,5\nA,31/01/2024,3\n");
    const r3 = await run(["rfm", dates, ...mapping]);
    expect(r3.code).toBe(1);
    expect(r3.stderr).toContain("set --date-format, e.g. %d/%m/%Y");
    const r4 = await run(["rfm", transactions, ...mapping, "--k", "1000"]);
    expect(r4.code).toBe(1);
    expect(r4.stderr).toBe("clusterlab: error: invalid k: 1000 (must be <= the number of customers, 467)\n");
  });
});

// These run the built CLI (`npx tsc -b` first; `npm test` builds before vitest).
describe("bin/clusterlab.js rfm", () => {
  const bin = join(repoRoot, "packages/cli/bin/clusterlab.js");
  const built = existsSync(join(repoRoot, "packages/cli/dist/rfm.js"));

  it("runs on the bundled synthetic transactions", () => {
    if (!built) throw new Error("packages/cli/dist is missing: run `npx tsc -b` before these tests");
    const out = join(dir, "bin-customers.parquet");
    const r = spawnSync(process.execPath, [bin, "rfm", transactions, ...mapping, "--json", "--out", out], {
      cwd: repoRoot,
      encoding: "utf8",
      env: { ...process.env, CLUSTERLAB_DEBUG: "" },
    });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.nCustomers).toBe(467);
    expect(report.clustering.chosenBy).toBe("silhouette");
    expect(existsSync(out)).toBe(true);

    const bad = spawnSync(process.execPath, [bin, "rfm", join(dir, "missing.csv"), ...mapping], {
      cwd: repoRoot,
      encoding: "utf8",
    });
    expect(bad.status).toBe(1);
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
    expect(bad.stderr).toMatch(/^clusterlab: error: file not found: /);
    const usage = spawnSync(process.execPath, [bin, "rfm", transactions, "--date", "order_date"], {
      cwd: repoRoot,
      encoding: "utf8",
    });
    expect(usage.status).toBe(2);
  });
});
