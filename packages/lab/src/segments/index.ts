// Barrel for lab/segments (explaining the segments of a clustering of a table): one export line per file.
export * from "./explainSegments.js";
export * from "./segmentFrame.js";
