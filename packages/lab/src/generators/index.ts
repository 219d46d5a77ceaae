// Barrel for the synthetic-data generators (seeded with core's Random): one export line per file
// (internal.ts holds private sampling helpers).
export * from "./generateSocialPosts.js";
export * from "./generateTransactions.js";
