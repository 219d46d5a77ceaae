/**
 * @clusterlab/lab: Clusterlab's Node analysis layer. Reads and writes tables with DuckDB and
 * turns them into feature matrices for @clusterlab/core; infers column roles, profiles tables and
 * defines the declarative analysis spec.
 */

export * from "./anomalies/index.js";
export * from "./customers/index.js";
export * from "./duckdb.js";
export * from "./errors.js";
export * from "./experiment/index.js";
export * from "./generators/index.js";
export * from "./htmlEmbed.js";
export * from "./image/index.js";
export * from "./numericMatrix.js";
export * from "./profile/index.js";
export * from "./readArrow.js";
export * from "./readDuckDBFile.js";
export * from "./readTable.js";
export * from "./run/index.js";
export * from "./schema/index.js";
export * from "./segments/index.js";
export * from "./social/index.js";
export * from "./spec/index.js";
export * from "./sql/index.js";
export * from "./store/index.js";
export * from "./table.js";
export * from "./text/index.js";
export * from "./textEncoding.js";
export * from "./views/index.js";
export * from "./writeTable.js";
