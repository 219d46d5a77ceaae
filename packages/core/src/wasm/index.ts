export * from "./kernelBackend.js";
export * from "./parallel.js";
