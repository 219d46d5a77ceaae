import { stat } from "node:fs/promises";
import { extname } from "node:path";
import { DataError } from "../errors.js";

/** Image formats read and written (by `sharp`). */
export const IMAGE_FORMATS = ["jpeg", "png", "webp"] as const;
export type ImageFormat = (typeof IMAGE_FORMATS)[number];

/** An 8-bit image in memory: `channels` values per pixel, row by row from the top-left corner. */
export interface RasterImage {
  readonly width: number;
  readonly height: number;
  /** 1 (grey: label masks), 3 (sRGB) or 4 (sRGB + alpha). */
  readonly channels: 1 | 3 | 4;
  readonly data: Uint8Array;
}

/** An image as read from a file, with its format. */
export interface ReadImage extends RasterImage {
  readonly channels: 3 | 4;
  readonly format: ImageFormat;
}

/** The format written for an output path, from its extension (`.png`, `.jpg`/`.jpeg`, `.webp`). */
export function imageFormatFromPath(path: string): ImageFormat {
  const ext = extname(path).toLowerCase();
  if (ext === ".png") return "png";
  if (ext === ".jpg" || ext === ".jpeg") return "jpeg";
  if (ext === ".webp") return "webp";
  throw new DataError(
    `unsupported image extension ${JSON.stringify(ext || path)} for ${path} (use .png, .jpg, .jpeg or .webp)`,
  );
}

/** Loads sharp (and libvips) on first use only, so the rest of the package does not pay for it. */
async function loadSharp(): Promise<typeof import("sharp")["default"]> {
  return (await import("sharp")).default;
}

function sharpMessage(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0];
}

/**
 * Reads a JPEG, PNG or WebP file into 8-bit sRGB pixels with `sharp`: EXIF orientation is applied,
 * colour profiles and grey images are converted to sRGB, 16-bit images are reduced to 8 bits. An
 * alpha channel is kept (4 channels), else the pixels are RGB (3 channels). Throws a `DataError` for a
 * missing file, a file that is not an image, or another image format (GIF, TIFF, SVG, ...).
 */
export async function readImage(path: string): Promise<ReadImage> {
  try {
    const s = await stat(path);
    if (!s.isFile()) throw new DataError(`not a file: ${path}`);
  } catch (error) {
    if (error instanceof DataError) throw error;
    throw new DataError(`file not found: ${path}`);
  }
  const sharp = await loadSharp();
  let meta: { format?: string; hasAlpha?: boolean };
  try {
    meta = await sharp(path).metadata();
  } catch (error) {
    throw new DataError(`cannot read image ${path}: not an image, or damaged (${sharpMessage(error)})`);
  }
  const format = meta.format as string;
  if (!(IMAGE_FORMATS as readonly string[]).includes(format)) {
    throw new DataError(`unsupported image format ${JSON.stringify(format)} in ${path} (supported: JPEG, PNG, WebP)`);
  }
  try {
    let pipeline = sharp(path).rotate().toColourspace("srgb");
    pipeline = meta.hasAlpha ? pipeline.ensureAlpha() : pipeline.removeAlpha();
    const { data, info } = await pipeline.raw({ depth: "uchar" }).toBuffer({ resolveWithObject: true });
    if (info.channels !== 3 && info.channels !== 4) {
      throw new DataError(`cannot read image ${path}: unexpected ${info.channels} channels after conversion to sRGB`);
    }
    return {
      width: info.width,
      height: info.height,
      channels: info.channels,
      data: new Uint8Array(data.buffer, data.byteOffset, data.length),
      format: format as ImageFormat,
    };
  } catch (error) {
    if (error instanceof DataError) throw error;
    throw new DataError(`cannot read image ${path}: ${sharpMessage(error)}`);
  }
}

/**
 * Writes an image; the format comes from the extension. PNG is lossless; WebP is written lossless
 * (so the colours are exact); JPEG is lossy (quality 90), so a segmented image saved as JPEG has
 * more colours than clusters.
 */
export async function writeImage(path: string, image: RasterImage): Promise<void> {
  const format = imageFormatFromPath(path);
  const { width, height, channels, data } = image;
  if (data.length !== width * height * channels) {
    throw new DataError(`invalid image: ${data.length} bytes for ${width} x ${height} x ${channels}`);
  }
  const sharp = await loadSharp();
  let pipeline = sharp(data, { raw: { width, height, channels } });
  if (format === "png") pipeline = pipeline.png();
  else if (format === "webp") pipeline = pipeline.webp({ lossless: true });
  else pipeline = (channels === 4 ? pipeline.removeAlpha() : pipeline).jpeg({ quality: 90 });
  try {
    await pipeline.toFile(path);
  } catch (error) {
    throw new DataError(`cannot write image ${path}: ${sharpMessage(error)}`);
  }
}
