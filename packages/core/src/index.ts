/**
 * @clusterlab/core: clustering estimators, preprocessing, metrics and projections on flat
 * row-major Float64Arrays. Isomorphic: no Node-only imports.
 */

export * from "./categorical/index.js";
export * from "./cluster/index.js";
export * from "./decomposition/index.js";
export * from "./density/index.js";
export * from "./distance.js";
export * from "./errors.js";
export * from "./estimator.js";
export * from "./explain/index.js";
export * from "./hdbscan/index.js";
export * from "./hierarchy/index.js";
export * from "./linalg/index.js";
export * from "./logger.js";
export * from "./manifold/index.js";
export * from "./matrix.js";
export * from "./metrics/index.js";
export * from "./mixture/index.js";
export * from "./neighbors/index.js";
export * from "./preprocessing/index.js";
export * from "./random.js";
export * from "./selection/index.js";
export * from "./serialize.js";
export * from "./text/index.js";
export * from "./validate.js";
export * from "./wasm/index.js";
