// Barrel for the shared linear algebra: one export line per file.
export * from "./lanczos.js";
export * from "./symmetricEigen.js";
