// Barrel for the preprocessing area: one export line per file.
export {};
