import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readImage, writeImage } from "@clusterlab/lab";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseArgs, UsageError } from "../src/args.js";
import type { ImageReport } from "../src/image.js";
import { repoRoot, run } from "./helpers.js";

const coffee = join(repoRoot, "examples/data/coffee.png");
const bin = join(repoRoot, "packages/cli/bin/clusterlab.js");
const built = existsSync(join(repoRoot, "packages/cli/dist/image.js"));

function usage(argv: string[]): string {
  try {
    parseArgs(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).not.toContain("\n");
    return (error as Error).message;
  }
  throw new Error(`expected ${JSON.stringify(argv)} to be rejected`);
}

let dir: string;
let bands: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "clusterlab-cli-image-"));
  // 30 x 20 pixels: three vertical bands of flat colour.
  const data = new Uint8Array(30 * 20 * 3);
  const colours = [
    [200, 30, 30],
    [30, 160, 60],
    [40, 60, 200],
  ];
  for (let p = 0; p < 600; p++) data.set(colours[Math.floor((p % 30) / 10)], 3 * p);
  bands = join(dir, "bands.png");
  await writeImage(bands, { width: 30, height: 20, channels: 3, data });
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("clusterlab image: parsing", () => {
  it("applies the defaults", () => {
    expect(parseArgs(["image", "in.jpg"])).toEqual({
      command: "image",
      file: "in.jpg",
      k: 8,
      space: "lab",
      spatial: 0,
      algo: "kmeans",
      seed: 0,
      json: false,
      quiet: false,
    });
  });

  it("parses every option", () => {
    expect(
      parseArgs([
        "image",
        "in.webp",
        "--k",
        "6",
        "--out",
        "seg.png",
        "--mask",
        "m.png",
        "--overlay",
        "o.jpg",
        "--space",
        "rgb",
        "--spatial",
        "0.5",
        "--algo",
        "gmm",
        "--seed",
        "3",
        "--sample",
        "5000",
        "--json",
        "-q",
      ]),
    ).toEqual({
      command: "image",
      file: "in.webp",
      k: 6,
      space: "rgb",
      spatial: 0.5,
      algo: "gmm",
      seed: 3,
      sample: 5000,
      out: "seg.png",
      mask: "m.png",
      overlay: "o.jpg",
      json: true,
      quiet: true,
    });
    expect(parseArgs(["image", "a.png", "--algo", "meanshift", "--bandwidth", "4"])).toMatchObject({
      k: null,
      bandwidth: 4,
    });
  });

  it("rejects bad flags with one line", () => {
    expect(usage(["image", "a.png", "--k", "0"])).toBe('invalid --k: "0" (must be an integer in [1, 255])');
    expect(usage(["image", "a.png", "--k", "300"])).toMatch(/invalid --k: "300"/);
    expect(usage(["image", "a.png", "--spatial", "-1"])).toBe('invalid --spatial: "-1" (must be a number >= 0)');
    expect(usage(["image", "a.png", "--space", "hsv"])).toMatch(/--space/);
    expect(usage(["image", "a.png", "--out", "seg.gif"])).toMatch(/invalid --out: unsupported image extension ".gif"/);
    expect(usage(["image", "a.png", "--mask", "m.webp"])).toMatch(/invalid --mask: a label mask must be a .png file/);
    expect(usage(["image", "a.png", "--algo", "meanshift", "--k", "3"])).toMatch(
      /--k does not apply to --algo meanshift/,
    );
    expect(usage(["image", "a.png", "--bandwidth", "2"])).toMatch(/--bandwidth only applies to --algo meanshift/);
    expect(usage(["image", "a.png", "--k", "6", "--sample", "3"])).toMatch(
      /invalid --sample: 3 \(must be at least --k, 6\)/,
    );
    expect(usage(["image"])).toMatch(/missing required argument/);
  });
});

describe("clusterlab image: running", () => {
  it("segments three flat bands exactly and writes the images", async () => {
    const out = join(dir, "seg.png");
    const mask = join(dir, "mask.png");
    const overlay = join(dir, "overlay.webp");
    const r = await run(["image", bands, "--k", "3", "--out", out, "--mask", mask, "--overlay", overlay, "--json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as ImageReport;
    expect(report).toMatchObject({ width: 30, height: 20, k: 3, distinctColors: 3, sampleSize: 600, warnings: [] });
    expect(report.palette.map((p) => p.hex).sort()).toEqual(["#1ea03c", "#283cc8", "#c81e1e"]);
    expect(report.palette.map((p) => p.share)).toEqual([0.333333, 0.333333, 0.333333]);
    const seg = await readImage(out);
    expect(seg.data).toEqual((await readImage(bands)).data);
    const m = await readImage(mask);
    expect(new Set(m.data)).toEqual(new Set([0, 1, 2]));
    expect((await readImage(overlay)).width).toBe(30);
  });

  it("warns and continues when k exceeds the distinct colours; prints a report", async () => {
    const r = await run(["image", bands, "--k", "5"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("3 clusters");
    expect(r.stdout).toContain("warning: k=5 is more than the 3 distinct colours of the image: using k=3");
    expect(r.stdout).toMatch(/#c81e1e\s+200\s+30\s+30/);
  });

  it("answers bad images with exit code 1 and one line", async () => {
    const notImage = join(dir, "table.png");
    writeFileSync(notImage, "a,b\n1,2\n");
    for (const [file, message] of [
      [join(dir, "missing.png"), /file not found/],
      [notImage, /cannot read image .*not an image/],
    ] as const) {
      const r = await run(["image", file]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(/^clusterlab: error: /);
    }
  });
});

describe("clusterlab image: process", () => {
  it("segments coffee.png end to end (JSON, segmented image, mask, overlay)", async () => {
    if (!built) throw new Error("packages/cli/dist is missing: run `npx tsc -b` before these tests");
    const out = join(dir, "coffee-seg.png");
    const mask = join(dir, "coffee-mask.png");
    const overlay = join(dir, "coffee-overlay.png");
    const start = performance.now();
    const p = spawnSync(
      process.execPath,
      [bin, "image", coffee, "--k", "6", "--out", out, "--mask", mask, "--overlay", overlay, "--json"],
      { cwd: repoRoot, encoding: "utf8", env: { ...process.env, CLUSTERLAB_DEBUG: "" } },
    );
    const seconds = (performance.now() - start) / 1000;
    expect(p.stderr).toBe("");
    expect(p.status).toBe(0);
    const report = JSON.parse(p.stdout) as ImageReport;
    expect(report).toMatchObject({
      width: 600,
      height: 400,
      k: 6,
      algorithm: "kmeans",
      space: "lab",
      sampleSize: 100000,
    });
    expect(report.palette).toHaveLength(6);
    expect(report.palette[0]).toEqual({
      cluster: 0,
      rgb: expect.any(Array),
      hex: expect.stringMatching(/^#[0-9a-f]{6}$/),
      lab: expect.any(Array),
      share: expect.any(Number),
      pixels: expect.any(Number),
    });
    expect(Object.keys(report.timings)).toEqual([
      "readSeconds",
      "featuresSeconds",
      "fitSeconds",
      "assignSeconds",
      "writeSeconds",
      "totalSeconds",
    ]);
    const seg = await readImage(out);
    expect([seg.width, seg.height]).toEqual([600, 400]);
    const colours = new Set<number>();
    for (let i = 0; i < seg.data.length; i += 3)
      colours.add((seg.data[i] << 16) | (seg.data[i + 1] << 8) | seg.data[i + 2]);
    expect(colours.size).toBeLessThanOrEqual(6);
    expect(new Set((await readImage(mask)).data).size).toBe(6);
    expect((await readImage(overlay)).width).toBe(600);
    expect(seconds).toBeLessThan(20);
  });

  it("exits 2 on a bad flag and 1 on a file that is not an image", () => {
    for (const [args, code] of [
      [["image", coffee, "--k", "x"], 2],
      [["image", join(repoRoot, "examples/data/iris.csv")], 1],
    ] as [string[], number][]) {
      const p = spawnSync(process.execPath, [bin, ...args], { cwd: repoRoot, encoding: "utf8" });
      expect(p.status).toBe(code);
      expect(p.stdout).toBe("");
      expect(p.stderr.trim().split("\n")).toHaveLength(1);
    }
  });
});
