import { DataError } from "../errors.js";
import { srgbToLab } from "./colorSpace.js";
import type { RasterImage } from "./rasterImage.js";
import type { ImageSegmentation } from "./segmentImage.js";

function checkSize(image: RasterImage, seg: ImageSegmentation): void {
  if (image.width !== seg.width || image.height !== seg.height) {
    throw new DataError(
      `the segmentation is ${seg.width} x ${seg.height} pixels but the image is ${image.width} x ${image.height}`,
    );
  }
}

/**
 * The segmented image: every pixel painted with its cluster's palette colour (so at most k colours);
 * same size and channels as `image` (its alpha channel, if any, is kept).
 */
export function renderSegmentation(image: RasterImage, seg: ImageSegmentation): RasterImage {
  checkSize(image, seg);
  const { channels } = image;
  const out = new Uint8Array(image.data.length);
  const n = seg.width * seg.height;
  for (let p = 0; p < n; p++) {
    const o = p * channels;
    const c = seg.labels[p];
    if (c >= 0) {
      const rgb = seg.palette[c].rgb;
      out[o] = rgb[0];
      out[o + 1] = rgb[1];
      out[o + 2] = rgb[2];
    }
    if (channels === 4) out[o + 3] = image.data[o + 3];
  }
  return { width: image.width, height: image.height, channels, data: out };
}

/**
 * The label mask: a one-channel 8-bit image whose value at each pixel is its cluster number (0 = the
 * largest cluster, ..., k - 1), 255 for fully transparent pixels. Save it as PNG (lossless).
 */
export function labelMask(seg: ImageSegmentation): RasterImage {
  if (seg.k > 255) throw new DataError(`cannot write a label mask for ${seg.k} clusters (at most 255)`);
  const n = seg.width * seg.height;
  const out = new Uint8Array(n);
  for (let p = 0; p < n; p++) out[p] = seg.labels[p] < 0 ? 255 : seg.labels[p];
  return { width: seg.width, height: seg.height, channels: 1, data: out };
}

/** Candidate boundary colours: yellow, cyan, magenta, green, blue, white, black. */
const BOUNDARY_COLORS: readonly (readonly [number, number, number])[] = [
  [255, 255, 0],
  [0, 255, 255],
  [255, 0, 255],
  [0, 255, 0],
  [0, 0, 255],
  [255, 255, 255],
  [0, 0, 0],
];

/**
 * A boundary colour that stands out from the palette: of the candidates above, the one whose smallest
 * CIELAB distance to a palette colour is largest.
 */
export function contrastingColor(seg: ImageSegmentation): [number, number, number] {
  let best = BOUNDARY_COLORS[0];
  let bestDistance = -1;
  for (const candidate of BOUNDARY_COLORS) {
    const lab = srgbToLab(candidate[0], candidate[1], candidate[2]);
    let nearest = Number.POSITIVE_INFINITY;
    for (const p of seg.palette) {
      nearest = Math.min(nearest, Math.hypot(lab[0] - p.lab[0], lab[1] - p.lab[1], lab[2] - p.lab[2]));
    }
    if (nearest > bestDistance) {
      bestDistance = nearest;
      best = candidate;
    }
  }
  return [best[0], best[1], best[2]];
}

/**
 * The original image with the cluster boundaries drawn over it: a pixel whose label differs from its
 * right or lower neighbour is painted `color` (one-pixel lines). Default colour: `contrastingColor(seg)`.
 */
export function boundaryOverlay(
  image: RasterImage,
  seg: ImageSegmentation,
  color: readonly [number, number, number] = contrastingColor(seg),
): RasterImage {
  checkSize(image, seg);
  const { width: w, height: h, channels } = image;
  const out = Uint8Array.from(image.data);
  const L = seg.labels;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const p = y * w + x;
      const c = L[p];
      const edge = (x < w - 1 && L[p + 1] !== c) || (y < h - 1 && L[p + w] !== c);
      if (!edge) continue;
      const o = p * channels;
      out[o] = color[0];
      out[o + 1] = color[1];
      out[o + 2] = color[2];
      if (channels === 4) out[o + 3] = 255;
    }
  }
  return { width: w, height: h, channels, data: out };
}
