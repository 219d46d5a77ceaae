import { defineConfig } from "vite";

// The standalone report's page script: ONE self-contained file, dist-report/report.js (Plotly
// inlined, no chunks, no imports), plus dist-report/report.css. @clusterlab/server's report.ts
// inlines both into the HTML file it writes.
export default defineConfig({
  root: import.meta.dirname,
  publicDir: false,
  define: { "process.env.NODE_ENV": JSON.stringify("production") },
  build: {
    outDir: "dist-report",
    emptyOutDir: true,
    chunkSizeWarningLimit: 6000,
    minify: true,
    lib: {
      entry: "src/report/main.ts",
      formats: ["iife"],
      name: "ClusterlabReport",
      fileName: () => "report.js",
      cssFileName: "report",
    },
  },
});
