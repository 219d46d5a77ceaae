import { ALGORITHM_INFO, type AlgorithmName, analysisSpecSchema, INPUT_FORMATS } from "@clusterlab/lab";
import { type Command, Option } from "commander";
import { parseRoles, sourceOptions } from "./args.js";
import { UsageError } from "./usage.js";

/** Options as commander hands them over (repeatable ones as arrays). */
type Raw = Record<string, string | boolean | string[] | undefined>;

interface SchemaNode {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  $ref?: string;
  properties?: Record<string, SchemaNode>;
  anyOf?: SchemaNode[];
  allOf?: { if?: { properties?: { name?: { const?: string } } }; then?: SchemaNode }[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  multipleOf?: number;
  default?: unknown;
}

const definitions = (analysisSpecSchema as { definitions: Record<string, SchemaNode> }).definitions;

/** A schema node with its `$ref` followed. */
export function resolveRef(node: SchemaNode): SchemaNode {
  let n = node;
  while (n.$ref) n = definitions[n.$ref.replace("#/definitions/", "")];
  return n;
}

function choicesOf(definition: string): string[] {
  return (definitions[definition].enum ?? []).map(String);
}

/** `nClusters` -> `n-clusters`. */
export function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** commander's attribute of a flag: `--n-clusters` -> `nClusters`. */
function attribute(flag: string): string {
  return flag.replace(/^--/, "").replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** Each algorithm's parameters (name -> schema), from the spec's JSON Schema. */
export const ALGORITHM_PARAMS: ReadonlyMap<AlgorithmName, ReadonlyMap<string, SchemaNode>> = (() => {
  const out = new Map<AlgorithmName, Map<string, SchemaNode>>();
  for (const branch of definitions.AlgorithmSpec.allOf ?? []) {
    const name = branch.if?.properties?.name?.const as AlgorithmName;
    const spec = resolveRef(branch.then ?? {});
    const params = resolveRef(spec.properties?.params ?? {});
    out.set(name, new Map(Object.entries(params.properties ?? {})));
  }
  return out;
})();

/** The flag of an algorithm parameter: `--` + its name in kebab case (`maxIter` -> `--max-iter`). */
export function paramFlag(param: string): string {
  return `--${kebab(param)}`;
}

/**
 * The flag of every spec field other than the version (always 1) and the algorithm parameters
 * (see `paramFlag`), by JSON pointer. `/preprocessing/pca/nComponents` and `.../varianceRatio`
 * share `--pca` (an integer or a share), `/preprocessing/outliers/method` is `--outliers`.
 */
export const SPEC_FIELD_FLAGS: Readonly<Record<string, string>> = {
  "/data/path": "--data",
  "/data/format": "--format",
  "/data/delimiter": "--delimiter",
  "/data/header": "--no-header",
  "/data/encoding": "--encoding",
  "/data/table": "--table",
  "/data/dataset": "--dataset",
  "/columns/roles": "--role",
  "/columns/include": "--columns",
  "/columns/exclude": "--exclude",
  "/columns/target": "--target",
  "/preprocessing/imputation/numeric": "--impute-numeric",
  "/preprocessing/imputation/numericFillValue": "--numeric-fill",
  "/preprocessing/imputation/categorical": "--impute-categorical",
  "/preprocessing/imputation/categoricalFillValue": "--categorical-fill",
  "/preprocessing/encoding": "--categorical-encoding",
  "/preprocessing/scaling": "--scale",
  "/preprocessing/transform": "--transform",
  "/preprocessing/pca": "--pca",
  "/preprocessing/pca/nComponents": "--pca",
  "/preprocessing/pca/varianceRatio": "--pca",
  "/preprocessing/outliers": "--outliers",
  "/preprocessing/outliers/method": "--outliers",
  "/preprocessing/outliers/factor": "--iqr-factor",
  "/algorithm/name": "--algo",
  "/seed": "--seed",
  "/split": "--test-size",
  "/split/testSize": "--test-size",
  "/split/seed": "--split-seed",
};

/** Every algorithm parameter name (the union over the algorithms), in order of first appearance. */
const PARAM_NAMES = [...new Set([...ALGORITHM_PARAMS.values()].flatMap((params) => [...params.keys()]))];

/** Registers the spec flags (data, columns, preprocessing, algorithm and its parameters, seed, split). */
export function addSpecFlags(cmd: Command): Command {
  cmd
    .option("--data <file>", "input table (.csv, .tsv, .txt, .parquet, .json, .ndjson, .arrow, .feather, .duckdb)")
    .option("--dataset <id>", "a dataset of the store instead of a file")
    .addOption(new Option("--format <format>", "input format (default: from the extension)").choices(INPUT_FORMATS))
    .option("--delimiter <char>", 'field delimiter for text files ("\\t" for tab, "auto" to sniff)')
    .option("--no-header", "the text file has no header line")
    .option("--encoding <name>", "text encoding: utf-8 (default), latin-1, windows-1252, utf-16, ...")
    .option("--table <name>", "the table of a DuckDB database file (default: its only table)")
    .option("--role <column=role>", "set a column's role, repeatable", (v: string, p: string[] = []) => [...p, v])
    .option("--columns <list>", "comma-separated feature columns (columns.include)")
    .option("--exclude <list>", "comma-separated columns to leave out")
    .option("--target <column>", "the target column (kept out of the features; ARI / NMI)")
    .addOption(new Option("--impute-numeric <how>", "missing numeric values").choices(choicesOf("NumericImputation")))
    .option("--numeric-fill <x>", "the value of --impute-numeric constant")
    .addOption(
      new Option("--impute-categorical <how>", "missing categories").choices(choicesOf("CategoricalImputation")),
    )
    .option("--categorical-fill <value>", "the category of --impute-categorical constant")
    .addOption(
      new Option("--categorical-encoding <method>", "encoding of categorical features").choices(
        choicesOf("EncodingMethod"),
      ),
    )
    .addOption(new Option("--scale <method>", "scaling of numeric features").choices(choicesOf("ScalingMethod")))
    .addOption(
      new Option("--transform <method>", "transform of numeric features").choices(choicesOf("TransformMethod")),
    )
    .option("--pca <n|share|none>", "PCA after scaling: a number of components, a variance share in (0, 1), or none")
    .addOption(new Option("--outliers <rule>", "outlier removal before clustering").choices(["none", "iqr"]))
    .option("--iqr-factor <x>", "the IQR multiplier of --outliers iqr (default 1.5; implies --outliers iqr)")
    .option("--test-size <share|none>", "hold out this share of the rows, in (0, 1), for the held-out evaluation")
    .option("--split-seed <n>", "seed of the held-out split (default: --seed)")
    .addOption(
      new Option("--algo <name>", "clustering algorithm (default kmeans)").choices([...ALGORITHM_PARAMS.keys()]),
    )
    .option("-k, --k <n>", "the number of clusters (nClusters; nComponents for gmm)")
    .option("--seed <n>", "seed of every random choice");
  for (const param of PARAM_NAMES) {
    const users = [...ALGORITHM_PARAMS.entries()].filter(([, p]) => p.has(param)).map(([name]) => name);
    cmd.option(`${paramFlag(param)} <value>`, `algorithm parameter ${param} (${users.join(", ")})`);
  }
  return cmd;
}

function fail(flag: string, raw: unknown, reason: string): never {
  throw new UsageError(`invalid ${flag}: ${JSON.stringify(raw)} (${reason})`);
}

function numberValue(raw: unknown, flag: string, integer = false): number {
  const text = String(raw).trim();
  const value = Number(text);
  if (text === "" || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
    fail(flag, raw, integer ? "must be an integer" : "must be a number");
  }
  return value;
}

function listValue(raw: unknown, flag: string): string[] {
  const items = String(raw)
    .split(",")
    .map((s) => s.trim());
  if (items.some((s) => s === "")) fail(flag, raw, "must be a comma-separated list of column names");
  return items;
}

function types(node: SchemaNode): string[] {
  const n = resolveRef(node);
  if (n.anyOf) return n.anyOf.flatMap(types);
  if (n.enum) return ["string"];
  return Array.isArray(n.type) ? n.type : n.type ? [n.type] : [];
}

/** An algorithm parameter's value from its flag, by the types the schema allows (range checks: `validateSpec`). */
export function paramValue(param: string, node: SchemaNode, raw: unknown): unknown {
  const flag = paramFlag(param);
  const text = String(raw).trim();
  const allowed = types(node);
  if (allowed.includes("null") && (text === "null" || text === "auto")) return null;
  if ((allowed.includes("number") || allowed.includes("integer")) && text !== "" && Number.isFinite(Number(text))) {
    return Number(text);
  }
  if (allowed.includes("boolean") && (text === "true" || text === "false")) return text === "true";
  if (allowed.includes("string")) return String(raw);
  const words: Record<string, string> = {
    null: "null (or auto)",
    boolean: "true or false",
    integer: "an integer",
    number: "a number",
  };
  const kinds = allowed.map((t) => words[t] ?? t);
  return fail(flag, raw, `must be ${kinds.join(" or ")}`);
}

type Json = Record<string, unknown>;

function object(value: unknown): Json {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? { ...(value as Json) } : {};
}

/**
 * Applies the spec flags given on the command line to `base` (a spec read from a file, or
 * nothing) and returns the raw spec (validated and normalised by the caller). A flag replaces the
 * field it names; `--algo` with another algorithm than the file's starts from that algorithm's
 * defaults; `--data` / `--dataset` replace the data source. `isGiven(attribute)` tells whether an
 * option was on the command line (for `--no-header`, whose default is `true`).
 */
export function specFromFlags(base: unknown, opts: Raw, isGiven: (attribute: string) => boolean): unknown {
  const spec: Json = base === undefined ? { version: 1 } : object(base);
  if (base !== undefined && (typeof base !== "object" || base === null || Array.isArray(base))) return base;
  const given = (key: string) => opts[key] !== undefined && isGiven(key);

  // data
  if (given("data") && given("dataset")) throw new UsageError("give --data or --dataset, not both");
  let data = object(spec.data);
  if (given("data")) {
    const path = String(opts.data);
    if (path.trim() === "") fail("--data", opts.data, "must be a file path");
    data = { path };
  } else if (given("dataset")) {
    data = { dataset: String(opts.dataset) };
  }
  if (given("format")) data.format = opts.format;
  if (given("delimiter")) {
    if (String(opts.delimiter) === "") fail("--delimiter", "", 'must be a character, "\\t" or "auto"');
    data.delimiter = String(opts.delimiter);
  }
  if (isGiven("header") && opts.header === false) data.header = false;
  Object.assign(data, sourceOptions({ encoding: opts.encoding as string, table: opts.table as string }));
  if (Object.keys(data).length > 0) spec.data = data;

  // columns
  const columns = object(spec.columns);
  if (given("role")) columns.roles = { ...object(columns.roles), ...parseRoles(opts.role as string[]) };
  if (given("columns")) columns.include = listValue(opts.columns, "--columns");
  if (given("exclude")) columns.exclude = listValue(opts.exclude, "--exclude");
  if (given("target")) {
    const target = String(opts.target);
    if (target.trim() === "") fail("--target", target, "must be a column name");
    columns.target = target;
  }
  if (Object.keys(columns).length > 0 || spec.columns !== undefined) spec.columns = columns;

  // preprocessing
  const pre = object(spec.preprocessing);
  const imputation = object(pre.imputation);
  if (given("imputeNumeric")) imputation.numeric = opts.imputeNumeric;
  if (given("numericFill")) imputation.numericFillValue = numberValue(opts.numericFill, "--numeric-fill");
  if (given("imputeCategorical")) imputation.categorical = opts.imputeCategorical;
  if (given("categoricalFill")) imputation.categoricalFillValue = String(opts.categoricalFill);
  if (Object.keys(imputation).length > 0) pre.imputation = imputation;
  if (given("categoricalEncoding")) pre.encoding = opts.categoricalEncoding;
  if (given("scale")) pre.scaling = opts.scale;
  if (given("transform")) pre.transform = opts.transform;
  if (given("pca")) {
    const text = String(opts.pca).trim();
    if (text === "none") pre.pca = "none";
    else {
      const x = numberValue(opts.pca, "--pca");
      if (x > 0 && x < 1) pre.pca = { varianceRatio: x };
      else if (Number.isInteger(x) && x >= 1) pre.pca = { nComponents: x };
      else fail("--pca", opts.pca, "must be a number of components >= 1, a variance share in (0, 1), or none");
    }
  }
  if (given("outliers") || given("iqrFactor")) {
    if (opts.outliers === "none" && given("iqrFactor")) throw new UsageError("--iqr-factor needs --outliers iqr");
    if (opts.outliers === "none") pre.outliers = "none";
    else {
      const previous = object(pre.outliers);
      pre.outliers = {
        method: "iqr",
        ...(given("iqrFactor")
          ? { factor: numberValue(opts.iqrFactor, "--iqr-factor") }
          : previous.factor !== undefined && { factor: previous.factor }),
      };
    }
  }
  if (Object.keys(pre).length > 0 || spec.preprocessing !== undefined) spec.preprocessing = pre;

  // algorithm
  const previous = object(spec.algorithm);
  const name = (given("algo") ? opts.algo : (previous.name ?? "kmeans")) as AlgorithmName;
  const params = name === previous.name ? object(previous.params) : {};
  const known = ALGORITHM_PARAMS.get(name);
  if (!known) {
    // An unknown algorithm name in the file: validateSpec names it.
    spec.algorithm = previous;
  } else {
    if (given("k")) {
      const kParam = ALGORITHM_INFO[name].kParam;
      if (kParam === null) throw new UsageError(`--k does not apply to --algo ${name} (it finds the clusters itself)`);
      params[kParam] = numberValue(opts.k, "--k", true);
    }
    for (const param of PARAM_NAMES) {
      const key = attribute(paramFlag(param));
      if (!given(key)) continue;
      const node = known.get(param);
      if (!node) {
        throw new UsageError(
          `${paramFlag(param)} does not apply to --algo ${name} (it takes: ${[...known.keys()].map(paramFlag).join(", ")})`,
        );
      }
      params[param] = paramValue(param, node, opts[key]);
    }
    spec.algorithm = { name, ...(Object.keys(params).length > 0 && { params }) };
  }

  if (given("seed")) spec.seed = numberValue(opts.seed, "--seed", true);
  if (given("testSize") || given("splitSeed")) {
    const current = spec.split;
    if (given("testSize") && String(opts.testSize).trim() === "none") {
      if (given("splitSeed")) throw new UsageError("--split-seed needs a --test-size");
      spec.split = "none";
    } else {
      const split = object(current);
      if (given("testSize")) split.testSize = numberValue(opts.testSize, "--test-size");
      if (given("splitSeed")) split.seed = numberValue(opts.splitSeed, "--split-seed", true);
      if (split.testSize === undefined) throw new UsageError("--split-seed needs a --test-size");
      spec.split = split;
    }
  }
  return spec;
}

/** The commander attributes of every spec flag (to tell whether any was given). */
export const SPEC_FLAG_ATTRIBUTES: readonly string[] = [
  ...new Set([...Object.values(SPEC_FIELD_FLAGS).map((f) => attribute(f.replace(/^--no-/, "--"))), "k"]),
  ...PARAM_NAMES.map((p) => attribute(paramFlag(p))),
];
