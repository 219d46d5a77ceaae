/**
 * Request and answer shapes of `POST /api/sweep/gap` (the gap statistic and the bootstrap
 * stability of k-means for each k). Types only: the dashboard imports this file.
 */
import type { FeatureRequest } from "./api.js";

export type { GapSweepResult } from "@clusterlab/charts";

/** Body of `POST /api/sweep/gap`: the features (as `POST /api/sweep`) and the k range. */
export interface GapSweepRequest extends FeatureRequest {
  /** Smallest k (>= 1; k = 1 lets the gap statistic say "no clusters"). Default 1. */
  kMin?: number;
  /** Largest k (<= 20). Default 12 (lowered to the number of rows used - 1). */
  kMax?: number;
  /** Reference data sets of the gap statistic (2 to 50). Default 10. */
  b?: number;
  /** Bootstrap replicates per k (1 to 50). Default 10. */
  nBootstrap?: number;
}
