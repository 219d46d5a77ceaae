// Barrel for document clustering by topic: one export line per file.
export * from "./clusterDocuments.js";
export * from "./documentTexts.js";
