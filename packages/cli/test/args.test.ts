import { describe, expect, it } from "vitest";
import { DEFAULT_K } from "../src/algorithms.js";
import { parseArgs, parseClusterArgs, UsageError } from "../src/args.js";
import { VERSION } from "../src/version.js";

function usage(argv: string[]): string {
  try {
    parseArgs(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    const message = (error as Error).message;
    expect(message).not.toContain("\n");
    expect(message).not.toMatch(/^error:/);
    return message;
  }
  throw new Error(`expected ${JSON.stringify(argv)} to be rejected`);
}

describe("parseClusterArgs", () => {
  it("applies the documented defaults", () => {
    expect(parseClusterArgs(["data.csv"])).toEqual({
      command: "cluster",
      file: "data.csv",
      header: true,
      dropMissing: false,
      json: false,
      quiet: false,
      exclude: [],
      scale: "standard",
      algo: "kmeans",
      k: DEFAULT_K,
      seed: 0,
      options: {},
    });
    expect(DEFAULT_K).toBe(8);
  });

  it("parses every option", () => {
    const args = parseClusterArgs([
      "d.tsv",
      "--columns",
      "a, b,c",
      "--exclude=id,target",
      "--scale",
      "robust",
      "--algo",
      "minibatch-kmeans",
      "-k",
      "5",
      "--seed",
      "42",
      "--n-init",
      "3",
      "--max-iter",
      "50",
      "--tol",
      "1e-3",
      "--init",
      "random",
      "--batch-size",
      "256",
      "--out",
      "o.parquet",
      "--model",
      "m.json",
      "--json",
      "--silhouette-sample",
      "1000",
      "--drop-missing",
      "--delimiter",
      ";",
      "--no-header",
      "--format",
      "csv",
      "--quiet",
    ]);
    expect(args).toEqual({
      command: "cluster",
      file: "d.tsv",
      columns: ["a", "b", "c"],
      exclude: ["id", "target"],
      scale: "robust",
      algo: "minibatch-kmeans",
      k: 5,
      seed: 42,
      options: { nInit: 3, maxIter: 50, tol: 0.001, init: "random", batchSize: 256 },
      out: "o.parquet",
      model: "m.json",
      json: true,
      silhouetteSample: 1000,
      dropMissing: true,
      delimiter: ";",
      header: false,
      format: "csv",
      quiet: true,
    });
  });

  it("rejects invalid numbers with the flag and value named", () => {
    expect(usage(["cluster", "a.csv", "--k", "abc"])).toBe('invalid --k: "abc" (must be an integer >= 1)');
    expect(usage(["cluster", "a.csv", "--k", "0"])).toBe('invalid --k: "0" (must be an integer >= 1)');
    expect(usage(["cluster", "a.csv", "--k", "2.5"])).toBe('invalid --k: "2.5" (must be an integer >= 1)');
    expect(usage(["cluster", "a.csv", "--seed", "-1"])).toBe('invalid --seed: "-1" (must be an integer >= 0)');
    expect(usage(["cluster", "a.csv", "--tol", "x"])).toBe('invalid --tol: "x" (must be a number >= 0)');
    expect(usage(["cluster", "a.csv", "--max-iter", ""])).toBe('invalid --max-iter: "" (must be an integer >= 1)');
    expect(usage(["cluster", "a.csv", "--silhouette-sample", "1"])).toMatch(/^invalid --silhouette-sample/);
  });

  it("rejects unknown flags, bad choices, missing and extra arguments", () => {
    expect(usage(["cluster", "a.csv", "--bogus"])).toBe("unknown option '--bogus'");
    expect(usage(["cluster", "a.csv", "--scale", "zscore"])).toContain(
      "Allowed choices are standard, minmax, robust, none",
    );
    expect(usage(["cluster", "a.csv", "--algo", "dbscn"])).toContain("argument 'dbscn' is invalid");
    expect(usage(["cluster", "a.csv", "--init", "kmeans++"])).toBe(
      'invalid --init: "kmeans++" (must be one of k-means++, random for --algo kmeans)',
    );
    expect(usage(["cluster"])).toBe("missing required argument 'file'");
    expect(usage(["cluster", "a.csv", "--k"])).toContain("argument missing");
    expect(usage(["cluster", "a.csv", "b.csv"])).toContain("too many arguments");
    expect(usage(["clustr", "a.csv"])).toBe("unknown command 'clustr' (Did you mean cluster?)");
    expect(usage(["cluster", "a.csv", "--columns", "a,,b"])).toMatch(/^invalid --columns/);
    expect(usage(["cluster", "a.csv", "--out", "x.xlsx"])).toMatch(/^invalid --out: unsupported output file type/);
    expect(usage(["cluster", "a.csv", "--batch-size", "10"])).toBe(
      "--batch-size does not apply to --algo kmeans (it takes: --k, --init, --n-init, --max-iter, --tol, --seed)",
    );
    expect(usage(["predict", "a.csv"])).toBe("missing the input table: `clusterlab predict <model.json> <file>`");
    expect(usage(["predict", "m.json", "a.csv", "--model", "m.json"])).toMatch(/^give the model once/);
    expect(usage(["cluster", "a.csv", "--encoding", "klingon"])).toMatch(/^invalid --encoding: "klingon" \(use utf-8/);
    expect(usage(["cluster", "a.duckdb", "--table", ""])).toBe('invalid --table: "" (must be a table name)');
  });

  it("returns help and version text instead of printing", () => {
    expect(parseArgs(["--version"])).toEqual({ command: "version", text: `${VERSION}\n` });
    for (const argv of [[], ["--help"], ["help"]]) {
      const r = parseArgs(argv);
      expect(r.command).toBe("help");
      expect((r as { text: string }).text).toContain("Usage: clusterlab");
    }
    const sub = parseArgs(["cluster", "--help"]) as { text: string };
    expect(sub.text).toContain("--silhouette-sample");
    expect(sub.text).toContain('default: "8"');
    expect(sub.text).toContain("Algorithms (--algo)");
  });

  it("parses predict", () => {
    expect(parseArgs(["predict", "new.csv", "--model", "m.json", "--out", "p.csv", "--json"])).toEqual({
      command: "predict",
      file: "new.csv",
      model: "m.json",
      out: "p.csv",
      json: true,
      header: true,
      dropMissing: false,
      quiet: false,
    });
    expect(
      parseArgs(["predict", "m.json", "new.duckdb", "--table", "customers", "--encoding", "latin-1"]),
    ).toMatchObject({
      command: "predict",
      file: "new.duckdb",
      model: "m.json",
      table: "customers",
      encoding: "latin-1",
    });
    expect(parseArgs(["cluster", "x.arrow", "--format", "arrow"])).toMatchObject({ file: "x.arrow", format: "arrow" });
  });
});
