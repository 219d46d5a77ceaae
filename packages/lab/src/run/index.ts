// Barrel for executing analysis specs: one export line per file.
export * from "./analysisModel.js";
export * from "./buildPreprocessing.js";
export * from "./estimatorFromSpec.js";
export * from "./log1p.js";
export * from "./modelFile.js";
export * from "./resolveFeatures.js";
export * from "./rowFilters.js";
export * from "./runResult.js";
export * from "./runSpec.js";
export * from "./scoreClustering.js";
export * from "./yeoJohnson.js";
