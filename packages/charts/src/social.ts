import { clusterColor } from "./colors.js";
import { wrap } from "./contingency.js";
import { axis, baseLayout, type Figure } from "./theme.js";
import type { SocialGroupRow, SocialResult } from "./workflowTypes.js";

/** Colour of the "all accounts" group in the what-works charts. */
export const ALL_ACCOUNTS_COLOR = "#374151";

/** Levels with fewer posts are left out of the what-works charts (too few to say anything). */
export const MIN_LEVEL_POSTS = 10;

/** The colour of a what-works group: dark grey for all accounts, else the account cluster's colour. */
export function groupColor(group: Pick<SocialGroupRow, "cluster">): string {
  return group.cluster === null ? ALL_ACCOUNTS_COLOR : clusterColor(group.cluster);
}

/** "2.4%" for an engagement rate. */
function ratePct(rate: number): string {
  return `${(rate * 100).toFixed(rate < 0.01 ? 2 : 1)}%`;
}

/**
 * Engagement by account segment: each account cluster's median engagement rate (median over its
 * accounts of their median post rate) as a bar in the cluster's colour, named after the cluster,
 * with the median over all posts as a dashed line.
 */
export function engagementBySegmentFigure(result: Pick<SocialResult, "accounts" | "whatWorks">): Figure {
  const profiles = result.accounts.profiles;
  const overall = result.whatWorks.find((g) => g.cluster === null)?.medianRate ?? null;
  const names = profiles.map((p) => wrap(`${p.cluster} · ${p.name}`, 30));
  const top = Math.max(0.1, ...profiles.map((p) => p.medianRate * 100), (overall ?? 0) * 100) * 1.22;
  return {
    data: [
      {
        type: "bar",
        orientation: "h",
        y: names,
        x: profiles.map((p) => p.medianRate * 100),
        customdata: profiles.map((p) => [p.size, p.posts, p.accounts.slice(0, 6).join(", ")]),
        marker: { color: profiles.map((p) => clusterColor(p.cluster)) },
        text: profiles.map((p) => ratePct(p.medianRate)),
        textposition: "outside",
        cliponaxis: false,
        hovertemplate:
          "<b>%{y}</b><br>median engagement rate %{x:.2f}%<br>%{customdata[0]} accounts, %{customdata[1]} posts<br>%{customdata[2]}<extra></extra>",
      },
    ],
    layout: baseLayout({
      margin: { l: 200, r: 32, t: 24, b: 44 },
      xaxis: axis("Median engagement rate (%)", { rangemode: "tozero", range: [0, top] }),
      yaxis: axis("", { autorange: "reversed", type: "category" }),
      shapes:
        overall === null
          ? []
          : [
              {
                type: "line",
                yref: "paper",
                y0: 0,
                y1: 1,
                x0: overall * 100,
                x1: overall * 100,
                line: { color: ALL_ACCOUNTS_COLOR, dash: "dash", width: 1.5 },
              },
            ],
      annotations:
        overall === null
          ? []
          : [
              {
                yref: "paper",
                y: 1,
                yanchor: "bottom",
                x: overall * 100,
                xanchor: "left",
                text: `all posts ${ratePct(overall)}`,
                showarrow: false,
                font: { size: 11, color: ALL_ACCOUNTS_COLOR },
              },
            ],
      bargap: 0.3,
    }),
  };
}

/**
 * What works along one post attribute: the lift (median of each post's rate over its own account's
 * median; 1 = typical) of each level, one trace per group (all accounts, then each account cluster),
 * as grouped bars (`"bar"`, for post types) or lines (`"line"`, for hours and weekdays). Levels
 * with fewer than `MIN_LEVEL_POSTS` posts in a group are left out; the dotted line marks 1.
 */
export function liftFigure(
  groups: readonly SocialGroupRow[],
  dimension: string,
  kind: "bar" | "line",
  order?: readonly string[],
): Figure {
  const levelsOf = (g: SocialGroupRow) =>
    (g.dimensions.find((d) => d.dimension === dimension)?.levels ?? []).filter((l) => l.posts >= MIN_LEVEL_POSTS);
  const categories = order ?? [
    ...new Set(
      groups.flatMap((g) => (g.dimensions.find((d) => d.dimension === dimension)?.levels ?? []).map((l) => l.value)),
    ),
  ];
  const data: Figure["data"] = groups.map((g) => {
    const levels = levelsOf(g);
    const byValue = new Map(levels.map((l) => [l.value, l]));
    const shown = categories.filter((c) => byValue.has(c));
    const color = groupColor(g);
    const common = {
      name: g.group,
      x: kind === "line" ? categories.map((c) => c) : shown,
      y: kind === "line" ? categories.map((c) => byValue.get(c)?.lift ?? null) : shown.map((c) => byValue.get(c)!.lift),
      customdata: (kind === "line" ? categories : shown).map((c) => [
        byValue.get(c)?.posts ?? 0,
        (byValue.get(c)?.medianRate ?? 0) * 100,
      ]),
      hovertemplate: `<b>${g.group}</b> · %{x}<br>lift %{y:.2f}x · %{customdata[0]} posts<br>median rate %{customdata[1]:.2f}%<extra></extra>`,
    };
    return kind === "bar"
      ? { ...common, type: "bar" as const, marker: { color } }
      : {
          ...common,
          type: "scatter" as const,
          mode: "lines+markers" as const,
          connectgaps: false,
          line: { color, width: g.cluster === null ? 3 : 1.8 },
          marker: { color, size: g.cluster === null ? 6 : 4 },
        };
  });
  return {
    data,
    layout: baseLayout({
      showlegend: true,
      legend: { orientation: "h", y: -0.22, x: 0, font: { size: 11 } },
      margin: { l: 56, r: 12, t: 8, b: 80 },
      xaxis: axis("", {
        type: "category",
        categoryorder: "array",
        categoryarray: [...categories],
        tickangle: 0,
        ...(categories.length > 12 && { dtick: 3 }),
      }),
      yaxis: axis("Lift (× typical post)", kind === "bar" ? { rangemode: "tozero" } : {}),
      barmode: "group",
      bargap: 0.2,
      shapes: [
        {
          type: "line",
          xref: "paper",
          x0: 0,
          x1: 1,
          y0: 1,
          y1: 1,
          line: { color: "#9ca3af", dash: "dot", width: 1 },
        },
      ],
    }),
  };
}

/** Post clusters: each one's lift as a bar (above 1 = better than the account's typical post), named. */
export function postClustersFigure(posts: SocialResult["posts"]): Figure {
  const profiles = posts.profiles;
  return {
    data: [
      {
        type: "bar",
        orientation: "h",
        y: profiles.map((p) => wrap(`${p.cluster} · ${p.name}`, 30)),
        x: profiles.map((p) => p.lift),
        customdata: profiles.map((p) => [p.size, p.medianRate * 100, p.peakHour]),
        marker: { color: profiles.map((p) => clusterColor(p.cluster)) },
        text: profiles.map((p) => `${p.lift.toFixed(2)}x`),
        textposition: "outside",
        cliponaxis: false,
        hovertemplate:
          "<b>%{y}</b><br>lift %{x:.2f}x · %{customdata[0]} posts<br>median rate %{customdata[1]:.2f}% · peak hour %{customdata[2]} h<extra></extra>",
      },
    ],
    layout: baseLayout({
      margin: { l: 200, r: 32, t: 8, b: 40 },
      xaxis: axis("Lift (× typical post)", {
        rangemode: "tozero",
        range: [0, Math.max(1.2, ...profiles.map((p) => p.lift)) * 1.2],
      }),
      yaxis: axis("", { autorange: "reversed", type: "category" }),
      shapes: [
        { type: "line", yref: "paper", y0: 0, y1: 1, x0: 1, x1: 1, line: { color: "#9ca3af", dash: "dot", width: 1 } },
      ],
      bargap: 0.3,
    }),
  };
}
