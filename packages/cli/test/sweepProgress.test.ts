import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { iris, repoRoot, run } from "./helpers.js";

// Progress lines appear once a command has run for a second; a clock that moves 0.4 s per reading
// makes every step "slow" without a slow test.
describe("clusterlab sweep: progress of the stability step on stderr", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  function slowClock(): void {
    let t = 0;
    vi.spyOn(performance, "now").mockImplementation(() => {
      t += 400;
      return t;
    });
  }

  const argv = ["sweep", iris, "--exclude", "target,target_name", "--k", "2..5", "--bootstrap", "3", "--json"];

  it("prints one line per k of the stability step, in order, with the count done", async () => {
    slowClock();
    const r = await run(argv);
    expect(r.code).toBe(0);
    const lines = r.stderr.split("\n").filter((l) => l.includes("stability"));
    expect(lines).toEqual([
      "clusterlab: stability k=2 done (1/4; 3 bootstrap refits per k)",
      "clusterlab: stability k=3 done (2/4; 3 bootstrap refits per k)",
      "clusterlab: stability k=4 done (3/4; 3 bootstrap refits per k)",
      "clusterlab: stability k=5 done (4/4; 3 bootstrap refits per k)",
    ]);
    expect(JSON.parse(r.stdout).stability).toMatchObject({ nBootstrap: 3 });
  });

  it("is silent with -q, and has no stability lines with --no-stability", async () => {
    slowClock();
    const quiet = await run([...argv, "-q"]);
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).toBe("");
    const off = await run([...argv, "--no-stability"]);
    expect(off.code).toBe(0);
    expect(off.stderr).toMatch(/k=5 done/);
    expect(off.stderr).not.toMatch(/stability/);
  });

  it("kmodes (refits of the whole analysis) reports its stability step too", async () => {
    slowClock();
    const r = await run([
      "sweep",
      join(repoRoot, "examples/data/penguins.csv"),
      "--algo",
      "kmodes",
      "--k",
      "2..3",
      "--bootstrap",
      "2",
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^clusterlab: stability k=3 done \(2\/2; 2 bootstrap refits per k\)$/m);
  });
});
