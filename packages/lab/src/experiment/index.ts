// Barrel for the experiment API (setup / createModel / compareModels / tuneK ...): one export line per file.
export * from "./compareModels.js";
export * from "./gapStatistic.js";
export * from "./plotModel.js";
export * from "./plotModelHtml.js";
export * from "./prepareMatrix.js";
export * from "./setup.js";
export * from "./tuneK.js";
