// Barrel for the preprocessing area: one export line per file (internal.ts holds private helpers).
export * from "./columnTransformer.js";
export * from "./frame.js";
export * from "./maxAbsScaler.js";
export * from "./minMaxScaler.js";
export * from "./oneHotEncoder.js";
export * from "./ordinalEncoder.js";
export * from "./pipeline.js";
export * from "./robustScaler.js";
export * from "./simpleImputer.js";
export * from "./standardScaler.js";
