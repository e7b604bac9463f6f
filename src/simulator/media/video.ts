// Video the simulator returns: shipped MP4 test patterns, and an arbitrarily large download body.
import { Readable } from 'node:stream';
import { parseAspect } from './image';
import { createRandom } from './prompt-hash';
import { SAMPLE_MP4_BASE64 } from './samples';

export type SampleAspect = keyof typeof SAMPLE_MP4_BASE64;

export const SAMPLE_ASPECTS = Object.keys(SAMPLE_MP4_BASE64) as SampleAspect[];

/** The sample aspect closest to the request, compared on a log scale so 2:1 and 1:2 are equally far from 1:1. */
export function closestSampleAspect(aspectRatio: string | undefined): SampleAspect {
  const [w, h] = parseAspect(aspectRatio);
  const wanted = Math.log(w / h);
  let best = SAMPLE_ASPECTS[0];
  let bestDistance = Infinity;
  for (const aspect of SAMPLE_ASPECTS) {
    const [sw, sh] = parseAspect(aspect);
    const distance = Math.abs(Math.log(sw / sh) - wanted);
    if (distance < bestDistance) {
      best = aspect;
      bestDistance = distance;
    }
  }
  return best;
}

const decoded = new Map<SampleAspect, Uint8Array>();

export function sampleMp4(aspectRatio: string | undefined): Uint8Array {
  const aspect = closestSampleAspect(aspectRatio);
  let bytes = decoded.get(aspect);
  if (!bytes) {
    bytes = new Uint8Array(Buffer.from(SAMPLE_MP4_BASE64[aspect], 'base64'));
    decoded.set(aspect, bytes);
  }
  return bytes.slice();
}

export const LARGE_FILE_BLOCK = 64 * 1024;

let pattern: Buffer | undefined;

function blockPattern(): Buffer {
  if (!pattern) {
    const rand = createRandom(0x5eed);
    pattern = Buffer.alloc(LARGE_FILE_BLOCK);
    for (let i = 0; i < LARGE_FILE_BLOCK; i++) pattern[i] = Math.floor(rand() * 256);
  }
  return pattern;
}

/**
 * Bytes [offset, offset + length) of the synthetic large file. Each 64 KiB block is a fixed random
 * pattern whose first 4 bytes are the block number (big-endian), so a download resumed at the
 * wrong offset or with blocks out of order produces different bytes.
 */
export function largeFileSlice(offset: number, length: number): Buffer {
  const out = Buffer.alloc(length);
  const source = blockPattern();
  let written = 0;
  while (written < length) {
    const position = offset + written;
    const block = Math.floor(position / LARGE_FILE_BLOCK);
    const within = position % LARGE_FILE_BLOCK;
    const take = Math.min(LARGE_FILE_BLOCK - within, length - written);
    source.copy(out, written, within, within + take);
    const stamp = Buffer.alloc(4);
    stamp.writeUInt32BE(block >>> 0);
    for (let i = within; i < 4 && i < within + take; i++) out[written + i - within] = stamp[i];
    written += take;
  }
  return out;
}

/**
 * A stream of the synthetic file's bytes from `start` (for Range requests) up to `totalBytes`,
 * in chunks of at most 64 KiB aligned to block boundaries; memory use stays at one chunk.
 */
export function largeFileStream(totalBytes: number, start = 0): Readable {
  if (!Number.isSafeInteger(totalBytes) || totalBytes < 0) throw new Error(`largeFileStream: bad size ${totalBytes}`);
  if (!Number.isSafeInteger(start) || start < 0 || start > totalBytes) throw new Error(`largeFileStream: bad start ${start}`);
  let position = start;
  return new Readable({
    highWaterMark: LARGE_FILE_BLOCK,
    read() {
      if (position >= totalBytes) {
        this.push(null);
        return;
      }
      const length = Math.min(LARGE_FILE_BLOCK - (position % LARGE_FILE_BLOCK), totalBytes - position);
      const chunk = largeFileSlice(position, length);
      position += length;
      this.push(chunk);
    },
  });
}
