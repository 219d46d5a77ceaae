/**
 * Request and answer shapes of the workflow endpoints (`/api/workflows/...`): image segmentation,
 * documents by topic, customers (RFM), social media and anomalies. Types only (no runtime code), so
 * the dashboard imports them as it imports `api.ts`. The answers the workflow charts draw are
 * defined by @clusterlab/charts and re-exported here.
 */
import type { AnomalyMethod, ImagePaletteEntry, TextAlgorithmName } from "@clusterlab/charts";

export type {
  AnomalyMethod,
  AnomalyQuality,
  AnomalyResult,
  AnomalyRow,
  ImagePaletteEntry,
  RfmClusterRow,
  RfmMeasureSummary,
  RfmResult,
  RfmSegmentRow,
  SocialAccountClusterRow,
  SocialDimensionRow,
  SocialGroupRow,
  SocialLevelRow,
  SocialPostClusterRow,
  SocialResult,
  TextAlgorithmName,
  TextClusterResult,
  TextClusterSummary,
  TextExternalScores,
} from "@clusterlab/charts";

/** The five workflow pages. */
export type WorkflowKind = "image" | "text" | "rfm" | "social" | "anomalies";

export interface WorkflowColumn {
  name: string;
  /** DuckDB type (`VARCHAR`, `DOUBLE`, `DATE`, ...). */
  type: string;
  numeric: boolean;
}

/** A bundled example (examples/data) of one workflow. */
export interface WorkflowSample {
  /** The id to send as `dataset` (or `image`). */
  id: string;
  /** The file name. */
  name: string;
  workflow: WorkflowKind;
  /** One line: what it is and where it comes from. */
  description: string;
  /** Rows of a table; null for an image. */
  nRows: number | null;
  /** Columns of a table; [] for an image. */
  columns: WorkflowColumn[];
  /** Suggested settings for this file (column names, label column). */
  defaults: Record<string, string | string[] | null>;
  /** Pixel size of an image; null for a table. */
  width: number | null;
  height: number | null;
}

/** `GET /api/workflows/samples`. */
export interface WorkflowSampleList {
  samples: WorkflowSample[];
  /** Largest image upload, in MB. */
  maxImageMb: number;
  /** Largest image, in pixels (width x height). */
  maxImagePixels: number;
}

/** Fields shared by every workflow request. */
export interface WorkflowJobFields {
  /** A client-chosen id, to read the progress (`GET /api/jobs/:id`) and to cancel. */
  jobId?: string;
  seed?: number;
}

// --- image -------------------------------------------------------------------------------------

/** `POST /api/workflows/images?name=FILE` (the raw file as the body): an uploaded image. */
export interface WorkflowImage {
  id: string;
  name: string;
  width: number;
  height: number;
  format: "jpeg" | "png" | "webp";
  /** Address of the original as PNG (`GET /api/workflows/images/:id/original.png`). */
  originalUrl: string;
}

export type ImageSpace = "lab" | "rgb";

/** `POST /api/workflows/image`. */
export interface ImageSegmentRequest extends WorkflowJobFields {
  /** A bundled image id (`coffee`) or an uploaded one. */
  image: string;
  k: number;
  space?: ImageSpace;
  /** Weight of the pixel position (0: colour only). Default 0. */
  spatial?: number;
}

export interface ImageSegmentResult {
  image: string;
  width: number;
  height: number;
  /** Clusters found (k may be lowered to the number of distinct colours). */
  k: number;
  space: ImageSpace;
  spatial: number;
  palette: ImagePaletteEntry[];
  /** The segmented image (every pixel its cluster's colour), PNG data URL. */
  segmented: string;
  /** The label mask (pixel value = cluster, 255 = transparent), one-channel PNG data URL. */
  mask: string;
  /** The original with the cluster boundaries drawn, PNG data URL. */
  overlay: string;
  /** Pixels the clusterer was fitted on, of `pixels`. */
  sampleSize: number;
  pixels: number;
  distinctColors: number;
  warnings: string[];
  /** True when this exact segmentation was cached (no refit). */
  cached: boolean;
  /** Seconds of `segmentImage` itself (features, fit, assigning every pixel), in the worker. */
  segmentSeconds: number;
  /** Seconds of the whole request (with the images' encoding and any wait for a worker). */
  seconds: number;
}

// --- documents -----------------------------------------------------------------------------------

/** `POST /api/workflows/text`. */
export interface TextClusterRequest extends WorkflowJobFields {
  dataset: string;
  /** Text columns (joined with a newline when several). */
  textColumns: string[];
  /** Known classes, for external metrics (never used to cluster). */
  labelColumn?: string | null;
  /** Clusters (k-means, agglomerative). Default 8. */
  k?: number;
  algorithm?: TextAlgorithmName;
  /** LSA dimensions (0: none, k-means only). Default 100. */
  lsa?: number;
  /** HDBSCAN's smallest cluster. Default 10. */
  minClusterSize?: number;
}

// --- customers (RFM) -----------------------------------------------------------------------------

/** `POST /api/workflows/rfm`. */
export interface RfmRequest extends WorkflowJobFields {
  dataset: string;
  customerId: string;
  date: string;
  amount: string;
  orderId?: string | null;
  /** YYYY-MM-DD; default the day after the last transaction. */
  asOf?: string | null;
  /** Clusters; null or absent: chosen by a silhouette sweep over 2..8. */
  k?: number | null;
}

// --- social media --------------------------------------------------------------------------------

/** `POST /api/workflows/social`. */
export interface SocialRequest extends WorkflowJobFields {
  dataset: string;
  /** Account clusters; null or absent: chosen by a silhouette sweep. */
  accountK?: number | null;
  /** Post clusters; null or absent: chosen by a silhouette sweep. */
  postK?: number | null;
}

// --- anomalies -----------------------------------------------------------------------------------

/** `POST /api/workflows/anomalies`. */
export interface AnomalyRequest extends WorkflowJobFields {
  dataset: string;
  method: AnomalyMethod;
  /** Feature columns; default every numeric column except the label column. */
  columns?: string[];
  /** Known outliers, for the evaluation (never a feature). */
  labelColumn?: string | null;
  /** The label column's value of an outlier. Default "1". */
  positive?: string;
  /** Share of rows flagged, in (0, 0.5]. Default 0.05. */
  contamination?: number;
  /** k-means / GMM. Default 2. */
  k?: number;
  /** GMM covariance. Default "full". */
  covarianceType?: "full" | "diag" | "spherical" | "tied";
  /** DBSCAN (on standardised features). Default 2.5. */
  eps?: number;
  /** DBSCAN. Default 5. */
  minSamples?: number;
  /** HDBSCAN. Default 5. */
  minClusterSize?: number;
}
