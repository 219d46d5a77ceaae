export * from "./bruteNeighbors.js";
export * from "./kdTree.js";
export * from "./kNeighbors.js";
export * from "./neighborAlgorithm.js";
export * from "./neighborMetric.js";
export * from "./uniformGrid.js";
