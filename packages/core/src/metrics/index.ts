// Barrel for the metrics area: one export line per file.
export {};
