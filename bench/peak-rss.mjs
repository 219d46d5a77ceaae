// Preloaded with `node --import bench/peak-rss.mjs ...` by bench/perf.mjs: at exit, writes this
// process's peak resident memory (VmHWM, MB) as JSON to $CLUSTERLAB_PEAK_RSS_FILE.
import { readFileSync, writeFileSync } from "node:fs";

const file = process.env.CLUSTERLAB_PEAK_RSS_FILE;
if (file) {
  process.on("exit", () => {
    let peakRssMB = process.resourceUsage().maxRSS / 1024;
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"));
      if (m) peakRssMB = Number(m[1]) / 1024;
    } catch {}
    writeFileSync(file, JSON.stringify({ peakRssMB }));
  });
}
