// Barrel for the analysis spec: one export line per file.
export * from "./analysisSpec.js";
export * from "./normalizeSpec.js";
export * from "./specError.js";
export * from "./specFromClusterFlags.js";
export * from "./validateSpec.js";
