import { clusterColor, clusterName, NEUTRAL_COLOR, withAlpha } from "./colors.js";
import type { ContingencyTable } from "./results.js";
import { baseLayout, type Figure } from "./theme.js";

/**
 * The assignment of columns to rows with the largest total weight (Kuhn-Munkres / Hungarian
 * method, O(n^3) on the square padded matrix): `match[j]` is the row given to column j, or -1 when
 * there are more columns than rows and j got none. Each row goes to at most one column.
 */
export function maxWeightMatching(weights: readonly (readonly number[])[]): number[] {
  const nRows = weights.length;
  const nCols = nRows > 0 ? weights[0].length : 0;
  const n = Math.max(nRows, nCols);
  if (n === 0) return [];
  let max = 0;
  for (const row of weights) for (const w of row) max = Math.max(max, w);
  // Minimise cost = max - weight on an n x n matrix (padding cells cost max: weight 0).
  const cost = (i: number, j: number) => max - (i < nRows && j < nCols ? weights[i][j] : 0);
  // 1-based arrays of the classic shortest-augmenting-path formulation.
  const u = new Float64Array(n + 1);
  const v = new Float64Array(n + 1);
  const p = new Int32Array(n + 1); // p[j]: row matched to column j
  const way = new Int32Array(n + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    const minv = new Float64Array(n + 1).fill(Number.POSITIVE_INFINITY);
    const used = new Uint8Array(n + 1);
    do {
      used[j0] = 1;
      const i0 = p[j0];
      let delta = Number.POSITIVE_INFINITY;
      let j1 = 0;
      for (let j = 1; j <= n; j++) {
        if (used[j]) continue;
        const cur = cost(i0 - 1, j - 1) - u[i0] - v[j];
        if (cur < minv[j]) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j] < delta) {
          delta = minv[j];
          j1 = j;
        }
      }
      for (let j = 0; j <= n; j++) {
        if (used[j]) {
          u[p[j]] += delta;
          v[j] -= delta;
        } else minv[j] -= delta;
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0];
      p[j0] = p[j1];
      j0 = j1;
    } while (j0 !== 0);
  }
  const match = new Array<number>(nCols).fill(-1);
  for (let j = 1; j <= nCols; j++) if (p[j] >= 1 && p[j] <= nRows) match[j - 1] = p[j] - 1;
  return match;
}

/**
 * The colour index of each cluster of run b: the label of the cluster of run a it overlaps most
 * under a one-to-one matching of the contingency table (noise excluded), so that corresponding
 * clusters share a colour; a cluster of b left without a partner (b has more clusters) gets a
 * colour index no cluster of a uses. Noise (-1) stays -1.
 */
export function matchedColors(comparison: ContingencyTable): number[] {
  const { labelsA, labelsB, counts } = comparison;
  const rows = labelsA.map((l, i) => [l, i] as const).filter(([l]) => l >= 0);
  const cols = labelsB.map((l, j) => [l, j] as const).filter(([l]) => l >= 0);
  const weights = rows.map(([, i]) => cols.map(([, j]) => counts[i][j]));
  const match = maxWeightMatching(weights);
  const out = labelsB.map((l) => (l < 0 ? -1 : Number.NaN));
  const taken = new Set(labelsA.filter((l) => l >= 0));
  cols.forEach(([, j], c) => {
    if (match[c] >= 0 && counts[rows[match[c]][1]][j] > 0) out[j] = rows[match[c]][0];
  });
  for (const l of out) if (l >= 0) taken.add(l);
  let next = 0;
  for (let j = 0; j < out.length; j++) {
    if (!Number.isNaN(out[j])) continue;
    while (taken.has(next)) next++;
    out[j] = next;
    taken.add(next);
  }
  return out;
}

/** Names shown for the two runs (e.g. "K-means, k = 3"). */
export interface SankeyOptions {
  nameA: string;
  nameB: string;
}

/**
 * How the clusters of run a (left) flow into those of run b (right): one node per cluster, one
 * link per non-empty cell of the contingency table, in the colour of its cluster of a. Clusters of
 * b take the colour of the cluster of a they are matched with (`matchedColors`); noise is grey.
 * The right-hand nodes are ordered by their partner on the left, so that matched flows run straight.
 */
export function sankeyFigure(comparison: ContingencyTable, options: SankeyOptions): Figure {
  const { labelsA, labelsB, counts } = comparison;
  const colorsB = matchedColors(comparison);
  const nA = labelsA.length;
  const colorOf = (index: number) => (index < 0 ? NEUTRAL_COLOR : clusterColor(index));
  const rowTotal = counts.map((row) => row.reduce((a, b) => a + b, 0));
  const colTotal = labelsB.map((_, j) => counts.reduce((a, row) => a + row[j], 0));
  const total = rowTotal.reduce((a, b) => a + b, 0) || 1;

  // Vertical order: a's clusters in label order (noise last), b's by their partner's position.
  const orderA = labelsA.map((_, i) => i).sort((x, y) => rank(labelsA[x]) - rank(labelsA[y]));
  const posA = new Map(orderA.map((i, k) => [labelsA[i], k]));
  const orderB = labelsB
    .map((_, j) => j)
    .sort((x, y) => {
      const px = colorsB[x] < 0 ? Number.POSITIVE_INFINITY : (posA.get(colorsB[x]) ?? 1000 + colorsB[x]);
      const py = colorsB[y] < 0 ? Number.POSITIVE_INFINITY : (posA.get(colorsB[y]) ?? 1000 + colorsB[y]);
      return px - py || labelsB[x] - labelsB[y];
    });
  const yOf = (order: number[], totals: number[]) => {
    const gap = 0.04;
    const sum = order.reduce((a, i) => a + totals[i], 0) || 1;
    const free = Math.max(0, 1 - gap * (order.length - 1));
    const ys = new Array<number>(order.length);
    let at = 0;
    order.forEach((i) => {
      const h = (totals[i] / sum) * free;
      ys[i] = Math.min(0.999, Math.max(0.001, at + h / 2));
      at += h + gap;
    });
    return ys;
  };
  const yA = yOf(orderA, rowTotal);
  const yB = yOf(orderB, colTotal);

  const share = (n: number) => `${Math.round((n / total) * 1000) / 10}%`;
  const label = [...labelsA.map((l) => clusterName(l)), ...labelsB.map((l) => clusterName(l))];
  const customdata = [
    ...labelsA.map(
      (l, i) =>
        `${options.nameA}: ${clusterName(l)} · ${rowTotal[i].toLocaleString("en-US")} rows (${share(rowTotal[i])})`,
    ),
    ...labelsB.map(
      (l, j) =>
        `${options.nameB}: ${clusterName(l)} · ${colTotal[j].toLocaleString("en-US")} rows (${share(colTotal[j])})`,
    ),
  ];
  const source: number[] = [];
  const target: number[] = [];
  const value: number[] = [];
  const linkColor: string[] = [];
  const linkText: string[] = [];
  for (let i = 0; i < counts.length; i++) {
    for (let j = 0; j < counts[i].length; j++) {
      const n = counts[i][j];
      if (n <= 0) continue;
      source.push(i);
      target.push(nA + j);
      value.push(n);
      linkColor.push(withAlpha(colorOf(labelsA[i]), 0.42));
      const ofA = rowTotal[i] > 0 ? Math.round((n / rowTotal[i]) * 100) : 0;
      linkText.push(
        `${clusterName(labelsA[i])} → ${clusterName(labelsB[j])}: ${n.toLocaleString("en-US")} rows (${ofA}% of ${clusterName(labelsA[i])})`,
      );
    }
  }
  return {
    data: [
      {
        type: "sankey",
        arrangement: "fixed",
        orientation: "h",
        valueformat: ",d",
        node: {
          pad: 14,
          thickness: 18,
          label,
          color: [...labelsA.map(colorOf), ...colorsB.map(colorOf)],
          line: { color: "#ffffff", width: 1 },
          x: [...labelsA.map(() => 0.001), ...labelsB.map(() => 0.999)],
          y: [...yA, ...yB],
          customdata,
          hovertemplate: "%{customdata}<extra></extra>",
        },
        link: {
          source,
          target,
          value,
          color: linkColor,
          customdata: linkText,
          hovertemplate: "%{customdata}<extra></extra>",
        },
      } as Figure["data"][number],
    ],
    layout: baseLayout({
      margin: { l: 16, r: 16, t: 36, b: 16 },
      annotations: [
        {
          x: 0,
          y: 1.02,
          xref: "paper",
          yref: "paper",
          xanchor: "left",
          yanchor: "bottom",
          text: `<b>${escapeText(options.nameA)}</b>`,
          showarrow: false,
          font: { size: 12, color: "#374151" },
        },
        {
          x: 1,
          y: 1.02,
          xref: "paper",
          yref: "paper",
          xanchor: "right",
          yanchor: "bottom",
          text: `<b>${escapeText(options.nameB)}</b>`,
          showarrow: false,
          font: { size: 12, color: "#374151" },
        },
      ],
    }),
  };
}

/** Noise after the clusters. */
function rank(label: number): number {
  return label < 0 ? Number.MAX_SAFE_INTEGER : label;
}

/** Plotly annotations take HTML: keep user text as text. */
function escapeText(text: string): string {
  return text.replace(/[&<>]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;" })[c] as string);
}
