/**
 * The Data page's profile of a dataset: `@clusterlab/lab`'s `profileTable` (column roles with the
 * user's, missing values, distributions, correlations, the Hopkins statistic, a PCA preview), run
 * in a worker thread by `GET /api/datasets/:id/profile`.
 */
import { type ColumnRole, type DatasetProfile, profileTable, type Table } from "@clusterlab/lab";
import type { ColumnRoleName, DatasetProfileResult } from "./apiData.js";

/** A worker task: the table and the roles the user set. */
export interface ProfileJob {
  table: Table;
  roles: Record<string, ColumnRoleName>;
  seed: number;
}

export type ProfileOutput = Omit<DatasetProfileResult, "dataset" | "seconds">;

/**
 * Profiles the table with the user's roles. `ignored` is not a role of `@clusterlab/lab`: the
 * column is profiled as a non-feature (as a `text` column when it holds text, else as an
 * `identifier`), then reported as `ignored`, set by the user.
 */
export function runProfileJob(job: ProfileJob): ProfileOutput {
  const { table, roles, seed } = job;
  const labRoles: Record<string, ColumnRole> = {};
  const kinds = new Map(table.columns.map((c) => [c.name, c.kind]));
  for (const [name, role] of Object.entries(roles)) {
    if (role === "ignored") labRoles[name] = kinds.get(name) === "string" ? "text" : "identifier";
    else labRoles[name] = role;
  }
  const profile: DatasetProfile = profileTable(table, { roles: labRoles, seed });
  // lab's shapes must fit the API's (a compile-time check that they have not drifted apart).
  const columns: ProfileOutput["columns"] = profile.columns.map((c) =>
    roles[c.name] === "ignored"
      ? { ...c, role: "ignored", reason: `set by the user (inferred: ${c.inferredRole})` }
      : c,
  );
  return {
    nRows: profile.nRows,
    nColumns: profile.nColumns,
    seed: profile.seed,
    columns,
    features: profile.features,
    target: profile.target,
    missing: profile.missing,
    correlation: profile.correlation,
    hopkins: profile.hopkins,
    pca: profile.pca,
    notes: profile.notes,
  };
}
