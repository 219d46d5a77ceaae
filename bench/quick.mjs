#!/usr/bin/env node
// `npm run bench:quick`: a reduced version of every issue-6 row (smaller n, one repeat), Clusterlab
// vs scikit-learn in the same run, in about a minute (under 5 on this 2-core machine even when
// loaded). It is `npm run bench`'s driver (bench/all.mjs) at its --quick sizes: each side of each
// row in its own process, with the peak memory of both; the table goes to stdout and the JSON to
// bench/data/all-quick.json.
//
//   k-means lloyd / elkan / k-means++ on 50k rows, silhouette on 10k, MiniBatchKMeans, PCA and the
//   end-to-end CSV on 100k, GaussianMixture on 20k, DBSCAN on 100k x 2, HDBSCAN on 20k x 2, Ward on 4k x 8
//
// `node bench/quick.mjs --scripts` runs instead the per-workload scripts at their --quick sizes
// (kmeans.mjs, perf.mjs, dbscan.mjs, hdbscan.mjs, scale.mjs Ward), as bench:quick did before.
//
// Figures at these sizes are smoke tests, not the issue's measurements (docs/benchmarks.md has
// those and their commands). Needs the build (`npm run bench:quick` builds core and the CLI first).
import { spawnSync } from "node:child_process";
import { loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { runAll } from "./all.mjs";

const here = dirname(fileURLToPath(import.meta.url));

function runScripts() {
  const steps = [
    ["kmeans.mjs", "--quick"],
    ["perf.mjs", "--quick"],
    ["dbscan.mjs", "--quick", "--only", "dbscan-1M-2d"],
    ["hdbscan.mjs", "--quick", "--only", "hdbscan-100k-2d-mcs50"],
    ["scale.mjs", "--quick", "--only", "ward-20k-8d", "--cap", "60"],
  ];
  let failed = 0;
  for (const [script, ...args] of steps) {
    const t0 = performance.now();
    console.log(`\n== node bench/${script} ${args.join(" ")}  (1-min load ${loadavg()[0].toFixed(1)})`);
    const r = spawnSync(process.execPath, [join(here, script), ...args], { stdio: "inherit", timeout: 240_000 });
    const seconds = (performance.now() - t0) / 1000;
    if (r.status !== 0) {
      failed++;
      console.log(`== ${script} FAILED (${r.error?.message ?? `exit ${r.status}`}) after ${seconds.toFixed(0)} s`);
    } else console.log(`== ${script} done in ${seconds.toFixed(0)} s`);
  }
  return failed;
}

const started = performance.now();
let failed;
if (process.argv.includes("--scripts")) failed = runScripts();
else failed = runAll({ quick: true }).filter((r) => r.error).length;
console.log(
  `\nbench:quick: ${((performance.now() - started) / 1000).toFixed(0)} s in all, ${failed} failed; 1-min load ${loadavg()[0].toFixed(1)}`,
);
process.exitCode = failed > 0 ? 1 : 0;
