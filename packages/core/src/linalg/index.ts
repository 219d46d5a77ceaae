// Barrel for the shared linear algebra: one export line per file.
export * from "./symmetricEigen.js";
