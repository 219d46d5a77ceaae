/**
 * The dashboard's pages besides the main "Cluster" page. Each page is one component in this folder;
 * the top bar lists them in this order and the address's hash (`#/segments`) selects one, so a page
 * can be linked to and survives a reload.
 */
import type { ComponentType } from "react";
import type { ClusterResult, DatasetDetail, DatasetSummary } from "../api.js";
import type { Settings } from "../components/ControlPanel.js";

/** What the Cluster page knows, handed to every other page. */
export interface PageContext {
  datasets: readonly DatasetSummary[];
  /** The dataset open on the Cluster page (null while it loads). */
  detail: DatasetDetail | null;
  settings: Settings;
  /** The latest clustering result on the Cluster page, or null. */
  result: ClusterResult | null;
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
export const PAGES: readonly PageDefinition[] = [];

/** The page id in a location hash (`#/segments` -> "segments"; anything else -> "cluster"). */
export function pageFromHash(hash: string): string {
  const id = hash.replace(/^#\/?/, "").split(/[/?]/)[0];
  return PAGES.some((p) => p.id === id) ? id : "cluster";
}
