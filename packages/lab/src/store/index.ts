// Barrel for the persistent store: one export line per file.
export * from "./appendRunLabels.js";
export * from "./database.js";
export * from "./openStore.js";
export * from "./storeError.js";
