// Barrel for the cluster area: one export line per file.
export {};
