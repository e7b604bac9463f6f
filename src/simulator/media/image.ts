// Image operations the simulator uses to answer image tasks with real, decodable files.
import * as jpeg from 'jpeg-js';
import { sniffMediaType } from '../../core/media/sniff';
import { decodePng, encodePng } from './png';
import { createRandom, hashPrompt } from './prompt-hash';
import { renderPrompt } from './prompt-art';
import { hslToRgb, resizeBilinear, resizeCover, type Raster } from './raster';

export type { Raster } from './raster';
export { renderPrompt } from './prompt-art';
export { removeBackground } from './background-removal';

export type ImageFormat = 'png' | 'jpeg';

export interface Size {
  width: number;
  height: number;
}

export function decodeImage(bytes: Uint8Array): Raster {
  const type = sniffMediaType(bytes);
  if (type === 'png') return decodePng(bytes);
  if (type === 'jpeg') {
    const { width, height, data } = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true });
    return { width, height, data };
  }
  throw new Error(`decodeImage: unsupported image type ${type ?? 'unknown'}`);
}

export function encodeImage(raster: Raster, format: ImageFormat, jpegQuality = 85): Uint8Array {
  if (format === 'png') return encodePng(raster);
  const encoded = jpeg.encode(raster, jpegQuality).data;
  return new Uint8Array(encoded.buffer, encoded.byteOffset, encoded.byteLength);
}

// Kie.ai / fal-style named sizes, as width:height.
const NAMED_ASPECTS: Record<string, [number, number]> = {
  square: [1, 1],
  square_hd: [1, 1],
  landscape_4_3: [4, 3],
  landscape_16_9: [16, 9],
  portrait_4_3: [3, 4],
  portrait_16_9: [9, 16],
  landscape: [16, 9],
  portrait: [9, 16],
};

/** Parses "16:9", "9x16", "landscape_16_9", ...; anything else (including "auto") is square. */
export function parseAspect(aspectRatio: string | undefined): [number, number] {
  const text = (aspectRatio ?? '').trim().toLowerCase();
  if (NAMED_ASPECTS[text]) return NAMED_ASPECTS[text];
  const match = /^(\d+(?:\.\d+)?)\s*[:x/]\s*(\d+(?:\.\d+)?)$/.exec(text);
  if (match) {
    const w = Number(match[1]);
    const h = Number(match[2]);
    if (w > 0 && h > 0) return [w, h];
  }
  return [1, 1];
}

export function sizeForAspect(aspectRatio: string | undefined, longSide = 512): Size {
  const [w, h] = parseAspect(aspectRatio);
  if (w >= h) return { width: longSide, height: Math.max(1, Math.round((longSide * h) / w)) };
  return { width: Math.max(1, Math.round((longSide * w) / h)), height: longSide };
}

export function upscale(raster: Raster, factor: number): Raster {
  if (!(factor > 0)) throw new Error(`upscale: factor must be positive, got ${factor}`);
  return resizeBilinear(raster, Math.max(1, Math.round(raster.width * factor)), Math.max(1, Math.round(raster.height * factor)));
}

/**
 * Image-to-image / edit stand-in: the source stays recognisable under a prompt-coloured grade
 * and a faint overlay of the prompt's own artwork. Pass `size` to reframe to another aspect.
 */
export function deriveFrom(source: Raster, prompt: string, size?: Size): Raster {
  const base = size ? resizeCover(source, size.width, size.height) : resizeCover(source, source.width, source.height);
  const { width, height, data } = base;
  const art = renderPrompt(prompt, width, height);
  const rand = createRandom(hashPrompt(prompt, 7));
  const tint = hslToRgb(rand() * 360, 0.8, 0.55);
  const tintStrength = 0.25 + rand() * 0.1;
  const artStrength = 0.2;
  for (let p = 0; p < data.length; p += 4) {
    for (let c = 0; c < 3; c++) {
      const graded = data[p + c] * (1 - tintStrength) + tint[c] * tintStrength;
      data[p + c] = Math.round(graded * (1 - artStrength) + art.data[p + c] * artStrength);
    }
  }
  return base;
}
