import { useState } from "react";
import { type Algorithm, type RunFile, runsApi } from "../api.js";

interface ExportLinksProps {
  /** The run shown (null while a new one is computed). */
  runId: string | null;
  algorithm: Algorithm | null;
  /** The dataset's name without extension, for the file names. */
  baseName: string;
  onError: (message: string) => void;
}

const FILES: { file: RunFile; label: string; suffix: string; title: string }[] = [
  {
    file: "labelled.parquet",
    label: "Parquet",
    suffix: "-clusters.parquet",
    title: "Every row plus the cluster column, as Parquet",
  },
  {
    file: "model.json",
    label: "Model",
    suffix: "-model.json",
    title: "The fitted pipeline (clusterlab predict --model)",
  },
  { file: "spec.json", label: "Spec", suffix: "-spec.json", title: "The analysis spec (clusterlab run spec.json)" },
  {
    file: "report.html",
    label: "Report",
    suffix: "-report.html",
    title: "A standalone HTML report that opens without network",
  },
];

/**
 * The Cluster page's other exports of the current run, beside "Download labelled CSV": labelled
 * Parquet, model JSON, analysis spec, HTML report, and a pin that keeps the run in the saved runs.
 */
export function ExportLinks({ runId, algorithm, baseName, onError }: ExportLinksProps) {
  // The run pinned from here (a new run starts unpinned).
  const [pinnedId, setPinnedId] = useState<string | null>(null);
  const pinned = runId !== null && pinnedId === runId;
  const [pinning, setPinning] = useState(false);

  const togglePin = () => {
    if (!runId) return;
    setPinning(true);
    runsApi
      .patch(runId, { pinned: !pinned })
      .then((r) => setPinnedId(r.pinned ? r.id : null))
      .catch((e: unknown) => onError(e instanceof Error ? e.message : String(e)))
      .finally(() => setPinning(false));
  };

  return (
    <div className="runs-export" data-testid="export-links">
      <div className="runs-export-grid">
        {FILES.map(({ file, label, suffix, title }) => {
          // Every algorithm has its report (DBSCAN, OPTICS, HDBSCAN with their noise and their own charts).
          const disabled = runId === null;
          const hint = title;
          return disabled ? (
            <span key={file} className="runs-export-link disabled" aria-disabled="true" title={hint}>
              {label}
            </span>
          ) : (
            <a
              key={file}
              className="runs-export-link"
              href={runsApi.fileUrl(runId, file)}
              download={`${baseName}${file === "model.json" || file === "spec.json" ? `-${algorithm}` : ""}${suffix}`}
              title={title}
              data-testid={`export-${file.replace(".", "-")}`}
            >
              {label}
            </a>
          );
        })}
      </div>
      <button
        type="button"
        className={`runs-pin${pinned ? " on" : ""}`}
        disabled={runId === null || pinning}
        onClick={togglePin}
        data-testid="pin-run"
        title="Pinned runs stay on the Runs page until deleted; others are the latest 50 per dataset"
      >
        {pinned ? "★ Pinned in Runs" : "☆ Pin this run"}
      </button>
    </div>
  );
}
