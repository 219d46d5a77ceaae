import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  ALGORITHM_DEFAULTS,
  type AlgorithmName,
  analysisSpecSchema,
  normalizeSpec,
  validateSpec,
} from "@clusterlab/lab";
import { describe, expect, it } from "vitest";
import { parseArgs, UsageError } from "../src/args.js";
import { printSpecText, type RunArgs, specOfRunArgs } from "../src/run.js";
import { ALGORITHM_PARAMS, paramFlag, resolveRef, SPEC_FIELD_FLAGS } from "../src/specFlags.js";

interface Node {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  properties?: Record<string, Node>;
  additionalProperties?: unknown;
  anyOf?: Node[];
  allOf?: { then?: Node }[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  multipleOf?: number;
  default?: unknown;
}

const schema = analysisSpecSchema as unknown as { $ref: string; definitions: Record<string, Node> };

/** Every field of the spec as a JSON pointer, from the generated JSON Schema (objects walked, unions merged). */
function specFields(): Set<string> {
  const out = new Set<string>();
  const walk = (raw: Node, pointer: string) => {
    const node = resolveRef(raw as never) as Node;
    if (node.anyOf) for (const branch of node.anyOf) walk(branch, pointer);
    if (node.allOf) for (const branch of node.allOf) if (branch.then) walk(branch.then, pointer);
    if (node.properties) {
      for (const [name, child] of Object.entries(node.properties)) walk(child, `${pointer}/${name}`);
    } else if (!node.anyOf && !node.allOf) {
      out.add(pointer);
    }
  };
  walk({ $ref: schema.$ref }, "");
  return out;
}

function runArgsOf(argv: string[]): RunArgs {
  const parsed = parseArgs(["run", ...argv]);
  if (parsed.command !== "run") throw new Error(`expected run, got ${parsed.command}`);
  return parsed;
}

async function printed(argv: string[]): Promise<Record<string, unknown>> {
  const source = argv.includes("--data") || argv.includes("--dataset") ? [] : ["--data", "d.csv"];
  return JSON.parse(await printSpecText(runArgsOf([...source, ...argv, "--print-spec"])));
}

function at(value: unknown, pointer: string): unknown {
  return pointer
    .split("/")
    .slice(1)
    .reduce<unknown>((v, key) => (v as Record<string, unknown> | undefined)?.[key], value);
}

/** For each non-parameter field: flags setting it, and the value the normalised spec must then have there. */
const SAMPLES: Record<string, [string[], unknown]> = {
  "/data/path": [["--data", "other.tsv"], "other.tsv"],
  "/data/format": [["--format", "tsv"], "tsv"],
  "/data/delimiter": [["--delimiter", ";"], ";"],
  "/data/header": [["--no-header"], false],
  "/data/encoding": [["--encoding", "latin-1"], "latin-1"],
  "/data/table": [["--data", "db.duckdb", "--table", "sales"], "sales"],
  "/data/dataset": [["--dataset", "ds-1"], "ds-1"],
  "/columns/roles": [["--role", "a=categorical", "--role", "b=identifier"], { a: "categorical", b: "identifier" }],
  "/columns/include": [
    ["--columns", "a,b"],
    ["a", "b"],
  ],
  "/columns/exclude": [["--exclude", "c"], ["c"]],
  "/columns/target": [["--target", "y"], "y"],
  "/preprocessing/imputation/numeric": [["--impute-numeric", "median"], "median"],
  "/preprocessing/imputation/numericFillValue": [["--impute-numeric", "constant", "--numeric-fill", "-1"], -1],
  "/preprocessing/imputation/categorical": [["--impute-categorical", "drop"], "drop"],
  "/preprocessing/imputation/categoricalFillValue": [["--categorical-fill", "n/a"], "n/a"],
  "/preprocessing/encoding": [["--categorical-encoding", "ordinal"], "ordinal"],
  "/preprocessing/scaling": [["--scale", "maxabs"], "maxabs"],
  "/preprocessing/transform": [["--transform", "log1p"], "log1p"],
  "/preprocessing/pca": [["--pca", "none"], "none"],
  "/preprocessing/pca/nComponents": [["--pca", "2"], 2],
  "/preprocessing/pca/varianceRatio": [["--pca", "0.9"], 0.9],
  "/preprocessing/outliers": [["--outliers", "none"], "none"],
  "/preprocessing/outliers/method": [["--outliers", "iqr"], "iqr"],
  "/preprocessing/outliers/factor": [["--iqr-factor", "3"], 3],
  "/algorithm/name": [["--algo", "birch"], "birch"],
  "/seed": [["--seed", "7"], 7],
  "/split": [["--test-size", "none"], "none"],
  "/split/testSize": [["--test-size", "0.3"], 0.3],
  "/split/seed": [["--test-size", "0.3", "--split-seed", "4"], 4],
};

/** A valid value of a parameter that differs from its default (so the test sees the flag's effect). */
function sampleValue(algo: AlgorithmName, param: string, node: Node): unknown {
  const n = resolveRef(node as never) as Node;
  const defaults = ALGORITHM_DEFAULTS[algo] as Record<string, unknown>;
  const current = defaults[param] ?? n.default;
  const branches = n.anyOf ? n.anyOf.map((b) => resolveRef(b as never) as Node) : [n];
  const enumBranch = branches.find((b) => b.enum);
  if (enumBranch) return enumBranch.enum!.find((v) => v !== current);
  const types = branches.flatMap((b) => (Array.isArray(b.type) ? b.type : b.type ? [b.type] : []));
  if (types.includes("boolean")) return current !== true;
  const numeric = branches.find((b) => b.type === "number" || b.type === "integer" || Array.isArray(b.type));
  if (numeric && (types.includes("number") || types.includes("integer"))) {
    const integer = types.includes("integer") || numeric.multipleOf === 1;
    const lo = numeric.minimum ?? numeric.exclusiveMinimum ?? 0;
    const hi = numeric.maximum ?? numeric.exclusiveMaximum;
    let v = integer ? Math.floor(lo) + 3 : hi !== undefined ? (lo + hi) / 2 : lo + 0.37;
    if (v === current) v = integer ? v + 1 : (v + (hi ?? v + 1)) / 2;
    return v;
  }
  if (types.includes("string")) return "x";
  throw new Error(`no sample value for ${algo}.${param}`);
}

/** Parameters whose sample needs a companion flag to make a valid spec. */
const COMPANIONS: Partial<Record<string, string[]>> = {
  "agglomerative.metric": ["--linkage", "average"],
  "hdbscan.maxClusterSize": ["--min-cluster-size", "2"],
  "optics.eps": ["--cluster-method", "dbscan", "--max-eps", "10"],
  "optics.maxEps": [],
};

describe("every field of the analysis spec has a flag of `clusterlab run`", () => {
  const fields = specFields();
  const help = (parseArgs(["run", "--help"]) as { text: string }).text;

  it("walks the JSON schema: each field maps to a flag that `clusterlab run` has", () => {
    expect(fields.size).toBeGreaterThan(80);
    const missing: string[] = [];
    for (const pointer of fields) {
      if (pointer === "/version") continue; // always 1: no flag
      const name = pointer.startsWith("/algorithm/params/") ? pointer.slice("/algorithm/params/".length) : null;
      const flag = name !== null ? paramFlag(name) : SPEC_FIELD_FLAGS[pointer];
      if (flag === undefined || !new RegExp(`(^|[ ,])${flag}( |,|$)`, "m").test(help)) missing.push(pointer);
    }
    expect(missing).toEqual([]);
    expect(help).toMatch(/--print-spec/);
  });

  it("each non-parameter field: its flag sets it in --print-spec", async () => {
    const untested = [...fields].filter(
      (p) => p !== "/version" && !p.startsWith("/algorithm/params/") && !(p in SAMPLES),
    );
    expect(untested).toEqual([]);
    for (const [pointer, [argv, expected]] of Object.entries(SAMPLES)) {
      const spec = await printed(argv);
      expect([pointer, at(spec, pointer)]).toEqual([pointer, expected]);
    }
  });

  it("each algorithm parameter: --<param> sets it in --print-spec (and --k the number of clusters)", async () => {
    let checked = 0;
    for (const [algo, params] of ALGORITHM_PARAMS) {
      for (const [param, node] of params) {
        const value = sampleValue(algo, param, node as Node);
        const extra = COMPANIONS[`${algo}.${param}`] ?? [];
        const spec = await printed(["--algo", algo, paramFlag(param), String(value), ...extra]);
        expect([algo, param, at(spec, `/algorithm/params/${param}`)]).toEqual([algo, param, value]);
        checked++;
      }
    }
    expect(checked).toBe([...ALGORITHM_PARAMS.values()].reduce((a, p) => a + p.size, 0));
    expect(at(await printed(["--algo", "gmm", "--k", "5"]), "/algorithm/params/nComponents")).toBe(5);
    expect(at(await printed(["--k", "5"]), "/algorithm/params/nClusters")).toBe(5);
  });

  it("flags override a spec file's fields; another --algo starts from its defaults", async () => {
    const dir = mkdtempSync(join(tmpdir(), "clusterlab-specflags-"));
    try {
      const file = join(dir, "spec.json");
      writeFileSync(
        file,
        JSON.stringify({
          version: 1,
          data: { path: "a.csv" },
          preprocessing: { scaling: "robust", transform: "log1p" },
          algorithm: { name: "kmeans", params: { nClusters: 4, maxIter: 50 } },
        }),
      );
      const same = normalizeSpec(validateSpec(await specOfRunArgs(runArgsOf([file, "--scale", "minmax", "--k", "6"]))));
      expect(same.preprocessing).toMatchObject({ scaling: "minmax", transform: "log1p" });
      expect(same.algorithm.params).toMatchObject({ nClusters: 6, maxIter: 50 });
      expect(same.data).toMatchObject({ path: "a.csv" });
      const other = normalizeSpec(
        validateSpec(await specOfRunArgs(runArgsOf([file, "--algo", "birch", "--data", "b.tsv"]))),
      );
      expect(other.algorithm).toEqual({ name: "birch", params: ALGORITHM_DEFAULTS.birch });
      expect(other.data).toMatchObject({ path: "b.tsv", format: "tsv" });
      // No flags: the file as it is.
      expect(await specOfRunArgs(runArgsOf([file]))).toMatchObject({ algorithm: { params: { maxIter: 50 } } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("bad values are usage errors naming the flag", () => {
    const usage = (argv: string[]) => {
      try {
        runArgsOf(argv);
      } catch (error) {
        expect(error).toBeInstanceOf(UsageError);
        return (error as Error).message;
      }
      throw new Error("expected a usage error");
    };
    expect(usage(["--data", "d.csv", "--max-iter", "abc"])).toBe('invalid --max-iter: "abc" (must be an integer)');
    expect(usage(["--data", "d.csv", "--eps", "0.5"])).toMatch(
      /^--eps does not apply to --algo kmeans \(it takes: --n-clusters/,
    );
    expect(usage(["--data", "d.csv", "--pca", "-1"])).toMatch(/^invalid --pca: "-1"/);
    expect(usage(["--data", "d.csv", "--algo", "dbscan", "--k", "3"])).toMatch(/^--k does not apply to --algo dbscan/);
    expect(usage(["--data", "d.csv", "--split-seed", "3"])).toBe("--split-seed needs a --test-size");
    expect(usage(["--scale", "minmax"])).toMatch(/^give a spec file or the data/);
    expect(usage(["--data", "d.csv", "--role", "a=colour"])).toMatch(/^invalid --role: "a=colour"/);
  });
});
