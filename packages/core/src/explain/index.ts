// Barrel for the explain area (segment profiles, rules, names, stability, evaluation, anomaly scores):
// one export line per file (internal.ts holds private helpers).
export * from "./anomalyScores.js";
export * from "./bootstrapStability.js";
export * from "./cartTree.js";
export * from "./decisionTreeRules.js";
export * from "./heldOutEvaluation.js";
export * from "./predictionStrength.js";
export * from "./readableThreshold.js";
export * from "./refitEstimator.js";
export * from "./segmentNames.js";
export * from "./segmentProfiles.js";
