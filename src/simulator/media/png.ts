// Minimal PNG codec: writes 8-bit RGBA, reads every non-interlaced colour type at 8 or 16 bits.
import { deflateSync, inflateSync } from 'node:zlib';

export interface RgbaImage {
  width: number;
  height: number;
  /** width * height * 4 bytes, row-major RGBA. */
  data: Uint8Array;
}

const SIGNATURE = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + payload.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, payload.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(payload, 8);
  view.setUint32(8 + payload.length, crc32(out, 4, 8 + payload.length));
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function encodePng(image: RgbaImage): Uint8Array {
  const { width, height, data } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new Error(`encodePng: invalid size ${width}x${height}`);
  }
  if (data.length !== width * height * 4) {
    throw new Error(`encodePng: expected ${width * height * 4} RGBA bytes, got ${data.length}`);
  }
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type RGBA
  // compression, filter method, interlace all 0

  // Sub filter on every row: cheap and compresses gradients far better than no filter.
  const stride = width * 4;
  const raw = new Uint8Array((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    const src = y * stride;
    const dst = y * (stride + 1);
    raw[dst] = 1;
    for (let x = 0; x < stride; x++) {
      const left = x >= 4 ? data[src + x - 4] : 0;
      raw[dst + 1 + x] = (data[src + x] - left) & 0xff;
    }
  }
  return concat([
    SIGNATURE,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  if (pa <= pb && pa <= pc) return a;
  return pb <= pc ? b : c;
}

function unfilter(raw: Uint8Array, height: number, stride: number, bpp: number): Uint8Array {
  const out = new Uint8Array(stride * height);
  if (raw.length < (stride + 1) * height) throw new Error('decodePng: image data is truncated');
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const src = y * (stride + 1) + 1;
    const row = y * stride;
    const prev = row - stride;
    for (let x = 0; x < stride; x++) {
      const a = x >= bpp ? out[row + x - bpp] : 0;
      const b = y > 0 ? out[prev + x] : 0;
      const c = x >= bpp && y > 0 ? out[prev + x - bpp] : 0;
      const v = raw[src + x];
      switch (filter) {
        case 0: out[row + x] = v; break;
        case 1: out[row + x] = v + a; break;
        case 2: out[row + x] = v + b; break;
        case 3: out[row + x] = v + ((a + b) >> 1); break;
        case 4: out[row + x] = v + paeth(a, b, c); break;
        default: throw new Error(`decodePng: unknown filter type ${filter} on row ${y}`);
      }
    }
  }
  return out;
}

/** Reads sample i of a row packed at `depth` bits (1, 2, 4, 8 or 16; 16 keeps the high byte). */
function sample(row: Uint8Array, offset: number, i: number, depth: number): number {
  if (depth === 8) return row[offset + i];
  if (depth === 16) return row[offset + i * 2];
  const perByte = 8 / depth;
  const byte = row[offset + Math.floor(i / perByte)];
  const shift = 8 - depth * ((i % perByte) + 1);
  return (byte >> shift) & ((1 << depth) - 1);
}

function sample16(row: Uint8Array, offset: number, i: number): number {
  return (row[offset + i * 2] << 8) | row[offset + i * 2 + 1];
}

export function decodePng(bytes: Uint8Array): RgbaImage {
  if (bytes.length < 8 || !SIGNATURE.every((b, i) => bytes[i] === b)) throw new Error('decodePng: not a PNG file');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let width = 0;
  let height = 0;
  let depth = 0;
  let colourType = -1;
  let palette: Uint8Array | undefined;
  let paletteAlpha: Uint8Array | undefined;
  let transparent: number[] | undefined;
  const idat: Uint8Array[] = [];

  let o = 8;
  while (o + 12 <= bytes.length) {
    const length = view.getUint32(o);
    const type = String.fromCharCode(...bytes.subarray(o + 4, o + 8));
    const body = bytes.subarray(o + 8, o + 8 + length);
    if (body.length !== length) throw new Error(`decodePng: chunk ${type} is truncated`);
    if (view.getUint32(o + 8 + length) !== crc32(bytes, o + 4, o + 8 + length)) {
      throw new Error(`decodePng: bad CRC in chunk ${type}`);
    }
    if (type === 'IHDR') {
      width = view.getUint32(o + 8);
      height = view.getUint32(o + 12);
      depth = body[8];
      colourType = body[9];
      if (body[12] !== 0) throw new Error('decodePng: interlaced (Adam7) PNGs are not supported');
    } else if (type === 'PLTE') {
      palette = body;
    } else if (type === 'tRNS') {
      if (colourType === 3) paletteAlpha = body;
      else if (colourType === 0) transparent = [(body[0] << 8) | body[1]];
      else if (colourType === 2) transparent = [0, 2, 4].map((i) => (body[i] << 8) | body[i + 1]);
    } else if (type === 'IDAT') {
      idat.push(body);
    } else if (type === 'IEND') {
      break;
    }
    o += 12 + length;
  }

  const channels = CHANNELS[colourType];
  if (!width || !height || channels === undefined) throw new Error(`decodePng: unsupported colour type ${colourType}`);
  if (![1, 2, 4, 8, 16].includes(depth)) throw new Error(`decodePng: unsupported bit depth ${depth}`);
  if (colourType === 3 && !palette) throw new Error('decodePng: palette image without PLTE chunk');

  const bitsPerPixel = channels * depth;
  const stride = Math.ceil((width * bitsPerPixel) / 8);
  const pixels = unfilter(inflateSync(concat(idat)), height, stride, Math.max(1, bitsPerPixel >> 3));
  const out = new Uint8Array(width * height * 4);
  // Scale low bit-depth greys (1, 2, 4 bits) up to the 0..255 range.
  const greyScale = depth < 8 ? 255 / ((1 << depth) - 1) : 1;

  for (let y = 0; y < height; y++) {
    const row = y * stride;
    for (let x = 0; x < width; x++) {
      const d = (y * width + x) * 4;
      const s = x * channels;
      let r: number, g: number, b: number, a = 255;
      if (colourType === 3) {
        const index = sample(pixels, row, x, depth);
        r = palette![index * 3] ?? 0;
        g = palette![index * 3 + 1] ?? 0;
        b = palette![index * 3 + 2] ?? 0;
        a = paletteAlpha && index < paletteAlpha.length ? paletteAlpha[index] : 255;
      } else if (colourType === 0 || colourType === 4) {
        const raw = depth === 16 ? sample16(pixels, row, s) : sample(pixels, row, s, depth);
        r = g = b = depth === 16 ? raw >> 8 : Math.round(raw * greyScale);
        if (colourType === 4) a = sample(pixels, row, s + 1, depth);
        else if (transparent && raw === transparent[0]) a = 0;
      } else {
        r = sample(pixels, row, s, depth);
        g = sample(pixels, row, s + 1, depth);
        b = sample(pixels, row, s + 2, depth);
        if (colourType === 6) a = sample(pixels, row, s + 3, depth);
        else if (transparent) {
          const full = depth === 16 ? [0, 1, 2].map((i) => sample16(pixels, row, s + i)) : [r, g, b];
          if (full.every((v, i) => v === transparent![i])) a = 0;
        }
      }
      out[d] = r;
      out[d + 1] = g;
      out[d + 2] = b;
      out[d + 3] = a;
    }
  }
  return { width, height, data: out };
}
