// Imported first by every benchmark that compares with scikit-learn: checks that python3 can import
// scikit-learn, scipy, numpy and pandas, and installs what is missing with pip (user site, or
// --break-system-packages where Debian's Python refuses user installs). Prints what it does on stderr.
// Set CLUSTERLAB_BENCH_NO_INSTALL=1 to only check.
import { spawnSync } from "node:child_process";

const MODULES = [
  ["sklearn", "scikit-learn"],
  ["scipy", "scipy"],
  ["numpy", "numpy"],
  ["pandas", "pandas"],
];

function missing() {
  return MODULES.filter(
    ([module]) => spawnSync("python3", ["-c", `import ${module}`], { stdio: "ignore" }).status !== 0,
  ).map(([, pkg]) => pkg);
}

export function ensureSklearn() {
  if (spawnSync("python3", ["--version"], { stdio: "ignore" }).status !== 0) {
    console.error("bench: python3 not found; the scikit-learn columns will show an error");
    return false;
  }
  const need = missing();
  if (need.length === 0) return true;
  if (process.env.CLUSTERLAB_BENCH_NO_INSTALL === "1") {
    console.error(`bench: python3 lacks ${need.join(", ")} (CLUSTERLAB_BENCH_NO_INSTALL=1: not installing)`);
    return false;
  }
  console.error(`bench: installing ${need.join(", ")} with pip ...`);
  for (const extra of [["--user"], ["--user", "--break-system-packages"], ["--break-system-packages"]]) {
    const r = spawnSync("python3", ["-m", "pip", "install", "--quiet", ...extra, ...need], { stdio: "inherit" });
    if (r.status === 0 && missing().length === 0) return true;
  }
  console.error(`bench: could not install ${missing().join(", ")}; the scikit-learn columns will show an error`);
  return false;
}

ensureSklearn();
