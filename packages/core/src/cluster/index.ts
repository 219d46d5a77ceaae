// Barrel for the cluster area: one export line per file.
export * from "./bisectingKMeans.js";
export * from "./kMeans.js";
export * from "./kmeansPlusPlusInit.js";
export * from "./miniBatchKMeans.js";
