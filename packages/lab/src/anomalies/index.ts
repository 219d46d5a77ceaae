// Barrel for lab/anomalies (anomaly detection on a table with a fitted clustering): one export line per file.
export * from "./anomalyColumns.js";
export * from "./detectAnomalies.js";
export * from "./outlierIndicator.js";
