import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type Frame, frame, memoryLogger } from "@clusterlab/core";
import { describe, expect, it } from "vitest";
import {
  ALGORITHM_FLAGS,
  ALGORITHM_TABLE,
  ALGORITHMS,
  type AlgorithmName,
  type AnyOptionBinding,
  coreOptions,
  DEFAULT_K,
  describeType,
  flagName,
  flagsOf,
  GLOBAL_FLAGS,
  kebabCase,
  parseAlgorithmOptions,
  parseValue,
  type RawValue,
} from "../src/algorithms.js";
import { parseArgs, parseClusterArgs, UsageError } from "../src/args.js";
import { makeClusterer } from "../src/estimators.js";
import { repoRoot } from "./helpers.js";

/** The option fields documented on a core options interface (`export interface XxxOptions { ... }`). */
function documentedOptions(interfaceName: string): string[] {
  const root = join(repoRoot, "packages/core/src");
  const files = readdirSync(root, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts"));
  for (const file of files) {
    const text = readFileSync(join(root, file), "utf8");
    const at = text.indexOf(`export interface ${interfaceName} {`);
    if (at < 0) continue;
    const body = text.slice(at, text.indexOf("\n}", at));
    return [...body.matchAll(/^ {2}(?:readonly )?(\w+)\??:/gm)].map((m) => m[1]);
  }
  throw new Error(`no interface ${interfaceName} in packages/core/src`);
}

function usage(argv: string[]): string {
  try {
    parseArgs(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    const message = (error as Error).message;
    expect(message).not.toContain("\n");
    return message;
  }
  throw new Error(`expected ${JSON.stringify(argv)} to be rejected`);
}

/** The command-line words setting a binding to its example value. */
function words(binding: AnyOptionBinding, value = binding.example): string[] {
  const flag = `--${flagName(binding)}`;
  if (binding.type.kind === "switch" || binding.type.kind === "negation") return [flag];
  return [flag, value as string];
}

/** Every value worth fitting with: each choice, else the example. */
function sampleValues(binding: AnyOptionBinding): (string | undefined)[] {
  if (binding.type.kind === "choice") return [...binding.type.values];
  if (binding.type.kind === "switch" || binding.type.kind === "negation") return [undefined];
  return [binding.example];
}

// Three well-separated blobs of 20 rows in 2-D (deterministic).
const BLOBS = (() => {
  const rows = 60;
  const data = new Float64Array(rows * 2);
  for (let i = 0; i < rows; i++) {
    const c = i % 3;
    data[2 * i] = 10 * c + Math.sin(i * 1.7);
    data[2 * i + 1] = 5 * (c % 2) + Math.cos(i * 2.3);
  }
  return { rows, cols: 2, data };
})();

const MIXED: Frame = (() => {
  const n = 60;
  const x = new Float64Array(n);
  const colour: string[] = [];
  const size: (string | null)[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    x[i] = c + 0.1 * Math.sin(i);
    colour.push(["red", "green", "blue"][c]);
    size.push(i % 7 === 0 ? null : ["S", "M", "L"][(c + (i % 5 === 0 ? 1 : 0)) % 3]);
  }
  return frame({ x, colour, size });
})();

/** Combinations the core refuses whatever the command line (ward needs euclidean distances). */
const CONTEXT: Partial<Record<AlgorithmName, Record<string, Record<string, RawValue>>>> = {
  agglomerative: {
    metric: { linkage: "average" },
  },
};

function fitWith(algo: AlgorithmName, given: Record<string, RawValue>): { labels: Int32Array } {
  const { k, options } = parseAlgorithmOptions(algo, given);
  const spec = ALGORITHM_TABLE[algo];
  const logger = memoryLogger();
  const estimator = makeClusterer(
    { algo, k: k === null ? null : 3, seed: 0, options },
    { logger, categoricalColumns: ["colour", "size"] },
  );
  if (spec.input === "numeric") return (estimator as { fit(X: unknown): { labels: Int32Array } }).fit(BLOBS);
  return (estimator as { fit(X: Frame): { labels: Int32Array } }).fit(MIXED);
}

describe("the algorithm table", () => {
  it("has every algorithm of the command line", () => {
    expect(ALGORITHMS).toEqual([
      "kmeans",
      "minibatch-kmeans",
      "bisecting-kmeans",
      "kmedoids",
      "agglomerative",
      "dbscan",
      "hdbscan",
      "optics",
      "gmm",
      "meanshift",
      "affinity-propagation",
      "spectral",
      "birch",
      "kmodes",
      "kprototypes",
    ]);
  });

  it("names every flag after its core option (kebab case), --k after nClusters / nComponents", () => {
    for (const algo of ALGORITHMS) {
      for (const binding of ALGORITHM_TABLE[algo].options) {
        const flag = flagName(binding);
        if (binding.flag === "k") {
          expect(["nClusters", "nComponents"], `${algo} --k`).toContain(binding.option);
        } else {
          const kebab = kebabCase(binding.option);
          expect(flag, algo).toBe(binding.type.kind === "negation" ? `no-${kebab}` : kebab);
        }
        if (binding.type.kind !== "switch" && binding.type.kind !== "negation") {
          expect(binding.example, `${algo} --${flag} example`).toBeDefined();
        }
      }
    }
    expect(kebabCase("clusterSelectionEpsilon")).toBe("cluster-selection-epsilon");
  });

  it("maps every option to a documented option of the core estimator's constructor", () => {
    for (const algo of ALGORITHMS) {
      const spec = ALGORITHM_TABLE[algo];
      const documented = documentedOptions(`${spec.estimator}Options`);
      // Every flag given at once: the estimator stores exactly the options passed on.
      const given: Record<string, RawValue> = {};
      for (const binding of spec.options) {
        if (binding.replacesK || flagName(binding) === "seed") continue;
        given[flagName(binding)] =
          binding.type.kind === "negation" || binding.type.kind === "switch" ? true : binding.example!;
      }
      const { k, options } = parseAlgorithmOptions(algo, given);
      const all = coreOptions(algo, { k, seed: 7, options });
      const estimator = makeClusterer(
        { algo, k, seed: 7, options },
        // The command line resolves --categorical against the table and hands the result on.
        { logger: memoryLogger(), categoricalColumns: (options.categorical as string[] | undefined) ?? ["colour"] },
      ) as unknown as {
        options: Record<string, unknown>;
        constructor: { name: string };
      };
      expect(estimator.constructor.name).toBe(spec.estimator);
      for (const binding of spec.options) {
        expect(documented, `${algo}: ${binding.option}`).toContain(binding.option);
        if (!binding.replacesK)
          expect(estimator.options[binding.option], `${algo}: ${binding.option}`).toEqual(all[binding.option]);
      }
      for (const key of Object.keys(estimator.options)) {
        expect(documented, `${algo} passes an undocumented option ${key}`).toContain(key);
      }
    }
  });

  it("fits with every option at its example (every choice), one at a time", () => {
    for (const algo of ALGORITHMS) {
      for (const binding of ALGORITHM_TABLE[algo].options) {
        const flag = flagName(binding);
        if (flag === "seed" || flag === "k") continue;
        for (const value of sampleValues(binding)) {
          const given: Record<string, RawValue> = { ...CONTEXT[algo]?.[binding.option], [flag]: value ?? true };
          const what = `${algo} --${flag} ${value ?? ""}`;
          let labels: Int32Array | undefined;
          expect(() => {
            labels = fitWith(algo, given).labels;
          }, what).not.toThrow();
          expect(labels?.length, what).toBe(60);
        }
      }
    }
  });

  it("registers each flag once, with one arity, in the cluster command's help", () => {
    const help = (parseArgs(["cluster", "--help"]) as { text: string }).text;
    const names = ALGORITHM_FLAGS.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
    for (const flag of ALGORITHM_FLAGS) {
      expect(help).toContain(`--${flag.name}`);
      for (const { binding } of flag.uses) {
        const kind = binding.type.kind;
        expect(kind === "switch" ? "switch" : kind === "negation" ? "negation" : "value").toBe(flag.arity);
      }
    }
    for (const algo of ALGORITHMS) expect(help).toContain(`  ${algo} `);
  });
});

describe("the README", () => {
  it("lists every algorithm and every flag in its command-line section", () => {
    const readme = readFileSync(join(repoRoot, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("## The command line"), readme.indexOf("## The library"));
    for (const algo of ALGORITHMS) expect(section).toContain(`| \`${algo}\` |`);
    for (const flag of ALGORITHM_FLAGS) expect(section, `--${flag.name}`).toMatch(new RegExp(`--${flag.name}\\b`));
  });
});

describe("parsing algorithm flags", () => {
  it("parses every flag of every algorithm to its core option", () => {
    for (const algo of ALGORITHMS) {
      for (const binding of ALGORITHM_TABLE[algo].options) {
        const flag = flagName(binding);
        if (flag === "seed") continue;
        const args = parseClusterArgs(["d.csv", "--algo", algo, ...words(binding)]);
        const expected = parseValue(binding.type, binding.example ?? true, `--${flag}`);
        if (flag === "k") {
          expect(args.k, algo).toBe(Number(binding.example));
          expect(args.options, algo).toEqual({});
        } else {
          expect(args.options, `${algo} --${flag}`).toEqual({ [binding.option]: expected });
        }
        if (binding.type.kind === "negation") expect(expected).toBe(false);
        if (binding.type.kind === "switch") expect(expected).toBe(true);
      }
    }
  });

  it("defaults --k to 8 where the algorithm takes a number of clusters, else null", () => {
    for (const algo of ALGORITHMS) {
      const takesK = ALGORITHM_TABLE[algo].options.some((b) => b.flag === "k");
      expect(parseClusterArgs(["d.csv", "--algo", algo]).k, algo).toBe(takesK ? DEFAULT_K : null);
    }
    expect(parseClusterArgs(["d.csv", "--algo", "gmm", "-k", "4"]).k).toBe(4);
    const cut = parseClusterArgs(["d.csv", "--algo", "agglomerative", "--distance-threshold", "2.5"]);
    expect(cut).toMatchObject({ k: null, options: { distanceThreshold: 2.5 } });
    expect(usage(["cluster", "d.csv", "--algo", "agglomerative", "--k", "3", "--distance-threshold", "2"])).toBe(
      "--k and --distance-threshold cannot be combined (--algo agglomerative takes one of them)",
    );
  });

  it("passes --k and --seed under the algorithm's own option names", () => {
    const gmm = parseClusterArgs(["d.csv", "--algo", "gmm", "--k", "4", "--seed", "3", "--covariance-type", "diag"]);
    expect(coreOptions("gmm", gmm)).toEqual({ nComponents: 4, covarianceType: "diag", seed: 3 });
    const dbscan = parseClusterArgs(["d.csv", "--algo", "dbscan", "--seed", "3", "--eps", "0.3"]);
    expect(coreOptions("dbscan", dbscan)).toEqual({ eps: 0.3 });
    const kmeans = parseClusterArgs(["d.csv"]);
    expect(coreOptions("kmeans", kmeans)).toEqual({ nClusters: 8, seed: 0 });
  });

  it("refuses a flag the algorithm does not take, naming both and listing its flags", () => {
    expect(usage(["cluster", "d.csv", "--eps", "0.5"])).toBe(
      "--eps does not apply to --algo kmeans (it takes: --k, --init, --n-init, --max-iter, --tol, --seed)",
    );
    expect(usage(["cluster", "d.csv", "--algo", "dbscan", "--k", "3"])).toBe(
      "--k does not apply to --algo dbscan (it takes: --eps, --min-samples, --metric)",
    );
    expect(usage(["cluster", "d.csv", "--algo", "kmeans", "--no-cluster-all"])).toMatch(
      /^--no-cluster-all does not apply to --algo kmeans/,
    );
    expect(usage(["cluster", "d.csv", "--algo", "kmodes", "--scale", "minmax"])).toMatch(
      /^--scale does not apply to --algo kmodes/,
    );
    // Every algorithm refuses every flag it does not take.
    for (const algo of ALGORITHMS) {
      const own = new Set(flagsOf(algo));
      for (const flag of ALGORITHM_FLAGS) {
        if (own.has(`--${flag.name}`) || GLOBAL_FLAGS.has(flag.name)) continue;
        const binding = flag.uses[0].binding;
        const message = usage(["cluster", "d.csv", "--algo", algo, ...words(binding)]);
        expect(message).toBe(`--${flag.name} does not apply to --algo ${algo} (it takes: ${flagsOf(algo).join(", ")})`);
      }
    }
  });

  it("names the flag and the value of a bad number or choice", () => {
    expect(usage(["cluster", "d.csv", "--algo", "dbscan", "--eps", "abc"])).toBe(
      'invalid --eps: "abc" (must be a number > 0)',
    );
    expect(usage(["cluster", "d.csv", "--algo", "dbscan", "--eps", "0"])).toBe(
      'invalid --eps: "0" (must be a number > 0)',
    );
    expect(usage(["cluster", "d.csv", "--algo", "dbscan", "--min-samples", "2.5"])).toBe(
      'invalid --min-samples: "2.5" (must be an integer >= 1)',
    );
    expect(usage(["cluster", "d.csv", "--algo", "affinity-propagation", "--damping", "1"])).toBe(
      'invalid --damping: "1" (must be a number in [0.5, 1))',
    );
    expect(usage(["cluster", "d.csv", "--algo", "optics", "--min-samples", "1"])).toBe(
      'invalid --min-samples: "1" (must be an integer >= 2 or a fraction in (0, 1))',
    );
    expect(parseClusterArgs(["d.csv", "--algo", "optics", "--min-samples", "0.1"]).options).toEqual({
      minSamples: 0.1,
    });
    expect(parseClusterArgs(["d.csv", "--algo", "affinity-propagation", "--preference", "-50"]).options).toEqual({
      preference: -50,
    });
    expect(usage(["cluster", "d.csv", "--algo", "dbscan", "--metric", "chebyshev"])).toBe(
      'invalid --metric: "chebyshev" (must be one of euclidean, manhattan, cosine for --algo dbscan)',
    );
    expect(usage(["cluster", "d.csv", "--algo", "kprototypes", "--categorical", "a,,b"])).toBe(
      'invalid --categorical: "a,,b" (must be a comma-separated list of column names)',
    );
    // Every numeric flag of every algorithm refuses a word.
    for (const algo of ALGORITHMS) {
      for (const binding of ALGORITHM_TABLE[algo].options) {
        const kind = binding.type.kind;
        if (kind !== "int" && kind !== "number" && kind !== "countOrFraction") continue;
        const flag = `--${flagName(binding)}`;
        expect(usage(["cluster", "d.csv", "--algo", algo, flag, "abc"]), `${algo} ${flag}`).toBe(
          `invalid ${flag}: "abc" (must be ${describeType(binding.type)})`,
        );
      }
    }
  });
});
