import { createRequire } from "node:module";
import type { ErrorObject, ValidateFunction } from "ajv";
import { detectFormat } from "../readTable.js";
import { normalizeEncoding } from "../textEncoding.js";
import type { AgglomerativeParams, AnalysisSpec, ColumnsSpec, FileDataSpec, OPTICSParams } from "./analysisSpec.js";
import { specError } from "./specError.js";

const require = createRequire(import.meta.url);

/**
 * The JSON Schema of `AnalysisSpec` (draft-07), generated from the TypeScript interfaces by
 * `npm run schema` (`packages/lab/schema/analysis-spec.schema.json`).
 */
export const analysisSpecSchema: Readonly<Record<string, unknown>> = require("../../schema/analysis-spec.schema.json");

let compiled: ValidateFunction | undefined;

/** The compiled validator; ajv is loaded on first use, so importing the package stays cheap. */
function schemaValidator(): ValidateFunction {
  if (!compiled) {
    const { Ajv } = require("ajv") as typeof import("ajv");
    const ajv = new Ajv({ allErrors: false, verbose: true, strict: true, strictTypes: false, allowUnionTypes: true });
    compiled = ajv.compile(analysisSpecSchema);
  }
  return compiled;
}

function pointerSegments(pointer: string): string[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

function escapeSegment(segment: string): string {
  return segment.replace(/~/g, "~0").replace(/\//g, "~1");
}

function valueAt(data: unknown, pointer: string): unknown {
  let value = data;
  for (const key of pointerSegments(pointer)) {
    if (typeof value !== "object" || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function quoteList(values: readonly unknown[]): string {
  return values.map((v) => JSON.stringify(v)).join(", ");
}

const TYPE_NAMES: Record<string, string> = {
  string: "a string",
  number: "a number",
  integer: "an integer",
  boolean: "a boolean",
  object: "an object",
  array: "an array",
  null: "null",
};

/** Why one (non-structural) keyword failed, in words. */
function keywordReason(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case "minimum":
      return `must be >= ${p.limit}`;
    case "maximum":
      return `must be <= ${p.limit}`;
    case "exclusiveMinimum":
      return `must be > ${p.limit}`;
    case "exclusiveMaximum":
      return `must be < ${p.limit}`;
    case "multipleOf":
      return p.multipleOf === 1 ? "must be an integer" : `must be a multiple of ${p.multipleOf}`;
    case "minLength":
      return p.limit === 1 ? "must not be empty" : `must have at least ${p.limit} characters`;
    case "uniqueItems":
      return `must not repeat an item (items ${p.j} and ${p.i} are equal)`;
    default:
      return e.message ?? e.keyword;
  }
}

/**
 * One message for the errors ajv reports. Branches of `anyOf` each report their first error; the
 * most specific ones win (deepest JSON pointer), and at one pointer: unknown fields, then missing
 * fields, then range checks, then the list of allowed values and types.
 */
function formatErrors(errors: readonly ErrorObject[], data: unknown): ReturnType<typeof specError> {
  const relevant = errors.filter((e) => !["if", "anyOf", "oneOf", "allOf"].includes(e.keyword));
  const pool = relevant.length > 0 ? relevant : errors;
  const depth = (e: ErrorObject) => pointerSegments(e.instancePath).length;
  const deepest = Math.max(...pool.map(depth));
  const at = pool.filter((e) => depth(e) === deepest);
  const path = at[0].instancePath;
  const value = valueAt(data, path);

  const unknown = at.find((e) => e.keyword === "additionalProperties");
  if (unknown) {
    const field = String((unknown.params as { additionalProperty: string }).additionalProperty);
    // One list of fields per union branch that refused a field.
    const shapes: string[][] = [];
    for (const e of at) {
      if (e.keyword !== "additionalProperties") continue;
      const props = (e.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties ?? {};
      shapes.push(Object.keys(props));
    }
    const fieldPath = `${path}/${escapeSegment(field)}`;
    const fieldValue = (value as Record<string, unknown>)[field];
    if (shapes.some((keys) => keys.includes(field))) {
      const others = Object.keys(value as object).filter((k) => k !== field);
      const alternatives = shapes.map((keys) => `{${keys.join(", ")}}`).join(" or ");
      return specError(fieldPath, fieldValue, `cannot be combined with ${quoteList(others)}; allowed: ${alternatives}`);
    }
    const allowed = [...new Set(shapes.flat())];
    return specError(fieldPath, fieldValue, `unknown field; allowed: ${allowed.join(", ")}`);
  }
  const missing = [
    ...new Set(
      at.filter((e) => e.keyword === "required").map((e) => (e.params as { missingProperty: string }).missingProperty),
    ),
  ];
  if (missing.length > 0) {
    return specError(path, value, `missing field ${missing.map((m) => JSON.stringify(m)).join(" or ")}`);
  }
  const other = at.find((e) => !["type", "const", "enum"].includes(e.keyword));
  if (other) return specError(path, value, keywordReason(other));

  const literals: unknown[] = [];
  const types: string[] = [];
  for (const e of at) {
    const p = e.params as Record<string, unknown>;
    if (e.keyword === "const") literals.push(p.allowedValue);
    else if (e.keyword === "enum") literals.push(...(p.allowedValues as unknown[]));
    else if (e.keyword === "type") {
      for (const t of String(p.type).split(",")) if (!types.includes(t)) types.push(t);
    }
  }
  // A literal of a type already allowed (e.g. "none" next to string) is implied by the type.
  const parts: string[] = [];
  if (literals.length === 1) parts.push(JSON.stringify(literals[0]));
  else if (literals.length > 0) parts.push(`one of ${quoteList([...new Set(literals)])}`);
  for (const t of types)
    if (!(literals.length > 0 && literals.every((l) => typeof l === t))) parts.push(TYPE_NAMES[t] ?? t);
  return specError(path, value, `must be ${parts.join(" or ")}`);
}

function checkColumns(columns: ColumnsSpec | undefined): void {
  if (!columns) return;
  const { include, exclude = [], target, roles = {} } = columns;
  if (include) {
    const both = include.find((c) => exclude.includes(c));
    if (both !== undefined) {
      const j = exclude.indexOf(both);
      throw specError(`/columns/exclude/${j}`, both, "also listed in columns.include");
    }
    if (target != null && include.includes(target)) {
      throw specError(`/columns/include/${include.indexOf(target)}`, target, "the target cannot be a feature");
    }
  }
  if (target != null && roles[target] !== undefined && roles[target] !== "target") {
    throw specError(
      `/columns/roles/${escapeSegment(target)}`,
      roles[target],
      `column ${JSON.stringify(target)} is the target; its role must be "target"`,
    );
  }
  const targets = Object.entries(roles).filter(([, role]) => role === "target");
  const named = new Set([...targets.map(([name]) => name), ...(target != null ? [target] : [])]);
  if (named.size > 1) {
    throw specError("/columns", columns, `only one target column is allowed (got ${quoteList([...named])})`);
  }
}

function checkData(data: AnalysisSpec["data"]): void {
  if (!("path" in data)) return;
  const file = data as FileDataSpec;
  if (file.format === undefined) {
    try {
      detectFormat(file.path);
    } catch {
      throw specError(
        "/data/path",
        file.path,
        "cannot tell the format from the extension; set data.format to csv, tsv, parquet, json or ndjson",
      );
    }
  }
  if (file.delimiter !== undefined || file.header !== undefined) {
    const format = file.format ?? detectFormat(file.path).format;
    if (format !== "csv" && format !== "tsv") {
      const field = file.delimiter !== undefined ? "delimiter" : "header";
      throw specError(`/data/${field}`, file[field], `only delimited text files have one; the format is ${format}`);
    }
  }
  if (file.encoding !== undefined) {
    const format = file.format ?? detectFormat(file.path).format;
    if (format !== "csv" && format !== "tsv") {
      throw specError("/data/encoding", file.encoding, `only delimited text files have one; the format is ${format}`);
    }
    try {
      normalizeEncoding(file.encoding);
    } catch {
      throw specError(
        "/data/encoding",
        file.encoding,
        "unknown encoding; use utf-8, latin-1, windows-1252, utf-16, utf-16le, utf-16be or another WHATWG label",
      );
    }
  }
  if (file.table !== undefined) {
    const format = file.format ?? detectFormat(file.path).format;
    if (format !== "duckdb") {
      throw specError("/data/table", file.table, `only DuckDB database files have tables; the format is ${format}`);
    }
  }
}

function checkShare(path: string, value: number | null | undefined, min: number): void {
  if (value == null || value < 1) return;
  if (!Number.isInteger(value) || value < min) {
    throw specError(path, value, `must be an integer >= ${min} or a share of the rows in (0, 1)`);
  }
}

function checkAlgorithm(algorithm: AnalysisSpec["algorithm"]): void {
  const at = "/algorithm/params";
  if (algorithm.name === "agglomerative") {
    const p: AgglomerativeParams = algorithm.params ?? {};
    if (p.nClusters != null && p.distanceThreshold != null) {
      throw specError(
        `${at}/distanceThreshold`,
        p.distanceThreshold,
        "cannot be set together with nClusters; set nClusters to null to cut at a distance",
      );
    }
    if (p.nClusters === null && p.distanceThreshold == null) {
      throw specError(`${at}/nClusters`, null, "null needs a distanceThreshold");
    }
    const linkage = p.linkage ?? "ward";
    if (
      (linkage === "ward" || linkage === "centroid" || linkage === "median") &&
      (p.metric ?? "euclidean") !== "euclidean"
    ) {
      throw specError(`${at}/metric`, p.metric, `${linkage} linkage needs the euclidean metric`);
    }
    if (p.connectivityNeighbors != null && !["ward", "complete", "average", "single"].includes(linkage)) {
      throw specError(
        `${at}/connectivityNeighbors`,
        p.connectivityNeighbors,
        "needs ward, complete, average or single linkage",
      );
    }
  } else if (algorithm.name === "optics") {
    const p: OPTICSParams = algorithm.params ?? {};
    checkShare(`${at}/minSamples`, p.minSamples, 2);
    checkShare(`${at}/minClusterSize`, p.minClusterSize, 2);
    if (p.eps != null && p.maxEps != null && p.eps > p.maxEps) {
      throw specError(`${at}/eps`, p.eps, `must be <= maxEps (${p.maxEps})`);
    }
  }
}

/**
 * Checks that `value` (parsed JSON) is a valid analysis spec and returns it typed. The JSON Schema
 * generated from the `AnalysisSpec` interfaces is checked first (types, allowed values, ranges,
 * unknown fields are refused), then the rules a schema cannot express (a file extension DuckDB can
 * read, include/exclude/target consistency, agglomerative `nClusters` xor `distanceThreshold`, ...).
 * Throws a `SpecError` whose one-line message names the field and the value:
 * `invalid spec: /preprocessing/scaling: "zscore" (must be one of "standard", "minmax", "robust", "maxabs", "none")`.
 * The input is not modified; defaults are not filled (see `normalizeSpec`).
 */
export function validateSpec(value: unknown): AnalysisSpec {
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    const version = (value as { version?: unknown }).version;
    if (version !== undefined && version !== 1) {
      throw specError("/version", version, "unsupported spec version; this clusterlab reads version 1");
    }
  }
  const validate = schemaValidator();
  if (!validate(value)) throw formatErrors(validate.errors ?? [], value);
  const spec = value as AnalysisSpec;
  checkData(spec.data);
  checkColumns(spec.columns);
  checkAlgorithm(spec.algorithm);
  return spec;
}
