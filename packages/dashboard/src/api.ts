/**
 * The dashboard's client of Clusterlab's JSON API. The request and answer shapes are the server's
 * own (`packages/server/src/api.ts`, types only), so the two cannot drift apart.
 */
import type {
  ApiError,
  ClusterRequest,
  ClusterResult,
  DatasetDetail,
  DatasetList,
  ServerConfig,
  SweepRequest,
  SweepResult,
  UploadResult,
} from "../../server/src/api.js";

export type {
  Algorithm,
  ClusterRequest,
  ClusterResult,
  ColumnInfo,
  CovarianceTypeName,
  DatasetDetail,
  DatasetSummary,
  DendrogramResult,
  Linkage,
  ProfileResult,
  ProjectionResult,
  Scaling,
  ServerConfig,
  SilhouettePlotResult,
  SweepResult,
} from "../../server/src/api.js";

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
  /** Address of a run's labelled CSV (with the token, so a plain link can download it). */
  labelledCsvUrl: (runId: string) => {
    const token = apiToken();
    return `/api/runs/${encodeURIComponent(runId)}/labelled.csv${token ? `?token=${encodeURIComponent(token)}` : ""}`;
  },
};
