export * from "./kmeansSql.js";
export * from "./sqlDialect.js";
export * from "./sqlEngine.js";
export * from "./sqlKMeans.js";
