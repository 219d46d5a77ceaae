import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { DatasetProfile } from "@clusterlab/lab";
import { describe, expect, it } from "vitest";
import { type ProfileArgs, parseArgs, parseRoles, UsageError } from "../src/args.js";
import { formatNumber } from "../src/profile.js";
import { iris, repoRoot, run } from "./helpers.js";

const penguins = join(repoRoot, "examples/data/penguins.csv");

function usage(argv: string[]): string {
  try {
    parseArgs(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error(`expected ${JSON.stringify(argv)} to be rejected`);
}

describe("parseArgs profile", () => {
  it("applies the defaults", () => {
    expect(parseArgs(["profile", "data.csv"])).toEqual({
      command: "profile",
      file: "data.csv",
      header: true,
      roles: {},
      seed: 0,
      json: false,
      quiet: false,
    } satisfies ProfileArgs);
  });

  it("parses every option; --role repeats", () => {
    expect(
      parseArgs([
        "profile",
        "d.txt",
        "--target",
        "species",
        "--role",
        "year=numeric",
        "--role=id=identifier",
        "--seed",
        "3",
        "--format",
        "csv",
        "--delimiter",
        ";",
        "--no-header",
        "--json",
        "-q",
      ]),
    ).toEqual({
      command: "profile",
      file: "d.txt",
      format: "csv",
      delimiter: ";",
      header: false,
      target: "species",
      roles: { year: "numeric", id: "identifier" },
      seed: 3,
      json: true,
      quiet: true,
    });
  });

  it("parseRoles splits at the last '='", () => {
    expect(parseRoles(["a=b=categorical", " x =text"])).toEqual({ "a=b": "categorical", " x ": "text" });
  });

  it("rejects bad roles, seeds and flags with one line", () => {
    expect(usage(["profile", "d.csv", "--role", "year"])).toBe('invalid --role: "year" (expected column=role)');
    expect(usage(["profile", "d.csv", "--role", "=numeric"])).toBe('invalid --role: "=numeric" (expected column=role)');
    expect(usage(["profile", "d.csv", "--role", "year=number"])).toBe(
      'invalid --role: "year=number" (role must be one of numeric, categorical, datetime, text, identifier, target, constant)',
    );
    expect(usage(["profile", "d.csv", "--role", "a=text", "--role", "a=numeric"])).toBe(
      'invalid --role: column "a" is given two roles',
    );
    expect(usage(["profile", "d.csv", "--seed", "-1"])).toBe('invalid --seed: "-1" (must be an integer >= 0)');
    expect(usage(["profile", "d.csv", "--target", ""])).toBe('invalid --target: "" (must be a column name)');
    expect(usage(["profile", "d.csv", "--out", "x.csv"])).toMatch(/unknown option '--out'/);
    expect(usage(["profile"])).toMatch(/missing required argument 'file'/);
  });

  it("is listed in the help", () => {
    const help = parseArgs(["--help"]);
    expect(help.command).toBe("help");
    expect((help as { text: string }).text).toMatch(/profile \[options\] <file>/);
    const profileHelp = parseArgs(["profile", "--help"]) as { text: string };
    expect(profileHelp.text).toContain("--role <column=role>");
  });
});

describe("formatNumber", () => {
  it("keeps about 4 significant digits", () => {
    expect(
      [43.9219, 5.4596, 4201.75, 0.012345, 0, -2.5, 123456789, 0.00001234, null, Number.NaN, Infinity].map(
        formatNumber,
      ),
    ).toEqual(["43.92", "5.46", "4202", "0.01235", "0", "-2.5", "1.235e+8", "1.234e-5", "n/a", "n/a", "inf"]);
  });
});

describe("clusterlab profile (in-process)", () => {
  it("penguins --json: the roles, missing values and statistics", async () => {
    const r = await run(["profile", penguins, "--json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split("\n")).toHaveLength(1);
    const p = JSON.parse(r.stdout) as DatasetProfile;
    const col = (name: string) => p.columns.find((c) => c.name === name)!;
    for (const name of ["species", "island", "sex"]) expect(col(name).role, name).toBe("categorical");
    // year: 3 whole-number values in 344 rows, a small integer code (documented in inferSchema).
    expect(col("year").role).toBe("categorical");
    expect(col("bill_length_mm")).toMatchObject({ role: "numeric", missing: 2, count: 342 });
    expect(col("sex").missing).toBe(11);
    expect(p.missing.rows).toBe(11);
    expect(p.hopkins!.statistic).toBeGreaterThan(0.5);
  });

  it("penguins: a readable report", async () => {
    const r = await run(["profile", penguins, "--target", "species", "--role", "year=numeric"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    const lines = r.stdout.split("\n");
    expect(lines[0]).toBe(`clusterlab profile ${penguins}`);
    expect(r.stdout).toContain("  rows        344\n");
    expect(r.stdout).toContain("  target      species\n");
    expect(lines.find((l) => l.startsWith("  bill_length_mm"))).toMatch(
      /^ {2}bill_length_mm\s+numeric\s+DOUBLE\s+2 \(0\.6%\)\s+164\s+mean 43\.92, std 5\.46, min 32\.1, median 44\.45, max 59\.6$/,
    );
    expect(lines.find((l) => l.startsWith("  species"))).toMatch(/target\s+VARCHAR\s+0\s+3\s+Adelie 152 \(44\.2%\)/);
    expect(r.stdout).toContain("year: numeric, set by the user (inferred: categorical, small integer code");
    expect(r.stdout).toMatch(/ {2}missing {5}11 rows \(3\.2%\) have a missing value: sex 11, bill_length_mm 2/);
    expect(r.stdout).toMatch(/ {2}hopkins {5}0\.\d{3}: (strong|moderate) clustering tendency/);
    expect(r.stdout).toMatch(/ {2}correlated {2}flipper_length_mm ~ body_mass_g\s+0\.871\n/);
    expect(r.stdout).toMatch(
      / {2}pca {9}PC1 \d+\.\d%, PC2 \d+\.\d% of the variance of 5 standardised numeric features/,
    );
  });

  it("iris: a strong clustering tendency (Hopkins > 0.7)", async () => {
    const r = await run(["profile", iris, "--json", "--target", "target_name", "--role", "target=identifier"]);
    expect(r.code).toBe(0);
    const p = JSON.parse(r.stdout) as DatasetProfile;
    expect(p.hopkins!.statistic).toBeGreaterThan(0.7);
    expect(p.hopkins!.columns).toEqual(["sepal_length_cm", "sepal_width_cm", "petal_length_cm", "petal_width_cm"]);
    expect(p.target).toBe("target_name");
    // The same seed gives the same profile.
    const again = await run(["profile", iris, "--json", "--target", "target_name", "--role", "target=identifier"]);
    expect(again.stdout).toBe(r.stdout);
  });

  it("errors: one line, exit 1 for data problems and 2 for the command line", async () => {
    for (const [argv, code, pattern] of [
      [["profile", "missing.csv"], 1, /file not found: missing\.csv/],
      [["profile", iris, "--role", "nope=numeric"], 1, /unknown column "nope" in roles \(columns: sepal_length_cm, /],
      [["profile", iris, "--target", "nope"], 1, /unknown column "nope" in target/],
      [["profile", iris, "--role", "target_name=numeric"], 1, /cannot use column "target_name" as numeric/],
      [["profile", iris, "--role", "x"], 2, /invalid --role/],
    ] as [string[], number, RegExp][]) {
      const r = await run(argv);
      expect(r.code, argv.join(" ")).toBe(code);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(/^clusterlab: error: [^\n]+\n$/);
      expect(r.stderr).toMatch(pattern);
    }
  });
});

// Runs the built CLI (`npx tsc -b` first; `npm test` builds before vitest).
describe("bin/clusterlab.js profile", () => {
  const bin = join(repoRoot, "packages/cli/bin/clusterlab.js");
  const built = existsSync(join(repoRoot, "packages/cli/dist/profile.js"));

  it("profiles penguins (report and JSON)", () => {
    if (!built) throw new Error("packages/cli/dist is missing: run `npx tsc -b` before these tests");
    const exec = (args: string[]) =>
      spawnSync(process.execPath, [bin, ...args], { cwd: repoRoot, encoding: "utf8", env: { ...process.env } });
    const text = exec(["profile", "examples/data/penguins.csv"]);
    expect(text.status).toBe(0);
    expect(text.stderr).toBe("");
    expect(text.stdout).toMatch(/^ {2}year\s+categorical\s+BIGINT\s+0\s+3\s+2009 120/m);
    const json = exec(["profile", "examples/data/penguins.csv", "--json"]);
    expect(json.status).toBe(0);
    const p = JSON.parse(json.stdout) as DatasetProfile;
    expect(p.columns.map((c) => c.role)).toEqual([
      "categorical",
      "categorical",
      "numeric",
      "numeric",
      "numeric",
      "numeric",
      "categorical",
      "categorical",
    ]);
    const bad = exec(["profile", "examples/data/penguins.csv", "--role", "bogus=numeric"]);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toBe("");
    expect(bad.stderr).toMatch(/^clusterlab: error: unknown column "bogus" in roles \(columns: species, [^\n]+\n$/);
  });
});
