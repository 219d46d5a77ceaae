/**
 * The "Gap and stability" card of the Cluster page (algorithms with a k): `POST /api/sweep/gap`,
 * requested once the k-means sweep has answered (debounced; a settings change cancels it), with its
 * progress while it runs, drawn by `gapFigure`.
 */
import { gapFigure } from "@clusterlab/charts";
import { useEffect, useMemo, useState } from "react";
import { gapApi, type PreprocessRequest } from "../api.js";
import { ChartCard } from "./ChartCard.js";
import { K_MAX, type Settings } from "./ControlPanel.js";
import { JobProgress } from "./JobProgress.js";
import { Plot } from "./Plot.js";
import { useJob } from "./resultsJobs.js";

/** Delay after the sweep answers (or the settings settle) before asking for the gap statistic. */
export const GAP_DEBOUNCE_MS = 400;
/** The k range of the card: k = 1 lets the gap statistic say "no clusters". */
export const GAP_K_MIN = 1;
export const GAP_K_MAX = K_MAX;

interface GapCardProps {
  settings: Settings;
  preprocess: PreprocessRequest | undefined;
  /** The k-means sweep has answered for the current features (and is not being recomputed). */
  sweepReady: boolean;
  /** The current k (shaded), or null. */
  currentK: number | null;
  onChooseK: (k: number) => void;
}

export function GapCard({ settings, preprocess, sweepReady, currentK, onChooseK }: GapCardProps) {
  const { dataset, columns, scaling } = settings;
  const wanted = sweepReady ? JSON.stringify([dataset, columns, scaling, preprocess ?? null]) : null;
  // Debounced: a new key is asked for only once it has stayed the same for a moment; meanwhile the
  // key is null, which cancels the request in flight (useJob aborts it and cancels its job).
  const [key, setKey] = useState<string | null>(null);
  useEffect(() => {
    setKey(null);
    if (wanted === null) return;
    const timer = setTimeout(() => setKey(wanted), GAP_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [wanted]);
  const job = useJob("gap", key, (jobId, signal) =>
    gapApi.gapSweep(
      {
        dataset,
        columns,
        scaling,
        seed: 0,
        ...(preprocess !== undefined && { preprocess }),
        kMin: GAP_K_MIN,
        kMax: GAP_K_MAX,
        jobId,
      },
      signal,
    ),
  );
  const g = job.data;
  const figure = useMemo(() => (g ? gapFigure(g, currentK) : null), [g, currentK]);

  let subtitle: string;
  if (g) {
    const stable =
      g.stableK !== null
        ? `the largest k with every cluster stable (Jaccard ≥ 0.75 over ${g.nBootstrap} bootstrap samples) is ${g.stableK}`
        : `no k keeps every cluster stable (Jaccard ≥ 0.75 over ${g.nBootstrap} bootstrap samples)`;
    const rows = g.sampled
      ? `On a seeded sample of ${g.rowsUsed.toLocaleString("en-US")} of the ${g.nRows.toLocaleString("en-US")} rows`
      : `On all ${g.nRows.toLocaleString("en-US")} rows`;
    subtitle = `${rows}, k-means: the gap (± its standard error, ${g.b} reference sets) chooses k = ${g.k}; ${stable}.`;
  } else if (job.error) {
    subtitle =
      job.error === "Cancelled."
        ? "Cancelled: change a setting to compute it again."
        : "The gap statistic could not be computed.";
  } else {
    subtitle = "The gap statistic and bootstrap stability of k-means, after the k sweep…";
  }

  return (
    <ChartCard title="Gap and stability" subtitle={subtitle} busy={job.running} testId="card-gap">
      {job.running ? (
        <JobProgress
          label="Computing the gap statistic and stability…"
          status={job.status}
          onCancel={job.cancel}
          testId="gap-progress"
        />
      ) : null}
      {job.error ? (
        <p className="empty" data-testid="gap-error">
          {job.error}
        </p>
      ) : figure ? (
        <Plot figure={figure} testId="gap" height={320} priority={1} onClickX={onChooseK} />
      ) : (
        <div className="skeleton" style={{ height: 320 }} />
      )}
    </ChartCard>
  );
}
