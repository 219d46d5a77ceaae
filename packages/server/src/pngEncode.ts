/**
 * A small PNG encoder (8-bit grey, RGB or RGBA; the "Sub" filter on every row; zlib deflate), so a
 * worker thread can turn a segmentation into images for the page without loading sharp/libvips in
 * every thread.
 */
import { deflateSync } from "node:zlib";
import type { RasterImage } from "@clusterlab/lab";

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 255] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, "latin1");
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

const COLOR_TYPE: Record<number, number> = { 1: 0, 3: 2, 4: 6 };

/** The PNG file of an 8-bit image with 1 (grey), 3 (RGB) or 4 (RGBA) channels. */
export function encodePng(image: RasterImage): Buffer {
  const { width, height, channels, data } = image;
  const colorType = COLOR_TYPE[channels];
  if (colorType === undefined) throw new Error(`encodePng: ${channels} channels (expected 1, 3 or 4)`);
  if (data.length !== width * height * channels) {
    throw new Error(`encodePng: ${data.length} bytes for ${width} x ${height} x ${channels}`);
  }
  const stride = width * channels;
  const raw = new Uint8Array((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    const src = y * stride;
    const dst = y * (stride + 1);
    raw[dst] = 1; // Sub: each byte minus the same channel of the pixel to its left
    for (let i = 0; i < stride; i++) {
      const left = i >= channels ? data[src + i - channels] : 0;
      raw[dst + 1 + i] = (data[src + i] - left) & 255;
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8;
  header[9] = colorType;
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([
    signature,
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(raw, { level: 4 })),
    chunk("IEND", new Uint8Array(0)),
  ]);
}
