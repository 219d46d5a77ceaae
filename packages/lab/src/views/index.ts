// Barrel for the chart inputs computed from a clustering (shared by lab's plotModel and the server's views).

export * from "./boxStats.js";
export * from "./clusterProfile.js";
export * from "./condensedTreeView.js";
export * from "./dendrogramView.js";
export * from "./distanceKnee.js";
export * from "./embedRows.js";
export * from "./projectionView.js";
export * from "./reachabilityView.js";
export * from "./rowSample.js";
export * from "./silhouettePlot.js";
