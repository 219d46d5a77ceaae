// Barrel for the selection area: one export line per file.
export {};
