// Barrel for the cluster area: one export line per file.

export * from "./affinityPropagation.js";
export * from "./birch.js";
export * from "./bisectingKMeans.js";
export * from "./estimateBandwidth.js";
export * from "./kMeans.js";
export * from "./kMedoids.js";
export * from "./kmeansPlusPlusInit.js";
export * from "./meanShift.js";
export * from "./miniBatchKMeans.js";
export * from "./spectralClustering.js";
export * from "./spectralEmbedding.js";
