/**
 * The Data page's data: the profile of a dataset (fetched once per dataset and roles, shared by
 * the Data page and the Cluster page's panel) and the one-line reading of the Hopkins statistic.
 */
import { useEffect, useState } from "react";
import { type ColumnRoleName, type DatasetProfileResult, dataApi } from "../api.js";

const cache = new Map<string, Promise<DatasetProfileResult>>();

function load(dataset: string, roles: Record<string, ColumnRoleName>): Promise<DatasetProfileResult> {
  const sorted = Object.fromEntries(Object.entries(roles).sort(([a], [b]) => (a < b ? -1 : 1)));
  const key = JSON.stringify([dataset, sorted]);
  let p = cache.get(key);
  if (!p) {
    p = dataApi.profile(dataset, sorted);
    cache.set(key, p);
    p.catch(() => cache.delete(key));
  }
  return p;
}

/** The profile of `dataset` with the user's roles (null while it loads or without a dataset). */
export function useProfile(
  dataset: string,
  roles: Record<string, ColumnRoleName> | undefined,
): { profile: DatasetProfileResult | null; error: string | null; loading: boolean } {
  const [state, setState] = useState<{ key: string; profile: DatasetProfileResult | null; error: string | null }>({
    key: "",
    profile: null,
    error: null,
  });
  const key = JSON.stringify([dataset, roles ?? {}]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: key stands for dataset and roles
  useEffect(() => {
    if (!dataset) return;
    let cancelled = false;
    load(dataset, roles ?? {})
      .then((profile) => !cancelled && setState({ key, profile, error: null }))
      .catch((e: unknown) => !cancelled && setState({ key, profile: null, error: (e as Error).message }));
    return () => {
      cancelled = true;
    };
  }, [key]);
  // The last profile of the same dataset stays shown while the roles' one loads.
  const current = state.profile && state.profile.dataset === dataset ? state.profile : null;
  return { profile: current, error: state.key === key ? state.error : null, loading: state.key !== key };
}

/** "0.82: strong clustering tendency". */
export function hopkinsReading(h: { statistic: number; interpretation: string }): string {
  return `${h.statistic.toFixed(2)}: ${h.interpretation}`;
}
