// Barrel for the hierarchy area: one export line per public file (internal/ is private).
export * from "./agglomerativeClustering.js";
export * from "./cophenet.js";
export * from "./cutTree.js";
export * from "./dendrogramLayout.js";
export * from "./fcluster.js";
export * from "./inconsistent.js";
export * from "./leavesList.js";
export * from "./linkage.js";
export * from "./linkageMatrix.js";
export * from "./optimalLeafOrdering.js";
