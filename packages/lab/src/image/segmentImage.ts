import {
  type ClusterModel,
  checkChoice,
  checkInt,
  checkNumber,
  consoleLogger,
  estimateBandwidth,
  GaussianMixture,
  invalid,
  KMeans,
  type Logger,
  type Matrix,
  MeanShift,
  MiniBatchKMeans,
  Random,
  ValidationError,
} from "@clusterlab/core";
import { DataError } from "../errors.js";
import { labToSrgb8, srgb8ToLabInto, srgbToLab } from "./colorSpace.js";
import type { RasterImage } from "./rasterImage.js";

/** Clustering algorithms for pixels. */
export const IMAGE_ALGORITHMS = ["kmeans", "minibatch-kmeans", "gmm", "meanshift"] as const;
export type ImageAlgorithm = (typeof IMAGE_ALGORITHMS)[number];
/** Colour spaces pixels are clustered in. */
export const COLOR_SPACES = ["lab", "rgb"] as const;
export type ColorSpaceName = (typeof COLOR_SPACES)[number];

/** Default number of pixels the clusterer is fitted on (`sample`). */
export const DEFAULT_IMAGE_SAMPLE = 100_000;
/** Default fitting sample of mean shift, whose cost grows with the sample times the window population. */
export const DEFAULT_MEANSHIFT_SAMPLE = 10_000;
/** Most clusters an image segmentation can have (a label mask is an 8-bit image; 255 marks transparent pixels). */
export const MAX_IMAGE_CLUSTERS = 255;

/** Options for `segmentImage`. */
export interface SegmentImageOptions {
  /** Number of clusters k, an integer in [1, 255]. Ignored by mean shift, which finds its own. Default 8. */
  nClusters?: number;
  /** Cluster in CIELAB (`"lab"`, perceptually uniform) or in sRGB values (`"rgb"`). Default `"lab"`. */
  space?: ColorSpaceName;
  /**
   * Weight of the pixel position: x and y are added as features, scaled so that the longer side of the
   * image spans `spatial` times the colour range (100 for L* in Lab, 255 in RGB). 0 clusters by colour
   * only; around 0.5-1 gives compact regions. Default 0.
   */
  spatial?: number;
  /** `"kmeans"`, `"minibatch-kmeans"`, `"gmm"` (full covariance) or `"meanshift"` (flat kernel). Default `"kmeans"`. */
  algorithm?: ImageAlgorithm;
  /**
   * Fit on a seeded random sample of this many pixels when the image has more (every pixel is then
   * assigned with the fitted model). Default 100 000 (10 000 for mean shift).
   */
  sample?: number;
  /** Seed of the sample and of the clusterer. Default 0. */
  seed?: number;
  /** Mean-shift bandwidth in feature units. Default: `estimateBandwidth` (quantile 0.1) on 2 000 sampled pixels. */
  bandwidth?: number;
  /** Receives warnings (k above the number of distinct colours, clusterer warnings). Default `consoleLogger`. */
  logger?: Logger;
}

/** One colour of the palette. */
export interface PaletteEntry {
  /** The cluster's mean colour as 8-bit sRGB (the mean is taken in the clustering colour space). */
  rgb: [number, number, number];
  /** `rgb` as `#rrggbb`. */
  hex: string;
  /** The cluster's mean colour in CIELAB. */
  lab: [number, number, number];
  /** Share of the (non-transparent) pixels in the cluster. */
  share: number;
  /** Number of pixels in the cluster. */
  pixels: number;
}

/** The result of `segmentImage`. */
export interface ImageSegmentation {
  width: number;
  height: number;
  /** Number of clusters (palette entries). */
  k: number;
  /**
   * Cluster of every pixel, row by row; clusters are numbered by decreasing share (0 is the largest).
   * Fully transparent pixels are -1.
   */
  labels: Int32Array;
  /** One entry per cluster, in label order. */
  palette: PaletteEntry[];
  algorithm: ImageAlgorithm;
  space: ColorSpaceName;
  spatial: number;
  /** Pixels the clusterer was fitted on. */
  sampleSize: number;
  /** Non-transparent pixels. */
  pixels: number;
  /** Distinct colours among the non-transparent pixels. */
  distinctColors: number;
  /** Warnings raised during the run (also sent to the logger). */
  warnings: string[];
  /** Seconds spent: features of the fitting sample, fitting, assigning every pixel. */
  timings: { featuresSeconds: number; fitSeconds: number; assignSeconds: number; totalSeconds: number };
}

const CHUNK = 65_536;

function seconds(start: number): number {
  return Math.round(performance.now() - start) / 1000;
}

function hex(rgb: readonly number[]): string {
  return `#${rgb.map((v) => v.toString(16).padStart(2, "0")).join("")}`;
}

/** Writes the features of pixels `index[from..to)` into `out` (rows of d values). */
function pixelFeatures(
  image: RasterImage,
  index: Int32Array,
  from: number,
  to: number,
  space: ColorSpaceName,
  spatialScale: number,
  out: Float64Array,
): void {
  const { width, channels, data } = image;
  const d = spatialScale > 0 ? 5 : 3;
  for (let t = from; t < to; t++) {
    const p = index[t];
    const o = p * channels;
    const r = (t - from) * d;
    if (space === "lab") {
      srgb8ToLabInto(data[o], data[o + 1], data[o + 2], out, r);
    } else {
      out[r] = data[o];
      out[r + 1] = data[o + 1];
      out[r + 2] = data[o + 2];
    }
    if (d === 5) {
      out[r + 3] = (p % width) * spatialScale;
      out[r + 4] = Math.floor(p / width) * spatialScale;
    }
  }
}

/**
 * Segments an image by clustering its pixels by colour (optionally with position): the clusterer is
 * fitted on a seeded sample of pixels (all of them when the image is small), every pixel is assigned
 * to a cluster with the fitted model's `predict`, and each cluster's mean colour and share make the
 * palette. Clusters are renumbered by decreasing share and empty ones dropped. Fully transparent
 * pixels take no part (label -1).
 *
 * When the image has fewer distinct colours than k (and `spatial` is 0), a warning is logged and k is
 * lowered to the number of distinct colours (more clusters than colours cannot be told apart).
 *
 * ```ts
 * const image = await readImage("photo.jpg");
 * const seg = segmentImage(image, { nClusters: 6 });
 * await writeImage("seg.png", renderSegmentation(image, seg));
 * ```
 */
export function segmentImage(image: RasterImage, options: SegmentImageOptions = {}): ImageSegmentation {
  const start = performance.now();
  const algorithm = checkChoice(options.algorithm ?? "kmeans", "algorithm", IMAGE_ALGORITHMS);
  const space = checkChoice(options.space ?? "lab", "space", COLOR_SPACES);
  const spatial = checkNumber(options.spatial ?? 0, "spatial", { min: 0 });
  let k = checkInt(options.nClusters ?? 8, "nClusters", 1, MAX_IMAGE_CLUSTERS);
  const defaultSample = algorithm === "meanshift" ? DEFAULT_MEANSHIFT_SAMPLE : DEFAULT_IMAGE_SAMPLE;
  const sample = checkInt(options.sample ?? defaultSample, "sample", 1);
  const seed = checkInt(options.seed ?? 0, "seed", 0);
  if (options.bandwidth !== undefined) checkNumber(options.bandwidth, "bandwidth", { min: 0, minExclusive: true });
  const baseLogger = options.logger ?? consoleLogger;
  const warnings: string[] = [];
  const logger: Logger = {
    warn(message: string) {
      warnings.push(message);
      baseLogger.warn(message);
    },
  };
  const { width, height, channels, data } = image;
  if (channels !== 3 && channels !== 4) throw invalid("image.channels", channels, "must be 3 (RGB) or 4 (RGBA)");
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new ValidationError(`invalid image: ${width} x ${height} pixels`);
  }
  if (data.length !== width * height * channels) {
    throw new ValidationError(`invalid image: ${data.length} bytes for ${width} x ${height} x ${channels}`);
  }

  // Opaque pixels and distinct colours.
  const total = width * height;
  const activeList = new Int32Array(total);
  let nActive = 0;
  const seen = new Uint8Array(1 << 21); // one bit per 24-bit colour
  let distinct = 0;
  for (let p = 0; p < total; p++) {
    const o = p * channels;
    if (channels === 4 && data[o + 3] === 0) continue;
    activeList[nActive++] = p;
    const c = (data[o] << 16) | (data[o + 1] << 8) | data[o + 2];
    const bit = 1 << (c & 7);
    if ((seen[c >> 3] & bit) === 0) {
      seen[c >> 3] |= bit;
      distinct++;
    }
  }
  if (nActive === 0) throw new DataError("the image has no visible pixels (every pixel is fully transparent)");
  const active = activeList.subarray(0, nActive);
  if (algorithm !== "meanshift" && spatial === 0 && k > distinct) {
    logger.warn(`k=${k} is more than the ${distinct} distinct colours of the image: using k=${distinct}`);
    k = distinct;
  }

  // Fitting sample.
  const featuresStart = performance.now();
  const rng = new Random(seed);
  let fitIndex: Int32Array = active;
  if (nActive > sample) {
    const picks = rng.sampleWithoutReplacement(nActive, sample).sort();
    fitIndex = Int32Array.from(picks, (t) => active[t]);
  }
  const range = space === "lab" ? 100 : 255;
  const spatialScale = spatial > 0 ? (spatial * range) / Math.max(width - 1, height - 1, 1) : 0;
  const d = spatial > 0 ? 5 : 3;
  const n = fitIndex.length;
  if (algorithm !== "meanshift" && k > n) {
    throw new ValidationError(`invalid nClusters: ${k} (must be <= the number of sampled pixels, ${n})`);
  }
  const X: Matrix = { rows: n, cols: d, data: new Float64Array(n * d) };
  pixelFeatures(image, fitIndex, 0, n, space, spatialScale, X.data);
  const featuresSeconds = seconds(featuresStart);

  const fitStart = performance.now();
  let model: ClusterModel;
  switch (algorithm) {
    case "kmeans":
      model = new KMeans({ nClusters: k, seed, logger }).fit(X);
      break;
    case "minibatch-kmeans":
      model = new MiniBatchKMeans({ nClusters: k, seed, logger }).fit(X);
      break;
    case "gmm":
      model = new GaussianMixture({ nComponents: k, seed, logger }).fit(X);
      break;
    case "meanshift": {
      const bandwidth = options.bandwidth ?? estimateBandwidth(X, { quantile: 0.1, nSamples: Math.min(2000, n), seed });
      if (!(bandwidth > 0)) {
        throw new DataError("mean shift: the estimated bandwidth is 0 (too few distinct colours); pass a bandwidth");
      }
      model = new MeanShift({ bandwidth, binSeeding: true, logger }).fit(X);
      break;
    }
  }
  const fitSeconds = seconds(fitStart);

  // Assign every pixel, accumulating per-cluster colour sums.
  const assignStart = performance.now();
  const raw = new Int32Array(total).fill(-1);
  const kFit = model.nClusters;
  const counts = new Float64Array(kFit);
  const sums = new Float64Array(kFit * 3);
  const chunk = new Float64Array(Math.min(CHUNK, nActive) * d);
  for (let from = 0; from < nActive; from += CHUNK) {
    const to = Math.min(nActive, from + CHUNK);
    const rows = to - from;
    pixelFeatures(image, active, from, to, space, spatialScale, chunk);
    const labels = model.predict({ rows, cols: d, data: chunk.subarray(0, rows * d) });
    for (let t = 0; t < rows; t++) {
      const c = labels[t];
      raw[active[from + t]] = c;
      counts[c]++;
      sums[3 * c] += chunk[t * d];
      sums[3 * c + 1] += chunk[t * d + 1];
      sums[3 * c + 2] += chunk[t * d + 2];
    }
  }
  // Renumber by decreasing share (ties: fitted order); drop empty clusters.
  const order = Array.from({ length: kFit }, (_, c) => c)
    .filter((c) => counts[c] > 0)
    .sort((a, b) => counts[b] - counts[a] || a - b);
  const newLabel = new Int32Array(kFit).fill(-1);
  order.forEach((c, i) => {
    newLabel[c] = i;
  });
  const labels = new Int32Array(total);
  for (let p = 0; p < total; p++) labels[p] = raw[p] < 0 ? -1 : newLabel[raw[p]];
  const palette: PaletteEntry[] = order.map((c) => {
    const mean = [sums[3 * c] / counts[c], sums[3 * c + 1] / counts[c], sums[3 * c + 2] / counts[c]];
    let rgb: [number, number, number];
    let lab: [number, number, number];
    if (space === "lab") {
      lab = [mean[0], mean[1], mean[2]];
      rgb = labToSrgb8(mean[0], mean[1], mean[2]);
    } else {
      rgb = [Math.round(mean[0]), Math.round(mean[1]), Math.round(mean[2])];
      lab = srgbToLab(mean[0], mean[1], mean[2]);
    }
    return { rgb, hex: hex(rgb), lab, share: counts[c] / nActive, pixels: counts[c] };
  });
  const assignSeconds = seconds(assignStart);
  return {
    width,
    height,
    k: palette.length,
    labels,
    palette,
    algorithm,
    space,
    spatial,
    sampleSize: n,
    pixels: nActive,
    distinctColors: distinct,
    warnings,
    timings: { featuresSeconds, fitSeconds, assignSeconds, totalSeconds: seconds(start) },
  };
}
