// Barrel for the selection area: one export line per file.
export * from "./chooseK.js";
export * from "./kneedle.js";
