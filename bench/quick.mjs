#!/usr/bin/env node
// `npm run bench:quick`: a reduced version of every issue-6 row (smaller n, one repeat), Clusterlab
// vs scikit-learn in the same run, in a few minutes (under 5 on this 2-core machine when quiet).
// It runs the full benchmarks' own scripts with their --quick sizes and prints each one's table:
//
//   bench/kmeans.mjs --quick     k-means lloyd / elkan / Hamerly, k-means++ init, silhouette (50k, 10k rows)
//   bench/perf.mjs --quick       MiniBatchKMeans, GaussianMixture full, PCA, end-to-end CSV (100k / 20k rows)
//   bench/dbscan.mjs --quick     DBSCAN 2-D (100k rows)
//   bench/hdbscan.mjs --quick    HDBSCAN 2-D (20k rows)
//   bench/scale.mjs --quick      agglomerative ward on 4k x 8 (the ward-20k-8d row at a fifth)
//
// Figures at these sizes are smoke tests, not the issue's measurements (docs/benchmarks.md has
// those and their commands). Needs the build (`npm run bench:quick` builds core and the CLI first).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const steps = [
  ["kmeans.mjs", "--quick"],
  ["perf.mjs", "--quick"],
  ["dbscan.mjs", "--quick", "--only", "dbscan-1M-2d"],
  ["hdbscan.mjs", "--quick", "--only", "hdbscan-100k-2d-mcs50"],
  ["scale.mjs", "--quick", "--only", "ward-20k-8d", "--cap", "60"],
];

const started = performance.now();
let failed = 0;
for (const [script, ...args] of steps) {
  const path = join(here, script);
  if (!existsSync(path)) {
    console.log(`\n== ${script}: missing, skipped`);
    continue;
  }
  const t0 = performance.now();
  console.log(`\n== node bench/${script} ${args.join(" ")}  (1-min load ${loadavg()[0].toFixed(1)})`);
  const r = spawnSync(process.execPath, [path, ...args], { stdio: "inherit", timeout: 240_000 });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) {
    failed++;
    console.log(`== ${script} FAILED (${r.error?.message ?? `exit ${r.status}`}) after ${seconds.toFixed(0)} s`);
  } else console.log(`== ${script} done in ${seconds.toFixed(0)} s`);
}
console.log(
  `\nbench:quick: ${((performance.now() - started) / 1000).toFixed(0)} s in all, ${failed} failed; 1-min load ${loadavg()[0].toFixed(1)}`,
);
process.exitCode = failed > 0 ? 1 : 0;
