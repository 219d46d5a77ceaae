// Barrel for the customer-segmentation workflow (RFM + clustering): one export line per file.
export * from "./clusterRfm.js";
export * from "./compareSegments.js";
export * from "./computeRfm.js";
export * from "./rfmSegment.js";
export * from "./segmentCustomers.js";
