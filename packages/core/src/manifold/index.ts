// Barrel for the manifold area (2-D/3-D projections): one export line per file.
export * from "./findAbParams.js";
export * from "./fuzzySimplicialSet.js";
export * from "./trustworthiness.js";
export * from "./tsne.js";
export * from "./umap.js";
