import {
  ALGORITHMS,
  CLUSTER_SELECTION_METHODS,
  CLUSTERMAP_NORMALIZATIONS,
  COVARIANCE_TYPES,
  LINKAGES,
  METRICS,
  SCALINGS,
  SPECTRAL_AFFINITIES,
} from "./api.js";
import { CATEGORICAL_IMPUTATIONS, ENCODINGS, NUMERIC_IMPUTATIONS, TRANSFORMS } from "./apiData.js";

/** Largest k the API accepts (the dashboard's slider stops at 12). */
export const K_MAX = 50;
/** Largest k of a sweep. */
export const SWEEP_K_MAX = 20;
/** Pattern of a client-chosen job id. */
export const JOB_ID_PATTERN = "^[A-Za-z0-9_-]{6,64}$";

/**
 * `FeatureRequest.preprocess` (see `PreprocessRequest`). `pca` and `outliers` are unions of a
 * string and an object: `normalizePreprocess` (preprocess.ts) checks them, so that the 400 says
 * what is allowed (`invalid body.preprocess.pca: 0 (must be "none", {"nComponents": n} ...)`).
 */
export const preprocessSchema = {
  type: "object",
  additionalProperties: false,
  properties: {
    imputation: {
      type: "object",
      additionalProperties: false,
      properties: {
        numeric: { type: "string", enum: [...NUMERIC_IMPUTATIONS] },
        categorical: { type: "string", enum: [...CATEGORICAL_IMPUTATIONS] },
      },
    },
    encoding: { type: "string", enum: [...ENCODINGS] },
    categorical: {
      type: "array",
      maxItems: 500,
      uniqueItems: true,
      items: { type: "string", minLength: 1, maxLength: 500 },
    },
    transform: { type: "string", enum: [...TRANSFORMS] },
    pca: {},
    outliers: {},
  },
} as const;

/** The feature-request fields every analysis body shares (see `FeatureRequest`). */
export const featureProperties = {
  dataset: { type: "string", minLength: 1, maxLength: 200 },
  columns: {
    type: "array",
    minItems: 1,
    maxItems: 500,
    uniqueItems: true,
    items: { type: "string", minLength: 1, maxLength: 500 },
  },
  scaling: { type: "string", enum: [...SCALINGS], default: "standard" },
  dropMissing: { type: "boolean", default: true },
  seed: { type: "integer", minimum: 0, maximum: 4294967295, default: 0 },
  jobId: { type: "string", pattern: JOB_ID_PATTERN },
  preprocess: preprocessSchema,
} as const;

/**
 * Parameters of `POST /api/cluster` (see `ClusterParams`). Defaults are filled per algorithm by the
 * server (`resolveParams`), not here, so that an answer echoes only the algorithm's own parameters.
 */
export const clusterParamsSchema = {
  type: "object",
  additionalProperties: false,
  default: {},
  properties: {
    k: { type: "integer", minimum: 2, maximum: K_MAX },
    linkage: { type: "string", enum: [...LINKAGES] },
    distanceThreshold: { type: ["number", "null"], minimum: 0, maximum: 1e12 },
    covarianceType: { type: "string", enum: [...COVARIANCE_TYPES] },
    metric: { type: "string", enum: [...METRICS] },
    eps: { type: ["number", "null"], exclusiveMinimum: 0, maximum: 1e12 },
    minSamples: { type: "integer", minimum: 1, maximum: 1000 },
    minClusterSize: { type: ["integer", "null"], minimum: 2, maximum: 100000 },
    clusterSelectionMethod: { type: "string", enum: [...CLUSTER_SELECTION_METHODS] },
    xi: { type: "number", minimum: 0, exclusiveMaximum: 1 },
    damping: { type: "number", minimum: 0.5, exclusiveMaximum: 1 },
    bandwidth: { type: ["number", "null"], exclusiveMinimum: 0, maximum: 1e12 },
    threshold: { type: "number", exclusiveMinimum: 0, maximum: 1e12 },
    branchingFactor: { type: "integer", minimum: 2, maximum: 1000 },
    affinity: { type: "string", enum: [...SPECTRAL_AFFINITIES] },
    nNeighbors: { type: "integer", minimum: 2, maximum: 200 },
    batchSize: { type: "integer", minimum: 16, maximum: 100000 },
  },
} as const;

/** JSON schema of the `POST /api/cluster` body (see `ClusterRequest`). */
export const clusterBodySchema = {
  type: "object",
  additionalProperties: false,
  required: ["dataset", "columns", "algorithm"],
  properties: {
    ...featureProperties,
    algorithm: { type: "string", enum: [...ALGORITHMS] },
    params: clusterParamsSchema,
    geometryId: { type: "string", maxLength: 200 },
  },
} as const;

/** JSON schema of the `POST /api/sweep` body (see `SweepRequest`). */
export const sweepBodySchema = {
  type: "object",
  additionalProperties: false,
  required: ["dataset", "columns"],
  properties: {
    ...featureProperties,
    kMin: { type: "integer", minimum: 2, maximum: SWEEP_K_MAX, default: 2 },
    kMax: { type: "integer", minimum: 2, maximum: SWEEP_K_MAX, default: 12 },
  },
} as const;

/** JSON schema of the `POST /api/sweep/bic` body (see `BicSweepRequest`). */
export const bicSweepBodySchema = {
  type: "object",
  additionalProperties: false,
  required: ["dataset", "columns"],
  properties: {
    ...featureProperties,
    kMin: { type: "integer", minimum: 1, maximum: SWEEP_K_MAX, default: 2 },
    kMax: { type: "integer", minimum: 1, maximum: SWEEP_K_MAX, default: 12 },
    covarianceType: { type: "string", enum: [...COVARIANCE_TYPES], default: "full" },
  },
} as const;

/** JSON schema of the `POST /api/clustermap` body (see `ClustermapRequest`). */
export const clustermapBodySchema = {
  type: "object",
  additionalProperties: false,
  required: ["dataset", "columns"],
  properties: {
    ...featureProperties,
    normalization: { type: "string", enum: [...CLUSTERMAP_NORMALIZATIONS], default: "none" },
    maxRows: { type: "integer", minimum: 10, maximum: 5000, default: 2000 },
  },
} as const;

/** JSON schema of the `POST /api/preprocess/preview` body (a feature request). */
export const previewBodySchema = {
  type: "object",
  additionalProperties: false,
  required: ["dataset", "columns"],
  properties: featureProperties,
} as const;

/**
 * Query string of `GET /api/datasets/:id/profile`: `roles`, the user's column roles as JSON
 * (`{"species": "target"}`), checked by the route (roles in `COLUMN_ROLE_NAMES`, known columns).
 */
export const profileQuerySchema = {
  type: "object",
  additionalProperties: false,
  properties: {
    roles: { type: "string", maxLength: 100_000 },
    token: { type: "string" },
  },
} as const;

/** Route parameter `:id` of `/api/jobs/:id`. */
export const jobParamsSchema = {
  type: "object",
  required: ["id"],
  properties: { id: { type: "string", pattern: JOB_ID_PATTERN } },
} as const;

/** Query string of `POST /api/datasets`: the file's name (display only) and optionally its format. */
export const uploadQuerySchema = {
  type: "object",
  additionalProperties: false,
  required: ["name"],
  properties: {
    name: { type: "string", minLength: 1, maxLength: 1000 },
    format: { type: "string", enum: ["csv", "tsv", "parquet", "json", "ndjson"] },
    token: { type: "string" },
  },
} as const;

/** Route parameter `:id` (dataset or run). */
export const idParamsSchema = {
  type: "object",
  required: ["id"],
  properties: { id: { type: "string", minLength: 1, maxLength: 200 } },
} as const;

interface AjvError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

/**
 * One line for the user from ajv's first error, naming the field as a path:
 * `invalid body.params.k: 99 (must be <= 50)`, `missing body.columns`, `unknown field body.foo`,
 * `invalid body.algorithm: "x" (must be one of kmeans, ...)`.
 */
export function validationMessage(errors: readonly AjvError[], context: string, data: unknown): string {
  const e = errors[0];
  if (!e) return `invalid ${context}`;
  const path = [context, ...e.instancePath.split("/").slice(1).map(decodePointer)].join(".");
  if (e.keyword === "required") return `missing ${path}.${String(e.params.missingProperty)}`;
  if (e.keyword === "additionalProperties") return `unknown field ${path}.${String(e.params.additionalProperty)}`;
  const value = pick(data, e.instancePath);
  const shown = value === undefined ? "" : `: ${preview(value)}`;
  if (e.keyword === "enum") {
    const allowed = (e.params.allowedValues as unknown[]).map(String).join(", ");
    return `invalid ${path}${shown} (must be one of ${allowed})`;
  }
  return `invalid ${path}${shown} (${e.message ?? "invalid"})`;
}

function decodePointer(segment: string): string {
  return segment.replace(/~1/g, "/").replace(/~0/g, "~");
}

function pick(data: unknown, pointer: string): unknown {
  let value = data;
  for (const segment of pointer.split("/").slice(1).map(decodePointer)) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
