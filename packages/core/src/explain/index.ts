// Barrel for the explain area (segment profiles, rules, names, stability, evaluation, anomaly scores):
// one export line per file (internal.ts holds private helpers).
export * from "./anomalyContributions.js";
export * from "./anomalyEvaluation.js";
export * from "./anomalyScores.js";
export * from "./anomalyThreshold.js";
export * from "./averagePrecision.js";
export * from "./bootstrapStability.js";
export * from "./cartTree.js";
export * from "./clusterAnomalyScores.js";
export * from "./decisionTreeRules.js";
export * from "./heldOutEvaluation.js";
export * from "./predictionStrength.js";
export * from "./readableThreshold.js";
export * from "./refitEstimator.js";
export * from "./rocAuc.js";
export * from "./scoreOrder.js";
export * from "./segmentNames.js";
export * from "./segmentProfiles.js";
