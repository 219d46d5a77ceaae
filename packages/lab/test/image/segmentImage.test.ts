import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { adjustedRandScore, memoryLogger, silentLogger } from "@clusterlab/core";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  boundaryOverlay,
  contrastingColor,
  IMAGE_ALGORITHMS,
  labelMask,
  type RasterImage,
  readImage,
  renderSegmentation,
  segmentImage,
  writeImage,
} from "../../src/index.js";

const coffee = fileURLToPath(new URL("../../../../examples/data/coffee.png", import.meta.url));
const COLORS = [
  [200, 30, 30],
  [30, 160, 60],
  [40, 60, 200],
];

/** 60 x 40 pixels in three vertical bands of flat colour (20 columns each); also returns the band of each pixel. */
function bands(alphaChannel = false): { image: RasterImage; truth: Int32Array } {
  const width = 60;
  const height = 40;
  const channels = alphaChannel ? 4 : 3;
  const data = new Uint8Array(width * height * channels);
  const truth = new Int32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      const band = Math.floor(x / 20);
      truth[p] = band;
      data.set(COLORS[band], p * channels);
      if (alphaChannel) data[p * channels + 3] = 255;
    }
  }
  return { image: { width, height, channels, data }, truth };
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "clusterlab-image-"));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("segmentImage on three flat colour regions", () => {
  const { image, truth } = bands();

  for (const algorithm of IMAGE_ALGORITHMS) {
    it(`recovers the regions exactly with ${algorithm}`, () => {
      const seg = segmentImage(image, {
        nClusters: 3,
        algorithm,
        logger: silentLogger,
        ...(algorithm === "meanshift" && { bandwidth: 20 }),
      });
      expect(seg.k).toBe(3);
      expect(adjustedRandScore(truth, seg.labels)).toBe(1);
      const hexes = seg.palette.map((p) => p.hex).sort();
      expect(hexes).toEqual(["#1ea03c", "#283cc8", "#c81e1e"]);
      for (const p of seg.palette) expect(p.share).toBeCloseTo(1 / 3, 12);
    });
  }

  it("does the same in RGB, with position features, and on a subsample", () => {
    for (const options of [{ space: "rgb" as const }, { spatial: 0.3 }, { sample: 50 }]) {
      const seg = segmentImage(image, { nClusters: 3, ...options, logger: silentLogger });
      expect(adjustedRandScore(truth, seg.labels)).toBe(1);
    }
    expect(segmentImage(image, { nClusters: 3, sample: 50 }).sampleSize).toBe(50);
  });

  it("lowers k to the number of distinct colours with a warning (colour only)", () => {
    const logger = memoryLogger();
    const seg = segmentImage(image, { nClusters: 6, logger });
    expect(seg.k).toBe(3);
    expect(seg.distinctColors).toBe(3);
    expect(logger.messages[0]).toMatch(/k=6 is more than the 3 distinct colours/);
    expect(seg.warnings).toEqual(logger.messages);
    // With position features more clusters than colours is meaningful: the bands are split.
    const spatial = segmentImage(image, { nClusters: 6, spatial: 1, logger: silentLogger });
    expect(spatial.k).toBe(6);
  });

  it("numbers clusters by decreasing share and renders at most k colours", () => {
    const { image: img } = bands();
    // Make the blue band wider (x >= 30), so it becomes the largest cluster.
    for (let p = 0; p < img.width * img.height; p++) {
      if (p % img.width >= 30) img.data.set(COLORS[2], p * 3);
    }
    const seg = segmentImage(img, { nClusters: 3 });
    expect(seg.palette.map((p) => p.hex)).toEqual(["#283cc8", "#c81e1e", "#1ea03c"]);
    expect(seg.palette[0].share).toBeCloseTo(0.5, 12);
    const out = renderSegmentation(img, seg);
    const colours = new Set<number>();
    for (let p = 0; p < out.width * out.height; p++) {
      colours.add((out.data[3 * p] << 16) | (out.data[3 * p + 1] << 8) | out.data[3 * p + 2]);
    }
    expect(colours.size).toBe(3);
    const mask = labelMask(seg);
    expect(mask.channels).toBe(1);
    expect(mask.data[0]).toBe(1);
    expect(mask.data[59]).toBe(0);
  });

  it("draws boundaries where the label changes", () => {
    const seg = segmentImage(image, { nClusters: 3 });
    const over = boundaryOverlay(image, seg, [255, 255, 0]);
    const isYellow = (x: number, y: number) => {
      const o = (y * 60 + x) * 3;
      return over.data[o] === 255 && over.data[o + 1] === 255 && over.data[o + 2] === 0;
    };
    for (let y = 0; y < 40; y++) {
      expect(isYellow(19, y)).toBe(true);
      expect(isYellow(39, y)).toBe(true);
      expect(isYellow(10, y) || isYellow(20, y) || isYellow(59, y)).toBe(false);
    }
    // The default colour contrasts with the palette (not one of the band colours).
    expect(contrastingColor(seg)).not.toEqual([0, 0, 255]);
  });

  it("leaves fully transparent pixels out (label -1, mask 255) and keeps alpha", () => {
    const { image: img, truth: t } = bands(true);
    img.data[3] = 0; // pixel 0 transparent
    const seg = segmentImage(img, { nClusters: 3 });
    expect(seg.labels[0]).toBe(-1);
    expect(seg.pixels).toBe(2399);
    expect(adjustedRandScore(t.subarray(1), seg.labels.subarray(1))).toBe(1);
    expect(labelMask(seg).data[0]).toBe(255);
    const out = renderSegmentation(img, seg);
    expect(out.channels).toBe(4);
    expect(out.data[3]).toBe(0);
    expect(out.data[7]).toBe(255);
  });

  it("rejects bad options", () => {
    expect(() => segmentImage(image, { nClusters: 0 })).toThrow(/invalid nClusters: 0/);
    expect(() => segmentImage(image, { nClusters: 256 })).toThrow(/invalid nClusters: 256/);
    expect(() => segmentImage(image, { spatial: -1 })).toThrow(/invalid spatial/);
    expect(() => segmentImage(image, { algorithm: "dbscan" as "kmeans" })).toThrow(/invalid algorithm/);
    expect(() => segmentImage(image, { algorithm: "meanshift" })).toThrow(/bandwidth is 0/);
    expect(() => segmentImage({ ...image, data: image.data.subarray(1) })).toThrow(/bytes/);
  });
});

describe("image files", () => {
  it("reads and writes PNG, JPEG and WebP", async () => {
    const { image } = bands();
    for (const ext of ["png", "webp", "jpg"]) {
      const path = join(dir, `bands.${ext}`);
      await writeImage(path, image);
      const back = await readImage(path);
      expect([back.width, back.height, back.channels]).toEqual([60, 40, 3]);
      expect(back.format).toBe(ext === "jpg" ? "jpeg" : ext);
      if (ext !== "jpg") expect(back.data).toEqual(image.data); // lossless
    }
    // A grey mask is written as a one-channel PNG and read back as RGB.
    const seg = segmentImage(image, { nClusters: 3 });
    await writeImage(join(dir, "mask.png"), labelMask(seg));
    const mask = await readImage(join(dir, "mask.png"));
    expect(mask.channels).toBe(3);
    expect(mask.data[0]).toBe(seg.labels[0]);
  });

  it("keeps an alpha channel", async () => {
    const { image } = bands(true);
    const path = join(dir, "alpha.png");
    await writeImage(path, image);
    expect((await readImage(path)).channels).toBe(4);
  });

  it("answers bad files with clear errors", async () => {
    await expect(readImage(join(dir, "missing.png"))).rejects.toThrow(/file not found: .*missing.png/);
    const text = join(dir, "not-an-image.png");
    writeFileSync(text, "id,value\n1,2\n");
    await expect(readImage(text)).rejects.toThrow(/cannot read image .*not an image/);
    const gif = join(dir, "bands.gif");
    await sharp(Buffer.from(bands().image.data), { raw: { width: 60, height: 40, channels: 3 } })
      .gif()
      .toFile(gif);
    await expect(readImage(gif)).rejects.toThrow(/unsupported image format "gif"/);
    await expect(writeImage(join(dir, "x.bmp"), bands().image)).rejects.toThrow(/unsupported image extension/);
  });

  it("segments coffee.png end to end in a few seconds", async () => {
    const start = performance.now();
    const image = await readImage(coffee);
    expect([image.width, image.height, image.channels]).toEqual([600, 400, 3]);
    const seg = segmentImage(image, { nClusters: 6 });
    expect(seg.k).toBe(6);
    expect(seg.sampleSize).toBe(100_000);
    expect(seg.palette.reduce((s, p) => s + p.share, 0)).toBeCloseTo(1, 12);
    for (let i = 1; i < 6; i++) expect(seg.palette[i].share).toBeLessThanOrEqual(seg.palette[i - 1].share);
    // A dark cluster (the shadow and the background) and a light one (the cup's rim and foam).
    expect(Math.min(...seg.palette.map((p) => p.lab[0]))).toBeLessThan(15);
    expect(Math.max(...seg.palette.map((p) => p.lab[0]))).toBeGreaterThan(80);
    await writeImage(join(dir, "coffee-seg.png"), renderSegmentation(image, seg));
    const back = await readImage(join(dir, "coffee-seg.png"));
    const colours = new Set<number>();
    for (let p = 0; p < 600 * 400; p++)
      colours.add((back.data[3 * p] << 16) | (back.data[3 * p + 1] << 8) | back.data[3 * p + 2]);
    expect(colours.size).toBe(6);
    expect((performance.now() - start) / 1000).toBeLessThan(20);
  });
});
