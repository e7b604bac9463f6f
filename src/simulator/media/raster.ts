// In-memory RGBA images and the resampling shared by the image operations.

export interface Raster {
  width: number;
  height: number;
  /** width * height * 4 bytes, row-major RGBA, not premultiplied. */
  data: Uint8Array;
}

export type Rgb = [number, number, number];

export function createRaster(width: number, height: number): Raster {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new Error(`Invalid raster size ${width}x${height}`);
  }
  return { width, height, data: new Uint8Array(width * height * 4) };
}

/** Bilinear resample to exactly width x height, sampling at pixel centres. */
export function resizeBilinear(src: Raster, width: number, height: number): Raster {
  const out = createRaster(width, height);
  const sx = src.width / width;
  const sy = src.height / height;
  const s = src.data;
  const d = out.data;
  const maxX = src.width - 1;
  const maxY = src.height - 1;
  for (let y = 0; y < height; y++) {
    const fy = Math.min(Math.max((y + 0.5) * sy - 0.5, 0), maxY);
    const y0 = Math.floor(fy);
    const y1 = Math.min(y0 + 1, maxY);
    const wy = fy - y0;
    for (let x = 0; x < width; x++) {
      const fx = Math.min(Math.max((x + 0.5) * sx - 0.5, 0), maxX);
      const x0 = Math.floor(fx);
      const x1 = Math.min(x0 + 1, maxX);
      const wx = fx - x0;
      const i00 = (y0 * src.width + x0) * 4;
      const i01 = (y0 * src.width + x1) * 4;
      const i10 = (y1 * src.width + x0) * 4;
      const i11 = (y1 * src.width + x1) * 4;
      const o = (y * width + x) * 4;
      for (let c = 0; c < 4; c++) {
        const top = s[i00 + c] + (s[i01 + c] - s[i00 + c]) * wx;
        const bottom = s[i10 + c] + (s[i11 + c] - s[i10 + c]) * wx;
        d[o + c] = Math.round(top + (bottom - top) * wy);
      }
    }
  }
  return out;
}

/** Scales to cover width x height, then crops the centre, so nothing is stretched. */
export function resizeCover(src: Raster, width: number, height: number): Raster {
  if (src.width === width && src.height === height) return { ...src, data: src.data.slice() };
  const scale = Math.max(width / src.width, height / src.height);
  const scaled = resizeBilinear(
    src,
    Math.max(width, Math.round(src.width * scale)),
    Math.max(height, Math.round(src.height * scale)),
  );
  const out = createRaster(width, height);
  const left = Math.floor((scaled.width - width) / 2);
  const top = Math.floor((scaled.height - height) / 2);
  for (let y = 0; y < height; y++) {
    const start = ((top + y) * scaled.width + left) * 4;
    out.data.set(scaled.data.subarray(start, start + width * 4), y * width * 4);
  }
  return out;
}

export function hslToRgb(hue: number, saturation: number, lightness: number): Rgb {
  const h = (((hue % 360) + 360) % 360) / 360;
  const q = lightness < 0.5 ? lightness * (1 + saturation) : lightness + saturation - lightness * saturation;
  const p = 2 * lightness - q;
  const channel = (t: number) => {
    const u = t < 0 ? t + 1 : t > 1 ? t - 1 : t;
    if (u < 1 / 6) return p + (q - p) * 6 * u;
    if (u < 1 / 2) return q;
    if (u < 2 / 3) return p + (q - p) * (2 / 3 - u) * 6;
    return p;
  };
  return [channel(h + 1 / 3), channel(h), channel(h - 1 / 3)].map((v) => Math.round(v * 255)) as Rgb;
}
