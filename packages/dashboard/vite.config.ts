import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The dashboard is a static single-page app: `vite build` writes dist/, which @clusterlab/server serves.
export default defineConfig({
  root: import.meta.dirname,
  base: "/",
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // plotly.js-dist-min is one ~4.5 MB file: it gets a chunk of its own, cached separately.
    chunkSizeWarningLimit: 6000,
    rolldownOptions: {
      output: {
        codeSplitting: { groups: [{ name: "plotly", test: /plotly\.js-dist-min/ }] },
      },
    },
  },
  server: { proxy: { "/api": "http://127.0.0.1:8765" } },
});
