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
