export * from "./dbscan.js";
export * from "./optics.js";
export * from "./opticsExtraction.js";
