// Produces the bytes of a task's files with the simulator's media generators.
import { speechMp3, musicMp3, renderWav } from '../media/audio';
import {
  decodeImage, deriveFrom, encodeImage, removeBackground, renderPrompt, sizeForAspect, upscale, type Raster, type Size,
} from '../media/image';
import { sampleMp4 } from '../media/video';
import type { RenderSpec, ResultFile } from './task';

export interface RenderContext {
  /** Bytes of a URL served by this simulator's file origin (an upload or a live result), else undefined. */
  localBytes(url: string): Promise<Uint8Array | undefined>;
  /** Long side in pixels of generated images. */
  imageLongSide: number;
}

/** Keeps the largest side of upscaled/derived images within reason (bytes are held in memory). */
const MAX_SIDE = 4096;

function capSize(size: Size, max = MAX_SIDE): Size {
  const scale = Math.min(1, max / Math.max(size.width, size.height));
  return { width: Math.max(1, Math.round(size.width * scale)), height: Math.max(1, Math.round(size.height * scale)) };
}

/** The input image when the simulator holds it; a rendered stand-in for anything else. */
function sourceImage(ctx: RenderContext, bytes: Uint8Array | undefined, url: string | undefined, fallbackPrompt: string): Raster {
  if (bytes) {
    try {
      return decodeImage(bytes);
    } catch {
      // Not a PNG/JPEG (e.g. WebP): fall through to a placeholder.
    }
  }
  const size = sizeForAspect('1:1', ctx.imageLongSide);
  return renderPrompt(`input image ${url ?? fallbackPrompt}`, size.width, size.height);
}

/**
 * Rendering is synchronous CPU work (tens of milliseconds per image). Jobs run one per turn of the
 * event loop, so the requests that arrive meanwhile (a credits call, a status poll) are answered
 * between two renderings instead of after all of them.
 */
class RenderQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(job: () => Promise<T>): Promise<T> {
    const next = this.tail.then(() => new Promise<void>((resolve) => setImmediate(resolve))).then(job);
    this.tail = next.catch(() => undefined);
    return next;
  }
}

const queue = new RenderQueue();

function renderImage(spec: Extract<RenderSpec, { type: 'image' }>, ctx: RenderContext, sourceBytes: Uint8Array | undefined): Raster {
  const asked = spec.aspect ? sizeForAspect(spec.aspect, ctx.imageLongSide) : undefined;
  switch (spec.op) {
    case 'render': {
      const size = asked ?? sizeForAspect('1:1', ctx.imageLongSide);
      return renderPrompt(spec.prompt, size.width, size.height, spec.seed);
    }
    case 'derive': {
      const source = sourceImage(ctx, sourceBytes, spec.source, spec.prompt);
      const prompt = spec.seed ? `${spec.prompt} #${spec.seed}` : spec.prompt;
      return deriveFrom(source, prompt, capSize(asked ?? { width: source.width, height: source.height }, Math.max(ctx.imageLongSide, 1024)));
    }
    case 'upscale': {
      const source = sourceImage(ctx, sourceBytes, spec.source, spec.prompt);
      const wanted = { width: source.width * spec.factor, height: source.height * spec.factor };
      const capped = capSize(wanted);
      return upscale(source, capped.width / source.width);
    }
    case 'remove-background':
      return removeBackground(sourceImage(ctx, sourceBytes, spec.source, spec.prompt));
  }
}

export async function renderFile(file: ResultFile, ctx: RenderContext): Promise<Uint8Array> {
  // Input files are fetched before queueing: one may itself be a result that needs rendering.
  const spec = file.spec;
  const source = spec.type === 'image' && spec.op !== 'render' && spec.source ? await ctx.localBytes(spec.source) : undefined;
  return queue.run(async () => render(file, ctx, source));
}

function render(file: ResultFile, ctx: RenderContext, sourceBytes: Uint8Array | undefined): Uint8Array {
  const spec = file.spec;
  switch (spec.type) {
    case 'image': {
      const raster = renderImage(spec, ctx, sourceBytes);
      return encodeImage(raster, file.format === 'jpeg' ? 'jpeg' : 'png');
    }
    case 'video':
      return sampleMp4(spec.aspect);
    case 'music':
      return musicMp3(spec.seed);
    case 'speech':
      return speechMp3();
    case 'sound-effect':
      return renderWav(spec.text, spec.seconds);
  }
}
