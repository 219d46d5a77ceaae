// Barrel for the decomposition area: one export line per file.
export * from "./pca.js";
