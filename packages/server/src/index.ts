/** @clusterlab/server: Clusterlab's web server (Fastify): the JSON API and the dashboard. */

export * from "./algorithms.js";
export * from "./analysis.js";
export * from "./analysisRoutes.js";
export * from "./api.js";
export * from "./app.js";
export * from "./cache.js";
export * from "./datasets.js";
export * from "./httpError.js";
export * from "./jobs.js";
export * from "./params.js";
export * from "./report.js";
export * from "./runs.js";
export * from "./schemas.js";
export * from "./server.js";
export * from "./staticFiles.js";
export * from "./version.js";
export * from "./workerPool.js";
