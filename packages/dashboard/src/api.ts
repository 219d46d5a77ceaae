/**
 * The dashboard's client of Clusterlab's JSON API. The request and answer shapes are the server's
 * own (`packages/server/src/api.ts`, types only), so the two cannot drift apart.
 */
import type {
  ApiError,
  BicSweepRequest,
  BicSweepResult,
  ClustermapRequest,
  ClustermapResult,
  ClusterRequest,
  ClusterResult,
  DatasetDetail,
  DatasetList,
  JobStatus,
  ServerConfig,
  SweepRequest,
  SweepResult,
  UploadResult,
} from "../../server/src/api.js";
import type * as Workflows from "../../server/src/apiWorkflows.js";

export type {
  Algorithm,
  BicSweepResult,
  ClustermapNormalization,
  ClustermapResult,
  ClusterParams,
  ClusterRequest,
  ClusterResult,
  ClusterSelectionMethodName,
  ColumnInfo,
  CondensedTreeResult,
  CovarianceTypeName,
  DatasetDetail,
  DatasetSummary,
  DendrogramLinks,
  DendrogramResult,
  JobStatus,
  Linkage,
  MetricName,
  ProfileResult,
  ProjectionResult,
  ReachabilityResult,
  Scaling,
  ServerConfig,
  SilhouettePlotResult,
  SpectralAffinityName,
  SweepResult,
} from "../../server/src/api.js";

export { ALGORITHM_PARAMS, NOISE_ALGORITHMS } from "../../server/src/api.js";

/** A fresh job id for a request (its progress is read and it is cancelled under this id). */
export function newJobId(kind: string): string {
  const random =
    typeof crypto !== "undefined" && "randomUUID" in crypto
      ? crypto.randomUUID().replace(/-/g, "").slice(0, 16)
      : Math.random().toString(36).slice(2, 14);
  return `${kind}-${random}`;
}

const TOKEN_KEY = "clusterlab-token";

/**
 * The API token: from the page address (`?token=...`, as printed by `clusterlab serve` on a
 * non-loopback host), remembered for the tab's later requests.
 */
export function apiToken(): string | null {
  const fromUrl = new URLSearchParams(window.location.search).get("token");
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    return fromUrl;
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

/** An error answered by the server, with its one-line message. */
export class ApiRequestError extends Error {
  override readonly name = "ApiRequestError";

  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function request<T>(method: string, path: string, body?: BodyInit, contentType?: string, signal?: AbortSignal) {
  const headers: Record<string, string> = {};
  const token = apiToken();
  if (token) headers["x-clusterlab-token"] = token;
  if (contentType) headers["content-type"] = contentType;
  let response: Response;
  try {
    response = await fetch(path, { method, headers, body, signal });
  } catch (error) {
    if ((error as Error).name === "AbortError") throw error;
    throw new ApiRequestError(0, "cannot reach the Clusterlab server: is `clusterlab serve` still running?");
  }
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!response.ok) {
    const message = (json as ApiError | undefined)?.error ?? `${response.status} ${response.statusText}`;
    throw new ApiRequestError(response.status, message);
  }
  return json as T;
}

function postJson<T>(path: string, body: unknown, signal?: AbortSignal): Promise<T> {
  return request<T>("POST", path, JSON.stringify(body), "application/json", signal);
}

export const api = {
  config: () => request<ServerConfig>("GET", "/api/config"),
  datasets: () => request<DatasetList>("GET", "/api/datasets"),
  dataset: (id: string) => request<DatasetDetail>("GET", `/api/datasets/${encodeURIComponent(id)}`),
  upload: (file: File) =>
    request<UploadResult>(
      "POST",
      `/api/datasets?name=${encodeURIComponent(file.name)}`,
      file,
      "application/octet-stream",
    ),
  cluster: (body: ClusterRequest, signal?: AbortSignal) => postJson<ClusterResult>("/api/cluster", body, signal),
  sweep: (body: SweepRequest, signal?: AbortSignal) => postJson<SweepResult>("/api/sweep", body, signal),
  bicSweep: (body: BicSweepRequest, signal?: AbortSignal) => postJson<BicSweepResult>("/api/sweep/bic", body, signal),
  clustermap: (body: ClustermapRequest, signal?: AbortSignal) =>
    postJson<ClustermapResult>("/api/clustermap", body, signal),
  job: (id: string) => request<JobStatus>("GET", `/api/jobs/${encodeURIComponent(id)}`),
  cancelJob: (id: string) => request<JobStatus>("DELETE", `/api/jobs/${encodeURIComponent(id)}`),
  /** Address of a run's labelled CSV (with the token, so a plain link can download it). */
  labelledCsvUrl: (runId: string) => {
    const token = apiToken();
    return `/api/runs/${encodeURIComponent(runId)}/labelled.csv${token ? `?token=${encodeURIComponent(token)}` : ""}`;
  },
};

// ---------------------------------------------------------------------------------------------
// Results: projections (t-SNE, UMAP, 3-D PCA), segments, evaluation, anomalies (apiResults.ts).

import type {
  AnomaliesRequest,
  AnomaliesResponse,
  EvaluateRequest,
  EvaluateResponse,
  ProjectionRequest,
  ProjectionResponse,
  SegmentsRequest,
  SegmentsResponse,
} from "../../server/src/apiResults.js";

export type {
  AnomaliesResponse,
  AnomalyRowResult,
  BoxStats,
  EvaluateResponse,
  ProjectionMethod,
  ProjectionResponse,
  SegmentResult,
  SegmentsResponse,
} from "../../server/src/apiResults.js";

export const resultsApi = {
  projection: (body: ProjectionRequest, signal?: AbortSignal) =>
    postJson<ProjectionResponse>("/api/projection", body, signal),
  segments: (body: SegmentsRequest, signal?: AbortSignal) => postJson<SegmentsResponse>("/api/segments", body, signal),
  evaluate: (body: EvaluateRequest, signal?: AbortSignal) => postJson<EvaluateResponse>("/api/evaluate", body, signal),
  anomalies: (body: AnomaliesRequest, signal?: AbortSignal) =>
    postJson<AnomaliesResponse>("/api/anomalies", body, signal),
};

// ---------------------------------------------------------------------------------------------
// Saved runs, model comparison and export (server: runsRoutes.ts, types in apiRuns.ts).

import type {
  CompareRequest,
  CompareResult,
  RunComparison,
  RunDeleted,
  RunDetail,
  RunLabels,
  RunList,
  RunListQuery,
  RunPatch,
  RunSummary,
} from "../../server/src/apiRuns.js";

export type {
  CompareRequest,
  CompareResult,
  CompareRowResult,
  RunComparison,
  RunDetail,
  RunList,
  RunSettings,
  RunSummary,
} from "../../server/src/apiRuns.js";

/** The files a run can be downloaded as (`GET /api/runs/:id/<file>`). */
export type RunFile = "labelled.csv" | "labelled.parquet" | "model.json" | "spec.json" | "report.html";

export const runsApi = {
  list: (query: RunListQuery = {}) => {
    const params = new URLSearchParams();
    if (query.dataset !== undefined) params.set("dataset", query.dataset);
    if (query.pinned !== undefined) params.set("pinned", String(query.pinned));
    if (query.limit !== undefined) params.set("limit", String(query.limit));
    if (query.offset !== undefined) params.set("offset", String(query.offset));
    const qs = params.toString();
    return request<RunList>("GET", `/api/runs${qs ? `?${qs}` : ""}`);
  },
  get: (id: string) => request<RunDetail>("GET", `/api/runs/${encodeURIComponent(id)}`),
  labels: (id: string) => request<RunLabels>("GET", `/api/runs/${encodeURIComponent(id)}/labels`),
  patch: (id: string, patch: RunPatch) =>
    request<RunSummary>("PATCH", `/api/runs/${encodeURIComponent(id)}`, JSON.stringify(patch), "application/json"),
  remove: (id: string) => request<RunDeleted>("DELETE", `/api/runs/${encodeURIComponent(id)}`),
  compareRuns: (a: string, b: string) =>
    request<RunComparison>("GET", `/api/runs/compare?a=${encodeURIComponent(a)}&b=${encodeURIComponent(b)}`),
  compareModels: (body: CompareRequest, signal?: AbortSignal) => postJson<CompareResult>("/api/compare", body, signal),
  /** Address of one of a run's files (with the token, so a plain link can download it). */
  fileUrl: (id: string, file: RunFile) => {
    const token = apiToken();
    return `/api/runs/${encodeURIComponent(id)}/${file}${token ? `?token=${encodeURIComponent(token)}` : ""}`;
  },
};

// --- Workflow pages (image, documents, customers, social, anomalies): `/api/workflows/...` ---------

export type {
  AnomalyMethod,
  AnomalyRequest,
  AnomalyResult,
  AnomalyRow,
  ImagePaletteEntry,
  ImageSegmentRequest,
  ImageSegmentResult,
  ImageSpace,
  RfmRequest,
  RfmResult,
  SocialGroupRow,
  SocialRequest,
  SocialResult,
  TextAlgorithmName,
  TextClusterRequest,
  TextClusterResult,
  TextClusterSummary,
  WorkflowColumn,
  WorkflowImage,
  WorkflowSample,
  WorkflowSampleList,
} from "../../server/src/apiWorkflows.js";

/** An API address with the token (for <img src> and download links, which send no header). */
export function withToken(url: string): string {
  const token = apiToken();
  return token ? `${url}${url.includes("?") ? "&" : "?"}token=${encodeURIComponent(token)}` : url;
}

export const workflowApi = {
  samples: () => request<Workflows.WorkflowSampleList>("GET", "/api/workflows/samples"),
  /** Images uploaded earlier (kept in the data directory). */
  images: () => request<{ images: Workflows.WorkflowImage[] }>("GET", "/api/workflows/images"),
  uploadImage: (file: File) =>
    request<Workflows.WorkflowImage>(
      "POST",
      `/api/workflows/images?name=${encodeURIComponent(file.name)}`,
      file,
      "application/octet-stream",
    ),
  segmentImage: (body: Workflows.ImageSegmentRequest, signal?: AbortSignal) =>
    postJson<Workflows.ImageSegmentResult>("/api/workflows/image", body, signal),
  text: (body: Workflows.TextClusterRequest, signal?: AbortSignal) =>
    postJson<Workflows.TextClusterResult>("/api/workflows/text", body, signal),
  rfm: (body: Workflows.RfmRequest, signal?: AbortSignal) =>
    postJson<Workflows.RfmResult>("/api/workflows/rfm", body, signal),
  social: (body: Workflows.SocialRequest, signal?: AbortSignal) =>
    postJson<Workflows.SocialResult>("/api/workflows/social", body, signal),
  anomalies: (body: Workflows.AnomalyRequest, signal?: AbortSignal) =>
    postJson<Workflows.AnomalyResult>("/api/workflows/anomalies", body, signal),
  /** Download address of an RFM run's per-customer table. */
  rfmCsvUrl: (resultId: string) => withToken(`/api/workflows/rfm/${encodeURIComponent(resultId)}/customers.csv`),
};

// ---------------------------------------------------------------------------------------------
// Data page and preprocessing: the profile of a dataset, the before/after preview (apiData.ts).

import type { Scaling as ScalingName } from "../../server/src/api.js";
import type {
  ColumnRoleName,
  DatasetProfileResult,
  PreprocessPreviewResult,
  PreprocessRequest,
} from "../../server/src/apiData.js";

export type {
  CategoricalImputationName,
  ColumnRoleName,
  DatasetProfileResult,
  DistributionSummary,
  EncodingName,
  NumericImputationName,
  PcaRequest,
  PreprocessPreviewFeature,
  PreprocessPreviewResult,
  PreprocessRequest,
  ProfileColumn,
  ProfileCorrelation,
  TransformName,
} from "../../server/src/apiData.js";

export { EDITABLE_ROLES } from "../../server/src/apiData.js";

export const dataApi = {
  /** `GET /api/datasets/:id/profile`, with the roles the user set (only those). */
  profile: (id: string, roles: Record<string, ColumnRoleName> = {}, signal?: AbortSignal) => {
    const query = Object.keys(roles).length > 0 ? `?roles=${encodeURIComponent(JSON.stringify(roles))}` : "";
    return request<DatasetProfileResult>(
      "GET",
      `/api/datasets/${encodeURIComponent(id)}/profile${query}`,
      undefined,
      undefined,
      signal,
    );
  },
  /** `POST /api/preprocess/preview`: the numeric features before and after preprocessing. */
  preview: (
    body: { dataset: string; columns: string[]; scaling: ScalingName; preprocess?: PreprocessRequest; jobId?: string },
    signal?: AbortSignal,
  ) => postJson<PreprocessPreviewResult>("/api/preprocess/preview", body, signal),
};

import type { GapSweepRequest, GapSweepResult } from "../../server/src/apiGap.js";

export type { GapSweepRequest, GapSweepResult } from "../../server/src/apiGap.js";

export const gapApi = {
  /** `POST /api/sweep/gap`: the gap statistic and the bootstrap stability of k-means for each k. */
  gapSweep: (body: GapSweepRequest, signal?: AbortSignal) => postJson<GapSweepResult>("/api/sweep/gap", body, signal),
};
