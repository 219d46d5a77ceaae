// Barrel for the categorical area: one export line per file (internal.ts and internalModes.ts hold private helpers).
export * from "./categoricalCodes.js";
export * from "./gowerDistance.js";
export * from "./kModes.js";
export * from "./kPrototypes.js";
