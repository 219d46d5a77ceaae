/**
 * @clusterlab/lab: Clusterlab's Node analysis layer. Reads and writes tables with DuckDB and
 * turns them into feature matrices for @clusterlab/core.
 */

export * from "./duckdb.js";
export * from "./errors.js";
export * from "./numericMatrix.js";
export * from "./readTable.js";
export * from "./table.js";
export * from "./writeTable.js";
