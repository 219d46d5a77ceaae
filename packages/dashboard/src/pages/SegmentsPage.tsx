import {
  clusterColor,
  clusterName,
  formatMetric,
  formatShort,
  parcoordsFigure,
  radarFigure,
  segmentBoxesFigure,
  segmentProfileFigure,
  stabilityFigure,
} from "@clusterlab/charts";
import { useEffect, useMemo, useState } from "react";
import {
  type AnomaliesResponse,
  type EvaluateResponse,
  resultsApi,
  type SegmentResult,
  type SegmentsResponse,
} from "../api.js";
import { ChartCard } from "../components/ChartCard.js";
import { ALGORITHM_LABELS } from "../components/ControlPanel.js";
import { JobProgress } from "../components/JobProgress.js";
import { Plot } from "../components/Plot.js";
import { featureRequestOf, type JobView, useJob } from "../components/resultsJobs.js";
import { ToggleGroup } from "../components/ToggleGroup.js";
import { preprocessFor } from "../preprocess.js";
import type { PageContext } from "./registry.js";

const pct = (v: number, digits = 1) => `${(v * 100).toFixed(digits)}%`;

/**
 * The segments of the current run explained (generated names, rules, distinguishing features),
 * their profiles (heatmap, radar or parallel coordinates, distributions), the held-out evaluation
 * and stability of the clustering, and the anomalous rows.
 */
export function SegmentsPage(ctx: PageContext) {
  const { result, settings, openCluster } = ctx;
  const [highlight, setHighlight] = useState<number | null>(null);
  const [shape, setShape] = useState<"parcoords" | "radar">("parcoords");
  const [feature, setFeature] = useState(0);
  const [contamination, setContamination] = useState(0.05);
  const [debouncedContamination, setDebouncedContamination] = useState(0.05);

  useEffect(() => {
    const t = setTimeout(() => setDebouncedContamination(contamination), 200);
    return () => clearTimeout(t);
  }, [contamination]);

  const preprocess = preprocessFor(settings, ctx.detail);
  const runId = result?.runId ?? null;
  const segments = useJob<SegmentsResponse>("segments", runId, (jobId, signal) =>
    resultsApi.segments({ ...featureRequestOf(result!, preprocess), runId: result!.runId, jobId }, signal),
  );
  const evaluation = useJob<EvaluateResponse>("evaluate", runId, (jobId, signal) =>
    resultsApi.evaluate(
      {
        ...featureRequestOf(result!, preprocess),
        runId: result!.runId,
        algorithm: result!.algorithm,
        params: result!.params,
        jobId,
      },
      signal,
    ),
  );
  const anomalies = useJob<AnomaliesResponse>(
    "anomalies",
    runId ? `${runId}|${debouncedContamination}` : null,
    (jobId, signal) =>
      resultsApi.anomalies(
        {
          ...featureRequestOf(result!, preprocess),
          runId: result!.runId,
          contamination: debouncedContamination,
          jobId,
        },
        signal,
      ),
  );

  const s = segments.data;
  const names = useMemo(() => new Map((s?.segments ?? []).map((x) => [x.label, x.name])), [s]);
  const heatmap = useMemo(
    () => (result && s ? segmentProfileFigure(result.profile, result.sizes, names, highlight) : null),
    [result, s, names, highlight],
  );
  const shapeFigure = useMemo(() => {
    if (!result || !s) return null;
    return shape === "parcoords"
      ? parcoordsFigure(
          { features: s.features, values: s.sample.values, labels: s.sample.labels },
          { names, highlight },
        )
      : radarFigure(result.profile, result.sizes, { names, highlight });
  }, [result, s, shape, names, highlight]);
  const boxes = useMemo(
    () =>
      s && s.features[feature] !== undefined
        ? segmentBoxesFigure(
            s.features[feature],
            s.boxes[feature],
            s.segments.map((x) => x.label),
            { names, highlight },
          )
        : null,
    [s, feature, names, highlight],
  );
  const stability = useMemo(
    () => (evaluation.data?.stability ? stabilityFigure(evaluation.data.stability, names) : null),
    [evaluation.data, names],
  );

  if (!result) {
    return (
      <div className="rv-page">
        <h1>Segments</h1>
        <div className="banner banner-info" data-testid="segments-empty">
          <span>There is no clustering to explain yet: choose the data and an algorithm on the Cluster page.</span>{" "}
          <button type="button" className="text-button" onClick={() => openCluster()}>
            Open the Cluster page
          </button>
        </div>
      </div>
    );
  }

  const toggle = (c: number | null) => {
    if (c === null || !Number.isInteger(c)) return;
    setHighlight((h) => (h === c ? null : c));
  };
  const dataset = ctx.datasets.find((d) => d.id === result.dataset)?.name ?? result.dataset;
  // Many features: the heatmap and the parallel coordinates take the whole width.
  const many = result.columns.length > 6;

  return (
    <div className="rv-page" data-testid="segments-page">
      <div className="results-header">
        <div>
          <h1>Segments</h1>
          <p className="muted" data-testid="segments-meta">
            {dataset} · {ALGORITHM_LABELS[result.algorithm]}, {result.k} clusters
            {result.nNoise > 0 ? " + noise" : ""} · {result.nRows.toLocaleString("en-US")} rows ·{" "}
            {result.columns.length} features
          </p>
        </div>
        {highlight !== null ? (
          <button type="button" className="chip" onClick={() => setHighlight(null)} title="Show every segment again">
            <i style={{ background: clusterColor(highlight) }} />
            {names.get(highlight) ?? clusterName(highlight)} highlighted <span aria-hidden="true">×</span>
          </button>
        ) : null}
      </div>

      {segments.running ? (
        <JobProgress label="Explaining the segments…" status={segments.status} onCancel={segments.cancel} />
      ) : null}
      {segments.error ? (
        <div className="banner banner-error" role="alert">
          {segments.error}
        </div>
      ) : null}

      {s ? (
        <>
          <section className="rv-segments" data-testid="segment-cards">
            {s.segments.map((seg) => (
              <SegmentCard
                key={seg.label}
                segment={seg}
                lit={highlight === null || highlight === seg.label}
                onClick={() => toggle(seg.label)}
              />
            ))}
          </section>
          <p className="muted rv-footnote">
            Names come from each segment's most distinguishing features; rules from a one-vs-rest decision tree of depth{" "}
            {s.treeDepth}
            {s.treeRows < s.nRows ? ` grown on a sample of ${s.treeRows.toLocaleString("en-US")} rows` : ""}, with their
            precision (share of the rows matching the rule that are in the segment) and recall (share of the segment
            matching it), on every row. Effect: |Cohen's d| of the segment against the other rows.
          </p>
          <div className="grid">
            <ChartCard
              title="Segment profiles"
              subtitle="Feature means per segment, coloured by how far they sit from the overall mean (in standard deviations); click a row to highlight it"
              testId="card-segment-profile"
              wide={many}
            >
              {heatmap ? (
                <Plot
                  figure={heatmap}
                  testId="segment-profile"
                  height={Math.max(300, Math.min(460, 90 + Math.min(result.k, 30) * 34))}
                  onClickPoint={(p) => toggle(typeof p.customdata === "number" ? p.customdata : Number(p.customdata))}
                />
              ) : null}
            </ChartCard>
            <ChartCard
              title={shape === "parcoords" ? "Parallel coordinates" : "Radar per segment"}
              subtitle={
                shape === "parcoords"
                  ? `${s.sample.sampled ? `A seeded sample of ${s.sample.labels.length.toLocaleString("en-US")} rows` : "Every row"}, one line each, coloured by segment; drag along an axis to filter`
                  : "Each segment's feature means in standard deviations from the overall mean (0 = average)"
              }
              testId="card-segment-shape"
              wide={many}
              actions={
                <ToggleGroup
                  label="Chart"
                  value={shape}
                  options={[
                    { value: "parcoords", label: "Parallel", testId: "shape-parcoords" },
                    { value: "radar", label: "Radar", testId: "shape-radar" },
                  ]}
                  onChange={setShape}
                />
              }
            >
              {shapeFigure ? (
                <>
                  <Plot
                    figure={shapeFigure}
                    testId={shape === "parcoords" ? "parcoords" : "radar"}
                    height={shape === "parcoords" ? 340 : 380}
                    onClickPoint={(p) => toggle(typeof p.customdata === "number" ? p.customdata : null)}
                    onLegendClick={(curve) => {
                      const present = result.sizes.map((n, c) => (n > 0 ? c : -1)).filter((c) => c >= 0);
                      toggle(present[curve] ?? null);
                    }}
                  />
                  {shape === "parcoords" ? <SegmentLegend segments={s.segments} onClick={toggle} /> : null}
                </>
              ) : null}
            </ChartCard>
            <ChartCard
              title="Distributions per segment"
              subtitle="Quartiles, median, mean (dashed) and whiskers (1.5 × IQR) of every row of each segment"
              wide
              testId="card-segment-boxes"
              actions={
                <select
                  data-testid="box-feature"
                  value={feature}
                  onChange={(event) => setFeature(Number(event.target.value))}
                >
                  {s.features.map((f, j) => (
                    <option key={f} value={j}>
                      {f}
                    </option>
                  ))}
                </select>
              }
            >
              {boxes ? (
                <Plot
                  figure={boxes}
                  testId="segment-boxes"
                  height={320}
                  onClickPoint={(p) => {
                    const c = Array.isArray(p.customdata) ? p.customdata[0] : p.customdata;
                    toggle(typeof c === "number" ? c : null);
                  }}
                />
              ) : null}
            </ChartCard>
          </div>
        </>
      ) : null}

      <h2 className="rv-section-title">Evaluation</h2>
      <EvaluationSection evaluation={evaluation} stability={stability} />

      <h2 className="rv-section-title">Anomalies</h2>
      <AnomaliesSection
        anomalies={anomalies}
        contamination={contamination}
        onContamination={setContamination}
        names={names}
      />
    </div>
  );
}

function SegmentCard({ segment, lit, onClick }: { segment: SegmentResult; lit: boolean; onClick: () => void }) {
  const colour = clusterColor(segment.label);
  const maxEffect = Math.max(1, ...segment.topFeatures.map((f) => f.effect));
  return (
    <article
      className={lit ? "rv-segment" : "rv-segment rv-dim"}
      style={{ borderTopColor: colour }}
      data-testid="segment-card"
    >
      <button type="button" className="rv-segment-head" onClick={onClick} title="Highlight this segment">
        <i style={{ background: colour }} />
        <span className="rv-segment-name" data-testid="segment-name">
          {segment.name}
        </span>
      </button>
      <div className="rv-segment-size">
        {clusterName(segment.label)} · <b>{segment.size.toLocaleString("en-US")}</b> rows ({pct(segment.share)})
      </div>
      <div className="rv-rule" data-testid="segment-rule">
        <code>{segment.rule}</code>
        <span className="rv-rule-scores">
          precision {pct(segment.precision, 0)} · recall {pct(segment.recall, 0)}
          {segment.ruleIsMajority ? "" : " · purest leaf (no majority)"}
        </span>
      </div>
      <ul className="rv-features">
        {segment.topFeatures.slice(0, 4).map((f) => (
          <li key={f.feature} title={f.text}>
            <span className="rv-feature-name">
              <span className={f.direction === "lower" ? "rv-arrow rv-down" : "rv-arrow rv-up"} aria-hidden="true">
                {f.direction === "lower" ? "▼" : f.direction === "higher" ? "▲" : "•"}
              </span>
              {f.feature}
            </span>
            <span className="rv-feature-means">
              {formatShort(f.mean ?? Number.NaN)} vs {formatShort(f.restMean ?? Number.NaN)}
            </span>
            <span className="rv-effect" aria-hidden="true">
              <span style={{ width: `${Math.round((f.effect / maxEffect) * 100)}%`, background: colour }} />
            </span>
            <span className="rv-effect-value">{f.effect.toFixed(1)}</span>
          </li>
        ))}
      </ul>
    </article>
  );
}

function SegmentLegend({ segments, onClick }: { segments: SegmentResult[]; onClick: (c: number) => void }) {
  return (
    <ul className="rv-legend">
      {segments.map((s) => (
        <li key={s.label}>
          <button type="button" className="chip chip-small" onClick={() => onClick(s.label)}>
            <i style={{ background: clusterColor(s.label) }} />
            {s.name}
          </button>
        </li>
      ))}
    </ul>
  );
}

function Metric({ label, value, hint, testId }: { label: string; value: string; hint?: string; testId?: string }) {
  return (
    <div className="metric" data-testid={testId}>
      <div className="metric-label">{label}</div>
      <div className="metric-value">{value}</div>
      {hint ? <div className="metric-hint">{hint}</div> : null}
    </div>
  );
}

function EvaluationSection({
  evaluation,
  stability,
}: {
  evaluation: JobView<EvaluateResponse>;
  stability: ReturnType<typeof stabilityFigure> | null;
}) {
  const e = evaluation.data;
  if (evaluation.running) {
    return (
      <JobProgress
        label="Held-out evaluation and bootstrap stability…"
        status={evaluation.status}
        onCancel={evaluation.cancel}
        testId="evaluation-progress"
      />
    );
  }
  if (evaluation.error) return <div className="banner banner-error">Evaluation: {evaluation.error}</div>;
  if (!e) return null;
  const h = e.heldOut;
  const strength = e.predictionStrength;
  return (
    <div data-testid="evaluation">
      <div className="metrics">
        <Metric
          testId="eval-ari"
          label="Held-out ARI"
          value={h ? formatMetric(h.ari) : "–"}
          hint={h ? `predicted vs refit on ${h.nTest.toLocaleString("en-US")} test rows (1 = same)` : undefined}
        />
        <Metric
          label="Test silhouette"
          value={h ? formatMetric(h.test.silhouette) : "–"}
          hint={h ? `train ${formatMetric(h.train.silhouette)} · higher is better` : undefined}
        />
        <Metric
          label="Test Calinski-Harabasz"
          value={h ? formatMetric(h.test.calinskiHarabasz) : "–"}
          hint={h ? `train ${formatMetric(h.train.calinskiHarabasz)}` : undefined}
        />
        <Metric
          label="Test Davies-Bouldin"
          value={h ? formatMetric(h.test.daviesBouldin) : "–"}
          hint={h ? `train ${formatMetric(h.train.daviesBouldin)} · lower is better` : undefined}
        />
        <Metric
          testId="eval-stability"
          label="Stability (mean Jaccard)"
          value={e.stability ? formatMetric(e.stability.meanJaccard) : "–"}
          hint={e.stability ? `${e.stability.nBootstrap} bootstrap refits · > 0.75 stable` : undefined}
        />
        <Metric
          testId="eval-strength"
          label="Prediction strength"
          value={strength ? formatMetric(strength.value) : "–"}
          hint={
            strength
              ? `k = ${strength.k}, ${strength.folds} folds × ${strength.repeats} · ≥ 0.8 predicts itself`
              : "needs a k"
          }
        />
      </div>
      <div className="grid">
        <ChartCard
          title="Stability per cluster"
          subtitle="Mean Jaccard similarity of each cluster with its best match over bootstrap refits; dashed: 0.6 (dissolves below), 0.75 and 0.85 (Hennig)"
          testId="card-stability"
        >
          {stability ? (
            <Plot figure={stability} testId="stability" height={300} />
          ) : (
            <p className="empty">No stability.</p>
          )}
        </ChartCard>
        <ChartCard
          title="How it was evaluated"
          subtitle={`${e.sampleSize.toLocaleString("en-US")} rows, in ${e.seconds.toFixed(1)} s`}
        >
          <ul className="rv-notes">
            {h ? (
              <li>
                Held out: a seeded {pct(h.testSize, 0)} of the rows ({h.nTest.toLocaleString("en-US")}); the clustering
                was refitted on the other {h.nTrain.toLocaleString("en-US")} and predicted the test rows. Their scores
                are the test column; the ARI compares those predictions with the method refitted on the test rows alone.
              </li>
            ) : null}
            {e.stability ? (
              <li>
                Stability: {e.stability.nBootstrap} times, the rows were drawn with replacement and clustered again;
                each cluster's Jaccard is its overlap with the most similar new cluster.
              </li>
            ) : null}
            {strength ? (
              <li>
                Prediction strength: the share of pairs of test rows clustered together that a model trained on the
                other half also puts together (the worst cluster), averaged over folds.
              </li>
            ) : null}
            {e.notes.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        </ChartCard>
      </div>
    </div>
  );
}

function AnomaliesSection({
  anomalies,
  contamination,
  onContamination,
  names,
}: {
  anomalies: JobView<AnomaliesResponse>;
  contamination: number;
  onContamination: (v: number) => void;
  names: ReadonlyMap<number, string>;
}) {
  const a = anomalies.data;
  return (
    <ChartCard
      title="Anomalous rows"
      subtitle={
        a
          ? `Score: ${a.description}. ${a.nAnomalies.toLocaleString("en-US")} of ${a.nRows.toLocaleString("en-US")} rows flagged (score ≥ ${formatShort(a.threshold)}; median ${formatShort(a.quantiles[2])}). Tick "Anomalies" on the Cluster page's scatter to ring them.`
          : "Rows that fit the run's clusters worst, by the score of its algorithm where it has one"
      }
      wide
      testId="card-anomalies"
      actions={
        <label className="rv-inline rv-slider">
          <span>
            Contamination <b data-testid="contamination-value">{pct(contamination, 1)}</b>
          </span>
          <input
            type="range"
            min={0.005}
            max={0.2}
            step={0.005}
            value={contamination}
            data-testid="contamination-slider"
            onChange={(event) => onContamination(Number(event.target.value))}
          />
        </label>
      }
    >
      {anomalies.error ? <p className="rv-error">{anomalies.error}</p> : null}
      {a ? (
        <div className={anomalies.running ? "rv-table-wrap card-busy" : "rv-table-wrap"}>
          <table className="rv-table" data-testid="anomalies-table">
            <thead>
              <tr>
                <th>#</th>
                <th>Row</th>
                <th>Segment</th>
                <th className="num">Score</th>
                <th>What is unusual (vs its cluster's typical value)</th>
              </tr>
            </thead>
            <tbody>
              {a.top.map((r) => (
                <tr key={r.row}>
                  <td className="num">{r.rank}</td>
                  <td className="num">{r.row}</td>
                  <td>
                    <span className="rv-swatch" style={{ background: clusterColor(r.label) }} />
                    {names.get(r.label) ?? clusterName(r.label)}
                  </td>
                  <td className="num">{formatShort(r.score)}</td>
                  <td>
                    {r.features.map((f) => (
                      <span key={f.feature} className="rv-deviation">
                        {f.feature} <b>{formatShort(f.value)}</b>{" "}
                        <span className="muted">
                          (typical {formatShort(f.typical)}, {f.z > 0 ? "+" : ""}
                          {f.z.toFixed(1)} sd)
                        </span>
                      </span>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {a.nAnomalies > a.top.length ? (
            <p className="muted rv-footnote">
              The {a.top.length} highest scores of the {a.nAnomalies.toLocaleString("en-US")} flagged rows.
            </p>
          ) : null}
        </div>
      ) : anomalies.running ? (
        <JobProgress label="Scoring the rows…" status={anomalies.status} onCancel={anomalies.cancel} />
      ) : null}
    </ChartCard>
  );
}
