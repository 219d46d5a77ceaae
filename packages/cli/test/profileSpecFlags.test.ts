import { numericMatrix, readTable, specFromClusterFlags, validateSpec } from "@clusterlab/lab";
import { describe, expect, it } from "vitest";
import { ALGORITHM_TABLE, ALGORITHMS, flagName } from "../src/algorithms.js";
import { parseClusterArgs } from "../src/args.js";
import { iris } from "./helpers.js";

// The analysis spec and the `clusterlab cluster` flags describe a run the same way.
describe("specFromClusterFlags on parsed `clusterlab cluster` command lines", () => {
  it("maps the defaults", () => {
    const spec = specFromClusterFlags(parseClusterArgs(["data.csv"]));
    expect(validateSpec(spec)).toBe(spec);
    expect(spec.algorithm).toEqual({
      name: "kmeans",
      params: { nClusters: 8, init: "k-means++", nInit: 1, maxIter: 300, tol: 1e-4, algorithm: "lloyd" },
    });
    expect(spec.preprocessing).toMatchObject({ scaling: "standard", imputation: { numeric: "error" } });
    expect(spec.seed).toBe(0);
  });

  it("maps every analysis flag", () => {
    const args = parseClusterArgs([
      "d.tsv",
      "--columns",
      "a,b",
      "--exclude",
      "id",
      "--scale",
      "minmax",
      "--algo",
      "minibatch-kmeans",
      "-k",
      "4",
      "--seed",
      "9",
      "--n-init",
      "2",
      "--max-iter",
      "20",
      "--tol",
      "0.01",
      "--init",
      "random",
      "--batch-size",
      "64",
      "--drop-missing",
      "--delimiter",
      "\\t",
      "--no-header",
    ]);
    const spec = specFromClusterFlags(args);
    expect(spec.data).toEqual({ path: "d.tsv", format: "tsv", delimiter: "\t", header: false });
    expect(spec.columns).toMatchObject({ include: ["a", "b"], exclude: ["id"] });
    expect(spec.preprocessing).toMatchObject({ scaling: "minmax", imputation: { numeric: "drop" } });
    expect(spec.algorithm.params).toMatchObject({
      nClusters: 4,
      nInit: 2,
      maxIter: 20,
      tol: 0.01,
      init: "random",
      batchSize: 64,
    });
    expect(spec.seed).toBe(9);
    for (const algo of ["kmeans", "bisecting-kmeans"]) {
      const s = specFromClusterFlags(parseClusterArgs(["d.csv", "--algo", algo, "-k", "3"]));
      expect(s.algorithm).toMatchObject({ name: algo, params: { nClusters: 3 } });
    }
  });

  it("uses the same feature columns as the command line when given the table's numeric columns", async () => {
    const args = parseClusterArgs([iris, "--exclude", "target"]);
    const table = await readTable(iris);
    const numericColumns = table.columns.filter((c) => c.kind === "numeric").map((c) => c.name);
    const spec = specFromClusterFlags(args, { numericColumns });
    const used = numericMatrix(table, { columns: args.columns, exclude: args.exclude }).columns;
    expect(spec.columns.include).toEqual(used);
  });

  it("accepts every algorithm flag of the command line, under the same option name", () => {
    // Flags that are only valid with another one (ward linkage, the default, needs euclidean).
    const companions: Record<string, string[]> = { "agglomerative --metric": ["--linkage", "average"] };
    const problems: string[] = [];
    for (const algo of ALGORITHMS) {
      for (const binding of ALGORITHM_TABLE[algo].options) {
        const flag = flagName(binding);
        const example = (binding as { example?: string }).example;
        const takesValue = binding.type.kind !== "switch" && binding.type.kind !== "negation";
        if (binding.option === "seed" || (takesValue && example === undefined)) continue;
        const argv = [
          "d.csv",
          "--algo",
          algo,
          `--${flag}`,
          ...(takesValue ? [String(example)] : []),
          ...(companions[`${algo} --${flag}`] ?? []),
        ];
        try {
          const args = parseClusterArgs(argv);
          const spec = specFromClusterFlags(args);
          const params = spec.algorithm.params as Record<string, unknown>;
          const given = flag === "k" ? args.k : args.options[binding.option];
          if (binding.option === "categorical") {
            for (const c of given as string[]) expect(spec.columns.roles[c]).toBe("categorical");
          } else {
            expect(params[binding.option], argv.join(" ")).toEqual(given);
          }
        } catch (error) {
          problems.push(`${argv.join(" ")}: ${(error as Error).message}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
