import { memoryLogger } from "@clusterlab/core";
import {
  boundaryOverlay,
  COLOR_SPACES,
  type ColorSpaceName,
  DEFAULT_IMAGE_SAMPLE,
  DEFAULT_MEANSHIFT_SAMPLE,
  IMAGE_ALGORITHMS,
  type ImageAlgorithm,
  imageFormatFromPath,
  labelMask,
  MAX_IMAGE_CLUSTERS,
  readImage,
  renderSegmentation,
  segmentImage,
  writeImage,
} from "@clusterlab/lab";
import { type Command, Option } from "commander";
import { type CommandIO, progressPrinter, secondsSince } from "./io.js";
import { UsageError } from "./usage.js";

// --- parsing (pure) -----------------------------------------------------------------------------

/** Images above this many pixels get progress lines on stderr (unless --quiet). */
export const PROGRESS_MIN_PIXELS = 4_000_000;

/** Default k of `clusterlab image`. */
export const DEFAULT_IMAGE_K = 8;

/** The parsed `clusterlab image` command line. */
export interface ImageArgs {
  command: "image";
  file: string;
  /** `--k`: number of clusters; null for mean shift (which finds its own). Default 8. */
  k: number | null;
  space: ColorSpaceName;
  spatial: number;
  algo: ImageAlgorithm;
  seed: number;
  /** `--sample`: pixels to fit on. Default 100 000 (10 000 for mean shift). */
  sample?: number;
  /** `--bandwidth` (mean shift only). */
  bandwidth?: number;
  /** `--out`: the segmented image. */
  out?: string;
  /** `--mask`: the label mask (PNG). */
  mask?: string;
  /** `--overlay`: the boundaries over the original. */
  overlay?: string;
  json: boolean;
  quiet: boolean;
}

type RawOptions = Record<string, string | boolean | undefined>;

const INTEGER = /^[+-]?\d+$/;

function intOption(opts: RawOptions, key: string, flag: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  const raw = opts[key];
  if (raw === undefined) return undefined;
  const text = String(raw).trim();
  const value = Number(text);
  if (!INTEGER.test(text) || !Number.isSafeInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `in [${min}, ${max}]`;
    throw new UsageError(`invalid ${flag}: ${JSON.stringify(raw)} (must be an integer ${range})`);
  }
  return value;
}

function numberOption(opts: RawOptions, key: string, flag: string, min: number, exclusive = false) {
  const raw = opts[key];
  if (raw === undefined) return undefined;
  const text = String(raw).trim();
  const value = Number(text);
  if (text === "" || !Number.isFinite(value) || value < min || (exclusive && value === min)) {
    throw new UsageError(`invalid ${flag}: ${JSON.stringify(raw)} (must be a number ${exclusive ? ">" : ">="} ${min})`);
  }
  return value;
}

function imagePath(opts: RawOptions, key: string, flag: string, pngOnly = false): string | undefined {
  const raw = opts[key];
  if (raw === undefined) return undefined;
  const path = String(raw);
  try {
    const format = imageFormatFromPath(path);
    if (pngOnly && format !== "png") throw new Error(`a label mask must be a .png file (got ${path})`);
  } catch (error) {
    throw new UsageError(`invalid ${flag}: ${(error as Error).message}`);
  }
  return path;
}

/** Registers `clusterlab image` on the program; `onParsed` receives the parsed arguments. */
export function imageCommand(program: Command, onParsed: (args: ImageArgs) => void): Command {
  return program
    .command("image")
    .description("segment an image by clustering its pixels by colour (JPEG, PNG, WebP)")
    .argument("<image>", "input image (.jpg, .png, .webp)")
    .option(
      "-k, --k <n>",
      `number of colours/clusters, 1-${MAX_IMAGE_CLUSTERS} (default ${DEFAULT_IMAGE_K}; not with meanshift)`,
    )
    .option("--out <file>", "write the segmented image, each pixel its cluster's mean colour (.png, .webp, .jpg)")
    .option("--mask <file>", "write the label mask: a grey PNG whose value is the cluster (0 = largest)")
    .option("--overlay <file>", "write the original with the cluster boundaries drawn over it")
    .addOption(new Option("--space <space>", "colour space of the features").choices(COLOR_SPACES).default("lab"))
    .option("--spatial <w>", "weight of the pixel position (0 = colour only; 0.5-1 = compact regions)", "0")
    .addOption(new Option("--algo <name>", "clustering algorithm").choices(IMAGE_ALGORITHMS).default("kmeans"))
    .option("--seed <n>", "random seed (sample and clusterer)", "0")
    .option(
      "--sample <n>",
      `fit on a random sample of n pixels, then assign every pixel (default ${DEFAULT_IMAGE_SAMPLE}; ${DEFAULT_MEANSHIFT_SAMPLE} for meanshift)`,
    )
    .option("--bandwidth <x>", "mean-shift window radius in feature units (default: estimated)")
    .option("--json", "print one JSON object (palette, size, timings) on stdout instead of the report")
    .option("-q, --quiet", "no progress lines on stderr")
    .addHelpText(
      "after",
      `
If the image has fewer distinct colours than --k (and --spatial is 0), k is lowered to that number
with a warning. A label mask holds at most ${MAX_IMAGE_CLUSTERS} clusters (255 marks transparent pixels).

Example:
  clusterlab image examples/data/coffee.png --k 6 --out coffee-seg.png --mask coffee-mask.png`,
    )
    .action((file: string, opts: RawOptions) => onParsed(imageArgs(file, opts)));
}

/** Parses the options of `clusterlab image` (as commander hands them over). */
export function imageArgs(file: string, opts: RawOptions): ImageArgs {
  const algo = (opts.algo as ImageAlgorithm | undefined) ?? "kmeans";
  const kGiven = intOption(opts, "k", "--k", 1, MAX_IMAGE_CLUSTERS);
  if (algo === "meanshift" && kGiven !== undefined) {
    throw new UsageError("--k does not apply to --algo meanshift (it finds the number of clusters; see --bandwidth)");
  }
  const args: ImageArgs = {
    command: "image",
    file,
    k: algo === "meanshift" ? null : (kGiven ?? DEFAULT_IMAGE_K),
    space: (opts.space as ColorSpaceName | undefined) ?? "lab",
    spatial: numberOption(opts, "spatial", "--spatial", 0) ?? 0,
    algo,
    seed: intOption(opts, "seed", "--seed", 0) ?? 0,
    json: opts.json === true,
    quiet: opts.quiet === true,
  };
  const sample = intOption(opts, "sample", "--sample", 1);
  if (sample !== undefined) {
    if (args.k !== null && sample < args.k) {
      throw new UsageError(`invalid --sample: ${sample} (must be at least --k, ${args.k})`);
    }
    args.sample = sample;
  }
  const bandwidth = numberOption(opts, "bandwidth", "--bandwidth", 0, true);
  if (bandwidth !== undefined) {
    if (algo !== "meanshift") throw new UsageError(`--bandwidth only applies to --algo meanshift (got --algo ${algo})`);
    args.bandwidth = bandwidth;
  }
  const out = imagePath(opts, "out", "--out");
  if (out !== undefined) args.out = out;
  const mask = imagePath(opts, "mask", "--mask", true);
  if (mask !== undefined) args.mask = mask;
  const overlay = imagePath(opts, "overlay", "--overlay");
  if (overlay !== undefined) args.overlay = overlay;
  return args;
}

// --- running ------------------------------------------------------------------------------------

/** One palette colour in the report. */
export interface ImagePaletteEntry {
  cluster: number;
  rgb: [number, number, number];
  hex: string;
  /** CIELAB, rounded to 0.01. */
  lab: [number, number, number];
  /** Share of the (non-transparent) pixels, rounded to 1e-6. */
  share: number;
  pixels: number;
}

/** What `clusterlab image` computed (its `--json` output). */
export interface ImageReport {
  input: string;
  width: number;
  height: number;
  k: number;
  palette: ImagePaletteEntry[];
  algorithm: ImageAlgorithm;
  space: ColorSpaceName;
  spatial: number;
  seed: number;
  /** Pixels the clusterer was fitted on. */
  sampleSize: number;
  /** Non-transparent pixels. */
  pixels: number;
  distinctColors: number;
  outputs: { out: string | null; mask: string | null; overlay: string | null };
  warnings: string[];
  timings: {
    readSeconds: number;
    featuresSeconds: number;
    fitSeconds: number;
    assignSeconds: number;
    writeSeconds: number;
    totalSeconds: number;
  };
}

const round = (x: number, digits: number) => Number(x.toFixed(digits));

/** Runs `clusterlab image`: reads the image, segments it, writes the requested images, returns the report. */
export async function runImage(args: ImageArgs, io: CommandIO): Promise<ImageReport> {
  const start = performance.now();
  const image = await readImage(args.file);
  const readSeconds = secondsSince(start);
  const progress = progressPrinter(io, !args.quiet && image.width * image.height > PROGRESS_MIN_PIXELS);
  progress(`read ${args.file}: ${image.width} x ${image.height} pixels in ${readSeconds.toFixed(2)}s`);
  const logger = memoryLogger();
  const seg = segmentImage(image, {
    ...(args.k !== null && { nClusters: args.k }),
    space: args.space,
    spatial: args.spatial,
    algorithm: args.algo,
    seed: args.seed,
    ...(args.sample !== undefined && { sample: args.sample }),
    ...(args.bandwidth !== undefined && { bandwidth: args.bandwidth }),
    logger,
  });
  progress(
    `${args.algo}: ${seg.k} clusters, fitted on ${seg.sampleSize} pixels in ${seg.timings.fitSeconds.toFixed(2)}s`,
  );
  const writeStart = performance.now();
  if (args.out) await writeImage(args.out, renderSegmentation(image, seg));
  if (args.mask) await writeImage(args.mask, labelMask(seg));
  if (args.overlay) await writeImage(args.overlay, boundaryOverlay(image, seg));
  const writeSeconds = secondsSince(writeStart);
  return {
    input: args.file,
    width: seg.width,
    height: seg.height,
    k: seg.k,
    palette: seg.palette.map((p, cluster) => ({
      cluster,
      rgb: p.rgb,
      hex: p.hex,
      lab: [round(p.lab[0], 2), round(p.lab[1], 2), round(p.lab[2], 2)],
      share: round(p.share, 6),
      pixels: p.pixels,
    })),
    algorithm: seg.algorithm,
    space: seg.space,
    spatial: seg.spatial,
    seed: args.seed,
    sampleSize: seg.sampleSize,
    pixels: seg.pixels,
    distinctColors: seg.distinctColors,
    outputs: { out: args.out ?? null, mask: args.mask ?? null, overlay: args.overlay ?? null },
    warnings: [...logger.messages],
    timings: {
      readSeconds,
      featuresSeconds: seg.timings.featuresSeconds,
      fitSeconds: seg.timings.fitSeconds,
      assignSeconds: seg.timings.assignSeconds,
      writeSeconds,
      totalSeconds: secondsSince(start),
    },
  };
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + " ".repeat(n - s.length);
}

function padLeft(s: string, n: number): string {
  return s.length >= n ? s : " ".repeat(n - s.length) + s;
}

/** The human-readable report of `clusterlab image`. */
export function formatImageReport(r: ImageReport): string {
  const out: string[] = [];
  out.push(
    `${r.input}: ${r.width} x ${r.height} pixels, ${r.distinctColors.toLocaleString("en-US")} distinct colours${r.pixels < r.width * r.height ? ` (${r.pixels} visible pixels)` : ""}`,
  );
  const spatial = r.spatial > 0 ? ` + position (weight ${r.spatial})` : "";
  out.push(
    `${r.algorithm} in ${r.space === "lab" ? "CIELAB" : "RGB"}${spatial}: ${r.k} clusters, fitted on ${r.sampleSize.toLocaleString("en-US")} pixels (seed ${r.seed})`,
  );
  out.push("");
  out.push(`${pad("cluster", 8)}${padLeft("share", 7)}  ${pad("hex", 8)} ${pad("rgb", 12)}  Lab`);
  for (const p of r.palette) {
    out.push(
      `${pad(String(p.cluster), 8)}${padLeft(`${(100 * p.share).toFixed(1)}%`, 7)}  ${pad(p.hex, 8)} ${pad(p.rgb.map((v) => padLeft(String(v), 3)).join(" "), 12)}  L ${p.lab[0].toFixed(1)}  a ${p.lab[1].toFixed(1)}  b ${p.lab[2].toFixed(1)}`,
    );
  }
  for (const w of r.warnings) out.push(`warning: ${w}`);
  const written = [r.outputs.out, r.outputs.mask, r.outputs.overlay].filter((p): p is string => p !== null);
  out.push("");
  if (written.length > 0) out.push(`Wrote ${written.join(", ")}`);
  const t = r.timings;
  out.push(
    `Time: read ${t.readSeconds.toFixed(2)}s, fit ${t.fitSeconds.toFixed(2)}s, assign ${t.assignSeconds.toFixed(2)}s, write ${t.writeSeconds.toFixed(2)}s, total ${t.totalSeconds.toFixed(2)}s`,
  );
  return `${out.join("\n")}\n`;
}
