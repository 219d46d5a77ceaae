/**
 * The Data page: the dataset open on the Cluster page, described before any clustering. The
 * column summary (type, role, missing and distinct values, statistics) with each role editable (the
 * roles decide the features the Cluster page offers), missing values, each column's distribution,
 * the correlation heatmap, the Hopkins statistic, each numeric feature before and after the
 * preprocessing chosen on the Cluster page, and the first rows.
 */

import {
  beforeAfterFigure,
  beforeAfterHeight,
  correlationFigure,
  distributionsFigure,
  distributionsHeight,
  hasDistribution,
  MAX_DISTRIBUTIONS,
  missingFigure,
  short,
} from "@clusterlab/charts";
import { useEffect, useMemo, useState } from "react";
import {
  type ColumnRoleName,
  dataApi,
  EDITABLE_ROLES,
  newJobId,
  type PreprocessPreviewResult,
  type ProfileColumn,
} from "../api.js";
import { ChartCard } from "../components/ChartCard.js";
import { DatasetOptions } from "../components/DatasetOptions.js";
import { Plot } from "../components/Plot.js";
import { PreviewTable } from "../components/PreviewTable.js";
import { afterLabel, columnsAfterRole, preprocessFor } from "../preprocess.js";
import { hopkinsReading, useProfile } from "./dataModel.js";
import type { PageContext } from "./registry.js";

const ROLE_LABELS: Record<ColumnRoleName, string> = {
  numeric: "numeric",
  categorical: "categorical",
  datetime: "datetime",
  text: "text",
  identifier: "identifier",
  target: "target",
  constant: "constant",
  ignored: "ignored",
};

/** What the Cluster page does with a column of this role. */
function roleUse(role: ColumnRoleName, numeric: boolean): string {
  switch (role) {
    case "numeric":
      return numeric ? "feature" : "—";
    case "categorical":
      return "feature when encoded";
    case "target":
      return "kept for evaluation";
    default:
      return "not used";
  }
}

/** Whether a column was read as numbers (from the dataset's columns, else from its profile). */
function readAsNumber(c: ProfileColumn, detail: PageContext["detail"]): boolean {
  return detail?.columns.find((d) => d.name === c.name)?.numeric ?? c.numeric !== null;
}

/**
 * The role the Cluster page uses when the user set none: the inferred one, except that a column
 * read as numbers is used as numbers (lab infers small integer codes such as `year` as categorical:
 * that is offered as a suggestion, and setting it makes the column a category).
 */
export function defaultRole(c: ProfileColumn, numeric: boolean): ColumnRoleName {
  return numeric && c.inferredRole === "categorical" ? "numeric" : c.inferredRole;
}

/** The role shown and used: the user's, else the default. */
export function shownRole(c: ProfileColumn, numeric: boolean): ColumnRoleName {
  return c.userSet ? c.role : defaultRole(c, numeric);
}

function statistics(c: ProfileColumn): string {
  if (c.numeric && !c.categories) {
    const n = c.numeric;
    const mean = n.mean === null ? "" : `mean ${short(n.mean)}${n.std === null ? "" : ` ± ${short(n.std)}`} · `;
    return `${mean}median ${short(n.median)} [${short(n.q25)}, ${short(n.q75)}] · ${short(n.min)} to ${short(n.max)}`;
  }
  if (c.categories) {
    const top = c.categories.top
      .slice(0, 3)
      .map((t) => `${t.value} ${Math.round(t.share * 100)}%`)
      .join(", ");
    const more = c.categories.top.length + c.categories.otherValues - 3;
    return more > 0 ? `${top}, +${more} more` : top;
  }
  if (c.range) return `${c.range.min} to ${c.range.max}`;
  if (c.lengths) return `${Math.round(c.lengths.mean)} characters on average`;
  return "";
}

/** The card of the Hopkins statistic: the value and its reading. */
function HopkinsCard({
  h,
}: {
  h: { statistic: number; interpretation: string; columns: string[]; rows: number } | null;
}) {
  return (
    <div className="metric data-hopkins" data-testid="hopkins">
      <div className="metric-label">Hopkins statistic</div>
      <div className="metric-value">{h ? h.statistic.toFixed(2) : "—"}</div>
      <div className="metric-hint">{h ? hopkinsReading(h).replace(/^[0-9.]+: /, "") : "needs a numeric feature"}</div>
    </div>
  );
}

export function DataPage(ctx: PageContext) {
  const { datasets, detail, settings, changeSettings, openCluster } = ctx;
  const dataset = settings.dataset;
  const overrides = settings.roles[dataset];
  const { profile, error, loading } = useProfile(dataset, overrides);
  const [preview, setPreview] = useState<{ key: string; data: PreprocessPreviewResult } | null>(null);
  const [previewError, setPreviewError] = useState<string | null>(null);
  const current = datasets.find((d) => d.id === dataset);
  const ready = detail !== null && detail.id === dataset;

  // The numeric features chosen on the Cluster page, before and after their preprocessing.
  const chosenColumns = ready ? settings.columns.filter((n) => detail.columns.some((c) => c.name === n)) : [];
  const preprocess = ready ? preprocessFor(settings, detail) : undefined;
  const previewKey = JSON.stringify([dataset, chosenColumns, settings.scaling, preprocess]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: previewKey stands for every input
  useEffect(() => {
    if (!ready || chosenColumns.length === 0) return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      dataApi
        .preview(
          {
            dataset,
            columns: chosenColumns,
            scaling: settings.scaling,
            preprocess,
            jobId: newJobId("preview"),
          },
          controller.signal,
        )
        .then((data) => {
          setPreview({ key: previewKey, data });
          setPreviewError(null);
        })
        .catch((e: unknown) => {
          if ((e as Error).name !== "AbortError") setPreviewError((e as Error).message);
        });
    }, 150);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [previewKey, ready]);

  const figures = useMemo(() => {
    if (!profile) return null;
    return {
      missing: missingFigure(profile.columns, profile.nRows),
      // Titles give the role the Cluster page uses (year: numeric, though its values are drawn as bars).
      distributions: distributionsFigure(
        profile.columns.map((c) => ({ ...c, role: shownRole(c, readAsNumber(c, detail)) })),
      ),
      distributionsHeight: distributionsHeight(profile.columns),
      correlation: profile.correlation ? correlationFigure(profile.correlation) : null,
    };
  }, [profile, detail]);
  const beforeAfter = useMemo(() => {
    if (!preview) return null;
    const label = afterLabel(settings.preprocess, settings.scaling);
    return {
      figure: beforeAfterFigure(preview.data.features, { afterLabel: label }),
      height: beforeAfterHeight(preview.data.features),
    };
  }, [preview, settings.preprocess, settings.scaling]);

  function setRole(c: ProfileColumn, role: ColumnRoleName) {
    const next = { ...(overrides ?? {}) };
    const numeric = readAsNumber(c, detail);
    if (role === defaultRole(c, numeric)) delete next[c.name];
    else next[c.name] = role;
    // A single target: setting another one returns the old one to its inferred role.
    if (role === "target") {
      for (const other of profile?.columns ?? []) {
        if (other.name !== c.name && next[other.name] === "target") delete next[other.name];
      }
    }
    changeSettings({
      roles: { ...settings.roles, [dataset]: next },
      columns: columnsAfterRole(settings.columns, c.name, role, numeric, settings.preprocess.encoding),
    });
  }

  const roles = (profile?.columns ?? []).map((c) => shownRole(c, readAsNumber(c, detail)));
  const numericFeatures = roles.filter((r) => r === "numeric").length;
  const categoricalFeatures = roles.filter((r) => r === "categorical").length;
  const samples = datasets.filter((d) => d.kind === "sample");
  const uploads = datasets.filter((d) => d.kind === "upload");
  const userSet = Object.keys(overrides ?? {}).length;

  return (
    <div className="data-page" data-testid="data-page">
      <div className="results-header">
        <div>
          <h1>Data: {current?.name ?? "…"}</h1>
          <p className="muted" data-testid="data-meta">
            {profile
              ? `${profile.nRows.toLocaleString("en-US")} rows · ${profile.nColumns} columns · ${numericFeatures} numeric and ${categoricalFeatures} categorical features${profile.target ? ` · target ${profile.target}` : ""}`
              : "Profiling the dataset…"}
          </p>
        </div>
        <div className="data-actions">
          <label className="field data-dataset">
            <span>Dataset</span>
            <select
              data-testid="data-dataset-select"
              value={dataset}
              onChange={(event) => changeSettings({ dataset: event.target.value })}
            >
              <DatasetOptions samples={samples} uploads={uploads} />
            </select>
          </label>
          <button type="button" className="button" data-testid="open-cluster" onClick={() => openCluster()}>
            Cluster these features →
          </button>
        </div>
      </div>

      {error ? (
        <div className="banner banner-error" role="alert">
          {error}
        </div>
      ) : null}

      <div className="metrics">
        <div className="metric">
          <div className="metric-label">Rows</div>
          <div className="metric-value">{profile ? profile.nRows.toLocaleString("en-US") : "—"}</div>
          <div className="metric-hint">
            {profile ? `${profile.missing.rows.toLocaleString("en-US")} with a missing value` : ""}
          </div>
        </div>
        <div className="metric">
          <div className="metric-label">Columns</div>
          <div className="metric-value">{profile ? profile.nColumns : "—"}</div>
          <div className="metric-hint">{profile ? `${profile.features.length} features by role` : ""}</div>
        </div>
        <div className="metric">
          <div className="metric-label">Missing cells</div>
          <div className="metric-value">
            {profile ? `${(profile.missing.cellShare * 100).toFixed(profile.missing.cellShare < 0.1 ? 1 : 0)}%` : "—"}
          </div>
          <div className="metric-hint">{profile ? `${profile.missing.cells.toLocaleString("en-US")} cells` : ""}</div>
        </div>
        <HopkinsCard h={profile?.hopkins ?? null} />
      </div>

      {profile?.hopkins ? (
        <p className="data-reading" data-testid="hopkins-reading">
          <b>Clustering tendency {hopkinsReading(profile.hopkins)}</b>{" "}
          <span className="muted">
            (Hopkins statistic of the standardised numeric features {profile.hopkins.columns.join(", ")} on{" "}
            {profile.hopkins.rows.toLocaleString("en-US")} rows: about 0.5 for random data, towards 1 when rows gather
            in clusters)
          </span>
        </p>
      ) : null}

      <ChartCard
        title="Columns"
        subtitle={
          <>
            The role of each column decides what the Cluster page offers: numeric columns as features, categorical ones
            once an encoding is on, the rest left out.{" "}
            {userSet > 0 ? (
              <button
                type="button"
                className="text-button"
                onClick={() => changeSettings({ roles: { ...settings.roles, [dataset]: {} } })}
              >
                Reset {userSet} role{userSet === 1 ? "" : "s"}
              </button>
            ) : null}
          </>
        }
        wide
        busy={loading && profile !== null}
        testId="card-columns"
      >
        {profile ? (
          <div className="preview data-columns">
            <table data-testid="column-summary">
              <thead>
                <tr>
                  <th>Column</th>
                  <th>Type</th>
                  <th>Role</th>
                  <th>Use</th>
                  <th className="num">Missing</th>
                  <th className="num">Distinct</th>
                  <th>Summary</th>
                  <th className="num" title="Values outside Tukey's fences [Q1 − 1.5 IQR, Q3 + 1.5 IQR]">
                    Outliers
                  </th>
                </tr>
              </thead>
              <tbody>
                {profile.columns.map((c) => {
                  const numeric = readAsNumber(c, detail);
                  const role = shownRole(c, numeric);
                  const suggested = !c.userSet && role !== c.inferredRole ? c.inferredRole : null;
                  return (
                    <tr key={c.name} data-column={c.name}>
                      <td className="data-col-name" title={c.reason}>
                        {c.name}
                      </td>
                      <td className="muted">{c.type}</td>
                      <td>
                        <select
                          className={`role-select role-${role}${c.userSet ? " role-user" : ""}`}
                          data-testid={`role-${c.name}`}
                          value={role}
                          title={c.reason}
                          onChange={(event) => setRole(c, event.target.value as ColumnRoleName)}
                        >
                          {(role === "constant" ? [...EDITABLE_ROLES, "constant" as const] : EDITABLE_ROLES).map(
                            (r) => (
                              <option key={r} value={r} disabled={r === "numeric" && !numeric}>
                                {ROLE_LABELS[r]}
                                {r === c.inferredRole && c.userSet ? " (inferred)" : ""}
                                {r === suggested ? " (suggested)" : ""}
                              </option>
                            ),
                          )}
                        </select>
                      </td>
                      <td className="muted small">
                        {roleUse(role, numeric)}
                        {suggested ? ` · looks ${suggested}` : ""}
                      </td>
                      <td className="num">
                        {c.missing > 0 ? (
                          <span className="data-missing">
                            {c.missing.toLocaleString("en-US")} ({(c.missingShare * 100).toFixed(1)}%)
                          </span>
                        ) : (
                          "0"
                        )}
                      </td>
                      <td className="num">{c.distinct.toLocaleString("en-US")}</td>
                      <td className="data-summary">{statistics(c)}</td>
                      <td className="num">{c.numeric && !c.categories ? c.numeric.outliers : ""}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        ) : (
          <div className="skeleton" style={{ height: 220 }} />
        )}
      </ChartCard>

      <div className="grid">
        <ChartCard
          title="Missing values"
          subtitle={
            profile
              ? `${profile.missing.rows.toLocaleString("en-US")} rows have at least one; ${profile.missing.featureRows.toLocaleString("en-US")} miss a feature (dropped unless imputed)`
              : undefined
          }
          testId="card-missing"
        >
          {figures ? (
            <Plot
              figure={figures.missing}
              testId="missing-chart"
              height={Math.max(200, 26 * (profile?.columns.length ?? 0) + 60)}
            />
          ) : (
            <div className="skeleton" style={{ height: 240 }} />
          )}
        </ChartCard>
        <ChartCard
          title="Correlations"
          subtitle="Pearson's r between the numeric features (pairwise complete rows)"
          testId="card-correlation"
        >
          {figures?.correlation ? (
            <Plot
              figure={figures.correlation}
              testId="correlation-chart"
              height={Math.max(260, Math.min(520, 44 * profile!.correlation!.columns.length + 90))}
            />
          ) : figures ? (
            <p className="empty">Needs two numeric features.</p>
          ) : (
            <div className="skeleton" style={{ height: 240 }} />
          )}
        </ChartCard>
      </div>

      <ChartCard
        title="Distributions"
        subtitle={`Histograms of the numbers, the most frequent values of the categories${
          profile && profile.columns.filter(hasDistribution).length > MAX_DISTRIBUTIONS
            ? ` (the first ${MAX_DISTRIBUTIONS} of ${profile.columns.filter(hasDistribution).length} columns)`
            : ""
        }`}
        wide
        testId="card-distributions"
      >
        {figures ? (
          <Plot figure={figures.distributions} testId="distributions-chart" height={figures.distributionsHeight} lazy />
        ) : (
          <div className="skeleton" style={{ height: 320 }} />
        )}
      </ChartCard>

      <div className="data-gap" />
      <ChartCard
        title="Preprocessing: before and after"
        subtitle={
          preview && chosenColumns.length > 0 ? (
            <>
              The numeric features chosen on the Cluster page, raw and as the clusterer sees them (
              {afterLabel(settings.preprocess, settings.scaling)}): {preview.data.nRows.toLocaleString("en-US")} of{" "}
              {preview.data.nRowsTotal.toLocaleString("en-US")} rows used
              {preview.data.rowsDropped > 0 ? `, ${preview.data.rowsDropped} dropped for missing values` : ""}
              {preview.data.outliersRemoved > 0 ? `, ${preview.data.outliersRemoved} removed as outliers` : ""}
              {preview.data.pcaComponents !== null
                ? `; then PCA keeps ${preview.data.pcaComponents} components (${Math.round((preview.data.pcaExplained ?? 0) * 100)}% of the variance)`
                : ""}
              . <a href="#/cluster">Change the preprocessing</a>
            </>
          ) : (
            "Choose numeric features on the Cluster page to see them before and after preprocessing"
          )
        }
        wide
        testId="card-before-after"
      >
        {previewError ? <div className="banner banner-error">{previewError}</div> : null}
        {beforeAfter && chosenColumns.length > 0 ? (
          <Plot figure={beforeAfter.figure} testId="before-after-chart" height={beforeAfter.height} lazy />
        ) : chosenColumns.length > 0 ? (
          <div className="skeleton" style={{ height: 260 }} />
        ) : null}
      </ChartCard>

      <div className="data-gap" />
      {ready ? (
        <ChartCard title="First rows" subtitle={`The first ${detail.preview.length} rows of the file`} wide>
          <PreviewTable dataset={detail} />
        </ChartCard>
      ) : null}
      {profile && profile.notes.length > 0 ? (
        <ul className="data-notes muted small">
          {profile.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
