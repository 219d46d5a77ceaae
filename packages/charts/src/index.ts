/**
 * @clusterlab/charts: the chart figures of Clusterlab as pure functions from analysis results to
 * Plotly figure JSON (`{ data, layout }`, which `Plotly.newPlot` accepts), shared by the dashboard,
 * the standalone HTML report and lab's `plotModel`. Isomorphic: no DOM, no Node, no runtime
 * dependency (Plotly's types are imported as types only). The result types the figures read are
 * defined here (`results.ts`, `dataTypes.ts`, `workflowTypes.ts`); the server's API re-exports them.
 */
export * from "./anomalyRank.js";
export * from "./beforeAfter.js";
export * from "./bic.js";
export * from "./clustermap.js";
export * from "./colors.js";
export * from "./condensedTree.js";
export * from "./contingency.js";
export * from "./correlation.js";
export * from "./dataTypes.js";
export * from "./dendrogram.js";
export * from "./distributions.js";
export * from "./evaluation.js";
export * from "./format.js";
export * from "./gap.js";
export * from "./labels.js";
export * from "./missing.js";
export * from "./palette.js";
export * from "./parcoords.js";
export * from "./profile.js";
export * from "./radar.js";
export * from "./reachability.js";
export * from "./results.js";
export * from "./rfm.js";
export * from "./sankey.js";
export * from "./scatter.js";
export * from "./scatter3d.js";
export * from "./segmentBoxes.js";
export * from "./segmentProfile.js";
export * from "./selection.js";
export * from "./silhouette.js";
export * from "./sizes.js";
export * from "./smallMultiples.js";
export * from "./social.js";
export * from "./sweep.js";
export * from "./theme.js";
export * from "./topTerms.js";
export * from "./workflowTypes.js";
