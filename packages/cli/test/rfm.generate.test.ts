import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseArgs, UsageError } from "../src/args.js";
import { repoRoot, run } from "./helpers.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "clusterlab-generate-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("clusterlab generate", () => {
  it("parses its arguments", () => {
    expect(
      parseArgs(["generate", "social", "--rows", "10", "--seed", "3", "--out", "s.csv", "--accounts", "5"]),
    ).toEqual({
      command: "generate",
      kind: "social",
      rows: 10,
      seed: 3,
      accounts: 5,
      out: "s.csv",
      json: false,
    });
    for (const [argv, message] of [
      [["generate", "images", "--out", "x.csv"], "value 'images' is invalid for argument 'kind'"],
      [["generate", "transactions"], "required option '--out <file>' not specified"],
      [["generate", "transactions", "--out", "x.csv", "--rows", "0"], 'invalid --rows: "0"'],
      [["generate", "transactions", "--out", "x.csv", "--accounts", "3"], "--accounts only applies"],
      [["generate", "transactions", "--out", "x.csv", "--seed", "-1"], 'invalid --seed: "-1"'],
    ] as [string[], string][]) {
      expect(() => parseArgs(argv)).toThrow(UsageError);
      expect(() => parseArgs(argv)).toThrow(message);
    }
  });

  it("reproduces the bundled synthetic files byte for byte", async () => {
    for (const [kind, rows, name] of [
      ["transactions", "5000", "transactions_synthetic.csv"],
      ["social", "3000", "social_posts_synthetic.csv"],
    ]) {
      const out = join(dir, name);
      const r = await run(["generate", kind, "--rows", rows, "--seed", "0", "--out", out]);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^Wrote .*: \d+ synthetic /);
      expect(readFileSync(out, "utf8")).toBe(readFileSync(join(repoRoot, "examples/data", name), "utf8"));
    }
  });

  it("reports in JSON", async () => {
    const out = join(dir, "t.parquet");
    const r = await run(["generate", "transactions", "--rows", "300", "--seed", "1", "--out", out, "--json"]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ kind: "transactions", rows: 300, seed: 1, synthetic: true });
    expect(Object.keys(report.plantedSegments).sort()).toEqual(
      ["bargain_hunter", "lapsed", "loyal_high_spender", "new", "occasional"].sort(),
    );
  });
});
