import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const src = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  resolve: {
    alias: {
      // Before "@clusterlab/core" (the first matching prefix wins).
      "@clusterlab/core/node": src("./packages/core/node/nodeExecutor.mjs"),
      "@clusterlab/core": src("./packages/core/src/index.ts"),
      "@clusterlab/charts": src("./packages/charts/src/index.ts"),
      "@clusterlab/lab": src("./packages/lab/src/index.ts"),
      "@clusterlab/server": src("./packages/server/src/index.ts"),
    },
  },
  test: {
    include: ["packages/*/test/**/*.test.ts"],
    testTimeout: 60_000,
    pool: "forks",
  },
});
