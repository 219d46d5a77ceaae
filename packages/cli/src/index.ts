/** The `clusterlab` command line, also usable as a library (`main`, `parseArgs`, `runCluster`). */

export * from "./algorithms.js";
export * from "./args.js";
export * from "./cluster.js";
export * from "./io.js";
export * from "./main.js";
export * from "./modelFile.js";
export * from "./predict.js";
export * from "./profile.js";
export * from "./report.js";
export * from "./version.js";
