import { clusterColor, clusterName, largestClusters } from "./colors.js";
import { wrapLabel } from "./labels.js";
import { profileFigure } from "./profile.js";
import type { ProfileResult } from "./results.js";
import type { Figure } from "./theme.js";

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * The profile heatmap of the Cluster page (standardised feature means per cluster, `profileFigure`)
 * with each row named after its segment: "■ High income, low spending (1,234)".
 */
export function segmentProfileFigure(
  p: ProfileResult,
  sizes: number[],
  names: ReadonlyMap<number, string>,
  highlight: number | null = null,
): Figure {
  const fig = profileFigure(p, sizes, { highlight });
  const rows = largestClusters(sizes.length === p.z.length ? sizes : p.z.map(() => 1));
  const labels = rows.map(
    (c) =>
      `<span style="color:${clusterColor(c)}">■</span> ${wrapLabel(`${escapeHtml(names.get(c) ?? clusterName(c))} (${(sizes[c] ?? 0).toLocaleString("en-US")})`, 26)}`,
  );
  return { ...fig, data: fig.data.map((t, i) => (i === 0 ? { ...t, y: labels } : t)) };
}
