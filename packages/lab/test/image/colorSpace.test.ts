import { describe, expect, it } from "vitest";
import { D65_WHITE, labToSrgb, labToSrgb8, pixelsToLab, SRGB_TO_XYZ, srgbToLab, XYZ_TO_SRGB } from "../../src/index.js";

// Reference values: Bruce Lindbloom's sRGB/D65 conversion (the same matrix and CIE constants), as
// printed by his colour calculator, 4 decimals.
const REFERENCE: [number[], number[]][] = [
  [
    [255, 0, 0],
    [53.2408, 80.0925, 67.2032],
  ],
  [
    [0, 255, 0],
    [87.7347, -86.1827, 83.1793],
  ],
  [
    [0, 0, 255],
    [32.297, 79.1875, -107.8602],
  ],
  [
    [255, 255, 0],
    [97.1393, -21.5537, 94.478],
  ],
  [
    [0, 255, 255],
    [91.1132, -48.0875, -14.1312],
  ],
  [
    [255, 0, 255],
    [60.3242, 98.2343, -60.8249],
  ],
  [
    [128, 128, 128],
    [53.585, 0, 0],
  ],
  [
    [255, 255, 255],
    [100, 0, 0],
  ],
  [
    [0, 0, 0],
    [0, 0, 0],
  ],
];

describe("sRGB <-> CIELAB (D65)", () => {
  it("gives the reference Lab values of pure colours, grey, white and black", () => {
    for (const [rgb, lab] of REFERENCE) {
      const got = srgbToLab(rgb[0], rgb[1], rgb[2]);
      for (let c = 0; c < 3; c++) expect(Math.abs(got[c] - lab[c])).toBeLessThan(6e-5);
    }
  });

  it("maps white exactly to L = 100 and the neutral axis to a = b = 0", () => {
    expect(D65_WHITE[1]).toBeCloseTo(1, 6);
    expect(D65_WHITE[0]).toBeCloseTo(0.95047, 6);
    expect(D65_WHITE[2]).toBeCloseTo(1.08883, 6);
    const [L, a, b] = srgbToLab(255, 255, 255);
    expect(L).toBeCloseTo(100, 12);
    expect(Math.abs(a) + Math.abs(b)).toBeLessThan(1e-12);
    for (const v of [1, 10, 50, 200]) {
      const g = srgbToLab(v, v, v);
      expect(Math.abs(g[1]) + Math.abs(g[2])).toBeLessThan(1e-10);
    }
    // Dark greys use the linear part of both curves: sRGB 1/255 -> L 0.2742.
    expect(srgbToLab(1, 1, 1)[0]).toBeCloseTo(0.2742, 4);
  });

  it("has an exact inverse matrix and round-trips every 8-bit colour on a grid", () => {
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        let s = 0;
        for (let t = 0; t < 3; t++) s += SRGB_TO_XYZ[3 * i + t] * XYZ_TO_SRGB[3 * t + j];
        expect(s).toBeCloseTo(i === j ? 1 : 0, 14);
      }
    }
    let worst = 0;
    for (let r = 0; r < 256; r += 15) {
      for (let g = 0; g < 256; g += 15) {
        for (let b = 0; b < 256; b += 15) {
          const [L, A, B] = srgbToLab(r, g, b);
          const back = labToSrgb(L, A, B);
          worst = Math.max(worst, Math.abs(back[0] - r), Math.abs(back[1] - g), Math.abs(back[2] - b));
          expect(labToSrgb8(L, A, B)).toEqual([r, g, b]);
        }
      }
    }
    expect(worst).toBeLessThan(1e-9);
  });

  it("clamps out-of-gamut Lab colours in labToSrgb8", () => {
    expect(labToSrgb8(50, 120, -120).every((v) => v >= 0 && v <= 255)).toBe(true);
    expect(labToSrgb8(100, 0, 0)).toEqual([255, 255, 255]);
  });

  it("converts packed pixels (RGB and RGBA) with the table-driven path", () => {
    const rgba = Uint8Array.from([255, 0, 0, 7, 0, 0, 255, 255]);
    const lab = pixelsToLab(rgba, 4);
    expect(lab.length).toBe(6);
    expect(lab[0]).toBeCloseTo(53.2408, 4);
    expect(lab[5]).toBeCloseTo(-107.8602, 4);
  });
});
