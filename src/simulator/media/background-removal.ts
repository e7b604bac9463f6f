// Cuts away the backdrop: pixels connected to the border whose colour matches a border sample.
import { createRaster, type Raster, type Rgb } from './raster';

const TOLERANCE = 48; // Euclidean RGB distance still counted as background
const FEATHER_RADIUS = 2;
const BORDER_SAMPLES_PER_SIDE = 8;

function colourAt(img: Raster, x: number, y: number): Rgb {
  const o = (y * img.width + x) * 4;
  return [img.data[o], img.data[o + 1], img.data[o + 2]];
}

/** Averages a small patch so noise or JPEG artefacts at one border pixel do not skew the sample. */
function patchColour(img: Raster, cx: number, cy: number): Rgb {
  const sum = [0, 0, 0];
  let n = 0;
  for (let y = Math.max(0, cy - 1); y <= Math.min(img.height - 1, cy + 1); y++) {
    for (let x = Math.max(0, cx - 1); x <= Math.min(img.width - 1, cx + 1); x++) {
      const c = colourAt(img, x, y);
      sum[0] += c[0];
      sum[1] += c[1];
      sum[2] += c[2];
      n++;
    }
  }
  return [sum[0] / n, sum[1] / n, sum[2] / n];
}

function borderColours(img: Raster): Rgb[] {
  const samples: Rgb[] = [];
  const w = img.width - 1;
  const h = img.height - 1;
  for (let i = 0; i <= BORDER_SAMPLES_PER_SIDE; i++) {
    const fx = Math.round((i / BORDER_SAMPLES_PER_SIDE) * w);
    const fy = Math.round((i / BORDER_SAMPLES_PER_SIDE) * h);
    samples.push(patchColour(img, fx, 0), patchColour(img, fx, h), patchColour(img, 0, fy), patchColour(img, w, fy));
  }
  return samples;
}

function backgroundMask(img: Raster): Uint8Array {
  const { width, height } = img;
  const references = borderColours(img);
  const limit = TOLERANCE * TOLERANCE;
  const matches = (p: number) => {
    const o = p * 4;
    return references.some(([r, g, b]) => {
      const dr = img.data[o] - r;
      const dg = img.data[o + 1] - g;
      const db = img.data[o + 2] - b;
      return dr * dr + dg * dg + db * db <= limit;
    });
  };
  const mask = new Uint8Array(width * height); // 1 = background
  const queue = new Int32Array(width * height);
  let head = 0;
  let tail = 0;
  const visit = (p: number) => {
    if (!mask[p] && matches(p)) {
      mask[p] = 1;
      queue[tail++] = p;
    }
  };
  for (let x = 0; x < width; x++) {
    visit(x);
    visit((height - 1) * width + x);
  }
  for (let y = 0; y < height; y++) {
    visit(y * width);
    visit(y * width + width - 1);
  }
  while (head < tail) {
    const p = queue[head++];
    const x = p % width;
    if (x > 0) visit(p - 1);
    if (x < width - 1) visit(p + 1);
    if (p >= width) visit(p - width);
    if (p < width * (height - 1)) visit(p + width);
  }
  return mask;
}

/** Fraction of foreground pixels in the (2r+1)^2 box around each pixel, via a summed-area table. */
function foregroundCoverage(mask: Uint8Array, width: number, height: number, radius: number): Float32Array {
  const sums = new Float64Array((width + 1) * (height + 1));
  for (let y = 0; y < height; y++) {
    let row = 0;
    for (let x = 0; x < width; x++) {
      row += mask[y * width + x] ? 0 : 1;
      sums[(y + 1) * (width + 1) + x + 1] = sums[y * (width + 1) + x + 1] + row;
    }
  }
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const y0 = Math.max(0, y - radius);
    const y1 = Math.min(height, y + radius + 1);
    for (let x = 0; x < width; x++) {
      const x0 = Math.max(0, x - radius);
      const x1 = Math.min(width, x + radius + 1);
      const total =
        sums[y1 * (width + 1) + x1] - sums[y0 * (width + 1) + x1] - sums[y1 * (width + 1) + x0] + sums[y0 * (width + 1) + x0];
      out[y * width + x] = total / ((x1 - x0) * (y1 - y0));
    }
  }
  return out;
}

/** Returns a copy with the background made transparent and a soft edge around what remains. */
export function removeBackground(img: Raster): Raster {
  const mask = backgroundMask(img);
  const coverage = foregroundCoverage(mask, img.width, img.height, FEATHER_RADIUS);
  const out = createRaster(img.width, img.height);
  out.data.set(img.data);
  for (let p = 0; p < mask.length; p++) {
    // A foreground pixel on a straight edge sees ~60% foreground around it; ramp from 30% to 100%.
    const alpha = mask[p] ? 0 : Math.min(1, Math.max(0, (coverage[p] - 0.3) / 0.7));
    out.data[p * 4 + 3] = Math.round(img.data[p * 4 + 3] * alpha);
  }
  return out;
}
