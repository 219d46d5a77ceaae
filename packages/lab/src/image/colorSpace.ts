/**
 * sRGB <-> CIELAB (CIE 1976 L*a*b*) under the D65 white point, with the exact formulas:
 *
 * 1. sRGB (IEC 61966-2-1) companding: `c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055)^2.4` for
 *    c = value / 255, and its inverse.
 * 2. Linear RGB -> XYZ with the sRGB/D65 matrix below (Lindbloom's, to 7 digits).
 * 3. XYZ -> Lab with the CIE constants written exactly, epsilon = 216/24389 and kappa = 24389/27
 *    (not the rounded 0.008856 and 903.3), relative to the white `M (1, 1, 1)`, so sRGB white is
 *    exactly L = 100, a = b = 0.
 *
 * Pure red (255, 0, 0) is L 53.2408, a 80.0925, b 67.2032; L runs 0-100, a and b about -128..127.
 */

/** Linear sRGB -> XYZ (D65), rows X, Y, Z. */
export const SRGB_TO_XYZ: readonly number[] = Object.freeze([
  0.4124564, 0.3575761, 0.1804375, 0.2126729, 0.7151522, 0.072175, 0.0193339, 0.119192, 0.9503041,
]);

/** The exact inverse of `SRGB_TO_XYZ` (computed, so that a round trip is exact to rounding). */
export const XYZ_TO_SRGB: readonly number[] = Object.freeze(invert3(SRGB_TO_XYZ));

/** The D65 reference white (X, Y, Z) of sRGB: the row sums of `SRGB_TO_XYZ` (0.95047, 1, 1.08883). */
export const D65_WHITE: readonly number[] = Object.freeze([
  SRGB_TO_XYZ[0] + SRGB_TO_XYZ[1] + SRGB_TO_XYZ[2],
  SRGB_TO_XYZ[3] + SRGB_TO_XYZ[4] + SRGB_TO_XYZ[5],
  SRGB_TO_XYZ[6] + SRGB_TO_XYZ[7] + SRGB_TO_XYZ[8],
]);

const EPSILON = 216 / 24389;
const KAPPA = 24389 / 27;

function invert3(m: readonly number[]): number[] {
  const [a, b, c, d, e, f, g, h, i] = m;
  const A = e * i - f * h;
  const B = -(d * i - f * g);
  const C = d * h - e * g;
  const det = a * A + b * B + c * C;
  return [
    A / det,
    -(b * i - c * h) / det,
    (b * f - c * e) / det,
    B / det,
    (a * i - c * g) / det,
    -(a * f - c * d) / det,
    C / det,
    -(a * h - b * g) / det,
    (a * e - b * d) / det,
  ];
}

/** sRGB component in [0, 1] -> linear light in [0, 1]. */
export function srgbToLinear(c: number): number {
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

/** Linear light in [0, 1] -> sRGB component in [0, 1]. */
export function linearToSrgb(c: number): number {
  return c <= 0.0031308 ? 12.92 * c : 1.055 * c ** (1 / 2.4) - 0.055;
}

/** Linear value of each 8-bit sRGB level. */
const LINEAR_8BIT = Float64Array.from({ length: 256 }, (_, v) => srgbToLinear(v / 255));

function f(t: number): number {
  return t > EPSILON ? Math.cbrt(t) : (KAPPA * t + 16) / 116;
}

function fInverse(u: number): number {
  const u3 = u * u * u;
  return u3 > EPSILON ? u3 : (116 * u - 16) / KAPPA;
}

/** Linear RGB (each in [0, 1]) -> Lab, written into `out` at `offset`. */
function linearToLab(r: number, g: number, b: number, out: Float64Array | number[], offset: number): void {
  const m = SRGB_TO_XYZ;
  const fx = f((m[0] * r + m[1] * g + m[2] * b) / D65_WHITE[0]);
  const fy = f((m[3] * r + m[4] * g + m[5] * b) / D65_WHITE[1]);
  const fz = f((m[6] * r + m[7] * g + m[8] * b) / D65_WHITE[2]);
  out[offset] = 116 * fy - 16;
  out[offset + 1] = 500 * (fx - fy);
  out[offset + 2] = 200 * (fy - fz);
}

/** sRGB (components 0-255, fractional allowed) -> [L, a, b]. */
export function srgbToLab(r: number, g: number, b: number): [number, number, number] {
  const out: [number, number, number] = [0, 0, 0];
  linearToLab(srgbToLinear(r / 255), srgbToLinear(g / 255), srgbToLinear(b / 255), out, 0);
  return out;
}

/**
 * Lab -> sRGB components in 0-255, unrounded and unclamped (a Lab colour outside the sRGB gamut gives
 * components below 0 or above 255; see `labToSrgb8`).
 */
export function labToSrgb(L: number, a: number, b: number): [number, number, number] {
  const fy = (L + 16) / 116;
  const fx = fy + a / 500;
  const fz = fy - b / 200;
  const y = (L > KAPPA * EPSILON ? fy * fy * fy : L / KAPPA) * D65_WHITE[1];
  const x = fInverse(fx) * D65_WHITE[0];
  const z = fInverse(fz) * D65_WHITE[2];
  const m = XYZ_TO_SRGB;
  const out: [number, number, number] = [0, 0, 0];
  for (let c = 0; c < 3; c++) {
    const lin = m[3 * c] * x + m[3 * c + 1] * y + m[3 * c + 2] * z;
    // The transfer curve is odd-symmetric for out-of-gamut negatives.
    out[c] = 255 * (lin < 0 ? -linearToSrgb(-lin) : linearToSrgb(lin));
  }
  return out;
}

/** Lab -> 8-bit sRGB: rounded and clamped to 0-255. */
export function labToSrgb8(L: number, a: number, b: number): [number, number, number] {
  const [r, g, bl] = labToSrgb(L, a, b);
  const q = (v: number) => Math.min(255, Math.max(0, Math.round(v)));
  return [q(r), q(g), q(bl)];
}

/** Lab of one 8-bit sRGB colour, written into `out` at `offset` (table lookup for the companding). */
export function srgb8ToLabInto(r: number, g: number, b: number, out: Float64Array | number[], offset: number): void {
  linearToLab(LINEAR_8BIT[r], LINEAR_8BIT[g], LINEAR_8BIT[b], out, offset);
}

/**
 * Lab of every pixel of an 8-bit image: `pixels` holds `channels` values per pixel (RGB first; a
 * 4th channel is ignored). Returns n x 3 values, row-major.
 */
export function pixelsToLab(pixels: Uint8Array, channels: number, out?: Float64Array): Float64Array {
  const n = Math.floor(pixels.length / channels);
  const lab = out ?? new Float64Array(n * 3);
  for (let i = 0; i < n; i++) {
    const o = i * channels;
    linearToLab(LINEAR_8BIT[pixels[o]], LINEAR_8BIT[pixels[o + 1]], LINEAR_8BIT[pixels[o + 2]], lab, i * 3);
  }
  return lab;
}
