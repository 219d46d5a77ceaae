// Barrel for the social-media workflow (engagement features, account and post clusters, what works): one export line per file.
export * from "./analyzeSocial.js";
export * from "./clusterAccounts.js";
export * from "./clusterPosts.js";
export * from "./comparePlantedSegments.js";
export * from "./computeSocialFeatures.js";
export * from "./whatWorks.js";
