// Barrel for image segmentation: one export line per file.
export * from "./colorSpace.js";
export * from "./rasterImage.js";
export * from "./segmentationImages.js";
export * from "./segmentImage.js";
