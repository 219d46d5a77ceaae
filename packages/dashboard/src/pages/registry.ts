/**
 * The dashboard's pages besides the main "Cluster" page. Each page is one component in this folder;
 * the top bar lists them in this order and the address's hash (`#/segments`) selects one, so a page
 * can be linked to and survives a reload.
 */
import type { ComponentType } from "react";
import type { ClusterResult, DatasetDetail, DatasetSummary } from "../api.js";
import type { Settings } from "../components/ControlPanel.js";
import { AnomaliesPage } from "./AnomaliesPage.js";
import { ComparePage } from "./ComparePage.js";
import { CustomersPage } from "./CustomersPage.js";
import { DataPage } from "./DataPage.js";
import { ImagePage } from "./ImagePage.js";
import { RunsPage } from "./RunsPage.js";
import { SegmentsPage } from "./SegmentsPage.js";
import { SocialPage } from "./SocialPage.js";
import { TextPage } from "./TextPage.js";

/** What the Cluster page knows, handed to every other page. */
export interface PageContext {
  datasets: readonly DatasetSummary[];
  /** The dataset open on the Cluster page (null while it loads). */
  detail: DatasetDetail | null;
  settings: Settings;
  /** The latest clustering result on the Cluster page, or null. */
  result: ClusterResult | null;
  /** Changes the Cluster page's settings without leaving the page (roles, the dataset: the Data page). */
  changeSettings: (patch: Partial<Settings>) => void;
  /** Opens the Cluster page with these settings changed. */
  openCluster: (patch?: Partial<Settings>) => void;
  /** Shows an error banner. */
  onError: (message: string) => void;
}

export interface PageDefinition {
  /** The hash that opens it: `#/<id>`. */
  id: string;
  /** The label in the top bar. */
  label: string;
  component: ComponentType<PageContext>;
}

/** Pages after "Cluster", in top-bar order. Add a page: import it and add one line here. */
export const PAGES: readonly PageDefinition[] = [
  { id: "data", label: "Data", component: DataPage },
  { id: "runs", label: "Runs", component: RunsPage },
  { id: "compare", label: "Compare", component: ComparePage },
  { id: "segments", label: "Segments", component: SegmentsPage },
  { id: "image", label: "Image", component: ImagePage },
  { id: "text", label: "Documents", component: TextPage },
  { id: "customers", label: "Customers", component: CustomersPage },
  { id: "social", label: "Social", component: SocialPage },
  { id: "anomalies", label: "Anomalies", component: AnomaliesPage },
];

/** The page id in a location hash (`#/segments` -> "segments"; anything else -> "cluster"). */
export function pageFromHash(hash: string): string {
  const id = hash.replace(/^#\/?/, "").split(/[/?]/)[0];
  return PAGES.some((p) => p.id === id) ? id : "cluster";
}
